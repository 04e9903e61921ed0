// Package losant is a typed client for the Losant IoT platform's API-token
// endpoints (API 1.30): create, list, get, patch, delete and find expiring
// the API tokens of the authenticated user (User), an application
// (Application) or an Enterprise instance (Instance). Client.APITokens
// binds every action to one owner; package rotation rotates a token on it.
//
// The models (request and response bodies and their enums) are generated
// from the OpenAPI description in api/openapi.yaml into package gen, whose
// go doc is their reference (a call takes a gen.APITokenPost and returns a
// *gen.APIToken); the request builders into an internal package. This
// package adds bearer authentication, the losantdomain domain scope,
// the headers every Losant request carries, typed errors and safe
// defaults: retries of transient failures, a timeout per attempt, input
// checks before anything is sent, a response size limit, writes that are
// never turned into reads by a redirect, and a token that goes only to the
// base URL's origin and is never printed or logged.
//
//	client, err := losant.NewClient(os.Getenv("LOSANT_API_TOKEN"))
//	if err != nil { ... }
//	token, err := client.APITokens(losant.User()).Get(ctx, "575ec7417ae143cd83dc4a95")
//	if losant.StatusCode(err) == http.StatusNotFound { ... }
//
//	for token, err := range client.APITokens(losant.User()).All(ctx, losant.APITokenListOptions{}) { ... }
//
// Client.Do sends a request this package has no method for, and
// Client.HTTPDoer any oapi-codegen client's, with the same safeguards. A Client is safe for concurrent use by many goroutines.
package losant
