package losant

import (
	"iter"
	"time"
)

// expiringBefore keeps the tokens of all whose expiration date is before
// the given time, the already expired included; a token that never
// expires is never kept.
func expiringBefore(all iter.Seq2[*APIToken, error], before time.Time) iter.Seq2[*APIToken, error] {
	return func(yield func(*APIToken, error) bool) {
		for token, err := range all {
			if err != nil {
				yield(nil, err)
				return
			}
			if token.ExpirationDate != nil && token.ExpirationDate.Before(before) && !yield(token, nil) {
				return
			}
		}
	}
}
