package losant

import (
	"errors"

	"github.com/specdriven/losant/internal/shipped/checks"
)

// argumentError is err, a refusal of package checks, as the
// *ArgumentError callers match; any other error as it is.
func argumentError(err error) error {
	if err == nil {
		return nil // before errors.As, whose target would cost an allocation per call
	}
	var p *checks.Problem
	if errors.As(err, &p) {
		return &ArgumentError{Field: p.Field, Reason: p.Reason}
	}
	return err
}
