package losant

import (
	"context"
	"errors"

	"github.com/specdriven/losant/internal/shipped/bearer"
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

// newAuth returns the auth of NewClient's token and options, having read
// the source once, so that a client that cannot authenticate is never made.
func newAuth(token string, s *settings) (*bearer.Auth, error) {
	var src bearer.Source
	if s.tokenSource != nil {
		src = s.tokenSource // a nil TokenSource stays a nil Source
	}
	a := bearer.New(src)
	switch {
	case s.tokenSourceSet && s.tokenSource == nil:
		return nil, errors.New("WithTokenSource: nil source")
	case s.tokenSourceSet && token != "":
		return nil, errors.New(`both a token and WithTokenSource: pass "" as the token, and the source alone says which token to send`)
	case s.tokenSourceSet:
		t, err := s.tokenSource.Token()
		if err != nil {
			return nil, bearer.SourceFailed(err)
		}
		token = t
	case token == "":
		return nil, errors.New("the API token is empty")
	}
	if _, err := a.Use(token); err != nil {
		return nil, err
	}
	return a, nil
}
