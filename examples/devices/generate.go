package example

// The client in devices/ is stock oapi-codegen, at the version go.mod's
// tool directive pins (`go tool` needs nothing installed): models, the
// client and its request editors, from api/openapi.yaml.
//go:generate go tool oapi-codegen -config api/oapi-codegen.yaml api/openapi.yaml
