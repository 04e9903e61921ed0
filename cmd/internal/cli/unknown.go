package cli

import (
	"errors"
	"fmt"

	"github.com/spf13/cobra"

	"github.com/specdriven/losant"
)

// noCommandArgs refuses an argument to a command that takes none but has
// subcommands: it is an unknown command (exit 2), named only if it looks
// like one.
func noCommandArgs(cmd *cobra.Command, args []string) error {
	if len(args) > 0 {
		return usageError{fmt.Errorf("unknown command %s: run %s --help for the commands", mention(args[0], commandLike), cmd.CommandPath())}
	}
	return nil
}

// refuseUnknownCommands makes cobra's own commands, help and completion,
// refuse an unknown command as the others do (exit 2), where cobra prints
// help or "Unknown help topic" and exits 0.
func refuseUnknownCommands(root *cobra.Command) {
	root.InitDefaultHelpCmd()
	root.InitDefaultCompletionCmd()
	for _, cmd := range root.Commands() {
		switch cmd.Name() {
		case "help":
			cmd.Run = nil
			cmd.RunE = func(cmd *cobra.Command, args []string) error {
				topic, rest, err := cmd.Root().Find(args)
				if topic == nil || err != nil || len(rest) > 0 {
					return usageError{fmt.Errorf("unknown help topic %s: run losant-tokens --help for the commands", mention(args[len(args)-1], commandLike))}
				}
				topic.InitDefaultHelpFlag()
				topic.InitDefaultVersionFlag()
				return topic.Help()
			}
		case "completion":
			cmd.Args = noCommandArgs
			cmd.RunE = func(cmd *cobra.Command, _ []string) error { return cmd.Help() }
			for _, shell := range cmd.Commands() {
				shell.Args = noCommandArgs // cobra.NoArgs would quote the argument: a pasted secret
			}
		}
	}
}

// advice is what to do about err, when its text does not say it: an
// https base URL whose server speaks plain HTTP is a wrong URL (exit 2),
// not a network that may recover.
func advice(err error) string {
	if errors.Is(err, losant.ErrServerNotTLS) {
		return " (the base URL says https://, but its server speaks plain HTTP or no TLS: fix the URL's scheme or port)"
	}
	return ""
}
