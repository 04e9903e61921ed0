package contract_test

import (
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/specdriven/losant/internal/harness/testworld"
	"github.com/specdriven/losant/internal/shipped/contract"
)

const tokenPath = "/me/tokens/575ec7417ae143cd83dc4a95"

func request(method, target, body string, header map[string]string) *http.Request {
	req := httptest.NewRequest(method, target, strings.NewReader(body))
	req.Header.Set("Authorization", "Bearer t")
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	for k, v := range header {
		req.Header.Set(k, v)
	}
	return req
}

// The validator must reject what the spec does not allow, or the contract
// tests built on it prove nothing.
func TestRequestViolationsAreCaught(t *testing.T) {
	v, err := contract.New()
	require.NoError(t, err)
	cases := []struct {
		name string
		req  *http.Request
		want string
	}{
		{"unknown path", request("GET", "/me/tokenz/575ec7417ae143cd83dc4a95", "", nil), "no matching operation"},
		{"method the path lacks", request("POST", tokenPath, "", nil), "method not allowed"},
		{"ID not 24 hex", request("GET", "/me/tokens/575ec7417ae143cd83dc4a9z", "", nil), "apiTokenId"},
		{"no bearer token", request("GET", tokenPath, "", map[string]string{"Authorization": ""}), "security requirement"},
		{"query flag not boolean", request("GET", tokenPath+"?_links=maybe", "", nil), "_links"},
		{"unknown patch field", request("PATCH", tokenPath, `{"owner":"x"}`, nil), "owner"},
		{"name too long", request("PATCH", tokenPath, `{"name":"`+strings.Repeat("n", 256)+`"}`, nil), "name"},
		{"empty name", request("PATCH", tokenPath, `{"name":""}`, nil), "name"},
		{"bad status", request("PATCH", tokenPath, `{"status":"paused"}`, nil), "status"},
		{"patch without body", request("PATCH", tokenPath, "", nil), "body"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, err := v.Request(tc.req)
			require.Error(t, err)
			assert.Contains(t, err.Error(), tc.want)
		})
	}
}

func TestGoodRequestPassesAndKeepsItsBody(t *testing.T) {
	v, err := contract.New()
	require.NoError(t, err)
	req := request("PATCH", "/applications/575ec8687ae143cd83dc4a97/tokens/575ec7417ae143cd83dc4a95?_links=true",
		`{"name":"n","status":"inactive"}`, map[string]string{"losantdomain": "example.com"})
	x, err := v.Request(req)
	require.NoError(t, err)
	assert.Equal(t, "patchApplicationApiToken", x.Operation.OperationID)
	assert.Equal(t, "575ec8687ae143cd83dc4a97", x.PathParams["applicationId"])
	body, err := io.ReadAll(req.Body)
	require.NoError(t, err)
	assert.Equal(t, `{"name":"n","status":"inactive"}`, string(body), "the body is still readable")
}

func TestResponseViolationsAreCaught(t *testing.T) {
	v, err := contract.New()
	require.NoError(t, err)
	x, err := v.Request(request("GET", tokenPath, "", nil))
	require.NoError(t, err)
	jsonHeader := http.Header{"Content-Type": {"application/json"}}
	assert.NoError(t, v.Response(x, 200, jsonHeader, []byte(`{"id":"575ec7417ae143cd83dc4a95","status":"active"}`)))
	assert.NoError(t, v.Response(x, 404, jsonHeader, []byte(`{"type":"NotFound","message":"m"}`)))
	assert.NoError(t, v.Response(x, 503, jsonHeader, []byte(`{"type":"Unavailable","message":"m"}`)), "default covers 5xx")
	for name, body := range map[string]string{
		"bad status":     `{"status":"paused"}`,
		"bad id":         `{"id":"nope"}`,
		"bad date":       `{"creationDate":"yesterday"}`,
		"scope not list": `{"scope":"all.User"}`,
		"not JSON":       `{"id":`,
	} {
		assert.Error(t, v.Response(x, 200, jsonHeader, []byte(body)), name)
	}
	assert.Error(t, v.Response(x, 200, http.Header{"Content-Type": {"text/html"}}, []byte("<html>")), "wrong content type")
}

// recordingTB records what CheckedTransport reports when a test ends.
type recordingTB struct {
	testing.TB
	errors   []string
	cleanups []func()
}

func (r *recordingTB) Helper()           {}
func (r *recordingTB) Cleanup(fn func()) { r.cleanups = append(r.cleanups, fn) }
func (r *recordingTB) Errorf(format string, args ...any) {
	r.errors = append(r.errors, fmt.Sprintf(format, args...))
}
func (r *recordingTB) Error(args ...any) { r.errors = append(r.errors, fmt.Sprint(args...)) }

func (r *recordingTB) end() {
	for _, fn := range r.cleanups {
		fn()
	}
}

// CheckedTransport fails the test, when it ends, for a response the spec
// does not allow, and for a test that checked none.
func TestCheckedTransportFailsTheTestOnBadResponses(t *testing.T) {
	srv := testworld.Stub(t, http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		_, _ = io.WriteString(w, `{"id": "not an ObjectId"}`)
	}))
	tb := &recordingTB{TB: t}
	client := &http.Client{Transport: contract.CheckedTransport(tb)}
	req := request(http.MethodGet, srv.URL+tokenPath, "", nil)
	req.RequestURI = "" // a server's request, sent as a client's
	resp, err := client.Do(req)
	require.NoError(t, err)
	resp.Body.Close()
	tb.end()
	require.Len(t, tb.errors, 1)
	assert.Contains(t, tb.errors[0], "a response the spec does not allow")

	idle := &recordingTB{TB: t}
	contract.CheckedTransport(idle)
	idle.end()
	assert.Equal(t, []string{"no response was checked against the spec"}, idle.errors)
}
