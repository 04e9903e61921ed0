package losanttest

import (
	"maps"
	"slices"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The generated constants are the operations the fake routes, every one.
func TestOperationsAreTheSpecsOperations(t *testing.T) {
	t.Parallel()
	_, facts, err := loadSpec()
	require.NoError(t, err)
	var ops []string
	for _, op := range Operations() {
		ops = append(ops, string(op))
	}
	assert.ElementsMatch(t, slices.Collect(maps.Keys(facts.operations)), ops)

	got := Operations()
	got[0] = "changed"
	assert.NotEqual(t, Operation("changed"), Operations()[0], "a copy")
}
