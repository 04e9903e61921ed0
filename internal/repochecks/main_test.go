package repochecks_test

import (
	"os"
	"testing"
)

// TestMain runs the checks from the repository's root, whose files they
// read.
func TestMain(m *testing.M) {
	if err := os.Chdir("../.."); err != nil {
		panic(err)
	}
	os.Exit(m.Run())
}
