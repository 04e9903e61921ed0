package transport

import (
	"bytes"
	"errors"
	"fmt"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

var errTooLarge = errors.New("too large")

// ReadBody sizes its one buffer from the Content-Length up to the limit
// the client was given, not the package default.
func TestReadBodySizesItsBufferFromTheLimit(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		limit, size int64
		wantCap     int
	}{
		{limit: 4 << 20, size: 3 << 20, wantCap: 3<<20 + 1}, // over the default, under the client's limit
		{limit: 4 << 10, size: 1 << 10, wantCap: 1<<10 + 1},
	} {
		t.Run(fmt.Sprint(tc), func(t *testing.T) {
			data := bytes.Repeat([]byte("x"), int(tc.size))
			buf, err := ReadBody(bytes.NewReader(data), tc.size, tc.limit, errTooLarge)
			require.NoError(t, err)
			assert.Len(t, *buf, int(tc.size))
			assert.GreaterOrEqual(t, cap(*buf), tc.wantCap, "room for Content-Length+1 at once, for a %d-byte limit", tc.limit)
			Release(buf)
		})
	}
}

// A body over the limit, declared or not, fails wrapping the caller's
// error, and the buffer holds no more than the limit.
func TestReadBodyStopsAtTheLimit(t *testing.T) {
	t.Parallel()
	data := bytes.Repeat([]byte("x"), 100)
	for _, declared := range []int64{-1, 100} {
		buf, err := ReadBody(bytes.NewReader(data), declared, 10, errTooLarge)
		require.ErrorIs(t, err, errTooLarge, "declared %d", declared)
		assert.LessOrEqual(t, len(Bytes(buf)), 10, "declared %d", declared)
		Release(buf)
	}
	buf, err := ReadBody(bytes.NewReader(data[:10]), -1, 10, errTooLarge)
	require.NoError(t, err, "exactly the limit is whole")
	assert.Len(t, Bytes(buf), 10)
}
