package rotation_test

import (
	"context"
	"fmt"
	"log"

	"github.com/specdriven/losant"
	"github.com/specdriven/losant/gen"
	"github.com/specdriven/losant/losanttest"
	"github.com/specdriven/losant/rotation"
)

const exampleAppID = "575ec8687ae143cd83dc4a97"

// exampleFake stands in for api.losant.com: a user, its application, and
// the user's token whose secret is "my-api-token".
func exampleFake() (*losant.Client, func()) {
	srv, err := losanttest.NewServer(losanttest.WithFixtures(losanttest.Fixtures{
		Users:        []losanttest.User{{ID: "575ed70c7ae143cd83dc4aa9", Email: "ada@example.com"}},
		Applications: []losanttest.Application{{ID: exampleAppID, OwnerID: "575ed70c7ae143cd83dc4aa9"}},
		Tokens: []losanttest.Token{{
			OwnerType: gen.APITokenOwnerTypeUser, OwnerID: "575ed70c7ae143cd83dc4aa9",
			Name: "CLI", Secret: "my-api-token", Scope: []string{"all.User"},
		}},
	}))
	if err != nil {
		log.Fatal(err)
	}
	return srv.Client("my-api-token"), srv.Close
}

func ExampleStart() {
	client, stop := exampleFake()
	defer stop()
	ctx := context.Background()
	tokens := client.APITokens(losant.User())
	old, err := tokens.Create(ctx, gen.APITokenPost{Name: "Deploys", Scope: []string{"all.User.read"}})
	if err != nil {
		log.Fatal(err)
	}
	r, err := rotation.Start(ctx, tokens, old.ID, rotation.Options{})
	if err != nil {
		log.Fatal(err) // a *rotation.Error says which tokens exist and are active
	}
	// Put r.Successor.Token, the new secret, in place; then:
	if err := r.Complete(ctx); err != nil {
		log.Fatal(err)
	}
	fmt.Println(r.Successor.Name, r.Successor.Status, r.Predecessor.Status)
	// Output: Deploys active inactive
}

func ExampleStart_application() {
	client, stop := exampleFake()
	defer stop()
	ctx := context.Background()
	tokens := client.APITokens(losant.Application(exampleAppID))
	old, err := tokens.Create(ctx, gen.APITokenPost{Name: "Gateway", Scope: []string{"all.Application"}})
	if err != nil {
		log.Fatal(err)
	}
	r, err := rotation.Start(ctx, tokens, old.ID, rotation.Options{})
	if err != nil {
		log.Fatal(err)
	}
	// Put r.Successor.Token in place on the gateway; then:
	if err := r.Complete(ctx); err != nil {
		log.Fatal(err)
	}
	fmt.Println(r.Successor.Name, r.Successor.OwnerType, r.Predecessor.Status)
	// Output: Gateway application inactive
}

// A rotation started by another process (or the command line) is
// completed from the two IDs alone.
func ExampleResume() {
	client, stop := exampleFake()
	defer stop()
	ctx := context.Background()
	tokens := client.APITokens(losant.User())
	old, _ := tokens.Create(ctx, gen.APITokenPost{Name: "Deploys", Scope: []string{"all.User.read"}})
	started, err := rotation.Start(ctx, tokens, old.ID, rotation.Options{})
	if err != nil {
		log.Fatal(err)
	}
	r := rotation.Resume(tokens, old.ID, started.Successor.ID)
	if err := r.Complete(ctx); err != nil {
		log.Fatal(err)
	}
	fmt.Println(r.Predecessor.Status)
	// Output: inactive
}
