package losant_test

import (
	"context"
	"fmt"
	"io"
	"math"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/specdriven/losant"
	"github.com/specdriven/losant/gen"
	"github.com/specdriven/losant/internal/harness/testworld"
	"github.com/specdriven/losant/losanttest"
)

// pageServer answers every list request in memory with a full page of
// the size asked for (perPage if none) of tokens whose IDs are their
// offsets (or not, when ignorePage is set), with totalCount when it is
// positive.
type pageServer struct {
	perPage, totalCount int
	ignorePage          bool
	random              bool // new IDs on every page, as if every token moved
	description         int  // the length of each token's description

	requests atomic.Int32
	largest  atomic.Int32 // the most tokens a request asked for
}

func (p *pageServer) RoundTrip(r *http.Request) (*http.Response, error) {
	p.requests.Add(1)
	page, _ := strconv.Atoi(r.URL.Query().Get("page"))
	if p.ignorePage {
		page = 0
	}
	perPage := p.perPage
	if n, err := strconv.Atoi(r.URL.Query().Get("perPage")); err == nil {
		perPage = n
	}
	if int32(perPage) > p.largest.Load() {
		p.largest.Store(int32(perPage))
	}
	items := make([]string, perPage)
	for i := range items {
		id := page*perPage + i
		if p.random {
			id = int(p.requests.Load())<<20 + i
		}
		items[i] = fmt.Sprintf(`{"id": "%024x", "name": "t", "description": "%s"}`, id, strings.Repeat("d", p.description))
	}
	body := fmt.Sprintf(`{"items": [%s], "count": %d, "perPage": %d, "page": %d`, strings.Join(items, ","), perPage, perPage, page)
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
	for _, err := range client.APITokens(losant.User()).All(context.Background(), losant.APITokenListOptions{PerPage: p.perPage}) {
		if err != nil {
			return tokens, err
		}
		tokens++
	}
	return tokens, nil
}

func TestAllStopsAtTotalCount(t *testing.T) {
	t.Parallel()
	p := &pageServer{perPage: 100, totalCount: 250}
	tokens, err := p.all(t)
	require.NoError(t, err)
	assert.EqualValues(t, 3, p.requests.Load(), "the third read reaches token 250")
	assert.GreaterOrEqual(t, tokens, 250, "what the pages held, though they lied about the last one")
}

// A server that answers full pages forever without a totalCount cannot keep
// All running: it stops after DefaultMaxPages pages (or WithMaxPages's)
// with ErrEndlessPages.
func TestAllBoundsPagesWithoutTotalCount(t *testing.T) {
	t.Parallel()
	p := &pageServer{perPage: 16}
	tokens, err := p.all(t)
	require.ErrorIs(t, err, losant.ErrEndlessPages)
	assert.EqualValues(t, losant.DefaultMaxPages, p.requests.Load())
	assert.GreaterOrEqual(t, tokens, losant.DefaultMaxPages, "each page held one new token or more")
	assert.EqualValues(t, 16, p.largest.Load(), "no request asks for more than PerPage")

	p = &pageServer{perPage: 16}
	client, err := losant.NewClient(testToken, losant.WithHTTPClient(&http.Client{Transport: p}), losant.WithMaxPages(50))
	require.NoError(t, err)
	for _, err = range client.APITokens(losant.User()).All(context.Background(), losant.APITokenListOptions{PerPage: 16}) {
		if err != nil {
			break
		}
	}
	require.ErrorIs(t, err, losant.ErrEndlessPages)
	assert.EqualValues(t, 50, p.requests.Load())
	_, err = losant.NewClient(testToken, losant.WithMaxPages(0))
	assert.ErrorContains(t, err, "WithMaxPages(0)")
}

// A server that ignores the page asked for is caught within a few reads,
// once a page holds only tokens already listed while the count stays the
// same; no token is yielded twice.
func TestAllStopsWhenAPageRepeats(t *testing.T) {
	t.Parallel()
	p := &pageServer{perPage: 16, ignorePage: true}
	tokens, err := p.all(t)
	require.ErrorIs(t, err, losant.ErrEndlessPages)
	assert.ErrorContains(t, err, "holds only what was already listed")
	assert.LessOrEqual(t, p.requests.Load(), int32(3))
	assert.Less(t, tokens, 48, "the repeated tokens are not yielded")
}

// A server whose every page holds tokens never seen before, as if the
// whole list moved between reads, cannot keep All reading pages again:
// it stops with ErrEndlessPages.
func TestAllBoundsReadsOfAListThatNeverHoldsStill(t *testing.T) {
	t.Parallel()
	p := &pageServer{perPage: 16, totalCount: 1 << 30, random: true}
	_, err := p.all(t)
	require.ErrorIs(t, err, losant.ErrEndlessPages)
	assert.ErrorContains(t, err, "reads in a row held nothing already listed")
	assert.LessOrEqual(t, p.requests.Load(), int32(300))
}

// tokensJSON is a page of two tokens, as the list actions answer.
const tokensJSON = `{
  "items": [` + tokenJSON + `, {"id": "575ec7417ae143cd83dc4a96", "name": "Second", "status": "inactive"}],
  "count": 2, "totalCount": 12, "page": 1, "perPage": 2,
  "sortField": "name", "sortDirection": "desc", "filter": "my*", "filterField": "name",
  "ownerId": "575ec8687ae143cd83dc4a97", "ownerType": "application"
}`

var allListOptions = losant.APITokenListOptions{
	SortField: gen.APITokenSortFieldCreationDate, SortDirection: gen.SortDirectionDesc,
	Page: 1, PerPage: 2, FilterField: gen.APITokenFilterFieldName, Filter: "my * token",
}

var allListQuery = url.Values{
	"sortField": {"creationDate"}, "sortDirection": {"desc"}, "page": {"1"}, "perPage": {"2"},
	"filterField": {"name"}, "filter": {"my * token"},
}

func TestListSendsTheQueryAndDecodesThePage(t *testing.T) {
	t.Parallel()
	srv := newContractServer(t)
	client := newTestClient(t, srv, losant.WithDomain("example.com"))
	srv.respond(reply{status: 200, contentType: jsonType, body: tokensJSON})
	calls := map[string]func(losant.APITokenListOptions) (*gen.APITokenPage, error){
		"/applications/" + applicationID + "/tokens": func(o losant.APITokenListOptions) (*gen.APITokenPage, error) {
			return client.APITokens(losant.Application(applicationID)).List(context.Background(), o)
		},
		"/me/tokens": func(o losant.APITokenListOptions) (*gen.APITokenPage, error) {
			return client.APITokens(losant.User()).List(context.Background(), o)
		},
	}
	for path, list := range calls {
		t.Run(fmt.Sprint(path), func(t *testing.T) {
			page, err := list(allListOptions)
			require.NoError(t, err, path)
			got := srv.only()
			assert.Equal(t, http.MethodGet, got.Method)
			assert.Equal(t, path, got.Path)
			assert.Equal(t, allListQuery, got.Query, "every option is a query field")
			assert.Equal(t, "Bearer "+testToken, got.Header.Get("Authorization"))
			assert.Equal(t, "example.com", got.Header.Get("losantdomain"))
			require.Len(t, page.Items, 2)
			assert.Equal(t, "My API Token", page.Items[0].Name)
			assert.Equal(t, gen.APITokenStatusInactive, page.Items[1].Status)
			assert.Equal(t, 2, page.Count)
			assert.Equal(t, 12, page.TotalCount)
			assert.Equal(t, 1, page.Page)
			assert.Equal(t, 2, page.PerPage)

			_, err = list(losant.APITokenListOptions{})
			require.NoError(t, err)
			assert.Empty(t, srv.only().Query, "zero options leave every field to the API's default")
		})
	}
}

// The API spells a page's direction "asc", "ASC" or "" (api/openapi.yaml):
// a page reads each as the one SortDirection the list options use.
func TestListReadsEverySpellingOfTheDirection(t *testing.T) {
	t.Parallel()
	srv := newContractServer(t)
	client := newTestClient(t, srv)
	for sent, want := range map[string]gen.SortDirection{
		"asc": gen.SortDirectionAsc, "ASC": gen.SortDirectionAsc, "desc": gen.SortDirectionDesc, "DESC": gen.SortDirectionDesc, "": "",
	} {
		t.Run(fmt.Sprint(sent), func(t *testing.T) {
			body := strings.Replace(tokensJSON, `"sortDirection": "desc"`, `"sortDirection": "`+sent+`"`, 1)
			srv.respond(reply{status: 200, contentType: jsonType, body: body})
			page, err := client.APITokens(losant.User()).List(context.Background(), losant.APITokenListOptions{})
			require.NoError(t, err, sent)
			assert.Equal(t, want, page.SortDirection, "sent %q", sent)
			assert.Equal(t, gen.APITokenOwnerTypeApplication, page.OwnerType, "the page's owner type is the token's")
		})
	}
}

func TestBadListOptionsAndCreatesAreRefusedUnsent(t *testing.T) {
	t.Parallel()
	srv := newContractServer(t)
	client := newTestClient(t, srv)
	ctx := context.Background()
	for field, o := range map[string]losant.APITokenListOptions{
		"sortField":     {SortField: "owner"},
		"sortDirection": {SortDirection: "up"},
		"page":          {Page: -1},
		"perPage":       {PerPage: -5},
		"filterField":   {FilterField: "scope"},
	} {
		_, err := client.APITokens(losant.User()).List(ctx, o)
		assertArgumentError(t, err, field)
		_, err = client.APITokens(losant.Application(applicationID)).List(ctx, o)
		assertArgumentError(t, err, field)
	}
	_, err := client.APITokens(losant.Application("../me")).List(ctx, losant.APITokenListOptions{})
	assertArgumentError(t, err, "applicationId")
	for field, body := range map[string]gen.APITokenPost{
		"name":        {},
		"description": {Name: "n", Description: losant.Ptr(strings.Repeat("d", 32768))},
		"status":      {Name: "n", Status: losant.Ptr(gen.APITokenStatus("on"))},
		"scope":       {Name: "n", Scope: []string{"all.User", "all.User"}},
	} {
		_, err := client.APITokens(losant.User()).Create(ctx, body)
		assertArgumentError(t, err, field)
		_, err = client.APITokens(losant.Application(applicationID)).Create(ctx, gen.APITokenPost(body))
		assertArgumentError(t, err, field)
	}
	assert.Empty(t, srv.received(), "nothing was sent")
}

// allWorld is the fake world, a client acting as its user, and another
// application of the user's, with tokens named names created in order.
func allWorld(t *testing.T, names ...string) (*testworld.World, *losant.Client, string) {
	t.Helper()
	w := testworld.New(t)
	client := w.Client(t, w.UserBearer, losant.WithRetry(fastRetries))
	app := w.Server.AddApplication(losanttest.Application{Name: "Garden", OwnerID: w.UserBearer.OwnerID})
	for _, name := range names {
		t.Run(fmt.Sprint(name), func(t *testing.T) {
			_, err := client.APITokens(losant.Application(app.ID)).Create(context.Background(), gen.APITokenPost{Name: name, Scope: []string{"all.Application.read"}})
			require.NoError(t, err)
		})
	}
	return w, client, app.ID
}

// tokenNames returns the names t01 to tn, in order.
func tokenNames(n int) []string {
	names := make([]string, n)
	for i := range names {
		names[i] = fmt.Sprintf("t%02d", i+1)
	}
	return names
}

func TestFakeAllIteratesOverEveryPage(t *testing.T) {
	t.Parallel()
	want := tokenNames(40)
	w, client, appID := allWorld(t, want...)
	ctx := context.Background()
	before := len(w.Server.Requests())

	var got []string
	for tok, err := range client.APITokens(losant.Application(appID)).All(ctx, losant.APITokenListOptions{PerPage: 16}) {
		t.Run(fmt.Sprint(tok), func(t *testing.T) {
			require.NoError(t, err)
			got = append(got, tok.Name)
		})
	}
	assert.Equal(t, want, got)
	reads := w.Server.Requests()[before:]
	assert.Len(t, reads, 3, "40 tokens, 16 a page, each read after the first overlapping the one before")
	for _, r := range reads {
		perPage, err := strconv.Atoi(r.Query.Get("perPage"))
		require.NoError(t, err)
		assert.LessOrEqual(t, perPage, 16, "no read asks for more than PerPage")
	}

	got = nil
	for tok, err := range client.APITokens(losant.Application(appID)).All(ctx, losant.APITokenListOptions{PerPage: 17, SortDirection: gen.SortDirectionDesc, Filter: "t*"}) {
		t.Run(fmt.Sprint(tok), func(t *testing.T) {
			require.NoError(t, err)
			got = append(got, tok.Name)
		})
	}
	descending := slices.Clone(want)
	slices.Reverse(descending)
	assert.Equal(t, descending, got)

	got = nil
	for tok, err := range client.APITokens(losant.User()).All(ctx, losant.APITokenListOptions{}) {
		t.Run(fmt.Sprint(tok), func(t *testing.T) {
			require.NoError(t, err)
			got = append(got, tok.Name)
		})
	}
	assert.Equal(t, []string{"cli", "dashboard", "device reader", "backup"}, got, "the user's own tokens, in the order of their IDs")
}

// The iterator is a value: each range over it starts from the first page.
func TestFakeAllRangedTwiceYieldsTheSameTokens(t *testing.T) {
	t.Parallel()
	_, client, appID := allWorld(t, tokenNames(40)...)
	all := client.APITokens(losant.Application(appID)).All(context.Background(), losant.APITokenListOptions{PerPage: 16})
	var ranges [2][]string
	for i := range ranges {
		t.Run(fmt.Sprint(i), func(t *testing.T) {
			for tok, err := range all {
				require.NoError(t, err)
				ranges[i] = append(ranges[i], tok.Name)
			}
		})
	}
	assert.Equal(t, tokenNames(40), ranges[0])
	assert.Equal(t, ranges[0], ranges[1])
}

func TestFakeAllStopsAtTheFirstError(t *testing.T) {
	t.Parallel()
	w, client, appID := allWorld(t, tokenNames(40)...)
	w.Server.Inject(losanttest.Fault{}, losanttest.Times(1)) // the first page goes through
	w.Server.Inject(losanttest.Fault{Status: http.StatusNotFound}, losanttest.Times(1))
	var got []string
	var errs []error
	for tok, err := range client.APITokens(losant.Application(appID)).All(context.Background(), losant.APITokenListOptions{PerPage: 16}) {
		if err != nil {
			errs = append(errs, err)
			assert.Nil(t, tok)
			continue
		}
		got = append(got, tok.Name)
	}
	assert.Equal(t, tokenNames(16), got, "the first page")
	require.Len(t, errs, 1, "one error, then the iteration ends")
	assert.True(t, losant.StatusCode(errs[0]) == http.StatusNotFound)
}

func TestFakeAllStopsWhenTheCallerDoes(t *testing.T) {
	t.Parallel()
	w, client, appID := allWorld(t, tokenNames(40)...)
	before := len(w.Server.Requests())
	for tok, err := range client.APITokens(losant.Application(appID)).All(context.Background(), losant.APITokenListOptions{PerPage: 16}) {
		require.NoError(t, err)
		if tok.Name == "t01" {
			break
		}
	}
	assert.Len(t, w.Server.Requests(), before+1, "a break asks for no further page")

	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var got []string
	var last error
	for tok, err := range client.APITokens(losant.Application(appID)).All(ctx, losant.APITokenListOptions{PerPage: 16}) {
		if err != nil {
			last = err
			break
		}
		got = append(got, tok.Name)
		if len(got) == 16 {
			cancel()
		}
	}
	assert.Equal(t, tokenNames(16), got)
	assert.ErrorIs(t, last, context.Canceled, "a done context ends the iteration")
}

// A page of any size the caller may ask for fits: its response limit
// follows its size, over the client's default 1 MiB; a page too large for
// any limit is refused before it is sent, naming the option.
func TestAnyPageTheCallerMayAskForFits(t *testing.T) {
	t.Parallel()
	p := &pageServer{perPage: 10_000, totalCount: 10_000, description: 200}
	tokens, err := p.all(t)
	require.NoError(t, err, "10 000 tokens of 250 bytes: a page over 2 MiB")
	assert.Equal(t, 10_000, tokens)
	assert.EqualValues(t, 1, p.requests.Load())

	client, err := losant.NewClient(testToken, losant.WithHTTPClient(&http.Client{Transport: p}))
	require.NoError(t, err)
	_, err = client.APITokens(losant.User()).List(context.Background(), losant.APITokenListOptions{PerPage: losant.MaxPerPage + 1})
	assertArgumentError(t, err, "perPage")
	assert.ErrorContains(t, err, "MaxPerPage")
	assert.EqualValues(t, 1, p.requests.Load(), "nothing was sent")
}

// A server that claims a totalCount that never ends cannot keep All
// reading: WithMaxPages holds with a totalCount too.
func TestAllBoundsPagesWhateverTotalCountClaims(t *testing.T) {
	t.Parallel()
	p := &pageServer{perPage: 16, totalCount: math.MaxInt32}
	client, err := losant.NewClient(testToken, losant.WithHTTPClient(&http.Client{Transport: p}), losant.WithMaxPages(20))
	require.NoError(t, err)
	tokens := 0
	for _, err = range client.APITokens(losant.User()).All(context.Background(), losant.APITokenListOptions{PerPage: 16}) {
		if err != nil {
			break
		}
		tokens++
	}
	require.ErrorIs(t, err, losant.ErrEndlessPages)
	assert.EqualValues(t, 20, p.requests.Load())
	assert.LessOrEqual(t, tokens, 20*16, "no more tokens than 20 pages of 16 hold")
}
