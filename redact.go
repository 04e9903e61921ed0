package losant

import (
	"bytes"
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"unsafe"
)

// redacted stands where a secret was: in a log's Authorization header,
// and wherever a server or a transport put the access token back.
const redacted = "[REDACTED]"

// redactToken returns s with every copy of token that stands as a word of
// its own replaced, in the forms it may take there: as sent, escaped in a
// URL path, escaped in a JSON string. Only a whole word is replaced (not
// next to a letter, a digit, '-' or '_'), so that a short token does not
// cut up the text around it ("req-1001" stays whole for the token "0").
func redactToken(s, token string) string {
	if token == "" || s == "" {
		return s
	}
	for _, form := range []string{token, url.PathEscape(token), jsonEscaped(token)} {
		s = replaceWord(s, form)
	}
	return s
}

// replaceWord replaces each whole-word copy of word in s with redacted.
func replaceWord(s, word string) string {
	if !strings.Contains(s, word) {
		return s
	}
	var b strings.Builder
	rest := s
	for {
		i := strings.Index(rest, word)
		if i < 0 {
			b.WriteString(rest)
			return b.String()
		}
		end := i + len(word)
		whole := (i == 0 || !wordByte(rest[i-1])) && (end == len(rest) || !wordByte(rest[end]))
		b.WriteString(rest[:i])
		if whole {
			b.WriteString(redacted)
		} else {
			b.WriteString(word)
		}
		rest = rest[end:]
	}
}

// wordByte reports whether c continues a word a token could be part of.
func wordByte(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '_'
}

// jsonEscaped is s as it appears inside a JSON string.
func jsonEscaped(s string) string {
	b, _ := json.Marshal(s)
	return string(b[1 : len(b)-1])
}

// redactBytes is b with the token redacted (redactToken); b itself is left
// unchanged, and returned when it holds none of the token's forms.
func redactBytes(b []byte, token string) []byte {
	if token == "" || len(b) == 0 || !mayHold(b, token) {
		return b
	}
	return []byte(redactToken(string(b), token))
}

// mayHold reports whether b may hold token in one of the forms
// redactToken replaces, without an allocation for the common token of
// URL- and JSON-safe characters alone, whose forms are all the token.
func mayHold(b []byte, token string) bool {
	for i := 0; i < len(token); i++ {
		if c := token[i]; !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '_' || c == '.' || c == '~') {
			return true // a form differs: leave it to redactToken
		}
	}
	return bytes.Contains(b, unsafe.Slice(unsafe.StringData(token), len(token))) // read only
}

// redactHeaderValues returns h, or a copy of it with the token redacted in
// its values when one holds it.
func redactHeaderValues(h http.Header, token string) http.Header {
	if token == "" {
		return h
	}
	var out http.Header
	for name, values := range h {
		for i, v := range values {
			r := redactToken(v, token)
			if r == v {
				continue
			}
			if out == nil {
				out = h.Clone()
			}
			out[name][i] = r
		}
	}
	if out == nil {
		return h
	}
	return out
}

// redactHeader returns a copy of h fit for a log: the Authorization value
// is replaced.
func redactHeader(h http.Header) http.Header {
	c := h.Clone()
	if _, ok := c["Authorization"]; ok {
		c["Authorization"] = []string{redacted}
	}
	return c
}

// bearerToken is the access token req carries, if any.
func bearerToken(req *http.Request) string {
	token, _ := strings.CutPrefix(req.Header.Get("Authorization"), "Bearer ")
	return token
}

// redactedError is an error whose text held the access token: its text
// with the token redacted, and the error it stands for.
type redactedError struct {
	msg string
	err error
}

func (e *redactedError) Error() string { return e.msg }
func (e *redactedError) Unwrap() error { return e.err }

// redactError returns err, or an error of the same chain whose text has
// the token redacted when err's text holds it: a transport (a DNS error
// naming a redirect's host, a wrapper's own message) may quote it.
func redactError(err error, token string) error {
	if err == nil || token == "" {
		return err
	}
	msg := err.Error()
	if r := redactToken(msg, token); r != msg {
		return &redactedError{msg: r, err: err}
	}
	return err
}
