package cli

import (
	"errors"
	"fmt"
	"strings"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/specdriven/losant"
	"github.com/specdriven/losant/gen"
	"github.com/specdriven/losant/internal/shipped/limits"
)

// exactArgs is cobra.ExactArgs, as a usage error.
func exactArgs(n int) cobra.PositionalArgs { return usageArgs(cobra.ExactArgs(n)) }

// minArgs is cobra.MinimumNArgs, as a usage error.
func minArgs(n int) cobra.PositionalArgs { return usageArgs(cobra.MinimumNArgs(n)) }

// maxArgs is cobra.MaximumNArgs, as a usage error.
func maxArgs(n int) cobra.PositionalArgs { return usageArgs(cobra.MaximumNArgs(n)) }

func usageArgs(check cobra.PositionalArgs) cobra.PositionalArgs {
	return func(cmd *cobra.Command, args []string) error {
		if err := check(cmd, args); err != nil {
			return usageError{err}
		}
		return nil
	}
}

// apiFlags are the global flags (all of them: only a command calling the
// API reads them).
func apiFlags(cmd *cobra.Command) []string {
	var names []string
	cmd.Root().PersistentFlags().VisitAll(func(f *pflag.Flag) { names = append(names, f.Name) })
	return names
}

// offline starts a command that calls no API: it refuses the global flags,
// which it would ignore, before fn runs.
func offline(fn func(cmd *cobra.Command, args []string) error) func(*cobra.Command, []string) error {
	return func(cmd *cobra.Command, args []string) error {
		if err := notFor(cmd, apiFlags(cmd)...); err != nil {
			return err
		}
		return fn(cmd, args)
	}
}

// notFor refuses any of flags given to cmd, which would ignore it: a flag
// that does not apply is a mistake to report, not to pass over.
func notFor(cmd *cobra.Command, flags ...string) error {
	for _, f := range flags {
		if cmd.Flags().Changed(f) {
			return usageError{fmt.Errorf("--%s does not apply to %s", f, cmd.CommandPath())}
		}
	}
	return nil
}

// tokenFields are the flags create and patch share.
type tokenFields struct {
	name, description, status, defaultRole string
}

func (f *tokenFields) register(cmd *cobra.Command) {
	cmd.Flags().StringVar(&f.name, "name", "", fmt.Sprintf("the token's name (1 to %d characters)", limits.MaxNameLength))
	cmd.Flags().StringVar(&f.description, "description", "", "the token's description")
	cmd.Flags().StringVar(&f.status, "status", "", oneOf(names(gen.APITokenStatusValues())))
	cmd.Flags().StringVar(&f.defaultRole, "default-role", "", oneOf(names(gen.APITokenRoleValues())))
	_ = cmd.RegisterFlagCompletionFunc("status", fixedCompletions(names(gen.APITokenStatusValues())...))
	_ = cmd.RegisterFlagCompletionFunc("default-role", fixedCompletions(names(gen.APITokenRoleValues())...))
}

// check refuses a --status or --default-role the API does not know,
// before anything is sent.
func (f *tokenFields) check() error {
	if err := errors.Join(checkOneOf("status", f.status, names(gen.APITokenStatusValues())), checkOneOf("default-role", f.defaultRole, names(gen.APITokenRoleValues()))); err != nil {
		return usageError{err}
	}
	return nil
}

// given returns the fields set on the command line, as a patch: a flag not
// given is nil, and so left to the API.
func (f *tokenFields) given(cmd *cobra.Command) gen.APITokenPatch {
	var p gen.APITokenPatch
	flags := cmd.Flags()
	if flags.Changed("name") {
		p.Name = &f.name
	}
	if flags.Changed("description") {
		p.Description = &f.description
	}
	if flags.Changed("status") {
		p.Status = losant.Ptr(gen.APITokenStatus(f.status))
	}
	if flags.Changed("default-role") {
		p.DefaultRole = losant.Ptr(gen.APITokenRole(f.defaultRole))
	}
	return p
}

// checkLimit refuses a --limit below 0 (0: no limit).
func checkLimit(limit int) error {
	if limit < 0 {
		return usageError{fmt.Errorf("--limit %d: want 1 or more (0 for all)", limit)}
	}
	return nil
}

// oneOf lists values for help: "a, b or c".
func oneOf(values []string) string {
	if len(values) < 2 {
		return strings.Join(values, "")
	}
	return strings.Join(values[:len(values)-1], ", ") + " or " + values[len(values)-1]
}

// refuseEmpty refuses a flag given with an empty value, which would
// silently read as not given (--secret-file ” would print the secret).
func refuseEmpty(cmd *cobra.Command, name string) error {
	if f := cmd.Flags().Lookup(name); f != nil && f.Changed && f.Value.String() == "" {
		return usageError{fmt.Errorf("--%s is empty: give a value, or leave the flag out", name)}
	}
	return nil
}
