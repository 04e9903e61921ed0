package cli

import (
	"context"
	"errors"
	"fmt"
	"iter"

	"github.com/spf13/cobra"

	"github.com/specdriven/losant"
	"github.com/specdriven/losant/gen"
)

// listFlags are the flags that select and order the tokens list prints.
type listFlags struct {
	sort, filter, filterField string
	desc                      bool
	perPage, limit            int
}

func (l *listFlags) register(cmd *cobra.Command) {
	f := cmd.Flags()
	f.StringVar(&l.sort, "sort", "", "sort by "+oneOf(names(gen.APITokenSortFieldValues()))+" (default id: the order they were made)")
	f.BoolVar(&l.desc, "desc", false, "sort in descending order")
	f.StringVar(&l.filter, "filter", "", `keep the tokens whose field matches; "*" matches any run of characters`)
	f.StringVar(&l.filterField, "filter-field", "", "the field --filter applies to: "+oneOf(names(gen.APITokenFilterFieldValues()))+" (default name)")
	f.IntVar(&l.perPage, "per-page", 0, fmt.Sprintf("the most tokens a request asks for, %d to %d (default 100); each read overlaps the one before within it", losant.MinAllPerPage, losant.MaxPerPage))
	f.IntVar(&l.limit, "limit", 0, "print at most this many tokens (default all)")
	_ = cmd.RegisterFlagCompletionFunc("sort", fixedCompletions(names(gen.APITokenSortFieldValues())...))
	_ = cmd.RegisterFlagCompletionFunc("filter-field", fixedCompletions(names(gen.APITokenFilterFieldValues())...))
}

func (l *listFlags) options() (losant.APITokenListOptions, error) {
	if err := errors.Join(checkLimit(l.limit), checkOneOf("sort", l.sort, names(gen.APITokenSortFieldValues())),
		checkOneOf("filter-field", l.filterField, names(gen.APITokenFilterFieldValues()))); err != nil {
		return losant.APITokenListOptions{}, usageError{err}
	}
	if l.perPage != 0 && (l.perPage < losant.MinAllPerPage || l.perPage > losant.MaxPerPage) {
		return losant.APITokenListOptions{}, usageError{fmt.Errorf("--per-page %d: want %d to %d (0 for the API's default): smaller pages cannot overlap the one before", l.perPage, losant.MinAllPerPage, losant.MaxPerPage)}
	}
	if l.filterField != "" && l.filter == "" {
		return losant.APITokenListOptions{}, usageError{errors.New("--filter-field without --filter: give the --filter it applies to")}
	}
	opts := losant.APITokenListOptions{
		SortField: gen.APITokenSortField(l.sort), Filter: l.filter,
		FilterField: gen.APITokenFilterField(l.filterField), PerPage: l.perPage,
	}
	if l.desc {
		opts.SortDirection = gen.SortDirectionDesc
	}
	return opts, nil
}

// printAll prints what tokens yields as it comes, up to limit (0: all),
// or empty when there is none.
func printAll(p printer, tokens func(yield func(*gen.APIToken, error) bool), limit int, keep func(*gen.APIToken) bool, empty string) error {
	out := p.stream()
	for t, err := range tokens {
		if err != nil {
			return err
		}
		if !keep(t) {
			continue
		}
		if err := out.add(t); err != nil {
			return err
		}
		if limit > 0 && out.n >= limit {
			break
		}
	}
	return out.end(empty)
}

// every keeps every token.
func every(*gen.APIToken) bool { return true }

func (c *commands) list() *cobra.Command {
	var (
		l  listFlags
		sw sweepFlags
	)
	cmd := &cobra.Command{
		Use:   "list",
		Short: "List API tokens, every page, sorted and filtered",
		Example: `  losant-tokens list
  losant-tokens list --filter 'ci-*' --sort expirationDate
  losant-tokens list --filter-field status --filter inactive -o ids | xargs -r losant-tokens delete --yes --
  losant-tokens list --all-owners --filter-field status --filter inactive -o ids | xargs -r -L1 losant-tokens delete --yes`,
		Args: exactArgs(0),
		RunE: c.sweepAction(&sw, func(cmd *cobra.Command, s session, _ []string) error {
			ctx, tokens, p := cmd.Context(), s.tokens(), s.out
			opts, err := l.options()
			if err != nil {
				return err
			}
			if sw.allOwners {
				all := func(ctx context.Context, t losant.APITokenService) iter.Seq2[*gen.APIToken, error] {
					return t.All(ctx, opts)
				}
				return c.sweepTokens(ctx, s, *sw.concurrency, all, every, l.limit, "no tokens")
			}
			return printAll(p, tokens.All(ctx, opts), l.limit, every, "no tokens")
		}),
	}
	l.register(cmd)
	c.registerSweep(cmd, &sw)
	return cmd
}
