package losanttest

import (
	"errors"
	"fmt"
	"strings"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
)

// Error answers are bounded, whatever the request: kin-openapi's own
// messages print the offending value and the schema it broke, which a
// hostile body can make megabytes long.
const (
	maxMessage  = 1024 // bytes of an error answer's message
	maxReason   = 160  // bytes of one rule's reason
	maxProblems = 5    // problems listed before "and N more"
)

// describeInvalid says what the spec refused in a request: each problem
// names the parameter or the body field and the rule, never the value.
func describeInvalid(err error) string {
	var problems []string
	collectProblems(err, "", &problems)
	if len(problems) == 0 {
		problems = []string{truncate(err.Error(), maxReason)}
	}
	if n := len(problems) - maxProblems; n > 0 {
		problems = append(problems[:maxProblems], fmt.Sprintf("and %d more", n))
	}
	return truncate(strings.Join(problems, "; "), maxMessage)
}

// collectProblems walks kin-openapi's error tree, where is the part of the
// request an error is about.
func collectProblems(err error, where string, problems *[]string) {
	switch e := err.(type) {
	case openapi3.MultiError:
		for _, inner := range e {
			collectProblems(inner, where, problems)
		}
	case *openapi3filter.RequestError:
		where = "body"
		if e.Parameter != nil {
			where = fmt.Sprintf("%s parameter %q", e.Parameter.In, truncate(e.Parameter.Name, 64))
		}
		before := len(*problems)
		if e.Err != nil {
			collectProblems(e.Err, where, problems)
		}
		if len(*problems) == before {
			reason := e.Reason
			if e.Err != nil {
				reason = e.Err.Error()
			}
			*problems = append(*problems, where+": "+truncate(reason, maxReason))
		}
	case *openapi3.SchemaError:
		field := where
		if pointer := e.JSONPointer(); len(pointer) > 0 {
			field = strings.TrimSpace(where + " field /" + truncate(strings.Join(pointer, "/"), 64))
		}
		for _, p := range *problems {
			if strings.HasPrefix(p, field+": ") {
				return // one rule per field: a oneOf repeats it per alternative
			}
		}
		*problems = append(*problems, field+": "+truncate(e.Reason, maxReason))
	case *openapi3filter.SecurityRequirementsError:
		*problems = append(*problems, "authentication: no bearer token in the Authorization header")
	default:
		if inner := errors.Unwrap(err); inner != nil {
			collectProblems(inner, where, problems)
		}
	}
}

// truncate cuts s to at most n bytes, at a rune boundary, marking the cut.
func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	cut := n - len("...")
	for cut > 0 && !utf8RuneStart(s[cut]) {
		cut--
	}
	return s[:cut] + "..."
}

// utf8RuneStart reports whether b starts a UTF-8 encoded rune.
func utf8RuneStart(b byte) bool { return b&0xC0 != 0x80 }
