package losant

import (
	"context"
	"iter"
	"net/http"

	"github.com/specdriven/losant/gen"
	"github.com/specdriven/losant/internal/shipped/wire"
)

// Applications iterates over every application the client's token may see
// (GET /applications: the user's own and its organizations'), in the order
// they were made, each once, read in overlapping pages as All reads tokens.
// A token that may not list them (an application's or an instance's own)
// gets a 403. It stops after the last page, at the first error (yielded
// with a nil application) and when ctx is done; each range starts again.
//
//	for app, err := range client.Applications(ctx) { ... }
func (c *Client) Applications(ctx context.Context, opts ...CallOption) iter.Seq2[*gen.Application, error] {
	return ownerList(ctx, c, "applications", "listApplications", opts, func(ctx context.Context, r pageRequest) (*http.Request, error) {
		sort := gen.ApplicationSortFieldID // unique: no ties for pages to split differently
		return c.requests.ListApplications(ctx, &wire.ListApplicationsParams{SortField: &sort, Page: &r.Page, PerPage: &r.PerPage})
	}, func(p *gen.Applications) ([]gen.Application, int, int) { return p.Items, p.PerPage, p.TotalCount },
		func(a *gen.Application) string { return a.ID })
}

// Instances iterates over every Enterprise instance the client's token is
// a member of (GET /instances), in the order they were made, each once,
// read in overlapping pages as All reads tokens. A token that may not list
// them gets a 403. It stops as Applications does.
//
//	for instance, err := range client.Instances(ctx) { ... }
func (c *Client) Instances(ctx context.Context, opts ...CallOption) iter.Seq2[*gen.Instance, error] {
	return ownerList(ctx, c, "instances", "listInstances", opts, func(ctx context.Context, r pageRequest) (*http.Request, error) {
		sort := gen.InstanceSortFieldID
		return c.requests.ListInstances(ctx, &wire.ListInstancesParams{SortField: &sort, Page: &r.Page, PerPage: &r.PerPage})
	}, func(p *gen.Instances) ([]gen.Instance, int, int) { return p.Items, p.PerPage, p.TotalCount },
		func(in *gen.Instance) string { return in.ID })
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
	page func(*P) ([]T, int, int), idOf func(*T) string) iter.Seq2[*T, error] {
	return func(yield func(*T, error) bool) {
		if ctx == nil {
			yield(nil, invalid("context", "nil"))
			return
		}
		call, err := c.callSettings(opts)
		if err != nil {
			yield(nil, err)
			return
		}
		call.maxBody = max(call.maxBody, ownerPerPage*ownerBytes)
		all := everyPage(ctx, noun, pageRequest{PerPage: ownerPerPage}, c.maxPages, idOf,
			func(ctx context.Context, r pageRequest) ([]T, int, int, error) {
				p, err := decode[P](c.doOperation(ctx, call, operation, func(ctx context.Context) (*http.Request, error) {
					return build(ctx, r)
				}))
				if err != nil {
					return nil, 0, 0, err
				}
				items, perPage, total := page(p)
				return items, perPage, total, nil
			})
		all(yield)
	}
}
