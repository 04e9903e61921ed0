package losanttest

import (
	"context"
	"net/http"

	"github.com/specdriven/losant/gen/server"
)

// handlers implements the strict server interface generated from the spec.
type handlers struct{ store *store }

var _ server.StrictServerInterface = handlers{}

// failure is an Error response an action ends with.
type failure struct {
	status int
	body   server.Error
}

func fail(status int, typ, message string) *failure {
	return &failure{status: status, body: server.Error{Type: &typ, Message: &message}}
}

var (
	appNotFound   = fail(http.StatusNotFound, "NotFound", "Application was not found")
	tokenNotFound = fail(http.StatusNotFound, "NotFound", "API Token was not found")
	notAUser      = fail(http.StatusForbidden, "Forbidden", "Only a user's API token can act on /me")
)

// applicationToken applies fn to an application's token, as the caller.
func (h handlers) applicationToken(ctx context.Context, appID, tokenID string, fn func(*server.APIToken) bool) (server.APIToken, *failure) {
	if caller, f := h.applicationCaller(ctx, appID); f != nil {
		return caller, f
	}
	tok, err := h.store.update(server.APITokenOwnerTypeApplication, appID, tokenID, fn)
	if err != nil {
		return tok, tokenNotFound
	}
	return tok, nil
}

// userToken applies fn to one of the calling user's tokens.
func (h handlers) userToken(ctx context.Context, tokenID string, fn func(*server.APIToken) bool) (server.APIToken, *failure) {
	caller, f := h.userCaller(ctx)
	if f != nil {
		return caller, f
	}
	tok, err := h.store.update(server.APITokenOwnerTypeUser, *caller.OwnerID, tokenID, fn)
	if err != nil {
		return tok, tokenNotFound
	}
	return tok, nil
}

func keep(*server.APIToken) bool { return true }

func remove(*server.APIToken) bool { return false }

// patch returns an update that sets the fields p gives and lastUpdated.
// It replaces pointers and never writes through them: copies handed out
// earlier share them.
func (h handlers) patch(p *server.APITokenPatch) func(*server.APIToken) bool {
	return func(t *server.APIToken) bool {
		if p == nil { // the spec requires a body; the validator has said so
			return true
		}
		if p.Name != nil {
			t.Name = p.Name
		}
		if p.Description != nil {
			t.Description = p.Description
		}
		if p.Status != nil {
			t.Status = p.Status
		}
		if p.DefaultRole != nil {
			t.DefaultRole = p.DefaultRole
		}
		if p.OrgRoles != nil { // an empty list clears them
			t.OrgRoles = cloneOrgRoles(p.OrgRoles)
		}
		now := h.store.now().UTC()
		t.LastUpdated = &now
		return true
	}
}

var deleted = func() server.Success { ok := server.SuccessSuccessTrue; return server.Success{Success: &ok} }()

// GetApplicationAPIToken serves getApplicationApiToken.
func (h handlers) GetApplicationAPIToken(ctx context.Context, req server.GetApplicationAPITokenRequestObject) (server.GetApplicationAPITokenResponseObject, error) {
	tok, f := h.applicationToken(ctx, req.ApplicationID, req.APITokenID, keep)
	if f != nil {
		return server.GetApplicationAPITokendefaultJSONResponse{StatusCode: f.status, Body: f.body}, nil
	}
	return server.GetApplicationAPIToken200JSONResponse(tok), nil
}

// PatchApplicationAPIToken serves patchApplicationApiToken.
func (h handlers) PatchApplicationAPIToken(ctx context.Context, req server.PatchApplicationAPITokenRequestObject) (server.PatchApplicationAPITokenResponseObject, error) {
	tok, f := h.applicationToken(ctx, req.ApplicationID, req.APITokenID, h.patch(req.Body))
	if f != nil {
		return server.PatchApplicationAPITokendefaultJSONResponse{StatusCode: f.status, Body: f.body}, nil
	}
	return server.PatchApplicationAPIToken200JSONResponse(tok), nil
}

// DeleteApplicationAPIToken serves deleteApplicationApiToken.
func (h handlers) DeleteApplicationAPIToken(ctx context.Context, req server.DeleteApplicationAPITokenRequestObject) (server.DeleteApplicationAPITokenResponseObject, error) {
	if _, f := h.applicationToken(ctx, req.ApplicationID, req.APITokenID, remove); f != nil {
		return server.DeleteApplicationAPITokendefaultJSONResponse{StatusCode: f.status, Body: f.body}, nil
	}
	return server.DeleteApplicationAPIToken200JSONResponse{APITokenDeletedJSONResponse: server.APITokenDeletedJSONResponse(deleted)}, nil
}

// GetUserAPIToken serves getUserApiToken.
func (h handlers) GetUserAPIToken(ctx context.Context, req server.GetUserAPITokenRequestObject) (server.GetUserAPITokenResponseObject, error) {
	tok, f := h.userToken(ctx, req.APITokenID, keep)
	if f != nil {
		return server.GetUserAPITokendefaultJSONResponse{StatusCode: f.status, Body: f.body}, nil
	}
	return server.GetUserAPIToken200JSONResponse(tok), nil
}

// PatchUserAPIToken serves patchUserApiToken.
func (h handlers) PatchUserAPIToken(ctx context.Context, req server.PatchUserAPITokenRequestObject) (server.PatchUserAPITokenResponseObject, error) {
	tok, f := h.userToken(ctx, req.APITokenID, h.patch(req.Body))
	if f != nil {
		return server.PatchUserAPITokendefaultJSONResponse{StatusCode: f.status, Body: f.body}, nil
	}
	return server.PatchUserAPIToken200JSONResponse(tok), nil
}

// DeleteUserAPIToken serves deleteUserApiToken.
func (h handlers) DeleteUserAPIToken(ctx context.Context, req server.DeleteUserAPITokenRequestObject) (server.DeleteUserAPITokenResponseObject, error) {
	if _, f := h.userToken(ctx, req.APITokenID, remove); f != nil {
		return server.DeleteUserAPITokendefaultJSONResponse{StatusCode: f.status, Body: f.body}, nil
	}
	return server.DeleteUserAPIToken200JSONResponse{APITokenDeletedJSONResponse: server.APITokenDeletedJSONResponse(deleted)}, nil
}
