package cli

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"slices"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/specdriven/losant/gen"
	"github.com/specdriven/losant/internal/shipped/limits"
)

// tokenJSON is a token in the JSON output: one stable shape, whatever the
// API adds. Secret is set only in the answer to a create or a rotation.
type tokenJSON struct {
	ID             string                `json:"id"`
	Name           string                `json:"name"`
	Description    string                `json:"description"`
	OwnerType      string                `json:"ownerType"`
	OwnerID        string                `json:"ownerId"`
	Status         string                `json:"status"`
	Scope          []string              `json:"scope"`
	DefaultRole    string                `json:"defaultRole"`
	OrgRoles       []gen.APITokenOrgRole `json:"orgRoles"`
	CreationDate   *time.Time            `json:"creationDate"`
	LastUpdated    *time.Time            `json:"lastUpdated"`
	ExpirationDate *time.Time            `json:"expirationDate"` // null: never expires
	Secret         string                `json:"secret,omitempty"`
	Owner          *ownerJSON            `json:"owner,omitempty"` // in a sweep of every owner (--all-owners)
}

func toJSON(t *gen.APIToken) tokenJSON {
	out := tokenJSON{
		ID: t.ID, Name: t.Name, Description: t.Description, OwnerType: string(t.OwnerType), OwnerID: t.OwnerID,
		Status: string(t.Status), Scope: t.Scope, DefaultRole: string(t.DefaultRole), OrgRoles: t.OrgRoles,
		ExpirationDate: t.ExpirationDate, Secret: t.Token,
	}
	if out.Scope == nil {
		out.Scope = []string{}
	}
	if out.OrgRoles == nil {
		out.OrgRoles = []gen.APITokenOrgRole{}
	}
	if !t.CreationDate.IsZero() {
		out.CreationDate = &t.CreationDate
	}
	if !t.LastUpdated.IsZero() {
		out.LastUpdated = &t.LastUpdated
	}
	return out
}

// localWriter marks what fails in writing to w as a localWriteError, so
// that a full disk or a closed pipe is not taken for a network error.
type localWriter struct{ w io.Writer }

func (l localWriter) Write(b []byte) (int, error) {
	n, err := l.w.Write(b)
	if err != nil {
		err = &localWriteError{err}
	}
	return n, err
}

// withSecret is p, but JSON where p prints IDs only: for a secret that
// could not go where it was meant to, and must not be dropped.
func (p printer) withSecret() printer {
	if p.format == formatIDs {
		p.format = formatJSON
	}
	return p
}

// format is how a command prints its result.
type format int

const (
	formatTable format = iota // aligned text for people; every string made safe for a terminal
	formatJSON                // exact JSON for programs
	formatIDs                 // one token ID a line, for shell pipelines
)

// formatNames are the --output values, in the order help lists them.
func formatNames() []string { return []string{"table", "json", "ids"} }

// parseFormat is the format --output names.
func parseFormat(name string) (format, bool) {
	i := slices.Index(formatNames(), name)
	return format(i), i >= 0
}

// timestamp is how the CLI writes a time in a message or a table: RFC
// 3339 in UTC, as --expires takes it.
func timestamp(t time.Time) string { return t.UTC().Format(time.RFC3339) }

// warnf writes one message to stderr, after the program's name. Callers
// pass what came from the API or a user through safe.
func (e environment) warnf(format string, args ...any) {
	fmt.Fprint(e.stderr, e.hide.in(fmt.Sprintf("losant-tokens: "+format+"\n", args...)))
}

// printer writes a command's result in the format the flags chose.
type printer struct {
	w      io.Writer
	format format
	now    func() time.Time // for relative times in tables
	hide   *hider           // for the errors the JSON of a sweep holds
}

// id prints an ID a line, for a pipeline that passes it on to a command:
// only an API ID, so that what a server sends in its place (a flag, a
// path, a control sequence) never reaches the next command or the
// terminal.
func (p printer) id(id string) error {
	return p.ownedID("", id)
}

// ownedID prints an ID a line after the flag that names its owner, if
// any (ownerFlag, made of an ID the owner checked).
func (p printer) ownedID(flag, id string) error {
	if problem := limits.ObjectIDProblem(id); problem != "" {
		return fmt.Errorf("the API sent a token whose id is not an ID (%s): not printed, and nothing after it", problem)
	}
	if flag != "" {
		flag += " "
	}
	_, err := fmt.Fprintln(p.w, flag+id)
	return err
}

// token prints one token: its fields one a line, a JSON object, or its ID.
// went, when set, says where its secret went instead of being shown
// (secretWent).
func (p printer) token(t *gen.APIToken, went string) error {
	switch p.format {
	case formatJSON:
		return p.writeJSON(toJSON(t))
	case formatIDs:
		return p.id(t.ID)
	}
	tw := tabwriter.NewWriter(p.w, 0, 4, 2, ' ', 0)
	row := func(k, v string) { fmt.Fprintf(tw, "%s:\t%s\n", k, safe(v)) }
	row("id", t.ID)
	row("name", t.Name)
	if t.Description != "" {
		row("description", t.Description)
	}
	row("owner", string(t.OwnerType)+" "+t.OwnerID)
	row("status", string(t.Status))
	row("scope", strings.Join(t.Scope, ", "))
	if t.DefaultRole != "" {
		row("default role", string(t.DefaultRole))
	}
	for _, org := range t.OrgRoles {
		row("org role", fmt.Sprintf("%s %s (%d application, %d dashboard roles)", org.OrgID, org.Role, len(org.ApplicationRoles), len(org.DashboardRoles)))
	}
	if !t.CreationDate.IsZero() {
		row("created", p.when(&t.CreationDate))
	}
	row("expires", p.when(t.ExpirationDate))
	switch {
	case went != "":
		row("secret", went+", and shown nowhere")
	case t.Token != "":
		row("secret", t.Token+"  (store it now: no later call returns it)")
	}
	return tw.Flush()
}

// deleted prints the tokens a delete removed.
func (p printer) deleted(ids []string) error {
	switch p.format {
	case formatJSON:
		return p.writeJSON(map[string][]string{"deleted": append([]string{}, ids...)})
	case formatIDs:
		for _, id := range ids {
			if err := p.id(id); err != nil {
				return err
			}
		}
		return nil
	}
	for _, id := range ids {
		if _, err := fmt.Fprintf(p.w, "deleted %s\n", safe(id)); err != nil {
			return err
		}
	}
	return nil
}

// when is a time for a table: how far from now, then the exact time.
func (p printer) when(t *time.Time) string {
	if t == nil || t.IsZero() {
		return "never"
	}
	now := time.Now()
	if p.now != nil {
		now = p.now()
	}
	return relative(t.Sub(now)) + " (" + timestamp(*t) + ")"
}

// relative says a span from now in words: "in 3 days", "2 months ago".
func relative(d time.Duration) string {
	future := d >= 0
	if !future {
		d = -d
	}
	const day = 24 * time.Hour
	var size time.Duration
	var unit string
	switch {
	case d < time.Minute:
		return "now"
	case d < time.Hour-30*time.Second:
		size, unit = time.Minute, "minute"
	case d < day-30*time.Minute:
		size, unit = time.Hour, "hour"
	case d < 60*day:
		size, unit = day, "day"
	case d < 730*day:
		size, unit = 30*day, "month"
	default:
		size, unit = 365*day, "year"
	}
	n := int64((d + size/2) / size) // to the nearest: 239h59m is "in 10 days"
	if n != 1 {
		unit += "s"
	}
	if future {
		return fmt.Sprintf("in %d %s", n, unit)
	}
	return fmt.Sprintf("%d %s ago", n, unit)
}

// ask asks question on the terminal and reports whether the answer is y.
// The question goes to stdout when it is the terminal; when only stdin is
// (delete ID > log 2>err), to the terminal itself (/dev/tty), where the
// operator sees it, or stderr when that cannot be opened. A stop signal
// (Ctrl-C) ends the wait: the error is ctx's.
func (c *commands) ask(ctx context.Context, question string) (bool, error) {
	to := c.env.stdout
	if !c.env.tty {
		to = c.env.stderr
		if c.env.stdinTTY && c.env.openTTY != nil {
			if tty, err := c.env.openTTY(); err == nil {
				defer tty.Close()
				to = tty
			}
		}
	}
	fmt.Fprint(to, question)
	answer := make(chan string, 1)
	go func() { // left blocked on a terminal read when interrupted: the run is ending
		line, _ := bufio.NewReader(c.env.stdin).ReadString('\n')
		answer <- line
	}()
	select {
	case line := <-answer:
		return strings.EqualFold(strings.TrimSpace(line), "y"), nil
	case <-ctx.Done():
		fmt.Fprintln(to)
		return false, ctx.Err()
	}
}

// lines prints a command's plain result, a line each: what scopes and
// version print, with no format to choose.
func lines(w io.Writer, each ...string) error {
	out := localWriter{w}
	for _, line := range each {
		if _, err := fmt.Fprintln(out, line); err != nil {
			return err
		}
	}
	return nil
}
