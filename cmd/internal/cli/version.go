package cli

import (
	"runtime/debug"

	"github.com/spf13/cobra"

	"github.com/specdriven/losant"
)

// version describes the build from the information the Go toolchain puts
// in every binary: the module's version as the library reads it
// (losant.Version: a tag when installed with go install ...@v1.2.3,
// "(devel)" for a build from a checkout), and the commit and whether the
// tree had changes when it is known.
func version() string {
	info, ok := debug.ReadBuildInfo()
	if !ok {
		return "unknown (built without module information)"
	}
	v := losant.Version()
	var revision, modified string
	for _, s := range info.Settings {
		switch s.Key {
		case "vcs.revision":
			revision = s.Value
		case "vcs.modified":
			if s.Value == "true" {
				modified = ", modified"
			}
		}
	}
	if len(revision) > 12 {
		revision = revision[:12]
	}
	if revision != "" {
		v += " (commit " + revision + modified + ")"
	}
	return v + ", " + info.GoVersion
}

func versionCommand() *cobra.Command {
	return &cobra.Command{
		Use:     "version",
		Short:   "Print the version of losant-tokens, from its build information",
		Example: "  losant-tokens version\n  losant-tokens --version",
		Args:    exactArgs(0),
		RunE: offline(func(cmd *cobra.Command, _ []string) error {
			return lines(cmd.OutOrStdout(), "losant-tokens "+version())
		}),
	}
}
