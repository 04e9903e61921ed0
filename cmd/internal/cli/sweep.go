package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"iter"
	"net/http"
	"slices"
	"strings"
	"sync"

	"github.com/spf13/cobra"

	"github.com/specdriven/losant"
)

// sweepFlags are the flags of a command that can read every owner at once.
type sweepFlags struct {
	allOwners   bool
	concurrency *int        // the globals' maxInFlight: the client reads it
	given       func() bool // whether --concurrency was given
}

// The bounds and default of --concurrency.
const (
	defaultConcurrency = 8
	maxConcurrency     = 64
)

// registerSweep adds --all-owners and --concurrency to cmd, after its own
// flags.
func (c *commands) registerSweep(cmd *cobra.Command, s *sweepFlags) {
	s.concurrency = &c.g.maxInFlight
	f := cmd.Flags()
	help := "every owner the access token reaches: the user, each application it may see and each instance it is a member of, in that fixed order (each list by ID)"
	// Called after the command's own flags: the help names only those it has.
	if f.Lookup("sort") != nil {
		help += "; --sort orders the tokens within each owner"
	}
	if f.Lookup("limit") != nil {
		help += "; --limit counts across owners in that order"
	}
	f.BoolVar(&s.allOwners, "all-owners", false, help)
	f.IntVar(s.concurrency, "concurrency", defaultConcurrency, fmt.Sprintf("with --all-owners, the most requests in flight at once (1 to %d)", maxConcurrency))
	s.given = func() bool { return f.Changed("concurrency") }
}

// check refuses --all-owners beside flags that name owners, and a
// --concurrency out of bounds.
func (s *sweepFlags) check(c *commands) error {
	if !s.allOwners {
		if s.given != nil && s.given() {
			return usageError{errors.New("--concurrency applies only with --all-owners")}
		}
		*s.concurrency = 0 // one owner: no limit but the one request at a time
		return nil
	}
	if len(c.g.applications)+len(c.g.instances) > 0 {
		return usageError{errors.New("--all-owners reads every owner: leave out --application and --instance")}
	}
	if *s.concurrency < 1 || *s.concurrency > maxConcurrency {
		return usageError{fmt.Errorf("--concurrency %d: want 1 to %d", *s.concurrency, maxConcurrency)}
	}
	return nil
}

// sweepAction is action for a command that can sweep every owner: the
// sweep flags are checked before the client is made, which the
// concurrency bounds.
func (c *commands) sweepAction(s *sweepFlags, fn func(cmd *cobra.Command, s session, args []string) error) func(*cobra.Command, []string) error {
	return c.actionOn(func() ([]losant.Owner, error) {
		if err := s.check(c); err != nil {
			return nil, err
		}
		return c.oneOwner()
	}, fn)
}

// sweepOutcome is what a sweep read and what it did not: the owners read
// (and printed), each owner that could not be read and why, each list of
// owners that stopped, and whether it was interrupted.
type sweepOutcome struct {
	read        []namedOwner
	unread      []unreadOwner
	lists       []error // each a list of owners that stopped (*ownerListError)
	known       int     // the owners found, read or not
	interrupted bool    // the context ended: the owners not read were not tried
	limited     bool    // the output had all it wanted (--limit): the owners after were not read
}

// complete reports whether every owner found was read, and every list of
// owners read to the end.
func (o *sweepOutcome) complete() bool {
	return !o.interrupted && !o.limited && len(o.unread)+len(o.lists) == 0
}

// unreadOwner is an owner a sweep could not read, and why.
type unreadOwner struct {
	owner namedOwner
	err   error
}

// result is the error of the sweep's run: nil when every owner was read
// (also: what else the run found, such as audit's findings).
func (o *sweepOutcome) result(also error) error {
	switch {
	case o.interrupted:
		return &sweepInterrupted{read: len(o.read), known: o.known, listsWhole: len(o.lists) == 0, also: also}
	case len(o.read) == 0 && len(o.unread)+len(o.lists) > 0:
		n := &nothingRead{lists: o.lists}
		for _, u := range o.unread {
			n.owners = append(n.owners, u.err)
		}
		return n
	case len(o.unread)+len(o.lists) > 0:
		return &someOwnersFailed{read: len(o.read), failed: len(o.unread), lists: o.lists, also: also}
	}
	return also
}

// someOwnersFailed is the error of a sweep in which some owners could not
// be read, or a list of owners stopped: each is reported on stderr as it
// fails, the others' results are printed.
type someOwnersFailed struct {
	read, failed int
	lists        []error // the lists of owners that stopped
	also         error   // what else the run found, such as audit's findings
}

func (e *someOwnersFailed) Error() string {
	var msg string
	if len(e.lists) == 0 {
		msg = fmt.Sprintf("%d of %d owners could not be read (named above); what was printed is whole for the others", e.failed, e.read+e.failed)
	} else {
		msg = fmt.Sprintf("the %s could not be read to the end (named above), so how many owners there are is unknown: %d owners were read", listNouns(e.lists), e.read)
		if e.failed > 0 {
			msg += fmt.Sprintf(" and %d more could not be (named above)", e.failed)
		}
		msg += "; what was printed is whole for those read"
	}
	if e.also != nil {
		msg += "; " + e.also.Error()
	}
	return msg
}

// listNouns names the lists of owners that stopped: "list of instances",
// "lists of applications and instances".
func listNouns(lists []error) string {
	var nouns []string
	for _, err := range lists {
		var listErr *ownerListError
		if errors.As(err, &listErr) {
			nouns = append(nouns, safe(listErr.Collection))
		}
	}
	switch len(nouns) {
	case 0:
		return "list of owners"
	case 1:
		return "list of " + nouns[0]
	}
	return "lists of " + strings.Join(nouns, " and ")
}

// nothingRead is the error of a sweep that read no owner at all: its exit
// status is the one reading a single owner would give for the cause (a
// 401 or 403: exit 4), not that of a sweep in part.
type nothingRead struct {
	lists  []error // the lists of owners that stopped
	owners []error // why each owner found could not be read
}

func (e *nothingRead) Error() string {
	if len(e.owners) == 0 && len(e.lists) > 0 && anyUnauthorized(e.lists) {
		return "no owner could be read: the access token was refused (not valid, expired, inactive or deleted: the answer above); " +
			"check $LOSANT_API_TOKEN or --token-file"
	}
	if len(e.owners) == 0 && len(e.lists) > 0 && allDenied(e.lists) {
		return "no owner could be read: the access token may list neither the applications nor the instances " +
			"(an application's or an instance's own token reaches only its owner): " +
			"name its owner with -a/--application ID or -i/--instance ID instead of --all-owners"
	}
	msg := "no owner could be read"
	if len(e.lists) > 0 {
		msg += fmt.Sprintf(": the %s could not be read (named above)", listNouns(e.lists))
	}
	if len(e.owners) > 0 {
		msg += fmt.Sprintf("; none of the %d owners found could be read (named above)", len(e.owners))
	}
	return msg
}

func (e *nothingRead) Unwrap() []error { return append(append([]error{}, e.lists...), e.owners...) }

// anyUnauthorized reports whether any error is a 401: the token itself
// was refused, whatever it may list.
func anyUnauthorized(errs []error) bool {
	return slices.ContainsFunc(errs, losant.IsUnauthorized)
}

// allDenied reports whether every error is a 401 or a 403.
func allDenied(errs []error) bool {
	for _, err := range errs {
		if !losant.IsForbidden(err) && !losant.IsUnauthorized(err) {
			return false
		}
	}
	return true
}

// sweepInterrupted is the error of a sweep the context ended: the owners
// read were printed whole, the others not at all.
type sweepInterrupted struct {
	read, known int
	listsWhole  bool // whether the lists of owners were read to the end
	also        error
}

func (e *sweepInterrupted) Error() string {
	msg := fmt.Sprintf("interrupted: %d of the %d owners found were read, and printed whole; the others not at all", e.read, e.known)
	if !e.listsWhole {
		msg += " (the lists of owners were not read to the end: there may be more)"
	}
	if e.also != nil {
		msg += "; " + e.also.Error()
	}
	return msg
}

func (e *sweepInterrupted) Unwrap() error { return context.Canceled }

// ownerRead is one owner's result in a sweep, or the error of reading it
// (or of listing the owners, when owner is zero).
type ownerRead[T any] struct {
	n     int // its place in the order owners were found
	owner namedOwner
	value T
	err   error
}

// sweep runs read for every owner the client reaches (the user too,
// unless noUser), concurrency owners at a time, and hands each owner's
// value to emit in the order the owners were found: an owner's output is
// printed whole once it is read, never in part. At most 2*concurrency
// owners are read ahead of the one printed next. An owner whose read
// fails, and a list of owners that stops, is reported on stderr and
// counted in the outcome; the others go on. A value read and not handed to
// emit (the sweep stopped) is handed to drop, if any. An error of emit
// (the output) ends the sweep, and is returned; the end of parent is not
// an error, but the outcome's.
func sweep[T any](parent context.Context, c *commands, client *losant.Client, noUser bool, concurrency int,
	read func(context.Context, losant.APITokenService) (T, error), emit func(namedOwner, T) error, drop func(T)) (*sweepOutcome, error) {
	ctx, cancel := context.WithCancel(parent)
	defer cancel()
	jobs := make(chan ownerRead[T])
	results := make(chan ownerRead[T], concurrency)
	ahead := make(chan struct{}, 2*concurrency) // a slot for each owner found and not yet printed
	known := 0
	go func() {
		defer close(jobs)
		n := 0
		for owner, err := range owners(ctx, client) {
			if err == nil && noUser && owner.Owner.Type() == losant.APITokenOwnerTypeUser {
				continue
			}
			select {
			case ahead <- struct{}{}:
			case <-ctx.Done():
				return
			}
			if err == nil {
				known++
			}
			select {
			case jobs <- ownerRead[T]{n: n, owner: owner, err: err}:
				n++
			case <-ctx.Done():
				return
			}
		}
	}()
	var workers sync.WaitGroup
	for range concurrency {
		workers.Add(1)
		go func() {
			defer workers.Done()
			for job := range jobs {
				if job.err == nil {
					job.value, job.err = read(ctx, client.APITokens(job.owner.Owner))
				}
				results <- job
			}
		}()
	}
	go func() {
		workers.Wait()
		close(results)
	}()
	out := &sweepOutcome{}
	var err error
	pending := map[int]ownerRead[T]{}
	next, enough := 0, false
	for r := range results {
		pending[r.n] = r
		for {
			r, ok := pending[next]
			if !ok {
				break
			}
			delete(pending, next)
			next++
			<-ahead
			switch {
			case err != nil || enough: // the output failed, or has all it wants: drain, print nothing more
				if r.err == nil && drop != nil {
					drop(r.value)
				}
			case r.err != nil && parent.Err() != nil && errors.Is(r.err, context.Canceled):
				out.interrupted = true // not this owner's failure
			case r.err != nil && r.owner.Owner.Type() == "": // a list of owners stopped
				out.lists = append(out.lists, r.err)
				c.env.warnf("%s", safe(inCLIWords(r.err.Error())))
			case r.err != nil:
				out.unread = append(out.unread, unreadOwner{r.owner, r.err})
				c.env.warnf("%s: %s", ownerName(r.owner), safe(inCLIWords(r.err.Error())))
			default:
				out.read = append(out.read, r.owner)
				if err = emit(r.owner, r.value); errors.Is(err, errEnough) {
					err, enough, out.limited = nil, true, true
				}
				if err != nil || enough {
					cancel()
				}
			}
		}
	}
	out.known = known // the finder is done: jobs closed before the workers ended
	if parent.Err() != nil {
		out.interrupted = true
	}
	return out, err
}

// errEnough is what a sweep's emit returns when the output has all it
// wants (--limit): the sweep stops reading, without an error.
var errEnough = errors.New("enough")

// sweepTokens prints the tokens (those keep keeps) that tokens yields for
// every owner the session's client reaches, each owner's whole once it
// is read, up to limit (0: all); empty when there is none. Each owner's
// tokens wait in a spool until printed: memory holds a page and a few
// spools' worth, however many tokens an owner has.
func (c *commands) sweepTokens(ctx context.Context, s session, concurrency int, tokens func(context.Context, losant.APITokenService) iter.Seq2[*losant.APIToken, error],
	keep func(*losant.APIToken) bool, limit int, empty string) error {
	out := s.out.ownersStream()
	read := func(ctx context.Context, service losant.APITokenService) (*spool[losant.APIToken], error) {
		kept := newSpool[losant.APIToken]()
		for t, err := range tokens(ctx, service) {
			if err == nil && keep(t) {
				err = kept.put(t)
			}
			if err != nil {
				kept.close()
				return nil, err
			}
		}
		return kept, nil
	}
	emit := func(o namedOwner, kept *spool[losant.APIToken]) error {
		defer kept.close()
		for t, err := range kept.rows() {
			if err != nil {
				return err
			}
			if err := out.addOf(o, t); err != nil {
				return err
			}
			if limit > 0 && out.n >= limit { // met: the owners after it are not read
				return errEnough
			}
		}
		return nil
	}
	outcome, err := sweep(ctx, c, s.client, false, concurrency, read, emit, (*spool[losant.APIToken]).close)
	if err != nil {
		return err
	}
	if err := out.endSweep(empty, outcome); err != nil {
		return err
	}
	return outcome.result(nil)
}

// ownerName names an owner for a message or a row: "user",
// "application 575ec8687ae143cd83dc4a97 (Greenhouse)", its name made safe
// for a terminal.
func ownerName(o namedOwner) string { return named(o.Owner.String(), o.Name) }

// named is owner followed by its name in brackets, made safe for a
// terminal; owner alone when it has no name.
func named(owner, name string) string {
	if name == "" {
		return safe(owner)
	}
	return safe(owner) + " (" + safe(name) + ")"
}

// inFlightLimit lets at most cap(slots) requests be in flight at once,
// from sending one to closing its answer's body, whatever the goroutines
// and retries that send them.
type inFlightLimit struct {
	next  http.RoundTripper
	slots chan struct{}
}

func limitInFlight(n int) func(http.RoundTripper) http.RoundTripper {
	return func(next http.RoundTripper) http.RoundTripper {
		return &inFlightLimit{next: next, slots: make(chan struct{}, n)}
	}
}

func (l *inFlightLimit) RoundTrip(r *http.Request) (*http.Response, error) {
	select {
	case l.slots <- struct{}{}:
	case <-r.Context().Done():
		return nil, r.Context().Err()
	}
	resp, err := l.next.RoundTrip(r)
	if err != nil {
		<-l.slots
		return nil, err
	}
	resp.Body = &releasingBody{ReadCloser: resp.Body, release: sync.OnceFunc(func() { <-l.slots })}
	return resp, nil
}

// releasingBody is an answer's body that frees its request's slot when
// closed.
type releasingBody struct {
	io.ReadCloser
	release func()
}

func (b *releasingBody) Close() error {
	err := b.ReadCloser.Close()
	b.release()
	return err
}
