// Package losanttest runs an in-memory fake of the Losant API-token
// endpoints, for testing code that uses package losant without reaching
// Losant, in the spirit of net/http/httptest.
//
// The fake is built from the same api/openapi.yaml as the client: its
// handlers implement the strict server interface generated from the spec
// (package gen/server), every request is validated against the spec, and
// the scopes each action accepts are read from the spec's x-losant-scopes.
// It creates, lists (sorted, filtered, paged), gets, patches and deletes
// tokens as the API does, and can inject faults (Server.Inject) to test
// how code copes with latency, 429s, 503s, dropped connections and
// malformed bodies.
//
//	srv := losanttest.New(t)                       // closed by t.Cleanup
//	user := srv.AddUser(losanttest.User{})
//	tok := srv.AddToken(losanttest.Token{OwnerType: losant.APITokenOwnerTypeUser, OwnerID: user.ID, Scope: []string{"all.User"}})
//	client, _ := srv.Client(tok.Secret)
//	got, err := client.UserAPIToken.Get(ctx, tok.ID)
package losanttest
