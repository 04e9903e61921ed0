package transport

import (
	"context"
	"errors"
	"net"
	"testing"

	"github.com/stretchr/testify/assert"
)

// "localhost" is trusted as loopback only when it resolves to loopback
// addresses alone: a name that a hosts file or a resolver points elsewhere
// gets no plain-http pass.
func TestLocalhostIsLoopbackOnlyWhenItResolvesThere(t *testing.T) {
	real := lookupIPAddr
	t.Cleanup(func() { lookupIPAddr = real })
	for name, tc := range map[string]struct {
		addrs    []string
		err      error
		loopback bool
	}{
		"loopback alone":        {addrs: []string{"127.0.0.1", "::1"}, loopback: true},
		"another host":          {addrs: []string{"93.184.216.34"}},
		"loopback and another":  {addrs: []string{"127.0.0.1", "10.0.0.7"}},
		"no answer":             {},
		"a resolver that fails": {err: errors.New("no such host")},
	} {
		lookupIPAddr = func(context.Context, string) ([]net.IPAddr, error) {
			var out []net.IPAddr
			for _, a := range tc.addrs {
				out = append(out, net.IPAddr{IP: net.ParseIP(a)})
			}
			return out, tc.err
		}
		assert.Equal(t, tc.loopback, IsLoopback("localhost"), name)
	}
	assert.True(t, IsLoopback("127.0.0.1"), "an address is taken as it is")
	assert.False(t, IsLoopback("localhost.example.com"))
}
