package cli

import (
	"errors"
	"fmt"
	"time"

	"github.com/spf13/cobra"

	"github.com/specdriven/losant/gen"
	"github.com/specdriven/losant/internal/shipped/wire"
)

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
		RunE: c.action(func(cmd *cobra.Command, s session, _ []string) error {
			body, err := c.createBody(cmd, fields, scopes, expires, fromFile)
			if err != nil {
				return err
			}
			tokens, p := s.tokens(), s.out
			if err := errors.Join(refuseEmpty(cmd, "secret-file"), c.secretGoesSomewhere(p, secretTo)); err != nil {
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
			if problem := c.secretProblem(t.Token); problem != "" {
				secret.abandon()
				return c.untokenlikeSecret(t, problem, "create another")
			}
			var notKept *secretNotKept
			if kept := secret.keep(t); errors.As(kept, &notKept) {
				todo := "delete it (" + c.rerun("delete", "--yes", t.ID) + ") and create another"
				if notKept.in != "" {
					todo = "move that file into place: nothing is lost"
				}
				if err := p.token(t, ""); err != nil {
					return errors.Join(&actedError{fmt.Errorf("token %s was created, but %w: %s", safe(t.ID), notKept, todo)}, &localWriteError{err})
				}
				return &actedError{fmt.Errorf("token %s was created, but %w: %s", safe(t.ID), notKept, todo)}
			}
			if err := p.token(t, secretWent(secretTo)); err != nil {
				todo := "delete it (" + c.rerun("delete", "--yes", t.ID) + ") and create another"
				if t.Token == "" {
					todo = "its secret is in the --secret-file: nothing is lost"
				}
				return c.outputLost(err, t.Token != "", fmt.Sprintf("token %s was created", safe(t.ID)), todo)
			}
			return nil
		}),
	}
	fields.register(cmd)
	cmd.Flags().StringSliceVar(&scopes, "scope", nil, "a scope the token holds; repeat, or separate with commas")
	cmd.Flags().StringVar(&expires, "expires", "", "when the token stops working, at least an hour away: an RFC 3339 time, or a duration from now (720h, 90d, 12w)")
	cmd.Flags().StringVar(&fromFile, "from-file", "", "read the whole create body (the API's ApiTokenPost JSON, org roles included) from this file")
	cmd.Flags().StringVar(&secretTo, "secret-file", "", "write the secret to this new file (mode 0600) instead of printing it")
	_ = cmd.RegisterFlagCompletionFunc("scope", fixedCompletions(wire.APITokenScopes()...))
	return cmd
}

// minTokenLifetime is the shortest lifetime create gives a token, as
// rotate gives a successor (losant.MinSuccessorLifetime): one that
// expires sooner would stop working before its secret is in place.
const minTokenLifetime = time.Hour

// createBody is the create body the flags, or --from-file, give, checked
// before anything is sent.
func (c *commands) createBody(cmd *cobra.Command, fields tokenFields, scopes []string, expires, fromFile string) (gen.APITokenPost, error) {
	var body gen.APITokenPost
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
		if err := fields.check(); err != nil {
			return body, err
		}
		given := fields.given(cmd)
		body = gen.APITokenPost{Name: fields.name, Scope: scopes, Description: given.Description, Status: given.Status, DefaultRole: given.DefaultRole}
	}
	expiry, err := parseExpiry(expires, c.env.now())
	if err != nil {
		return body, err
	}
	if expiry != nil {
		body.ExpirationDate = expiry
	}
	switch {
	case body.ExpirationDate == nil:
	case !body.ExpirationDate.After(c.env.now()):
		return body, usageError{fmt.Errorf("expirationDate %s has passed: give a time to come", timestamp(*body.ExpirationDate))}
	case body.ExpirationDate.Sub(c.env.now()) < minTokenLifetime:
		return body, usageError{fmt.Errorf("--expires (or the body's expirationDate) must be at least an hour away (%s): a token that expires sooner would stop working before it is in place", timestamp(*body.ExpirationDate))}
	}
	if err := checkScopes(body.Scope); err != nil {
		return body, err
	}
	if len(body.Scope) == 0 && body.DefaultRole == nil && len(body.OrgRoles) == 0 {
		return body, usageError{errors.New("a token with neither a scope nor a role can do nothing: give --scope, --default-role or org roles")}
	}
	return body, nil
}
