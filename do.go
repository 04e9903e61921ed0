package losant

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"reflect"
	"strings"

	"github.com/specdriven/losant/internal/shipped/checks"
)

// Do sends a request this package has no method for, to path under the
// base URL (with an optional query), with everything a typed call has.
// body, unless nil, is sent as JSON; a 2xx answer's JSON body is decoded
// into into, unless nil. A path that could leave the base URL is refused
// with ErrInvalidArgument. A POST is retried as Create is, any other
// method as Get is; errors are the typed calls'. Never build path from a
// secret: it names the call in errors (docs/GUIDE.md).
func (c *Client) Do(ctx context.Context, method, path string, body, into any, opts ...CallOption) error {
	if ctx == nil {
		return invalid("context", "nil")
	}
	if method == "" {
		return invalid("method", "not an HTTP method")
	}
	if err := argumentError(checks.Method(method)); err != nil {
		return err
	}
	if into != nil { // checked before anything is sent: a write must not act and then fail here
		if v := reflect.ValueOf(into); v.Kind() != reflect.Pointer || v.IsNil() {
			return invalid("into", "want a non-nil pointer, or nil to discard the answer")
		}
	}
	call, err := c.callSettings(opts)
	if err != nil {
		return err
	}
	if call.params != nil {
		return invalid("WithParams", "Client.Do has no operation to take parameters from: put them in the path's query")
	}
	target, err := c.resolve(path)
	if err != nil {
		return err
	}
	var encoded []byte
	if body != nil {
		if encoded, err = json.Marshal(body); err != nil {
			return invalid("body", "not JSON: %v", err)
		}
	}
	operation := checks.Route(method, "/"+strings.TrimPrefix(strings.SplitN(path, "?", 2)[0], "/"))
	return decodeInto(c.doOperation(ctx, call, operation, func(ctx context.Context) (*http.Request, error) {
		var reader io.Reader // nil, not a nil *bytes.Reader: no body
		if encoded != nil {
			reader = bytes.NewReader(encoded)
		}
		req, err := http.NewRequestWithContext(ctx, method, target, reader)
		if err != nil {
			return nil, err
		}
		if encoded != nil {
			req.Header.Set("Content-Type", "application/json")
		}
		return req, nil
	}), into)
}

// resolve returns the URL of path under the base URL, or refuses a path
// that could name anything else (checks.RelativePath).
func (c *Client) resolve(path string) (string, error) {
	if err := argumentError(checks.RelativePath(path)); err != nil {
		return "", err
	}
	return strings.TrimSuffix(c.baseURL, "/") + "/" + strings.TrimPrefix(path, "/"), nil
}
