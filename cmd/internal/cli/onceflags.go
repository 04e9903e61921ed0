package cli

import (
	"fmt"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"
)

// countedValue is a flag's value that counts how often it was set: pflag
// lets a second value of a single-value flag silently replace the first
// (`--deliver-file A --deliver-file B` would deliver to B alone).
type countedValue struct {
	pflag.Value
	sets int
}

func (v *countedValue) Set(s string) error {
	v.sets++
	return v.Value.Set(s)
}

// countSingleValueFlags makes every flag of cmd and its subcommands that
// takes one value count its values; a flag that takes several (a
// pflag.SliceValue: --application, --scope) is left as it is.
func countSingleValueFlags(cmd *cobra.Command) {
	count := func(f *pflag.Flag) {
		_, several := f.Value.(pflag.SliceValue)
		if _, counted := f.Value.(*countedValue); !several && !counted {
			f.Value = &countedValue{Value: f.Value}
		}
	}
	cmd.PersistentFlags().VisitAll(count)
	cmd.Flags().VisitAll(count)
	for _, sub := range cmd.Commands() {
		countSingleValueFlags(sub)
	}
}

// refuseRepeatedFlags refuses a single-value flag given more than once,
// before the command runs. It is checked here, not in Set, since
// completion parses the flags twice.
func refuseRepeatedFlags(cmd *cobra.Command) error {
	var err error
	cmd.Flags().VisitAll(func(f *pflag.Flag) {
		if v, ok := f.Value.(*countedValue); ok && v.sets > 1 && err == nil {
			err = usageError{fmt.Errorf("--%s is given twice: it takes one value, and a second would silently replace the first; give it once", f.Name)}
		}
	})
	return err
}
