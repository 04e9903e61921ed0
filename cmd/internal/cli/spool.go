package cli

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"iter"
	"os"
	"runtime"
)

// spoolMemory is how many bytes of rows a spool holds in memory before it
// moves them to a temporary file: a sweep holds at most 2*concurrency
// owners' spools, so memory is bounded by this and a page, not by how
// many tokens an owner has. (A variable for tests.)
var spoolMemory = 256 << 10

// spool holds the rows (tokens, findings) of one owner a sweep has read
// until they are printed, as JSON lines: in memory up to spoolMemory
// bytes, then in a temporary file. The file is unlinked at once where the
// system allows it (an interrupted run leaves none behind), and removed
// by close elsewhere. An owner whose read fails is closed, never printed:
// nothing of it reaches the output.
type spool[R any] struct {
	mem  bytes.Buffer
	file *os.File
	disk *bufio.Writer
	enc  *json.Encoder
	n    int
}

func newSpool[R any]() *spool[R] {
	s := &spool[R]{}
	s.enc = json.NewEncoder(spoolWriter[R]{s})
	return s
}

// spoolWriter routes the encoder's bytes to memory, or to the file once
// there is one.
type spoolWriter[R any] struct{ s *spool[R] }

func (w spoolWriter[R]) Write(p []byte) (int, error) {
	s := w.s
	if s.disk != nil {
		return s.disk.Write(p)
	}
	n, _ := s.mem.Write(p)
	if s.mem.Len() > spoolMemory {
		if err := s.spill(); err != nil {
			return 0, err
		}
	}
	return n, nil
}

// spill moves what memory holds to a new temporary file, where the rest
// goes.
func (s *spool[R]) spill() error {
	f, err := os.CreateTemp("", "losant-tokens-sweep-*")
	if err != nil {
		return &localWriteError{err}
	}
	if runtime.GOOS != "windows" {
		_ = os.Remove(f.Name()) // open, it is read all the same; gone once closed
	}
	s.file, s.disk = f, bufio.NewWriterSize(f, 64<<10)
	if _, err := s.disk.Write(s.mem.Bytes()); err != nil {
		return &localWriteError{err}
	}
	s.mem = bytes.Buffer{} // its memory too
	return nil
}

// put adds a row.
func (s *spool[R]) put(r *R) error {
	s.n++
	return s.enc.Encode(r)
}

// rows yields the rows put, in order.
func (s *spool[R]) rows() iter.Seq2[*R, error] {
	return func(yield func(*R, error) bool) {
		var in io.Reader = &s.mem
		if s.file != nil {
			if err := s.disk.Flush(); err != nil {
				yield(nil, &localWriteError{err})
				return
			}
			if _, err := s.file.Seek(0, io.SeekStart); err != nil {
				yield(nil, &localWriteError{err})
				return
			}
			in = bufio.NewReaderSize(s.file, 64<<10)
		}
		dec := json.NewDecoder(in)
		for range s.n {
			var r R
			if err := dec.Decode(&r); err != nil {
				yield(nil, &localWriteError{errors.Join(errors.New("reading back an owner's rows"), err)})
				return
			}
			if !yield(&r, nil) {
				return
			}
		}
	}
}

// close frees the spool: its memory, its file.
func (s *spool[R]) close() {
	s.mem = bytes.Buffer{}
	if s.file != nil {
		s.file.Close()
		_ = os.Remove(s.file.Name()) // already gone but on Windows
		s.file, s.disk = nil, nil
	}
}
