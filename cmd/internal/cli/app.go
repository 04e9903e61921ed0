// Package cli is losant-tokens: its commands, their flags, checks and
// output. cmd/losant-tokens runs Main; cmd/losant-demo runs Demo against
// a fake. It links neither the fake nor anything that imports testing, so
// the released binary carries neither.
package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/specdriven/losant"
	"github.com/specdriven/losant/rotation"
)

// environment is what a run reads and writes, so that tests and the demo
// can run the commands without a process of their own.
type environment struct {
	getenv         func(string) string
	stdin          io.Reader
	stdout, stderr io.Writer
	tty            bool // stdout is a terminal: tables, and rotate and delete may ask
	stdinTTY       bool // stdin is a terminal: delete asks, and --token-file - prompts
	discards       bool // stdout is /dev/null (or was closed, which Go reopens as it): a secret there is lost
	now            func() time.Time
	extraOpts      []losant.Option
	// readHidden reads a line from the terminal that is stdin, with echo
	// off, after prompt; nil when stdin is no terminal.
	readHidden func(ctx context.Context, prompt string) (string, error)
	// tokenCommandTimeout bounds --token-command; 0: tokenCommandTimeout.
	tokenCommandTimeout time.Duration
	// openTTY opens the terminal (/dev/tty) for a question, when stdin
	// is one and stdout is not; nil: the question goes to stderr.
	openTTY func() (io.WriteCloser, error)
	// hide hides, in every message, what the operator may have pasted a
	// secret into (the base URL's path), and the access token in all the
	// CLI prints. run makes it.
	hide *hider
}

// The environment variables the command reads.
const (
	tokenEnv   = "LOSANT_API_TOKEN" // the access token
	baseURLEnv = "LOSANT_BASE_URL"  // the API's base URL, when --base-url is not given
)

// The bounds of --timeout: an attempt shorter than 100 ms cannot succeed
// beyond loopback, and one longer than an hour is a hang.
const (
	minTimeout = 100 * time.Millisecond
	maxTimeout = time.Hour
)

// globals are the flags every command takes.
type globals struct {
	applications []string
	instances    []string
	tokenFile    string
	tokenCommand string
	domain       string
	baseURL      string
	insecureHTTP bool
	timeout      time.Duration
	output       string
	maxInFlight  int // --concurrency of a sweep (--all-owners); 0: no limit
}

// Main runs one command line of losant-tokens with the process's
// environment, and returns its exit status. tty says that stdout is a
// terminal. Main makes the process one that its children (--check,
// --deliver-command, --token-command) cannot read: see nonDumpable.
func Main(ctx context.Context, args []string, getenv func(string) string, stdin io.Reader, stdout, stderr io.Writer, tty bool) int {
	env := environment{getenv: getenv, stdin: stdin, stdout: stdout, stderr: stderr, tty: tty, discards: isDevNull(stdout)}
	if err := nonDumpable(); err != nil {
		env.warnf("warning: the commands this runs may read the access token from it: %s", safe(err.Error()))
	}
	if f, ok := stdin.(*os.File); ok && isTerminal(f) {
		env.stdinTTY = true
		env.openTTY = func() (io.WriteCloser, error) { return os.OpenFile("/dev/tty", os.O_WRONLY, 0) }
		env.readHidden = func(ctx context.Context, prompt string) (string, error) { return readHidden(ctx, f, stderr, prompt) }
	}
	return run(ctx, args, env)
}

// isDevNull reports whether w is /dev/null: what a closed stdout becomes,
// since Go reopens a closed standard descriptor on it.
func isDevNull(w io.Writer) bool {
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	info, err := f.Stat()
	if err != nil {
		return false
	}
	null, err := os.Stat(os.DevNull)
	return err == nil && os.SameFile(info, null)
}

// run runs one command line and returns the process's exit status.
func run(ctx context.Context, args []string, env environment) int {
	if env.now == nil {
		env.now = time.Now
	}
	if env.hide == nil {
		env.hide = &hider{}
	}
	root := newRoot(env)
	refuseUnknownCommands(root) // cobra's own commands, help and completion, made here
	countSingleValueFlags(root)
	root.SetArgs(args)
	root.SetIn(env.stdin)
	root.SetOut(env.stdout)
	root.SetErr(env.stderr)
	err := root.ExecuteContext(ctx)
	code := exitCode(err)
	if err != nil && code != exitClosedPipe { // the reader left: no one to tell, and nothing changed
		env.warnf("%s", safe(inCLIWords(err.Error()))+advice(err))
	}
	return code
}

func newRoot(env environment) *cobra.Command {
	g := &globals{}
	root := &cobra.Command{
		Use:   "losant-tokens",
		Short: "Manage Losant API tokens: the user's own, an application's or an instance's",
		Long: `Manage Losant API tokens: the user's own (/me/tokens), an application's with
--application, or an Enterprise instance's with --instance. The access token comes from $` + tokenEnv + `, --token-file
or --token-command, never from a flag value. Output is a table on a terminal and JSON otherwise. A
hint to run next names --base-url, --domain, --token-file and --token-command by placeholders
(BASE_URL, DOMAIN, TOKEN_FILE, TOKEN_COMMAND): fill them in.

` + exitStatusHelp(),
		Example: `  export LOSANT_API_TOKEN=...        # or --token-file PATH (- for stdin), or --token-command 'CMD'
  losant-tokens list
  losant-tokens -a 575ec8687ae143cd83dc4a97 create --name "Gateway 7" --scope all.Application --expires 90d
  losant-tokens rotate 5a1f0e3b7ae143cd83dc4b02
  losant-tokens expiring --within 2w
  losant-tokens audit -a 575ec8687ae143cd83dc4a97 --max-lifetime 90d   # exit 6 when it finds a token to fix`,
		Version:       version(),
		SilenceUsage:  true,
		SilenceErrors: true,
		Args:          noCommandArgs,
		RunE:          func(cmd *cobra.Command, _ []string) error { return cmd.Help() },
		PersistentPreRunE: func(cmd *cobra.Command, _ []string) error {
			g.applications, g.instances = distinct(g.applications), distinct(g.instances)
			return refuseRepeatedFlags(cmd)
		},
	}
	root.SetVersionTemplate("losant-tokens {{.Version}}\n")
	root.SetFlagErrorFunc(flagError)
	f := root.PersistentFlags()
	f.StringArrayVarP(&g.applications, "application", "a", nil, "act on this application's tokens instead of the user's")
	f.StringArrayVarP(&g.instances, "instance", "i", nil, "act on this Enterprise instance's tokens instead of the user's")
	f.StringVar(&g.tokenFile, "token-file", "", "read the access token from this file (- for stdin: a terminal prompts, without echo) instead of $"+tokenEnv)
	f.StringVar(&g.tokenCommand, "token-command", "", fmt.Sprintf("run this with sh -c and take the access token from its stdout (killed after %s), instead of $%s or --token-file", tokenCommandTimeout, tokenEnv))
	f.StringVar(&g.domain, "domain", "", "the losantdomain header, a hostname (rarely needed)")
	f.StringVar(&g.baseURL, "base-url", "", "the API's base URL (default $"+baseURLEnv+", or "+losant.DefaultBaseURL+")")
	f.BoolVar(&g.insecureHTTP, "insecure-http", false, "allow a plain http:// base URL to a host other than this one (the token travels unencrypted)")
	g.timeout = losant.DefaultTimeout
	f.Var(durationFlag{&g.timeout}, "timeout", fmt.Sprintf("how long each attempt of a call may take (%s to %s)", minTimeout, maxTimeout))
	f.StringVarP(&g.output, "output", "o", "", oneOf(formatNames())+" (default: table on a terminal, json otherwise)")
	_ = root.RegisterFlagCompletionFunc("output", fixedCompletions(formatNames()...))

	c := &commands{env: env, g: g, root: root}
	root.AddCommand(c.get(), c.list(), c.create(), c.patch(), c.remove(), c.rotate(), c.expiring(), c.audit(), c.retire(),
		scopesCommand(), versionCommand())
	return root
}

// flagError is a usage error for a flag that could not be parsed. A value
// the flag refuses is not echoed (pflag quotes it, twice): a secret may
// have been pasted in its place.
func flagError(cmd *cobra.Command, err error) error {
	if name, ok := strings.CutPrefix(err.Error(), "unknown flag: --"); ok && !commandLike(name) {
		return usageError{errors.New("unknown flag (not shown): losant-tokens --help lists the flags")}
	}
	if strings.HasPrefix(err.Error(), "unknown shorthand flag: ") { // pflag quotes the whole argument
		return usageError{errors.New("unknown shorthand flag (not shown): losant-tokens --help lists the flags")}
	}
	m := badFlagValue.FindStringSubmatch(err.Error())
	if m == nil {
		return usageError{err}
	}
	want := "a valid value"
	if f := cmd.Flags().Lookup(strings.TrimPrefix(m[1], "--")); f != nil {
		switch f.Value.Type() {
		case "duration":
			want = "a duration such as 90s, 12h, 14d or 2w"
		case "int":
			want = "a whole number"
		default:
			want = "a " + f.Value.Type()
		}
	}
	return usageError{fmt.Errorf("%s: invalid value: want %s", m[1], want)}
}

// eachID runs do for every ID, reports each failure on stderr, and returns
// the failures, whose exit status is the highest of theirs; nil if none.
func (c *commands) eachID(ids []string, verb string, do func(id string) error) error {
	var failures []error
	for _, id := range ids {
		if err := do(id); err != nil {
			c.env.warnf("%s %s: %s", verb, safe(id), safe(err.Error()))
			failures = append(failures, err)
		}
	}
	if len(failures) == 0 {
		return nil
	}
	return &partialFailure{verb: verb, of: len(ids), errs: failures}
}

// inCLIWords is a message of the library in the command line's words: its
// own "losant: " prefix dropped (the line says "losant-tokens:"), and the
// Go API's names for what to do given as the commands that do it.
func inCLIWords(msg string) string {
	return strings.NewReplacer(append([]string{"losant: ", ""}, goWords()...)...).Replace(msg)
}

// goWords are the library's phrases that name its Go API, each followed by
// the CLI's words for it. A test holds each phrase to the library's
// source, so that a reworded message cannot slip past untranslated.
func goWords() []string {
	return []string{
		"call Complete again", "run rotate --complete again",
		"read it with Get to know", "check it with get",
		"Give rotation.Options.ExpirationDate or NeverExpires.", "Give --expires or --never-expires.",
		fmt.Sprintf("less than MinSuccessorLifetime (%s) away", rotation.MinSuccessorLifetime), "less than an hour away",
	}
}

// flagGivenEmpty reports whether the global flag name was given with an
// empty value, which would silently mean "not given".
func (c *commands) flagGivenEmpty(name string) bool {
	f := c.root.PersistentFlags().Lookup(name)
	return f != nil && f.Changed && f.Value.String() == ""
}
