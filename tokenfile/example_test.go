package tokenfile_test

import (
	"context"
	"fmt"
	"log"
	"os"
	"path/filepath"

	"github.com/specdriven/losant"
	"github.com/specdriven/losant/gen"
	"github.com/specdriven/losant/losanttest"
	"github.com/specdriven/losant/tokenfile"
)

// A service whose token a secrets agent rotates reads it from the file the
// agent writes: the client reads the file again when it changes, and after
// a 401.
func ExampleNew() {
	srv, err := losanttest.NewServer() // stands in for api.losant.com
	if err != nil {
		log.Fatal(err)
	}
	defer srv.Close()
	user := srv.AddUser(losanttest.User{})
	old := srv.AddToken(losanttest.Token{OwnerType: gen.APITokenOwnerTypeUser, OwnerID: user.ID, Scope: []string{"all.User"}})
	next := srv.AddToken(losanttest.Token{OwnerType: gen.APITokenOwnerTypeUser, OwnerID: user.ID, Scope: []string{"all.User"}})

	dir, err := os.MkdirTemp("", "secrets")
	if err != nil {
		log.Fatal(err)
	}
	defer os.RemoveAll(dir)
	path := filepath.Join(dir, "token") // in Kubernetes: the secret volume's file
	if err := os.WriteFile(path, []byte(old.Secret+"\n"), 0o600); err != nil {
		log.Fatal(err)
	}

	src, err := tokenfile.New(path)
	if err != nil {
		log.Fatal(err) // names the file and what is wrong with it, never the token
	}
	client, err := losant.NewClient("", losant.WithTokenSource(src), losant.WithBaseURL(srv.URL))
	if err != nil {
		log.Fatal(err)
	}
	ctx := context.Background()
	tokens := client.APITokens(losant.User())

	// The agent puts the successor in place, and the predecessor is retired.
	_ = os.WriteFile(path+".new", []byte(next.Secret+"\n"), 0o600)
	_ = os.Rename(path+".new", path)
	_, _ = tokens.Patch(ctx, old.ID, gen.APITokenPatch{Status: losant.Ptr(gen.APITokenStatusInactive)})

	// The next call's 401 has the client read the file again: the call
	// goes on with the successor.
	got, err := tokens.Get(ctx, old.ID)
	fmt.Println(got.Status, err, src.Err())
	// Output: inactive <nil> <nil>
}
