package cli

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"os"
	"slices"

	"github.com/specdriven/losant"
	"github.com/specdriven/losant/gen"
	"github.com/specdriven/losant/rotation"
)

// rolledBackError is the error of a rollout that failed and was rolled
// back: the predecessor is active and in place, the successor deleted.
type rolledBackError struct{ err error }

func (e *rolledBackError) Error() string { return e.err.Error() }

func (e *rolledBackError) Unwrap() error { return e.err }

// rollBack undoes a rotation left open: it puts the --deliver-file's
// .previous copy back (when file is given) and deletes the successor, once
// it has read that the predecessor is active and the successor is its
// successor. Run again after a run that failed before the delete, it
// finishes it. A successor that is not found is an error (exit 3) and
// changes nothing, the file included: the API cannot tell a successor
// deleted already from an ID mistyped, and the file's .previous copy may
// be another rotation's.
func (c *commands) rollBack(ctx context.Context, s session, predID, succID, file string) error {
	tokens := s.tokens()
	unchanged := "; nothing was changed"
	pred, err := tokens.Get(ctx, predID)
	if err != nil {
		return fmt.Errorf("reading %s: %w%s", safe(predID), err, unchanged)
	}
	if pred.Status != gen.APITokenStatusActive {
		return usageError{fmt.Errorf("%s is %s: the rotation was completed, and rolling back would delete the only working token%s "+
			"(to bring it back anyway: %s, then roll back)", safe(predID), safe(string(pred.Status)), unchanged,
			c.rerun("patch", predID, "--status", string(gen.APITokenStatusActive)))}
	}
	succ, err := tokens.Get(ctx, succID)
	switch {
	case losant.StatusCode(err) == http.StatusNotFound:
		return c.successorNotFound(predID, succID, file, err)
	case err != nil:
		return fmt.Errorf("reading %s: %w%s", safe(succID), err, unchanged)
	case !isSuccessorOf(pred, succ):
		return usageError{fmt.Errorf("%s is not a successor of %s (its name, scopes or age differ)%s", safe(succID), safe(predID), unchanged)}
	}
	end := rolloutEnd{rolledBack: true}
	if file != "" {
		if err := checkRecordFor(file, predID, succID); err != nil {
			return err
		}
		if err := restoreDeliveryFile(file); errors.Is(err, errNoPreviousCopy) {
			return usageError{fmt.Errorf("%w%s", err, unchanged)}
		} else if err != nil {
			return fmt.Errorf("%w%s", err, unchanged)
		}
		end.fileRestored = true
	}
	if err := tokens.Delete(ctx, succID); err != nil {
		what := ""
		if end.fileRestored {
			what = "the --deliver-file was restored, "
		}
		return fmt.Errorf("deleting successor %s: %w (%s%s is active; the same command again finishes the rollback%s)",
			safe(succID), err, what, safe(predID), deletedIfNotFound(err))
	}
	if file != "" {
		c.endDeliveryFile(file)
	}
	if err := s.out.rollout(&rotation.Rotation{Predecessor: pred, Successor: succ}, end); err != nil {
		return c.outputLost(err, false, fmt.Sprintf("rolled back: %s was deleted and %s is active", safe(succID), safe(predID)), "nothing is left to do")
	}
	return nil
}

// endDeliveryFile removes the --deliver-file's .previous copy of a
// rotation that has ended. A copy that cannot be removed is warned of,
// not an error: what the API did stands, and only the stale copy is left
// for the operator to remove.
func (c *commands) endDeliveryFile(path string) {
	if err := removePreviousCopy(path); err != nil {
		c.env.warnf("warning: %v; remove it by hand, so that no later rollback restores it", err)
	}
}

// successorNotFound is the error of a rollback whose successor the API
// does not find (err, a 404): the predecessor, read just before, is
// active, and nothing was changed.
func (c *commands) successorNotFound(predID, succID, file string, err error) error {
	unchanged := ""
	if file != "" {
		unchanged = " (the --deliver-file was not restored"
		if _, err := os.Lstat(file + recordSuffix); err == nil {
			unchanged += fmt.Sprintf("; once it holds an active token's secret, remove its %s and %s files by hand, "+
				"so that the next rotation of it may begin", recordSuffix, previousSuffix)
		}
		unchanged += ")"
	}
	return fmt.Errorf("successor %s was not found: %w; %s is active, and nothing was changed%s. "+
		"If it was deleted already (by an earlier rollback, or one whose delete's answer was lost), nothing is left to undo; "+
		"if not, check the ID; to see the tokens, run: %s", safe(succID), err, safe(predID), unchanged, c.rerun("list"))
}

// deletedIfNotFound is what to make of a rollback run again after a
// delete whose answer was lost: the successor may be deleted already.
func deletedIfNotFound(err error) string {
	if errors.Is(err, losant.ErrMayHaveActed) {
		return "; its answer was lost, and the successor may be deleted already: then the same command says it was not found, and the rollback is done"
	}
	return ""
}

// isSuccessorOf reports whether succ may be a successor rotate made of
// pred: another token of the same name and scopes, made no earlier.
func isSuccessorOf(pred, succ *gen.APIToken) bool {
	return succ.ID != pred.ID && succ.Name == pred.Name && slices.Equal(succ.Scope, pred.Scope) &&
		!succ.CreationDate.Before(pred.CreationDate)
}
