package tokenfile_test

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/specdriven/losant/tokenfile"
)

// Parse takes the token alone: a byte-order mark and the white space
// around it are dropped; content that is blank, oversized or holds a space
// or a control character within the token is refused, saying where and
// never quoting it.
func TestParseTakesTheTokenAlone(t *testing.T) {
	const tok = "lsnt_abc.def-ghi"
	for content, want := range map[string]string{
		tok:                                    tok,
		"\uFEFF" + tok:                         tok,
		" \t" + tok + " \r\n\n":                tok,
		"\uFEFF\n" + tok + "\n":                tok,
		strings.Repeat("a", 4096):              strings.Repeat("a", 4096),
		" " + strings.Repeat("a", 4094) + "\n": strings.Repeat("a", 4094),
	} {
		got, err := tokenfile.Parse([]byte(content))
		require.NoError(t, err, "%q", content)
		assert.Equal(t, want, got)
	}
	for content, says := range map[string]string{
		"":                        "not a token: empty",
		" \t\r\n":                 "not a token: empty",
		"\uFEFF":                  "not a token: empty",
		tok + " " + tok:           "not a token: a space at byte 16: want the token alone",
		tok + "\t" + tok:          "not a token: a control character at byte 16",
		tok + "\n" + tok:          "not a token: a control character at byte 16",
		tok + "\x00":              "not a token: a control character at byte 16",
		tok + "\x7f" + tok:        "not a token: a control character at byte 16",
		strings.Repeat("a", 4097): "not a token: larger than 4096 bytes",
		strings.Repeat(" ", 4097): "not a token: larger than 4096 bytes",
	} {
		got, err := tokenfile.Parse([]byte(content))
		assert.Empty(t, got)
		assert.ErrorIs(t, err, tokenfile.ErrInvalid, "%q", content)
		assert.EqualError(t, err, says, "%q", content)
		assert.NotContains(t, err.Error(), "lsnt_")
	}
	assert.Equal(t, 4096, tokenfile.MaxBytes)
}
