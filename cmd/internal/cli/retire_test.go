package cli

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/specdriven/losant/gen"
	"github.com/specdriven/losant/losanttest"
)

// staleAndFresh adds to the fake an inactive token of owner last updated
// 40 days ago, and one 5 days ago.
func staleAndFresh(t *testing.T, srv *losanttest.Server, ownerType gen.APITokenOwnerType, ownerID string) (stale, fresh string) {
	t.Helper()
	add := func(age time.Duration) string {
		return srv.AddToken(losanttest.Token{OwnerType: ownerType, OwnerID: ownerID, Scope: []string{"all.User.read"},
			Status: gen.APITokenStatusInactive, CreationDate: time.Now().Add(-age)}).ID
	}
	return add(40 * 24 * time.Hour), add(5 * 24 * time.Hour)
}

// retire is a dry run unless --yes; with it, each deletion is reported; an
// audit with --max-inactive finds the same tokens.
func TestRetireDeletesOnlyWithYes(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	stale, fresh := staleAndFresh(t, w.Server, gen.APITokenOwnerTypeUser, userID)

	r := runCLI(t, w, "audit", "--max-inactive", "30d", "--allow-never-expires", "-o", "ids")
	assert.Equal(t, exitFindings, r.code, r.stderr)
	assert.Equal(t, stale+"\n", r.stdout, "inactive for 40 days, over the 30 kept; not the one of 5 days")

	r = runCLI(t, w, "retire", "--older-than", "30d", "-o", "ids")
	require.Equal(t, exitOK, r.code, r.stderr)
	assert.Equal(t, stale+"\n", r.stdout)
	assert.Contains(t, r.stderr, "a dry run: 1 tokens would be deleted")
	assert.Equal(t, "inactive", status(w, stale), "a dry run deletes nothing")

	r = runCLI(t, w, "retire", "--older-than", "30d", "--yes")
	require.Equal(t, exitOK, r.code, r.stderr)
	assert.Contains(t, r.stdout, `"id": "`+stale+`"`)
	assert.Equal(t, "losant-tokens: deleted 1 tokens: the ones printed\n", r.stderr, "unlike the dry run's")
	assert.Equal(t, "deleted", status(w, stale))
	assert.Equal(t, "inactive", status(w, fresh))
	assert.Equal(t, "active", status(w, cliToken))

	r = runCLI(t, w, "audit", "--max-inactive", "30d", "--allow-never-expires")
	assert.Equal(t, exitOK, r.code, r.stderr)
	r = runCLI(t, w, "audit", "--max-inactive", "30d", "--allow-inactive")
	assert.Equal(t, exitBadInput, r.code, r.stderr)
	r = runCLI(t, w, "retire")
	assert.Equal(t, exitBadInput, r.code, "no retention period: %s", r.stderr)
}

// retire --all-owners retires every owner's stale tokens; a deletion whose
// answer is lost is named, with exit 7.
func TestRetireEveryOwner(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	userStale, _ := staleAndFresh(t, w.Server, gen.APITokenOwnerTypeUser, userID)
	appStale, _ := staleAndFresh(t, w.Server, gen.APITokenOwnerTypeApplication, appID)
	r := runCLI(t, w, "retire", "--older-than", "30d", "--all-owners", "-o", "ids", "--yes")
	require.Equal(t, exitOK, r.code, r.stderr)
	assert.Equal(t, userStale+"\n--application="+appID+" "+appStale+"\n", r.stdout)
	assert.Equal(t, "deleted", status(w, userStale))
	assert.Equal(t, "deleted", status(w, appStale))

	lost, _ := staleAndFresh(t, w.Server, gen.APITokenOwnerTypeUser, userID)
	w.Server.Inject(losanttest.Fault{LoseAnswer: true}, losanttest.For(losanttest.DeleteUserAPIToken))
	r = runCLI(t, w, "retire", "--older-than", "30d", "--yes", "-o", "ids")
	assert.Equal(t, exitUnknownOutcome, r.code, r.stderr)
	assert.Contains(t, r.stderr, "delete "+lost)
}
