// Package rotation replaces a Losant API token with a successor without a
// moment in which no token works: Start makes the successor (the same name,
// description, scopes and roles) and hands back its secret; once the secret
// is in place, Complete deactivates the old token. Resume picks up a
// rotation begun elsewhere from its two IDs. It is built only on
// losant.APITokenService, and every error is an *Error that says which
// tokens exist and which are active.
package rotation
