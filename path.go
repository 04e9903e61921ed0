package losant

import (
	"net/url"
	"strings"

	"github.com/specdriven/losant/internal/shipped/limits"
)

// checkSegments refuses an escaped request path (no query) that a server
// or a gateway in front of it could read as leaving the place it names: a
// segment that is "." or "..", as sent or escaped, or before a ";"
// parameter ("..;", which Tomcat and some gateways read as ".."); a
// backslash, as sent or escaped, which some read as "/"; an escaped slash;
// a control character; an escape that is not one. Its errors never quote
// the path, which a caller may have built from a secret by mistake.
func checkSegments(escapedPath string) error {
	if indexControl(escapedPath) >= 0 {
		return invalid("path", "a control character cannot be sent")
	}
	for segment := range strings.SplitSeq(escapedPath, "/") {
		unescaped, err := url.PathUnescape(segment)
		if err != nil {
			return invalid("path", "a segment is not escaped properly")
		}
		head, _, _ := strings.Cut(unescaped, ";")
		switch {
		case head == "." || head == "..":
			return invalid("path", "a segment is %q or %q (or one before a ';'), which would leave the base URL", ".", "..")
		case strings.ContainsAny(unescaped, `/\`):
			return invalid("path", "a segment holds an escaped slash or a backslash")
		case indexControl(unescaped) >= 0:
			return invalid("path", "a segment holds an escaped control character")
		}
	}
	return nil
}

// route names a request for telemetry as specifically as a request that
// no spec describes allows: its method and its path under the base URL,
// each ID in it (an ObjectId) as {id}, so that calls to one endpoint share
// one name ("GET /applications/{id}/devices").
func route(method, path string) string {
	var b strings.Builder
	b.Grow(len(method) + 1 + len(path))
	b.WriteString(method)
	b.WriteByte(' ')
	rest, first := strings.TrimPrefix(path, "/"), true
	for {
		segment, more, found := strings.Cut(rest, "/")
		b.WriteByte('/')
		if !first && limits.IsObjectID(segment) {
			b.WriteString("{id}")
		} else {
			b.WriteString(segment)
		}
		if !found {
			return b.String()
		}
		rest, first = more, false
	}
}
