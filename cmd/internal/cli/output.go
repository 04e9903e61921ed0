package cli

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"
	"text/tabwriter"
	"time"
	"unicode/utf16"
	"unicode/utf8"

	"github.com/specdriven/losant"
	"github.com/specdriven/losant/gen"
	"github.com/specdriven/losant/internal/limits"
	"github.com/specdriven/losant/internal/terminal"
	"github.com/specdriven/losant/rotation"
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

// ownerJSON names a token's owner in a sweep's JSON.
type ownerJSON struct {
	Type string `json:"type"`
	ID   string `json:"id,omitempty"` // none for the user
	Name string `json:"name,omitempty"`
}

// toOwnerJSON is how every command's JSON names an owner: a token's in
// list, expiring and retire, a finding's in audit, the owners a sweep read
// or did not.
func toOwnerJSON(o losant.NamedOwner) *ownerJSON {
	return &ownerJSON{Type: string(o.Owner.Type()), ID: o.Owner.ID(), Name: o.Name}
}

// sweepTail is what the JSON of a sweep of every owner says after its
// list: which owners were read (their results are in the list, whole),
// which were not and why, which lists of owners stopped, and whether the
// result is complete. A reader that finds complete false knows the
// result is partial.
type sweepTail struct {
	OwnersRead       []*ownerJSON `json:"ownersRead"`
	OwnersUnread     []unreadJSON `json:"ownersUnread"`
	OwnerListsUnread []listJSON   `json:"ownerListsUnread"`
	OwnersFound      int          `json:"ownersFound"` // read or not; more may exist when a list stopped
	Complete         bool         `json:"complete"`    // every owner found read, every list whole, not interrupted nor cut by --limit
	Interrupted      bool         `json:"interrupted"`
}

// unreadJSON is an owner a sweep could not read, and why.
type unreadJSON struct {
	Owner *ownerJSON `json:"owner"`
	Error string     `json:"error"`
}

// listJSON is a list of owners that stopped: "applications" or
// "instances", how many of its owners were found first, and why.
type listJSON struct {
	List   string `json:"list"`
	Listed int    `json:"listed"`
	Error  string `json:"error"`
}

func toSweepTail(o *sweepOutcome, hide *hider) sweepTail {
	t := sweepTail{OwnersRead: []*ownerJSON{}, OwnersUnread: []unreadJSON{}, OwnerListsUnread: []listJSON{},
		OwnersFound: o.known, Complete: o.complete(), Interrupted: o.interrupted}
	for _, r := range o.read {
		t.OwnersRead = append(t.OwnersRead, toOwnerJSON(r))
	}
	for _, u := range o.unread {
		t.OwnersUnread = append(t.OwnersUnread, unreadJSON{toOwnerJSON(u.owner), hide.in(inCLIWords(u.err.Error()))})
	}
	for _, err := range o.lists {
		l := listJSON{Error: hide.in(inCLIWords(err.Error()))}
		var listErr *losant.OwnerListError
		if errors.As(err, &listErr) {
			l.List, l.Listed = listErr.Collection, listErr.Listed
		}
		t.OwnerListsUnread = append(t.OwnerListsUnread, l)
	}
	return t
}

// writeTail closes a JSON document whose list head ends ("\n  ]"): with
// field, if any (a line of its own, `  "checked": 3`), and after a sweep
// (outcome) the sweep's tail.
func (p printer) writeTail(head, field string, outcome *sweepOutcome) error {
	var b strings.Builder
	b.WriteString(head)
	if field != "" {
		b.WriteString(",\n" + field)
	}
	if outcome != nil {
		tail, err := json.MarshalIndent(toSweepTail(outcome, p.hide), "", "  ")
		if err != nil {
			return err
		}
		b.WriteString(",\n")
		b.Write(tail[2 : len(tail)-2]) // its fields, without the braces
	}
	b.WriteString("\n}\n")
	return p.writeRaw([]byte(b.String()))
}

// ownerFlag is the flag that names o to a command, for the IDs a sweep
// prints: "--application=575ec8687ae143cd83dc4a97", or nothing for the
// user. A line of it and a token ID is a command's arguments
// (xargs -L1 losant-tokens delete --yes).
func ownerFlag(o losant.NamedOwner) string {
	switch o.Owner.Type() {
	case losant.APITokenOwnerTypeApplication:
		return "--application=" + o.Owner.ID()
	case losant.APITokenOwnerTypeInstance:
		return "--instance=" + o.Owner.ID()
	}
	return ""
}

func toJSON(t *losant.APIToken) tokenJSON {
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

// writeJSON writes v as indented JSON. encoding/json escapes C0 controls
// but not DEL, C1 controls, bidirectional-text controls or other format
// characters (U+200B), which a terminal would act on or hide: those are
// escaped too (\u009b), which leaves the JSON the same to any decoder.
func (p printer) writeJSON(v any) error {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetIndent("", "  ")
	if err := enc.Encode(v); err != nil {
		return err
	}
	return p.writeRaw(buf.Bytes())
}

// writeRaw writes encoded JSON, escaping what a terminal would act on.
func (p printer) writeRaw(out []byte) error {
	if jsonNeedsEscape(out) {
		out = escapeJSONControls(out)
	}
	_, err := p.w.Write(out)
	return err
}

// jsonNeedsEscape reports whether encoded JSON holds a rune a terminal
// would act on, other than the newlines of its indentation.
func jsonNeedsEscape(b []byte) bool {
	for i := 0; i < len(b); {
		r, size := utf8.DecodeRune(b[i:])
		if r != '\n' && terminal.Unsafe(r) {
			return true
		}
		i += size
	}
	return false
}

// escapeJSONControls writes the runes of encoded JSON that a terminal
// would act on as \u escapes; outside strings JSON has none but the
// newlines and spaces of its indentation, which are kept.
func escapeJSONControls(b []byte) []byte {
	var out bytes.Buffer
	for _, r := range string(b) {
		if r != '\n' && terminal.Unsafe(r) {
			if r1, r2 := utf16.EncodeRune(r); r1 != utf8.RuneError {
				fmt.Fprintf(&out, `\u%04x\u%04x`, r1, r2) // a tag (U+E0041): a surrogate pair, as JSON writes it
				continue
			}
			fmt.Fprintf(&out, `\u%04x`, r)
			continue
		}
		out.WriteRune(r)
	}
	return out.Bytes()
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
func (p printer) token(t *losant.APIToken, went string) error {
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

// stream prints a list as it is read, so that memory stays flat however
// many tokens there are: JSON as one document whose array grows token by
// token, a table aligned in blocks of tableBlock rows, or IDs.
type stream struct {
	p      printer
	n      int
	table  *tabwriter.Writer
	owners bool // a sweep of every owner: each row names its owner
}

// tableBlock is how many rows a streamed table aligns at a time.
const tableBlock = 200

func (p printer) stream() *stream { return &stream{p: p} }

// ownersStream is a stream of the tokens of many owners, each row naming
// its owner.
func (p printer) ownersStream() *stream { return &stream{p: p, owners: true} }

// add prints one token.
func (s *stream) add(t *losant.APIToken) error { return s.addOf(losant.NamedOwner{}, t) }

// addOf prints one token of owner o.
func (s *stream) addOf(o losant.NamedOwner, t *losant.APIToken) error {
	s.n++
	switch s.p.format {
	case formatIDs:
		return s.p.ownedID(ownerFlag(o), t.ID)
	case formatJSON:
		tj := toJSON(t)
		if s.owners {
			tj.Owner = toOwnerJSON(o)
		}
		b, err := json.MarshalIndent(tj, "    ", "  ")
		if err != nil {
			return err
		}
		sep := ",\n    "
		if s.n == 1 {
			sep = "{\n  \"tokens\": [\n    "
		}
		return s.p.writeRaw(append([]byte(sep), b...))
	}
	if s.table == nil {
		s.table = tabwriter.NewWriter(s.p.w, 0, 4, 2, ' ', 0)
		if s.n == 1 && s.owners {
			fmt.Fprint(s.table, "OWNER\t")
		}
		if s.n == 1 {
			fmt.Fprintln(s.table, "ID\tNAME\tSTATUS\tEXPIRES\tSCOPE")
		}
	}
	if s.owners {
		fmt.Fprintf(s.table, "%s\t", ownerName(o))
	}
	fmt.Fprintf(s.table, "%s\t%s\t%s\t%s\t%s\n", safe(t.ID), safe(t.Name), safe(string(t.Status)), s.p.when(t.ExpirationDate), safe(strings.Join(t.Scope, ",")))
	if s.n%tableBlock == 0 {
		err := s.table.Flush()
		s.table = nil
		return err
	}
	return nil
}

// end finishes the list: closes the JSON document, or flushes the table,
// or says empty when there was no token.
func (s *stream) end(empty string) error { return s.endSweep(empty, nil) }

// endSweep is end, and after a sweep of every owner (outcome), says in
// JSON which owners were read and which not (sweepTail).
func (s *stream) endSweep(empty string, outcome *sweepOutcome) error {
	switch {
	case s.p.format == formatJSON && s.n == 0:
		return s.p.writeTail("{\n  \"tokens\": []", "", outcome)
	case s.p.format == formatJSON:
		return s.p.writeTail("\n  ]", "", outcome)
	case s.p.format == formatTable && s.n == 0:
		_, err := fmt.Fprintln(s.p.w, empty)
		return err
	case s.table != nil:
		return s.table.Flush()
	}
	return nil
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

// findingStream prints an audit's findings as they are found: a table in
// blocks of tableBlock rows, {"findings": [...], "checked": n}, or the IDs
// of the tokens found, each once.
type findingStream struct {
	p      printer
	n      int
	table  *tabwriter.Writer
	lastID string // a token's findings come together: its ID is printed once
}

func (p printer) findings() *findingStream { return &findingStream{p: p} }

// add prints one finding.
func (s *findingStream) add(f finding) error {
	s.n++
	switch s.p.format {
	case formatJSON:
		b, err := json.MarshalIndent(f, "    ", "  ")
		if err != nil {
			return err
		}
		sep := ",\n    "
		if s.n == 1 {
			sep = "{\n  \"findings\": [\n    "
		}
		return s.p.writeRaw(append([]byte(sep), b...))
	case formatIDs:
		if f.TokenID == s.lastID {
			return nil
		}
		s.lastID = f.TokenID
		return s.p.ownedID(f.ownerFlag, f.TokenID)
	}
	if s.table == nil {
		s.table = tabwriter.NewWriter(s.p.w, 0, 4, 2, ' ', 0)
		if s.n == 1 {
			fmt.Fprintln(s.table, "OWNER\tTOKEN\tNAME\tRULE\tFINDING")
		}
	}
	fmt.Fprintf(s.table, "%s\t%s\t%s\t%s\t%s\n", ownerName(f.owner), safe(f.TokenID), safe(f.Name), f.Rule, safe(f.Detail))
	if s.n%tableBlock == 0 {
		err := s.table.Flush()
		s.table = nil
		return err
	}
	return nil
}

// end finishes the output, with the count of tokens checked.
func (s *findingStream) end(checked int) error { return s.endSweep(checked, nil) }

// endSweep finishes the output, with the count of tokens checked and,
// after a sweep of every owner, in JSON, which owners were read and which
// not (sweepTail).
func (s *findingStream) endSweep(checked int, outcome *sweepOutcome) error {
	switch {
	case s.p.format == formatJSON:
		head := "\n  ]"
		if s.n == 0 {
			head = "{\n  \"findings\": []"
		}
		return s.p.writeTail(head, fmt.Sprintf("  \"checked\": %d", checked), outcome)
	case s.p.format == formatIDs:
		return nil
	case s.n == 0:
		_, err := fmt.Fprintf(s.p.w, "%d tokens checked: no findings\n", checked)
		return err
	}
	if s.table != nil {
		if err := s.table.Flush(); err != nil {
			return err
		}
	}
	_, err := fmt.Fprintf(s.p.w, "%d findings in %d tokens checked\n", s.n, checked)
	return err
}

// ask asks question on the terminal and reports whether the answer is y.
// The question goes to stdout when it is the terminal, and to stderr when
// stdout is not (delete ID > log), where the operator sees it.
func (c *commands) ask(question string) bool {
	to := c.env.stdout
	if !c.env.tty {
		to = c.env.stderr
	}
	fmt.Fprint(to, question)
	answer, _ := bufio.NewReader(c.env.stdin).ReadString('\n')
	return strings.EqualFold(strings.TrimSpace(answer), "y")
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
