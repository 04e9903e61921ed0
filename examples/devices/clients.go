package example

import (
	"net/http"

	"github.com/specdriven/losant"
	"github.com/specdriven/losant/examples/devices/devices"
)

// NewDeviceClient returns a client of the device actions that sends every
// request through c's pipeline (c.HTTPDoer()): c's token, sent again after
// a 401 once a token source has a new one, its losantdomain, User-Agent
// and Accept-Version, its retries, timeout, size limit and redirect rules,
// its hooks and logger. baseURL is the one c was made with: the doer
// refuses a request for any other.
func NewDeviceClient(c *losant.Client, baseURL string) (*devices.ClientWithResponses, error) {
	return devices.NewClientWithResponses(baseURL, devices.WithHTTPClient(c.HTTPDoer()))
}

// NewPlainDeviceClient returns a client of the device actions that sends
// through hc, with the token src gives and, unless domain is "", the
// losantdomain header, set by losant's request editors. Nothing else of
// the losant client applies: no retry, no size limit, no redirect rule
// but hc's, no Accept-Version.
func NewPlainDeviceClient(hc *http.Client, baseURL string, src losant.TokenSource, domain string) (*devices.ClientWithResponses, error) {
	opts := []devices.ClientOption{
		devices.WithHTTPClient(hc),
		devices.WithRequestEditorFn(losant.BearerAuth(src)),
	}
	if domain != "" {
		opts = append(opts, devices.WithRequestEditorFn(losant.DomainScope(domain)))
	}
	return devices.NewClientWithResponses(baseURL, opts...)
}
