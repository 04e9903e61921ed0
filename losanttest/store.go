package losanttest

import (
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"sync"
	"time"
	"unicode/utf8"

	"github.com/specdriven/losant"
	"github.com/specdriven/losant/gen/server"
)

var objectID = regexp.MustCompile(`^[A-Fa-f\d]{24}$`)

var errNotFound = errors.New("not found")

// store is the fake's in-memory state; one mutex guards it all.
type store struct {
	mu          sync.Mutex
	now         func() time.Time
	knownScopes map[string]bool // every scope a create body may list
	users       map[string]User
	apps        map[string]Application
	tokens      map[string]*record // by token ID
	bearer      map[string]string  // secret -> token ID
}

// record is a stored API token.
type record struct {
	token  server.APIToken // as the API shows it, without the secret
	secret string
}

func newStore(now func() time.Time, knownScopes map[string]bool) *store {
	return &store{
		now:         now,
		knownScopes: knownScopes,
		users:       map[string]User{},
		apps:        map[string]Application{},
		tokens:      map[string]*record{},
		bearer:      map[string]string{},
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

// checkID says what is wrong with an ID; field names it.
func checkID(field, id string) error {
	if !objectID.MatchString(id) {
		return fmt.Errorf("%s: %s is not 24 hexadecimal characters", field, quoted(id))
	}
	return nil
}

// quoted quotes a value for an error, cut short.
func quoted(v string) string { return strconv.Quote(truncate(v, 64)) }

// Each add checks its record as the API would have made it, and returns
// an error that starts with the field at fault ("scope[1]: ...").

func (s *store) addUser(u User) (User, error) {
	if u.ID == "" {
		u.ID = newID()
	}
	if err := checkID("id", u.ID); err != nil {
		return u, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, dup := s.users[u.ID]; dup {
		return u, fmt.Errorf("id: %s is already a user's", u.ID)
	}
	s.users[u.ID] = u
	return u, nil
}

func (s *store) addApplication(a Application) (Application, error) {
	if a.ID == "" {
		a.ID = newID()
	}
	if err := checkID("id", a.ID); err != nil {
		return a, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, dup := s.apps[a.ID]; dup {
		return a, fmt.Errorf("id: %s is already an application's", a.ID)
	}
	if _, ok := s.users[a.OwnerID]; !ok {
		return a, fmt.Errorf("ownerId: %s is not a known user", quoted(a.OwnerID))
	}
	s.apps[a.ID] = a
	return a, nil
}

// The limits of the spec's ApiTokenPost, which a stored token meets too.
const (
	maxNameLength        = 255
	maxDescriptionLength = 32767
	maxSecretLength      = 1024
)

// checkToken checks what a token holds, before the store is consulted.
func checkToken(t Token, knownScopes map[string]bool) error {
	if err := checkID("id", t.ID); err != nil {
		return err
	}
	if n := utf8.RuneCountInString(t.Name); n < 1 || n > maxNameLength {
		return fmt.Errorf("name: %d characters, want 1 to %d", n, maxNameLength)
	}
	if n := utf8.RuneCountInString(t.Description); n > maxDescriptionLength {
		return fmt.Errorf("description: %d characters, want at most %d", n, maxDescriptionLength)
	}
	if t.OwnerType != losant.APITokenOwnerTypeUser && t.OwnerType != losant.APITokenOwnerTypeApplication {
		return fmt.Errorf("ownerType: %s, want %q or %q", quoted(string(t.OwnerType)), losant.APITokenOwnerTypeUser, losant.APITokenOwnerTypeApplication)
	}
	if t.Status != losant.APITokenStatusActive && t.Status != losant.APITokenStatusInactive {
		return fmt.Errorf("status: %s, want %q or %q", quoted(string(t.Status)), losant.APITokenStatusActive, losant.APITokenStatusInactive)
	}
	for i, scope := range t.Scope {
		if !knownScopes[scope] {
			return fmt.Errorf("scope[%d]: %s is not a scope the API knows", i, quoted(scope))
		}
		if slices.Contains(t.Scope[:i], scope) {
			return fmt.Errorf("scope[%d]: %s is listed twice", i, quoted(scope))
		}
	}
	if len(t.Secret) > maxSecretLength {
		return fmt.Errorf("token: %d bytes, want at most %d", len(t.Secret), maxSecretLength)
	}
	for i := 0; i < len(t.Secret); i++ {
		if c := t.Secret[i]; c <= ' ' || c > '~' {
			return fmt.Errorf("token: byte %d is a space, a control or a non-ASCII character: a bearer token cannot hold it", i)
		}
	}
	return nil
}

func (s *store) addToken(t Token) (Token, error) {
	if t.ID == "" {
		t.ID = newID()
	}
	if t.Secret == "" {
		t.Secret = "lsnt_" + randomHex(24)
	}
	if t.Status == "" {
		t.Status = losant.APITokenStatusActive
	}
	if t.Name == "" {
		t.Name = "token " + t.ID
	}
	if err := checkToken(t, s.knownScopes); err != nil {
		return t, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, dup := s.tokens[t.ID]; dup {
		return t, fmt.Errorf("id: %s is already a token's", t.ID)
	}
	owners := map[losant.APITokenOwnerType]bool{
		losant.APITokenOwnerTypeUser:        s.users[t.OwnerID].ID != "",
		losant.APITokenOwnerTypeApplication: s.apps[t.OwnerID].ID != "",
	}
	if !owners[t.OwnerType] {
		return t, fmt.Errorf("ownerId: %s is not a known %s", quoted(t.OwnerID), t.OwnerType)
	}
	if _, taken := s.bearer[t.Secret]; taken {
		return t, errors.New("token: this secret is already another token's")
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
	t.OrgRoles = cloneOrgRoles(t.OrgRoles)
	return t
}

// cloneOrgRoles copies roles and the lists inside them; nil stays nil.
func cloneOrgRoles(roles *server.APITokenOrgRoles) *server.APITokenOrgRoles {
	if roles == nil {
		return nil
	}
	out := make(server.APITokenOrgRoles, len(*roles))
	for i, r := range *roles {
		r.ApplicationRoles = slices.Clone(r.ApplicationRoles)
		r.DashboardRoles = slices.Clone(r.DashboardRoles)
		out[i] = r
	}
	return &out
}

// owned returns copies of the tokens ownerType/ownerID owns.
func (s *store) owned(ownerType losant.APITokenOwnerType, ownerID string) []server.APIToken {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []server.APIToken
	for _, rec := range s.tokens {
		if string(*rec.token.OwnerType) == string(ownerType) && *rec.token.OwnerID == ownerID {
			out = append(out, clone(rec.token))
		}
	}
	return out
}
