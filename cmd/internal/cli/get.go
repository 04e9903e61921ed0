package cli

import (
	"github.com/spf13/cobra"
)

func (c *commands) get() *cobra.Command {
	return &cobra.Command{
		Use:               "get TOKEN_ID",
		Short:             "Show one API token",
		Example:           "  losant-tokens get 5a1f0e3b7ae143cd83dc4b02\n  losant-tokens -a 575ec8687ae143cd83dc4a97 get 575ec7417ae143cd83dc4a95 -o json",
		Args:              exactArgs(1),
		ValidArgsFunction: c.completeTokenIDs,
		RunE: c.action(func(cmd *cobra.Command, s session, args []string) error {
			ctx, tokens, p := cmd.Context(), s.tokens(), s.out
			if err := checkIDs("", args); err != nil {
				return err
			}
			t, err := tokens.Get(ctx, args[0])
			if err != nil {
				return err
			}
			return p.token(t, "")
		}),
	}
}
