package cli

import (
	"encoding/json"
	"fmt"
	"strings"
	"text/tabwriter"

	"github.com/specdriven/losant/gen"
)

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
func (s *stream) add(t *gen.APIToken) error { return s.addOf(namedOwner{}, t) }

// addOf prints one token of owner o.
func (s *stream) addOf(o namedOwner, t *gen.APIToken) error {
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
