package cli

import (
	"errors"
	"fmt"
	"strings"

	"github.com/spf13/cobra"
)

func (c *commands) remove() *cobra.Command {
	var yes bool
	cmd := &cobra.Command{
		Use:   "delete TOKEN_ID...",
		Short: "Delete API tokens",
		Long: `Delete deletes each token given. With several, each is reported, and the exit
status is the highest of the failures'. When stdin or stdout is a terminal
(delete ID > log at a shell included) it asks first, unless --yes.`,
		Example: `  losant-tokens delete 5a1f0e3b7ae143cd83dc4b02
  losant-tokens list --filter-field status --filter inactive -o ids | xargs -r losant-tokens delete --yes --`,
		Args:              minArgs(1),
		ValidArgsFunction: c.completeTokenIDs,
		RunE: c.action(func(cmd *cobra.Command, s session, args []string) error {
			ctx, tokens, p := cmd.Context(), s.tokens(), s.out
			if err := checkIDs("", args); err != nil {
				return err // before the prompt, which would show it
			}
			if !yes && (c.env.tty || c.env.stdinTTY) {
				ok, err := c.ask(ctx, fmt.Sprintf("Delete %d token(s): %s? [y/N]: ", len(args), strings.Join(args, ", ")))
				if err != nil {
					return fmt.Errorf("interrupted at the question (%w): nothing was deleted", err)
				}
				if !ok {
					return errNotConfirmed
				}
			}
			var deleted []string
			failed := c.eachID(args, "delete", func(id string) error {
				err := tokens.Delete(ctx, id)
				if err == nil {
					deleted = append(deleted, id)
				}
				return err
			})
			if err := p.deleted(deleted); err != nil {
				return errors.Join(c.outputLost(err, false, "deleted: "+strings.Join(deleted, ", "), "nothing is left to do"), failed)
			}
			return failed
		}),
	}
	cmd.Flags().BoolVar(&yes, "yes", false, "delete without asking, on a terminal too")
	return cmd
}
