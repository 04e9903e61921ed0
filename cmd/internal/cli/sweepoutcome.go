package cli

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strings"

	"github.com/specdriven/losant"
)

// sweepOutcome is what a sweep read and what it did not: the owners read
// (and printed), each owner that could not be read and why, each list of
// owners that stopped, and whether it was interrupted.
type sweepOutcome struct {
	read        []namedOwner
	unread      []unreadOwner
	lists       []error // each a list of owners that stopped (*ownerListError)
	known       int     // the owners found, read or not
	interrupted bool    // the context ended: the owners not read were not tried
	limited     bool    // the output had all it wanted (--limit): the owners after were not read
}

// complete reports whether every owner found was read, and every list of
// owners read to the end.
func (o *sweepOutcome) complete() bool {
	return !o.interrupted && !o.limited && len(o.unread)+len(o.lists) == 0
}

// unreadOwner is an owner a sweep could not read, and why.
type unreadOwner struct {
	owner namedOwner
	err   error
}

// result is the error of the sweep's run: nil when every owner was read
// (also: what else the run found, such as audit's findings).
func (o *sweepOutcome) result(also error) error {
	switch {
	case o.interrupted:
		return &sweepInterrupted{read: len(o.read), known: o.known, listsWhole: len(o.lists) == 0, also: also}
	case len(o.read) == 0 && len(o.unread)+len(o.lists) > 0:
		n := &nothingRead{lists: o.lists}
		for _, u := range o.unread {
			n.owners = append(n.owners, u.err)
		}
		return n
	case len(o.unread)+len(o.lists) > 0:
		return &someOwnersFailed{read: len(o.read), failed: len(o.unread), lists: o.lists, also: also}
	}
	return also
}

// someOwnersFailed is the error of a sweep in which some owners could not
// be read, or a list of owners stopped: each is reported on stderr as it
// fails, the others' results are printed.
type someOwnersFailed struct {
	read, failed int
	lists        []error // the lists of owners that stopped
	also         error   // what else the run found, such as audit's findings
}

func (e *someOwnersFailed) Error() string {
	var msg string
	if len(e.lists) == 0 {
		msg = fmt.Sprintf("%d of %d owners could not be read (named above); what was printed is whole for the others", e.failed, e.read+e.failed)
	} else {
		msg = fmt.Sprintf("the %s could not be read to the end (named above), so how many owners there are is unknown: %d owners were read", listNouns(e.lists), e.read)
		if e.failed > 0 {
			msg += fmt.Sprintf(" and %d more could not be (named above)", e.failed)
		}
		msg += "; what was printed is whole for those read"
	}
	if e.also != nil {
		msg += "; " + e.also.Error()
	}
	return msg
}

// listNouns names the lists of owners that stopped: "list of instances",
// "lists of applications and instances".
func listNouns(lists []error) string {
	var nouns []string
	for _, err := range lists {
		var listErr *ownerListError
		if errors.As(err, &listErr) {
			nouns = append(nouns, safe(listErr.Collection))
		}
	}
	switch len(nouns) {
	case 0:
		return "list of owners"
	case 1:
		return "list of " + nouns[0]
	}
	return "lists of " + strings.Join(nouns, " and ")
}

// nothingRead is the error of a sweep that read no owner at all: its exit
// status is the one reading a single owner would give for the cause (a
// 401 or 403: exit 4), not that of a sweep in part.
type nothingRead struct {
	lists  []error // the lists of owners that stopped
	owners []error // why each owner found could not be read
}

func (e *nothingRead) Error() string {
	if len(e.owners) == 0 && len(e.lists) > 0 && anyUnauthorized(e.lists) {
		return "no owner could be read: the access token was refused (not valid, expired, inactive or deleted: the answer above); " +
			"check $LOSANT_API_TOKEN or --token-file"
	}
	if len(e.owners) == 0 && len(e.lists) > 0 && allDenied(e.lists) {
		return "no owner could be read: the access token may list neither the applications nor the instances " +
			"(an application's or an instance's own token reaches only its owner): " +
			"name its owner with -a/--application ID or -i/--instance ID instead of --all-owners"
	}
	msg := "no owner could be read"
	if len(e.lists) > 0 {
		msg += fmt.Sprintf(": the %s could not be read (named above)", listNouns(e.lists))
	}
	if len(e.owners) > 0 {
		msg += fmt.Sprintf("; none of the %d owners found could be read (named above)", len(e.owners))
	}
	return msg
}

func (e *nothingRead) Unwrap() []error { return append(append([]error{}, e.lists...), e.owners...) }

// anyUnauthorized reports whether any error is a 401: the token itself
// was refused, whatever it may list.
func anyUnauthorized(errs []error) bool {
	return slices.ContainsFunc(errs, func(err error) bool { return losant.StatusCode(err) == http.StatusUnauthorized })
}

// allDenied reports whether every error is a 401 or a 403.
func allDenied(errs []error) bool {
	for _, err := range errs {
		if losant.StatusCode(err) != http.StatusForbidden && losant.StatusCode(err) != http.StatusUnauthorized {
			return false
		}
	}
	return true
}

// sweepInterrupted is the error of a sweep the context ended: the owners
// read were printed whole, the others not at all.
type sweepInterrupted struct {
	read, known int
	listsWhole  bool // whether the lists of owners were read to the end
	also        error
}

func (e *sweepInterrupted) Error() string {
	msg := fmt.Sprintf("interrupted: %d of the %d owners found were read, and printed whole; the others not at all", e.read, e.known)
	if !e.listsWhole {
		msg += " (the lists of owners were not read to the end: there may be more)"
	}
	if e.also != nil {
		msg += "; " + e.also.Error()
	}
	return msg
}

func (e *sweepInterrupted) Unwrap() error { return context.Canceled }
