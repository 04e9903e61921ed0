package main

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
)

// environment is what a run reads and writes, so that tests and the demo
// can run the commands without a process of their own.
type environment struct {
	getenv                 func(string) string
	stdin                  io.Reader
	stdout, stderr         io.Writer
	tty                    bool // stdout is a terminal: tables, and rotate may ask
	extraOpts              []losant.Option
	defaultBaseURLOverride string // the demo's fake
}

// tokenEnv is the environment variable holding the access token.
const tokenEnv = "LOSANT_API_TOKEN"

// globals are the flags every command takes.
type globals struct {
	application string
	instance    string
	tokenFile   string
	domain      string
	baseURL     string
	timeout     time.Duration
	output      string
}

// run runs one command line and returns the process's exit status.
func run(ctx context.Context, args []string, env environment) int {
	root := newRoot(env)
	root.SetArgs(args)
	root.SetIn(env.stdin)
	root.SetOut(env.stdout)
	root.SetErr(env.stderr)
	err := root.ExecuteContext(ctx)
	if err != nil {
		fmt.Fprintln(env.stderr, "losant-tokens:", err)
	}
	return exitCode(err)
}

func newRoot(env environment) *cobra.Command {
	g := &globals{}
	root := &cobra.Command{
		Use:   "losant-tokens",
		Short: "Manage Losant API tokens: the user's own, an application's or an instance's",
		Long: `Manage Losant API tokens: the user's own (/me/tokens), an application's with
--application, or an Enterprise instance's with --instance. The access token comes from $` + tokenEnv + ` or --token-file,
never from a flag value. Output is a table on a terminal and JSON otherwise.

Exit status: 0 done; 1 another failure; 2 bad input (flags, arguments, a 400,
no access token); 3 not found; 4 unauthorized or forbidden; 5 transient
(429, 5xx, network, timeout): try again.`,
		SilenceUsage:  true,
		SilenceErrors: true,
	}
	root.SetFlagErrorFunc(func(_ *cobra.Command, err error) error { return usageError{err} })
	f := root.PersistentFlags()
	f.StringVarP(&g.application, "application", "a", "", "act on this application's tokens instead of the user's")
	f.StringVarP(&g.instance, "instance", "i", "", "act on this Enterprise instance's tokens instead of the user's")
	f.StringVar(&g.tokenFile, "token-file", "", "read the access token from this file instead of $"+tokenEnv)
	f.StringVar(&g.domain, "domain", "", "the losantdomain header (rarely needed)")
	f.StringVar(&g.baseURL, "base-url", "", "the API's base URL (default "+losant.DefaultBaseURL+")")
	f.DurationVar(&g.timeout, "timeout", losant.DefaultTimeout, "how long each attempt of a call may take")
	f.StringVarP(&g.output, "output", "o", "", "table or json (default: table on a terminal, json otherwise)")

	c := &commands{env: env, g: g}
	root.AddCommand(c.get(), c.list(), c.create(), c.patch(), c.remove(), c.rotate(), c.expiring(), demoCommand(env))
	return root
}

// commands builds the subcommands over the shared flags.
type commands struct {
	env environment
	g   *globals
}

// client makes the API client from the flags and the environment.
func (c *commands) client() (*losant.Client, error) {
	token, err := c.accessToken()
	if err != nil {
		return nil, err
	}
	opts := []losant.Option{losant.WithTimeout(c.g.timeout), losant.WithUserAgent("losant-tokens")}
	baseURL := c.g.baseURL
	if baseURL == "" {
		baseURL = c.env.defaultBaseURLOverride
	}
	if baseURL != "" {
		opts = append(opts, losant.WithBaseURL(baseURL))
	}
	if c.g.domain != "" {
		opts = append(opts, losant.WithDomain(c.g.domain))
	}
	client, err := losant.NewClient(token, append(opts, c.env.extraOpts...)...)
	if err != nil {
		return nil, usageError{err}
	}
	return client, nil
}

// accessToken reads the token from --token-file, or from the environment.
func (c *commands) accessToken() (string, error) {
	if c.g.tokenFile != "" {
		raw, err := os.ReadFile(c.g.tokenFile)
		if err != nil {
			return "", usageError{fmt.Errorf("--token-file: %w", err)}
		}
		token := strings.TrimSpace(string(raw))
		if token == "" {
			return "", usageError{fmt.Errorf("--token-file %s is empty", c.g.tokenFile)}
		}
		return token, nil
	}
	if token := strings.TrimSpace(c.env.getenv(tokenEnv)); token != "" {
		return token, nil
	}
	return "", usageError{errors.New("no access token: set $" + tokenEnv + " or give --token-file")}
}

// printer is the output the flags ask for.
func (c *commands) printer() (printer, error) {
	switch c.g.output {
	case "":
		return printer{w: c.env.stdout, json: !c.env.tty}, nil
	case "json":
		return printer{w: c.env.stdout, json: true}, nil
	case "table":
		return printer{w: c.env.stdout}, nil
	}
	return printer{}, usageError{fmt.Errorf("--output %q: want table or json", c.g.output)}
}

// action runs fn, a command's work, with the token actions of the owner
// and the printer its flags select.
func (c *commands) action(fn func(ctx context.Context, tokens losant.APITokenService, p printer, args []string) error) func(*cobra.Command, []string) error {
	return func(cmd *cobra.Command, args []string) error {
		tokens, p, err := c.setup()
		if err != nil {
			return err
		}
		return fn(cmd.Context(), tokens, p, args)
	}
}

// setup makes the client, the owner's token actions and the printer of a
// command.
func (c *commands) setup() (losant.APITokenService, printer, error) {
	p, err := c.printer()
	if err != nil {
		return losant.APITokenService{}, p, err
	}
	owner, err := c.owner()
	if err != nil {
		return losant.APITokenService{}, p, err
	}
	client, err := c.client()
	if err != nil {
		return losant.APITokenService{}, p, err
	}
	return client.APITokens(owner), p, nil
}

// owner is the owner the flags select: an application, an instance, or
// the user when neither is given.
func (c *commands) owner() (losant.Owner, error) {
	switch app, instance := c.g.application, c.g.instance; {
	case app != "" && instance != "":
		return losant.Owner{}, usageError{errors.New("--application and --instance name two owners: give one")}
	case app != "":
		return losant.Application(app), nil
	case instance != "":
		return losant.Instance(instance), nil
	}
	return losant.User(), nil
}

// ownerFlag is the flag that selects the owner again, for a command line
// the user is told to run next; empty for the user.
func (c *commands) ownerFlag() string {
	switch {
	case c.g.application != "":
		return " --application " + c.g.application
	case c.g.instance != "":
		return " --instance " + c.g.instance
	}
	return ""
}
