//go:build tools

// This file pins the code generator's version in go.mod, so that
// `go generate ./...` runs exactly that version with nothing installed.
package losant

import _ "github.com/oapi-codegen/oapi-codegen/v2/cmd/oapi-codegen"
