package rotation_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/specdriven/losant"
	"github.com/specdriven/losant/gen"
	"github.com/specdriven/losant/internal/harness/testworld"
	"github.com/specdriven/losant/losanttest"
	"github.com/specdriven/losant/rotation"
)

func TestRotationSentinelsSayLosant(t *testing.T) {
	for _, err := range []error{rotation.ErrNotASuccessor, rotation.ErrPredecessorInactive} {
		assert.True(t, strings.HasPrefix(err.Error(), "losant: "), err.Error())
	}
	assert.Equal(t, "rotation.Step(0)", rotation.Step(0).String())
	assert.Equal(t, "deactivating the predecessor", rotation.DeactivatePredecessorStep.String())
}

// Every error Start and Complete return starts with "losant: ", as every
// error of the module does, and still matches the context's own error.
func TestRotationErrorsSayLosantAndKeepTheirCause(t *testing.T) {
	w := testworld.New(t)
	client, userOld, appOld := rotatable(t, w)
	tokens := client.APITokens(losant.User())
	id := userOld.ID
	for cause, ctx := range map[error]context.Context{context.Canceled: canceledContext(), context.DeadlineExceeded: expiredContext(t)} {
		t.Run(fmt.Sprint(cause), func(t *testing.T) {
			calls := map[string]error{
				"Start":    second(rotation.Start(ctx, tokens, id, rotation.Options{})),
				"Complete": rotation.Resume(tokens, id, appOld.ID).Complete(ctx),
			}
			for name, err := range calls {
				require.Error(t, err, name)
				assert.True(t, strings.HasPrefix(err.Error(), "losant: "), "%s: %v", name, err)
				assert.ErrorIs(t, err, cause, name)
			}
		})
	}
}

// An argument that fails the ID check (a secret pasted as an ID, say) is
// kept by no Rotation and no Error: no fmt verb can print it.
func TestNoRotationErrorKeepsARefusedID(t *testing.T) {
	w := testworld.New(t)
	client, userOld, _ := rotatable(t, w)
	secret := w.Server.AddToken(losanttest.Token{OwnerType: gen.APITokenOwnerTypeUser, OwnerID: w.User.ID, Scope: []string{"all.User"}}).Secret
	ctx := context.Background()
	user := client.APITokens(losant.User())
	values := map[string]any{
		"Start":       second(rotation.Start(ctx, user, secret, rotation.Options{})),
		"Start's own": second(rotation.Start(ctx, user, secret, rotation.Options{NeverExpires: true, ExpirationDate: losant.Ptr(time.Now())})),
		"Resume":      rotation.Resume(user, secret, userOld.ID),
		"Complete":    rotation.Resume(user, secret, userOld.ID).Complete(ctx),
		"successor":   rotation.Resume(user, userOld.ID, secret).Complete(ctx),
		"successor's": rotation.Resume(user, userOld.ID, secret),
	}
	for name, v := range values {
		t.Run(fmt.Sprint(name), func(t *testing.T) {
			require.NotNil(t, v, name)
			for _, verb := range []string{"%v", "%+v", "%#v", "%s", "%q"} {
				assert.NotContains(t, fmt.Sprintf(verb, v), secret, "%s printed with %s", name, verb)
			}
			var rerr *rotation.Error
			if err, ok := v.(error); ok && errors.As(err, &rerr) {
				assert.NotContains(t, []string{rerr.PredecessorID, rerr.SuccessorID}, secret, name)
			}
		})
	}
}

func second[T any](_ T, err error) error { return err }

func canceledContext() context.Context {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	return ctx
}

func expiredContext(t *testing.T) context.Context {
	ctx, cancel := context.WithDeadline(context.Background(), time.Now().Add(-time.Second))
	t.Cleanup(cancel)
	return ctx
}
