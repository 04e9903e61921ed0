// Package redact keeps the access token out of what the client and the
// CLI report: a server's text, headers, errors and logs, with the token
// replaced by "[REDACTED]" in every form it may take there.
package redact

import (
	"bytes"
	"encoding/json"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"unsafe"
)

// placeholder stands where a secret was: in a log's Authorization header,
// and wherever a server or a transport put the access token back.
const placeholder = "[REDACTED]"

// String returns s with every copy of token replaced, in the forms it
// may take there: as sent, escaped in a URL path or query, escaped in a
// JSON string. A copy is replaced wherever it stands, glued to other text
// or not ("req-<token>"), so that no server's framing keeps it; a token
// shorter than minSubstringToken, which no Losant token is, is replaced
// only where it stands as a word of its own, so that the text around it
// is not cut up ("req-1001" stays whole for the token "0").
func String(s, token string) string {
	if token == "" || s == "" {
		return s
	}
	if plainToken(token) { // every form is the token: no allocation when s holds none
		if !strings.Contains(s, token) {
			return s
		}
		if len(token) >= minSubstringToken {
			return strings.ReplaceAll(s, token, placeholder)
		}
		return replaceWord(s, token)
	}
	for _, form := range tokenForms(token) {
		if len(token) >= minSubstringToken {
			s = strings.ReplaceAll(s, form, placeholder)
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

// replaceWord replaces each whole-word copy of word in s with placeholder.
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
			b.WriteString(placeholder)
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

// Bytes is b with the token redacted (String), also where a
// JSON string spells it with \u escapes ("\u0065yJ..."): a JSON body whose
// decoded strings hold it is encoded again with them redacted. b itself
// is left unchanged, and returned when it holds none of the token's forms.
func Bytes(b []byte, token string) []byte {
	if token == "" || len(b) == 0 {
		return b
	}
	escaped := bytes.Contains(b, []byte(`\u`))
	if !escaped && !mayHold(b, token) {
		return b
	}
	out := []byte(String(string(b), token))
	if escaped {
		out = decodedJSON(out, token)
	}
	return out
}

// decodedJSON returns b, a JSON document, encoded again with the
// token redacted in its decoded strings and keys, if one holds it; b as it
// is when none does, or when it is not JSON.
func decodedJSON(b []byte, token string) []byte {
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.UseNumber()
	var v any
	if dec.Decode(&v) != nil || dec.More() {
		return b
	}
	v, changed := value(v, token)
	if !changed {
		return b
	}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if enc.Encode(v) != nil {
		return []byte(placeholder) // cannot happen for decoded JSON; never give the token back
	}
	return bytes.TrimSuffix(buf.Bytes(), []byte("\n"))
}

// value redacts the token in the strings and keys of a decoded JSON
// value, and reports whether any held it.
func value(v any, token string) (any, bool) {
	switch x := v.(type) {
	case string:
		r := String(x, token)
		return r, r != x
	case []any:
		changed := false
		for i, e := range x {
			var c bool
			x[i], c = value(e, token)
			changed = changed || c
		}
		return x, changed
	case map[string]any:
		changed := false
		for k, e := range x {
			e, c := value(e, token)
			if rk := String(k, token); rk != k {
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
// String replaces, without an allocation for the common token of
// URL- and JSON-safe characters alone, whose forms are all the token.
func mayHold(b []byte, token string) bool {
	if !plainToken(token) {
		return true // a form differs: leave it to String
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

// Header returns h, or a copy of it with the token redacted in
// its names and values when one holds it.
func Header(h http.Header, token string) http.Header {
	if token == "" {
		return h
	}
	held := false
	for name, values := range h {
		if String(name, token) != name {
			held = true
			break
		}
		for _, v := range values {
			if String(v, token) != v {
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
			redactedValues[i] = String(v, token)
		}
		name = String(name, token)
		out[name] = append(out[name], redactedValues...)
	}
	return out
}

// BearerToken is the access token req carries, if any.
func BearerToken(req *http.Request) string {
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

// Error returns err, or an error of the same chain whose text has
// the token redacted when err's text holds it: a transport (a DNS error
// naming a redirect's host, a wrapper's own message) may quote it.
func Error(err error, token string) error {
	if err == nil || token == "" {
		return err
	}
	msg := err.Error()
	if r := String(msg, token); r != msg {
		return &redactedError{msg: r, err: err}
	}
	return err
}

// Response is a copy of resp with the token redacted from its status line,
// header and trailer, and body, read whole, as its Body (redacted too):
// closing it does nothing. Its Request is resp's, which the caller
// replaces with one that carries no token.
func Response(resp *http.Response, body []byte, token string) *http.Response {
	body = Bytes(body, token)
	out := *resp
	out.Status = String(resp.Status, token)
	out.Header = Header(resp.Header, token)
	out.Trailer = Header(resp.Trailer, token)
	whole := new(wholeBody)
	whole.Reset(body)
	out.Body = whole
	out.ContentLength = int64(len(body))
	return &out
}

// wholeBody is a response body read whole: closing it does nothing.
type wholeBody struct{ bytes.Reader }

func (*wholeBody) Close() error { return nil }
