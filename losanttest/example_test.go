package losanttest_test

import (
	"context"
	"errors"
	"fmt"
	"log"
	"net/http"
	"net/http/httptest"
	"slices"

	"github.com/specdriven/losant"
	"github.com/specdriven/losant/gen"
	"github.com/specdriven/losant/losanttest"
	"github.com/specdriven/losant/rotation"
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
	bearer := srv.AddToken(losanttest.Token{OwnerType: gen.APITokenOwnerTypeUser, OwnerID: user.ID, Scope: []string{"all.User"}})
	stale := srv.AddToken(losanttest.Token{OwnerType: gen.APITokenOwnerTypeUser, OwnerID: user.ID, Name: "old CI token"})

	client := srv.Client(bearer.Secret)
	// Your code under test would do this.
	ctx := context.Background()
	if _, err := client.APITokens(losant.User()).Patch(ctx, stale.ID, gen.APITokenPatch{Status: losant.Ptr(gen.APITokenStatusInactive)}); err != nil {
		log.Fatal(err)
	}

	got, _ := client.APITokens(losant.User()).Get(ctx, stale.ID)
	fmt.Println(got.Name, got.Status)
	fmt.Println(srv.Requests()[0].Operation)
	// Output:
	// old CI token inactive
	// patchUserApiToken
}

// The fake lists the applications a user's token reaches (GET
// /applications), sorted, filtered and paged as token lists are; a client
// reads them with Do, into the spec's models.
func ExampleServer_AddApplication() {
	srv, user, client := userWorld()
	defer srv.Close()
	for _, name := range []string{"Greenhouse", "Weather Station", "Garage"} {
		srv.AddApplication(losanttest.Application{Name: name, OwnerID: user.ID})
	}
	other := srv.AddUser(losanttest.User{Email: "bob@example.com"})
	srv.AddApplication(losanttest.Application{Name: "Bob's Garden", OwnerID: other.ID})

	var page gen.Applications
	err := client.Do(context.Background(), http.MethodGet, "applications?filter=g*&sortDirection=desc&perPage=1", nil, &page)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(page.Count, "of", page.TotalCount)
	for _, app := range page.Items {
		fmt.Println(app.Name, app.OwnerType, app.OwnerID == user.ID)
	}
	// Output:
	// 1 of 2
	// Greenhouse user true
}

// userWorld starts a fake with one user and a token of theirs that may
// manage the user's tokens, and returns a client that presents it.
func userWorld() (*losanttest.Server, losanttest.User, *losant.Client) {
	srv, err := losanttest.NewServer()
	if err != nil {
		log.Fatal(err)
	}
	user := srv.AddUser(losanttest.User{Email: "ada@example.com"})
	bearer := srv.AddToken(losanttest.Token{OwnerType: gen.APITokenOwnerTypeUser, OwnerID: user.ID, Scope: []string{"all.User"}})
	return srv, user, srv.Client(bearer.Secret)
}

// A fault aimed at one operation fails the PATCH inside a rotation's
// Complete, while the reads before it go through, without counting the
// library's requests.
func ExampleServer_Inject_for() {
	srv, user, client := userWorld()
	defer srv.Close()
	old := srv.AddToken(losanttest.Token{OwnerType: gen.APITokenOwnerTypeUser, OwnerID: user.ID, Name: "deploy", Scope: []string{"all.Application"}})
	ctx := context.Background()
	rot, err := rotation.Start(ctx, client.APITokens(losant.User()), old.ID, rotation.Options{})
	if err != nil {
		log.Fatal(err)
	}

	srv.Inject(losanttest.Fault{Status: http.StatusForbidden}, losanttest.For(losanttest.PatchUserAPIToken))
	err = rot.Complete(ctx)

	var rerr *rotation.Error
	fmt.Println(errors.As(err, &rerr), rerr.Step)
	predecessor, _ := srv.Token(old.ID)
	fmt.Println("predecessor", predecessor.Status)
	for _, r := range srv.Requests()[2:] { // after Start's get and create
		fmt.Println(r.Operation, r.Status, r.Fault)
	}
	// Output:
	// true deactivating the predecessor
	// predecessor active
	// getUserApiToken 200 false
	// getUserApiToken 200 false
	// patchUserApiToken 403 true
}

// Nth aims a fault at a later request of an operation: here the second
// get, while the first and third go through.
func ExampleNth() {
	srv, user, client := userWorld()
	defer srv.Close()
	tok := srv.AddToken(losanttest.Token{OwnerType: gen.APITokenOwnerTypeUser, OwnerID: user.ID, Name: "ci"})

	srv.Inject(losanttest.Fault{Status: http.StatusNotFound}, losanttest.For(losanttest.GetUserAPIToken), losanttest.Nth(2))
	for range 3 {
		_, err := client.APITokens(losant.User()).Get(context.Background(), tok.ID)
		fmt.Println(losant.StatusCode(err) == http.StatusNotFound)
	}
	// Output:
	// false
	// true
	// false
}

// A LoseAnswer fault lets the fake make the token and then drops the
// connection: the client's error says the API may have acted, and the
// fake's log and state say that it did.
func ExampleFault_loseAnswer() {
	srv, _, client := userWorld()
	defer srv.Close()

	srv.Inject(losanttest.Fault{LoseAnswer: true}, losanttest.For(losanttest.CreateUserAPIToken))
	_, err := client.APITokens(losant.User()).Create(context.Background(), gen.APITokenPost{Name: "nightly", Scope: []string{"all.User.read"}})

	fmt.Println(errors.Is(err, losant.ErrMayHaveActed))
	last := srv.Requests()[len(srv.Requests())-1]
	fmt.Println(last.Operation, last.Status, last.LostStatus)
	// Output:
	// true
	// createUserApiToken 0 201
}

// The request log keeps each request's headers, query and body, with the
// bearer token redacted.
func ExampleServer_Requests() {
	srv, user, client := userWorld()
	defer srv.Close()
	tok := srv.AddToken(losanttest.Token{OwnerType: gen.APITokenOwnerTypeUser, OwnerID: user.ID})
	ctx := context.Background()
	tokens := client.APITokens(losant.User())
	_, _ = tokens.List(ctx, losant.APITokenListOptions{PerPage: 10, Filter: "ci-*"})
	_, _ = tokens.Patch(ctx, tok.ID, gen.APITokenPatch{Name: losant.Ptr("ci-1")})

	for _, r := range srv.Requests() {
		fmt.Println(r.Method, r.Operation, r.Header.Get("Authorization"))
		fmt.Printf("  query %q body %q\n", r.Query.Encode(), r.Body)
	}
	// Output:
	// GET listUserApiTokens Bearer [REDACTED]
	//   query "filter=ci-%2A&perPage=10" body ""
	// PATCH patchUserApiToken Bearer [REDACTED]
	//   query "" body "{\"name\":\"ci-1\"}"
}

// Token reads a token as the fake holds it, whatever its status: here
// one that a client deactivated with its own token and can no longer use.
func ExampleServer_Token() {
	srv, user, _ := userWorld()
	defer srv.Close()
	tok := srv.AddToken(losanttest.Token{OwnerType: gen.APITokenOwnerTypeUser, OwnerID: user.ID, Scope: []string{"all.User"}})
	client := srv.Client(tok.Secret)
	_, _ = client.APITokens(losant.User()).Patch(context.Background(), tok.ID, gen.APITokenPatch{Status: losant.Ptr(gen.APITokenStatusInactive)})

	got, ok := srv.Token(tok.ID)
	fmt.Println(ok, got.Status, got.Scope)
	_, ok = srv.Token("575ec7417ae143cd83dc4a95")
	fmt.Println(ok)
	// Output:
	// true inactive [all.User]
	// false
}

// The fake is an http.Handler: mount it in a test server of your own,
// here under a prefix, and give the client that server's URL and prefix.
func ExampleServer_ServeHTTP() {
	srv, user, _ := userWorld()
	defer srv.Close()
	tok := srv.AddToken(losanttest.Token{OwnerType: gen.APITokenOwnerTypeUser, OwnerID: user.ID, Name: "mounted", Scope: []string{"all.User"}})

	mux := http.NewServeMux()
	mux.Handle("/losant/", http.StripPrefix("/losant", srv))
	yours := httptest.NewServer(mux)
	defer yours.Close()

	client, err := losant.NewClient(tok.Secret, losant.WithBaseURL(yours.URL+"/losant"))
	if err != nil {
		log.Fatal(err)
	}
	got, err := client.APITokens(losant.User()).Get(context.Background(), tok.ID)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(got.Name, srv.Requests()[0].Path == "/me/tokens/"+tok.ID)
	// Output:
	// mounted true
}

// Operations lists what Inject's For and Request.Operation name.
func ExampleOperations() {
	ops := losanttest.Operations()
	fmt.Println(len(ops), slices.Contains(ops, losanttest.PatchApplicationAPIToken))
	// Output:
	// 17 true
}

// An application removed while a test runs is gone with its tokens: a
// call on them is the API's 404, and a token of it no longer
// authenticates.
func ExampleServer_RemoveApplication() {
	srv, user, client := userWorld()
	defer srv.Close()
	app := srv.AddApplication(losanttest.Application{Name: "Greenhouse", OwnerID: user.ID})
	gateway := srv.AddToken(losanttest.Token{OwnerType: gen.APITokenOwnerTypeApplication, OwnerID: app.ID, Scope: []string{"all.Application"}})

	fmt.Println(srv.RemoveApplication(app.ID), srv.RemoveApplication(app.ID))
	_, err := client.APITokens(losant.Application(app.ID)).List(context.Background(), losant.APITokenListOptions{})
	fmt.Println(losant.StatusCode(err) == http.StatusNotFound)
	_, err = srv.Client(gateway.Secret).APITokens(losant.Application(app.ID)).Get(context.Background(), gateway.ID)
	fmt.Println(losant.StatusCode(err) == http.StatusUnauthorized)
	_, found := srv.Token(gateway.ID)
	fmt.Println(found)
	// Output:
	// true false
	// true
	// true
	// false
}
