package losanttest

import (
	"context"
	"testing"
)

// The answers' budget holds what is in flight under its max: a take past
// it waits until bytes are given back, or until its context ends.
func TestTheAnswersBudgetHoldsBytesInFlight(t *testing.T) {
	b := newByteBudget(100)
	if err := b.take(context.Background(), 80); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if err := b.take(ctx, 30); err == nil {
		t.Fatal("a take past the budget did not wait")
	}
	took := make(chan error, 1)
	go func() { took <- b.take(context.Background(), 30) }()
	b.give(80)
	if err := <-took; err != nil {
		t.Fatal(err)
	}
	if b.used != 30 {
		t.Fatalf("used %d, want 30", b.used)
	}
}
