package example_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/oapi-codegen/oapi-codegen/v2/pkg/securityprovider"
	"github.com/specdriven/losant"
	example "github.com/specdriven/losant/examples/devices"
	"github.com/specdriven/losant/examples/devices/devices"
)

// BenchmarkDeviceClient measures one call of the generated device client
// against a loopback httptest server, sent through a losant.Client's
// HTTPDoer (impl=doer, the client's defaults: retries, the per-attempt
// timeout, the size limit, redaction) beside the same generated client
// over a plain http.Client with oapi-codegen's securityprovider setting
// the bearer token (impl=securityprovider). `benchstat -col /impl` puts
// them side by side (README.md has the command).
func BenchmarkDeviceClient(b *testing.B) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		if r.URL.Path == "/applications/"+appID+"/devices" {
			_, _ = w.Write([]byte(devicesJSON))
			return
		}
		_, _ = w.Write([]byte(deviceJSON))
	}))
	defer srv.Close()

	c, err := losant.NewClient(token, losant.WithBaseURL(srv.URL))
	if err != nil {
		b.Fatal(err)
	}
	doer, err := example.NewDeviceClient(c, srv.URL)
	if err != nil {
		b.Fatal(err)
	}
	bearer, err := securityprovider.NewSecurityProviderBearerToken(token)
	if err != nil {
		b.Fatal(err)
	}
	plain, err := devices.NewClientWithResponses(srv.URL,
		devices.WithHTTPClient(&http.Client{Transport: http.DefaultTransport.(*http.Transport).Clone()}),
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
	}{{"doer", doer}, {"securityprovider", plain}}
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
