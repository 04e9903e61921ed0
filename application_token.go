package losant

import (
	"context"

	"github.com/specdriven/losant/gen"
)

// ApplicationAPITokenService acts on one API token of an application:
// the API's Application API Token resource.
type ApplicationAPITokenService struct {
	client *Client
}

// Get retrieves an application's API token.
func (s *ApplicationAPITokenService) Get(ctx context.Context, applicationID, apiTokenID string, opts ...CallOption) (*APIToken, error) {
	domain, err := s.client.prepare(ctx, opts, "applicationId", applicationID, "apiTokenId", apiTokenID)
	if err != nil {
		return nil, err
	}
	params := &gen.GetApplicationAPITokenParams{Losantdomain: domain}
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
	params := &gen.PatchApplicationAPITokenParams{Losantdomain: domain}
	return decode[APIToken](s.client.api.PatchApplicationAPIToken(ctx, applicationID, apiTokenID, params, patch))
}

// Delete deletes an application's API token.
func (s *ApplicationAPITokenService) Delete(ctx context.Context, applicationID, apiTokenID string, opts ...CallOption) error {
	domain, err := s.client.prepare(ctx, opts, "applicationId", applicationID, "apiTokenId", apiTokenID)
	if err != nil {
		return err
	}
	params := &gen.DeleteApplicationAPITokenParams{Losantdomain: domain}
	return decodeSuccess(s.client.api.DeleteApplicationAPIToken(ctx, applicationID, apiTokenID, params))
}
