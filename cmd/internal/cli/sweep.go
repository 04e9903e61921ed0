package cli

import (
	"context"
	"errors"
	"fmt"
	"iter"
	"sync"

	"github.com/spf13/cobra"

	"github.com/specdriven/losant"
	"github.com/specdriven/losant/gen"
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
			if err == nil && noUser && owner.Owner.Type() == gen.APITokenOwnerTypeUser {
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
func (c *commands) sweepTokens(ctx context.Context, s session, concurrency int, tokens func(context.Context, losant.APITokenService) iter.Seq2[*gen.APIToken, error],
	keep func(*gen.APIToken) bool, limit int, empty string) error {
	out := s.out.ownersStream()
	read := func(ctx context.Context, service losant.APITokenService) (*spool[gen.APIToken], error) {
		kept := newSpool[gen.APIToken]()
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
	emit := func(o namedOwner, kept *spool[gen.APIToken]) error {
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
	outcome, err := sweep(ctx, c, s.client, false, concurrency, read, emit, (*spool[gen.APIToken]).close)
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
