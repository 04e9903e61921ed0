package losanttest

import (
	"cmp"
	"context"
	"fmt"
	"net/http"
	"slices"
	"strings"

	"github.com/specdriven/losant"
	"github.com/specdriven/losant/gen/server"
)

// listQuery is a list action's query fields, defaults filled in.
type listQuery struct {
	sortField     server.APITokenSortField
	sortDirection server.SortDirection
	page, perPage int
	filterField   server.APITokenFilterField
	filter        string
}

// newListQuery fills in the spec's defaults for the fields not given, and
// refuses a filter over MaxFilterLength.
func newListQuery(sortField *server.SortField, dir *server.SortDirection, page, perPage *int, filterField *server.FilterField, filter *string) (listQuery, *failure) {
	if filter != nil && len(*filter) > MaxFilterLength {
		return listQuery{}, fail(http.StatusBadRequest, "Validation",
			fmt.Sprintf("query parameter \"filter\": %d bytes, over the fake's limit of %d", len(*filter), MaxFilterLength))
	}
	return listQuery{
		sortField:     valueOr(sortField, server.APITokenSortFieldName),
		sortDirection: valueOr(dir, server.SortDirectionAsc),
		page:          valueOr(page, 0),
		perPage:       valueOr(perPage, 100),
		filterField:   valueOr(filterField, server.APITokenFilterFieldName),
		filter:        valueOr(filter, ""),
	}, nil
}

// apply filters, sorts and pages tokens as the API does, and reports the
// page with the query it answered.
func (q listQuery) apply(tokens []server.APIToken) server.APITokens {
	if q.filter != "" {
		glob := newGlob(q.filter)
		tokens = slices.DeleteFunc(tokens, func(t server.APIToken) bool {
			field := deref(t.Name)
			if q.filterField == server.APITokenFilterFieldStatus {
				field = string(deref(t.Status))
			}
			return !glob.match(field)
		})
	}
	slices.SortStableFunc(tokens, func(a, b server.APIToken) int {
		// Ties go in creation order, as with the real API's time-ordered IDs.
		c := cmp.Or(compareField(q.sortField, a, b),
			deref(a.CreationDate).Compare(deref(b.CreationDate)), strings.Compare(deref(a.ID), deref(b.ID)))
		if q.sortDirection == server.SortDirectionDesc {
			return -c
		}
		return c
	})
	total := len(tokens)
	start := total // a page past the last is empty
	if q.page < (total+q.perPage-1)/q.perPage {
		start = q.page * q.perPage // under total+perPage: no overflow
	}
	items := tokens[start : start+min(q.perPage, total-start)]
	if items == nil {
		items = []server.APIToken{}
	}
	count := len(items)
	page := server.APITokens{
		Items: items, Count: &count, TotalCount: &total, Page: &q.page, PerPage: &q.perPage,
		SortField: ptr(string(q.sortField)), SortDirection: ptr(server.APITokensSortDirection(q.sortDirection)),
	}
	if q.filter != "" {
		page.Filter, page.FilterField = &q.filter, ptr(string(q.filterField))
	}
	return page
}

func compareField(field server.APITokenSortField, a, b server.APIToken) int {
	switch field {
	case server.APITokenSortFieldStatus:
		return strings.Compare(string(deref(a.Status)), string(deref(b.Status)))
	case server.APITokenSortFieldID:
		return strings.Compare(deref(a.ID), deref(b.ID))
	case server.APITokenSortFieldCreationDate:
		return deref(a.CreationDate).Compare(deref(b.CreationDate))
	case server.APITokenSortFieldLastUpdated:
		return deref(a.LastUpdated).Compare(deref(b.LastUpdated))
	case server.APITokenSortFieldExpirationDate:
		return deref(a.ExpirationDate).Compare(deref(b.ExpirationDate))
	default:
		return strings.Compare(deref(a.Name), deref(b.Name))
	}
}

// MaxFilterLength bounds a list's filter, in bytes; a longer one is
// answered 400.
const MaxFilterLength = 1024

// glob matches a whole value against a filter in which "*" stands for any
// run of characters, ignoring case. It takes time linear in the value and
// the filter, however many stars: the literal parts between stars are
// found left to right, each at its first place, which is all a "*"-only
// pattern needs (no backtracking).
type glob struct {
	parts []string // the filter split at its stars, lower-cased
}

func newGlob(filter string) glob {
	return glob{parts: strings.Split(strings.ToLower(filter), "*")}
}

func (g glob) match(value string) bool {
	value = strings.ToLower(value)
	first, last := g.parts[0], g.parts[len(g.parts)-1]
	if len(g.parts) == 1 {
		return value == first
	}
	if !strings.HasPrefix(value, first) {
		return false
	}
	value = value[len(first):]
	for _, part := range g.parts[1 : len(g.parts)-1] {
		i := strings.Index(value, part)
		if i < 0 {
			return false
		}
		value = value[i+len(part):]
	}
	return len(value) >= len(last) && strings.HasSuffix(value, last)
}

// valueOr is *p, or fallback when p is nil.
func valueOr[T any](p *T, fallback T) T {
	if p == nil {
		return fallback
	}
	return *p
}

// deref is *p, or the zero value when p is nil.
func deref[T any](p *T) T {
	var zero T
	return valueOr(p, zero)
}

func ptr[T any](v T) *T { return &v }

// create adds a token for the owner, made by the caller, and returns it
// with its secret: the only answer that carries it.
func (h handlers) create(caller server.APIToken, ownerType losant.APITokenOwnerType, ownerID string, b *server.APITokenPost) (server.APIToken, *failure) {
	t := Token{Name: b.Name, OwnerType: ownerType, OwnerID: ownerID, Scope: b.Scope, Description: deref(b.Description), ExpirationDate: b.ExpirationDate}
	if b.Status != nil {
		t.Status = losant.APITokenStatus(*b.Status)
	}
	created, err := h.store.addToken(t)
	if err != nil {
		return server.APIToken{}, fail(http.StatusBadRequest, "Validation", err.Error())
	}
	tok, err := h.store.update(server.APITokenOwnerType(ownerType), ownerID, created.ID, func(t *server.APIToken) bool {
		t.CreatorID, t.CreatorType = caller.ID, ptr(server.APITokenCreatorTypeAPIToken)
		t.DefaultRole, t.OrgRoles = b.DefaultRole, cloneOrgRoles(b.OrgRoles)
		return true
	})
	if err != nil {
		return tok, fail(http.StatusInternalServerError, "InternalError", err.Error())
	}
	tok.Token = &created.Secret
	return tok, nil
}

// applicationCaller is the caller, if it may act on the application.
func (h handlers) applicationCaller(ctx context.Context, appID string) (server.APIToken, *failure) {
	caller, err := callerFrom(ctx)
	if err != nil {
		return caller, fail(http.StatusInternalServerError, "InternalError", err.Error())
	}
	if !h.store.canReachApplication(caller, appID) {
		return caller, appNotFound
	}
	return caller, nil
}

// userCaller is the caller, if it is a user's token.
func (h handlers) userCaller(ctx context.Context) (server.APIToken, *failure) {
	caller, err := callerFrom(ctx)
	if err != nil {
		return caller, fail(http.StatusInternalServerError, "InternalError", err.Error())
	}
	if *caller.OwnerType != server.APITokenOwnerTypeUser {
		return caller, notAUser
	}
	return caller, nil
}

// ListApplicationAPITokens serves listApplicationApiTokens.
func (h handlers) ListApplicationAPITokens(ctx context.Context, req server.ListApplicationAPITokensRequestObject) (server.ListApplicationAPITokensResponseObject, error) {
	_, f := h.applicationCaller(ctx, req.ApplicationID)
	p := req.Params
	q, bad := newListQuery(p.SortField, p.SortDirection, p.Page, p.PerPage, p.FilterField, p.Filter)
	if f = cmp.Or(f, bad); f != nil {
		return server.ListApplicationAPITokensdefaultJSONResponse{StatusCode: f.status, Body: f.body}, nil
	}
	page := q.apply(h.store.owned(losant.APITokenOwnerTypeApplication, req.ApplicationID))
	page.OwnerID, page.OwnerType = &req.ApplicationID, ptr(server.APITokensOwnerTypeApplication)
	return server.ListApplicationAPITokens200JSONResponse(page), nil
}

// CreateApplicationAPIToken serves createApplicationApiToken.
func (h handlers) CreateApplicationAPIToken(ctx context.Context, req server.CreateApplicationAPITokenRequestObject) (server.CreateApplicationAPITokenResponseObject, error) {
	caller, f := h.applicationCaller(ctx, req.ApplicationID)
	if f == nil {
		b := req.Body
		var tok server.APIToken
		if tok, f = h.create(caller, losant.APITokenOwnerTypeApplication, req.ApplicationID, b); f == nil {
			return server.CreateApplicationAPIToken201JSONResponse(tok), nil
		}
	}
	return server.CreateApplicationAPITokendefaultJSONResponse{StatusCode: f.status, Body: f.body}, nil
}

// ListUserAPITokens serves listUserApiTokens.
func (h handlers) ListUserAPITokens(ctx context.Context, req server.ListUserAPITokensRequestObject) (server.ListUserAPITokensResponseObject, error) {
	caller, f := h.userCaller(ctx)
	p := req.Params
	q, bad := newListQuery(p.SortField, p.SortDirection, p.Page, p.PerPage, p.FilterField, p.Filter)
	if f = cmp.Or(f, bad); f != nil {
		return server.ListUserAPITokensdefaultJSONResponse{StatusCode: f.status, Body: f.body}, nil
	}
	page := q.apply(h.store.owned(losant.APITokenOwnerTypeUser, *caller.OwnerID))
	page.OwnerID, page.OwnerType = caller.OwnerID, ptr(server.APITokensOwnerTypeUser)
	return server.ListUserAPITokens200JSONResponse(page), nil
}

// CreateUserAPIToken serves createUserApiToken.
func (h handlers) CreateUserAPIToken(ctx context.Context, req server.CreateUserAPITokenRequestObject) (server.CreateUserAPITokenResponseObject, error) {
	caller, f := h.userCaller(ctx)
	if f == nil {
		b := req.Body
		var tok server.APIToken
		if tok, f = h.create(caller, losant.APITokenOwnerTypeUser, *caller.OwnerID, b); f == nil {
			return server.CreateUserAPIToken201JSONResponse(tok), nil
		}
	}
	return server.CreateUserAPITokendefaultJSONResponse{StatusCode: f.status, Body: f.body}, nil
}
