package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"iter"
	"net/http"
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

func (c *commands) registerSweep(cmd *cobra.Command, s *sweepFlags) {
	s.concurrency = &c.g.maxInFlight
	f := cmd.Flags()
	f.BoolVar(&s.allOwners, "all-owners", false, "every owner the access token reaches: the user, each application it may see and each instance it is a member of")
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

// someOwnersFailed is the error of a sweep in which some owners could not
// be read: each is reported on stderr as it fails, the others' results
// are printed.
type someOwnersFailed struct {
	failed, of int
	also       error // what else the run found, such as audit's findings
}

func (e *someOwnersFailed) Error() string {
	msg := fmt.Sprintf("%d of %d owners could not be read (named above); what was printed is whole for the others", e.failed, e.of)
	if e.also != nil {
		msg += "; " + e.also.Error()
	}
	return msg
}

// ownerRead is one owner's result in a sweep, or the error of reading it
// (or of listing the owners, when owner is zero).
type ownerRead[T any] struct {
	n     int // its place in the order owners were found
	owner losant.NamedOwner
	value T
	err   error
}

// sweep runs read for every owner the client reaches (the user too,
// unless noUser), concurrency owners at a time, and hands each owner's
// value to emit in the order the owners were found: an owner's output is
// printed whole once it is read, never in part. An owner whose read
// fails, and a list of owners that stops, is reported on stderr and
// counted; the others go on. An error of emit (the output) ends the
// sweep. It returns how many owners it read and how many failed.
func sweep[T any](parent context.Context, c *commands, client *losant.Client, noUser bool, concurrency int,
	read func(context.Context, losant.APITokenService) (T, error), emit func(losant.NamedOwner, T) error) (owners, failed int, err error) {
	ctx, cancel := context.WithCancel(parent)
	defer cancel()
	jobs := make(chan ownerRead[T])
	results := make(chan ownerRead[T], concurrency)
	go func() {
		defer close(jobs)
		n := 0
		for owner, err := range client.Owners(ctx) {
			if err == nil && noUser && owner.Owner.Type() == losant.APITokenOwnerTypeUser {
				continue
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
			switch {
			case err != nil || enough: // the output failed, or has all it wants: drain, print nothing more
			case r.err != nil && ctx.Err() != nil && errors.Is(r.err, context.Canceled):
				err = r.err // interrupted: not this owner's failure
			case r.err != nil && r.owner.Owner.Type() == "": // a list of owners stopped
				failed++
				c.env.warnf("%s", safe(inCLIWords(r.err.Error())))
			case r.err != nil:
				failed++
				c.env.warnf("%s: %s", ownerName(r.owner), safe(inCLIWords(r.err.Error())))
			default:
				owners++
				if err = emit(r.owner, r.value); errors.Is(err, errEnough) {
					err, enough = nil, true
				}
				if err != nil || enough {
					cancel()
				}
			}
		}
	}
	if err == nil {
		err = parent.Err()
	}
	return owners + failed, failed, err
}

// errEnough is what a sweep's emit returns when the output has all it
// wants (--limit): the sweep stops reading, without an error.
var errEnough = errors.New("enough")

// sweepTokens prints the tokens (those keep keeps) that tokens yields for
// every owner the session's client reaches, each owner's whole once it
// is read, up to limit (0: all); empty when there is none.
func (c *commands) sweepTokens(ctx context.Context, s session, concurrency int, tokens func(context.Context, losant.APITokenService) iter.Seq2[*losant.APIToken, error],
	keep func(*losant.APIToken) bool, limit int, empty string) error {
	out := s.out.ownersStream()
	read := func(ctx context.Context, service losant.APITokenService) ([]losant.APIToken, error) {
		var kept []losant.APIToken
		for t, err := range tokens(ctx, service) {
			if err != nil {
				return nil, err
			}
			if keep(t) {
				kept = append(kept, *t)
			}
		}
		return kept, nil
	}
	emit := func(o losant.NamedOwner, kept []losant.APIToken) error {
		for i := range kept {
			if limit > 0 && out.n >= limit {
				return errEnough
			}
			if err := out.addOf(o, &kept[i]); err != nil {
				return err
			}
		}
		return nil
	}
	owners, failed, err := sweep(ctx, c, s.client, false, concurrency, read, emit)
	if err != nil {
		return err
	}
	if err := out.end(empty); err != nil {
		return err
	}
	if failed > 0 {
		return &someOwnersFailed{failed: failed, of: owners}
	}
	return nil
}

// ownerName names an owner for a message or a row: "user",
// "application 575ec8687ae143cd83dc4a97 (Greenhouse)", its name made safe
// for a terminal.
func ownerName(o losant.NamedOwner) string { return named(o.Owner.String(), o.Name) }

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
