package tokenfile

import (
	"context"
	"fmt"
	"io"
	"io/fs"
	"os"
	"strconv"
	"sync/atomic"
	"syscall"
	"time"

	"github.com/specdriven/losant/internal/shipped/clock"
)

// Source is a losant.TokenSource of the token in a file, read again when
// the file changes; a 401 has the client reread it (see RereadToken). A
// file that cannot be taken leaves the last token read in use, and Err
// says why. Make one with New; one may serve many clients, concurrently.
// No output of the source's (an error, fmt's verbs on it) holds the token.
// docs/GUIDE.md's "Token sources" says how it reads the file.
type Source struct {
	path     string
	interval time.Duration
	epoch    time.Time    // due counts from it, on the monotonic clock
	due      atomic.Int64 // when the next check is due, in nanoseconds from epoch
	cur      atomic.Pointer[string]
	err      atomic.Pointer[Error] // the last check's problem; nil when none

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

// DefaultCheckInterval is how often, at most, a Source looks at its file
// unless WithCheckInterval says otherwise.
const DefaultCheckInterval = time.Second

// SettleTime is how long a file rewritten in place must read the same
// before its content is taken: a writer still writing would have changed it.
const SettleTime = 100 * time.Millisecond

// An Option changes how a Source reads its file.
type Option func(*Source)

// WithCheckInterval sets how often, at most, a Source looks at its file for
// a change (default DefaultCheckInterval). A look is a stat; the file is
// read only when the stat says it changed.
func WithCheckInterval(d time.Duration) Option {
	return func(s *Source) { s.interval = d }
}

// New returns a source of the token in the file at path, which it reads
// now: a file that cannot be read, or holds no token (see Parse), is an
// error, an *Error.
func New(path string, opts ...Option) (*Source, error) {
	s := &Source{path: path, interval: DefaultCheckInterval, epoch: time.Now(), checking: make(chan struct{}, 1)}
	for _, opt := range opts {
		if opt != nil {
			opt(s)
		}
	}
	if s.interval <= 0 {
		return nil, fmt.Errorf("losant: tokenfile.New: WithCheckInterval(%v): want a positive interval", s.interval)
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
func (s *Source) Token() (string, error) {
	if time.Since(s.epoch) >= time.Duration(s.due.Load()) && s.tryLock() {
		_ = s.check(time.Now())
		s.unlock()
	}
	return *s.cur.Load(), nil
}

// Refresh looks at the file now, whatever the interval, and returns what
// Err would then: nil when the file holds the token in use, or one being
// taken (a file rewritten in place, until it settles).
func (s *Source) Refresh() error {
	return s.refresh(context.Background())
}

// refresh is Refresh, waiting for a check under way no longer than ctx
// allows.
func (s *Source) refresh(ctx context.Context) error {
	if err := s.lock(ctx); err != nil {
		return err
	}
	defer s.unlock()
	return s.check(time.Now())
}

// lock takes checking, or gives up when ctx is done.
func (s *Source) lock(ctx context.Context) error {
	select {
	case s.checking <- struct{}{}:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// tryLock takes checking if no check is under way.
func (s *Source) tryLock() bool {
	select {
	case s.checking <- struct{}{}:
		return true
	default:
		return false
	}
}

func (s *Source) unlock() { <-s.checking }

// Err returns why the file's content was not taken at the last look, as an
// *Error, or nil when it was, or nothing had changed. While it is not nil
// the last token read stays in use: a program can report it, such as from
// a health check.
func (s *Source) Err() error {
	if e := s.err.Load(); e != nil {
		return e
	}
	return nil
}

// RereadToken looks at the file now, as the client asks after a 401: a
// file rewritten in place and not yet settled is waited for, within ctx,
// and read again. It returns the token then in use, and why the file's
// content was not taken (as Err would), or ctx's error.
func (s *Source) RereadToken(ctx context.Context) (string, error) {
	if err := s.lock(ctx); err != nil {
		return *s.cur.Load(), err
	}
	err := s.check(time.Now())
	wait := time.Duration(-1)
	if s.pending != nil {
		wait = SettleTime - time.Since(s.pending.since)
	}
	s.unlock()
	if wait >= 0 && clock.Sleep(ctx, wait) == nil {
		err = s.refresh(ctx)
	}
	return *s.cur.Load(), err
}

// String names the source by its file, never its token.
func (s *Source) String() string {
	return "tokenfile.Source(" + strconv.Quote(s.path) + ")"
}

// GoString is String, for %#v.
func (s *Source) GoString() string { return s.String() }

// check looks at the file, and takes its token if it changed and can be
// taken; checking is held. It returns, and keeps for Err, why it could not.
func (s *Source) check(now time.Time) error {
	s.due.Store(int64(now.Sub(s.epoch) + s.interval))
	token, state, err := s.read()
	if err != nil {
		s.pending = nil
		e := &Error{Path: s.path, Err: err}
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
		if now.Sub(s.pending.since) < SettleTime {
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
func (s *Source) read() (string, fileState, error) {
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
	data, err := io.ReadAll(io.LimitReader(f, MaxBytes+1))
	if err != nil {
		return "", fileState{}, pathCause(err)
	}
	token, err := Parse(data)
	return token, stateOf(info), err
}

// beforeOpen, when set by a test, runs between the stat and the open of
// a read: the window in which another file may be swapped in.
var beforeOpen func()

// checkRegular refuses a file that is not a regular file.
func checkRegular(info fs.FileInfo) error {
	switch {
	case info.IsDir():
		return fmt.Errorf("%w: a directory", ErrInvalid)
	case !info.Mode().IsRegular():
		return fmt.Errorf("%w: not a regular file", ErrInvalid)
	}
	return nil
}
