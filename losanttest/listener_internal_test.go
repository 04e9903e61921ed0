package losanttest

import (
	"bufio"
	"io"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// At its Connections limit the fake accepts no further connection until
// one closes; then the one waiting is served.
func TestConnectionsAreLimited(t *testing.T) {
	t.Parallel()
	s := New(t, WithLimits(Limits{Connections: 2}))
	addr := strings.TrimPrefix(s.URL, "http://")
	ask := func(conn net.Conn) int {
		t.Helper()
		require.NoError(t, conn.SetDeadline(time.Now().Add(30*time.Second))) // a hang guard, not a timing check
		_, err := io.WriteString(conn, "GET /me/tokens HTTP/1.1\r\nHost: x\r\n\r\n")
		require.NoError(t, err)
		resp, err := http.ReadResponse(bufio.NewReader(conn), nil)
		require.NoError(t, err)
		_, _ = io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		return resp.StatusCode
	}
	var open []net.Conn
	for range 2 {
		conn, err := net.Dial("tcp", addr)
		require.NoError(t, err)
		defer conn.Close()
		assert.Equal(t, http.StatusUnauthorized, ask(conn), "kept alive after its answer")
		open = append(open, conn)
	}
	l := s.http.Listener.(*limitedListener)
	require.Eventually(t, func() bool { return l.waiting.Load() == 1 }, 30*time.Second, 5*time.Millisecond, "Accept waits for a slot")
	third, err := net.Dial("tcp", addr) // into the kernel's backlog
	require.NoError(t, err)
	defer third.Close()
	assert.Equal(t, 2, s.Connections(), "nothing more is accepted while two are open")

	require.NoError(t, open[0].Close())
	assert.Equal(t, http.StatusUnauthorized, ask(third), "served once one closed")
	assert.Equal(t, 3, s.Connections())
}
