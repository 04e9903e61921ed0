package cli

import (
	"regexp"
	"strings"
	"testing"

	"github.com/spf13/cobra"
	"github.com/stretchr/testify/assert"
)

var flagWord = regexp.MustCompile(`(?:^|[\s(\[|'"])--([a-z][a-z-]*)`)

// Every flag a command's help names (its usage line, text and examples)
// is one the command it names takes: help that drifts from the flags
// fails here. In an example, each losant-tokens command line of a
// pipeline is checked against the command it runs.
func TestEachCommandsHelpNamesOnlyItsFlags(t *testing.T) {
	t.Parallel()
	root := newRoot(environment{getenv: func(string) string { return "" }})
	root.InitDefaultHelpFlag()
	root.InitDefaultVersionFlag()
	takes := func(cmd *cobra.Command, flag string) bool {
		return cmd.Flags().Lookup(flag) != nil || root.PersistentFlags().Lookup(flag) != nil || root.Flags().Lookup(flag) != nil
	}
	var walk func(cmd *cobra.Command)
	walk = func(cmd *cobra.Command) {
		t.Run(cmd.CommandPath(), func(t *testing.T) {
			for _, line := range strings.Split(cmd.Use+"\n"+cmd.Long+"\n"+cmd.Example, "\n") {
				for _, segment := range strings.Split(line, "|") {
					of := cmd
					if _, rest, found := strings.Cut(segment, "losant-tokens "); found {
						of = root
						for _, word := range strings.Fields(rest) {
							if sub, _, err := root.Find([]string{word}); err == nil && sub != root {
								of = sub
								break
							}
						}
					}
					for _, m := range flagWord.FindAllStringSubmatch(segment, -1) {
						assert.True(t, takes(of, m[1]), "%s's help names --%s, which %s does not take: %q", cmd.CommandPath(), m[1], of.CommandPath(), line)
					}
				}
			}
		})
		for _, sub := range cmd.Commands() {
			walk(sub)
		}
	}
	walk(root)
}
