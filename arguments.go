package losant

import (
	"errors"

	"github.com/specdriven/losant/internal/shipped/checks"
)

// argumentError is err, a refusal of package checks, as the
// *ArgumentError callers match; any other error as it is.
func argumentError(err error) error {
	var p *checks.Problem
	if errors.As(err, &p) {
		return &ArgumentError{Field: p.Field, Reason: p.Reason}
	}
	return err
}
