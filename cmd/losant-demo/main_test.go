package main

import (
	"bytes"
	"context"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestDemoRunsEveryStep(t *testing.T) {
	var out bytes.Buffer
	require.NoError(t, run(context.Background(), &out))
	text := out.String()
	for _, step := range []string{"1. get", "2. patch", "3. get", "4. delete  success", "5. get"} {
		assert.Equal(t, 2, strings.Count(text, step), "step %q for both resources", step)
	}
	assert.Equal(t, 2, strings.Count(text, "404 Not Found: NotFound: API Token was not found"))
	assert.Contains(t, text, `status=inactive`)
	assert.Contains(t, text, "All steps behaved as the API promises (10 requests).")
}
