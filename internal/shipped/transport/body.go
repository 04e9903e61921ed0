package transport

import (
	"fmt"
	"io"
	"sync"
)

// bodyBuffers holds the buffers response bodies are read into. A body is
// needed only until it is decoded (json.Unmarshal copies what it keeps),
// so its buffer is reused by the next call: a page costs no allocation for
// its raw bytes, sized or chunked, once the pool holds a buffer that fits.
var bodyBuffers = sync.Pool{New: func() any { return new([]byte) }}

// maxPooledBody is the largest buffer kept for reuse, so that one huge
// page does not stay in memory for good.
const maxPooledBody = 4 << 20

// ReadBody reads the whole of a body of declared length (-1: unknown) into
// a buffer from bodyBuffers, failing with an error wrapping tooLarge once it
// passes limit, or at once if it declares more. A buffer it must grow
// doubles, as bytes.Buffer's does; a declared length sizes it at once, up
// to the limit, so that a lying length cannot make a huge one. The buffer
// is returned even with an error: it holds what was read.
func ReadBody(r io.Reader, declared, limit int64, tooLarge error) (*[]byte, error) {
	if declared > limit {
		return nil, overLimit(tooLarge, limit)
	}
	buf := bodyBuffers.Get().(*[]byte)
	body := (*buf)[:0]
	if need := int(declared) + 1; declared >= 0 && cap(body) < need { // +1: the read that sees EOF needs room
		body = make([]byte, 0, need)
	} else if cap(body) == 0 {
		body = make([]byte, 0, 512)
	}
	defer func() { *buf = body }()
	for {
		if int64(len(body)) > limit {
			body = body[:limit]
			return buf, overLimit(tooLarge, limit)
		}
		if len(body) == cap(body) {
			grown := make([]byte, len(body), int(min(2*int64(cap(body)), limit+1)))
			copy(grown, body)
			body = grown
		}
		room := body[len(body):cap(body)]
		if left := limit + 1 - int64(len(body)); int64(len(room)) > left {
			room = room[:left] // one byte past the limit tells "too large" from "exactly full"
		}
		n, err := r.Read(room)
		body = body[:len(body)+n]
		if err == io.EOF {
			if int64(len(body)) > limit {
				body = body[:limit]
				return buf, overLimit(tooLarge, limit)
			}
			return buf, nil
		}
		if err != nil {
			return buf, err
		}
	}
}

func overLimit(tooLarge error, limit int64) error {
	return fmt.Errorf("%w: over %d bytes", tooLarge, limit)
}

// Bytes is the body buf holds; nil for none.
func Bytes(buf *[]byte) []byte {
	if buf == nil {
		return nil
	}
	return *buf
}

// Release gives buf back for reuse; nothing may read it afterwards.
func Release(buf *[]byte) {
	if buf != nil && cap(*buf) <= maxPooledBody {
		*buf = (*buf)[:0]
		bodyBuffers.Put(buf)
	}
}
