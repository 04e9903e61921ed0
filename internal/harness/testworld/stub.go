package testworld

import (
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"testing"
)

// Stub serves h on loopback for the test's lifetime: a server that is not
// the fake (one that lies, redirects, stalls or answers off the spec), for
// the wire-level tests of what the client does with it.
func Stub(t testing.TB, h http.Handler) *httptest.Server {
	t.Helper()
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	return srv
}

// StubTLS is Stub over TLS, with a certificate no client trusts but
// srv.Client().
func StubTLS(t testing.TB, h http.Handler) *httptest.Server {
	t.Helper()
	srv := httptest.NewTLSServer(h)
	t.Cleanup(srv.Close)
	return srv
}

// Raw serves each connection on loopback with serve, for a server that
// speaks no HTTP or breaks it, for the test's lifetime; it returns the
// address to dial.
func Raw(t testing.TB, serve func(net.Conn)) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatalf("testworld: listen on loopback: %v", err)
	}
	t.Cleanup(func() { ln.Close() })
	go func() {
		for {
			conn, err := ln.Accept()
			if err != nil {
				return
			}
			go func() {
				defer conn.Close()
				serve(conn)
			}()
		}
	}()
	return ln.Addr().String()
}

// Reply is a Raw server's serve that reads the request's first bytes and
// writes response as it is.
func Reply(response string) func(net.Conn) {
	return func(conn net.Conn) {
		buf := make([]byte, 4096)
		_, _ = conn.Read(buf)
		_, _ = io.WriteString(conn, response)
	}
}
