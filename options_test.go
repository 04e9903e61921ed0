package losant_test

import (
	"context"
	"net/http"
	"strconv"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/specdriven/losant"
)

func TestDomainScope(t *testing.T) {
	t.Parallel()
	srv := newContractServer(t)
	plain := newTestClient(t, srv)
	scoped := newTestClient(t, srv, losant.WithDomain("client.example.com"))
	cases := []struct {
		name   string
		client *losant.Client
		opts   []losant.CallOption
		want   string
	}{
		{"none", plain, nil, ""},
		{"client-wide", scoped, nil, "client.example.com"},
		{"per call", plain, []losant.CallOption{losant.WithDomain("call.example.com")}, "call.example.com"},
		{"per call overrides client-wide", scoped, []losant.CallOption{losant.WithDomain("call.example.com")}, "call.example.com"},
		{"per call removes client-wide", scoped, []losant.CallOption{losant.WithDomain("")}, ""},
	}
	for _, a := range actions {
		srv.respond(reply{status: http.StatusOK, contentType: jsonType, body: a.okBody})
		for _, tc := range cases {
			t.Run(a.name+"/"+tc.name, func(t *testing.T) {
				_, err := a.do(context.Background(), tc.client, tc.opts...)
				require.NoError(t, err)
				assertRequest(t, a, srv.only(), tc.want)
			})
		}
	}
}

func TestHeaderOptions(t *testing.T) {
	t.Parallel()
	srv := newContractServer(t)
	srv.respond(reply{status: http.StatusOK, contentType: jsonType, body: tokenJSON})
	client := newTestClient(t, srv, losant.WithUserAgent("billing-service/2.1"), losant.WithAcceptVersion("^1.30.0"))
	_, err := client.APITokens(losant.User()).Get(context.Background(), apiTokenID)
	require.NoError(t, err)
	got := srv.only()
	assert.Equal(t, "billing-service/2.1 losant-go/"+losant.Version(), got.Header.Get("User-Agent"))
	assert.Equal(t, "^1.30.0", got.Header.Get("Accept-Version"))
}

func TestWithHTTPClientIsUsed(t *testing.T) {
	t.Parallel()
	srv := newContractServer(t)
	srv.respond(reply{status: http.StatusOK, contentType: jsonType, body: tokenJSON})
	counting := &countingTransport{next: srv.checker}
	client := newTestClient(t, srv, losant.WithHTTPClient(&http.Client{Transport: counting}))
	_, err := client.APITokens(losant.User()).Get(context.Background(), apiTokenID)
	require.NoError(t, err)
	assert.Equal(t, 1, counting.n)
}

type countingTransport struct {
	next    http.RoundTripper
	n       int
	perPage int // the largest perPage a request asked for
}

func (c *countingTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	c.n++
	if n, err := strconv.Atoi(r.URL.Query().Get("perPage")); err == nil {
		c.perPage = max(c.perPage, n)
	}
	return c.next.RoundTrip(r)
}
