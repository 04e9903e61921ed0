package losant_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/specdriven/losant"
	"github.com/specdriven/losant/gen"
	"github.com/specdriven/losant/internal/harness/testworld"
)

// The tests in this file are a new user's misuses, each of which once
// panicked, misled or leaked: each now gets a clear error.

// A write made with a context already done sends nothing, and says so:
// not "the change may have been made".
func TestADoneContextSendsNothingAndSaysSo(t *testing.T) {
	t.Parallel()
	w := testworld.New(t)
	client, userOld, _ := rotatable(t, w)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	tokens := client.APITokens(losant.User())
	before := len(w.Server.Requests())
	_, errCreate := tokens.Create(ctx, gen.APITokenPost{Name: "n", Scope: []string{"all.User.read"}})
	_, errPatch := tokens.Patch(ctx, userOld.ID, gen.APITokenPatch{Name: losant.Ptr("m")})
	errDelete := tokens.Delete(ctx, userOld.ID)
	for i, err := range []error{errCreate, errPatch, errDelete} {
		t.Run(fmt.Sprint(i), func(t *testing.T) {
			require.ErrorIs(t, err, context.Canceled, i)
			assert.NotErrorIs(t, err, losant.ErrMayHaveActed, i)
			assert.True(t, strings.HasPrefix(err.Error(), "losant: "), err.Error())
		})
	}
	assert.Len(t, w.Server.Requests(), before, "nothing was sent")
}

// The zero and nil values of the package's types, and nil options, give
// an error, never a panic.
func TestZeroValuesRefuseInsteadOfPanicking(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	c, err := losant.NewClient(testToken, nil, losant.WithoutRetries())
	require.NoError(t, err, "a nil Option is skipped")
	require.NotNil(t, c)
	var nilClient *losant.Client
	calls := map[string]func() error{
		"zero Client": func() error {
			_, err := (&losant.Client{}).APITokens(losant.User()).Get(ctx, apiTokenID)
			return err
		},
		"nil Client": func() error {
			_, err := nilClient.APITokens(losant.User()).Get(ctx, apiTokenID)
			return err
		},
		"nil Client's Do": func() error { return nilClient.Do(ctx, "GET", "me", nil, nil) },
		"zero service":    func() error { _, err := losant.APITokenService{}.Get(ctx, apiTokenID); return err },
		"nil CallOption": func() error {
			done, cancel := context.WithCancel(ctx)
			cancel() // the call gets past its options, then stops: nothing is sent
			_, err := c.APITokens(losant.User()).Get(done, apiTokenID, nil)
			return err
		},
		"zero Owner's List": func() error {
			_, err := c.APITokens(losant.Owner{}).List(ctx, losant.APITokenListOptions{})
			return err
		},
	}
	for name, call := range calls {
		t.Run(name, func(t *testing.T) {
			var err error
			require.NotPanics(t, func() { err = call() })
			require.Error(t, err)
			assert.True(t, strings.HasPrefix(err.Error(), "losant: "), err.Error())
		})
	}
}

// Text from the API in an error is escaped: a message cannot forge a log
// line or drive a terminal.
func TestAPITextInErrorsIsEscaped(t *testing.T) {
	t.Parallel()
	base := testworld.Stub(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusBadRequest)
		fmt.Fprint(w, `{"type": "\u001b[31mBad", "message": "\u001b]0;pwned\u0007 line1\nline2 \u202egnp.exe"}`)
	})).URL
	client, err := losant.NewClient(testToken, losant.WithBaseURL(base))
	require.NoError(t, err)
	_, err = client.APITokens(losant.User()).Get(context.Background(), apiTokenID)
	require.Error(t, err)
	for _, raw := range []string{"\x1b", "\a", "\n", "\u202e"} {
		assert.NotContains(t, err.Error(), raw)
	}
	assert.Contains(t, err.Error(), `\x1b[31mBad`, "shown, escaped")
	err = client.Do(context.Background(), "GET", "me/%1b%5b31mRED", nil, nil)
	require.Error(t, err)
	assert.NotContains(t, err.Error(), "\x1b")
}

// Do refuses an into it could not decode into before it sends: a create
// must not be made and then fail to decode.
func TestDoRefusesABadIntoBeforeSending(t *testing.T) {
	t.Parallel()
	w := testworld.New(t)
	client, _, _ := rotatable(t, w)
	before := len(w.Server.Requests())
	var m map[string]any
	for name, into := range map[string]any{"a map, not a pointer": map[string]any{}, "a nil pointer": (*map[string]any)(nil), "a struct": struct{}{}} {
		t.Run(fmt.Sprint(name), func(t *testing.T) {
			err := client.Do(context.Background(), "POST", "me/tokens", map[string]any{"name": "x", "scope": []string{"all.User.read"}}, into)
			require.ErrorIs(t, err, losant.ErrInvalidArgument, name)
			assert.Contains(t, err.Error(), "into", name)
		})
	}
	assert.Len(t, w.Server.Requests(), before, "nothing was sent")
	require.NoError(t, client.Do(context.Background(), "GET", "me/tokens", nil, &m), "a pointer to a map is fine")
}

// Create refuses an expiry that has passed: the token would never work.
func TestCreateRefusesAnExpiryThatHasPassed(t *testing.T) {
	t.Parallel()
	w := testworld.New(t)
	client, _, _ := rotatable(t, w)
	past := time.Now().Add(-time.Hour)
	before := len(w.Server.Requests())
	_, err := client.APITokens(losant.User()).Create(context.Background(), gen.APITokenPost{Name: "n", Scope: []string{"all.User.read"}, ExpirationDate: &past})
	var arg *losant.ArgumentError
	require.True(t, errors.As(err, &arg), "%v", err)
	assert.Equal(t, "expirationDate", arg.Field)
	assert.Len(t, w.Server.Requests(), before)
}

// A token printed with any fmt verb, or logged with slog, shows its secret
// as [REDACTED]; its fields and its JSON are otherwise as they are.
func TestPrintingATokenNeverShowsItsSecret(t *testing.T) {
	t.Parallel()
	const secret = "lsnt_0123456789abcdef_secret"
	tok := gen.APIToken{ID: apiTokenID, Name: "ci", Token: secret}
	for _, verb := range []string{"%v", "%+v", "%#v", "%s", "%q"} {
		out := fmt.Sprintf(verb, tok) + fmt.Sprintf(verb, &tok)
		assert.NotContains(t, out, secret, verb)
		assert.Contains(t, out, "ci", verb)
	}
	assert.Contains(t, fmt.Sprintf("%#v", tok), "gen.APIToken{", "%#v names the type")
	assert.Contains(t, fmt.Sprintf("%+v", tok), "Token:[REDACTED]")
	var logs strings.Builder
	slog.New(slog.NewJSONHandler(&logs, nil)).Info("made", "token", tok)
	slog.New(slog.NewTextHandler(&logs, nil)).Info("made", "token", &tok)
	assert.NotContains(t, logs.String(), secret)
	assert.Contains(t, logs.String(), "[REDACTED]")
	b, err := json.Marshal(tok)
	require.NoError(t, err)
	assert.Contains(t, string(b), secret, "JSON, the API's own shape, keeps the secret")
}

// A token inside a slice, a map, a struct or a page printed with fmt shows
// no secret either (Format's promise); slog is asked only of a token logged
// by itself, as Format's doc says.
func TestATokenInsideAValuePrintsNoSecret(t *testing.T) {
	t.Parallel()
	const secret = "lsnt_0123456789abcdef_secret"
	tok := gen.APIToken{ID: apiTokenID, Name: "ci", Token: secret}
	for name, v := range map[string]any{
		"slice": []gen.APIToken{tok}, "pointers": []*gen.APIToken{&tok}, "map": map[string]gen.APIToken{"t": tok},
		"struct": struct{ T gen.APIToken }{tok}, "page": gen.APITokenPage{Items: []gen.APIToken{tok}},
	} {
		for _, verb := range []string{"%v", "%+v", "%#v"} {
			out := fmt.Sprintf(verb, v)
			assert.NotContains(t, out, secret, "%s %s", name, verb)
			assert.Contains(t, out, "ci", "%s %s", name, verb)
		}
	}
	var logs strings.Builder
	slog.New(slog.NewTextHandler(&logs, nil)).Info("made", "tokens", []gen.APIToken{tok})
	assert.NotContains(t, logs.String(), secret, "the text handler prints with fmt")
}
