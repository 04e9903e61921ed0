package cli

import (
	"context"
	"errors"
	"fmt"
	"iter"
	"net/http"
	"strings"

	"github.com/specdriven/losant"
	"github.com/specdriven/losant/gen"
)

// namedOwner is an owner of API tokens that owners found, and its name.
type namedOwner struct {
	// Owner is the owner, for Client.APITokens.
	Owner losant.Owner
	// Name is the application's or the instance's name, as the API sent
	// it (text to escape before a terminal shows it); empty for the user.
	Name string
}

// ownerListError is the error owners yields when a list of owners could
// not be read to its end; the owners yielded before it stand.
type ownerListError struct {
	// Collection is the list: "applications" or "instances".
	Collection string
	// Listed is how many of its owners were yielded before the error.
	Listed int
	// Err is why: a *losant.Error (a 403 for a token that may not list
	// it), a network error, losant.ErrEndlessPages.
	Err error
}

func (e *ownerListError) Error() string {
	cause := "<nil>"
	if e.Err != nil {
		cause = strings.TrimPrefix(e.Err.Error(), "losant: ")
	}
	return fmt.Sprintf("listing the %s stopped after %d of them: %s", e.Collection, e.Listed, cause)
}

// Unwrap returns why the list stopped.
func (e *ownerListError) Unwrap() error { return e.Err }

// owners iterates over every owner of API tokens client's token reaches,
// the order --all-owners promises: the user, then each application it may
// see, then each instance it is a member of, each list by ID.
//
// Only a user's token may list owners, so the user is yielded once a list
// has answered, before any owner of it. A token that may list neither (403
// from both: an application's or an instance's own token, or a user's
// scoped to less) costs one request more, a one-token read of the user's
// tokens: the user is yielded if that answers, and nothing else is.
//
// A list that stops yields an *ownerListError with a zero namedOwner, and
// the next list is read unless the loop stops, or the error is one the next
// list would get too (finalListError).
func owners(ctx context.Context, client *losant.Client, opts ...losant.CallOption) iter.Seq2[namedOwner, error] {
	return func(yield func(namedOwner, error) bool) {
		applications := ownerList("applications", client.Applications(ctx, opts...),
			func(a *gen.Application) namedOwner { return namedOwner{Owner: losant.Application(a.ID), Name: a.Name} })
		instances := ownerList("instances", client.Instances(ctx, opts...),
			func(in *gen.Instance) namedOwner { return namedOwner{Owner: losant.Instance(in.ID), Name: in.Name} })
		user := false // whether the user was yielded
		yieldUser := func() bool {
			if user {
				return true
			}
			user = true
			return yield(namedOwner{Owner: losant.User()}, nil)
		}
		refused := 0 // lists that answered 403
		for _, list := range []iter.Seq2[namedOwner, error]{applications, instances} {
			var listErr error
			for o, err := range list {
				if err != nil {
					listErr = err
					if !yield(namedOwner{}, err) {
						return
					}
					continue
				}
				if !yieldUser() || !yield(o, nil) {
					return
				}
			}
			switch {
			case listErr == nil: // it answered, whole
				if !yieldUser() {
					return
				}
			case finalListError(ctx, listErr):
				return
			case losant.StatusCode(listErr) == http.StatusForbidden:
				refused++
			}
		}
		if user {
			return
		}
		if refused < 2 { // a fault, not a refusal: the user may be read all the same
			yieldUser()
			return
		}
		if _, err := client.APITokens(losant.User()).List(ctx, losant.APITokenListOptions{PerPage: 1}, opts...); err == nil {
			yieldUser()
		}
	}
}

// finalListError reports whether err, which stopped a list of owners,
// would stop the next list too: a 401, the end of ctx, a refused argument.
func finalListError(ctx context.Context, err error) bool {
	return losant.StatusCode(err) == http.StatusUnauthorized || errors.Is(err, losant.ErrInvalidArgument) ||
		ctx != nil && ctx.Err() != nil || errors.Is(err, context.Canceled)
}

// ownerList is list's owners, each named by named; its error, the last
// thing it yields, says which list (noun) stopped and after how many.
func ownerList[T any](noun string, list iter.Seq2[*T, error], named func(*T) namedOwner) iter.Seq2[namedOwner, error] {
	return func(yield func(namedOwner, error) bool) {
		read := 0
		for item, err := range list {
			if err != nil {
				yield(namedOwner{}, &ownerListError{Collection: noun, Listed: read, Err: err})
				return
			}
			read++
			if !yield(named(item), nil) {
				return
			}
		}
	}
}
