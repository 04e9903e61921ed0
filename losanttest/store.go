package losanttest

import (
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"regexp"
	"slices"
	"sync"
	"time"

	"github.com/specdriven/losant/gen/server"
)

var objectID = regexp.MustCompile(`^[A-Fa-f\d]{24}$`)

var errNotFound = errors.New("not found")

// store is the fake's in-memory state; one mutex guards it all.
type store struct {
	mu     sync.Mutex
	now    func() time.Time
	users  map[string]User
	apps   map[string]Application
	tokens map[string]*record // by token ID
	bearer map[string]string  // secret -> token ID
}

// record is a stored API token.
type record struct {
	token  server.APIToken // as the API shows it, without the secret
	secret string
}

func newStore(now func() time.Time) *store {
	return &store{
		now:    now,
		users:  map[string]User{},
		apps:   map[string]Application{},
		tokens: map[string]*record{},
		bearer: map[string]string{},
	}
}

func newID() string { return randomHex(12) }

func randomHex(n int) string {
	b := make([]byte, n)
	if _, err := rand.Read(b); err != nil {
		panic(err) // crypto/rand does not fail on supported platforms
	}
	return hex.EncodeToString(b)
}

func checkID(what, id string) error {
	if !objectID.MatchString(id) {
		return fmt.Errorf("losanttest: %s ID %q is not 24 hexadecimal characters", what, id)
	}
	return nil
}

func (s *store) addUser(u User) (User, error) {
	if u.ID == "" {
		u.ID = newID()
	}
	if err := checkID("user", u.ID); err != nil {
		return u, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.users[u.ID] = u
	return u, nil
}

func (s *store) addApplication(a Application) (Application, error) {
	if a.ID == "" {
		a.ID = newID()
	}
	if err := checkID("application", a.ID); err != nil {
		return a, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, ok := s.users[a.OwnerID]; !ok {
		return a, fmt.Errorf("losanttest: application %s: owner %q is not a known user", a.ID, a.OwnerID)
	}
	s.apps[a.ID] = a
	return a, nil
}

func (s *store) addToken(t Token) (Token, error) {
	if t.ID == "" {
		t.ID = newID()
	}
	if t.Secret == "" {
		t.Secret = "lsnt_" + randomHex(24)
	}
	if t.Status == "" {
		t.Status = string(server.APITokenStatusActive)
	}
	if t.Name == "" {
		t.Name = "token " + t.ID
	}
	if err := checkID("token", t.ID); err != nil {
		return t, err
	}
	if t.Status != string(server.APITokenStatusActive) && t.Status != string(server.APITokenStatusInactive) {
		return t, fmt.Errorf("losanttest: token %s: status %q is neither active nor inactive", t.ID, t.Status)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	switch t.OwnerType {
	case OwnerUser:
		if _, ok := s.users[t.OwnerID]; !ok {
			return t, fmt.Errorf("losanttest: token %s: owner %q is not a known user", t.ID, t.OwnerID)
		}
	case OwnerApplication:
		if _, ok := s.apps[t.OwnerID]; !ok {
			return t, fmt.Errorf("losanttest: token %s: owner %q is not a known application", t.ID, t.OwnerID)
		}
	default:
		return t, fmt.Errorf("losanttest: token %s: owner type %q is neither %q nor %q", t.ID, t.OwnerType, OwnerUser, OwnerApplication)
	}
	if _, taken := s.bearer[t.Secret]; taken {
		return t, fmt.Errorf("losanttest: token %s: its secret is already another token's", t.ID)
	}
	now := s.now().UTC()
	ownerType := server.APITokenOwnerType(t.OwnerType)
	status := server.APITokenStatus(t.Status)
	creator := server.APITokenCreatorTypeUser
	rec := &record{secret: t.Secret, token: server.APIToken{
		ID: &t.ID, APITokenID: &t.ID, Name: &t.Name,
		OwnerID: &t.OwnerID, OwnerType: &ownerType, CreatorType: &creator,
		Scope: slices.Clone(t.Scope), Status: &status,
		CreationDate: &now, LastUpdated: &now, ExpirationDate: t.ExpirationDate,
	}}
	if t.Description != "" {
		rec.token.Description = &t.Description
	}
	if old, ok := s.tokens[t.ID]; ok {
		delete(s.bearer, old.secret)
	}
	s.tokens[t.ID] = rec
	s.bearer[t.Secret] = t.ID
	return t, nil
}

// authenticate returns the token a bearer secret stands for, if that token
// may authenticate now.
func (s *store) authenticate(secret string) (server.APIToken, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	rec, ok := s.tokens[s.bearer[secret]]
	if !ok || *rec.token.Status != server.APITokenStatusActive {
		return server.APIToken{}, false
	}
	if exp := rec.token.ExpirationDate; exp != nil && !s.now().Before(*exp) {
		return server.APIToken{}, false
	}
	return clone(rec.token), true
}

// canReachApplication reports whether the caller may act inside app: a user
// token reaches the applications its user owns, an application token only
// its own application.
func (s *store) canReachApplication(caller server.APIToken, appID string) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	app, ok := s.apps[appID]
	if !ok {
		return false
	}
	switch *caller.OwnerType {
	case server.APITokenOwnerTypeUser:
		return app.OwnerID == *caller.OwnerID
	default:
		return app.ID == *caller.OwnerID
	}
}

// update applies fn to the token ownerType/ownerID owns with that ID, and
// returns a copy of the result; errNotFound if there is none. fn returns
// false to delete the token.
func (s *store) update(ownerType server.APITokenOwnerType, ownerID, tokenID string, fn func(*server.APIToken) (keep bool)) (server.APIToken, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	rec, ok := s.tokens[tokenID]
	if !ok || *rec.token.OwnerType != ownerType || *rec.token.OwnerID != ownerID {
		return server.APIToken{}, errNotFound
	}
	if !fn(&rec.token) {
		delete(s.tokens, tokenID)
		delete(s.bearer, rec.secret)
	}
	return clone(rec.token), nil
}

// clone copies t deeply enough that the caller can't change the store.
func clone(t server.APIToken) server.APIToken {
	t.Scope = slices.Clone(t.Scope)
	return t
}

// owned returns copies of the tokens ownerType/ownerID owns.
func (s *store) owned(ownerType, ownerID string) []server.APIToken {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []server.APIToken
	for _, rec := range s.tokens {
		if string(*rec.token.OwnerType) == ownerType && *rec.token.OwnerID == ownerID {
			out = append(out, clone(rec.token))
		}
	}
	return out
}
