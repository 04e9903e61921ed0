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
	"regexp"
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

// commands builds the subcommands over the shared flags.
type commands struct {
	env  environment
	g    *globals
	root *cobra.Command // for the global flags' state
}

// client makes the API client from the flags and the environment. The
// flags are checked before the access token is read: a --token-command
// is not run, nor a terminal asked, for a command line that is refused.
func (c *commands) client(ctx context.Context) (*losant.Client, error) {
	if c.g.timeout < minTimeout || c.g.timeout > maxTimeout {
		return nil, usageError{fmt.Errorf("--timeout: want %s to %s for each attempt (default %s)", minTimeout, maxTimeout, losant.DefaultTimeout)}
	}
	if c.flagGivenEmpty("token-file") {
		return nil, usageError{errors.New("--token-file is empty: give a file's path, or - for stdin, or leave the flag out for $" + tokenEnv)}
	}
	if c.flagGivenEmpty("token-command") {
		return nil, usageError{errors.New("--token-command is empty: give a command, or leave the flag out")}
	}
	if err := checkDomain(c.g.domain, c.root.PersistentFlags().Changed("domain")); err != nil {
		return nil, err
	}
	baseURL := c.baseURL()
	c.env.hide.baseURL(baseURL)
	token, err := c.accessToken(ctx)
	if err != nil {
		return nil, err
	}
	c.env.hide.accessToken(token)
	opts := []losant.Option{losant.WithTimeout(c.g.timeout), losant.WithUserAgent("losant-tokens")}
	if baseURL != "" {
		opts = append(opts, losant.WithBaseURL(baseURL))
	}
	if c.g.insecureHTTP {
		opts = append(opts, losant.WithInsecureHTTP())
	}
	if c.g.domain != "" {
		opts = append(opts, losant.WithDomain(c.g.domain))
	}
	if c.g.maxInFlight > 0 {
		opts = append(opts, losant.WithTransportWrapper(limitInFlight(c.g.maxInFlight)))
	}
	client, err := losant.NewClient(token, append(opts, c.env.extraOpts...)...)
	if errors.Is(err, losant.ErrPlainHTTP) {
		return nil, usageError{errors.New("--base-url: plain http to a host other than this machine would send the access token unencrypted: use https, or --insecure-http on a network you trust")}
	}
	if err != nil { // in the CLI's words: its flags, not the library's options
		return nil, usageError{errors.New(strings.NewReplacer("losant: NewClient: base URL", "--base-url", "losant: NewClient: ", "").Replace(err.Error()))}
	}
	return client, nil
}

// baseURL is the API's base URL the flags and environment name; empty
// for the library's default.
func (c *commands) baseURL() string {
	switch {
	case c.g.baseURL != "":
		return c.g.baseURL
	case c.env.getenv(baseURLEnv) != "":
		return c.env.getenv(baseURLEnv)
	}
	return ""
}

// accessToken reads the token from --token-file, --token-command or the
// environment, each as a token file is read (tokenFrom). --token-command
// is refused beside either of the others: it is meant to keep the token
// out of both, and one of them would be silently ignored.
func (c *commands) accessToken(ctx context.Context) (string, error) {
	if c.g.tokenCommand != "" && (c.g.tokenFile != "" || c.env.getenv(tokenEnv) != "") {
		return "", usageError{errors.New("--token-command is given with --token-file or $" + tokenEnv + ": give one source of the access token (unset $" + tokenEnv + ")")}
	}
	switch {
	case c.g.tokenFile == "-" && c.env.readHidden != nil:
		return readTokenFromTerminal(ctx, c.env.readHidden)
	case c.g.tokenFile != "":
		return readAccessToken(c.g.tokenFile, c.env.stdin, c.env.warnf)
	case c.g.tokenCommand != "":
		return c.runTokenCommand(ctx)
	}
	if raw := c.env.getenv(tokenEnv); raw != "" {
		return tokenFrom("$"+tokenEnv, "its value", []byte(raw))
	}
	return "", usageError{errors.New("no access token: set $" + tokenEnv + ", or give --token-file or --token-command")}
}

// printer is the output the flags ask for.
func (c *commands) printer() (printer, error) {
	p := printer{w: hidingWriter{localWriter{c.env.stdout}, c.env.hide}, now: c.env.now, hide: c.env.hide}
	if c.g.output == "" {
		p.format = formatTable
		if !c.env.tty {
			p.format = formatJSON
		}
		return p, nil
	}
	var ok bool
	if p.format, ok = parseFormat(c.g.output); !ok {
		return printer{}, usageError{errors.New("--output: want " + oneOf(formatNames()))}
	}
	return p, nil
}

// session is what a command works with once the global flags are read:
// the client, the owners the flags name, and the printer.
type session struct {
	client *losant.Client
	owners []losant.Owner
	out    printer
}

// tokens is the token actions of the session's one owner.
func (s session) tokens() losant.APITokenService { return s.client.APITokens(s.owners[0]) }

// action starts a command that calls the API for one owner: fn, its
// work, runs in a session of the one owner the flags name.
func (c *commands) action(fn func(cmd *cobra.Command, s session, args []string) error) func(*cobra.Command, []string) error {
	return c.actionOn(c.oneOwner, fn)
}

// actionOn is action for the owners owners returns: audit's several, or a
// sweep's (sweepAction), whose checks run before the client is made.
func (c *commands) actionOn(owners func() ([]losant.Owner, error), fn func(cmd *cobra.Command, s session, args []string) error) func(*cobra.Command, []string) error {
	return func(cmd *cobra.Command, args []string) error {
		s, err := c.session(cmd.Context(), owners)
		if err != nil {
			return err
		}
		return fn(cmd, s, args)
	}
}

// session reads the global flags into a session: the printer, the owners,
// the client. Nothing is sent.
func (c *commands) session(ctx context.Context, owners func() ([]losant.Owner, error)) (session, error) {
	p, err := c.printer()
	if err != nil {
		return session{}, err
	}
	os, err := owners()
	if err != nil {
		return session{}, err
	}
	client, err := c.client(ctx)
	if err != nil {
		return session{}, err
	}
	return session{client: client, owners: os, out: p}, nil
}

// oneOwner is the owner the flags select: an application, an instance, or
// the user when neither is given.
func (c *commands) oneOwner() ([]losant.Owner, error) {
	switch apps, instances := c.g.applications, c.g.instances; {
	case len(apps)+len(instances) > 1:
		return nil, usageError{errors.New("--application and --instance name more than one owner: give one (audit takes several)")}
	case len(apps) == 1:
		return []losant.Owner{losant.Application(apps[0])}, checkIDs("--application", apps)
	case len(instances) == 1:
		return []losant.Owner{losant.Instance(instances[0])}, checkIDs("--instance", instances)
	}
	return []losant.Owner{losant.User()}, nil
}

// rerun is the command line that runs args with the same API, domain,
// owner and token source as this run, to print for the user to run next.
// The values of --base-url, --domain, --token-file and --token-command
// are named by placeholders (BASE_URL, DOMAIN, TOKEN_FILE, TOKEN_COMMAND),
// since a secret may have been pasted into them: filled in, it works when
// pasted; left as they are, it sends nothing. It never holds the token.
func (c *commands) rerun(args ...string) string {
	line := []string{"losant-tokens"}
	if c.g.baseURL != "" {
		line = append(line, "--base-url", "BASE_URL")
	}
	if c.g.insecureHTTP {
		line = append(line, "--insecure-http")
	}
	if c.g.domain != "" {
		line = append(line, "--domain", "DOMAIN")
	}
	for _, app := range c.g.applications {
		line = append(line, "--application", app)
	}
	for _, instance := range c.g.instances {
		line = append(line, "--instance", instance)
	}
	switch {
	case c.g.tokenFile == "-":
		line = append(line, "--token-file", "-")
	case c.g.tokenFile != "":
		line = append(line, "--token-file", "TOKEN_FILE")
	case c.g.tokenCommand != "":
		line = append(line, "--token-command", "TOKEN_COMMAND")
	}
	words := append(line, args...)
	for i, w := range words {
		words[i] = shellQuote(w)
	}
	return safe(strings.Join(words, " "))
}

// badFlagValue matches pflag's error for a value its flag refuses, which
// quotes the value: `invalid argument "v" for "-x, --xx" flag: ...`.
var badFlagValue = regexp.MustCompile(`^invalid argument .* for "(?:-\w, )?(--[\w-]+)" flag: `)

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
