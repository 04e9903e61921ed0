package cli

import (
	"encoding/json"
	"fmt"
	"strings"

	"github.com/specdriven/losant/rotation"
)

// rotation prints a rotation: both tokens, and whether it is complete, or
// the command that completes it.
func (p printer) rotation(r *rotation.Rotation, completed bool, next, secretFile string) error {
	if err := p.successor(r, secretFile); err != nil {
		return err
	}
	return p.rotationEnd(r, completed, next)
}

// successor prints the first part of a rotation, the successor with its
// secret (or where the secret was written), so that the secret is out
// before anything is deactivated; rotationEnd prints the rest.
func (p printer) successor(r *rotation.Rotation, secretFile string) error {
	switch p.format {
	case formatJSON:
		b, err := json.MarshalIndent(toJSON(r.Successor), "  ", "  ")
		if err != nil {
			return err
		}
		return p.writeRaw(append(append([]byte("{\n  \"successor\": "), b...), ",\n"...))
	case formatIDs:
		return p.id(r.Successor.ID)
	}
	if r.Successor.Token == "" && secretFile == "" {
		return nil // shown already, when asked on a terminal
	}
	if _, err := fmt.Fprintln(p.w, "successor:"); err != nil {
		return err
	}
	return p.token(r.Successor, secretWent(secretFile))
}

// secretWent says where a secret went when --secret-file names a file;
// empty when it is printed.
func secretWent(secretFile string) string {
	if secretFile == "" {
		return ""
	}
	return "written to the --secret-file (mode 0600)"
}

// rollout prints a rotation that delivered its successor's secret (or was
// rolled back): both tokens, where the secret went, and how it ended, with
// the commands that finish and undo it while it is open. The successor's
// secret is printed only when it went nowhere else.
func (p printer) rollout(r *rotation.Rotation, end rolloutEnd) error {
	switch p.format {
	case formatJSON:
		return p.writeJSON(struct {
			Successor    tokenJSON `json:"successor"`
			Predecessor  tokenJSON `json:"predecessor"`
			Delivered    []string  `json:"delivered"`
			Completed    bool      `json:"completed"`
			RolledBack   bool      `json:"rolledBack"`
			FileRestored bool      `json:"fileRestored"`
			CompleteWith string    `json:"completeWith,omitempty"`
			RollBackWith string    `json:"rollBackWith,omitempty"`
		}{toJSON(r.Successor), toJSON(r.Predecessor), append([]string{}, end.delivered...), end.completed, end.rolledBack, end.fileRestored,
			whileOpen(end, end.completable()), whileOpen(end, end.undo)})
	case formatIDs:
		if end.rolledBack {
			return nil // the successor is deleted
		}
		return p.id(r.Successor.ID)
	}
	if end.rolledBack {
		restored := ""
		if end.fileRestored {
			restored = "; the --deliver-file holds what it held before"
		}
		_, err := fmt.Fprintf(p.w, "rolled back: successor %s no longer exists, %s is active%s\n", safe(r.Successor.ID), safe(r.Predecessor.ID), restored)
		return err
	}
	var err error
	went := "" // printed: it went nowhere else
	if r.Successor.Token == "" {
		went = "delivered to " + strings.Join(end.delivered, " and ")
	}
	if _, err = fmt.Fprintln(p.w, "successor:"); err == nil {
		err = p.token(r.Successor, went)
	}
	if err != nil {
		return err
	}
	if end.completed {
		_, err = fmt.Fprintf(p.w, "rotation complete: %s is inactive, %s is active\n", safe(r.Predecessor.ID), safe(r.Successor.ID))
		return err
	}
	if end.completable() == "" {
		_, err = fmt.Fprintf(p.w, "%s is still active, and the --deliver-file holds its secret again. To undo, run:\n  %s\n", safe(r.Predecessor.ID), end.undo)
		return err
	}
	if end.undo == "" { // interrupted with the deactivation sent: finishing is the way on
		_, err = fmt.Fprintf(p.w, "%s may still be active. To finish, run:\n  %s\n", safe(r.Predecessor.ID), end.next)
		return err
	}
	_, err = fmt.Fprintf(p.w, "%s is still active. To finish, run:\n  %s\nor to undo:\n  %s\n", safe(r.Predecessor.ID), end.next, end.undo)
	return err
}

// whileOpen is cmd while the rollout is open, and empty once it has ended.
func whileOpen(end rolloutEnd, cmd string) string {
	if end.completed || end.rolledBack {
		return ""
	}
	return cmd
}

// rotationEnd prints the rest of a rotation: the predecessor, and whether
// the rotation is complete, or the command that completes it.
func (p printer) rotationEnd(r *rotation.Rotation, completed bool, next string) error {
	switch p.format {
	case formatJSON:
		b, err := json.MarshalIndent(struct {
			Predecessor tokenJSON `json:"predecessor"`
			Completed   bool      `json:"completed"`
			// CompleteWith is the command that completes the rotation.
			CompleteWith string `json:"completeWith,omitempty"`
		}{toJSON(r.Predecessor), completed, next}, "", "  ")
		if err != nil {
			return err
		}
		return p.writeRaw(append(b[2:], '\n'))
	case formatIDs:
		return nil
	}
	if completed {
		_, err := fmt.Fprintf(p.w, "rotation complete: %s is inactive, %s is active\n", safe(r.Predecessor.ID), safe(r.Successor.ID))
		return err
	}
	_, err := fmt.Fprintf(p.w, "%s is still active. Put the new secret in place, then run:\n  %s\n", safe(r.Predecessor.ID), next)
	return err
}
