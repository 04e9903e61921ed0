package losant

import (
	"context"
	"iter"

	"github.com/specdriven/losant/gen"
)

// UserAPITokenService acts on the API tokens of the authenticated user
// (/me/tokens): the API's User API Token (Get, Patch, Delete) and User API
// Tokens (List, Create) resources.
type UserAPITokenService struct {
	client *Client
}

// Get retrieves one of the user's API tokens.
func (s *UserAPITokenService) Get(ctx context.Context, apiTokenID string, opts ...CallOption) (*APIToken, error) {
	editors, err := s.client.prepare(ctx, opts, pathID{"apiTokenId", apiTokenID})
	if err != nil {
		return nil, err
	}
	req, err := s.client.requests.GetUserAPIToken(ctx, apiTokenID, nil)
	return decode[APIToken](s.client.send(req, err, editors))
}

// Patch changes the fields of one of the user's API tokens that patch sets,
// and returns the token as updated.
func (s *UserAPITokenService) Patch(ctx context.Context, apiTokenID string, patch APITokenPatch, opts ...CallOption) (*APIToken, error) {
	editors, err := s.client.prepare(ctx, opts, pathID{"apiTokenId", apiTokenID})
	if err != nil {
		return nil, err
	}
	if err := checkPatch(patch); err != nil {
		return nil, err
	}
	req, err := s.client.requests.PatchUserAPIToken(ctx, apiTokenID, nil, patch)
	return decode[APIToken](s.client.send(req, err, editors))
}

// Delete deletes one of the user's API tokens.
func (s *UserAPITokenService) Delete(ctx context.Context, apiTokenID string, opts ...CallOption) error {
	editors, err := s.client.prepare(ctx, opts, pathID{"apiTokenId", apiTokenID})
	if err != nil {
		return err
	}
	req, err := s.client.requests.DeleteUserAPIToken(ctx, apiTokenID, nil)
	return decodeSuccess(s.client.send(req, err, editors))
}

// List returns one page of the user's API tokens, as opts selects.
func (s *UserAPITokenService) List(ctx context.Context, opts APITokenListOptions, callOpts ...CallOption) (*APITokens, error) {
	editors, err := s.client.prepare(ctx, callOpts)
	if err != nil {
		return nil, err
	}
	q, err := opts.check()
	if err != nil {
		return nil, err
	}
	params := &gen.ListUserAPITokensParams{
		SortField: q.sortField, SortDirection: q.sortDirection, Page: q.page, PerPage: q.perPage,
		FilterField: q.filterField, Filter: q.filter,
	}
	req, err := s.client.requests.ListUserAPITokens(ctx, params)
	return decode[APITokens](s.client.send(req, err, editors))
}

// All iterates over every API token of the user that opts selects, page
// after page from opts.Page. It stops after the last page, at the first
// error (yielded with a nil token) and when ctx is done; a server whose
// pages do not end is met with ErrEndlessPages. Each range over the
// iterator starts again from opts.Page.
func (s *UserAPITokenService) All(ctx context.Context, opts APITokenListOptions, callOpts ...CallOption) iter.Seq2[*APIToken, error] {
	return pages(ctx, opts, func(ctx context.Context, o APITokenListOptions) (*APITokens, error) {
		return s.List(ctx, o, callOpts...)
	})
}

// Create creates an API token for the user. The token returned is the
// only one that carries the secret, in its Token field.
func (s *UserAPITokenService) Create(ctx context.Context, body APITokenPost, opts ...CallOption) (*APIToken, error) {
	editors, err := s.client.prepare(ctx, opts)
	if err != nil {
		return nil, err
	}
	if err := checkPost(body); err != nil {
		return nil, err
	}
	req, err := s.client.requests.CreateUserAPIToken(ctx, nil, body)
	return decode[APIToken](s.client.send(req, err, editors))
}
