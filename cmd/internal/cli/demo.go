package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"regexp"
	"strings"
)

// demoSteps are the command lines Demo runs, in order; {new} and
// {successor} stand for the IDs of the token the first step makes and of
// its successor in the rotation.
func demoSteps() [][]string {
	return [][]string{
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
}

var (
	idPattern        = regexp.MustCompile(`(?m)^id:\s+([0-9a-f]{24})$`)
	successorPattern = regexp.MustCompile(`--complete ([0-9a-f]{24})`)
)

// Demo runs losant-tokens' commands, as a user whose access token is
// secret, against the API at baseURL (cmd/losant-demo's fake), printing
// each command line and its table to out.
func Demo(ctx context.Context, baseURL, secret string, out io.Writer) error {
	fmt.Fprintf(out, "losant-tokens against the fake, as its user ($%s set):\n", tokenEnv)
	ids := map[string]string{}
	for _, step := range demoSteps() {
		args := make([]string, len(step))
		for i, a := range step {
			args[i] = strings.NewReplacer("{new}", ids["new"], "{successor}", ids["successor"]).Replace(a)
		}
		fmt.Fprintf(out, "\n$ losant-tokens %s\n", strings.Join(quoteArgs(args), " "))
		var buf strings.Builder
		code := run(ctx, append([]string{"--output", "table"}, args...), environment{
			getenv: func(k string) string {
				switch k {
				case tokenEnv:
					return secret
				case baseURLEnv:
					return baseURL
				}
				return ""
			},
			stdin: strings.NewReader(""), stdout: &buf, stderr: out,
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
