package paging

import (
	"fmt"
	"testing"

	"github.com/stretchr/testify/assert"
)

// Every read overlapping chooses starts at or before the last token read
// and reaches past it, within perPage, and reaches as far as any size
// within perPage could.
func TestOverlappingStaysWithinPerPage(t *testing.T) {
	t.Parallel()
	for _, perPage := range []int{16, 17, 100, 1000} {
		t.Run(fmt.Sprint(perPage), func(t *testing.T) {
			t.Parallel()
			// Plain comparisons: this is 20 million checks, which testify's
			// assertions made take half a minute.
			for end := 1; end < 20_000; end++ {
				page, size := overlapping(end, perPage)
				from, to := page*size, (page+1)*size
				switch {
				case size > perPage:
					t.Fatalf("end %d: size %d, over perPage", end, size)
				case from > end-1:
					t.Fatalf("end %d: the read (page %d of %d) starts at %d, past the last token read", end, page, size, from)
				case to <= end:
					t.Fatalf("end %d: the read (page %d of %d) ends at %d, not past the last token read", end, page, size, to)
				}
				for s := 2; s <= perPage; s++ {
					if reach := ((end-1)/s + 1) * s; reach > to {
						t.Fatalf("end %d: size %d reaches to %d, further than size %d's %d", end, s, reach, size, to)
					}
				}
			}
		})
	}
}

// At an offset that is a multiple of every size from 2 to perPage no size
// within it overlaps and reaches on; the next size up that does is taken.
func TestOverlappingPastTheOneOffsetNoSizeFits(t *testing.T) {
	t.Parallel()
	const end = 720_720 // the least common multiple of 1 to 16
	page, size := overlapping(end, 16)
	assert.Equal(t, 17, size)
	assert.LessOrEqual(t, page*size, end-1)
	assert.Greater(t, (page+1)*size, end)
}
