package losanttest

import (
	"cmp"
	"crypto/rand"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"fmt"
	"maps"
	"regexp"
	"slices"
	"sync"
	"sync/atomic"
	"time"
	"unicode/utf8"

	"github.com/specdriven/losant/gen"
	"github.com/specdriven/losant/internal/shipped/limits"
	"github.com/specdriven/losant/internal/shipped/terminal"
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
	instances   map[string]Instance
	tokens      map[string]*record // by token ID
	bearer      map[string]string  // secret -> token ID
	// byOwner indexes the records by owner, and orders holds each owner's
	// records sorted by a field, built by the first list that needs it
	// and kept in order by every write (a binary search and a move): a
	// list costs its page, not the owner's every token.
	byOwner map[owner]map[string]*record
	orders  map[owner]map[string][]*record
	limits  Limits // TokensPerOwner and StoreBytes, for what the API adds
	size    int    // the records' sizes, summed
}

// record is a stored API token.
type record struct {
	token  gen.APIToken // as the API shows it, without the secret
	secret string
	size   int // recordSize, counted in store.size
}

// recordOverhead is what a record counts beyond its strings: the struct,
// its entries in the store's maps and kept orders.
const recordOverhead = 512

// recordSize is what a token counts towards Limits.StoreBytes: its
// strings, and the overheads of the record and its lists.
func recordSize(t gen.APIToken, secret string) int {
	n := recordOverhead + len(secret) + len(t.ID) + len(t.APITokenID) + len(t.Name) + len(t.Description) +
		len(t.OwnerID) + len(t.CreatorID) + len(t.CreatorName) + len(t.DefaultRole)
	for _, scope := range t.Scope {
		n += len(scope) + 16
	}
	for _, org := range t.OrgRoles {
		n += 64 + len(org.OrgID) + len(org.Role)
		for _, roles := range [][]gen.APITokenResourceRole{org.ApplicationRoles, org.DashboardRoles} {
			for _, r := range roles {
				n += 32 + len(r.ResourceID) + len(r.Role)
			}
		}
	}
	return n
}

// errLimit is the error of a write through the API that one of the
// store's Limits refuses.
var errLimit = errors.New("limit exceeded")

// owner is what a token belongs to: its ownerType and ownerId.
type owner struct {
	typ gen.APITokenOwnerType
	id  string
}

func (o owner) owns(t gen.APIToken) bool { return t.OwnerType == o.typ && t.OwnerID == o.id }

func newStore(now func() time.Time, knownScopes map[string]bool, limits Limits) *store {
	return &store{
		limits:      limits,
		now:         now,
		knownScopes: knownScopes,
		users:       map[string]User{},
		apps:        map[string]Application{},
		instances:   map[string]Instance{},
		tokens:      map[string]*record{},
		bearer:      map[string]string{},
		byOwner:     map[owner]map[string]*record{},
		orders:      map[owner]map[string][]*record{},
	}
}

// newID makes an ID as MongoDB makes the API's ObjectIds: the time in
// seconds, then a random value fixed for the process, then a counter, so
// that IDs sort in the order they were made, as the API's do.
func newID() string {
	var b [12]byte
	binary.BigEndian.PutUint32(b[0:4], uint32(time.Now().Unix()))
	copy(b[4:9], idProcess[:])
	n := idCounter.Add(1)
	b[9], b[10], b[11] = byte(n>>16), byte(n>>8), byte(n)
	return hex.EncodeToString(b[:])
}

var (
	idProcess = func() (p [5]byte) {
		_, _ = rand.Read(p[:])
		return p
	}()
	idCounter atomic.Uint32 // wraps at 2^24, as MongoDB's does, within a second it would take 16 million IDs to reach
)

func randomHex(n int) string {
	b := make([]byte, n)
	if _, err := rand.Read(b); err != nil {
		panic(err) // crypto/rand does not fail on supported platforms
	}
	return hex.EncodeToString(b)
}

// idTime is the time an ObjectId was made, which its first four bytes
// hold in seconds: an application's or instance's creationDate unless
// given, as the API's is. (The fake's clock is left alone: reading it
// would move a ticking test clock, and every token's date after it.)
func idTime(id string) time.Time {
	b, _ := hex.DecodeString(id[:8]) // checkID has checked id
	return time.Unix(int64(binary.BigEndian.Uint32(b)), 0).UTC()
}

// checkID says what is wrong with an ID; field names it.
func checkID(field, id string) error {
	if !objectID.MatchString(id) {
		return fmt.Errorf("%s: %s is not %d hexadecimal characters", field, terminal.Quote(id), limits.ObjectIDLength)
	}
	return nil
}

// Each add checks its record as the API would have made it, and returns
// an error that starts with the field at fault ("scope[1]: ...").

func (s *store) addUser(u User) (User, error) {
	u.ID = cmpOrNewID(u.ID)
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
	a.ID = cmpOrNewID(a.ID)
	a.Name = cmp.Or(a.Name, "application "+a.ID)
	if err := cmp.Or(checkID("id", a.ID), checkLength("name", a.Name, 1, limits.MaxNameLength),
		checkLength("description", a.Description, 0, limits.MaxApplicationDescriptionLength)); err != nil {
		return a, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, dup := s.apps[a.ID]; dup {
		return a, fmt.Errorf("id: %s is already an application's", a.ID)
	}
	if _, ok := s.users[a.OwnerID]; !ok {
		return a, fmt.Errorf("ownerId: %s is not a known user", terminal.Quote(a.OwnerID))
	}
	a.CreationDate = cmp.Or(a.CreationDate.UTC(), idTime(a.ID))
	s.apps[a.ID] = a
	return a, nil
}

func (s *store) addInstance(in Instance) (Instance, error) {
	in.ID = cmpOrNewID(in.ID)
	in.Name = cmp.Or(in.Name, "instance "+in.ID)
	if err := cmp.Or(checkID("id", in.ID), checkLength("name", in.Name, 1, limits.MaxNameLength)); err != nil {
		return in, err
	}
	for _, member := range slices.Sorted(maps.Keys(in.MemberRoles)) {
		if !slices.Contains(in.Members, member) {
			return in, fmt.Errorf("memberRoles: %s is not one of the members", terminal.Quote(member))
		}
		if role := in.MemberRoles[member]; role != gen.InstanceMemberRoleAdmin && role != gen.InstanceMemberRoleView {
			return in, fmt.Errorf("memberRoles.%s: %s, want %q or %q", member, terminal.Quote(string(role)), gen.InstanceMemberRoleAdmin, gen.InstanceMemberRoleView)
		}
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, dup := s.instances[in.ID]; dup {
		return in, fmt.Errorf("id: %s is already an instance's", in.ID)
	}
	for i, member := range in.Members {
		if _, ok := s.users[member]; !ok {
			return in, fmt.Errorf("members[%d]: %s is not a known user", i, terminal.Quote(member))
		}
	}
	in.Members, in.MemberRoles = slices.Clone(in.Members), maps.Clone(in.MemberRoles)
	in.CreationDate = cmp.Or(in.CreationDate.UTC(), idTime(in.ID))
	s.instances[in.ID] = in
	return in, nil
}

// checkLength says what is wrong with the length of text, in characters,
// if it is not least to most; field names it.
func checkLength(field, text string, least, most int) error {
	n := utf8.RuneCountInString(text)
	switch {
	case least > 0 && (n < least || n > most):
		return fmt.Errorf("%s: %d characters, want %d to %d", field, n, least, most)
	case n > most:
		return fmt.Errorf("%s: %d characters, want at most %d", field, n, most)
	}
	return nil
}

func cmpOrNewID(id string) string {
	if id == "" {
		return newID()
	}
	return id
}

// The limits of the spec's ApiTokenPost, which a stored token meets too.
const maxSecretLength = 1024

// checkToken checks what a token holds, before the store is consulted.
func checkToken(t Token, knownScopes map[string]bool) error {
	if err := checkID("id", t.ID); err != nil {
		return err
	}
	if err := cmp.Or(checkLength("name", t.Name, 1, limits.MaxNameLength),
		checkLength("description", t.Description, 0, limits.MaxDescriptionLength)); err != nil {
		return err
	}
	if !slices.Contains(ownerTypes, t.OwnerType) {
		return fmt.Errorf("ownerType: %s, want one of %q", terminal.Quote(string(t.OwnerType)), ownerTypes)
	}
	if t.Status != gen.APITokenStatusActive && t.Status != gen.APITokenStatusInactive {
		return fmt.Errorf("status: %s, want %q or %q", terminal.Quote(string(t.Status)), gen.APITokenStatusActive, gen.APITokenStatusInactive)
	}
	for i, scope := range t.Scope {
		if !knownScopes[scope] {
			return fmt.Errorf("scope[%d]: %s is not a scope the API knows", i, terminal.Quote(scope))
		}
		if slices.Contains(t.Scope[:i], scope) {
			return fmt.Errorf("scope[%d]: %s is listed twice", i, terminal.Quote(scope))
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

// ownerTypes are the owners a token may have.
var ownerTypes = []gen.APITokenOwnerType{gen.APITokenOwnerTypeUser, gen.APITokenOwnerTypeApplication, gen.APITokenOwnerTypeInstance}

// exists reports whether o is a known user, application or instance.
// The caller holds s.mu.
func (s *store) exists(o owner) bool {
	switch o.typ {
	case gen.APITokenOwnerTypeUser:
		return s.users[o.id].ID != ""
	case gen.APITokenOwnerTypeApplication:
		return s.apps[o.id].ID != ""
	case gen.APITokenOwnerTypeInstance:
		return s.instances[o.id].ID != ""
	}
	return false
}

// removeOwner removes an application or an instance and every token it
// owns; it reports whether there was one.
func (s *store) removeOwner(o owner) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	if !s.exists(o) {
		return false
	}
	switch o.typ {
	case gen.APITokenOwnerTypeApplication:
		delete(s.apps, o.id)
	case gen.APITokenOwnerTypeInstance:
		delete(s.instances, o.id)
	}
	for id, rec := range s.byOwner[o] {
		delete(s.tokens, id)
		delete(s.bearer, rec.secret)
		s.size -= rec.size
	}
	delete(s.byOwner, o)
	delete(s.orders, o)
	return true
}

// addToken adds a token as a test or its fixtures set it up: the store's
// limits count it but do not refuse it.
func (s *store) addToken(t Token) (Token, error) {
	t, _, err := s.insertToken(t, nil, false)
	return t, err
}

// createToken adds a token as a create through the API does: finish sets
// what the API sets on a new token (its creator, its roles) before it is
// stored, and a token past the owner's or the store's limit is refused
// with errLimit. It returns a copy of the token as stored.
func (s *store) createToken(t Token, finish func(*gen.APIToken)) (Token, gen.APIToken, error) {
	return s.insertToken(t, finish, true)
}

// insertToken fills in and checks t, applies finish (if any) and stores
// it, refusing it past a limit if enforce.
func (s *store) insertToken(t Token, finish func(*gen.APIToken), enforce bool) (Token, gen.APIToken, error) {
	t.ID = cmpOrNewID(t.ID)
	if t.Secret == "" {
		t.Secret = "lsnt_" + randomHex(24)
	}
	if t.Status == "" {
		t.Status = gen.APITokenStatusActive
	}
	if t.Name == "" {
		t.Name = "token " + t.ID
	}
	if err := checkToken(t, s.knownScopes); err != nil {
		return t, gen.APIToken{}, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, dup := s.tokens[t.ID]; dup {
		return t, gen.APIToken{}, fmt.Errorf("id: %s is already a token's", t.ID)
	}
	o := owner{t.OwnerType, t.OwnerID}
	if !s.exists(o) {
		return t, gen.APIToken{}, fmt.Errorf("ownerId: %s is not a known %s", terminal.Quote(t.OwnerID), t.OwnerType)
	}
	if _, taken := s.bearer[t.Secret]; taken {
		return t, gen.APIToken{}, errors.New("token: this secret is already another token's")
	}
	now := s.now().UTC()
	rec := &record{secret: t.Secret, token: gen.APIToken{
		ID: t.ID, APITokenID: t.ID, Name: t.Name, Description: t.Description,
		OwnerID: t.OwnerID, OwnerType: t.OwnerType, CreatorType: gen.APITokenCreatorTypeUser,
		Scope: slices.Clone(t.Scope), Status: t.Status,
		CreationDate: cmp.Or(t.CreationDate.UTC(), now), LastUpdated: cmp.Or(t.CreationDate.UTC(), now), ExpirationDate: t.ExpirationDate,
	}}
	if finish != nil {
		finish(&rec.token)
	}
	rec.size = recordSize(rec.token, rec.secret)
	if enforce {
		if held := len(s.byOwner[o]); held >= s.limits.TokensPerOwner {
			return t, gen.APIToken{}, fmt.Errorf("%w: the %s holds %d tokens, the most the fake keeps for one owner; delete one first",
				errLimit, o.typ, held)
		}
		if err := s.fits(rec.size); err != nil {
			return t, gen.APIToken{}, err
		}
	}
	s.tokens[t.ID] = rec
	s.bearer[t.Secret] = t.ID
	if s.byOwner[o] == nil {
		s.byOwner[o] = map[string]*record{}
	}
	s.byOwner[o][t.ID] = rec
	s.size += rec.size
	s.reorder(o, rec, false)
	return t, clone(rec.token), nil
}

// fits returns errLimit if growing the store by grow bytes would take it
// past Limits.StoreBytes. The caller holds s.mu.
func (s *store) fits(grow int) error {
	if grow > 0 && s.size+grow > s.limits.StoreBytes {
		return fmt.Errorf("%w: the fake holds %d bytes of tokens, and the most it keeps is %d; delete some first",
			errLimit, s.size, s.limits.StoreBytes)
	}
	return nil
}

// authenticate returns the token a bearer secret stands for, if that token
// may authenticate now.
func (s *store) authenticate(secret string) (gen.APIToken, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	rec, ok := s.tokens[s.bearer[secret]]
	if !ok || rec.token.Status != gen.APITokenStatusActive {
		return gen.APIToken{}, false
	}
	if exp := rec.token.ExpirationDate; exp != nil && !s.now().Before(*exp) {
		return gen.APIToken{}, false
	}
	return clone(rec.token), true
}

// holdsSecret reports whether secret is the bearer secret of a token the
// store holds.
func (s *store) holdsSecret(secret string) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	_, ok := s.bearer[secret]
	return ok
}

// token returns a copy of the token with that ID, whoever owns it.
func (s *store) token(id string) (gen.APIToken, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	rec, ok := s.tokens[id]
	if !ok {
		return gen.APIToken{}, false
	}
	return clone(rec.token), true
}

// reaches reports whether the caller may act on the tokens of o: a user's
// token reaches the user, the applications the user owns and the
// instances the user is a member of; an application's or an instance's
// token reaches only its own owner. (Which actions it may take there, its
// scopes say.)
func (s *store) reaches(caller gen.APIToken, o owner) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	if !s.exists(o) {
		return false
	}
	if caller.OwnerType != gen.APITokenOwnerTypeUser {
		return caller.OwnerType == o.typ && caller.OwnerID == o.id
	}
	switch o.typ {
	case gen.APITokenOwnerTypeApplication:
		return s.apps[o.id].OwnerID == caller.OwnerID
	case gen.APITokenOwnerTypeInstance:
		return slices.Contains(s.instances[o.id].Members, caller.OwnerID)
	}
	return o.id == caller.OwnerID
}

// update applies fn to a copy of the token of o with that ID and stores
// the result, returning a copy of it; errNotFound if there is none, and
// errLimit, storing nothing, if the result would take the store past its
// StoreBytes. fn returns false to delete the token.
func (s *store) update(o owner, tokenID string, fn func(*gen.APIToken) (keep bool)) (gen.APIToken, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	rec, ok := s.tokens[tokenID]
	if !ok || !o.owns(rec.token) {
		return gen.APIToken{}, errNotFound
	}
	changed := clone(rec.token)
	if !fn(&changed) {
		s.reorder(o, rec, true)
		delete(s.tokens, tokenID)
		delete(s.bearer, rec.secret)
		delete(s.byOwner[o], tokenID)
		s.size -= rec.size
		return changed, nil
	}
	size := recordSize(changed, rec.secret)
	if err := s.fits(size - rec.size); err != nil {
		return gen.APIToken{}, err
	}
	s.reorder(o, rec, true) // out while its fields change
	rec.token = changed
	s.size += size - rec.size
	rec.size = size
	s.reorder(o, rec, false)
	return clone(rec.token), nil
}

// reorder takes rec out of (remove) or puts it into each cached order of
// o, where its fields sort it now.
func (s *store) reorder(o owner, rec *record, remove bool) {
	for field, sorted := range s.orders[o] {
		i, found := slices.BinarySearchFunc(sorted, rec, tokenKind.order(field))
		switch {
		case remove && found:
			s.orders[o][field] = slices.Delete(sorted, i, i+1)
		case remove:
			delete(s.orders[o], field) // not where its fields say: rebuild it
		default:
			s.orders[o][field] = slices.Insert(sorted, i, rec)
		}
	}
}

// clone copies t deeply enough that the caller can't change the store.
func clone(t gen.APIToken) gen.APIToken {
	t.Scope = slices.Clone(t.Scope)
	t.OrgRoles = cloneOrgRoles(t.OrgRoles)
	return t
}

// cloneOrgRoles copies roles and the lists inside them; nil stays nil.
func cloneOrgRoles(roles []gen.APITokenOrgRole) []gen.APITokenOrgRole {
	if roles == nil {
		return nil
	}
	out := make([]gen.APITokenOrgRole, len(roles))
	for i, r := range roles {
		r.ApplicationRoles = slices.Clone(r.ApplicationRoles)
		r.DashboardRoles = slices.Clone(r.DashboardRoles)
		out[i] = r
	}
	return out
}

// page answers a list query on the tokens o owns.
func (s *store) page(o owner, q listQuery) gen.APITokenPage {
	s.mu.Lock()
	defer s.mu.Unlock()
	sorted, ok := s.orders[o][q.sortField]
	if !ok {
		sorted = make([]*record, 0, len(s.byOwner[o]))
		for _, rec := range s.byOwner[o] {
			sorted = append(sorted, rec)
		}
		slices.SortFunc(sorted, tokenKind.order(q.sortField))
		if s.orders[o] == nil {
			s.orders[o] = map[string][]*record{}
		}
		s.orders[o][q.sortField] = sorted
	}
	return q.answer(o, sorted)
}
