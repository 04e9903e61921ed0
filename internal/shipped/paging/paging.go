// Package paging reads every item of a list the API pages by offset, each
// once, even while others add or remove items between the reads.
package paging

import (
	"context"
	"fmt"
	"iter"
	"math"
)

// maxBacks bounds the reads in a row that find every token read before
// gone from where they were: a list that never holds still.
const maxBacks = 100

// DefaultPerPage is the API's page size when the request names none.
const DefaultPerPage = 100

// Items iterates over every item (a token, an application, an instance:
// noun names them in errors) of the pages list returns, from first.Page
// on, each once. Ranged again, it starts again from first.Page. idOf is an
// item's ID, unique in the list, which is sorted by it or by another field
// that list's caller chose.
//
// The API pages by offset, so tokens made or deleted by someone else
// between two reads shift the tokens not yet read: a read from where the
// last one ended would skip those that moved back over the boundary. So
// after the first page (first's own), each read overlaps the one before by
// at least one token: its page and page size are chosen so that it starts
// at or before the last token read, and it is trusted only if it holds a
// token already yielded. One that does not shows that the tokens moved
// back further than the overlap; the read before it is then made again,
// further back. Tokens already yielded are not yielded again. Every token
// that exists throughout is therefore yielded, once; tokens made meanwhile
// may or may not be. No read asks for more than the size asked for (see
// overlapping for the one exception), so the overlap costs reads: on a list
// nobody changes, 1.14 times as many as fixed pages of 100, 1.04 times at
// 1 000, 1.45 times at 16. (The caller refuses sizes under 16, which
// cannot overlap within themselves on a list of a few thousand.)
//
// It stops after the last page: one that is short or empty, or one that
// reaches the API's totalCount. It stops at the first error, which it
// yields, when ctx is done, and with an error wrapping endless when a
// full page holds nothing new while the count stays the same, or after
// maxPages pages.
func Items[T any](ctx context.Context, noun string, first Request, maxPages int, endless error, idOf func(*T) string,
	list func(context.Context, Request) (items []T, perPage, totalCount int, err error)) iter.Seq2[*T, error] {
	return func(yield func(*T, error) bool) {
		o := first // each range starts from the caller's options
		size := o.PerPage
		if size <= 0 {
			size = DefaultPerPage
		}
		if o.Page > math.MaxInt/2/size {
			o.Page = math.MaxInt / 2 / size // far past any end: an empty page, no overflow
		}
		start := o.Page * size // the offset of the first item to yield
		end := start           // the offset past the last item read
		seen := newIDSet()
		total := -1   // the totalCount of the read before; -1: none yet
		backs := 0    // reads in a row that had to go further back
		back := false // the read before held nothing already yielded: this one goes back over yielded ones
		for read := 1; ; read++ {
			if ctx != nil && ctx.Err() != nil {
				yield(nil, fmt.Errorf("losant: listing %s: %w", noun, ctx.Err()))
				return
			}
			if read > 1 {
				o.Page, o.PerPage = overlapping(end, size)
			}
			items, perPage, totalCount, err := list(ctx, o)
			if err != nil {
				yield(nil, err)
				return
			}
			at := o.Page * o.PerPage
			if at > start && !holdsAny(items, seen, idOf) {
				// Everything read before moved back past this page: read
				// again from one page further back.
				if backs++; backs > maxBacks {
					yield(nil, fmt.Errorf("%w: %d reads in a row held nothing already listed", endless, backs))
					return
				}
				end = max(start, at-o.PerPage)
				total = totalCount
				back = true
				continue
			}
			if at > start {
				backs = 0
			}
			fresh := 0
			for i := range items {
				id := idOf(&items[i])
				if (id != "" && seen.has(id)) || at+i < start {
					continue
				}
				seen.add(id)
				fresh++
				if !yield(&items[i], nil) {
					return
				}
			}
			end = at + len(items)
			n := o.PerPage
			if perPage > 0 {
				n = perPage
			}
			if len(items) < n || totalCount > 0 && end >= totalCount {
				return
			}
			if fresh == 0 && read > 1 && totalCount == total && !back {
				yield(nil, fmt.Errorf("%w: page %d of %d holds only what was already listed", endless, o.Page, o.PerPage))
				return
			}
			if read >= maxPages { // whatever totalCount claims: a server may claim one that never ends
				yield(nil, fmt.Errorf("%w: %d full pages read, the most WithMaxPages allows", endless, read))
				return
			}
			total = totalCount
			back = false
		}
	}
}

// Request is the page a read asks for.
type Request struct{ Page, PerPage int }

// overlapping returns the page and page size of the read that goes on from
// offset end (the tokens before it have been read): it starts at or before
// the last token read, reaches past end, and asks for at most perPage. Of
// those sizes it takes the one that reaches furthest (the fewest reads),
// the smaller of two that reach as far; sizes from half of perPage up are
// tried first, and on an unchanged list this choice is the best any
// sequence of pages can do. Only when end is a multiple of every size from
// 2 to perPage (720 720 for 16, beyond any list from 23 on) does none reach
// past end; it then takes the smallest larger size that does.
func overlapping(end, perPage int) (page, size int) {
	lo := max(2, perPage/2)
	best := furthest(end, lo, perPage)
	if best == 0 {
		best = furthest(end, 2, lo-1)
	}
	for s := perPage + 1; best == 0; s++ {
		best = furthest(end, s, s)
	}
	return (end - 1) / best, best
}

// furthest returns the size from lo to hi whose aligned page holding the
// token at end-1 reaches furthest past end, the smallest of those that
// reach as far; 0 if none reaches past end.
func furthest(end, lo, hi int) int {
	best, bestFresh := 0, 0
	for s := lo; s <= hi; s++ {
		fresh := ((end-1)/s+1)*s - end // tokens past end
		if fresh > bestFresh {
			best, bestFresh = s, fresh
		}
	}
	return best
}

// holdsAny reports whether any of items has been yielded.
func holdsAny[T any](items []T, seen idSet, idOf func(*T) string) bool {
	for i := range items {
		if seen.has(idOf(&items[i])) {
			return true
		}
	}
	return false
}

// idSet is the set of the IDs pages has yielded. An ObjectId is kept as its
// 12 bytes, not as a 24-character string: listing a million tokens keeps a
// million IDs.
type idSet struct {
	objectIDs map[[12]byte]struct{}
	others    map[string]struct{} // what a server sent that is not an ObjectId
}

func newIDSet() idSet {
	return idSet{objectIDs: make(map[[12]byte]struct{}), others: make(map[string]struct{})}
}

func (s idSet) has(id string) bool {
	if key, ok := objectIDKey(id); ok {
		_, found := s.objectIDs[key]
		return found
	}
	_, found := s.others[id]
	return found
}

func (s idSet) add(id string) {
	if key, ok := objectIDKey(id); ok {
		s.objectIDs[key] = struct{}{}
		return
	}
	s.others[id] = struct{}{}
}

// objectIDKey is id's 12 bytes, when it is 24 lowercase hexadecimal
// digits (the API's form; an uppercase one is kept as a string, so that
// two spellings of one ID stay two, as the API would see them).
func objectIDKey(id string) (key [12]byte, ok bool) {
	if len(id) != 24 {
		return key, false
	}
	for i := range key {
		hi, lo := hexDigit(id[2*i]), hexDigit(id[2*i+1])
		if hi < 0 || lo < 0 {
			return key, false
		}
		key[i] = byte(hi<<4 | lo)
	}
	return key, true
}

func hexDigit(c byte) int {
	switch {
	case '0' <= c && c <= '9':
		return int(c - '0')
	case 'a' <= c && c <= 'f':
		return int(c - 'a' + 10)
	}
	return -1
}
