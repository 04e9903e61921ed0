// Package limits holds the limits of api/openapi.yaml's schemas that both
// the client (package losant, before it sends) and the fake (package
// losanttest, on what it stores) check, defined once. api's tests hold
// them equal to the spec.
package limits

const (
	// ObjectIDLength is the length of an ObjectId: hexadecimal digits.
	ObjectIDLength = 24
	// MaxNameLength bounds a token's name, in characters (at least 1).
	MaxNameLength = 255
	// MaxDescriptionLength bounds a token's description, in characters.
	MaxDescriptionLength = 32767
	// MaxOrgRoles bounds a token's orgRoles.
	MaxOrgRoles = 25
	// MaxResourceRoles bounds an org role's applicationRoles and its
	// dashboardRoles, each.
	MaxResourceRoles = 100
)
