package losant

import (
	"context"
	"errors"
	"iter"
	"net/http"
	"strconv"
	"time"

	"github.com/specdriven/losant/gen"
	"github.com/specdriven/losant/internal/shipped/checks"
	"github.com/specdriven/losant/internal/shipped/wire"
)

// APITokenService acts on the API tokens of one owner: the API's API Token
// (Get, Patch, Delete) and API Tokens (List, Create) resources of that
// owner, and what this package builds on them (All, Expiring).
// Client.APITokens returns it; it is a small value, safe to copy and to use
// concurrently.
type APITokenService struct {
	client *Client
	owner  Owner
}

// APITokens returns the token actions of owner, such as
//
//	client.APITokens(losant.Application(appID)).Get(ctx, tokenID)
//
// The owner is checked when a call is made: an owner ID that is not one
// fails the call with ErrInvalidArgument before anything is sent.
func (c *Client) APITokens(owner Owner) APITokenService {
	return APITokenService{client: c, owner: owner}
}

// Owner is the owner the service acts for.
func (s APITokenService) Owner() Owner { return s.owner }

// Get retrieves one of the owner's API tokens.
func (s APITokenService) Get(ctx context.Context, apiTokenID string, opts ...CallOption) (*gen.APIToken, error) {
	call, err := s.prepare(ctx, opts, apiTokenID)
	if err != nil {
		return nil, err
	}
	params := call.params // not call itself: a closure that held it would move it to the heap
	return decode[gen.APIToken](s.client.doOperation(ctx, call, s.owner.ops.IDs.Get, func(ctx context.Context) (*http.Request, error) {
		return s.owner.ops.Get(s.client.requests, ctx, s.owner.id, apiTokenID, params)
	}))
}

// Patch changes the fields of one of the owner's API tokens that patch
// sets, and returns the token as updated.
func (s APITokenService) Patch(ctx context.Context, apiTokenID string, patch gen.APITokenPatch, opts ...CallOption) (*gen.APIToken, error) {
	call, err := s.prepare(ctx, opts, apiTokenID)
	if err != nil {
		return nil, err
	}
	if err := argumentError(checks.Patch(patch)); err != nil {
		return nil, err
	}
	params := call.params
	return decode[gen.APIToken](s.client.doOperation(ctx, call, s.owner.ops.IDs.Patch, func(ctx context.Context) (*http.Request, error) {
		return s.owner.ops.Patch(s.client.requests, ctx, s.owner.id, apiTokenID, params, patch)
	}))
}

// Delete deletes one of the owner's API tokens. It is idempotent for the
// caller: when an attempt may have deleted the token but its answer was
// lost, and the retry finds no token (404), Delete returns nil. A 404 on
// the first attempt is an error whose StatusCode is 404.
func (s APITokenService) Delete(ctx context.Context, apiTokenID string, opts ...CallOption) error {
	call, err := s.prepare(ctx, opts, apiTokenID)
	if err != nil {
		return err
	}
	params := call.params
	err = decodeSuccess(s.client.doOperation(ctx, call, s.owner.ops.IDs.Delete, func(ctx context.Context) (*http.Request, error) {
		return s.owner.ops.Delete(s.client.requests, ctx, s.owner.id, apiTokenID, params)
	}))
	if StatusCode(err) == http.StatusNotFound && errors.Is(err, ErrMayHaveActed) {
		return nil // an earlier attempt deleted it
	}
	return err
}

// List returns one page of the owner's API tokens, as list selects. Its
// response may be as large as its page needs (4 KiB a token),
// over WithMaxResponseBytes; a PerPage over MaxPerPage is refused before
// anything is sent.
func (s APITokenService) List(ctx context.Context, list APITokenListOptions, opts ...CallOption) (*gen.APITokenPage, error) {
	call, err := s.prepare(ctx, opts)
	if err != nil {
		return nil, err
	}
	fields, err := list.params()
	if err != nil {
		return nil, err
	}
	perPage := list.PerPage
	params := call.params
	if params != nil { // the query WithParams adds is held to the options' checks
		effective, err := s.listQuery(ctx, fields, params)
		if err != nil {
			return nil, err
		}
		perPage = effective.PerPage
	}
	call.maxBody = max(call.maxBody, listResponseLimit(perPage))
	page, err := decode[gen.APITokenPage](s.client.doOperation(ctx, call, s.owner.ops.IDs.List, func(ctx context.Context) (*http.Request, error) {
		return s.owner.ops.List(s.client.requests, ctx, s.owner.id, fields, params)
	}))
	if page != nil {
		page.SortDirection = sortDirection(page.SortDirection)
	}
	return page, err
}

// listQuery builds the query List would send for fields and params (of
// WithParams), and holds it to the checks of APITokenListOptions, so that
// a page size or a sort field the options refuse is refused from params
// too. It returns the options the query amounts to.
func (s APITokenService) listQuery(ctx context.Context, fields *wire.APITokenListParams, params any) (APITokenListOptions, error) {
	req, err := s.owner.ops.List(s.client.requests, ctx, s.owner.id, fields, params)
	if err != nil {
		if errors.Is(err, wire.ErrParamsType) {
			return APITokenListOptions{}, invalid("WithParams", "%v", err)
		}
		return APITokenListOptions{}, err
	}
	q := req.URL.Query()
	o := APITokenListOptions{
		SortField: gen.APITokenSortField(q.Get("sortField")), SortDirection: gen.SortDirection(q.Get("sortDirection")),
		FilterField: gen.APITokenFilterField(q.Get("filterField")), Filter: q.Get("filter"),
	}
	for name, into := range map[string]*int{"page": &o.Page, "perPage": &o.PerPage} {
		if v := q.Get(name); v != "" {
			n, err := strconv.Atoi(v)
			if err != nil {
				return APITokenListOptions{}, invalid(name, "not a number")
			}
			*into = n
		}
	}
	if _, err := o.params(); err != nil {
		return APITokenListOptions{}, err
	}
	return o, nil
}

// All iterates over every API token of the owner that list selects, page
// after page from list.Page, each token once, even while others make or
// delete tokens (each read overlaps the one before, within list.PerPage);
// without a SortField it orders them by ID. A PerPage under MinAllPerPage
// yields an *ArgumentError. It stops after the last page, at the first
// error (yielded with a nil token), when ctx is done, or with
// ErrEndlessPages; each range starts again. docs/GUIDE.md ("Lists, pages
// and models") says how, and what the overlap costs.
func (s APITokenService) All(ctx context.Context, list APITokenListOptions, opts ...CallOption) iter.Seq2[*gen.APIToken, error] {
	if list.SortField == "" {
		list.SortField = gen.APITokenSortFieldID // unique: no ties for pages to split differently
	}
	return everyPage(ctx, "API tokens", pageRequest{Page: list.Page, PerPage: list.PerPage}, s.client.maxPages, tokenID,
		func(ctx context.Context, r pageRequest) ([]gen.APIToken, int, int, error) {
			o := list
			o.Page, o.PerPage = r.Page, r.PerPage
			page, err := s.List(ctx, o, opts...)
			if err != nil {
				return nil, 0, 0, err
			}
			return page.Items, page.PerPage, page.TotalCount, nil
		})
}

func tokenID(t *gen.APIToken) string { return t.ID }

// Expiring iterates over the owner's API tokens that expire before the
// given time, or already have (a token that never expires is not one),
// inactive ones included, in list's order, every page. It is built on
// All, and stops as it does.
//
//	soon := time.Now().AddDate(0, 0, 14)
//	for token, err := range client.APITokens(losant.User()).Expiring(ctx, soon, losant.APITokenListOptions{}) { ... }
func (s APITokenService) Expiring(ctx context.Context, before time.Time, list APITokenListOptions, opts ...CallOption) iter.Seq2[*gen.APIToken, error] {
	return expiringBefore(s.All(ctx, list, opts...), before)
}

// Create creates an API token for the owner. The token returned is the
// only one that carries the secret, in its Token field.
func (s APITokenService) Create(ctx context.Context, body gen.APITokenPost, opts ...CallOption) (*gen.APIToken, error) {
	call, err := s.prepare(ctx, opts)
	if err != nil {
		return nil, err
	}
	if err := argumentError(checks.Post(body)); err != nil {
		return nil, err
	}
	params := call.params
	return decode[gen.APIToken](s.client.doOperation(ctx, call, s.owner.ops.IDs.Create, func(ctx context.Context) (*http.Request, error) {
		return s.owner.ops.Create(s.client.requests, ctx, s.owner.id, params, body)
	}))
}

// prepare checks a call before anything is sent: its context, its owner,
// its token ID if it names one, and its options. It returns what the
// options ask of the request.
func (s APITokenService) prepare(ctx context.Context, opts []CallOption, apiTokenID ...string) (callSettings, error) {
	call, err := s.client.callSettings(opts) // first: a Client NewClient did not make is refused before all
	if err != nil {
		return callSettings{}, err
	}
	if ctx == nil {
		return callSettings{}, invalid("context", "nil")
	}
	if err := s.owner.check(); err != nil {
		return callSettings{}, err
	}
	for _, id := range apiTokenID {
		if err := argumentError(checks.ObjectID("apiTokenId", id)); err != nil {
			return callSettings{}, err
		}
	}
	return call, nil
}

// expiringBefore keeps the tokens of all whose expiration date is before
// the given time, the already expired included; a token that never
// expires is never kept.
func expiringBefore(all iter.Seq2[*gen.APIToken, error], before time.Time) iter.Seq2[*gen.APIToken, error] {
	return func(yield func(*gen.APIToken, error) bool) {
		for token, err := range all {
			if err != nil {
				yield(nil, err)
				return
			}
			if token.ExpirationDate != nil && token.ExpirationDate.Before(before) && !yield(token, nil) {
				return
			}
		}
	}
}
