//go:build unix

package tokenfile

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"syscall"
	"testing"
	"time"
)

// A FIFO swapped in between a check's stat and its open does not block
// the open, or every check behind it: it is refused as not a regular file
// and the last token stays in use.
func TestAFIFOSwappedInAfterTheStatDoesNotBlock(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "token")
	if err := os.WriteFile(path, []byte("tok_first_token"), 0o600); err != nil {
		t.Fatal(err)
	}
	src, err := New(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path+".new", []byte("tok_second_token"), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.Rename(path+".new", path); err != nil { // changed: the next check opens it
		t.Fatal(err)
	}
	beforeOpen = func() {
		if err := os.Remove(path); err != nil {
			t.Error(err)
		}
		if err := syscall.Mkfifo(path, 0o600); err != nil {
			t.Error(err)
		}
	}
	t.Cleanup(func() { beforeOpen = nil })
	done := make(chan error, 1)
	go func() { done <- src.Refresh() }()
	select {
	case err := <-done:
		if !errors.Is(err, ErrInvalid) {
			t.Fatalf("Refresh of a FIFO: %v, want ErrInvalid", err)
		}
	case <-time.After(30 * time.Second): // a hang, not a timing: the open never returned
		t.Fatal("Refresh blocked on a FIFO")
	}
	if tok, _ := src.Token(); tok != "tok_first_token" {
		t.Fatalf("the token in use changed to a FIFO's")
	}
}

// A re-read after a 401 (RereadToken) waits for a check under way only as
// long as its call's context allows: the lock is never waited for past it.
func TestARereadHonoursTheCallsContext(t *testing.T) {
	path := filepath.Join(t.TempDir(), "token")
	if err := os.WriteFile(path, []byte("tok_first_token"), 0o600); err != nil {
		t.Fatal(err)
	}
	src, err := New(path)
	if err != nil {
		t.Fatal(err)
	}
	src.checking <- struct{}{} // a check under way that does not end
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	tok, err := src.RereadToken(ctx)
	if !errors.Is(err, context.Canceled) || tok != "tok_first_token" {
		t.Fatalf("RereadToken with a done context: %q, %v; want the token in use and context.Canceled", tok, err)
	}
	<-src.checking
}
