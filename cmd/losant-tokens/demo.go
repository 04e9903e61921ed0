package main

import (
	"errors"
	"fmt"
	"regexp"
	"strings"

	"github.com/spf13/cobra"

	"github.com/specdriven/losant"
	"github.com/specdriven/losant/losanttest"
)

// demoSecret is the access token of the demo's user.
const demoSecret = "lsnt_demo_user_secret"

// demoSteps are the command lines the demo runs, in order; {new} and {old}
// stand for the IDs of the token made by the first step, and of the
// successor of the rotation.
var demoSteps = [][]string{
	{"create", "--name", "CI deploys", "--scope", "all.User.read", "--expires", "240h"},
	{"list"},
	{"get", "{new}"},
	{"patch", "{new}", "--description", "used by the nightly deploy"},
	{"rotate", "{new}"},
	{"rotate", "{new}", "--complete", "{successor}"},
	{"expiring", "--within", "720h"},
	{"delete", "{new}"},
	{"get", "{new}"},
}

func demoCommand(env environment) *cobra.Command {
	return &cobra.Command{
		Use:   "demo",
		Short: "Run the commands against a built-in fake Losant API: no account needed",
		Args:  exactArgs(0),
		RunE: func(cmd *cobra.Command, _ []string) error {
			if err := notFor(cmd, apiFlags()...); err != nil {
				return err // the demo runs against its own fake, as its own user
			}
			return runDemo(cmd, env)
		},
	}
}

var (
	idPattern        = regexp.MustCompile(`(?m)^id:\s+([0-9a-f]{24})$`)
	successorPattern = regexp.MustCompile(`--complete ([0-9a-f]{24})`)
)

func runDemo(cmd *cobra.Command, env environment) error {
	srv, err := losanttest.NewServer(losanttest.WithFixtures(losanttest.Fixtures{
		Users: []losanttest.User{{ID: "575ed70c7ae143cd83dc4aa9", Email: "ada@example.com"}},
		Tokens: []losanttest.Token{{
			Name: "Ada's CLI", OwnerType: losant.APITokenOwnerTypeUser, OwnerID: "575ed70c7ae143cd83dc4aa9",
			Scope: []string{"all.User"}, Secret: demoSecret,
		}},
	}))
	if err != nil {
		return err
	}
	defer srv.Close()
	out := env.stdout
	fmt.Fprintf(out, "A fake Losant API runs at %s, with one user whose access token is in $%s.\n", srv.URL, tokenEnv)

	ids := map[string]string{}
	for _, step := range demoSteps {
		args := make([]string, len(step))
		for i, a := range step {
			args[i] = strings.NewReplacer("{new}", ids["new"], "{successor}", ids["successor"]).Replace(a)
		}
		fmt.Fprintf(out, "\n$ losant-tokens %s\n", strings.Join(quoteArgs(args), " "))
		var buf strings.Builder
		code := run(cmd.Context(), append([]string{"--output", "table"}, args...), environment{
			getenv: func(k string) string {
				if k == tokenEnv {
					return demoSecret
				}
				return ""
			},
			stdin: strings.NewReader(""), stdout: &buf, stderr: out,
			defaultBaseURLOverride: srv.URL,
		})
		fmt.Fprint(out, buf.String())
		if code != exitOK {
			fmt.Fprintf(out, "(exit status %d)\n", code)
		}
		if ids["new"] == "" {
			if m := idPattern.FindStringSubmatch(buf.String()); m != nil {
				ids["new"] = m[1]
			}
		}
		if m := successorPattern.FindStringSubmatch(buf.String()); m != nil {
			ids["successor"] = m[1]
		}
	}
	if ids["new"] == "" {
		return errors.New("the demo's create made no token")
	}
	fmt.Fprintln(out, "\nThe last get fails with exit status 3: the token is gone.")
	return nil
}

// quoteArgs quotes the arguments that hold a space, for display.
func quoteArgs(args []string) []string {
	out := make([]string, len(args))
	for i, a := range args {
		if strings.ContainsAny(a, " '") {
			a = `"` + a + `"`
		}
		out[i] = a
	}
	return out
}
