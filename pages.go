package losant

import (
	"context"
	"iter"

	"github.com/specdriven/losant/internal/shipped/paging"
)

// MinAllPerPage is the smallest PerPage All and Expiring accept: each of
// their reads overlaps the one before within PerPage, and with smaller
// pages a list of a few thousand tokens reaches an offset that is a
// multiple of every size allowed, where no read can overlap.
const MinAllPerPage = 16

// pageRequest is the page a read of pages asks for.
type pageRequest = paging.Request

// everyPage iterates over every item of the pages list returns, from
// first.Page on, each once, as paging.Items does; noun names the items in
// errors and idOf is an item's ID. A PerPage under MinAllPerPage, which
// cannot overlap the read before within itself, yields an *ArgumentError
// alone.
func everyPage[T any](ctx context.Context, noun string, first pageRequest, maxPages int, idOf func(*T) string,
	list func(context.Context, pageRequest) (items []T, perPage, totalCount int, err error)) iter.Seq2[*T, error] {
	if 0 < first.PerPage && first.PerPage < MinAllPerPage {
		return func(yield func(*T, error) bool) {
			yield(nil, invalid("perPage", "%d, under %d: smaller pages cannot overlap the one before within their size, so a list that changes meanwhile could skip a token (List reads one page of any size)",
				first.PerPage, MinAllPerPage))
		}
	}
	return paging.Items(ctx, noun, first, maxPages, ErrEndlessPages, idOf, list)
}
