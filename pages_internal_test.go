package losant

import (
	"fmt"
	"testing"

	"github.com/stretchr/testify/assert"
)

// Every read overlapping chooses starts at or before the last token read
// and reaches past it, within perPage, and reaches as far as any size
// within perPage could.
func TestOverlappingStaysWithinPerPage(t *testing.T) {
	for _, perPage := range []int{MinAllPerPage, 17, 100, 1000} {
		t.Run(fmt.Sprint(perPage), func(t *testing.T) {
			for end := 1; end < 20_000; end++ {
				page, size := overlapping(end, perPage)
				from, to := page*size, (page+1)*size
				if !assert.LessOrEqual(t, size, perPage, "end %d", end) ||
					!assert.LessOrEqual(t, from, end-1, "end %d: the read holds the last token read", end) ||
					!assert.Greater(t, to, end, "end %d: the read reaches past it", end) {
					return
				}
				for s := 2; s <= perPage; s++ {
					if reach := ((end-1)/s + 1) * s; !assert.LessOrEqual(t, reach, to, "end %d: size %d reaches further", end, s) {
						return
					}
				}
			}
		})
	}
}

// At an offset that is a multiple of every size from 2 to perPage no size
// within it overlaps and reaches on; the next size up that does is taken.
func TestOverlappingPastTheOneOffsetNoSizeFits(t *testing.T) {
	const end = 720_720 // the least common multiple of 1 to 16
	page, size := overlapping(end, 16)
	assert.Equal(t, 17, size)
	assert.LessOrEqual(t, page*size, end-1)
	assert.Greater(t, (page+1)*size, end)
}
