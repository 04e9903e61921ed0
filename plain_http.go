package losant

import (
	"crypto/tls"
	"errors"
	"net/http"
	"strings"
)

// ErrServerNotTLS is matched (errors.Is) by the error of a call to an
// https URL whose server does not speak TLS: most often one that serves
// plain HTTP on that port. Every attempt would meet it, so it is never
// retried: the base URL is wrong, not the network.
var ErrServerNotTLS = errors.New("losant: the server of an https URL does not speak TLS (it may serve plain HTTP)")

// plainHTTPServer is what net/http says, in a plain error with no type to
// match, when the server of an https URL answers in plain HTTP; a
// transport wrapper may pass on only its text.
const plainHTTPServer = "server gave HTTP response to HTTPS client"

// serverNotTLS reports whether err is of a server that does not speak TLS
// to an https URL: it answered in plain HTTP, or with what is not a TLS
// record.
func serverNotTLS(err error) bool {
	var notTLS tls.RecordHeaderError
	return errors.Is(err, http.ErrSchemeMismatch) || errors.As(err, &notTLS) || strings.Contains(err.Error(), plainHTTPServer)
}

// notTLSError is a transport error serverNotTLS recognises: its text and
// chain are the cause's, and it matches ErrServerNotTLS.
type notTLSError struct{ err error }

func (e *notTLSError) Error() string { return e.err.Error() }

func (e *notTLSError) Unwrap() error { return e.err }

func (e *notTLSError) Is(target error) bool { return target == ErrServerNotTLS }

// markNotTLS is err, made to match ErrServerNotTLS when it is of a server
// that does not speak TLS.
func markNotTLS(err error) error {
	if err != nil && serverNotTLS(err) {
		return &notTLSError{err}
	}
	return err
}
