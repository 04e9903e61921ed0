package cli

import (
	"encoding/json"
	"errors"
	"strings"

	"github.com/specdriven/losant/gen"
)

// ownerJSON names a token's owner in a sweep's JSON.
type ownerJSON struct {
	Type string `json:"type"`
	ID   string `json:"id,omitempty"` // none for the user
	Name string `json:"name,omitempty"`
}

// toOwnerJSON is how every command's JSON names an owner: a token's in
// list, expiring and retire, a finding's in audit, the owners a sweep read
// or did not.
func toOwnerJSON(o namedOwner) *ownerJSON {
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
		var listErr *ownerListError
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
func ownerFlag(o namedOwner) string {
	switch o.Owner.Type() {
	case gen.APITokenOwnerTypeApplication:
		return "--application=" + o.Owner.ID()
	case gen.APITokenOwnerTypeInstance:
		return "--instance=" + o.Owner.ID()
	}
	return ""
}
