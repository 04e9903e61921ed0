package example_test

import (
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/specdriven/losant"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

const (
	appID    = "575ec8687ae143cd83dc4a97"
	deviceID = "575ecf887ae143cd83dc4aa2"
	token    = "lsnt_devices_example_secret_1"
	domain   = "example.com"
)

// deviceJSON is a device as the API answers Device: Get.
const deviceJSON = `{"id":"` + deviceID + `","deviceId":"` + deviceID + `","applicationId":"` + appID + `",` +
	`"creationDate":"2026-11-23T10:00:00.000Z","lastUpdated":"2026-11-24T10:00:00.000Z",` +
	`"name":"Boiler 7","description":"basement","deviceClass":"standalone",` +
	`"tags":[{"key":"floor","value":"B1"}],"attributes":[{"name":"temperature","dataType":"number"}],` +
	`"connectionInfo":{"connected":1,"time":"2026-11-24T09:59:00.000Z"}}`

// devicesJSON is the first page of an application's devices.
const devicesJSON = `{"items":[` + deviceJSON + `],"count":1,"totalCount":1,"perPage":10,"page":0,` +
	`"sortField":"name","sortDirection":"asc","applicationId":"` + appID + `"}`

// recorder is a test server's handler that keeps every request it
// receives and answers each with the next of its answers (the last one
// again once they run out).
type recorder struct {
	mu       sync.Mutex
	requests []*http.Request
	answers  []func(w http.ResponseWriter, r *http.Request)
}

func (rec *recorder) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	_, _ = io.Copy(io.Discard, r.Body)
	rec.mu.Lock()
	n := len(rec.requests)
	rec.requests = append(rec.requests, r.Clone(r.Context()))
	answer := rec.answers[min(n, len(rec.answers)-1)]
	rec.mu.Unlock()
	answer(w, r)
}

// seen returns the requests received so far.
func (rec *recorder) seen() []*http.Request {
	rec.mu.Lock()
	defer rec.mu.Unlock()
	return append([]*http.Request(nil), rec.requests...)
}

// serve starts a plain-http loopback server answering with answers in
// turn (deviceJSON when none are given); it is closed when the test ends.
func serve(t *testing.T, answers ...func(w http.ResponseWriter, r *http.Request)) (*httptest.Server, *recorder) {
	t.Helper()
	if len(answers) == 0 {
		answers = append(answers, status(http.StatusOK, deviceJSON))
	}
	rec := &recorder{answers: answers}
	srv := httptest.NewServer(rec)
	t.Cleanup(srv.Close)
	return srv, rec
}

// status answers with a JSON body.
func status(code int, body string) func(http.ResponseWriter, *http.Request) {
	return func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(code)
		_, _ = io.WriteString(w, body)
	}
}

// losantError is a Losant error body.
func losantError(typ, message string) string {
	return fmt.Sprintf(`{"type":%q,"message":%q}`, typ, message)
}

// newLosantClient makes a losant.Client for srv with fast retries, so
// that a retried answer costs milliseconds.
func newLosantClient(t *testing.T, srv *httptest.Server, opts ...losant.Option) *losant.Client {
	t.Helper()
	opts = append([]losant.Option{
		losant.WithBaseURL(srv.URL),
		losant.WithRetry(losant.RetryPolicy{MaxAttempts: 3, MinWait: time.Millisecond, MaxWait: 5 * time.Millisecond}),
	}, opts...)
	c, err := losant.NewClient(token, opts...)
	require.NoError(t, err)
	return c
}

// staticToken is a token source that always gives tok.
func staticToken(tok string) losant.TokenSource {
	return losant.TokenSourceFunc(func() (string, error) { return tok, nil })
}

// assertNoSecret fails the test if err, as any verb prints it, holds
// any of secrets.
func assertNoSecret(t *testing.T, err error, secrets ...string) {
	t.Helper()
	require.Error(t, err)
	for _, text := range []string{err.Error(), fmt.Sprintf("%#v", err), fmt.Sprintf("%+v", err)} {
		for _, secret := range secrets {
			assert.NotContains(t, text, secret, "an error shows a secret")
		}
	}
}

// assertFromLosant fails the test unless err says it is the losant
// client's, as every error of its pipeline does.
func assertFromLosant(t *testing.T, err error) {
	t.Helper()
	require.Error(t, err)
	assert.True(t, strings.HasPrefix(err.Error(), "losant: "), "the error does not start with %q: %v", "losant: ", err)
}
