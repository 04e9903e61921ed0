package losanttest

import (
	"cmp"
	"context"
	"sync"
)

// Limits bound what the fake holds, so that nobody who can reach it can
// make it grow without end: a test server's memory stays what its tests
// put in it. A zero field keeps its default.
type Limits struct {
	// TokensPerOwner bounds the tokens one user, application or instance
	// holds (default 10 000): a create through the API past it is refused
	// 400 LimitExceeded.
	TokensPerOwner int
	// StoreBytes bounds the tokens the fake holds, all owners together,
	// in bytes: each token counts its strings (secret, name, description,
	// IDs, scopes, roles) and 512 bytes more (default 32 MiB). A create or
	// a patch through the API that would take the store past it is refused
	// 400 LimitExceeded; one that shrinks a token is taken.
	StoreBytes int
	// RequestLogBytes bounds the request log (Requests) in bytes: each
	// request counts what it keeps (method, path, operation, domain,
	// headers, query, body) and 256 bytes more (default 16 MiB). The
	// oldest requests are forgotten first.
	RequestLogBytes int
	// Connections bounds the connections the fake's own listener holds
	// open at once (default 512): one more waits, in the kernel's
	// backlog, for one to close. Each holds, while its request is read,
	// at most 64 KiB of headers and 64 KiB of body. It does not bound a
	// server of one's own that mounts the fake (ServeHTTP).
	Connections int
	// AnswerBytes bounds the bytes of the list pages being answered at
	// once, all connections together (default 64 MiB): a page waits,
	// while its client waits, for room, so that slow readers of big pages
	// cannot pile them up. A page over it alone is refused 400
	// LimitExceeded: ask for fewer per page.
	AnswerBytes int
}

// DefaultLimits returns the fake's limits unless WithLimits changes them:
// far above what a test makes, far below what would trouble a machine.
func DefaultLimits() Limits {
	return Limits{TokensPerOwner: 10_000, StoreBytes: 32 << 20, RequestLogBytes: 16 << 20, Connections: 512, AnswerBytes: 64 << 20}
}

// WithLimits sets the fake's limits; zero fields keep DefaultLimits'.
// AddToken and fixtures are not refused by them (a test sets up what it
// needs), but count towards them.
func WithLimits(l Limits) Option { return option(func(c *config) { c.limits = l }) }

// withDefaults returns l with each zero or negative field set to its
// default.
func (l Limits) withDefaults() Limits {
	d := DefaultLimits()
	positive := func(n int) int { return max(n, 0) }
	return Limits{
		TokensPerOwner:  cmp.Or(positive(l.TokensPerOwner), d.TokensPerOwner),
		StoreBytes:      cmp.Or(positive(l.StoreBytes), d.StoreBytes),
		RequestLogBytes: cmp.Or(positive(l.RequestLogBytes), d.RequestLogBytes),
		Connections:     cmp.Or(positive(l.Connections), d.Connections),
		AnswerBytes:     cmp.Or(positive(l.AnswerBytes), d.AnswerBytes),
	}
}

// MaxFixturesBytes bounds a fixtures file (LoadFixtures, losant-fake's
// -fixtures): the fixtures of the largest test are a few hundred kilobytes.
const MaxFixturesBytes = 16 << 20

// byteBudget is room for bytes in flight, shared by every answer: take
// waits for room (or for its context), give returns it.
type byteBudget struct {
	max  int
	mu   sync.Mutex
	used int
	room chan struct{} // closed and replaced whenever bytes are given back
}

func newByteBudget(max int) *byteBudget { return &byteBudget{max: max, room: make(chan struct{})} }

// take reserves n bytes (n <= max), waiting within ctx.
func (b *byteBudget) take(ctx context.Context, n int) error {
	for {
		b.mu.Lock()
		if b.used+n <= b.max {
			b.used += n
			b.mu.Unlock()
			return nil
		}
		room := b.room
		b.mu.Unlock()
		select {
		case <-room:
		case <-ctx.Done():
			return ctx.Err()
		}
	}
}

func (b *byteBudget) give(n int) {
	b.mu.Lock()
	b.used -= n
	close(b.room)
	b.room = make(chan struct{})
	b.mu.Unlock()
}
