package losant

import (
	"context"
	"iter"

	"github.com/specdriven/losant/gen"
)

// ApplicationAPITokenService acts on the API tokens of an application: the
// API's Application API Token (Get, Patch, Delete) and Application API
// Tokens (List, Create) resources.
type ApplicationAPITokenService struct {
	client *Client
}

func applicationIDs(applicationID, apiTokenID string) []pathID {
	return []pathID{{"applicationId", applicationID}, {"apiTokenId", apiTokenID}}
}

// Get retrieves an application's API token.
func (s *ApplicationAPITokenService) Get(ctx context.Context, applicationID, apiTokenID string, opts ...CallOption) (*APIToken, error) {
	editors, err := s.client.prepare(ctx, opts, applicationIDs(applicationID, apiTokenID)...)
	if err != nil {
		return nil, err
	}
	req, err := s.client.requests.GetApplicationAPIToken(ctx, applicationID, apiTokenID, nil)
	return decode[APIToken](s.client.send(req, err, editors))
}

// Patch changes the fields of an application's API token that patch sets,
// and returns the token as updated.
func (s *ApplicationAPITokenService) Patch(ctx context.Context, applicationID, apiTokenID string, patch APITokenPatch, opts ...CallOption) (*APIToken, error) {
	editors, err := s.client.prepare(ctx, opts, applicationIDs(applicationID, apiTokenID)...)
	if err != nil {
		return nil, err
	}
	if err := checkPatch(patch); err != nil {
		return nil, err
	}
	req, err := s.client.requests.PatchApplicationAPIToken(ctx, applicationID, apiTokenID, nil, patch)
	return decode[APIToken](s.client.send(req, err, editors))
}

// Delete deletes an application's API token.
func (s *ApplicationAPITokenService) Delete(ctx context.Context, applicationID, apiTokenID string, opts ...CallOption) error {
	editors, err := s.client.prepare(ctx, opts, applicationIDs(applicationID, apiTokenID)...)
	if err != nil {
		return err
	}
	req, err := s.client.requests.DeleteApplicationAPIToken(ctx, applicationID, apiTokenID, nil)
	return decodeSuccess(s.client.send(req, err, editors))
}

// List returns one page of an application's API tokens, as opts selects.
func (s *ApplicationAPITokenService) List(ctx context.Context, applicationID string, opts APITokenListOptions, callOpts ...CallOption) (*APITokens, error) {
	editors, err := s.client.prepare(ctx, callOpts, pathID{"applicationId", applicationID})
	if err != nil {
		return nil, err
	}
	q, err := opts.check()
	if err != nil {
		return nil, err
	}
	params := &gen.ListApplicationAPITokensParams{
		SortField: q.sortField, SortDirection: q.sortDirection, Page: q.page, PerPage: q.perPage,
		FilterField: q.filterField, Filter: q.filter,
	}
	req, err := s.client.requests.ListApplicationAPITokens(ctx, applicationID, params)
	return decode[APITokens](s.client.send(req, err, editors))
}

// All iterates over every API token of an application that opts selects,
// page after page from opts.Page. It stops after the last page, at the
// first error (yielded with a nil token) and when ctx is done; a server
// whose pages do not end is met with ErrEndlessPages. Each range over the
// iterator starts again from opts.Page.
//
//	for token, err := range client.ApplicationAPIToken.All(ctx, appID, losant.APITokenListOptions{}) {
//		if err != nil { ... }
//	}
func (s *ApplicationAPITokenService) All(ctx context.Context, applicationID string, opts APITokenListOptions, callOpts ...CallOption) iter.Seq2[*APIToken, error] {
	return pages(ctx, opts, func(ctx context.Context, o APITokenListOptions) (*APITokens, error) {
		return s.List(ctx, applicationID, o, callOpts...)
	})
}

// Create creates an API token for an application. The token returned is
// the only one that carries the secret, in its Token field.
func (s *ApplicationAPITokenService) Create(ctx context.Context, applicationID string, body APITokenPost, opts ...CallOption) (*APIToken, error) {
	editors, err := s.client.prepare(ctx, opts, pathID{"applicationId", applicationID})
	if err != nil {
		return nil, err
	}
	if err := checkPost(body); err != nil {
		return nil, err
	}
	req, err := s.client.requests.CreateApplicationAPIToken(ctx, applicationID, nil, body)
	return decode[APIToken](s.client.send(req, err, editors))
}
