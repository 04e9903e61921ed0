// Package bearer holds the token a client sends: given once or asked of a
// source before every request, checked before it goes anywhere, and asked
// again once after a 401.
package bearer

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"sync/atomic"

	"github.com/specdriven/losant/internal/shipped/checks"
)

// Source gives the token to send now (losant.TokenSource).
type Source interface{ Token() (string, error) }

// rereader is a Source that, asked after a 401, reads its token afresh
// within ctx (losant.RereadTokenSource).
type rereader interface {
	RereadToken(ctx context.Context) (string, error)
}

// Auth is what a client authenticates with: a token given once, or a
// source and the Authorization value of the token it last gave. It never
// holds a token in a field fmt would print: a client holds a pointer to
// it, and the value is behind another.
type Auth struct {
	src Source                // nil: a token given once (Use)
	cur atomic.Pointer[value] // the token last used, and its header value
}

// New returns the Auth of src; nil src: of the token Use is given.
func New(src Source) *Auth { return &Auth{src: src} }

// value is a token and its Authorization header value, built once per
// token rather than once per request.
type value struct {
	token, header string
}

// Header returns the Authorization value of the token to send now. With
// a source, a token it gave before costs no allocation: the header value
// built for it is kept.
func (a *Auth) Header() (string, error) {
	if a.src == nil {
		return a.cur.Load().header, nil
	}
	token, err := a.src.Token()
	if err != nil {
		return "", SourceFailed(err)
	}
	if b := a.cur.Load(); b != nil && b.token == token {
		return b.header, nil
	}
	return a.Use(token)
}

// Use checks token and makes it the one sent from now on. Its errors
// never quote the token.
func (a *Auth) Use(token string) (string, error) {
	if token == "" {
		return "", errors.New("the API token is empty")
	}
	if strings.HasPrefix(token, "Bearer ") || strings.HasPrefix(token, "bearer ") {
		return "", errors.New(`the API token starts with "Bearer ": give the token alone; the client sends the header`)
	}
	if i := checks.IndexControl(token); i >= 0 {
		return "", fmt.Errorf("the API token has a control character at byte %d", i)
	}
	if i := strings.IndexFunc(token, notTokenByte); i >= 0 {
		return "", fmt.Errorf("the API token has white space or a character outside printable ASCII at byte %d", i)
	}
	b := &value{token: token, header: "Bearer " + token}
	a.cur.Store(b)
	return b.header, nil
}

// Renew asks the source once more for a token after a 401 to a request
// that sent the Authorization value sent. It returns the value to send
// the request again with, or "" when there is none to try: the token is
// the one the 401 refused, or the source failed. err is why the source
// gave no new token, for the caller of the call to see beside the 401.
func (a *Auth) Renew(ctx context.Context, sent string) (header string, err error) {
	if a.src == nil {
		return "", nil
	}
	var token string
	if r, ok := a.src.(rereader); ok {
		token, err = r.RereadToken(ctx)
	} else {
		token, err = a.src.Token()
	}
	if token == "" && err != nil {
		return "", err
	}
	if b := a.cur.Load(); b != nil && b.token == token {
		header = b.header
	} else if header, err = a.Use(token); err != nil {
		return "", err
	}
	if header == sent {
		return "", err
	}
	return header, nil
}

// SourceFailed is the error of a call, or of NewClient, whose token
// source gave no token, err.
func SourceFailed(err error) error { return &sourceError{err: err} }

type sourceError struct{ err error }

func (e *sourceError) Error() string { return "losant: token source: " + e.err.Error() }

func (e *sourceError) Unwrap() error { return e.err }

// Unrenewed is err, a 401 the token source could not give a new token
// for, and why, source: the caller sees the API's answer and the source's
// problem (such as a token file that was half written), and reaches either
// with errors.Is and errors.As.
func Unrenewed(err, source error) error { return &unrenewedError{err: err, source: source} }

type unrenewedError struct{ err, source error }

func (e *unrenewedError) Error() string {
	return e.err.Error() + " (the token source gave no new token: " + e.source.Error() + ")"
}

func (e *unrenewedError) Unwrap() []error { return []error{e.err, e.source} }

// notTokenByte reports a rune a bearer token cannot hold: white space, a
// control character, or anything outside printable ASCII.
func notTokenByte(r rune) bool { return r <= ' ' || r >= 0x7f }

// Authorize sets h's Authorization to the token to send now, in slot, a
// slice of length 1 that no other request shares: the client's calls pass
// one of the array their other headers are in (losant's headerSetter), one
// allocation for all.
func (a *Auth) Authorize(h http.Header, slot []string) error {
	authorization, err := a.Header()
	if err != nil {
		return err
	}
	slot[0] = authorization
	h["Authorization"] = slot[:1:1]
	return nil
}
