// Package stockbuilders is api/openapi.yaml through stock oapi-codegen
// (api/oapi-codegen.stock.yaml): its request builders, for tests that hold
// this project's own builders (internal/shipped/wire) to them and measure both.
// Nothing shipped imports it.
package stockbuilders
