package losant

import (
	"context"
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

// Expiring iterates over the user's API tokens that expire before the
// given time, or already have (a token that never expires is not one), in
// opts' order, every page. It is built on All, and stops as it does.
//
//	for token, err := range client.UserAPIToken.Expiring(ctx, time.Now().AddDate(0, 0, 14), losant.APITokenListOptions{}) { ... }
func (s *UserAPITokenService) Expiring(ctx context.Context, before time.Time, opts APITokenListOptions, callOpts ...CallOption) iter.Seq2[*APIToken, error] {
	return expiringBefore(s.All(ctx, opts, callOpts...), before)
}

// Expiring iterates over an application's API tokens that expire before
// the given time, or already have, as UserAPITokenService.Expiring does.
func (s *ApplicationAPITokenService) Expiring(ctx context.Context, applicationID string, before time.Time, opts APITokenListOptions, callOpts ...CallOption) iter.Seq2[*APIToken, error] {
	return expiringBefore(s.All(ctx, applicationID, opts, callOpts...), before)
}
