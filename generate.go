package losant

// The models (gen/losant.gen.go), and the request builders that take them
// (internal/wire/requests.gen.go), from the same spec.
//go:generate go tool oapi-codegen -config api/oapi-codegen.yaml api/openapi.yaml
//go:generate go tool oapi-codegen -config api/oapi-codegen.wire.yaml api/openapi.yaml

// Stock oapi-codegen's builders of the same spec, which tests hold
// internal/wire's to (internal/harness/stockbuilders).
//go:generate go tool oapi-codegen -config api/oapi-codegen.stock.yaml api/openapi.yaml

// The scopes a token may hold (internal/wire/scopes.gen.go), for checks
// before a request is sent.
//go:generate go run ./internal/tools/scopesgen -spec api/openapi.yaml -out internal/wire/scopes.gen.go
