package tokenfile

import (
	"errors"
	"fmt"
	"strings"
)

// MaxBytes is the largest token file Parse takes. An API token is a few
// hundred bytes; anything much larger is another file.
const MaxBytes = 4 << 10

// ErrInvalid is wrapped by the errors of content that is not a token (empty,
// too large, holding a space or a control character) and, in an *Error, of
// a file that is not a regular file.
var ErrInvalid = errors.New("not a token")

// Parse returns the token data holds: the token alone, without a byte-order
// mark or the white space an editor or echo leaves around it. Content that
// is empty or blank, larger than MaxBytes, or holds a space or a control
// character within the token is an error wrapping ErrInvalid that says what
// is wrong and where, never what the content is.
func Parse(data []byte) (string, error) {
	if len(data) > MaxBytes {
		return "", fmt.Errorf("%w: larger than %d bytes", ErrInvalid, MaxBytes)
	}
	token := strings.TrimSpace(strings.TrimPrefix(string(data), "\uFEFF"))
	if token == "" {
		return "", fmt.Errorf("%w: empty", ErrInvalid)
	}
	if i := strings.IndexByte(token, ' '); i >= 0 {
		return "", fmt.Errorf("%w: a space at byte %d: want the token alone", ErrInvalid, i)
	}
	if i := indexControl(token); i >= 0 {
		return "", fmt.Errorf("%w: a control character at byte %d", ErrInvalid, i)
	}
	return token, nil
}

// indexControl returns the index of the first ASCII control character in
// s, or -1.
func indexControl(s string) int {
	for i := 0; i < len(s); i++ {
		if s[i] < 0x20 || s[i] == 0x7f {
			return i
		}
	}
	return -1
}
