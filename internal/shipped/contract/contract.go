// Package contract checks HTTP requests and responses against
// api/openapi.yaml with kin-openapi. Tests and the fake server use it; the
// client package never imports it, so importers do not compile kin-openapi.
package contract

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers"
	"github.com/getkin/kin-openapi/routers/gorillamux"

	"github.com/specdriven/losant/api"
)

// Validator checks exchanges against the spec. It is safe for concurrent use.
type Validator struct {
	doc    *openapi3.T
	router routers.Router
}

// Load parses and validates the embedded spec.
func Load() (*openapi3.T, error) {
	doc, err := openapi3.NewLoader().LoadFromData(api.Spec())
	if err != nil {
		return nil, fmt.Errorf("loading api/openapi.yaml: %w", err)
	}
	if err := doc.Validate(context.Background()); err != nil {
		return nil, fmt.Errorf("validating api/openapi.yaml: %w", err)
	}
	return doc, nil
}

// New returns a Validator for the embedded spec.
func New() (*Validator, error) {
	doc, err := Load()
	if err != nil {
		return nil, err
	}
	// Route on paths alone: the server under test is not api.losant.com.
	routed := *doc
	routed.Servers = nil
	router, err := gorillamux.NewRouter(&routed)
	if err != nil {
		return nil, fmt.Errorf("routing api/openapi.yaml: %w", err)
	}
	return &Validator{doc: doc, router: router}, nil
}

// Doc returns the parsed spec. Callers must not change it.
func (v *Validator) Doc() *openapi3.T { return v.doc }

// Exchange is a request that matched an operation of the spec.
type Exchange struct {
	// Operation is the spec's operation the request matched.
	Operation *openapi3.Operation
	// PathParams are the request's path parameters by name.
	PathParams map[string]string

	input *openapi3filter.RequestValidationInput
}

// Request finds req's operation and checks req against it: path, query,
// headers, bearer authentication and body. It leaves req.Body readable.
// A request matching no operation returns a nil Exchange and an error.
func (v *Validator) Request(req *http.Request) (*Exchange, error) {
	x, err := v.Route(req)
	if err != nil {
		return nil, err
	}
	return x, v.Check(x, req)
}

// Route finds req's operation without reading its body, so that a server
// can authenticate a request before it reads anything it sends.
func (v *Validator) Route(req *http.Request) (*Exchange, error) {
	route, params, err := v.router.FindRoute(req)
	if err != nil {
		return nil, fmt.Errorf("%s %s: %w", req.Method, req.URL.Path, err)
	}
	input := &openapi3filter.RequestValidationInput{
		Request:    req,
		PathParams: params,
		Route:      route,
		Options: &openapi3filter.Options{
			AuthenticationFunc: requireBearer,
			MultiError:         true,
			// Checking must not change the request: a test asserts the
			// query as the client sent it, without the spec's defaults.
			SkipSettingDefaults: true,
		},
	}
	return &Exchange{Operation: route.Operation, PathParams: params, input: input}, nil
}

// Check checks req, routed by Route, against its operation: path, query,
// headers, bearer authentication and body. It reads the whole body, and
// leaves req.Body readable.
func (v *Validator) Check(x *Exchange, req *http.Request) error {
	body, err := rewind(req)
	if err != nil {
		return err
	}
	x.input.Request = req
	err = openapi3filter.ValidateRequest(req.Context(), x.input)
	req.Body = io.NopCloser(bytes.NewReader(body))
	if err != nil {
		return fmt.Errorf("%s %s: %w", req.Method, req.URL.Path, err)
	}
	return nil
}

// Response checks a response to x's request against the spec.
func (v *Validator) Response(x *Exchange, status int, header http.Header, body []byte) error {
	err := openapi3filter.ValidateResponse(context.Background(), &openapi3filter.ResponseValidationInput{
		RequestValidationInput: x.input,
		Status:                 status,
		Header:                 header,
		Body:                   io.NopCloser(bytes.NewReader(body)),
		Options:                &openapi3filter.Options{IncludeResponseStatus: true, MultiError: true},
	})
	if err != nil {
		return fmt.Errorf("response %d to %s: %w", status, x.Operation.OperationID, err)
	}
	return nil
}

// rewind reads req's body and puts an unread copy back.
func rewind(req *http.Request) ([]byte, error) {
	if req.Body == nil {
		return nil, nil
	}
	body, err := io.ReadAll(req.Body)
	if err != nil {
		return nil, fmt.Errorf("reading request body: %w", err)
	}
	req.Body = io.NopCloser(bytes.NewReader(body))
	return body, nil
}

// requireBearer accepts any request with a non-empty bearer token; which
// tokens are good is the server's business, not the contract's.
func requireBearer(_ context.Context, in *openapi3filter.AuthenticationInput) error {
	if in.SecurityScheme == nil || in.SecurityScheme.Type != "http" || in.SecurityScheme.Scheme != "bearer" {
		return fmt.Errorf("unsupported security scheme %q", in.SecuritySchemeName)
	}
	token, ok := strings.CutPrefix(in.RequestValidationInput.Request.Header.Get("Authorization"), "Bearer ")
	if !ok || strings.TrimSpace(token) == "" {
		return errNoBearer
	}
	return nil
}

var errNoBearer = errors.New("no bearer token in the Authorization header")

// ScopesExtension names the operation extension listing the token scopes an
// action accepts; a token needs any one of them.
const ScopesExtension = "x-losant-scopes"

// AcceptedScopes returns op's x-losant-scopes list.
func AcceptedScopes(op *openapi3.Operation) ([]string, error) {
	raw, ok := op.Extensions[ScopesExtension].([]any)
	if !ok || len(raw) == 0 {
		return nil, fmt.Errorf("operation %s: %s is missing or not a list", op.OperationID, ScopesExtension)
	}
	scopes := make([]string, 0, len(raw))
	for _, s := range raw {
		scope, ok := s.(string)
		if !ok {
			return nil, fmt.Errorf("operation %s: %s holds %v, not a string", op.OperationID, ScopesExtension, s)
		}
		scopes = append(scopes, scope)
	}
	return scopes, nil
}
