//go:build !unix

package tokenfile_test

import "testing"

// runAsNobody is for unix, where a test runs as root; elsewhere no test
// calls it (os.Geteuid is -1).
func runAsNobody(t *testing.T, name string) {
	t.Fatalf("%s: no user to run as on this system", name)
}
