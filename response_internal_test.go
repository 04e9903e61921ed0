package losant

import (
	"bytes"
	"io"
	"net/http"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// readBody sizes its one buffer from the Content-Length up to the limit
// the client was given, not the package default.
func TestReadBodySizesItsBufferFromTheLimit(t *testing.T) {
	for _, tc := range []struct {
		limit, size int64
		wantCap     int
	}{
		{limit: 4 << 20, size: 3 << 20, wantCap: 3<<20 + 1}, // over the default, under the client's limit
		{limit: 4 << 10, size: 1 << 10, wantCap: 1<<10 + 1},
	} {
		data := bytes.Repeat([]byte("x"), int(tc.size))
		resp := &http.Response{
			ContentLength: tc.size,
			Body:          &limitedBody{body: io.NopCloser(bytes.NewReader(data)), left: tc.limit, limit: tc.limit, declared: tc.size},
		}
		body, err := readBody(resp)
		require.NoError(t, err)
		assert.Len(t, body, int(tc.size))
		assert.Equal(t, tc.wantCap, cap(body), "one buffer of Content-Length+1 for a %d-byte limit", tc.limit)
	}
}
