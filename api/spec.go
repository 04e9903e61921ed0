// Package api holds the OpenAPI description of the Losant API-token
// endpoints, the single source the client, its tests and the fake server
// are built from.
package api

import (
	"bytes"
	_ "embed"
)

//go:embed openapi.yaml
var spec []byte

// Spec returns api/openapi.yaml, embedded so tests and tools read the very
// bytes the code was generated from: a copy, which the caller may change.
func Spec() []byte { return bytes.Clone(spec) }
