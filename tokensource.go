package losant

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync/atomic"

	"github.com/specdriven/losant/internal/shipped/checks"
)

// A TokenSource supplies the API access token of a client whose token can
// change while it runs (WithTokenSource), in the shape of
// golang.org/x/oauth2's, the token a plain string. The client calls Token
// before every request, from many goroutines: it must be safe for
// concurrent use and cheap. An error fails the call unsent. After a 401 it
// asks once more (RereadToken, for a RereadTokenSource) and sends again
// with a token that differs (docs/GUIDE.md, "Token sources").
type TokenSource interface {
	Token() (string, error)
}

// A RereadTokenSource is a TokenSource that can look for a new token at
// once, such as tokenfile.Source. After a 401 the client calls RereadToken
// in place of Token, once per call, within the call's context, and sends
// the request again if the token differs from the one refused. It may
// return the token in use with an error saying why it found no new one:
// the call's error then holds both the 401 and that error.
type RereadTokenSource interface {
	TokenSource
	RereadToken(ctx context.Context) (string, error)
}

// TokenSourceFunc is a function used as a TokenSource.
type TokenSourceFunc func() (string, error)

// Token returns f(); a nil f is an error, not a panic.
func (f TokenSourceFunc) Token() (string, error) {
	if f == nil {
		return "", errors.New("nil TokenSourceFunc")
	}
	return f()
}

// WithTokenSource has the client take its API token from src, before
// every request, in place of a token given once: pass "" as NewClient's
// token. NewClient reads src once, and fails if it gives no usable token.
// A 401 answer is sent again, once, when src then gives another token than
// the request carried: a 401 means the API did nothing, so this holds for
// a create too. Package tokenfile reads a token file that another program
// rewrites.
func WithTokenSource(src TokenSource) Option {
	return clientOption(func(s *settings) { s.tokenSource, s.tokenSourceSet = src, true })
}

// auth is what a client authenticates with: a token given once, or a
// source and the Authorization value of the token it last gave. It never
// holds a token in a field fmt would print: Client holds a pointer to it,
// and the value is behind another.
type auth struct {
	src TokenSource            // nil: the token given to NewClient
	cur atomic.Pointer[bearer] // the token last used, and its header value
}

// bearer is a token and its Authorization header value, built once per
// token rather than once per request.
type bearer struct {
	token, header string
}

// newAuth returns the auth of NewClient's token and options, having read
// the source once, so that a client that cannot authenticate is never made.
func newAuth(token string, s *settings) (*auth, error) {
	a := &auth{src: s.tokenSource}
	switch {
	case s.tokenSourceSet && s.tokenSource == nil:
		return nil, errors.New("WithTokenSource: nil source")
	case s.tokenSourceSet && token != "":
		return nil, errors.New(`both a token and WithTokenSource: pass "" as the token, and the source alone says which token to send`)
	case s.tokenSourceSet:
		t, err := a.src.Token()
		if err != nil {
			return nil, &tokenSourceError{err: err}
		}
		token = t
	case token == "":
		return nil, errors.New("the API token is empty")
	}
	if _, err := a.use(token); err != nil {
		return nil, err
	}
	return a, nil
}

// header returns the Authorization value of the token to send now. With
// a source, a token it gave before costs no allocation: the header value
// built for it is kept.
func (a *auth) header() (string, error) {
	if a.src == nil {
		return a.cur.Load().header, nil
	}
	token, err := a.src.Token()
	if err != nil {
		return "", &tokenSourceError{err: err}
	}
	if b := a.cur.Load(); b != nil && b.token == token {
		return b.header, nil
	}
	return a.use(token)
}

// use checks token and makes it the one sent from now on. Its errors
// never quote the token.
func (a *auth) use(token string) (string, error) {
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
	b := &bearer{token: token, header: "Bearer " + token}
	a.cur.Store(b)
	return b.header, nil
}

// renew asks the source once more for a token after a 401 to a request
// that sent the Authorization value sent. It returns the value to send
// the request again with, or "" when there is none to try: the token is
// the one the 401 refused, or the source failed. err is why the source
// gave no new token, for the caller of the call to see beside the 401.
func (a *auth) renew(ctx context.Context, sent string) (header string, err error) {
	if a.src == nil {
		return "", nil
	}
	var token string
	if r, ok := a.src.(RereadTokenSource); ok {
		token, err = r.RereadToken(ctx)
	} else {
		token, err = a.src.Token()
	}
	if token == "" && err != nil {
		return "", err
	}
	if b := a.cur.Load(); b != nil && b.token == token {
		header = b.header
	} else if header, err = a.use(token); err != nil {
		return "", err
	}
	if header == sent {
		return "", err
	}
	return header, nil
}

// tokenSourceError is the error of a call, or of NewClient, whose token
// source gave no token.
type tokenSourceError struct{ err error }

func (e *tokenSourceError) Error() string { return "losant: token source: " + e.err.Error() }

func (e *tokenSourceError) Unwrap() error { return e.err }

// unrenewedError is a 401 the token source could not give a new token
// for, and why: the caller sees the API's answer and the source's problem
// (such as a token file that was half written), and reaches either with
// errors.Is and errors.As.
type unrenewedError struct{ err, source error }

func (e *unrenewedError) Error() string {
	return e.err.Error() + " (the token source gave no new token: " + e.source.Error() + ")"
}

func (e *unrenewedError) Unwrap() []error { return []error{e.err, e.source} }

// notTokenByte reports a rune a bearer token cannot hold: white space, a
// control character, or anything outside printable ASCII.
func notTokenByte(r rune) bool { return r <= ' ' || r >= 0x7f }
