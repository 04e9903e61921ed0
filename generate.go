package losant

// The models (gen/losant.gen.go) and the request builders
// (gen/requests.gen.go), from the same spec and overlay.
//go:generate go tool oapi-codegen -config api/oapi-codegen.yaml api/openapi.yaml
//go:generate go tool oapi-codegen -config api/oapi-codegen.requests.yaml api/openapi.yaml

// The scopes a token may hold (gen/scopes.gen.go), for checks before a
// request is sent.
//go:generate go run ./internal/scopesgen -spec api/openapi.yaml -out gen/scopes.gen.go
