package retrying

import (
	"fmt"
	"math"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
)

func TestRetryAfterParsing(t *testing.T) {
	t.Parallel()
	now := time.Date(2026, 11, 23, 12, 0, 0, 0, time.UTC)
	cases := []struct {
		header string
		want   time.Duration
		ok     bool
	}{
		{"0", 0, true},
		{"120", 2 * time.Minute, true},
		{" 5 ", 5 * time.Second, true},
		{"Mon, 23 Nov 2026 12:00:30 GMT", 30 * time.Second, true},
		{"Monday, 23-Nov-26 12:01:00 GMT", time.Minute, true},
		{"Mon Nov 23 12:00:10 2026", 10 * time.Second, true},
		{"Mon, 23 Nov 2026 11:00:00 GMT", 0, true}, // past: no wait
		{"", 0, false},
		{"-1", 0, false},
		{"1.5", 0, false},
		{"soon", 0, false},
		// Too long for a Duration: the longest one, which no MaxWait allows.
		{"99999999999999999999", math.MaxInt64, true},
		{"9223372037", math.MaxInt64, true},
	}
	for _, tc := range cases {
		t.Run(fmt.Sprintf("%q", tc.header), func(t *testing.T) {
			got, ok := After(tc.header, now)
			assert.Equal(t, tc.ok, ok, tc.header)
			assert.Equal(t, tc.want, got, tc.header)
		})
	}
}
