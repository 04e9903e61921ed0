package cli

import (
	"errors"
	"strings"

	"github.com/specdriven/losant/gen"
	"github.com/spf13/cobra"
)

func (c *commands) patch() *cobra.Command {
	var fields tokenFields
	cmd := &cobra.Command{
		Use:   "patch TOKEN_ID... [--name NAME] [--description TEXT] [--status STATUS] [--default-role ROLE]",
		Short: "Change API tokens' name, description, status or default role",
		Long: `Patch changes each token given. With several, each is reported, and the exit
status is the highest of the failures'.`,
		Example: `  losant-tokens patch 5a1f0e3b7ae143cd83dc4b02 --description "nightly deploys"
  losant-tokens list --filter 'old-*' -o ids | xargs -r losant-tokens patch --status inactive --`,
		Args:              minArgs(1),
		ValidArgsFunction: c.completeTokenIDs,
		RunE: c.action(func(cmd *cobra.Command, s session, args []string) error {
			if err := fields.check(); err != nil {
				return err
			}
			patch := fields.given(cmd)
			if patch == (gen.APITokenPatch{}) {
				return usageError{errors.New("patch needs at least one of --name, --description, --status, --default-role")}
			}
			if err := checkIDs("", args); err != nil {
				return err
			}
			tokens, p := s.tokens(), s.out
			var patched []*gen.APIToken
			failed := c.eachID(args, "patch", func(id string) error {
				t, err := tokens.Patch(cmd.Context(), id, patch)
				if err == nil {
					patched = append(patched, t)
				}
				return err
			})
			if err := printPatched(p, patched, len(args) == 1 && failed == nil); err != nil {
				ids := make([]string, len(patched))
				for i, t := range patched {
					ids[i] = safe(t.ID)
				}
				return errors.Join(c.outputLost(err, false, "patched: "+strings.Join(ids, ", "), "nothing is left to do"), failed)
			}
			return failed
		}),
	}
	fields.register(cmd)
	return cmd
}

// printPatched prints the tokens a patch changed: one token's fields, or a
// list of them.
func printPatched(p printer, patched []*gen.APIToken, one bool) error {
	if one {
		return p.token(patched[0], "")
	}
	out := p.stream()
	for _, t := range patched {
		if err := out.add(t); err != nil {
			return err
		}
	}
	return out.end("no token was patched")
}
