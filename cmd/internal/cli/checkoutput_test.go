package cli

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
)

// The end of a check's output holds no part of the secret, whole or cut in
// two by the bound, and is at most maxCheckOutput bytes.
func TestCheckOutputCutsTheSecretWhereverItFalls(t *testing.T) {
	const secret = "lsnt_5ecret_0123456789abcdefghijk"
	for shift := 0; shift <= len(secret)+2; shift++ {
		out := newOutputTail(secret)
		_, _ = out.Write([]byte(secret + strings.Repeat("x", maxCheckOutput+shift-len(secret)+len(secret)/2)))
		_, _ = out.Write([]byte(secret + "\n"))
		said := out.said()
		assert.LessOrEqual(t, len(said), maxCheckOutput+len("..."), shift)
		for i := 0; i+8 <= len(secret); i++ {
			assert.NotContains(t, said, secret[i:i+8], "shift %d", shift)
		}
		assert.True(t, strings.HasSuffix(said, successorSecretPlaceholder), said[len(said)-40:])
	}
	assert.Empty(t, newOutputTail(secret).said(), "nothing written, nothing said")
}
