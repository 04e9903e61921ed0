package cli

import (
	"github.com/spf13/cobra"

	"github.com/specdriven/losant/internal/shipped/wire"
)

func scopesCommand() *cobra.Command {
	var match string
	return &cobra.Command{
		Use:     "scopes [PATTERN]",
		Short:   "List the scopes a token may hold, as the API's spec names them",
		Example: "  losant-tokens scopes\n  losant-tokens scopes 'all.*'",
		Args:    maxArgs(1),
		RunE: offline(func(cmd *cobra.Command, args []string) error {
			if len(args) == 1 {
				match = args[0]
				if err := checkPatterns("PATTERN", args); err != nil {
					return err
				}
			}
			var matched []string
			for _, s := range wire.APITokenScopes() {
				if match == "" || matchesAny(s, []string{match}) {
					matched = append(matched, s)
				}
			}
			return lines(cmd.OutOrStdout(), matched...)
		}),
	}
}
