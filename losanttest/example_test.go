package losanttest_test

import (
	"context"
	"fmt"
	"log"

	"github.com/specdriven/losant"
	"github.com/specdriven/losant/losanttest"
)

// A test of your own code seeds the fake, hands your code a client of it,
// and checks the outcome through the same client.
func ExampleNewServer() {
	srv, err := losanttest.NewServer() // in a test: losanttest.New(t)
	if err != nil {
		log.Fatal(err)
	}
	defer srv.Close()

	user := srv.AddUser(losanttest.User{Email: "ada@example.com"})
	bearer := srv.AddToken(losanttest.Token{OwnerType: losant.APITokenOwnerTypeUser, OwnerID: user.ID, Scope: []string{"all.User"}})
	stale := srv.AddToken(losanttest.Token{OwnerType: losant.APITokenOwnerTypeUser, OwnerID: user.ID, Name: "old CI token"})

	client := srv.Client(bearer.Secret)
	// Your code under test would do this.
	ctx := context.Background()
	if _, err := client.APITokens(losant.User()).Patch(ctx, stale.ID, losant.APITokenPatch{Status: losant.Ptr(losant.APITokenStatusInactive)}); err != nil {
		log.Fatal(err)
	}

	got, _ := client.APITokens(losant.User()).Get(ctx, stale.ID)
	fmt.Println(got.Name, got.Status)
	fmt.Println(srv.Requests()[0].Operation)
	// Output:
	// old CI token inactive
	// patchUserApiToken
}
