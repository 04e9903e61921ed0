package cli

import (
	"context"
	"errors"
	"fmt"
	"regexp"
	"strings"

	"github.com/spf13/cobra"

	"github.com/specdriven/losant"
)

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
