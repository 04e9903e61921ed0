package losant_test

import (
	"bytes"
	"compress/gzip"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/specdriven/losant"
	"github.com/specdriven/losant/gen"
	"github.com/specdriven/losant/internal/shipped/wire"
	"github.com/specdriven/losant/losanttest"
	"github.com/specdriven/losant/tokenfile"
)

// The benchmarks compare the losant client with baseline, the best a
// hand-written client can do with net/http and encoding/json: the same
// requests (method, path, headers, body) decoded into the same models.
// Sub-benchmarks are named impl=losant and impl=baseline so that
// `benchstat -col /impl` puts them side by side; `make bench` does.

// baseline is the hand-written client.
type baseline struct {
	hc            *http.Client
	base          string
	authorization string // "Bearer " + token, built once
}

func (b *baseline) do(ctx context.Context, method, path string, body []byte, out any) error {
	var rd io.Reader
	if body != nil {
		rd = bytes.NewReader(body)
	}
	req, err := http.NewRequestWithContext(ctx, method, b.base+path, rd)
	if err != nil {
		return err
	}
	req.Header.Set("Authorization", b.authorization)
	req.Header.Set("Accept", "application/json")
	req.Header.Set("Accept-Version", losant.DefaultAcceptVersion)
	req.Header.Set("User-Agent", "losant-go/"+losant.Version())
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	resp, err := b.hc.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("%s %s: %d", method, path, resp.StatusCode)
	}
	return json.NewDecoder(resp.Body).Decode(out)
}

// benchAction is one action done by each implementation.
type benchAction struct {
	name     string
	response string // the canned response body
	losant   func(ctx context.Context, c *losant.Client, appID, tokenID string) error
	baseline func(ctx context.Context, b *baseline, appID, tokenID string) error
}

var benchActions = []benchAction{
	{
		name: "Get", response: tokenJSON,
		losant: func(ctx context.Context, c *losant.Client, appID, tokenID string) error {
			_, err := c.APITokens(losant.Application(appID)).Get(ctx, tokenID)
			return err
		},
		baseline: func(ctx context.Context, b *baseline, appID, tokenID string) error {
			var tok gen.APIToken
			return b.do(ctx, http.MethodGet, "/applications/"+appID+"/tokens/"+tokenID, nil, &tok)
		},
	},
	{
		name: "Patch", response: tokenJSON,
		losant: func(ctx context.Context, c *losant.Client, appID, tokenID string) error {
			_, err := c.APITokens(losant.Application(appID)).Patch(ctx, tokenID, examplePatch)
			return err
		},
		baseline: func(ctx context.Context, b *baseline, appID, tokenID string) error {
			body, err := json.Marshal(examplePatch)
			if err != nil {
				return err
			}
			var tok gen.APIToken
			return b.do(ctx, http.MethodPatch, "/applications/"+appID+"/tokens/"+tokenID, body, &tok)
		},
	},
	{
		name: "Delete", response: `{"success": true}`,
		losant: func(ctx context.Context, c *losant.Client, appID, tokenID string) error {
			return c.APITokens(losant.Application(appID)).Delete(ctx, tokenID)
		},
		baseline: func(ctx context.Context, b *baseline, appID, tokenID string) error {
			var ok struct{ Success bool }
			if err := b.do(ctx, http.MethodDelete, "/applications/"+appID+"/tokens/"+tokenID, nil, &ok); err != nil {
				return err
			}
			if !ok.Success {
				return fmt.Errorf("no success")
			}
			return nil
		},
	},
}

// cannedTransport answers every request with one response, in memory.
type cannedTransport struct{ body []byte }

func (c cannedTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	if req.Body != nil {
		_, _ = io.Copy(io.Discard, req.Body)
		req.Body.Close()
	}
	return &http.Response{
		StatusCode:    http.StatusOK,
		Header:        http.Header{"Content-Type": {"application/json; charset=utf-8"}},
		Body:          io.NopCloser(bytes.NewReader(c.body)),
		ContentLength: int64(len(c.body)),
		Request:       req,
	}, nil
}

// BenchmarkOverhead is the cost each client adds on top of the network:
// building the request, its headers and body, and decoding the response.
func BenchmarkOverhead(b *testing.B) {
	ctx := context.Background()
	for _, a := range benchActions {
		hc := &http.Client{Transport: cannedTransport{body: []byte(a.response)}}
		b.Run("action="+a.name+"/impl=baseline", func(b *testing.B) {
			base := &baseline{hc: hc, base: "https://api.losant.com", authorization: "Bearer " + testToken}
			b.ReportAllocs()
			for i := 0; i < b.N; i++ {
				if err := a.baseline(ctx, base, applicationID, apiTokenID); err != nil {
					b.Fatal(err)
				}
			}
		})
		b.Run("action="+a.name+"/impl=losant", func(b *testing.B) {
			client, err := losant.NewClient(testToken, losant.WithHTTPClient(hc))
			if err != nil {
				b.Fatal(err)
			}
			b.ReportAllocs()
			for i := 0; i < b.N; i++ {
				if err := a.losant(ctx, client, applicationID, apiTokenID); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkHTTPDoer is the cost HTTPDoer adds to a request a generated
// client built (impl=httpdoer), beside the same request sent through the
// plain http.Client with the header set by hand (impl=baseline) and the
// typed Get (impl=losant), each decoding the token.
func BenchmarkHTTPDoer(b *testing.B) {
	ctx := context.Background()
	hc := &http.Client{Transport: cannedTransport{body: []byte(benchActions[0].response)}}
	url := "https://api.losant.com/applications/" + applicationID + "/tokens/" + apiTokenID
	client, err := losant.NewClient(testToken, losant.WithHTTPClient(hc))
	if err != nil {
		b.Fatal(err)
	}
	send := map[string]func(*http.Request) (*http.Response, error){
		"baseline": func(req *http.Request) (*http.Response, error) {
			req.Header.Set("Authorization", "Bearer "+testToken)
			return hc.Do(req)
		},
		"httpdoer": client.HTTPDoer().Do,
	}
	for _, impl := range []string{"baseline", "httpdoer"} {
		b.Run("action=Get/impl="+impl, func(b *testing.B) {
			b.ReportAllocs()
			for i := 0; i < b.N; i++ {
				req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
				if err != nil {
					b.Fatal(err)
				}
				resp, err := send[impl](req)
				if err != nil {
					b.Fatal(err)
				}
				var tok gen.APIToken
				err = json.NewDecoder(resp.Body).Decode(&tok)
				resp.Body.Close()
				if err != nil || tok.ID != apiTokenID {
					b.Fatal(err)
				}
			}
		})
	}
	b.Run("action=Get/impl=losant", func(b *testing.B) {
		b.ReportAllocs()
		for i := 0; i < b.N; i++ {
			if err := benchActions[0].losant(ctx, client, applicationID, apiTokenID); err != nil {
				b.Fatal(err)
			}
		}
	})
}

// BenchmarkTokenSource is the cost of a token source on the hot path: a
// Get with a static token (impl=static), one from a TokenSourceFunc, and
// one from a tokenfile.Source (its default check interval, so that a few
// calls a second stat the file), side by side under `benchstat -col /impl`.
func BenchmarkTokenSource(b *testing.B) {
	hc := &http.Client{Transport: cannedTransport{body: []byte(tokenJSON)}}
	path := filepath.Join(b.TempDir(), "token")
	if err := os.WriteFile(path, []byte(testToken+"\n"), 0o600); err != nil {
		b.Fatal(err)
	}
	file, err := tokenfile.New(path)
	if err != nil {
		b.Fatal(err)
	}
	for _, impl := range []struct {
		name  string
		token string
		opt   losant.Option
	}{
		{"static", testToken, nil},
		{"func-source", "", losant.WithTokenSource(losant.TokenSourceFunc(func() (string, error) { return testToken, nil }))},
		{"file-source", "", losant.WithTokenSource(file)},
	} {
		b.Run("action=Get/impl="+impl.name, func(b *testing.B) {
			benchGet(b, impl.token, losant.WithHTTPClient(hc), impl.opt)
		})
	}
}

// loopbackTarget is a server on loopback that counts the TCP connections
// it accepts, and the IDs to call it with.
type loopbackTarget struct {
	url            string
	appID, tokenID string
	secret         string
	conns          func() int
}

// minimalTarget answers every request with a's canned body.
func minimalTarget(b *testing.B, a benchAction) loopbackTarget {
	var conns atomic.Int64
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.Copy(io.Discard, r.Body)
		w.Header().Set("Content-Type", "application/json; charset=utf-8")
		_, _ = io.WriteString(w, a.response)
	}))
	srv.Config.ConnState = func(_ net.Conn, s http.ConnState) {
		if s == http.StateNew {
			conns.Add(1)
		}
	}
	srv.Start()
	b.Cleanup(srv.Close)
	return loopbackTarget{url: srv.URL, appID: applicationID, tokenID: apiTokenID, secret: testToken, conns: func() int { return int(conns.Load()) }}
}

// fakeTarget is losanttest with one application token to act on. Delete
// is left out: a token can be deleted once.
func fakeTarget(b *testing.B) loopbackTarget {
	srv := losanttest.New(b)
	user := srv.AddUser(losanttest.User{})
	app := srv.AddApplication(losanttest.Application{OwnerID: user.ID})
	tok := srv.AddToken(losanttest.Token{OwnerType: gen.APITokenOwnerTypeApplication, OwnerID: app.ID, Scope: []string{"all.Application"}})
	return loopbackTarget{url: srv.URL, appID: app.ID, tokenID: tok.ID, secret: tok.Secret, conns: srv.Connections}
}

// tunedHTTPClient is what a careful hand-written client would use: a
// transport that keeps an idle connection for every concurrent caller.
func tunedHTTPClient() *http.Client {
	t := http.DefaultTransport.(*http.Transport).Clone()
	t.MaxIdleConnsPerHost = 100
	return &http.Client{Transport: t, Timeout: 30 * time.Second}
}

// BenchmarkLoopback measures calls per second against a real server on
// loopback, with 1 and 64 concurrent callers, and the TCP connections the
// server saw opened. The losant client runs with its defaults (no
// http.Client given); the baseline with a tuned transport, and, to show
// the churn the library's default avoids, with Go's default transport
// (impl=default-transport, Get only).
func BenchmarkLoopback(b *testing.B) {
	for _, server := range []string{"minimal", "fake"} {
		for _, a := range benchActions {
			if server == "fake" && a.name != "Get" { // the fake's own validation would dominate
				continue
			}
			for _, callers := range []int{1, 64} {
				prefix := fmt.Sprintf("server=%s/action=%s/callers=%d/impl=", server, a.name, callers)
				// Each run gets its own server, closed when the run ends, so
				// that no run is slowed by the connections of another.
				target := func(b *testing.B) loopbackTarget {
					if server == "fake" {
						return fakeTarget(b)
					}
					return minimalTarget(b, a)
				}
				b.Run(prefix+"baseline", func(b *testing.B) {
					t := target(b)
					base := &baseline{hc: tunedHTTPClient(), base: t.url, authorization: "Bearer " + t.secret}
					runCallers(b, callers, t, func(ctx context.Context) error { return a.baseline(ctx, base, t.appID, t.tokenID) })
				})
				b.Run(prefix+"losant", func(b *testing.B) {
					t := target(b)
					client, err := losant.NewClient(t.secret, losant.WithBaseURL(t.url))
					if err != nil {
						b.Fatal(err)
					}
					runCallers(b, callers, t, func(ctx context.Context) error { return a.losant(ctx, client, t.appID, t.tokenID) })
				})
				if callers > 1 && server == "minimal" && a.name == "Get" {
					b.Run(prefix+"default-transport", func(b *testing.B) {
						t := target(b)
						base := &baseline{hc: &http.Client{}, base: t.url, authorization: "Bearer " + t.secret}
						runCallers(b, callers, t, func(ctx context.Context) error { return a.baseline(ctx, base, t.appID, t.tokenID) })
					})
				}
			}
		}
	}
}

// runCallers runs call b.N times in all, from callers goroutines, and
// reports calls per second and the connections the server saw opened.
func runCallers(b *testing.B, callers int, t loopbackTarget, call func(context.Context) error) {
	ctx := context.Background()
	b.ReportAllocs()
	b.ResetTimer()
	start := time.Now()
	if callers == 1 {
		for i := 0; i < b.N; i++ {
			if err := call(ctx); err != nil {
				b.Fatal(err)
			}
		}
	} else {
		procs := runtime.GOMAXPROCS(0) // RunParallel starts parallelism*procs goroutines
		b.SetParallelism((callers + procs - 1) / procs)
		b.RunParallel(func(pb *testing.PB) {
			for pb.Next() {
				if err := call(ctx); err != nil {
					b.Error(err)
					return
				}
			}
		})
	}
	b.StopTimer()
	b.ReportMetric(float64(b.N)/time.Since(start).Seconds(), "calls/s")
	b.ReportMetric(float64(t.conns()), "conns")
}

// BenchmarkRequestBuilding isolates the request builder: the baseline's
// one http.NewRequestWithContext, and the project's generated builder
// (wire.Requests, from api/templates/requests.tmpl).
func BenchmarkRequestBuilding(b *testing.B) {
	ctx := context.Background()
	server, appID, tokenID := "https://api.losant.com", applicationID, apiTokenID // not constants: no folding
	b.Run("action=Delete/impl=baseline", func(b *testing.B) {
		b.ReportAllocs()
		for i := 0; i < b.N; i++ {
			if _, err := http.NewRequestWithContext(ctx, http.MethodDelete, server+"/applications/"+appID+"/tokens/"+tokenID, nil); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("action=Delete/impl=losant", func(b *testing.B) {
		requests, err := wire.NewRequests(server)
		if err != nil {
			b.Fatal(err)
		}
		b.ReportAllocs()
		for i := 0; i < b.N; i++ {
			if _, err := requests.DeleteApplicationAPIToken(ctx, appID, tokenID, nil); err != nil {
				b.Fatal(err)
			}
		}
	})
}

// BenchmarkAttemptTimeout compares the two ways to bound an attempt: the
// client's per-attempt context deadline (WithTimeout, what it does by
// default) and net/http's http.Client.Timeout, in memory (Get).
func BenchmarkAttemptTimeout(b *testing.B) {
	canned := cannedTransport{body: []byte(tokenJSON)}
	for impl, opts := range map[string][]losant.Option{
		"context-deadline": {losant.WithHTTPClient(&http.Client{Transport: canned}), losant.WithTimeout(30 * time.Second)},
		"client-timeout":   {losant.WithHTTPClient(&http.Client{Transport: canned, Timeout: 30 * time.Second})},
		"none":             {losant.WithHTTPClient(&http.Client{Transport: canned})},
	} {
		b.Run("impl="+impl, func(b *testing.B) { benchGet(b, testToken, opts...) })
	}
}

// benchGet runs b.N Gets, in memory, through a client made with token
// and opts.
func benchGet(b *testing.B, token string, opts ...losant.Option) {
	client, err := losant.NewClient(token, opts...)
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		if _, err := client.APITokens(losant.Application(applicationID)).Get(context.Background(), apiTokenID); err != nil {
			b.Fatal(err)
		}
	}
}

// tlsTarget is minimalTarget over TLS with HTTP/2, as api.losant.com is
// reached, and a transport that trusts it, tuned as the client's default.
func tlsTarget(b *testing.B, a benchAction) (loopbackTarget, *http.Transport) {
	var conns atomic.Int64
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.ProtoMajor != 2 {
			http.Error(w, "want HTTP/2", http.StatusHTTPVersionNotSupported)
			return
		}
		_, _ = io.Copy(io.Discard, r.Body)
		w.Header().Set("Content-Type", "application/json; charset=utf-8")
		_, _ = io.WriteString(w, a.response)
	}))
	srv.EnableHTTP2 = true
	srv.Config.ErrorLog = log.New(io.Discard, "", 0) // clients closing mid-handshake at the end of a run
	srv.Config.ConnState = func(_ net.Conn, s http.ConnState) {
		if s == http.StateNew {
			conns.Add(1)
		}
	}
	srv.StartTLS()
	b.Cleanup(srv.Close)
	t := http.DefaultTransport.(*http.Transport).Clone()
	t.TLSClientConfig = srv.Client().Transport.(*http.Transport).TLSClientConfig.Clone()
	t.MaxIdleConnsPerHost = 100
	t.ForceAttemptHTTP2 = true
	return loopbackTarget{url: srv.URL, appID: applicationID, tokenID: apiTokenID, secret: testToken, conns: func() int { return int(conns.Load()) }}, t
}

// BenchmarkTLS is BenchmarkLoopback's minimal server over TLS and HTTP/2.
// The losant client runs as with its defaults (the default transport's
// settings, the default per-attempt timeout); it is given a transport only
// to trust the test certificate.
func BenchmarkTLS(b *testing.B) {
	a := benchActions[0] // Get
	for _, callers := range []int{1, 16, 64} {
		prefix := fmt.Sprintf("action=%s/callers=%d/impl=", a.name, callers)
		b.Run(prefix+"baseline", func(b *testing.B) {
			t, tr := tlsTarget(b, a)
			base := &baseline{hc: &http.Client{Transport: tr, Timeout: 30 * time.Second}, base: t.url, authorization: "Bearer " + t.secret}
			runCallers(b, callers, t, func(ctx context.Context) error { return a.baseline(ctx, base, t.appID, t.tokenID) })
		})
		b.Run(prefix+"losant", func(b *testing.B) {
			t, tr := tlsTarget(b, a)
			client, err := losant.NewClient(t.secret, losant.WithBaseURL(t.url),
				losant.WithHTTPClient(&http.Client{Transport: tr}), losant.WithTimeout(losant.DefaultTimeout))
			if err != nil {
				b.Fatal(err)
			}
			runCallers(b, callers, t, func(ctx context.Context) error { return a.losant(ctx, client, t.appID, t.tokenID) })
		})
	}
}

// pageTarget answers every list request with a page of n tokens, as the
// API would: with a Content-Length (sized), without one (chunked), or
// gzip-encoded when the client accepts it (gzip).
func pageTarget(b *testing.B, n int, encoding string) string {
	items := make([]string, n)
	for i := range items {
		items[i] = fmt.Sprintf(`{"id": "%024x", "name": "token %d", "ownerType": "application", "ownerId": "%s", "status": "active", `+
			`"scope": ["all.Application.read"], "creationDate": "2026-01-02T03:04:05.000Z", "lastUpdated": "2026-01-02T03:04:05.000Z"}`, i, i, applicationID)
	}
	page := []byte(fmt.Sprintf(`{"items": [%s], "count": %d, "totalCount": %d, "perPage": %d, "page": 0}`, strings.Join(items, ","), n, n, n))
	var zipped bytes.Buffer
	zw := gzip.NewWriter(&zipped)
	_, _ = zw.Write(page)
	_ = zw.Close()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json; charset=utf-8")
		switch encoding {
		case "sized":
			w.Header().Set("Content-Length", strconv.Itoa(len(page)))
			_, _ = w.Write(page)
		case "chunked":
			_, _ = w.Write(page[:len(page)/2])
			w.(http.Flusher).Flush() // no Content-Length: chunked
			_, _ = w.Write(page[len(page)/2:])
		case "gzip":
			w.Header().Set("Content-Encoding", "gzip")
			_, _ = w.Write(zipped.Bytes())
		}
	}))
	b.Cleanup(srv.Close)
	return srv.URL
}

// BenchmarkListPage decodes one page of 1 000 tokens, sized, chunked and
// gzip-encoded, and reports the bytes allocated per token.
func BenchmarkListPage(b *testing.B) {
	const n = 1000
	ctx := context.Background()
	for _, encoding := range []string{"sized", "chunked", "gzip"} {
		b.Run("body="+encoding+"/impl=baseline", func(b *testing.B) {
			url := pageTarget(b, n, encoding)
			base := &baseline{hc: tunedHTTPClient(), base: url, authorization: "Bearer " + testToken}
			benchPerToken(b, n, func() error {
				var page gen.APITokenPage
				return base.do(ctx, http.MethodGet, "/applications/"+applicationID+"/tokens?perPage=1000", nil, &page)
			})
		})
		b.Run("body="+encoding+"/impl=losant", func(b *testing.B) {
			client, err := losant.NewClient(testToken, losant.WithBaseURL(pageTarget(b, n, encoding)))
			if err != nil {
				b.Fatal(err)
			}
			benchPerToken(b, n, func() error {
				_, err := client.APITokens(losant.Application(applicationID)).List(ctx, losant.APITokenListOptions{PerPage: n})
				return err
			})
		})
	}
}

// benchPerToken runs call b.N times and reports allocations per token.
func benchPerToken(b *testing.B, tokens int, call func() error) {
	b.ReportAllocs()
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	for i := 0; i < b.N; i++ {
		if err := call(); err != nil {
			b.Fatal(err)
		}
	}
	runtime.ReadMemStats(&after)
	b.ReportMetric(float64(after.TotalAlloc-before.TotalAlloc)/float64(b.N*tokens), "B/token")
}
