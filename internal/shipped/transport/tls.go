package transport

import (
	"crypto/tls"
	"errors"
	"net/http"
	"strings"
)

// plainHTTPServer is what net/http says, in a plain error with no type to
// match, when the server of an https URL answers in plain HTTP; a
// transport wrapper may pass on only its text.
const plainHTTPServer = "server gave HTTP response to HTTPS client"

// ServerNotTLS reports whether err is of a server that does not speak TLS
// to an https URL: it answered in plain HTTP, or with what is not a TLS
// record.
func ServerNotTLS(err error) bool {
	var notTLS tls.RecordHeaderError
	return errors.Is(err, http.ErrSchemeMismatch) || errors.As(err, &notTLS) || strings.Contains(err.Error(), plainHTTPServer)
}
