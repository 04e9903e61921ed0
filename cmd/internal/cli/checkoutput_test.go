package cli

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
)

// The end of a check's output holds no part of the secret, whole or cut in
// two by the bound, and is at most maxCheckOutput bytes.
func TestCheckOutputCutsTheSecretWhereverItFalls(t *testing.T) {
	t.Parallel()
	const secret = "lsnt_5ecret_0123456789abcdefghijk"
	end := strings.Repeat(secret+"\n", 4)      // each cut out: the end is shorter than the bound
	for cut := 1; cut < len(secret)+2; cut++ { // the first secret loses its first cut bytes to the bound
		out := newOutputTail(secret)
		_, _ = out.Write([]byte(secret + strings.Repeat("x", maxCheckOutput+cut-len(end))))
		_, _ = out.Write([]byte(end))
		said := out.said()
		assert.LessOrEqual(t, len(said), maxCheckOutput+len("..."), cut)
		for i := 0; i+8 <= len(secret); i++ {
			assert.NotContains(t, said, secret[i:i+8], "cut %d", cut)
		}
		assert.True(t, strings.HasSuffix(said, successorSecretPlaceholder), said[len(said)-40:])
	}
	assert.Empty(t, newOutputTail(secret).said(), "nothing written, nothing said")
}
