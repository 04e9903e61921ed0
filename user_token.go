package losant

import (
	"context"

	"github.com/specdriven/losant/gen"
)

// UserAPITokenService acts on one API token of the authenticated user
// (/me/tokens): the API's User API Token resource.
type UserAPITokenService struct {
	client *Client
}

// Get retrieves one of the user's API tokens.
func (s *UserAPITokenService) Get(ctx context.Context, apiTokenID string, opts ...CallOption) (*APIToken, error) {
	domain, err := s.client.prepare(ctx, opts, "apiTokenId", apiTokenID)
	if err != nil {
		return nil, err
	}
	params := &gen.GetUserAPITokenParams{Losantdomain: domain}
	return decode[APIToken](s.client.api.GetUserAPIToken(ctx, apiTokenID, params))
}

// Patch changes the fields of one of the user's API tokens that patch sets,
// and returns the token as updated.
func (s *UserAPITokenService) Patch(ctx context.Context, apiTokenID string, patch APITokenPatch, opts ...CallOption) (*APIToken, error) {
	domain, err := s.client.prepare(ctx, opts, "apiTokenId", apiTokenID)
	if err != nil {
		return nil, err
	}
	if err := checkPatch(patch); err != nil {
		return nil, err
	}
	params := &gen.PatchUserAPITokenParams{Losantdomain: domain}
	return decode[APIToken](s.client.api.PatchUserAPIToken(ctx, apiTokenID, params, patch))
}

// Delete deletes one of the user's API tokens.
func (s *UserAPITokenService) Delete(ctx context.Context, apiTokenID string, opts ...CallOption) error {
	domain, err := s.client.prepare(ctx, opts, "apiTokenId", apiTokenID)
	if err != nil {
		return err
	}
	params := &gen.DeleteUserAPITokenParams{Losantdomain: domain}
	return decodeSuccess(s.client.api.DeleteUserAPIToken(ctx, apiTokenID, params))
}
