// Command losant-demo shows the client at work end to end: it starts the
// fake Losant API of package losanttest in-process, seeds a user, an
// application and the user's API token, then, as that user, creates an
// application token and a user token and runs list, get, patch, get,
// delete and get (now 404) on each, printing each step. Run it with
// `make demo`.
package main

import (
	"context"
	"fmt"
	"io"
	"iter"
	"os"
	"strings"

	"github.com/specdriven/losant"
	"github.com/specdriven/losant/losanttest"
)

func main() {
	if err := run(context.Background(), os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "losant-demo:", err)
		os.Exit(1)
	}
}

// tokenActions are the actions of one resource; the ones on one token
// take its ID.
type tokenActions struct {
	title  string
	create func(context.Context) (*losant.APIToken, error)
	list   func(context.Context) iter.Seq2[*losant.APIToken, error]
	get    func(ctx context.Context, id string) (*losant.APIToken, error)
	patch  func(ctx context.Context, id string, p losant.APITokenPatch) (*losant.APIToken, error)
	delete func(ctx context.Context, id string) error
}

func run(ctx context.Context, out io.Writer) error {
	srv, err := losanttest.NewServer()
	if err != nil {
		return err
	}
	defer srv.Close()

	user := srv.AddUser(losanttest.User{Email: "ada@example.com"})
	app := srv.AddApplication(losanttest.Application{Name: "Greenhouse", OwnerID: user.ID})
	bearer := srv.AddToken(losanttest.Token{Name: "Ada's CLI", OwnerType: losant.APITokenOwnerTypeUser, OwnerID: user.ID, Scope: []string{"all.User"}})
	fmt.Fprintf(out, "Fake Losant API at %s\n", srv.URL)
	fmt.Fprintf(out, "Seeded user %s (%s), application %q (%s), and the user's API token.\n", user.Email, user.ID, app.Name, app.ID)

	client := srv.Client(bearer.Secret, losant.WithUserAgent("losant-demo"))
	appTokens, userTokens := client.ApplicationAPIToken, client.UserAPIToken
	resources := []tokenActions{
		{
			title: fmt.Sprintf("Application API tokens of application %s", app.ID),
			create: func(ctx context.Context) (*losant.APIToken, error) {
				return appTokens.Create(ctx, app.ID, losant.APITokenPost{Name: "Sensor uploader", Scope: []string{"all.Application"}})
			},
			list: func(ctx context.Context) iter.Seq2[*losant.APIToken, error] {
				return appTokens.All(ctx, app.ID, losant.APITokenListOptions{PerPage: 10})
			},
			get: func(ctx context.Context, id string) (*losant.APIToken, error) { return appTokens.Get(ctx, app.ID, id) },
			patch: func(ctx context.Context, id string, p losant.APITokenPatch) (*losant.APIToken, error) {
				return appTokens.Patch(ctx, app.ID, id, p)
			},
			delete: func(ctx context.Context, id string) error { return appTokens.Delete(ctx, app.ID, id) },
		},
		{
			title: "User API tokens (/me/tokens)",
			create: func(ctx context.Context) (*losant.APIToken, error) {
				return userTokens.Create(ctx, losant.APITokenPost{Name: "Nightly backup", Scope: []string{"all.User.read"}})
			},
			list: func(ctx context.Context) iter.Seq2[*losant.APIToken, error] {
				return userTokens.All(ctx, losant.APITokenListOptions{PerPage: 10})
			},
			get: func(ctx context.Context, id string) (*losant.APIToken, error) { return userTokens.Get(ctx, id) },
			patch: func(ctx context.Context, id string, p losant.APITokenPatch) (*losant.APIToken, error) {
				return userTokens.Patch(ctx, id, p)
			},
			delete: func(ctx context.Context, id string) error { return userTokens.Delete(ctx, id) },
		},
	}
	for _, r := range resources {
		if err := walk(ctx, out, r); err != nil {
			return fmt.Errorf("%s: %w", r.title, err)
		}
	}
	fmt.Fprintf(out, "\nAll steps behaved as the API promises (%d requests).\n", len(srv.Requests()))
	return nil
}

// walk creates a token, then runs list, get, patch, get, delete and get on
// it, and prints each step. The new token's secret is never printed.
func walk(ctx context.Context, out io.Writer, r tokenActions) error {
	fmt.Fprintf(out, "\n%s\n", r.title)
	tok, err := r.create(ctx)
	if err != nil {
		return err
	}
	if tok.Token == "" {
		return fmt.Errorf("create returned no secret")
	}
	id := tok.ID
	fmt.Fprintf(out, "  1. create  %s %s, secret received (not shown)\n", id, describe(tok))

	var listed []string
	for t, err := range r.list(ctx) {
		if err != nil {
			return err
		}
		listed = append(listed, fmt.Sprintf("%q", t.Name))
	}
	fmt.Fprintf(out, "  2. list    %s\n", strings.Join(listed, ", "))

	if tok, err = r.get(ctx, id); err != nil {
		return err
	}
	fmt.Fprintf(out, "  3. get     %s\n", describe(tok))

	patch := losant.APITokenPatch{Name: losant.Ptr(tok.Name + " (retired)"), Status: losant.Ptr(losant.APITokenStatusInactive)}
	if tok, err = r.patch(ctx, id, patch); err != nil {
		return err
	}
	fmt.Fprintf(out, "  4. patch   name and status -> %s\n", describe(tok))

	if tok, err = r.get(ctx, id); err != nil {
		return err
	}
	if tok.Name != *patch.Name || tok.Status != *patch.Status {
		return fmt.Errorf("get after patch shows %s", describe(tok))
	}
	fmt.Fprintf(out, "  5. get     %s\n", describe(tok))

	if err := r.delete(ctx, id); err != nil {
		return err
	}
	fmt.Fprintln(out, "  6. delete  success")

	_, err = r.get(ctx, id)
	if !losant.IsNotFound(err) {
		return fmt.Errorf("get after delete: want a 404, got %v", err)
	}
	fmt.Fprintf(out, "  7. get     %v (expected: the token is gone)\n", err)
	return nil
}

func describe(t *losant.APIToken) string {
	return fmt.Sprintf("%q status=%s scope=[%s] lastUpdated=%s",
		t.Name, t.Status, strings.Join(t.Scope, ","), t.LastUpdated.Format("15:04:05.000"))
}
