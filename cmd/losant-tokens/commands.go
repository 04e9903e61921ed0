package main

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/specdriven/losant"
)

func (c *commands) get() *cobra.Command {
	return &cobra.Command{
		Use:   "get TOKEN_ID",
		Short: "Show one API token",
		Args:  exactArgs(1),
		RunE: c.action(func(ctx context.Context, tokens losant.APITokenService, p printer, args []string) error {
			t, err := tokens.Get(ctx, args[0])
			if err != nil {
				return err
			}
			return p.token(t)
		}),
	}
}

func (c *commands) list() *cobra.Command {
	var (
		sort, filter, filterField string
		desc                      bool
		perPage                   int
	)
	cmd := &cobra.Command{
		Use:   "list",
		Short: "List API tokens, every page, sorted and filtered",
		Args:  exactArgs(0),
		RunE: c.action(func(ctx context.Context, tokens losant.APITokenService, p printer, _ []string) error {
			opts := losant.APITokenListOptions{
				SortField: losant.APITokenSortField(sort), Filter: filter,
				FilterField: losant.APITokenFilterField(filterField), PerPage: perPage,
			}
			if desc {
				opts.SortDirection = losant.Descending
			}
			var listed []*losant.APIToken
			for t, err := range tokens.All(ctx, opts) {
				if err != nil {
					return err
				}
				listed = append(listed, t)
			}
			return p.tokens(listed)
		}),
	}
	f := cmd.Flags()
	f.StringVar(&sort, "sort", "", "sort by name, status, id, creationDate, lastUpdated or expirationDate (default name)")
	f.BoolVar(&desc, "desc", false, "sort in descending order")
	f.StringVar(&filter, "filter", "", `keep the tokens whose field matches; "*" matches any run of characters`)
	f.StringVar(&filterField, "filter-field", "", "the field --filter applies to: name or status (default name)")
	f.IntVar(&perPage, "per-page", 0, "tokens per request (default the API's, 100)")
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
		p.DefaultRole = losant.Ptr(losant.APITokenRole(f.defaultRole))
	}
	return p
}

func (c *commands) create() *cobra.Command {
	var (
		fields  tokenFields
		scopes  []string
		expires string
	)
	cmd := &cobra.Command{
		Use:   "create --name NAME [--scope SCOPE]...",
		Short: "Create an API token and print its secret, once",
		Args:  exactArgs(0),
		RunE: func(cmd *cobra.Command, _ []string) error {
			if fields.name == "" {
				return usageError{errors.New("create needs --name")}
			}
			expiry, err := parseExpiry(expires, time.Now())
			if err != nil {
				return err
			}
			tokens, p, err := c.setup()
			if err != nil {
				return err
			}
			given := fields.given(cmd)
			t, err := tokens.Create(cmd.Context(), losant.APITokenPost{
				Name: fields.name, Scope: scopes, ExpirationDate: expiry,
				Description: given.Description, Status: given.Status, DefaultRole: given.DefaultRole,
			})
			if err != nil {
				return err
			}
			return p.token(t)
		},
	}
	fields.register(cmd)
	cmd.Flags().StringSliceVar(&scopes, "scope", nil, "a scope the token holds; repeat, or separate with commas")
	cmd.Flags().StringVar(&expires, "expires", "", "when the token stops working: an RFC 3339 time, or a duration from now (720h)")
	return cmd
}

func (c *commands) patch() *cobra.Command {
	var fields tokenFields
	cmd := &cobra.Command{
		Use:   "patch TOKEN_ID [--name NAME] [--description TEXT] [--status STATUS] [--default-role ROLE]",
		Short: "Change an API token's name, description, status or default role",
		Args:  exactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			patch := fields.given(cmd)
			if patch == (losant.APITokenPatch{}) {
				return usageError{errors.New("patch needs at least one of --name, --description, --status, --default-role")}
			}
			tokens, p, err := c.setup()
			if err != nil {
				return err
			}
			t, err := tokens.Patch(cmd.Context(), args[0], patch)
			if err != nil {
				return err
			}
			return p.token(t)
		},
	}
	fields.register(cmd)
	return cmd
}

func (c *commands) remove() *cobra.Command {
	return &cobra.Command{
		Use:   "delete TOKEN_ID",
		Short: "Delete an API token",
		Args:  exactArgs(1),
		RunE: c.action(func(ctx context.Context, tokens losant.APITokenService, p printer, args []string) error {
			if err := tokens.Delete(ctx, args[0]); err != nil {
				return err
			}
			return p.deleted(args[0])
		}),
	}
}

func (c *commands) rotate() *cobra.Command {
	var (
		expires, complete string
		yes               bool
	)
	cmd := &cobra.Command{
		Use:   "rotate TOKEN_ID",
		Short: "Replace an API token by a copy with a new secret, then retire the old one",
		Long: `Rotate makes a successor of the token (its name, description, scopes and roles),
prints the successor's secret, and leaves the old token active. Once the new
secret is in place, finish with --complete SUCCESSOR_ID, which deactivates the
old token. On a terminal, rotate asks for that instead; --yes does it at once.`,
		Args: exactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			expiry, err := parseExpiry(expires, time.Now())
			if err != nil {
				return err
			}
			tokens, p, err := c.setup()
			if err != nil {
				return err
			}
			ctx := cmd.Context()
			if complete != "" {
				rot := tokens.ResumeRotation(args[0], complete)
				if err := rot.Complete(ctx); err != nil {
					return err
				}
				return p.rotation(rot, true, "")
			}
			rot, err := tokens.Rotate(ctx, args[0], losant.RotateOptions{ExpirationDate: expiry})
			if err != nil {
				return err
			}
			next := fmt.Sprintf("losant-tokens%s rotate %s --complete %s", c.ownerFlag(), args[0], rot.Successor.ID)
			if !yes && !(c.env.tty && !p.json && c.confirm(rot)) {
				return p.rotation(rot, false, next)
			}
			if err := rot.Complete(ctx); err != nil {
				// The secret must not be lost: print it before the error.
				_ = p.rotation(rot, false, next)
				return err
			}
			return p.rotation(rot, true, "")
		},
	}
	cmd.Flags().StringVar(&expires, "expires", "", "the successor's expiry: an RFC 3339 time, or a duration from now (default none)")
	cmd.Flags().StringVar(&complete, "complete", "", "finish a rotation: deactivate TOKEN_ID, once this successor's secret is in place")
	cmd.Flags().BoolVar(&yes, "yes", false, "deactivate the old token at once, without asking")
	return cmd
}

// confirm shows the successor and asks, on the terminal, whether its
// secret is in place.
func (c *commands) confirm(rot *losant.Rotation) bool {
	if err := (printer{w: c.env.stdout}).token(rot.Successor); err != nil {
		return false
	}
	fmt.Fprintf(c.env.stdout, "Put the new secret in place, then answer y to deactivate %s [y/N]: ", rot.Predecessor.ID)
	answer, _ := bufio.NewReader(c.env.stdin).ReadString('\n')
	rot.Successor.Token = "" // shown once already
	return strings.EqualFold(strings.TrimSpace(answer), "y")
}

func (c *commands) expiring() *cobra.Command {
	var within time.Duration
	cmd := &cobra.Command{
		Use:   "expiring",
		Short: "List the API tokens that expire within a window, or have expired",
		Args:  exactArgs(0),
		RunE: c.action(func(ctx context.Context, tokens losant.APITokenService, p printer, _ []string) error {
			var listed []*losant.APIToken
			opts := losant.APITokenListOptions{SortField: losant.APITokenSortByExpirationDate}
			for t, err := range tokens.Expiring(ctx, time.Now().Add(within), opts) {
				if err != nil {
					return err
				}
				listed = append(listed, t)
			}
			return p.tokens(listed)
		}),
	}
	cmd.Flags().DurationVar(&within, "within", 14*24*time.Hour, "the window, from now")
	return cmd
}

// exactArgs is cobra.ExactArgs, as a usage error.
func exactArgs(n int) cobra.PositionalArgs {
	return func(cmd *cobra.Command, args []string) error {
		if err := cobra.ExactArgs(n)(cmd, args); err != nil {
			return usageError{err}
		}
		return nil
	}
}

// parseExpiry reads --expires: an RFC 3339 time, or a duration from now.
func parseExpiry(s string, now time.Time) (*time.Time, error) {
	if s == "" {
		return nil, nil
	}
	if t, err := time.Parse(time.RFC3339, s); err == nil {
		return &t, nil
	}
	d, err := time.ParseDuration(s)
	if err != nil || d <= 0 {
		return nil, usageError{fmt.Errorf("--expires %q: want an RFC 3339 time or a positive duration such as 720h", s)}
	}
	t := now.Add(d).UTC().Truncate(time.Second)
	return &t, nil
}
