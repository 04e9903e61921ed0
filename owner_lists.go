package losant

import (
	"context"
	"errors"
	"iter"
	"net/http"

	"github.com/specdriven/losant/gen"
	"github.com/specdriven/losant/internal/wire"
)

// NamedOwner is an owner of API tokens that Owners found, and its name.
type NamedOwner struct {
	// Owner is the owner, for Client.APITokens.
	Owner Owner
	// Name is the application's or the instance's name, as the API sent
	// it (text to escape before a terminal shows it); empty for the user.
	Name string
}

// Owners iterates over every owner of API tokens the client's token
// reaches: the user first, then every application the user may see
// (GET /applications: its own and its organizations'), then every
// Enterprise instance it is a member of (GET /instances), each list in
// the order its owners were made. Each list is read as All reads tokens,
// in overlapping pages: an owner that exists throughout is yielded once,
// however many others are made or deleted meanwhile; one made meanwhile
// may or may not be.
//
// Only a user's token may list owners, so the user is yielded once a
// list has answered, before any owner of it. A token that may list
// neither (403 from both: an application's or an instance's own token,
// or a user's scoped to less) costs one request more, a one-token read of
// the user's tokens: the user is yielded if that answers, and nothing
// else is: give such a token its owner with APITokens instead.
//
// Reading the applications or the instances may fail, for a token that
// may list one and not the other (all.Organization lists applications
// only) or for a fault that outlasts the retries: the error is yielded
// with a zero NamedOwner, saying which list it was and how far it got,
// and the iteration goes on with the next list unless the loop stops.
// It stops after an error that the next list would get too: a 401 (the
// token is not valid), the end of ctx, an argument refused.
//
//	for owner, err := range client.Owners(ctx) {
//		if err != nil { ... } // the owners yielded before it stand
//		tokens := client.APITokens(owner.Owner)
//	}
func (c *Client) Owners(ctx context.Context, opts ...CallOption) iter.Seq2[NamedOwner, error] {
	return func(yield func(NamedOwner, error) bool) {
		applications := ownerList(ctx, c, "applications", "listApplications", opts, func(ctx context.Context, r pageRequest) (*http.Request, error) {
			sort := gen.ApplicationSortFieldID // unique: no ties for pages to split differently
			return c.requests.ListApplications(ctx, &wire.ListApplicationsParams{SortField: &sort, Page: &r.Page, PerPage: &r.PerPage})
		}, func(p *gen.Applications) ([]gen.Application, int, int) { return p.Items, p.PerPage, p.TotalCount },
			func(a *gen.Application) NamedOwner { return NamedOwner{Owner: Application(a.ID), Name: a.Name} },
			func(a *gen.Application) string { return a.ID })
		instances := ownerList(ctx, c, "instances", "listInstances", opts, func(ctx context.Context, r pageRequest) (*http.Request, error) {
			sort := gen.InstanceSortFieldID
			return c.requests.ListInstances(ctx, &wire.ListInstancesParams{SortField: &sort, Page: &r.Page, PerPage: &r.PerPage})
		}, func(p *gen.Instances) ([]gen.Instance, int, int) { return p.Items, p.PerPage, p.TotalCount },
			func(in *gen.Instance) NamedOwner { return NamedOwner{Owner: Instance(in.ID), Name: in.Name} },
			func(in *gen.Instance) string { return in.ID })
		user := false // whether the user was yielded
		yieldUser := func() bool {
			if user {
				return true
			}
			user = true
			return yield(NamedOwner{Owner: User()}, nil)
		}
		refused := 0 // lists that answered 403
		for _, list := range []iter.Seq2[NamedOwner, error]{applications, instances} {
			var listErr error
			for o, err := range list {
				if err != nil {
					listErr = err
					if !yield(NamedOwner{}, err) {
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
			case finalOwnerListError(ctx, listErr):
				return
			case IsForbidden(listErr):
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
		if _, err := c.APITokens(User()).List(ctx, APITokenListOptions{PerPage: 1}, opts...); err == nil {
			yieldUser()
		}
	}
}

// finalOwnerListError reports whether err, which stopped a list of owners,
// would stop the next list too: a 401, the end of ctx, a refused argument.
func finalOwnerListError(ctx context.Context, err error) bool {
	return IsUnauthorized(err) || errors.Is(err, ErrInvalidArgument) ||
		ctx != nil && ctx.Err() != nil || errors.Is(err, context.Canceled)
}

// ownerPerPage is the page size of the owner lists.
const ownerPerPage = 100

// ownerBytes is the room a list response is given for each owner of its
// page: an application carries its globals and summary.
const ownerBytes = 16 << 10

// ownerList iterates over one list of owners (noun: "applications", read
// by the spec's operation "listApplications"), each page built by build
// and read into a P, whose items, page size and total count page gives.
func ownerList[P, T any](ctx context.Context, c *Client, noun, operation string, opts []CallOption,
	build func(context.Context, pageRequest) (*http.Request, error),
	page func(*P) ([]T, int, int), named func(*T) NamedOwner, idOf func(*T) string) iter.Seq2[NamedOwner, error] {
	return func(yield func(NamedOwner, error) bool) {
		if ctx == nil {
			yield(NamedOwner{}, invalid("context", "nil"))
			return
		}
		call, err := c.callSettings(opts)
		if err != nil {
			yield(NamedOwner{}, err)
			return
		}
		call.maxBody = max(call.maxBody, ownerPerPage*ownerBytes)
		read := 0
		all := pages(ctx, noun, pageRequest{PerPage: ownerPerPage}, c.maxPages, idOf,
			func(ctx context.Context, r pageRequest) ([]T, int, int, error) {
				p, err := decode[P](c.send(ctx, call, operation, func(ctx context.Context) (*http.Request, error) {
					return build(ctx, r)
				}))
				if err != nil {
					return nil, 0, 0, err
				}
				items, perPage, total := page(p)
				return items, perPage, total, nil
			})
		for item, err := range all {
			if err != nil {
				yield(NamedOwner{}, &OwnerListError{Collection: noun, Listed: read, Err: err})
				return
			}
			read++
			if !yield(named(item), nil) {
				return
			}
		}
	}
}
