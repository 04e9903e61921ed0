// Package losanttest runs an in-memory fake of the Losant API-token
// endpoints, for testing code that uses package losant without reaching
// Losant, in the spirit of net/http/httptest.
//
// The fake is built from the same api/openapi.yaml as the client: every
// request is routed and validated against the spec, the scopes each action
// accepts are read from its x-losant-scopes, and the owner and action of
// each operation from its x-losant-owner and x-losant-action, so that one
// handler serves the tokens of users, applications and instances alike.
// It reads and writes the client's own models (package gen). It creates,
// lists (sorted, filtered, paged), gets, patches and deletes tokens as the
// API does. It also lists the owners a user's token reaches, from its
// fixtures (AddApplication, AddInstance): GET /applications answers the
// applications the user owns, GET /instances the instances the user is a
// member of (ListApplications, ListInstances), sorted, filtered and paged
// as token lists are; a Client reads them with Client.Do into
// gen.Applications and gen.Instances. It can inject faults to test how code copes with latency,
// 429s, 503s, dropped connections, malformed bodies and answers lost after
// the API acted (Fault.LoseAnswer): on every request (Server.Inject), or
// aimed at one operation's requests, such as the nth PATCH
// (Server.Inject with For, Nth and Times).
//
// Server.Requests lists the requests received, each with its Operation,
// headers, query and body, the bearer token and any other secret redacted;
// Server.Token reads a token as the fake holds it. What it holds is
// bounded whoever reaches it (Limits): the request log in bytes, the tokens
// of an owner and of the store, a create or patch past them answered 400
// LimitExceeded. A Server listens on a
// loopback address (Server.URL, Server.Client) and is also an
// http.Handler, to mount in a test server of one's own.
//
//	srv := losanttest.New(t)                       // closed by t.Cleanup
//	user := srv.AddUser(losanttest.User{})
//	tok := srv.AddToken(losanttest.Token{OwnerType: gen.APITokenOwnerTypeUser, OwnerID: user.ID, Scope: []string{"all.User"}})
//	client := srv.Client(tok.Secret)
//	got, err := client.APITokens(losant.User()).Get(ctx, tok.ID)
package losanttest
