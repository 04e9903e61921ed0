package rotation_test

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/specdriven/losant"
	"github.com/specdriven/losant/internal/harness/testworld"
	"github.com/specdriven/losant/rotation"
)

// The zero and nil Rotation, and one of the zero service, give an error
// on Complete, never a panic.
func TestZeroRotationRefusesInsteadOfPanicking(t *testing.T) {
	ctx := context.Background()
	calls := map[string]func() error{
		"zero Rotation": func() error { return (&rotation.Rotation{}).Complete(ctx) },
		"nil Rotation":  func() error { var r *rotation.Rotation; return r.Complete(ctx) },
		"zero service": func() error {
			return rotation.Resume(losant.APITokenService{}, "575ec7417ae143cd83dc4a95", "575ec7417ae143cd83dc4a96").Complete(ctx)
		},
		"zero service's Start": func() error {
			_, err := rotation.Start(ctx, losant.APITokenService{}, "575ec7417ae143cd83dc4a95", rotation.Options{})
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

// Resume keeps no argument that is not an ID, under any verb, and
// Complete names which argument it refused, sending nothing.
func TestResumeKeepsNoRefusedID(t *testing.T) {
	w := testworld.New(t)
	client, userOld, _ := rotatable(t, w)
	const secret = "sk_live_0123456789abcdefghijklmnop"
	tokens := client.APITokens(losant.User())
	for name, tc := range map[string]struct {
		old, successor string
		step           rotation.Step
	}{
		"both":          {secret, secret, rotation.ReadPredecessorStep},
		"the successor": {userOld.ID, secret, rotation.CheckSuccessorStep},
	} {
		t.Run(name, func(t *testing.T) {
			r := rotation.Resume(tokens, tc.old, tc.successor)
			assert.NotContains(t, fmt.Sprintf("%v %+v %#v %v %+v", r, r, r, *r.Predecessor, *r.Successor), "sk_live")
			before := len(w.Server.Requests())
			err := r.Complete(context.Background())
			var rerr *rotation.Error
			require.ErrorAs(t, err, &rerr)
			assert.Equal(t, tc.step, rerr.Step)
			assert.ErrorIs(t, err, losant.ErrInvalidArgument)
			assert.Contains(t, err.Error(), "successorID")
			assert.NotContains(t, fmt.Sprintf("%v %+v %#v", err, err, err), "sk_live")
			assert.Len(t, w.Server.Requests(), before, "nothing was sent")
		})
	}
}
