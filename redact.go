package losant

import (
	"bytes"
	"encoding/json"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"unsafe"
)

// redacted stands where a secret was: in a log's Authorization header,
// and wherever a server or a transport put the access token back.
const redacted = "[REDACTED]"

// redactToken returns s with every copy of token replaced, in the forms it
// may take there: as sent, escaped in a URL path or query, escaped in a
// JSON string. A copy is replaced wherever it stands, glued to other text
// or not ("req-<token>"), so that no server's framing keeps it; a token
// shorter than minSubstringToken, which no Losant token is, is replaced
// only where it stands as a word of its own, so that the text around it
// is not cut up ("req-1001" stays whole for the token "0").
func redactToken(s, token string) string {
	if token == "" || s == "" {
		return s
	}
	if plainToken(token) { // every form is the token: no allocation when s holds none
		if !strings.Contains(s, token) {
			return s
		}
		if len(token) >= minSubstringToken {
			return strings.ReplaceAll(s, token, redacted)
		}
		return replaceWord(s, token)
	}
	for _, form := range tokenForms(token) {
		if len(token) >= minSubstringToken {
			s = strings.ReplaceAll(s, form, redacted)
		} else {
			s = replaceWord(s, form)
		}
	}
	return s
}

// minSubstringToken is the shortest token redacted wherever it appears.
const minSubstringToken = 8

// tokenForms are the forms token may take in a server's text: as sent,
// and escaped in a URL path, a URL query and a JSON string, each once.
func tokenForms(token string) []string {
	forms := []string{token}
	for _, f := range []string{url.PathEscape(token), url.QueryEscape(token), jsonEscaped(token)} {
		if !slices.Contains(forms, f) {
			forms = append(forms, f)
		}
	}
	return forms
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

// redactBytes is b with the token redacted (redactToken), also where a
// JSON string spells it with \u escapes ("\u0065yJ..."): a JSON body whose
// decoded strings hold it is encoded again with them redacted. b itself
// is left unchanged, and returned when it holds none of the token's forms.
func redactBytes(b []byte, token string) []byte {
	if token == "" || len(b) == 0 {
		return b
	}
	escaped := bytes.Contains(b, []byte(`\u`))
	if !escaped && !mayHold(b, token) {
		return b
	}
	out := []byte(redactToken(string(b), token))
	if escaped {
		out = redactDecodedJSON(out, token)
	}
	return out
}

// redactDecodedJSON returns b, a JSON document, encoded again with the
// token redacted in its decoded strings and keys, if one holds it; b as it
// is when none does, or when it is not JSON.
func redactDecodedJSON(b []byte, token string) []byte {
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.UseNumber()
	var v any
	if dec.Decode(&v) != nil || dec.More() {
		return b
	}
	v, changed := redactValue(v, token)
	if !changed {
		return b
	}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if enc.Encode(v) != nil {
		return []byte(redacted) // cannot happen for decoded JSON; never give the token back
	}
	return bytes.TrimSuffix(buf.Bytes(), []byte("\n"))
}

// redactValue redacts the token in the strings and keys of a decoded JSON
// value, and reports whether any held it.
func redactValue(v any, token string) (any, bool) {
	switch x := v.(type) {
	case string:
		r := redactToken(x, token)
		return r, r != x
	case []any:
		changed := false
		for i, e := range x {
			var c bool
			x[i], c = redactValue(e, token)
			changed = changed || c
		}
		return x, changed
	case map[string]any:
		changed := false
		for k, e := range x {
			e, c := redactValue(e, token)
			if rk := redactToken(k, token); rk != k {
				delete(x, k)
				k, c = rk, true
			}
			x[k] = e
			changed = changed || c
		}
		return x, changed
	}
	return v, false
}

// mayHold reports whether b may hold token in one of the forms
// redactToken replaces, without an allocation for the common token of
// URL- and JSON-safe characters alone, whose forms are all the token.
func mayHold(b []byte, token string) bool {
	if !plainToken(token) {
		return true // a form differs: leave it to redactToken
	}
	return bytes.Contains(b, unsafe.Slice(unsafe.StringData(token), len(token))) // read only
}

// plainToken reports whether token is of URL- and JSON-safe characters
// alone (a JWT is), so that each of its escaped forms is the token itself.
func plainToken(token string) bool {
	for i := 0; i < len(token); i++ {
		if c := token[i]; !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '_' || c == '.' || c == '~') {
			return false
		}
	}
	return true
}

// redactHeaderValues returns h, or a copy of it with the token redacted in
// its names and values when one holds it.
func redactHeaderValues(h http.Header, token string) http.Header {
	if token == "" {
		return h
	}
	held := false
	for name, values := range h {
		if redactToken(name, token) != name {
			held = true
			break
		}
		for _, v := range values {
			if redactToken(v, token) != v {
				held = true
				break
			}
		}
	}
	if !held {
		return h
	}
	out := make(http.Header, len(h))
	for name, values := range h {
		redactedValues := make([]string, len(values))
		for i, v := range values {
			redactedValues[i] = redactToken(v, token)
		}
		name = redactToken(name, token)
		out[name] = append(out[name], redactedValues...)
	}
	return out
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
