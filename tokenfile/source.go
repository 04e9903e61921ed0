package losant

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"strconv"
	"strings"
	"sync/atomic"
	"syscall"
	"time"
)

// FileTokenSource is a TokenSource that reads the API token from a file
// and reads it again when the file changes: a Kubernetes secret volume
// (whose ..data symlink is swapped), a file a secrets agent replaces by
// renaming a new one over it, or one rewritten in place. Make one with
// NewFileTokenSource and give it to WithTokenSource; one source may serve
// many clients. It is safe for concurrent use.
//
// Token looks at the file (a stat) at most once per check interval, on
// the goroutine of one call while the others go on with the token they
// have; a client looks at once after a 401. A file swapped in whole (a
// new file renamed or linked into place) is taken as soon as it is seen.
// A file rewritten in place may be seen half written: its new content is
// taken once two reads at least FileSettleTime apart find it the same.
//
// The file holds the token alone; a byte-order mark and white space
// around it are dropped. A file that is missing, unreadable, empty or
// blank, larger than MaxTokenFileBytes, or holds a control character or a
// space within the token is not taken: the last token read stays in
// use, and Err says what is wrong, as a *TokenFileError.
//
// No output of the source's (an error, fmt's verbs on it) holds the token.
type FileTokenSource struct {
	path     string
	interval time.Duration
	epoch    time.Time    // due counts from it, on the monotonic clock
	due      atomic.Int64 // when the next check is due, in nanoseconds from epoch
	cur      atomic.Pointer[string]
	err      atomic.Pointer[TokenFileError] // the last check's problem; nil when none

	// checking is held by the one check under way: a channel, not a
	// mutex, so that a re-read after a 401 waits for it only as long as
	// its call's context allows.
	checking chan struct{}
	seen     fileState  // the file as last read
	taken    fileState  // the file the current token was read from
	pending  *candidate // content of a file rewritten in place, until it settles
}

// fileState is what a stat says of a file: which file it is, and whether
// it has changed.
type fileState struct {
	info  fs.FileInfo // for os.SameFile; nil when none was read
	size  int64
	mtime time.Time
}

func stateOf(info fs.FileInfo) fileState {
	return fileState{info: info, size: info.Size(), mtime: info.ModTime()}
}

// same reports whether s and o are the same file, unchanged as far as a
// stat can tell.
func (s fileState) same(o fileState) bool {
	return s.sameFile(o) && s.size == o.size && s.mtime.Equal(o.mtime)
}

func (s fileState) sameFile(o fileState) bool {
	return s.info != nil && o.info != nil && os.SameFile(s.info, o.info)
}

// candidate is a token read from a file rewritten in place, and when it
// was first read so.
type candidate struct {
	token string
	state fileState
	since time.Time
}

// MaxTokenFileBytes is the largest token file FileTokenSource reads. An API
// token is a few hundred bytes; anything much larger is another file.
const MaxTokenFileBytes = 4 << 10

// DefaultFileCheckInterval is how often, at most, a FileTokenSource looks
// at its file unless FileCheckInterval says otherwise.
const DefaultFileCheckInterval = time.Second

// FileSettleTime is how long a file rewritten in place must read the same
// before its content is taken: a writer still writing would have changed it.
const FileSettleTime = 100 * time.Millisecond

// ErrInvalidTokenFile is wrapped by the *TokenFileError of a token file
// whose content is not a token: empty, too large, holding a control
// character, or not a regular file.
var ErrInvalidTokenFile = errors.New("not a token file")

// TokenFileError says why a token file was not taken. It names the file,
// never its content.
type TokenFileError struct {
	// Path is the file's path, as given to NewFileTokenSource.
	Path string
	// Err is the cause: an error of the file system (errors.Is it
	// fs.ErrNotExist or fs.ErrPermission), or one that wraps
	// ErrInvalidTokenFile.
	Err error
}

func (e *TokenFileError) Error() string {
	return "losant: token file " + strconv.Quote(e.Path) + ": " + e.Err.Error()
}

// Unwrap returns Err.
func (e *TokenFileError) Unwrap() error { return e.Err }

// A FileTokenOption changes how a FileTokenSource reads its file.
type FileTokenOption func(*FileTokenSource)

// FileCheckInterval sets how often, at most, a FileTokenSource looks at its
// file for a change (default DefaultFileCheckInterval). A look is a stat; the
// file is read only when the stat says it changed.
func FileCheckInterval(d time.Duration) FileTokenOption {
	return func(s *FileTokenSource) { s.interval = d }
}

// NewFileTokenSource returns a source of the token in the file at path,
// which it reads now: a file that cannot be read, or holds no token, is an
// error (a *TokenFileError).
func NewFileTokenSource(path string, opts ...FileTokenOption) (*FileTokenSource, error) {
	s := &FileTokenSource{path: path, interval: DefaultFileCheckInterval, epoch: time.Now(), checking: make(chan struct{}, 1)}
	for _, opt := range opts {
		if opt != nil {
			opt(s)
		}
	}
	if s.interval <= 0 {
		return nil, fmt.Errorf("losant: NewFileTokenSource: FileCheckInterval(%v): want a positive interval", s.interval)
	}
	s.checking <- struct{}{}
	defer s.unlock()
	if err := s.check(time.Now()); err != nil {
		return nil, err
	}
	return s, nil
}

// Token returns the token last read from the file, having looked at the
// file first when the check interval has gone by. It returns no error:
// a file that cannot be taken leaves the last token in use (see Err).
func (s *FileTokenSource) Token() (string, error) {
	if time.Since(s.epoch) >= time.Duration(s.due.Load()) && s.tryLock() {
		_ = s.check(time.Now())
		s.unlock()
	}
	return *s.cur.Load(), nil
}

// Refresh looks at the file now, whatever the interval, and returns what
// Err would then: nil when the file holds the token in use, or one being
// taken (a file rewritten in place, until it settles).
func (s *FileTokenSource) Refresh() error {
	return s.refresh(context.Background())
}

// refresh is Refresh, waiting for a check under way no longer than ctx
// allows.
func (s *FileTokenSource) refresh(ctx context.Context) error {
	if err := s.lock(ctx); err != nil {
		return err
	}
	defer s.unlock()
	return s.check(time.Now())
}

// lock takes checking, or gives up when ctx is done.
func (s *FileTokenSource) lock(ctx context.Context) error {
	select {
	case s.checking <- struct{}{}:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// tryLock takes checking if no check is under way.
func (s *FileTokenSource) tryLock() bool {
	select {
	case s.checking <- struct{}{}:
		return true
	default:
		return false
	}
}

func (s *FileTokenSource) unlock() { <-s.checking }

// Err returns why the file's content was not taken at the last look, as a
// *TokenFileError, or nil when it was, or nothing had changed. While it is
// not nil the last token read stays in use: a program can report it, such
// as from a health check.
func (s *FileTokenSource) Err() error {
	if e := s.err.Load(); e != nil {
		return e
	}
	return nil
}

// reread looks at the file now, as after a 401: a file rewritten in place
// and not yet settled is waited for, within ctx, and read again.
func (s *FileTokenSource) reread(ctx context.Context) (string, error) {
	if err := s.lock(ctx); err != nil {
		return *s.cur.Load(), err
	}
	err := s.check(time.Now())
	wait := time.Duration(-1)
	if s.pending != nil {
		wait = FileSettleTime - time.Since(s.pending.since)
	}
	s.unlock()
	if wait >= 0 && sleep(ctx, wait) == nil {
		err = s.refresh(ctx)
	}
	return *s.cur.Load(), err
}

// String names the source by its file, never its token.
func (s *FileTokenSource) String() string {
	return "losant.FileTokenSource(" + strconv.Quote(s.path) + ")"
}

// GoString is String, for %#v.
func (s *FileTokenSource) GoString() string { return s.String() }

// check looks at the file, and takes its token if it changed and can be
// taken; checking is held. It returns, and keeps for Err, why it could not.
func (s *FileTokenSource) check(now time.Time) error {
	s.due.Store(int64(now.Sub(s.epoch) + s.interval))
	token, state, err := s.read()
	if err != nil {
		s.pending = nil
		e := &TokenFileError{Path: s.path, Err: err}
		s.err.Store(e)
		return e
	}
	s.seen = state
	switch cur := s.cur.Load(); {
	case token == "": // unchanged since the last read
	case cur != nil && token == *cur:
		s.pending, s.taken = nil, state
	case cur != nil && state.sameFile(s.taken): // rewritten in place: perhaps half written
		if p := s.pending; p == nil || p.token != token || !p.state.same(state) {
			s.pending = &candidate{token: token, state: state, since: now}
			break
		}
		if now.Sub(s.pending.since) < FileSettleTime {
			break
		}
		fallthrough
	default:
		s.cur.Store(&token)
		s.pending, s.taken = nil, state
	}
	s.err.Store(nil)
	return nil
}

// read stats the file and, unless it is unchanged since the last read
// with nothing pending, reads its token: "" when it was not read.
func (s *FileTokenSource) read() (string, fileState, error) {
	info, err := os.Stat(s.path) // through symlinks: a swapped ..data is a new file
	if err != nil {
		return "", fileState{}, pathCause(err)
	}
	if err := checkRegular(info); err != nil { // a directory, or a FIFO that would block a read
		return "", fileState{}, err
	}
	state := stateOf(info)
	if state.same(s.seen) && s.pending == nil && s.err.Load() == nil {
		return "", state, nil
	}
	if beforeOpen != nil {
		beforeOpen()
	}
	// Non-blocking: a FIFO swapped in since the stat must not block the
	// open (and every check behind it); the stat of what was opened
	// refuses it below. A regular file's reads ignore the flag.
	f, err := os.OpenFile(s.path, os.O_RDONLY|syscall.O_NONBLOCK, 0)
	if err != nil {
		return "", fileState{}, pathCause(err)
	}
	defer f.Close()
	if info, err = f.Stat(); err != nil {
		return "", fileState{}, pathCause(err)
	}
	if err := checkRegular(info); err != nil { // another file was swapped in since the stat
		return "", fileState{}, err
	}
	data, err := io.ReadAll(io.LimitReader(f, MaxTokenFileBytes+1))
	if err != nil {
		return "", fileState{}, pathCause(err)
	}
	token, err := parseTokenFile(data)
	return token, stateOf(info), err
}

// beforeOpen, when set by a test, runs between the stat and the open of
// a read: the window in which another file may be swapped in.
var beforeOpen func()

// checkRegular refuses a file that is not a regular file.
func checkRegular(info fs.FileInfo) error {
	switch {
	case info.IsDir():
		return fmt.Errorf("%w: a directory", ErrInvalidTokenFile)
	case !info.Mode().IsRegular():
		return fmt.Errorf("%w: not a regular file", ErrInvalidTokenFile)
	}
	return nil
}

// parseTokenFile returns the token a file's content holds. Its errors say
// what is wrong and where, never what the content is.
func parseTokenFile(data []byte) (string, error) {
	if len(data) > MaxTokenFileBytes {
		return "", fmt.Errorf("%w: larger than %d bytes", ErrInvalidTokenFile, MaxTokenFileBytes)
	}
	// As losant-tokens --token-file reads a file: a byte-order mark and
	// the spaces and line ends an editor or `echo` leaves around the token
	// are not part of it.
	token := strings.TrimSpace(strings.TrimPrefix(string(data), "\uFEFF"))
	if token == "" {
		return "", fmt.Errorf("%w: empty", ErrInvalidTokenFile)
	}
	if i := strings.IndexByte(token, ' '); i >= 0 {
		return "", fmt.Errorf("%w: a space at byte %d: want the token alone", ErrInvalidTokenFile, i)
	}
	if i := indexControl(token); i >= 0 {
		return "", fmt.Errorf("%w: a control character at byte %d", ErrInvalidTokenFile, i)
	}
	return token, nil
}

// pathCause is err without the path a *PathError repeats: a
// TokenFileError names the file once.
func pathCause(err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return fmt.Errorf("%s: %w", pe.Op, pe.Err)
	}
	return err
}
