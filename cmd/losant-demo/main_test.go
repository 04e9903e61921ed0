package main

import (
	"bytes"
	"context"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/specdriven/losant/internal/shipped/wire"
)

func TestDemoRunsEveryStep(t *testing.T) {
	var out bytes.Buffer
	require.NoError(t, run(context.Background(), &out))
	text, cliText, found := strings.Cut(out.String(), "losant-tokens against the fake")
	require.True(t, found, "the command-line part ran")
	for _, step := range []string{"1. create", "secret received (not shown)", "2. list", "3. get", "4. patch", "5. get", "6. delete  success", "7. get"} {
		assert.Equal(t, len(wire.OwnerTypes()), strings.Count(text, step), "step %q for every owner", step)
	}
	assert.Equal(t, len(wire.OwnerTypes()), strings.Count(text, "404 Not Found: NotFound: API Token was not found"))
	assert.Contains(t, text, `status=inactive`)
	assert.Contains(t, text, `2. list    "Sensor uploader"`)
	assert.Contains(t, text, `2. list    "Ada's CLI", "Nightly backup"`)
	assert.Contains(t, text, `2. list    "Audit export"`)
	assert.NotContains(t, text, "lsnt_", "the library part prints no secret")
	assert.Contains(t, text, "All steps behaved as the API promises (21 requests).")

	for _, step := range []string{"create", "list", "get", "patch", "rotate", "expiring", "delete"} {
		assert.Contains(t, cliText, "$ losant-tokens "+step, step)
	}
	assert.Contains(t, cliText, "rotation complete")
	assert.Contains(t, cliText, "(exit status 3)", "the last get finds the token gone")
	assert.Equal(t, 2, strings.Count(cliText, "store it now"), "the create's and the rotation's secrets, as the tool prints them")
}
