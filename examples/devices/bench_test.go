package example_test

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/oapi-codegen/oapi-codegen/v2/pkg/securityprovider"
	"github.com/specdriven/losant"
	example "github.com/specdriven/losant/examples/devices"
	"github.com/specdriven/losant/examples/devices/devices"
)

// The benchmarks measure one call of the generated device client sent
// through a losant.Client's HTTPDoer (impl=doer, the client's defaults:
// retries, the per-attempt timeout, the size limit, redaction) beside the
// same generated client over a plain http.Client with oapi-codegen's
// securityprovider setting the bearer token (impl=securityprovider).
// `benchstat -col /impl` puts them side by side (README.md has the
// command).

// BenchmarkDeviceClient sends each call to a loopback httptest server.
func BenchmarkDeviceClient(b *testing.B) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write([]byte(bodyFor(r)))
	}))
	defer srv.Close()
	benchDeviceClients(b, srv.URL, http.DefaultTransport.(*http.Transport).Clone())
}

// BenchmarkDeviceClientInMemory answers each call from a canned
// RoundTripper, without the network's noise: what the doer itself costs.
func BenchmarkDeviceClientInMemory(b *testing.B) {
	benchDeviceClients(b, losant.DefaultBaseURL, canned{})
}

// bodyFor is the answer to a request of one of the two actions.
func bodyFor(r *http.Request) string {
	if r.URL.Path == "/applications/"+appID+"/devices" {
		return devicesJSON
	}
	return deviceJSON
}

// canned answers every request at once with bodyFor's answer.
type canned struct{}

func (canned) RoundTrip(r *http.Request) (*http.Response, error) {
	body := bodyFor(r)
	return &http.Response{
		StatusCode: http.StatusOK, Status: "200 OK", Proto: "HTTP/1.1", ProtoMajor: 1, ProtoMinor: 1,
		Header:        http.Header{"Content-Type": []string{"application/json"}},
		Body:          io.NopCloser(strings.NewReader(body)),
		ContentLength: int64(len(body)),
		Request:       r,
	}, nil
}

// benchDeviceClients runs each action with each implementation, both
// sending to baseURL through a transport of their own like rt.
func benchDeviceClients(b *testing.B, baseURL string, rt http.RoundTripper) {
	c, err := losant.NewClient(token, losant.WithBaseURL(baseURL), losant.WithHTTPClient(&http.Client{Transport: rt}))
	if err != nil {
		b.Fatal(err)
	}
	doer, err := example.NewDeviceClient(c, baseURL)
	if err != nil {
		b.Fatal(err)
	}
	bearer, err := securityprovider.NewSecurityProviderBearerToken(token)
	if err != nil {
		b.Fatal(err)
	}
	if t, ok := rt.(*http.Transport); ok {
		rt = t.Clone() // a pool of its own
	}
	plain, err := devices.NewClientWithResponses(baseURL,
		devices.WithHTTPClient(&http.Client{Transport: rt}),
		devices.WithRequestEditorFn(bearer.Intercept))
	if err != nil {
		b.Fatal(err)
	}
	perPage := 10
	actions := []struct {
		name string
		call func(ctx context.Context, dc *devices.ClientWithResponses) (int, error)
	}{
		{"GetDevice", func(ctx context.Context, dc *devices.ClientWithResponses) (int, error) {
			resp, err := dc.GetDeviceWithResponse(ctx, appID, deviceID, nil)
			if err != nil || resp.JSON200 == nil {
				return 0, err
			}
			return resp.StatusCode(), nil
		}},
		{"GetDevices", func(ctx context.Context, dc *devices.ClientWithResponses) (int, error) {
			resp, err := dc.GetDevicesWithResponse(ctx, appID, &devices.GetDevicesParams{PerPage: &perPage})
			if err != nil || resp.JSON200 == nil {
				return 0, err
			}
			return resp.StatusCode(), nil
		}},
	}
	impls := []struct {
		name string
		dc   *devices.ClientWithResponses
	}{{"securityprovider", plain}, {"doer", doer}} // the first is benchstat's base
	ctx := context.Background()
	for _, action := range actions {
		for _, impl := range impls {
			b.Run("action="+action.name+"/impl="+impl.name, func(b *testing.B) {
				b.ReportAllocs()
				for b.Loop() {
					if code, err := action.call(ctx, impl.dc); err != nil || code != http.StatusOK {
						b.Fatalf("status %d, %v", code, err)
					}
				}
			})
		}
	}
}
