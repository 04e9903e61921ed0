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

// Get retrieves an application's API token.
func (s *ApplicationAPITokenService) Get(ctx context.Context, applicationID, apiTokenID string, opts ...CallOption) (*APIToken, error) {
	domain, err := s.client.prepare(ctx, opts, "applicationId", applicationID, "apiTokenId", apiTokenID)
	if err != nil {
		return nil, err
	}
	var params *gen.GetApplicationAPITokenParams // nil without a domain: no empty query to build
	if domain != nil {
		params = &gen.GetApplicationAPITokenParams{Losantdomain: domain}
	}
	return decode[APIToken](s.client.api.GetApplicationAPIToken(ctx, applicationID, apiTokenID, params))
}

// Patch changes the fields of an application's API token that patch sets,
// and returns the token as updated.
func (s *ApplicationAPITokenService) Patch(ctx context.Context, applicationID, apiTokenID string, patch APITokenPatch, opts ...CallOption) (*APIToken, error) {
	domain, err := s.client.prepare(ctx, opts, "applicationId", applicationID, "apiTokenId", apiTokenID)
	if err != nil {
		return nil, err
	}
	if err := checkPatch(patch); err != nil {
		return nil, err
	}
	var params *gen.PatchApplicationAPITokenParams // nil without a domain: no empty query to build
	if domain != nil {
		params = &gen.PatchApplicationAPITokenParams{Losantdomain: domain}
	}
	return decode[APIToken](s.client.api.PatchApplicationAPIToken(ctx, applicationID, apiTokenID, params, patch))
}

// Delete deletes an application's API token.
func (s *ApplicationAPITokenService) Delete(ctx context.Context, applicationID, apiTokenID string, opts ...CallOption) error {
	domain, err := s.client.prepare(ctx, opts, "applicationId", applicationID, "apiTokenId", apiTokenID)
	if err != nil {
		return err
	}
	var params *gen.DeleteApplicationAPITokenParams // nil without a domain: no empty query to build
	if domain != nil {
		params = &gen.DeleteApplicationAPITokenParams{Losantdomain: domain}
	}
	return decodeSuccess(s.client.api.DeleteApplicationAPIToken(ctx, applicationID, apiTokenID, params))
}

// List returns one page of an application's API tokens, as opts selects.
func (s *ApplicationAPITokenService) List(ctx context.Context, applicationID string, opts ListOptions, callOpts ...CallOption) (*APITokens, error) {
	domain, err := s.client.prepare(ctx, callOpts, "applicationId", applicationID)
	if err != nil {
		return nil, err
	}
	q, err := opts.check()
	if err != nil {
		return nil, err
	}
	params := &gen.ListApplicationAPITokensParams{
		SortField: q.sortField, SortDirection: q.sortDirection, Page: q.page, PerPage: q.perPage,
		FilterField: q.filterField, Filter: q.filter, Losantdomain: domain,
	}
	return decode[APITokens](s.client.api.ListApplicationAPITokens(ctx, applicationID, params))
}

// All iterates over every API token of an application that opts selects,
// page after page from opts.Page. It stops after the last page, at the
// first error (yielded with a nil token) and when ctx is done.
//
//	for token, err := range client.ApplicationAPIToken.All(ctx, appID, losant.ListOptions{}) {
//		if err != nil { ... }
//	}
func (s *ApplicationAPITokenService) All(ctx context.Context, applicationID string, opts ListOptions, callOpts ...CallOption) iter.Seq2[*APIToken, error] {
	return pages(ctx, opts, func(ctx context.Context, o ListOptions) (*APITokens, error) {
		return s.List(ctx, applicationID, o, callOpts...)
	})
}

// Create creates an API token for an application. The token returned is
// the only one that carries the secret, in its Token field.
func (s *ApplicationAPITokenService) Create(ctx context.Context, applicationID string, token ApplicationAPITokenPost, opts ...CallOption) (*APIToken, error) {
	domain, err := s.client.prepare(ctx, opts, "applicationId", applicationID)
	if err != nil {
		return nil, err
	}
	if err := checkPost(token.Name, token.Description, token.Status, token.Scope); err != nil {
		return nil, err
	}
	var params *gen.CreateApplicationAPITokenParams // nil without a domain: no empty query to build
	if domain != nil {
		params = &gen.CreateApplicationAPITokenParams{Losantdomain: domain}
	}
	return decode[APIToken](s.client.api.CreateApplicationAPIToken(ctx, applicationID, params, token))
}
