package losant

import (
	"fmt"
	"slices"
	"time"
	"unicode/utf8"

	"github.com/specdriven/losant/gen"
	"github.com/specdriven/losant/internal/shipped/limits"
	"github.com/specdriven/losant/internal/shipped/terminal"
)

// The limits of api/openapi.yaml's schemas, checked on the client so that
// a bad call fails at once with the field's name; the fake checks the same.
const (
	objectIDLength       = limits.ObjectIDLength
	maxNameLength        = limits.MaxNameLength
	maxDescriptionLength = limits.MaxDescriptionLength
	maxOrgRoles          = limits.MaxOrgRoles
	maxResourceRoles     = limits.MaxResourceRoles
)

// checkObjectID checks a path ID against the spec's ObjectId pattern
// ^[A-Fa-f\d]{24}$, so that no ID can change which path a request goes to
// ("..", "%2F", "?", "/"). It says what is wrong without quoting the ID: a
// caller who swapped arguments may have passed a secret.
func checkObjectID(field, id string) error {
	if problem := limits.ObjectIDProblem(id); problem != "" {
		return invalid(field, "%s", problem)
	}
	return nil
}

// checkPatch checks a patch body against the ApiTokenPatch schema. Lengths
// are in characters, as JSON Schema counts them.
func checkPatch(p gen.APITokenPatch) error {
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
	return checkRoles(p.DefaultRole, orgRoles)
}

// The values the spec's enums allow, read once from the lists generated
// from it.
var (
	tokenRoles    = gen.APITokenRoleValues()
	resourceRoles = gen.APITokenResourceAccessValues()
	tokenStatuses = gen.APITokenStatusValues()
	tokenSortBy   = gen.APITokenSortFieldValues()
	tokenFilterBy = gen.APITokenFilterFieldValues()
)

// sandboxOrgID is the OrgID of an org role in the sandbox.
const sandboxOrgID = "sandbox"

// checkRoles checks defaultRole and orgRoles against the spec's
// ApiTokenRole and ApiTokenOrgRoles; an error names the field by its place
// ("orgRoles[2].applicationRoles[0].role").
func checkRoles(defaultRole *gen.APITokenRole, orgRoles []gen.APITokenOrgRole) error {
	if defaultRole != nil && !slices.Contains(tokenRoles, *defaultRole) {
		return invalid("defaultRole", "%s, want one of %v", terminal.Quote(string(*defaultRole)), tokenRoles)
	}
	if len(orgRoles) > maxOrgRoles {
		return invalid("orgRoles", "%d organizations, want at most %d", len(orgRoles), maxOrgRoles)
	}
	for i, org := range orgRoles {
		field := fmt.Sprintf("orgRoles[%d]", i)
		if org.OrgID != sandboxOrgID {
			if err := checkObjectID(field+".orgId", org.OrgID); err != nil {
				return invalid(field+".orgId", "want %q or %d hexadecimal digits", sandboxOrgID, objectIDLength)
			}
		}
		if !slices.Contains(tokenRoles, org.Role) {
			return invalid(field+".role", "%s, want one of %v", terminal.Quote(string(org.Role)), tokenRoles)
		}
		if err := checkResourceRoles(field+".applicationRoles", org.ApplicationRoles); err != nil {
			return err
		}
		if err := checkResourceRoles(field+".dashboardRoles", org.DashboardRoles); err != nil {
			return err
		}
	}
	return nil
}

func checkResourceRoles(field string, roles []gen.APITokenResourceRole) error {
	if len(roles) > maxResourceRoles {
		return invalid(field, "%d roles, want at most %d", len(roles), maxResourceRoles)
	}
	for i, r := range roles {
		at := fmt.Sprintf("%s[%d]", field, i)
		if err := checkObjectID(at+".resourceId", r.ResourceID); err != nil {
			return err
		}
		if !slices.Contains(resourceRoles, r.Role) {
			return invalid(at+".role", "%s, want one of %v", terminal.Quote(string(r.Role)), resourceRoles)
		}
	}
	return nil
}

// checkPost checks a create body against the spec's ApiTokenPost schema,
// but for the scope names: a scope a newer API adds must not need a new
// release of this client.
func checkPost(body gen.APITokenPost) error {
	patch := gen.APITokenPatch{Name: &body.Name, Description: body.Description, Status: body.Status, DefaultRole: body.DefaultRole}
	if body.OrgRoles != nil {
		patch.OrgRoles = &body.OrgRoles
	}
	if err := checkPatch(patch); err != nil {
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

// indexControl returns the index of the first ASCII control character in
// s, or -1.
func indexControl(s string) int {
	for i := 0; i < len(s); i++ {
		if s[i] < 0x20 || s[i] == 0x7f {
			return i
		}
	}
	return -1
}
