package cli

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/spf13/cobra"

	"github.com/specdriven/losant"
	"github.com/specdriven/losant/gen"
)

func (c *commands) retire() *cobra.Command {
	var (
		olderThan time.Duration
		yes       bool
		sw        sweepFlags
	)
	cmd := &cobra.Command{
		Use:   "retire --older-than DURATION",
		Short: "Delete inactive tokens not updated for longer than a retention period",
		Long: `Retire finds the owner's inactive tokens whose lastUpdated is longer ago than
--older-than: a rotation deactivates its old token, and lastUpdated is when
that happened (or the token's last change before it). Without --yes it only
prints them (a dry run); with --yes it deletes each and prints those deleted,
naming on stderr each that failed (the exit status is the highest of theirs).

With --all-owners it retires the tokens of every owner the access token
reaches, --concurrency requests at a time; an owner that cannot be read is
named on stderr, the others go on, and the exit status is 9.`,
		Example: `  losant-tokens retire --older-than 30d                      # a dry run: what would be deleted
  losant-tokens retire --older-than 30d --yes
  losant-tokens retire --older-than 90d --all-owners -o ids`,
		Args: exactArgs(0),
		RunE: c.sweepAction(&sw, func(cmd *cobra.Command, s session, _ []string) error {
			if olderThan <= 0 {
				return usageError{errors.New("--older-than: give the retention period, such as 30d")}
			}
			cutoff := c.env.now().Add(-olderThan)
			stale := func(t *gen.APIToken) bool {
				return t.Status == gen.APITokenStatusInactive && !t.LastUpdated.IsZero() && t.LastUpdated.Before(cutoff)
			}
			r := retirement{c: c, out: s.out.ownersStream(), yes: yes}
			if sw.allOwners {
				read := func(ctx context.Context, tokens losant.APITokenService) ([]gen.APIToken, error) {
					return staleTokens(ctx, tokens, stale)
				}
				emit := func(o namedOwner, found []gen.APIToken) error {
					return r.retire(cmd.Context(), s.client.APITokens(o.Owner), o, found)
				}
				outcome, err := sweep(cmd.Context(), c, s.client, false, *sw.concurrency, read, emit, nil)
				if err != nil {
					return err
				}
				r.outcome = outcome
				err = r.end()
				if swept := outcome.result(nil); swept != nil {
					return errors.Join(err, swept)
				}
				return err
			}
			r.out.owners = false
			found, err := staleTokens(cmd.Context(), s.tokens(), stale)
			if err != nil {
				return err
			}
			if err := r.retire(cmd.Context(), s.tokens(), namedOwner{Owner: s.owners[0]}, found); err != nil {
				return err
			}
			return r.end()
		}),
	}
	f := cmd.Flags()
	f.Var(durationFlag{&olderThan}, "older-than", "the retention period: delete inactive tokens last updated longer ago than this (30d)")
	f.BoolVar(&yes, "yes", false, "delete them; without it, only print what would be deleted")
	c.registerSweep(cmd, &sw)
	return cmd
}

// staleTokens reads every token of tokens that stale keeps. They are all
// read before any is deleted, so that deleting does not shift the pages.
func staleTokens(ctx context.Context, tokens losant.APITokenService, stale func(*gen.APIToken) bool) ([]gen.APIToken, error) {
	var found []gen.APIToken
	for t, err := range tokens.All(ctx, losant.APITokenListOptions{}) {
		if err != nil {
			return nil, err
		}
		if stale(t) {
			found = append(found, *t)
		}
	}
	return found, nil
}

// retirement prints, and with yes deletes, the stale tokens of each
// owner, and counts them for the end.
type retirement struct {
	c        *commands
	out      *stream
	yes      bool
	tried    int
	failures []error
	outcome  *sweepOutcome // with --all-owners
}

// retire prints each token found for owner o, deleting it first with
// --yes: a token is printed only once deleted, and a failure is named on
// stderr instead.
func (r *retirement) retire(ctx context.Context, tokens losant.APITokenService, o namedOwner, found []gen.APIToken) error {
	for i := range found {
		t := &found[i]
		if r.yes {
			r.tried++
			if err := tokens.Delete(ctx, t.ID); err != nil {
				r.c.env.warnf("delete %s of %s: %s", safe(t.ID), ownerName(o), safe(inCLIWords(err.Error())))
				r.failures = append(r.failures, err)
				continue
			}
		}
		if err := r.out.addOf(o, t); err != nil {
			if r.yes {
				return r.c.outputLost(err, false, fmt.Sprintf("%d tokens were deleted", r.tried-len(r.failures)), "list them to see which remain")
			}
			return err
		}
	}
	return nil
}

// end finishes the output and says, on stderr, what was done.
func (r *retirement) end() error {
	if err := r.out.endSweep("no inactive token is older than the retention period", r.outcome); err != nil {
		if deleted := r.tried - len(r.failures); r.yes && deleted > 0 {
			// The rows held back for alignment were deleted: not a read's
			// lost output (141, 1), but a change's (8).
			return r.c.outputLost(err, false, fmt.Sprintf("%d tokens were deleted", deleted), "list them to see which remain")
		}
		return err
	}
	switch {
	case !r.yes && r.out.n > 0:
		r.c.env.warnf("a dry run: %d tokens would be deleted; run again with --yes to delete them", r.out.n)
	case len(r.failures) > 0:
		return &partialFailure{verb: "retire", of: r.tried, errs: r.failures}
	case r.yes:
		r.c.env.warnf("deleted %d tokens: the ones printed", r.out.n)
	}
	return nil
}
