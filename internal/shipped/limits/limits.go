// Package limits holds the limits of api/openapi.yaml's schemas that both
// the client (package losant, before it sends) and the fake (package
// losanttest, on what it stores) check, defined once. api's tests hold
// them equal to the spec.
package limits

import (
	"fmt"
	"slices"
	"strings"
)

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

// IsObjectID reports whether s is an ObjectId, with no allocation: for
// checks on a hot path that need no reason.
func IsObjectID(s string) bool {
	if len(s) != ObjectIDLength {
		return false
	}
	for i := 0; i < len(s); i++ {
		if c := s[i]; !('0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F') {
			return false
		}
	}
	return true
}

// ObjectIDProblem says what keeps id from being an ObjectId (24
// hexadecimal digits), without quoting it, since a caller who swapped
// arguments may have passed a secret; empty when it is one.
func ObjectIDProblem(id string) string {
	if IsObjectID(id) {
		return ""
	}
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

// HostnameProblem says why s is not a host name of two labels or more, as
// a losantdomain must be (RFC 1123: letters, digits and inner hyphens, 63
// bytes a label, 253 in all, a top-level label of letters or xn--), or why
// it could be a token pasted in its place; empty when it is one. It never
// quotes s: what is not a host name may be a secret.
func HostnameProblem(s string) string {
	labels := strings.Split(s, ".")
	if slices.ContainsFunc(labels, tokenShaped) { // said first: the likeliest mistake, and the worst
		return "shaped like a token"
	}
	switch {
	case strings.Contains(s, ":"):
		return "a port or an address: want the host name alone"
	case strings.HasSuffix(s, "."):
		return "a trailing dot: want the host name without it"
	case len(s) > 253:
		return "over 253 characters"
	case len(labels) < 2:
		return "a single label: want a domain name with a dot"
	case !isTopLevelLabel(labels[len(labels)-1]):
		return "its last label is not a top-level domain (letters, or xn--)"
	}
	for i, label := range labels {
		switch {
		case label == "" || len(label) > 63:
			return fmt.Sprintf("label %d is empty or over 63 characters", i+1)
		case strings.Trim(strings.ToLower(label), "abcdefghijklmnopqrstuvwxyz0123456789-") != "":
			return fmt.Sprintf("label %d holds a character a host name cannot", i+1)
		case label[0] == '-' || label[len(label)-1] == '-':
			return fmt.Sprintf("label %d begins or ends with a hyphen", i+1)
		}
	}
	return ""
}

// isTopLevelLabel reports whether a host name's last label can be a
// top-level domain: letters, or an internationalised one (xn--).
func isTopLevelLabel(s string) bool {
	if strings.HasPrefix(strings.ToLower(s), "xn--") {
		return true
	}
	return s != "" && strings.Trim(strings.ToLower(s), "abcdefghijklmnopqrstuvwxyz") == ""
}

// TokenShaped reports whether any part of s between dots, slashes and
// colons (a host name's labels, a path's segments) looks like part of a
// token: a value that is no name but a secret pasted in its place.
func TokenShaped(s string) bool {
	return slices.ContainsFunc(strings.FieldsFunc(s, func(r rune) bool { return r == '.' || r == '/' || r == ':' }), tokenShaped)
}

// tokenShaped reports whether a host name's label looks like part of a
// token rather than a name: a JWT's header ("eyJ", the base64 of `{"`),
// or a long run mixing upper- and lower-case letters and digits, as
// base64 does and names do not.
func tokenShaped(label string) bool {
	if strings.HasPrefix(label, "eyJ") {
		return true
	}
	return len(label) >= 16 && strings.ContainsAny(label, "ABCDEFGHIJKLMNOPQRSTUVWXYZ") &&
		strings.ContainsAny(label, "abcdefghijklmnopqrstuvwxyz") && strings.ContainsAny(label, "0123456789")
}
