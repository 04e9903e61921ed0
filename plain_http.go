package losant

import (
	"errors"

	"github.com/specdriven/losant/internal/shipped/transport"
)

// ErrServerNotTLS is matched (errors.Is) by the error of a call to an
// https URL whose server does not speak TLS: most often one that serves
// plain HTTP on that port. Every attempt would meet it, so it is never
// retried: the base URL is wrong, not the network.
var ErrServerNotTLS = errors.New("losant: the server of an https URL does not speak TLS (it may serve plain HTTP)")

// notTLSError is a transport error transport.ServerNotTLS recognises: its text and
// chain are the cause's, and it matches ErrServerNotTLS.
type notTLSError struct{ err error }

func (e *notTLSError) Error() string { return e.err.Error() }

func (e *notTLSError) Unwrap() error { return e.err }

func (e *notTLSError) Is(target error) bool { return target == ErrServerNotTLS }

// markNotTLS is err, made to match ErrServerNotTLS when it is of a server
// that does not speak TLS.
func markNotTLS(err error) error {
	if err != nil && transport.ServerNotTLS(err) {
		return &notTLSError{err}
	}
	return err
}
