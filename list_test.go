package losant_test

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/specdriven/losant"
)

// pageServer answers every list request in memory with a full page of
// perPage tokens whose IDs follow from the page asked for (or not, when
// ignorePage is set), with totalCount when it is positive.
type pageServer struct {
	perPage, totalCount int
	ignorePage          bool
	requests            atomic.Int32
}

func (p *pageServer) RoundTrip(r *http.Request) (*http.Response, error) {
	p.requests.Add(1)
	page, _ := strconv.Atoi(r.URL.Query().Get("page"))
	if p.ignorePage {
		page = 0
	}
	items := make([]string, p.perPage)
	for i := range items {
		items[i] = fmt.Sprintf(`{"id": "%024x", "name": "t"}`, page*p.perPage+i)
	}
	body := fmt.Sprintf(`{"items": [%s], "count": %d, "perPage": %d, "page": %d`, strings.Join(items, ","), p.perPage, p.perPage, page)
	if p.totalCount > 0 {
		body += fmt.Sprintf(`, "totalCount": %d`, p.totalCount)
	}
	body += "}"
	return &http.Response{
		StatusCode: http.StatusOK, Header: http.Header{"Content-Type": {jsonType}},
		Body: io.NopCloser(strings.NewReader(body)), ContentLength: int64(len(body)), Request: r,
	}, nil
}

func (p *pageServer) all(t *testing.T) (tokens int, err error) {
	t.Helper()
	client, cerr := losant.NewClient(testToken, losant.WithHTTPClient(&http.Client{Transport: p}))
	require.NoError(t, cerr)
	for _, err := range client.UserAPIToken.All(context.Background(), losant.APITokenListOptions{PerPage: p.perPage}) {
		if err != nil {
			return tokens, err
		}
		tokens++
	}
	return tokens, nil
}

func TestAllStopsAtTotalCount(t *testing.T) {
	p := &pageServer{perPage: 100, totalCount: 250}
	tokens, err := p.all(t)
	require.NoError(t, err)
	assert.EqualValues(t, 3, p.requests.Load(), "pages 0, 1 and 2 hold token 250")
	assert.Equal(t, 300, tokens, "what the pages held, though they lied about the last one")
}

// A server that answers full pages forever without a totalCount cannot keep
// All running: it stops after MaxPages pages with ErrEndlessPages.
func TestAllBoundsPagesWithoutTotalCount(t *testing.T) {
	p := &pageServer{perPage: 1}
	tokens, err := p.all(t)
	require.ErrorIs(t, err, losant.ErrEndlessPages)
	assert.EqualValues(t, losant.MaxPages, p.requests.Load())
	assert.Equal(t, losant.MaxPages, tokens)
}

// A server that ignores the page asked for is caught on the second page.
func TestAllStopsWhenAPageRepeats(t *testing.T) {
	p := &pageServer{perPage: 10, ignorePage: true}
	tokens, err := p.all(t)
	require.ErrorIs(t, err, losant.ErrEndlessPages)
	assert.ErrorContains(t, err, "page 1 starts with the same token as page 0")
	assert.EqualValues(t, 2, p.requests.Load())
	assert.Equal(t, 10, tokens, "the repeated page is not yielded")
}
