package losanttest_test

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/specdriven/losant"
	"github.com/specdriven/losant/gen"
	"github.com/specdriven/losant/internal/harness/testworld"
	"github.com/specdriven/losant/losanttest"
)

// What the request log keeps of one request, as docs/FAKE.md states it.
const (
	fakeMaxLoggedHeaderBytes = 4 << 10 // header names and values
	fakeMaxLoggedQueryBytes  = 2 << 10 // query keys and values
	fakeMaxLoggedPathBytes   = 1 << 10
)

// headerBytes is what a header or a query holds: its names and values.
func headerBytes(h map[string][]string) int {
	n := 0
	for name, values := range h {
		for _, v := range values {
			n += len(name) + len(v)
		}
	}
	return n
}

// A request with big headers, a long query and a long path is kept in
// the log cut to their limits; a request the fake does not authenticate
// (no token, an unknown one) is kept as its method, path, operation and
// status only, whatever it sent.
func TestRequestLogKeepsBigRequestsShort(t *testing.T) {
	t.Parallel()
	w := testworld.New(t)
	pad := strings.Repeat("x", 55_000) // with the rest, under the server's 64 KiB
	long := "/me/tokens?sortField=name&debug=" + strings.Repeat("q", 5_000)
	w.Send(t, w.UserBearer, http.MethodGet, long, nil, "X-Pad", pad, "X-Pad-Too", pad[:3_000], "X-Zz", "kept").Answered(t)
	w.Send(t, w.UserBearer, http.MethodGet, "/me/tokens/"+strings.Repeat("p", 3_000), nil, "X-Pad", pad).Answered(t)
	for _, bearer := range []losanttest.Token{{}, {Secret: "lsnt_" + strings.Repeat("0", 48)}, {Secret: "not-a-token-the-fake-holds"}} {
		w.Send(t, bearer, http.MethodGet, long, nil, "X-Pad", pad, "losantdomain", pad[:2_000]).Answered(t)
		w.Send(t, bearer, http.MethodPost, "/me/tokens/"+strings.Repeat("p", 3_000)+"?x="+pad[:5_000], strings.NewReader(pad), "X-Pad", pad).Answered(t)
	}
	w.Send(t, losanttest.Token{}, http.MethodGet, "/nowhere/"+strings.Repeat("p", 3_000), nil, "X-Pad", pad).Answered(t)

	reqs := w.Server.Requests()
	require.Equal(t, 9, len(reqs), "requests logged")
	for i, r := range reqs {
		assert.LessOrEqual(t, len(r.Path), fakeMaxLoggedPathBytes, "request %d's path", i)
		assert.LessOrEqual(t, headerBytes(r.Header), fakeMaxLoggedHeaderBytes, "request %d's headers", i)
		assert.LessOrEqual(t, headerBytes(r.Query), fakeMaxLoggedQueryBytes, "request %d's query", i)
		assert.NotZero(t, r.Status, "request %d's status", i)
	}
	authenticated := reqs[0]
	assert.Equal(t, "Bearer "+losanttest.Redacted, authenticated.Header.Get("Authorization"), "kept, in the order of the names")
	assert.Equal(t, "kept", authenticated.Header.Get("X-Zz"), "a big value is cut, and leaves room for the next")
	assert.Equal(t, []string{"name"}, authenticated.Query["sortField"])
	assert.Equal(t, losanttest.ListUserAPITokens, authenticated.Operation)
	for i, r := range reqs[2:] {
		assert.Nil(t, r.Header, "unauthenticated request %d", i)
		assert.Nil(t, r.Query, "unauthenticated request %d", i)
		assert.Nil(t, r.Body, "unauthenticated request %d", i)
		assert.Empty(t, r.Domain, "unauthenticated request %d", i)
	}
	assert.Equal(t, losanttest.ListUserAPITokens, reqs[2].Operation, "the operation is kept")
	assert.Equal(t, http.StatusUnauthorized, reqs[2].Status)
	assert.Equal(t, http.StatusNotFound, reqs[8].Status)
	assert.True(t, strings.HasPrefix(reqs[8].Path, "/nowhere/ppp"), "the path is kept, cut: %.20s", reqs[8].Path)
}

// A create past the tokens an owner may hold is refused, for every owner,
// with a 400 and the Error JSON, and changes nothing; a token deleted
// makes room again.
func TestTokensPerOwnerAreCapped(t *testing.T) {
	t.Parallel()
	const most = 6
	w := testworld.New(t, testworld.WithFake(losanttest.WithLimits(losanttest.Limits{TokensPerOwner: most})))
	ctx := context.Background()
	for _, o := range w.Owners(t) {
		t.Run(o.Name(), func(t *testing.T) {
			tokens := w.Client(t, w.UserBearer).APITokens(o.Owner)
			post := gen.APITokenPost{Name: "filler", Scope: o.Target.Scope}
			var last *gen.APIToken
			for i := 0; ; i++ {
				require.Less(t, i, most+1, "the cap was never met")
				tok, err := tokens.Create(ctx, post)
				if err != nil {
					var apiErr *losant.Error
					require.ErrorAs(t, err, &apiErr)
					assert.Equal(t, http.StatusBadRequest, apiErr.StatusCode)
					assert.Equal(t, "LimitExceeded", apiErr.Type)
					assert.Contains(t, apiErr.Message, fmt.Sprint(most))
					break
				}
				last = tok
			}
			page, err := tokens.List(ctx, losant.APITokenListOptions{})
			require.NoError(t, err)
			assert.Equal(t, most, page.TotalCount, "the owner holds its cap, no more")

			require.NotNil(t, last, "some were made before the cap")
			require.NoError(t, tokens.Delete(ctx, last.ID))
			_, err = tokens.Create(ctx, post)
			assert.NoError(t, err, "a token deleted makes room")
		})
	}
}

// Creates and patches that would take the store past its size are refused
// with a 400 and the Error JSON, and change nothing; a token deleted makes
// room again. What was created fits the limit.
func TestTheStoresSizeIsCapped(t *testing.T) {
	t.Parallel()
	const most = 256 << 10 // room for a few of the longest descriptions
	w := testworld.New(t, testworld.WithFake(losanttest.WithLimits(losanttest.Limits{StoreBytes: most})))
	ctx := context.Background()
	tokens := w.Client(t, w.UserBearer).APITokens(losant.User())
	long := strings.Repeat("d", 32767) // the spec's longest description
	var made []*gen.APIToken
	for i := 0; ; i++ {
		require.Less(t, i, most/len(long)+1, "the cap was never met")
		tok, err := tokens.Create(ctx, gen.APITokenPost{Name: "big", Description: &long, Scope: []string{"all.User.read"}})
		if err != nil {
			var apiErr *losant.Error
			require.ErrorAs(t, err, &apiErr)
			assert.Equal(t, http.StatusBadRequest, apiErr.StatusCode)
			assert.Equal(t, "LimitExceeded", apiErr.Type)
			break
		}
		made = append(made, tok)
	}
	require.NotEmpty(t, made, "some were made before the cap")

	_, err := tokens.Patch(ctx, w.UserTarget.ID, gen.APITokenPatch{Description: &long, Name: losant.Ptr("renamed")})
	var apiErr *losant.Error
	require.ErrorAs(t, err, &apiErr)
	assert.Equal(t, http.StatusBadRequest, apiErr.StatusCode)
	assert.Equal(t, "LimitExceeded", apiErr.Type)
	target, _ := w.Server.Token(w.UserTarget.ID)
	assert.Equal(t, w.UserTarget.Name, target.Name, "a refused patch changes nothing")

	_, err = tokens.Patch(ctx, made[0].ID, gen.APITokenPatch{Description: losant.Ptr("short now")})
	require.NoError(t, err, "a patch that shrinks a token is taken")
	require.NoError(t, tokens.Delete(ctx, made[1].ID))
	_, err = tokens.Create(ctx, gen.APITokenPost{Name: "big", Description: &long, Scope: []string{"all.User.read"}})
	assert.NoError(t, err, "a token deleted makes room")
}

// A description longer than the spec's 32 767 characters is a 400 on
// create and on patch, for every owner, and nothing is stored.
func TestDescriptionsOverTheSpecsLimitAreRefused(t *testing.T) {
	t.Parallel()
	w := testworld.New(t)
	tooLong := strings.Repeat("d", 32768)
	for _, o := range w.Owners(t) {
		t.Run(o.Name(), func(t *testing.T) {
			path := ownerPath(o.Owner) + "/tokens"
			a := w.Send(t, w.UserBearer, http.MethodPost, path, strings.NewReader(`{"name": "x", "scope": ["`+o.Target.Scope[0]+`"], "description": "`+tooLong+`"}`)).Answered(t)
			assert.Equal(t, http.StatusBadRequest, a.Status)
			assert.Equal(t, "Validation", a.Type)
			assert.Contains(t, a.Message, "description")
			a = w.Send(t, w.UserBearer, http.MethodPatch, path+"/"+o.Target.ID, strings.NewReader(`{"description": "`+tooLong+`"}`)).Answered(t)
			assert.Equal(t, http.StatusBadRequest, a.Status)
			assert.Contains(t, a.Message, "description")
			target, _ := w.Server.Token(o.Target.ID)
			assert.Equal(t, o.Target.Description, target.Description)
		})
	}
}

// ownerPath is the path of an owner's resource, as the spec names it.
func ownerPath(o losant.Owner) string {
	switch o.Type() {
	case gen.APITokenOwnerTypeApplication:
		return "/applications/" + o.ID()
	case gen.APITokenOwnerTypeInstance:
		return "/instances/" + o.ID()
	}
	return "/me"
}

// Headers over the server's 64 KiB are refused before any handler runs.
func TestHeadersOverTheLimitAreRefused(t *testing.T) {
	t.Parallel()
	w := testworld.New(t)
	a := w.Send(t, w.UserBearer, http.MethodGet, "/me/tokens", nil, "X-Pad", strings.Repeat("x", 70<<10))
	assert.Equal(t, http.StatusRequestHeaderFieldsTooLarge, a.Status)
	assert.Empty(t, w.Server.Requests(), "never reached the fake")
}
