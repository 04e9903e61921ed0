// Package tokenfile is a credential provider for package losant: a token
// source that reads a Losant API token from a file and reads it again when
// the file changes (a Kubernetes secret volume, a file a secrets agent
// renames into place, or one rewritten in place), and Parse, the one
// reading of a token file's content that losant-tokens uses too.
//
//	src, err := tokenfile.New("/var/run/secrets/losant/token")
//	client, err := losant.NewClient("", losant.WithTokenSource(src))
package tokenfile
