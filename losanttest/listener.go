package losanttest

import (
	"net"
	"sync"
	"sync/atomic"
)

// limitedListener holds at most cap(slots) connections open at once:
// Accept waits for one to close, and the connections beyond wait in the
// kernel's backlog. So what connections hold while their requests are
// read (up to 64 KiB of headers and 64 KiB of body each) stays bounded,
// however many a client opens.
type limitedListener struct {
	net.Listener
	slots     chan struct{} // one per open connection
	closed    chan struct{}
	closeOnce sync.Once
	waiting   atomic.Int32 // Accepts waiting for a slot, for the tests
}

func newLimitedListener(l net.Listener, n int) *limitedListener {
	return &limitedListener{Listener: l, slots: make(chan struct{}, n), closed: make(chan struct{})}
}

// Accept waits for a free slot, then for a connection, which frees its
// slot when closed.
func (l *limitedListener) Accept() (net.Conn, error) {
	select {
	case l.slots <- struct{}{}:
	default:
		l.waiting.Add(1)
		select {
		case l.slots <- struct{}{}:
			l.waiting.Add(-1)
		case <-l.closed:
			l.waiting.Add(-1)
			return nil, net.ErrClosed
		}
	}
	c, err := l.Listener.Accept()
	if err != nil {
		<-l.slots
		return nil, err
	}
	return &slotConn{Conn: c, release: func() { <-l.slots }}, nil
}

// Close stops Accept, also one waiting for a slot.
func (l *limitedListener) Close() error {
	l.closeOnce.Do(func() { close(l.closed) })
	return l.Listener.Close()
}

// slotConn frees its listener's slot when first closed (also after a
// Hijack: the hijacker closes it).
type slotConn struct {
	net.Conn
	once    sync.Once
	release func()
}

func (c *slotConn) Close() error {
	err := c.Conn.Close()
	c.once.Do(c.release)
	return err
}
