package losant

// The models (gen/losant.gen.go), and the request builders that take them
// (internal/shipped/wire/requests.gen.go), from the same spec.
//go:generate go tool oapi-codegen -config api/oapi-codegen.yaml api/openapi.yaml
//go:generate go tool oapi-codegen -config api/oapi-codegen.wire.yaml api/openapi.yaml

// Stock oapi-codegen's builders of the same spec, which tests hold
// internal/shipped/wire's to (internal/harness/stockbuilders).
//go:generate go tool oapi-codegen -config api/oapi-codegen.stock.yaml api/openapi.yaml

// The scopes a token may hold (internal/shipped/wire/scopes.gen.go), for checks
// before a request is sent.
//go:generate go run ./devtools/scopesgen -spec api/openapi.yaml -out internal/shipped/wire/scopes.gen.go
