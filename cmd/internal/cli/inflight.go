package cli

import (
	"io"
	"net/http"
	"sync"
)

// inFlightLimit lets at most cap(slots) requests be in flight at once,
// from sending one to closing its answer's body, whatever the goroutines
// and retries that send them.
type inFlightLimit struct {
	next  http.RoundTripper
	slots chan struct{}
}

func limitInFlight(n int) func(http.RoundTripper) http.RoundTripper {
	return func(next http.RoundTripper) http.RoundTripper {
		return &inFlightLimit{next: next, slots: make(chan struct{}, n)}
	}
}

func (l *inFlightLimit) RoundTrip(r *http.Request) (*http.Response, error) {
	select {
	case l.slots <- struct{}{}:
	case <-r.Context().Done():
		return nil, r.Context().Err()
	}
	resp, err := l.next.RoundTrip(r)
	if err != nil {
		<-l.slots
		return nil, err
	}
	resp.Body = &releasingBody{ReadCloser: resp.Body, release: sync.OnceFunc(func() { <-l.slots })}
	return resp, nil
}

// releasingBody is an answer's body that frees its request's slot when
// closed.
type releasingBody struct {
	io.ReadCloser
	release func()
}

func (b *releasingBody) Close() error {
	err := b.ReadCloser.Close()
	b.release()
	return err
}
