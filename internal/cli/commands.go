package cli

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/specdriven/losant"
	"github.com/specdriven/losant/gen"
	"github.com/specdriven/losant/internal/wire"
)

func (c *commands) get() *cobra.Command {
	return &cobra.Command{
		Use:               "get TOKEN_ID",
		Short:             "Show one API token",
		Example:           "  losant-tokens get 5a1f0e3b7ae143cd83dc4b02\n  losant-tokens -a 575ec8687ae143cd83dc4a97 get 575ec7417ae143cd83dc4a95 -o json",
		Args:              exactArgs(1),
		ValidArgsFunction: c.completeTokenIDs,
		RunE: c.action(func(ctx context.Context, tokens losant.APITokenService, p printer, args []string) error {
			if err := checkIDs("", args); err != nil {
				return err
			}
			t, err := tokens.Get(ctx, args[0])
			if err != nil {
				return err
			}
			return p.token(t, "")
		}),
	}
}

// listFlags are the flags that select and order the tokens list prints.
type listFlags struct {
	sort, filter, filterField string
	desc                      bool
	perPage, limit            int
}

func (l *listFlags) register(cmd *cobra.Command) {
	f := cmd.Flags()
	f.StringVar(&l.sort, "sort", "", "sort by name, status, id, creationDate, lastUpdated or expirationDate (default id: the order they were made)")
	f.BoolVar(&l.desc, "desc", false, "sort in descending order")
	f.StringVar(&l.filter, "filter", "", `keep the tokens whose field matches; "*" matches any run of characters`)
	f.StringVar(&l.filterField, "filter-field", "", "the field --filter applies to: name or status (default name)")
	f.IntVar(&l.perPage, "per-page", 0, "tokens per request (default the API's, 100)")
	f.IntVar(&l.limit, "limit", 0, "print at most this many tokens (default all)")
	_ = cmd.RegisterFlagCompletionFunc("sort", fixedCompletions(sortFields()...))
	_ = cmd.RegisterFlagCompletionFunc("filter-field", fixedCompletions(string(losant.APITokenFilterByName), string(losant.APITokenFilterByStatus)))
}

func (l *listFlags) options() (losant.APITokenListOptions, error) {
	if err := checkLimit(l.limit); err != nil {
		return losant.APITokenListOptions{}, err
	}
	if l.perPage < 0 || l.perPage > losant.MaxPerPage {
		return losant.APITokenListOptions{}, usageError{fmt.Errorf("--per-page %d: want 1 to %d (0 for the API's default)", l.perPage, losant.MaxPerPage)}
	}
	if l.filterField != "" && l.filter == "" {
		return losant.APITokenListOptions{}, usageError{errors.New("--filter-field without --filter: give the --filter it applies to")}
	}
	opts := losant.APITokenListOptions{
		SortField: losant.APITokenSortField(l.sort), Filter: l.filter,
		FilterField: losant.APITokenFilterField(l.filterField), PerPage: l.perPage,
	}
	if l.desc {
		opts.SortDirection = losant.Descending
	}
	return opts, nil
}

// checkLimit refuses a --limit below 0 (0: no limit).
func checkLimit(limit int) error {
	if limit < 0 {
		return usageError{fmt.Errorf("--limit %d: want 1 or more (0 for all)", limit)}
	}
	return nil
}

// printAll prints what tokens yields as it comes, up to limit (0: all),
// or empty when there is none.
func printAll(p printer, tokens func(yield func(*losant.APIToken, error) bool), limit int, keep func(*losant.APIToken) bool, empty string) error {
	out := p.stream()
	for t, err := range tokens {
		if err != nil {
			return err
		}
		if !keep(t) {
			continue
		}
		if err := out.add(t); err != nil {
			return err
		}
		if limit > 0 && out.n >= limit {
			break
		}
	}
	return out.end(empty)
}

// every keeps every token.
func every(*losant.APIToken) bool { return true }

func (c *commands) list() *cobra.Command {
	var l listFlags
	cmd := &cobra.Command{
		Use:   "list",
		Short: "List API tokens, every page, sorted and filtered",
		Example: `  losant-tokens list
  losant-tokens list --filter 'ci-*' --sort expirationDate
  losant-tokens list --filter-field status --filter inactive -o ids | xargs -r losant-tokens delete --yes --`,
		Args: exactArgs(0),
		RunE: c.action(func(ctx context.Context, tokens losant.APITokenService, p printer, _ []string) error {
			opts, err := l.options()
			if err != nil {
				return err
			}
			return printAll(p, tokens.All(ctx, opts), l.limit, every, "no tokens")
		}),
	}
	l.register(cmd)
	return cmd
}

// tokenFields are the flags create and patch share.
type tokenFields struct {
	name, description, status, defaultRole string
}

func (f *tokenFields) register(cmd *cobra.Command) {
	cmd.Flags().StringVar(&f.name, "name", "", "the token's name (1 to 255 characters)")
	cmd.Flags().StringVar(&f.description, "description", "", "the token's description")
	cmd.Flags().StringVar(&f.status, "status", "", "active or inactive")
	cmd.Flags().StringVar(&f.defaultRole, "default-role", "", "admin, edit, collaborate, view or none")
	_ = cmd.RegisterFlagCompletionFunc("status", fixedCompletions(string(losant.APITokenStatusActive), string(losant.APITokenStatusInactive)))
	_ = cmd.RegisterFlagCompletionFunc("default-role", fixedCompletions("admin", "edit", "collaborate", "view", "none"))
}

// given returns the fields set on the command line, as a patch: a flag not
// given is nil, and so left to the API.
func (f *tokenFields) given(cmd *cobra.Command) losant.APITokenPatch {
	var p losant.APITokenPatch
	flags := cmd.Flags()
	if flags.Changed("name") {
		p.Name = &f.name
	}
	if flags.Changed("description") {
		p.Description = &f.description
	}
	if flags.Changed("status") {
		p.Status = losant.Ptr(losant.APITokenStatus(f.status))
	}
	if flags.Changed("default-role") {
		p.DefaultRole = losant.Ptr(gen.APITokenRole(f.defaultRole))
	}
	return p
}

func (c *commands) create() *cobra.Command {
	var (
		fields                      tokenFields
		scopes                      []string
		expires, fromFile, secretTo string
	)
	cmd := &cobra.Command{
		Use:   "create --name NAME [--scope SCOPE]... | --from-file BODY.json",
		Short: "Create an API token and print its secret, once",
		Long: `Create an API token. Its secret is printed once (no later call returns it), or,
with --secret-file, written to a new file only the user can read and printed
nowhere. A token needs a scope or a role; scopes are checked against the ones
the API knows before anything is sent (losant-tokens scopes lists them).`,
		Example: `  losant-tokens create --name "CI deploys" --scope all.User.read --expires 90d
  losant-tokens create --name "CI deploys" --scope all.User.read --secret-file ./ci-token
  losant-tokens -a 575ec8687ae143cd83dc4a97 create --from-file gateway.json`,
		Args: exactArgs(0),
		RunE: func(cmd *cobra.Command, _ []string) error {
			body, err := c.createBody(cmd, fields, scopes, expires, fromFile)
			if err != nil {
				return err
			}
			tokens, p, err := c.setup()
			if err != nil {
				return err
			}
			if err := secretGoesSomewhere(p, secretTo); err != nil {
				return err
			}
			secret, err := newSecretFile(secretTo)
			if err != nil {
				return err
			}
			t, err := tokens.Create(cmd.Context(), body)
			if err != nil {
				secret.abandon()
				return err
			}
			kept := secret.keep(t)
			if kept != nil {
				secretTo = "" // not written: print it, with the error
			}
			if err := p.token(t, secretTo); err != nil {
				return c.outputLost(err, t.Token != "", fmt.Sprintf("token %s was created", safe(t.ID)),
					"delete it ("+c.rerun("delete", "--yes", t.ID)+") and create another")
			}
			return kept
		},
	}
	fields.register(cmd)
	cmd.Flags().StringSliceVar(&scopes, "scope", nil, "a scope the token holds; repeat, or separate with commas")
	cmd.Flags().StringVar(&expires, "expires", "", "when the token stops working: an RFC 3339 time, or a duration from now (720h, 90d, 12w)")
	cmd.Flags().StringVar(&fromFile, "from-file", "", "read the whole create body (the API's ApiTokenPost JSON, org roles included) from this file")
	cmd.Flags().StringVar(&secretTo, "secret-file", "", "write the secret to this new file (mode 0600) instead of printing it")
	_ = cmd.RegisterFlagCompletionFunc("scope", fixedCompletions(wire.APITokenScopes()...))
	return cmd
}

// createBody is the create body the flags, or --from-file, give, checked
// before anything is sent.
func (c *commands) createBody(cmd *cobra.Command, fields tokenFields, scopes []string, expires, fromFile string) (losant.APITokenPost, error) {
	var body losant.APITokenPost
	if fromFile != "" {
		for _, flag := range []string{"name", "scope", "description", "status", "default-role"} {
			if cmd.Flags().Changed(flag) {
				return body, usageError{fmt.Errorf("--from-file and --%s: the file gives the whole body", flag)}
			}
		}
		b, err := readCreateBody(fromFile)
		if err != nil {
			return body, err
		}
		body = b
	} else {
		if fields.name == "" {
			return body, usageError{errors.New("create needs --name (or --from-file)")}
		}
		given := fields.given(cmd)
		body = losant.APITokenPost{Name: fields.name, Scope: scopes, Description: given.Description, Status: given.Status, DefaultRole: given.DefaultRole}
	}
	expiry, err := parseExpiry(expires, c.env.now())
	if err != nil {
		return body, err
	}
	if expiry != nil {
		body.ExpirationDate = expiry
	}
	if body.ExpirationDate != nil && !body.ExpirationDate.After(c.env.now()) {
		return body, usageError{fmt.Errorf("expirationDate %s has passed: give a time to come", body.ExpirationDate.UTC().Format("2006-01-02T15:04:05Z07:00"))}
	}
	if err := checkScopes(body.Scope); err != nil {
		return body, err
	}
	if len(body.Scope) == 0 && body.DefaultRole == nil && len(body.OrgRoles) == 0 {
		return body, usageError{errors.New("a token with neither a scope nor a role can do nothing: give --scope, --default-role or org roles")}
	}
	return body, nil
}

func (c *commands) patch() *cobra.Command {
	var fields tokenFields
	cmd := &cobra.Command{
		Use:   "patch TOKEN_ID... [--name NAME] [--description TEXT] [--status STATUS] [--default-role ROLE]",
		Short: "Change API tokens' name, description, status or default role",
		Long: `Patch changes each token given. With several, each is reported, and the exit
status is the highest of the failures'.`,
		Example: `  losant-tokens patch 5a1f0e3b7ae143cd83dc4b02 --description "nightly deploys"
  losant-tokens list --filter 'old-*' -o ids | xargs -r losant-tokens patch --status inactive --`,
		Args:              minArgs(1),
		ValidArgsFunction: c.completeTokenIDs,
		RunE: func(cmd *cobra.Command, args []string) error {
			patch := fields.given(cmd)
			if patch == (losant.APITokenPatch{}) {
				return usageError{errors.New("patch needs at least one of --name, --description, --status, --default-role")}
			}
			if err := checkIDs("", args); err != nil {
				return err
			}
			tokens, p, err := c.setup()
			if err != nil {
				return err
			}
			var patched []*losant.APIToken
			failed := c.eachID(args, "patch", func(id string) error {
				t, err := tokens.Patch(cmd.Context(), id, patch)
				if err == nil {
					patched = append(patched, t)
				}
				return err
			})
			if len(args) == 1 && failed == nil {
				return p.token(patched[0], "")
			}
			out := p.stream()
			for _, t := range patched {
				if err := out.add(t); err != nil {
					return err
				}
			}
			if err := out.end("no token was patched"); err != nil {
				return err
			}
			return failed
		},
	}
	fields.register(cmd)
	return cmd
}

func (c *commands) remove() *cobra.Command {
	var yes bool
	cmd := &cobra.Command{
		Use:   "delete TOKEN_ID...",
		Short: "Delete API tokens",
		Long: `Delete deletes each token given. With several, each is reported, and the exit
status is the highest of the failures'. On a terminal it asks first, unless --yes.`,
		Example: `  losant-tokens delete 5a1f0e3b7ae143cd83dc4b02
  losant-tokens list --filter-field status --filter inactive -o ids | xargs -r losant-tokens delete --yes --`,
		Args:              minArgs(1),
		ValidArgsFunction: c.completeTokenIDs,
		RunE: c.action(func(ctx context.Context, tokens losant.APITokenService, p printer, args []string) error {
			if err := checkIDs("", args); err != nil {
				return err // before the prompt, which would show it
			}
			if !yes && c.env.tty && !c.ask(fmt.Sprintf("Delete %d token(s): %s? [y/N]: ", len(args), strings.Join(args, ", "))) {
				return errNotConfirmed
			}
			var deleted []string
			failed := c.eachID(args, "delete", func(id string) error {
				err := tokens.Delete(ctx, id)
				if err == nil {
					deleted = append(deleted, id)
				}
				return err
			})
			if err := p.deleted(deleted); err != nil {
				return err
			}
			return failed
		}),
	}
	cmd.Flags().BoolVar(&yes, "yes", false, "delete without asking, on a terminal too")
	return cmd
}

// errNotConfirmed is the error of a delete the user did not confirm.
var errNotConfirmed = errors.New("not confirmed: nothing was deleted")

// eachID runs do for every ID, reports each failure on stderr, and returns
// the failures, whose exit status is the highest of theirs; nil if none.
func (c *commands) eachID(ids []string, verb string, do func(id string) error) error {
	var failures []error
	for _, id := range ids {
		if err := do(id); err != nil {
			fmt.Fprintf(c.env.stderr, "losant-tokens: %s %s: %s\n", verb, safe(id), safe(err.Error()))
			failures = append(failures, err)
		}
	}
	if len(failures) == 0 {
		return nil
	}
	return &partialFailure{verb: verb, of: len(ids), errs: failures}
}

// ask asks question on the terminal and reports whether the answer is y.
func (c *commands) ask(question string) bool {
	fmt.Fprint(c.env.stdout, question)
	answer, _ := bufio.NewReader(c.env.stdin).ReadString('\n')
	return strings.EqualFold(strings.TrimSpace(answer), "y")
}

func (c *commands) expiring() *cobra.Command {
	var (
		within          = 14 * 24 * time.Hour
		includeInactive bool
		limit           int
	)
	cmd := &cobra.Command{
		Use:   "expiring",
		Short: "List the active API tokens that expire within a window, or have expired",
		Example: `  losant-tokens expiring
  losant-tokens expiring --within 2w -o ids
  losant-tokens -a 575ec8687ae143cd83dc4a97 expiring --within 30d --include-inactive`,
		Args: exactArgs(0),
		RunE: c.action(func(ctx context.Context, tokens losant.APITokenService, p printer, _ []string) error {
			if err := checkLimit(limit); err != nil {
				return err
			}
			before := c.env.now().Add(within)
			opts := losant.APITokenListOptions{SortField: losant.APITokenSortByExpirationDate}
			wanted := func(t *losant.APIToken) bool { return includeInactive || t.Status == losant.APITokenStatusActive }
			return printAll(p, tokens.Expiring(ctx, before, opts), limit, wanted, "no token expires before "+before.UTC().Format("2006-01-02T15:04:05Z07:00"))
		}),
	}
	cmd.Flags().Var(durationFlag{&within}, "within", "the window, from now: a duration such as 336h, 14d or 2w")
	cmd.Flags().BoolVar(&includeInactive, "include-inactive", false, "list inactive tokens too")
	cmd.Flags().IntVar(&limit, "limit", 0, "print at most this many tokens (default all)")
	return cmd
}

func scopesCommand() *cobra.Command {
	var match string
	return &cobra.Command{
		Use:     "scopes [PATTERN]",
		Short:   "List the scopes a token may hold, as the API's spec names them",
		Example: "  losant-tokens scopes\n  losant-tokens scopes 'all.*'",
		Args:    maxArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := notFor(cmd, apiFlags()...); err != nil {
				return err
			}
			if len(args) == 1 {
				match = args[0]
				if err := checkPatterns("PATTERN", args); err != nil {
					return err
				}
			}
			for _, s := range wire.APITokenScopes() {
				if match == "" || matchesAny(s, []string{match}) {
					fmt.Fprintln(cmd.OutOrStdout(), s)
				}
			}
			return nil
		},
	}
}

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

// sortFields are the fields list sorts by, for completion.
func sortFields() []string {
	var out []string
	for _, f := range []losant.APITokenSortField{losant.APITokenSortByName, losant.APITokenSortByStatus, losant.APITokenSortByID,
		losant.APITokenSortByCreationDate, losant.APITokenSortByLastUpdated, losant.APITokenSortByExpirationDate} {
		out = append(out, string(f))
	}
	return out
}

// apiFlags are the global flags that only a command calling the API reads.
func apiFlags() []string {
	return []string{"application", "instance", "token-file", "domain", "base-url", "insecure-http", "timeout", "output"}
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

// secretGoesSomewhere refuses, before a token is made, an output that
// would print only IDs while no --secret-file takes the one-time secret.
func secretGoesSomewhere(p printer, secretTo string) error {
	if p.format == formatIDs && secretTo == "" {
		return usageError{errors.New("-o ids prints no secret, and the new one would be lost: give --secret-file, or -o json or table")}
	}
	return nil
}

// outputLost is the error of a command whose output failed after the API
// acted: it names what now exists (IDs, never a secret) and what to do,
// on stderr, since stdout failed; its exit status says not to rerun.
func (c *commands) outputLost(err error, secretLost bool, made, todo string) error {
	what := made + ", but writing the output failed"
	if secretLost {
		what += ", and its secret, printed nowhere else, is lost"
	}
	return fmt.Errorf("%s: %s: %w", what, todo, err)
}
