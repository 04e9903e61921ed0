package losanttest

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strings"

	"github.com/specdriven/losant/gen"
)

// operation is what the fake knows of one of the spec's operations.
type operation struct {
	id         string                // the operationId
	owner      gen.APITokenOwnerType // x-losant-owner
	action     string                // x-losant-action: get, patch, delete, list or create
	ownerParam string                // the path parameter naming the owner; "" for the user
	collection string                // x-losant-collection, of a list of owners; then owner and action are ""
	scopes     []string              // x-losant-scopes: any one of them will do
}

// failure is an Error response an action ends with.
type failure struct {
	status       int
	typ, message string
}

func fail(status int, typ, message string) *failure {
	return &failure{status: status, typ: typ, message: message}
}

var (
	tokenNotFound = fail(http.StatusNotFound, "NotFound", "API Token was not found")
	notAUser      = fail(http.StatusForbidden, "Forbidden", "Only a user's API token can act on /me")
)

// lacksScope is the answer for a token that holds none of op's scopes.
func lacksScope(op operation) *failure {
	return fail(http.StatusForbidden, "Forbidden", "Access token lacks a scope for "+op.id+"; one of: "+strings.Join(op.scopes, ", "))
}

// limitExceeded is the answer for a write that one of the store's Limits
// refuses (errLimit): a 400, which the spec lists for a create or a patch
// the API refuses, and which no client retries.
func limitExceeded(err error) *failure {
	return fail(http.StatusBadRequest, "LimitExceeded", strings.TrimPrefix(err.Error(), errLimit.Error()+": "))
}

// ownerNotFound is the answer for an owner the caller cannot reach, as
// "Application was not found".
func ownerNotFound(o gen.APITokenOwnerType) *failure {
	name := string(o)
	return fail(http.StatusNotFound, "NotFound", strings.ToUpper(name[:1])+name[1:]+" was not found")
}

// act answers a request that the spec allows and whose caller holds one
// of the operation's scopes: the operation's action, on the owner the
// path names, if the caller reaches it. Every owner takes this one path;
// a list of owners takes listOwners'.
func (s *Server) act(w http.ResponseWriter, r *http.Request, op operation, pathParams map[string]string, caller gen.APIToken, body []byte) {
	if op.collection != "" {
		s.listOwners(w, r, op, caller)
		return
	}
	o := owner{typ: op.owner, id: pathParams[op.ownerParam]}
	if op.owner == gen.APITokenOwnerTypeUser {
		if caller.OwnerType != gen.APITokenOwnerTypeUser {
			writeFailure(w, notAUser)
			return
		}
		o.id = caller.OwnerID
	}
	if !s.store.reaches(caller, o) {
		writeFailure(w, ownerNotFound(op.owner))
		return
	}
	tokenID := pathParams["apiTokenId"]
	switch op.action {
	case "get":
		s.answerToken(w, o, tokenID, keep)
	case "patch":
		var p gen.APITokenPatch
		if decodeBody(w, body, &p) {
			s.answerToken(w, o, tokenID, s.patch(p))
		}
	case "delete":
		if _, err := s.store.update(o, tokenID, remove); err != nil {
			writeFailure(w, tokenNotFound)
			return
		}
		writeJSON(w, http.StatusOK, map[string]bool{"success": true})
	case "list":
		q, f := parseListQuery(r.URL.Query())
		if f != nil {
			writeFailure(w, f)
			return
		}
		s.writePage(w, r, s.store.page(o, q))
	case "create":
		var b gen.APITokenPost
		if !decodeBody(w, body, &b) {
			return
		}
		tok, f := s.create(caller, o, b)
		if f != nil {
			writeFailure(w, f)
			return
		}
		writeJSON(w, http.StatusCreated, tok)
	default: // the spec's tests hold every operation to the five actions
		writeFailure(w, fail(http.StatusInternalServerError, "InternalError", "unknown action of "+op.id))
	}
}

// answerToken applies fn to a token of o and answers with the result.
func (s *Server) answerToken(w http.ResponseWriter, o owner, tokenID string, fn func(*gen.APIToken) bool) {
	tok, err := s.store.update(o, tokenID, fn)
	switch {
	case errors.Is(err, errLimit):
		writeFailure(w, limitExceeded(err))
	case err != nil:
		writeFailure(w, tokenNotFound)
	default:
		writeJSON(w, http.StatusOK, tok)
	}
}

func keep(*gen.APIToken) bool { return true }

func remove(*gen.APIToken) bool { return false }

// patch returns an update that sets the fields p gives and lastUpdated.
// It never writes through a slice that copies handed out earlier share.
func (s *Server) patch(p gen.APITokenPatch) func(*gen.APIToken) bool {
	return func(t *gen.APIToken) bool {
		if p.Name != nil {
			t.Name = *p.Name
		}
		if p.Description != nil {
			t.Description = *p.Description
		}
		if p.Status != nil {
			t.Status = *p.Status
		}
		if p.DefaultRole != nil {
			t.DefaultRole = *p.DefaultRole
		}
		if p.OrgRoles != nil { // an empty list clears them
			t.OrgRoles = cloneOrgRoles(*p.OrgRoles)
		}
		t.LastUpdated = s.store.now().UTC()
		return true
	}
}

// create adds a token for the owner, made by the caller, and returns it
// with its secret: the only answer that carries it.
func (s *Server) create(caller gen.APIToken, o owner, b gen.APITokenPost) (gen.APIToken, *failure) {
	t := Token{Name: b.Name, OwnerType: o.typ, OwnerID: o.id, Scope: b.Scope, ExpirationDate: b.ExpirationDate}
	if b.Description != nil {
		t.Description = *b.Description
	}
	if b.Status != nil {
		t.Status = *b.Status
	}
	created, tok, err := s.store.createToken(t, func(t *gen.APIToken) {
		t.CreatorID, t.CreatorType = caller.ID, gen.APITokenCreatorTypeAPIToken
		t.OrgRoles = cloneOrgRoles(b.OrgRoles)
		if b.DefaultRole != nil {
			t.DefaultRole = *b.DefaultRole
		}
	})
	switch {
	case errors.Is(err, errLimit):
		return gen.APIToken{}, limitExceeded(err)
	case err != nil:
		return gen.APIToken{}, fail(http.StatusBadRequest, "Validation", err.Error())
	}
	tok.Token = created.Secret
	return tok, nil
}

// decodeBody decodes a body the spec has already checked, or answers 400.
func decodeBody(w http.ResponseWriter, body []byte, v any) bool {
	if err := json.Unmarshal(body, v); err != nil {
		writeFailure(w, fail(http.StatusBadRequest, "Validation", "body: "+truncate(err.Error(), maxReason)))
		return false
	}
	return true
}

func writeFailure(w http.ResponseWriter, f *failure) { writeError(w, f.status, f.typ, f.message) }

// writePage answers with a list page, within the answers' byte budget:
// encoded first, then written once there is room for it, so that what
// slow readers hold stays bounded; a page over the budget alone is
// refused.
func (s *Server) writePage(w http.ResponseWriter, r *http.Request, page any) {
	body, err := json.Marshal(page)
	if err != nil {
		writeError(w, http.StatusInternalServerError, "Internal", "encoding the page failed")
		return
	}
	if len(body) > s.answers.max {
		writeError(w, http.StatusBadRequest, "LimitExceeded", fmt.Sprintf("the page is %d bytes, over the fake's %d a page: ask for fewer per page", len(body), s.answers.max))
		return
	}
	if s.answers.take(r.Context(), len(body)) != nil {
		return // the client left while the page waited
	}
	defer s.answers.give(len(body))
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(http.StatusOK)
	_, _ = w.Write(append(body, '\n'))
}

// writeJSON answers with v as JSON.
func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}
