// Package repochecks holds the repository's own tests, apart from the
// library's: every Go block of the docs compiles and every test the docs
// cite exists; README's options table matches the With* options; a module
// that depends on this one requires only what it compiles; the release
// configuration builds what it should; no build output is tracked. It has
// no code.
package repochecks
