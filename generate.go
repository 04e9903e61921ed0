package losant

// The models (gen/losant.gen.go) and the request builders
// (gen/requests.gen.go), from the same spec and overlay.
//go:generate go run github.com/oapi-codegen/oapi-codegen/v2/cmd/oapi-codegen -config api/oapi-codegen.yaml api/openapi.yaml
//go:generate go run github.com/oapi-codegen/oapi-codegen/v2/cmd/oapi-codegen -config api/oapi-codegen.requests.yaml api/openapi.yaml
