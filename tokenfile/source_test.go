package tokenfile_test

import (
	"bytes"
	"context"
	"fmt"
	"io/fs"
	"log/slog"
	"net/http"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/specdriven/losant"
	"github.com/specdriven/losant/gen"
	"github.com/specdriven/losant/losanttest"
	"github.com/specdriven/losant/tokenfile"
)

// rotationWorld is a fake with a user, two of their tokens that may act
// on the user's tokens (old, in use, and next, its successor), and a
// token to read with them.
type rotationWorld struct {
	srv              *losanttest.Server
	old, next, other losanttest.Token
}

func newRotationWorld(t *testing.T) *rotationWorld {
	t.Helper()
	srv := losanttest.New(t)
	user := srv.AddUser(losanttest.User{})
	add := func(name string) losanttest.Token {
		return srv.AddToken(losanttest.Token{Name: name, OwnerType: gen.APITokenOwnerTypeUser, OwnerID: user.ID, Scope: []string{"all.User"}})
	}
	return &rotationWorld{srv: srv, old: add("old"), next: add("next"), other: add("read")}
}

// client returns a client of the fake that takes its token from src.
func (w *rotationWorld) client(t *testing.T, src losant.TokenSource, opts ...losant.Option) *losant.Client {
	t.Helper()
	c, err := losant.NewClient("", append([]losant.Option{losant.WithBaseURL(w.srv.URL), losant.WithTokenSource(src)}, opts...)...)
	require.NoError(t, err)
	return c
}

// deactivate makes tok inactive, as Rotation.Complete does: the fake
// answers 401 to it from now on.
func (w *rotationWorld) deactivate(t *testing.T, tok losanttest.Token) {
	t.Helper()
	_, err := w.srv.Client(w.other.Secret).APITokens(losant.User()).Patch(context.Background(), tok.ID,
		gen.APITokenPatch{Status: losant.Ptr(gen.APITokenStatusInactive)})
	require.NoError(t, err)
	w.srv.ResetRequests() // statuses are the client's
}

// assertSendsNextUnasked retires the old token, and checks that c's next
// call succeeds with no 401: the new token was taken before it.
func (w *rotationWorld) assertSendsNextUnasked(t *testing.T, c *losant.Client) {
	t.Helper()
	w.deactivate(t, w.old)
	require.NoError(t, w.get(c))
	assert.Equal(t, []int{200}, w.statuses(), "the new token was taken before the call: no 401")
}

// get reads the world's other token through c.
func (w *rotationWorld) get(c *losant.Client) error {
	_, err := c.APITokens(losant.User()).Get(context.Background(), w.other.ID)
	return err
}

// statuses returns the statuses the fake answered with, and forgets them.
func (w *rotationWorld) statuses() []int {
	var out []int
	for _, r := range w.srv.Requests() {
		out = append(out, r.Status)
	}
	w.srv.ResetRequests()
	return out
}

// writeToken puts content at path as a secrets agent does: written to
// another file, then renamed over it.
func writeToken(t *testing.T, path, content string) {
	t.Helper()
	tmp := filepath.Join(filepath.Dir(path), ".tmp-"+filepath.Base(path))
	require.NoError(t, os.WriteFile(tmp, []byte(content), 0o600))
	require.NoError(t, os.Rename(tmp, path))
}

// rewriteInPlace truncates the file at path and writes content into it,
// as `echo > token` does: a reader may see it empty or half written.
func rewriteInPlace(t *testing.T, path, content string) {
	t.Helper()
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_TRUNC, 0)
	require.NoError(t, err)
	_, err = f.WriteString(content)
	require.NoError(t, err)
	require.NoError(t, f.Close())
}

// tokenFile writes content to a new token file and returns its path.
func tokenFile(t *testing.T, content string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "token")
	require.NoError(t, os.WriteFile(path, []byte(content), 0o600))
	return path
}

// fileSource returns a source of the token file at path.
func fileSource(t *testing.T, path string, opts ...tokenfile.Option) *tokenfile.Source {
	t.Helper()
	src, err := tokenfile.New(path, opts...)
	require.NoError(t, err)
	return src
}

// never is a check interval no test outlives: the file is looked at only
// after a 401 or on Refresh.
const never = time.Hour

func TestSourceFollowsAnAtomicRename(t *testing.T) {
	w := newRotationWorld(t)
	path := tokenFile(t, w.old.Secret+"\n")
	client := w.client(t, fileSource(t, path, tokenfile.WithCheckInterval(time.Millisecond)))
	require.NoError(t, w.get(client))

	writeToken(t, path, w.next.Secret+"\n")
	time.Sleep(5 * time.Millisecond) // a check is due
	w.assertSendsNextUnasked(t, client)
}

// Kubernetes updates a secret volume by writing the new files into a new
// timestamped directory and swapping the ..data symlink to it; the file
// the program reads is token -> ..data/token.
func TestSourceFollowsAKubernetesSymlinkSwap(t *testing.T) {
	w := newRotationWorld(t)
	dir := t.TempDir()
	publish := func(stamp, secret string) {
		t.Helper()
		require.NoError(t, os.Mkdir(filepath.Join(dir, stamp), 0o700))
		require.NoError(t, os.WriteFile(filepath.Join(dir, stamp, "token"), []byte(secret), 0o600))
		require.NoError(t, os.Symlink(stamp, filepath.Join(dir, "..data_tmp")))
		require.NoError(t, os.Rename(filepath.Join(dir, "..data_tmp"), filepath.Join(dir, "..data")))
	}
	publish("..2026_01_02_03_04_05.1", w.old.Secret)
	require.NoError(t, os.Symlink(filepath.Join("..data", "token"), filepath.Join(dir, "token")))
	client := w.client(t, fileSource(t, filepath.Join(dir, "token"), tokenfile.WithCheckInterval(time.Millisecond)))
	require.NoError(t, w.get(client))

	publish("..2026_02_02_03_04_05.2", w.next.Secret)
	require.NoError(t, os.RemoveAll(filepath.Join(dir, "..2026_01_02_03_04_05.1")))
	time.Sleep(5 * time.Millisecond)
	w.assertSendsNextUnasked(t, client)
}

// A file rewritten in place is seen empty, then half written, then whole:
// neither of the first two replaces the token in use, and the whole one
// is taken once it has read the same for SettleTime.
func TestSourceWaitsOutAHalfWrittenFile(t *testing.T) {
	w := newRotationWorld(t)
	path := tokenFile(t, w.old.Secret)
	src := fileSource(t, path, tokenfile.WithCheckInterval(never))
	client := w.client(t, src)

	rewriteInPlace(t, path, "")
	err := src.Refresh()
	assert.ErrorIs(t, err, tokenfile.ErrInvalid)
	assert.ErrorContains(t, err, "empty")
	assert.Equal(t, err, src.Err())
	require.NoError(t, w.get(client), "the last good token stays in use")

	rewriteInPlace(t, path, w.next.Secret[:len(w.next.Secret)/2])
	assert.NoError(t, src.Refresh(), "half a token looks like one: it is held, not refused")
	require.NoError(t, w.get(client), "...and not used")

	rewriteInPlace(t, path, w.next.Secret)
	assert.NoError(t, src.Refresh())
	require.NoError(t, w.get(client), "not used before it settles")
	tok, err := src.Token()
	require.NoError(t, err)
	assert.Equal(t, w.old.Secret, tok)

	time.Sleep(tokenfile.SettleTime)
	require.NoError(t, src.Refresh())
	w.assertSendsNextUnasked(t, client)
}

// rotatedUnseen returns a world rotated behind its client's back: the
// client's token file, looked at only after a 401, has been given the next
// token by write, and the old token retired.
func rotatedUnseen(t *testing.T, write func(t *testing.T, path, content string), opts ...losant.Option) (*rotationWorld, *losant.Client) {
	t.Helper()
	w := newRotationWorld(t)
	path := tokenFile(t, w.old.Secret)
	client := w.client(t, fileSource(t, path, tokenfile.WithCheckInterval(never)), opts...)
	write(t, path, w.next.Secret)
	w.deactivate(t, w.old)
	return w, client
}

// After a 401, a file rewritten in place that has not settled is waited
// for, and the call goes on with it.
func TestA401WaitsForAFileRewrittenInPlace(t *testing.T) {
	w, client := rotatedUnseen(t, rewriteInPlace)
	began := time.Now()
	require.NoError(t, w.get(client))
	assert.GreaterOrEqual(t, time.Since(began), tokenfile.SettleTime)
	assert.Equal(t, []int{401, 200}, w.statuses())
}

func TestA401AfterTheFileChangedIsSentAgainOnce(t *testing.T) {
	w, client := rotatedUnseen(t, writeToken, losant.WithoutRetries())
	require.NoError(t, w.get(client))
	assert.Equal(t, []int{401, 200}, w.statuses(), "one 401, then the new token, even without retries")
	require.NoError(t, w.get(client))
	assert.Equal(t, []int{200}, w.statuses(), "the new token is kept")
}

// A 401 says the API did nothing: a create is sent again as safely as a
// read, and makes one token.
func TestA401ToACreateIsSentAgainWithTheNewToken(t *testing.T) {
	w, client := rotatedUnseen(t, writeToken)
	made, err := client.APITokens(losant.User()).Create(context.Background(), gen.APITokenPost{Name: "made once", Scope: []string{"all.User.read"}})
	require.NoError(t, err)
	assert.Equal(t, []int{401, 201}, w.statuses())
	page, err := client.APITokens(losant.User()).List(context.Background(), losant.APITokenListOptions{Filter: "made once", FilterField: gen.APITokenFilterFieldName})
	require.NoError(t, err)
	assert.Equal(t, 1, page.TotalCount)
	assert.Equal(t, made.ID, page.Items[0].ID)
}

func TestA401WithAnUnchangedFileIsReturned(t *testing.T) {
	w := newRotationWorld(t)
	path := tokenFile(t, w.old.Secret)
	client := w.client(t, fileSource(t, path, tokenfile.WithCheckInterval(never)))
	w.deactivate(t, w.old)

	err := w.get(client)
	assert.True(t, losant.StatusCode(err) == http.StatusUnauthorized, "%v", err)
	assert.Equal(t, []int{401}, w.statuses(), "asked once, not again")

	// A file that cannot be taken is named beside the 401.
	require.NoError(t, os.WriteFile(path, nil, 0o600))
	err = w.get(client)
	assert.True(t, losant.StatusCode(err) == http.StatusUnauthorized, "%v", err)
	assert.ErrorIs(t, err, tokenfile.ErrInvalid)
	var fileErr *tokenfile.Error
	require.ErrorAs(t, err, &fileErr)
	assert.Equal(t, path, fileErr.Path)
	assert.ErrorContains(t, err, "empty")
	assert.NotContains(t, err.Error(), w.old.Secret)
	assert.Equal(t, []int{401}, w.statuses())
}

func TestTokenFilesThatCannotBeTakenAreClearErrors(t *testing.T) {
	dir := t.TempDir()
	cases := map[string]struct {
		make func(path string)
		is   error
		says string
	}{
		"missing":   {func(string) {}, fs.ErrNotExist, "no such file"},
		"empty":     {func(p string) { require.NoError(t, os.WriteFile(p, []byte("\n"), 0o600)) }, tokenfile.ErrInvalid, "empty"},
		"blank":     {func(p string) { require.NoError(t, os.WriteFile(p, []byte("  \t\n"), 0o600)) }, tokenfile.ErrInvalid, "empty"},
		"two words": {func(p string) { require.NoError(t, os.WriteFile(p, []byte("lsnt_abc lsnt_def\n"), 0o600)) }, tokenfile.ErrInvalid, "a space at byte 8"},
		"oversized": {func(p string) {
			require.NoError(t, os.WriteFile(p, bytes.Repeat([]byte("a"), tokenfile.MaxBytes+1), 0o600))
		}, tokenfile.ErrInvalid, "larger than 4096 bytes"},
		"binary":      {func(p string) { require.NoError(t, os.WriteFile(p, []byte("lsnt_abc\x00\x00\x00"), 0o600)) }, tokenfile.ErrInvalid, "control character at byte 8"},
		"two lines":   {func(p string) { require.NoError(t, os.WriteFile(p, []byte("lsnt_abc\nlsnt_def\n"), 0o600)) }, tokenfile.ErrInvalid, "control character at byte 8"},
		"a directory": {func(p string) { require.NoError(t, os.Mkdir(p, 0o700)) }, tokenfile.ErrInvalid, "a directory"},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			path := filepath.Join(dir, name)
			tc.make(path)
			src, err := tokenfile.New(path)
			assert.Nil(t, src)
			assert.ErrorIs(t, err, tc.is)
			var fileErr *tokenfile.Error
			require.ErrorAs(t, err, &fileErr)
			assert.Equal(t, path, fileErr.Path)
			assert.ErrorContains(t, err, fmt.Sprintf("losant: token file %q: ", path))
			assert.ErrorContains(t, err, tc.says)
			assert.NotContains(t, err.Error(), "lsnt_", "no error quotes the content")
		})
	}
	_, err := tokenfile.New(filepath.Join(dir, "x"), tokenfile.WithCheckInterval(0))
	assert.ErrorContains(t, err, "losant: tokenfile.New: WithCheckInterval(0s): want a positive interval")
}

// A byte-order mark and the white space around the token are not part of
// it, as losant-tokens --token-file reads the same file.
func TestTokenFilesAreTrimmed(t *testing.T) {
	path := filepath.Join(t.TempDir(), "token")
	require.NoError(t, os.WriteFile(path, []byte("\uFEFF  lsnt_abc \r\n"), 0o600))
	src, err := tokenfile.New(path)
	require.NoError(t, err)
	token, err := src.Token()
	require.NoError(t, err)
	assert.Equal(t, "lsnt_abc", token)
}

// While the file cannot be taken, the last good token stays in use, and
// Err says why; once it can, Err is nil again.
func TestTheLastGoodTokenStaysWhileTheFileIsBad(t *testing.T) {
	w := newRotationWorld(t)
	path := tokenFile(t, w.old.Secret)
	src := fileSource(t, path, tokenfile.WithCheckInterval(never))
	client := w.client(t, src)
	for name, bad := range map[string]func(){
		"missing":   func() { require.NoError(t, os.Remove(path)) },
		"oversized": func() { writeToken(t, path, string(bytes.Repeat([]byte("a"), tokenfile.MaxBytes+1))) },
		"binary":    func() { writeToken(t, path, "\x00\x01\x02") },
		"directory": func() { require.NoError(t, os.Remove(path)); require.NoError(t, os.Mkdir(path, 0o700)) },
	} {
		t.Run(name, func(t *testing.T) {
			bad()
			err := src.Refresh()
			var fileErr *tokenfile.Error
			assert.ErrorAs(t, err, &fileErr)
			assert.Equal(t, err, src.Err())
			require.NoError(t, w.get(client))
			require.NoError(t, os.RemoveAll(path))
			writeToken(t, path, w.old.Secret)
			assert.NoError(t, src.Refresh())
			assert.NoError(t, src.Err())
		})
	}
}

// An unreadable file keeps the last good token. Root reads any file
// whatever its mode, so as root the test runs again as nobody.
func TestAnUnreadableTokenFile(t *testing.T) {
	if os.Geteuid() == 0 {
		runAsNobody(t, "TestAnUnreadableTokenFile")
		return
	}
	w := newRotationWorld(t)
	path := tokenFile(t, w.old.Secret)
	src := fileSource(t, path, tokenfile.WithCheckInterval(never))
	client := w.client(t, src)
	require.NoError(t, os.Chmod(path, 0))
	require.NoError(t, os.Chtimes(path, time.Now(), time.Now().Add(time.Second))) // a change to look at

	err := src.Refresh()
	assert.ErrorIs(t, err, fs.ErrPermission)
	assert.ErrorContains(t, err, fmt.Sprintf("losant: token file %q: open: permission denied", path))
	require.NoError(t, w.get(client))

	_, err = tokenfile.New(path)
	assert.ErrorIs(t, err, fs.ErrPermission)
}

// 50 goroutines call while the file flips between two active tokens, by
// rename, many times a check interval: every call succeeds (-race).
func TestConcurrentCallsWhileTheFileFlips(t *testing.T) {
	w := newRotationWorld(t)
	path := tokenFile(t, w.old.Secret)
	client := w.client(t, fileSource(t, path, tokenfile.WithCheckInterval(time.Millisecond)))
	stop := make(chan struct{})
	flipped := make(chan int)
	go func() {
		n := 0
		for ; ; n++ {
			select {
			case <-stop:
				flipped <- n
				return
			default:
			}
			secret := w.old.Secret
			if n%2 == 0 {
				secret = w.next.Secret
			}
			writeToken(t, path, secret)
			time.Sleep(200 * time.Microsecond)
		}
	}()
	var wg sync.WaitGroup
	errs := make(chan error, 50*20)
	for range 50 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for range 20 {
				errs <- w.get(client)
			}
		}()
	}
	wg.Wait()
	close(stop)
	assert.Positive(t, <-flipped)
	close(errs)
	for err := range errs {
		require.NoError(t, err)
	}
}

// No secret, old or new, is in an error, a log line or fmt's output of the
// client, its options or its source, whatever the verb.
func TestTokenSourcesNeverShowTheSecret(t *testing.T) {
	w := newRotationWorld(t)
	path := tokenFile(t, w.old.Secret)
	src := fileSource(t, path, tokenfile.WithCheckInterval(never))
	var logs bytes.Buffer
	logger := slog.New(slog.NewJSONHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	opts := []losant.Option{losant.WithBaseURL(w.srv.URL), losant.WithTokenSource(src), losant.WithLogger(logger)}
	client, err := losant.NewClient("", opts...)
	require.NoError(t, err)
	writeToken(t, path, w.next.Secret)
	w.deactivate(t, w.old)
	require.NoError(t, w.get(client)) // a 401, logged, then the new token

	w.deactivate(t, w.next)
	require.NoError(t, os.WriteFile(path, []byte(w.old.Secret+"\x00"), 0o600))
	callErr := w.get(client)
	require.Error(t, callErr)
	_, fileErr := tokenfile.New(path)
	require.Error(t, fileErr)

	funcSrc := losant.TokenSourceFunc(func() (string, error) { return w.next.Secret, nil })
	for _, verb := range []string{"%v", "%+v", "%#v", "%s", "%q", "%x"} {
		for _, v := range []any{client, *client, opts, src, funcSrc, losant.WithTokenSource(funcSrc), callErr, fileErr, src.Err()} {
			out := fmt.Sprintf(verb, v)
			for _, secret := range []string{w.old.Secret, w.next.Secret} {
				assert.NotContains(t, out, secret, verb)
				assert.NotContains(t, out, fmt.Sprintf("%x", secret), verb)
			}
		}
	}
	assert.Contains(t, logs.String(), "losant: retrying")
	assert.Contains(t, logs.String(), `"status":401`)
	for _, secret := range []string{w.old.Secret, w.next.Secret} {
		assert.NotContains(t, logs.String(), secret)
	}
}
