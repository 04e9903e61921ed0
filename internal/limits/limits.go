// Package limits holds the limits of api/openapi.yaml's schemas that both
// the client (package losant, before it sends) and the fake (package
// losanttest, on what it stores) check, defined once. api's tests hold
// them equal to the spec.
package limits

import "fmt"

const (
	// ObjectIDLength is the length of an ObjectId: hexadecimal digits.
	ObjectIDLength = 24
	// MaxNameLength bounds the name of a token, an application or an
	// instance, in characters (at least 1).
	MaxNameLength = 255
	// MaxDescriptionLength bounds a token's description, in characters.
	MaxDescriptionLength = 32767
	// MaxApplicationDescriptionLength bounds an application's
	// description, in characters.
	MaxApplicationDescriptionLength = 1024
	// MaxOrgRoles bounds a token's orgRoles.
	MaxOrgRoles = 25
	// MaxResourceRoles bounds an org role's applicationRoles and its
	// dashboardRoles, each.
	MaxResourceRoles = 100
)

// ObjectIDProblem says what keeps id from being an ObjectId (24
// hexadecimal digits), without quoting it, since a caller who swapped
// arguments may have passed a secret; empty when it is one.
func ObjectIDProblem(id string) string {
	for i := 0; i < len(id); i++ {
		c := id[i]
		if !('0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F') {
			return fmt.Sprintf("byte %d is not a hexadecimal digit; want %d of them", i, ObjectIDLength)
		}
	}
	if len(id) != ObjectIDLength {
		return fmt.Sprintf("%d hexadecimal digits, want %d", len(id), ObjectIDLength)
	}
	return ""
}
