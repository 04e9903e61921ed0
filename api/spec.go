// Package api holds the OpenAPI description of the Losant API-token
// endpoints, the single source the client, its tests and the fake server
// are built from.
package api

import _ "embed"

// Spec is api/openapi.yaml, embedded so tests and tools read the very bytes
// the code was generated from.
//
//go:embed openapi.yaml
var Spec []byte
