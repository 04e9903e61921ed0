package main

import (
	"os/exec"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The released binary links neither the fake nor the OpenAPI validator nor
// package testing: no package it imports imports them.
func TestTheReleasedBinaryLinksNoTestCode(t *testing.T) {
	out, err := exec.Command("go", "list", "-deps", ".").CombinedOutput()
	require.NoError(t, err, string(out))
	for _, dep := range strings.Fields(string(out)) {
		for _, banned := range []string{"/losanttest", "/internal/harness/testworld", "/internal/shipped/contract", "/internal/harness/faultproxy", "kin-openapi", "gorilla/mux", "yaml"} {
			assert.NotContains(t, dep, banned, "losant-tokens links %s", dep)
		}
		assert.NotEqual(t, "testing", dep, "losant-tokens links package testing")
	}
}
