package cli

import (
	"context"
	"iter"
	"time"

	"github.com/spf13/cobra"

	"github.com/specdriven/losant"
	"github.com/specdriven/losant/gen"
)

func (c *commands) expiring() *cobra.Command {
	var (
		within          = 14 * 24 * time.Hour
		includeInactive bool
		limit           int
		sw              sweepFlags
	)
	cmd := &cobra.Command{
		Use:   "expiring",
		Short: "List the active API tokens that expire within a window, or have expired",
		Example: `  losant-tokens expiring
  losant-tokens expiring --within 2w -o ids
  losant-tokens -a 575ec8687ae143cd83dc4a97 expiring --within 30d --include-inactive
  losant-tokens expiring --all-owners --within 30d`,
		Args: exactArgs(0),
		RunE: c.sweepAction(&sw, func(cmd *cobra.Command, s session, _ []string) error {
			ctx, tokens, p := cmd.Context(), s.tokens(), s.out
			if err := checkLimit(limit); err != nil {
				return err
			}
			before := c.env.now().Add(within)
			opts := losant.APITokenListOptions{SortField: gen.APITokenSortFieldExpirationDate}
			wanted := func(t *gen.APIToken) bool { return includeInactive || t.Status == gen.APITokenStatusActive }
			empty := "no token expires before " + timestamp(before)
			if sw.allOwners {
				expiring := func(ctx context.Context, t losant.APITokenService) iter.Seq2[*gen.APIToken, error] {
					return t.Expiring(ctx, before, opts)
				}
				return c.sweepTokens(ctx, s, *sw.concurrency, expiring, wanted, limit, empty)
			}
			return printAll(p, tokens.Expiring(ctx, before, opts), limit, wanted, empty)
		}),
	}
	cmd.Flags().Var(durationFlag{&within}, "within", "the window, from now: a duration such as 336h, 14d or 2w")
	cmd.Flags().BoolVar(&includeInactive, "include-inactive", false, "list inactive tokens too")
	cmd.Flags().IntVar(&limit, "limit", 0, "print at most this many tokens (default all)")
	c.registerSweep(cmd, &sw)
	return cmd
}
