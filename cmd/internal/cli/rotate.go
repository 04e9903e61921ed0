package cli

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/spf13/cobra"

	"github.com/specdriven/losant"
	"github.com/specdriven/losant/gen"
	"github.com/specdriven/losant/internal/shipped/limits"
	"github.com/specdriven/losant/rotation"
)

func (c *commands) rotate() *cobra.Command {
	var (
		expires, complete, secretTo, rollback string
		yes, neverExpires                     bool
		deliver                               rollout
	)
	cmd := &cobra.Command{
		Use:   "rotate TOKEN_ID",
		Short: "Replace an API token by a copy with a new secret, then retire the old one",
		Long: `Rotate makes a successor of the token (its name, description, scopes and roles,
and its lifetime: a token that expires in 10 days is replaced by one that
expires 10 days after it is made, unless --expires or --never-expires says
otherwise), prints the successor's secret (or writes it to --secret-file), and
leaves the old token active. Once the new secret is in place, finish with the
command it prints (--complete SUCCESSOR_ID), which deactivates the old token.
On a terminal, rotate asks for that instead (an answer but y exits 7, with
that command); --yes does it at once.

To rotate a token many services hold, rotate delivers the secret itself, in
the same run: --deliver-file writes it over the file the services read,
keeping its owner, group and mode (what it held is kept in FILE.previous,
mode 0600, and FILE.rotating records the rotation), and --deliver-command runs a
command with sh -c that gets the secret on its stdin, nowhere else (its
output is discarded, since it may hold the secret). Then rotate waits --grace,
runs --check until it exits 0, and completes. If a delivery or the check
fails, or rotate is interrupted before completing (SIGINT, SIGTERM, SIGHUP),
it rolls back: the file gets its old content again, the successor is
deleted, the old token stays active (exit status 10; 130 when interrupted; a
second signal stops the rollback, with the command that finishes it). A
rotation left open is undone with --rollback SUCCESSOR_ID (and the same
--deliver-file); a successor that is not found (deleted already, or a
mistyped ID) exits 3 and changes nothing.

One rotation of a token runs at a time: while an active successor made since
exists, or FILE.rotating or FILE.previous says one is open, rotate refuses
(exit 7) and names the commands that undo or finish it. A secret the API
sends that is not token-shaped goes nowhere (exit 7, naming the token to
delete).`,
		Example: `  losant-tokens rotate 5a1f0e3b7ae143cd83dc4b02
  losant-tokens rotate 5a1f0e3b7ae143cd83dc4b02 --complete <successor ID>
  losant-tokens -a 575ec8687ae143cd83dc4a97 rotate 575ec7417ae143cd83dc4a95 --deliver-file ./service-token --check false --check-tries 2 --check-interval 1s   # exit 10: rolled back
  losant-tokens -a 575ec8687ae143cd83dc4a97 rotate 575ec7417ae143cd83dc4a95 --deliver-file ./service-token --deliver-command 'cat > ./copy' --grace 1s --check 'test -s ./copy'
  losant-tokens -i 575ec8687ae143cd83dc4a99 rotate 5a1f0e3b7ae143cd83dc4b03 --expires 90d --secret-file ./audit-token
  losant-tokens -i 575ec8687ae143cd83dc4a99 rotate 5a1f0e3b7ae143cd83dc4b03 --rollback <successor ID>`,
		Args:              exactArgs(1),
		ValidArgsFunction: c.completeTokenIDs,
		RunE: c.action(func(cmd *cobra.Command, s session, args []string) error {
			if err := checkIDs("", args); err != nil {
				return err
			}
			if rollback != "" {
				if err := errors.Join(notFor(cmd, append([]string{"complete", "expires", "never-expires", "secret-file", "yes", "deliver-command"}, rolloutFlags...)...),
					refuseEmpty(cmd, "deliver-file"), checkIDs("--rollback", []string{rollback})); err != nil {
					return usageError{fmt.Errorf("%w: with --rollback, rotate only undoes a rotation begun earlier", err)}
				}
				return c.rollBack(cmd.Context(), s, args[0], rollback, deliver.file)
			}
			if complete != "" {
				if err := errors.Join(notFor(cmd, append([]string{"expires", "never-expires", "secret-file", "yes", "deliver-command"}, rolloutFlags...)...),
					refuseEmpty(cmd, "deliver-file")); err != nil {
					return usageError{fmt.Errorf("%w: with --complete, rotate only finishes a rotation begun earlier", err)}
				}
				if err := checkIDs("--complete", []string{complete}); err != nil {
					return err
				}
			}
			if expires != "" && neverExpires {
				return usageError{errors.New("--expires and --never-expires: give one")}
			}
			expiry, err := parseExpiry(expires, c.env.now())
			if err != nil {
				return err
			}
			if expiry != nil && expiry.Sub(c.env.now()) < rotation.MinSuccessorLifetime {
				return usageError{fmt.Errorf("--expires is less than %s away: the successor would expire before its secret is in place", rotation.MinSuccessorLifetime)}
			}
			tokens, p := s.tokens(), s.out
			ctx := cmd.Context()
			if complete != "" {
				if deliver.file != "" {
					if err := checkRecordFor(deliver.file, args[0], complete); err != nil {
						return err
					}
				}
				rot := rotation.Resume(tokens, args[0], complete)
				if err := rot.Complete(ctx); err != nil {
					return err
				}
				if deliver.file != "" {
					c.endDeliveryFile(deliver.file)
				}
				if err := p.rotation(rot, true, "", ""); err != nil {
					return c.outputLost(err, false, fmt.Sprintf("the rotation is complete: %s is inactive and %s active",
						safe(rot.Predecessor.ID), safe(rot.Successor.ID)), "nothing is left to do")
				}
				return nil
			}
			if err := deliver.checkFlags(cmd); err != nil {
				return err
			}
			opts := rotation.Options{ExpirationDate: expiry, NeverExpires: neverExpires}
			if deliver.delivers() {
				return c.rollOut(ctx, s, args[0], opts, &deliver)
			}
			if err := errors.Join(refuseEmpty(cmd, "secret-file"), c.secretGoesSomewhere(p, secretTo)); err != nil {
				return err
			}
			secret, err := newSecretFile(secretTo)
			if err != nil {
				return err
			}
			if err := c.refuseOpenRotation(ctx, tokens, args[0]); err != nil {
				secret.abandon()
				return err
			}
			rot, err := rotation.Start(ctx, tokens, args[0], opts)
			if err != nil {
				secret.abandon()
				return c.rotateFailed(err)
			}
			if problem := c.secretProblem(rot.Successor.Token); problem != "" {
				secret.abandon()
				return c.untokenlikeSecret(rot.Successor, problem, "rotate again ("+safe(rot.Predecessor.ID)+" is still active)")
			}
			if limits.ObjectIDProblem(rot.Successor.ID) == "" {
				if err := c.yieldToConcurrent(ctx, tokens, rot); err != nil {
					secret.abandon()
					return err
				}
			}
			kept := secret.keep(rot.Successor) // before anything prints the secret
			if err := c.checkSuccessorID(p, rot); err != nil {
				return errors.Join(err, kept)
			}
			next := c.rerun("rotate", args[0], "--complete", rot.Successor.ID)
			started := fmt.Sprintf("successor %s was made and %s is still active", safe(rot.Successor.ID), safe(rot.Predecessor.ID))
			abandon := "delete the successor (" + c.rerun("delete", "--yes", rot.Successor.ID) + ") and rotate again"
			var notKept *secretNotKept
			if errors.As(kept, &notKept) {
				// Printed nowhere: the error says where the secret is, if anywhere.
				todo := abandon
				if notKept.in != "" {
					todo = "move that file into place; once the secret is in place, finish with " + next
				}
				err := fmt.Errorf("%s, but %w: %s", started, notKept, todo)
				if perr := p.rotation(rot, false, "", ""); perr != nil {
					err = errors.Join(err, &localWriteError{perr})
				}
				if notKept.in != "" {
					return &unfinishedError{err}
				}
				return &actedError{err}
			}
			asked := !yes && c.env.tty && p.format == formatTable
			confirmed, askErr := false, error(nil)
			if asked {
				confirmed, askErr = c.confirm(ctx, rot, secretTo)
			}
			if !yes && !confirmed {
				if err := p.rotation(rot, false, next, secretTo); err != nil {
					return c.outputLost(err, rot.Successor.Token != "", started, abandon)
				}
				switch {
				case askErr != nil: // Ctrl-C at the question: 130
					return fmt.Errorf("interrupted at the question (%w): %s; once its secret is in place, run: %s; or %s", askErr, started, next, abandon)
				case asked: // not confirmed: the rotation is begun and not finished
					return &unfinishedError{fmt.Errorf("not confirmed: %s; once its secret is in place, run: %s; or %s", started, next, abandon)}
				case p.format == formatIDs: // stdout holds only the ID: say how to finish
					c.env.warnf("%s; once its secret is in place, run:\n  %s", started, next)
				}
				return nil
			}
			// The secret is out before the predecessor is deactivated: if
			// printing it fails, nothing is deactivated.
			if err := p.successor(rot, secretTo); err != nil {
				return c.outputLost(err, rot.Successor.Token != "", started, abandon)
			}
			if err := rot.Complete(ctx); err != nil {
				// The successor exists and its secret is out: running the same
				// command again would make another. Finishing is the way on.
				err = &unfinishedError{fmt.Errorf("%w (successor %s was made; to finish once the cause is fixed, run: %s)", err, safe(rot.Successor.ID), next)}
				if perr := p.rotationEnd(rot, false, next); perr != nil {
					return errors.Join(err, &localWriteError{perr})
				}
				return err
			}
			if err := p.rotationEnd(rot, true, ""); err != nil {
				return c.outputLost(err, false, fmt.Sprintf("the rotation is complete: %s is inactive and %s active",
					safe(rot.Predecessor.ID), safe(rot.Successor.ID)), "nothing is left to do")
			}
			return nil
		}),
	}
	cmd.Flags().StringVar(&expires, "expires", "", "the successor's expiry, in place of the old token's lifetime: an RFC 3339 time, or a duration from now (90d)")
	cmd.Flags().BoolVar(&neverExpires, "never-expires", false, "make a successor that never expires, whatever the old token's expiry")
	cmd.Flags().StringVar(&complete, "complete", "", "finish a rotation: deactivate TOKEN_ID, once this successor's secret is in place (with --deliver-file, remove the copy and record kept beside it)")
	cmd.Flags().StringVar(&secretTo, "secret-file", "", "write the successor's secret to this new file (mode 0600) instead of printing it")
	cmd.Flags().BoolVar(&yes, "yes", false, "deactivate the old token at once, without asking")
	cmd.Flags().StringVar(&rollback, "rollback", "", "undo a rotation left open: delete this successor of TOKEN_ID, once TOKEN_ID is read active (and put back --deliver-file's .previous copy first)")
	deliver.register(cmd)
	return cmd
}

// rotateFailed is the error of a rotation that made no successor, or may
// have: the tokens that may be one, whose secret is lost, are named with
// the command that deletes them.
func (c *commands) rotateFailed(err error) error {
	var rerr *rotation.Error
	if errors.As(err, &rerr) && len(rerr.Candidates) > 0 {
		return fmt.Errorf("%w (to delete them, if no one else is rotating the token: %s)", err, c.rerun(append([]string{"delete", "--yes"}, rerr.Candidates...)...))
	}
	return err
}

// checkSuccessorID refuses a successor the API named with what is not an
// ID: its secret is printed, since it is the only copy, and no command to
// finish or undo it is, since the API chose its text.
func (c *commands) checkSuccessorID(p printer, rot *rotation.Rotation) error {
	problem := limits.ObjectIDProblem(rot.Successor.ID)
	if problem == "" {
		return nil
	}
	where := "printed above"
	if rot.Successor.Token == "" {
		where = "in the --secret-file"
	}
	_ = p.withSecret().rotation(rot, false, "(none: the API named the successor with what is not an ID)", "")
	return &unfinishedError{fmt.Errorf("the API answered the create with an id that is not an ID (%s): its secret is %s, and the rotation cannot be finished here; %s is still active", problem, where, safe(rot.Predecessor.ID))}
}

// confirm shows the successor and asks, on the terminal, whether its
// secret is in place.
func (c *commands) confirm(ctx context.Context, rot *rotation.Rotation, secretTo string) (bool, error) {
	if err := (printer{w: hidingWriter{localWriter{c.env.stdout}, c.env.hide}, now: c.env.now}).token(rot.Successor, secretWent(secretTo)); err != nil {
		return false, nil
	}
	done, err := c.ask(ctx, "Put the new secret in place, then answer y to deactivate "+safe(rot.Predecessor.ID)+" [y/N]: ")
	rot.Successor.Token = "" // shown once already
	return done, err
}

// openSuccessors is the active successors of predID other than ours: the
// tokens of the same name, description and scopes made since it
// (isSuccessorOf), each a rotation of it begun by another run or by one
// that was stopped, whose secret may be in place somewhere. rotated says
// predID is inactive, rotated already: its active successor is then no
// open rotation. A token not found is left to rotation.Start, which says
// so, as it says an inactive one is.
func openSuccessors(ctx context.Context, tokens losant.APITokenService, predID, ours string) (open []string, rotated bool, err error) {
	var all []gen.APIToken
	for t, err := range tokens.All(ctx, losant.APITokenListOptions{}) {
		if err != nil {
			return nil, false, err
		}
		all = append(all, *t)
	}
	i := slices.IndexFunc(all, func(t gen.APIToken) bool { return t.ID == predID })
	if i < 0 {
		return nil, false, nil
	}
	pred := &all[i]
	for j := range all {
		if t := &all[j]; t.ID != ours && t.Status == gen.APITokenStatusActive && t.Description == pred.Description &&
			isSuccessorOf(pred, t) && limits.ObjectIDProblem(t.ID) == "" {
			open = append(open, t.ID)
		}
	}
	return open, pred.Status != gen.APITokenStatusActive, nil
}

// openRotations names the successors open of predID, each with the
// commands that finish or undo it.
func (c *commands) openRotations(predID string, open []string) string {
	named := make([]string, len(open))
	for i, id := range open {
		named[i] = fmt.Sprintf("%s (finish with %s, or undo with %s)", id,
			c.rerun("rotate", predID, "--complete", id), c.rerun("rotate", predID, "--rollback", id))
	}
	return fmt.Sprintf("a rotation of %s is open: %s, made since with its name, description and scopes, is active "+
		"(a successor another run made, or one that was stopped left)", safe(predID), strings.Join(named, "; "))
}

// refuseOpenRotation refuses to rotate predID while a rotation of it is
// open (openSuccessors), before anything is made.
func (c *commands) refuseOpenRotation(ctx context.Context, tokens losant.APITokenService, predID string) error {
	open, rotated, err := openSuccessors(ctx, tokens, predID, "")
	if err != nil {
		return fmt.Errorf("looking for a rotation of %s already open: %w; nothing was made", safe(predID), err)
	}
	if len(open) == 0 || rotated {
		return nil // none open; or rotated already, which rotation.Start says
	}
	return &unfinishedError{fmt.Errorf("%s; nothing was made. If it is a token of its own and not a successor, give one of them another name",
		c.openRotations(predID, open))}
}

// yieldToConcurrent withdraws rot when another rotation of its
// predecessor began meanwhile (two runs that both found none open, then
// both made a successor): it deletes its own successor, whose secret has
// gone nowhere yet, and names the other's, so that one rotation stays
// open, not two. A list that fails leaves rot as it is, with a warning.
func (c *commands) yieldToConcurrent(ctx context.Context, tokens losant.APITokenService, rot *rotation.Rotation) error {
	open, _, err := openSuccessors(ctx, tokens, rot.Predecessor.ID, rot.Successor.ID)
	if err != nil {
		c.env.warnf("warning: could not check that no other rotation of %s began meanwhile: %s", safe(rot.Predecessor.ID), safe(inCLIWords(err.Error())))
		return nil
	}
	if len(open) == 0 {
		return nil
	}
	other := c.openRotations(rot.Predecessor.ID, open)
	if err := tokens.Delete(ctx, rot.Successor.ID); err != nil {
		return &unfinishedError{fmt.Errorf("%s, begun while this run made successor %s, whose delete failed (%w): "+
			"delete it with %s; its secret went nowhere", other, safe(rot.Successor.ID), err, c.rerun("delete", "--yes", rot.Successor.ID))}
	}
	return &unfinishedError{fmt.Errorf("%s, begun while this run made successor %s, which it deleted before its secret went anywhere", other, safe(rot.Successor.ID))}
}
