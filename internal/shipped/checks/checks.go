// Package checks holds what the client checks before it sends anything:
// IDs, request bodies against the spec's schemas, the path of a request
// built elsewhere. A refusal is a *Problem naming the field, never quoting
// the value, which a caller may have swapped with a secret.
package checks

import (
	"fmt"
	"net/url"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/specdriven/losant/gen"
	"github.com/specdriven/losant/internal/shipped/limits"
	"github.com/specdriven/losant/internal/shipped/terminal"
)

// Problem is a refused argument: the field it is in and why.
type Problem struct{ Field, Reason string }

func (p *Problem) Error() string { return p.Field + ": " + p.Reason }

func invalid(field, format string, args ...any) error {
	return &Problem{Field: field, Reason: fmt.Sprintf(format, args...)}
}

// The limits of api/openapi.yaml's schemas, checked on the client so that
// a bad call fails at once with the field's name; the fake checks the same.
const (
	objectIDLength       = limits.ObjectIDLength
	maxNameLength        = limits.MaxNameLength
	maxDescriptionLength = limits.MaxDescriptionLength
	maxOrgRoles          = limits.MaxOrgRoles
	maxResourceRoles     = limits.MaxResourceRoles
)

// ObjectID checks a path ID against the spec's ObjectId pattern
// ^[A-Fa-f\d]{24}$, so that no ID can change which path a request goes to
// ("..", "%2F", "?", "/"). It says what is wrong without quoting the ID: a
// caller who swapped arguments may have passed a secret.
func ObjectID(field, id string) error {
	if problem := limits.ObjectIDProblem(id); problem != "" {
		return invalid(field, "%s", problem)
	}
	return nil
}

// Patch checks a patch body against the ApiTokenPatch schema. Lengths
// are in characters, as JSON Schema counts them.
func Patch(p gen.APITokenPatch) error {
	if p.Name != nil {
		if n := utf8.RuneCountInString(*p.Name); n < 1 || n > maxNameLength {
			return invalid("name", "%d characters, want 1 to %d", n, maxNameLength)
		}
	}
	if p.Description != nil {
		if n := utf8.RuneCountInString(*p.Description); n > maxDescriptionLength {
			return invalid("description", "%d characters, want at most %d", n, maxDescriptionLength)
		}
	}
	if p.Status != nil && !slices.Contains(tokenStatuses, *p.Status) {
		return invalid("status", "%s, want one of %v", terminal.Quote(string(*p.Status)), tokenStatuses)
	}
	var orgRoles []gen.APITokenOrgRole
	if p.OrgRoles != nil {
		orgRoles = *p.OrgRoles
	}
	return roles(p.DefaultRole, orgRoles)
}

// The values the spec's enums allow, read once from the lists generated
// from it.
var (
	tokenRoles    = gen.APITokenRoleValues()
	resourceRoles = gen.APITokenResourceAccessValues()
	tokenStatuses = gen.APITokenStatusValues()
)

// sandboxOrgID is the OrgID of an org role in the sandbox.
const sandboxOrgID = "sandbox"

// roles checks defaultRole and orgRoles against the spec's
// ApiTokenRole and ApiTokenOrgRoles; an error names the field by its place
// ("orgRoles[2].applicationRoles[0].role").
func roles(defaultRole *gen.APITokenRole, orgRoles []gen.APITokenOrgRole) error {
	if defaultRole != nil && !slices.Contains(tokenRoles, *defaultRole) {
		return invalid("defaultRole", "%s, want one of %v", terminal.Quote(string(*defaultRole)), tokenRoles)
	}
	if len(orgRoles) > maxOrgRoles {
		return invalid("orgRoles", "%d organizations, want at most %d", len(orgRoles), maxOrgRoles)
	}
	for i, org := range orgRoles {
		field := fmt.Sprintf("orgRoles[%d]", i)
		if org.OrgID != sandboxOrgID {
			if err := ObjectID(field+".orgId", org.OrgID); err != nil {
				return invalid(field+".orgId", "want %q or %d hexadecimal digits", sandboxOrgID, objectIDLength)
			}
		}
		if !slices.Contains(tokenRoles, org.Role) {
			return invalid(field+".role", "%s, want one of %v", terminal.Quote(string(org.Role)), tokenRoles)
		}
		if err := resourceRolesOf(field+".applicationRoles", org.ApplicationRoles); err != nil {
			return err
		}
		if err := resourceRolesOf(field+".dashboardRoles", org.DashboardRoles); err != nil {
			return err
		}
	}
	return nil
}

func resourceRolesOf(field string, roles []gen.APITokenResourceRole) error {
	if len(roles) > maxResourceRoles {
		return invalid(field, "%d roles, want at most %d", len(roles), maxResourceRoles)
	}
	for i, r := range roles {
		at := fmt.Sprintf("%s[%d]", field, i)
		if err := ObjectID(at+".resourceId", r.ResourceID); err != nil {
			return err
		}
		if !slices.Contains(resourceRoles, r.Role) {
			return invalid(at+".role", "%s, want one of %v", terminal.Quote(string(r.Role)), resourceRoles)
		}
	}
	return nil
}

// Post checks a create body against the spec's ApiTokenPost schema,
// but for the scope names: a scope a newer API adds must not need a new
// release of this client.
func Post(body gen.APITokenPost) error {
	patch := gen.APITokenPatch{Name: &body.Name, Description: body.Description, Status: body.Status, DefaultRole: body.DefaultRole}
	if body.OrgRoles != nil {
		patch.OrgRoles = &body.OrgRoles
	}
	if err := Patch(patch); err != nil {
		return err
	}
	if body.ExpirationDate != nil && !body.ExpirationDate.After(time.Now()) {
		return invalid("expirationDate", "%s has passed: the token would never work", body.ExpirationDate.UTC().Format(time.RFC3339))
	}
	scope := body.Scope
	for i, s := range scope {
		if slices.Contains(scope[:i], s) {
			return invalid("scope", "%s is listed twice", terminal.Quote(s))
		}
	}
	return nil
}

// IndexControl returns the index of the first ASCII control character in
// s, or -1.
func IndexControl(s string) int {
	for i := 0; i < len(s); i++ {
		if s[i] < 0x20 || s[i] == 0x7f {
			return i
		}
	}
	return -1
}

// segments refuses an escaped request path (no query) that a server
// or a gateway in front of it could read as leaving the place it names: a
// segment that is "." or "..", as sent or escaped, or before a ";"
// parameter ("..;", which Tomcat and some gateways read as ".."); a
// backslash, as sent or escaped, which some read as "/"; an escaped slash;
// a control character; an escape that is not one. Its errors never quote
// the path, which a caller may have built from a secret by mistake.
func segments(escapedPath string) error {
	if IndexControl(escapedPath) >= 0 {
		return invalid("path", "a control character cannot be sent")
	}
	for segment := range strings.SplitSeq(escapedPath, "/") {
		unescaped, err := url.PathUnescape(segment)
		if err != nil {
			return invalid("path", "a segment is not escaped properly")
		}
		head, _, _ := strings.Cut(unescaped, ";")
		switch {
		case head == "." || head == "..":
			return invalid("path", "a segment is %q or %q (or one before a ';'), which would leave the base URL", ".", "..")
		case strings.ContainsAny(unescaped, `/\`):
			return invalid("path", "a segment holds an escaped slash or a backslash")
		case IndexControl(unescaped) >= 0:
			return invalid("path", "a segment holds an escaped control character")
		}
	}
	return nil
}

// Route names a request for telemetry as specifically as a request that
// no spec describes allows: its method and its path under the base URL,
// each ID in it (an ObjectId) as {id}, so that calls to one endpoint share
// one name ("GET /applications/{id}/devices").
func Route(method, path string) string {
	var b strings.Builder
	b.Grow(len(method) + 1 + len(path))
	b.WriteString(method)
	b.WriteByte(' ')
	rest, first := strings.TrimPrefix(path, "/"), true
	for {
		segment, more, found := strings.Cut(rest, "/")
		b.WriteByte('/')
		if !first && limits.IsObjectID(segment) {
			b.WriteString("{id}")
		} else {
			b.WriteString(segment)
		}
		if !found {
			return b.String()
		}
		rest, first = more, false
	}
}
