package cli

import (
	"context"
	"slices"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/specdriven/losant"
	"github.com/specdriven/losant/gen"
	"github.com/specdriven/losant/internal/shipped/limits"
)

// fixedCompletions completes a flag's value from a fixed list.
func fixedCompletions(values ...string) cobra.CompletionFunc {
	return func(_ *cobra.Command, _ []string, prefix string) ([]cobra.Completion, cobra.ShellCompDirective) {
		var out []cobra.Completion
		for _, v := range values {
			if strings.HasPrefix(v, prefix) {
				out = append(out, v)
			}
		}
		return out, cobra.ShellCompDirectiveNoFileComp
	}
}

// completionTimeout bounds the API call that completes a token ID: a
// shell waiting on a Tab key must not hang.
const completionTimeout = 3 * time.Second

// completeTokenIDs completes a token ID from the first page of the owner's
// tokens, with each token's name as its description; nothing when the API
// cannot be reached in time.
func (c *commands) completeTokenIDs(cmd *cobra.Command, _ []string, prefix string) ([]cobra.Completion, cobra.ShellCompDirective) {
	// In completion, cobra parses the flags twice, and an array flag
	// appends: "-a APP" reads as APP given twice.
	c.g.applications, c.g.instances = slices.Compact(c.g.applications), slices.Compact(c.g.instances)
	s, err := c.session(cmd.Context(), c.oneOwner)
	if err != nil {
		return nil, cobra.ShellCompDirectiveNoFileComp | cobra.ShellCompDirectiveError
	}
	tokens := s.tokens()
	ctx, cancel := context.WithTimeout(cmd.Context(), completionTimeout)
	defer cancel()
	page, err := tokens.List(ctx, losant.APITokenListOptions{SortField: gen.APITokenSortFieldName})
	if err != nil {
		return nil, cobra.ShellCompDirectiveNoFileComp | cobra.ShellCompDirectiveError
	}
	var out []cobra.Completion
	for _, t := range page.Items {
		// Only an API ID is offered: a newline would add candidates, a
		// control sequence drive the terminal, a flag change the command.
		if limits.ObjectIDProblem(t.ID) == "" && strings.HasPrefix(t.ID, prefix) {
			out = append(out, cobra.CompletionWithDesc(t.ID, safe(t.Name)))
		}
	}
	return out, cobra.ShellCompDirectiveNoFileComp
}
