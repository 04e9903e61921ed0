// Command losant-demo shows the client at work end to end: it starts the
// fake Losant API of package losanttest in-process, seeds a user, an
// application and API tokens, then runs get, patch, get, delete and get
// (now 404) on an application's token and on a user's token, printing each
// step. Run it with `make demo`.
package main

import (
	"context"
	"fmt"
	"io"
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

// tokenActions are the three actions of one resource, on one token.
type tokenActions struct {
	title  string
	get    func(context.Context) (*losant.APIToken, error)
	patch  func(context.Context, losant.APITokenPatch) (*losant.APIToken, error)
	delete func(context.Context) error
}

func run(ctx context.Context, out io.Writer) error {
	srv, err := losanttest.NewServer()
	if err != nil {
		return err
	}
	defer srv.Close()

	user, err := srv.AddUser(losanttest.User{Email: "ada@example.com"})
	if err != nil {
		return err
	}
	app, err := srv.AddApplication(losanttest.Application{Name: "Greenhouse", OwnerID: user.ID})
	if err != nil {
		return err
	}
	bearer, err := srv.AddToken(losanttest.Token{Name: "Ada's CLI", OwnerType: losanttest.OwnerUser, OwnerID: user.ID, Scope: []string{"all.User"}})
	if err != nil {
		return err
	}
	appToken, err := srv.AddToken(losanttest.Token{Name: "Sensor uploader", OwnerType: losanttest.OwnerApplication, OwnerID: app.ID, Scope: []string{"all.Application"}})
	if err != nil {
		return err
	}
	userToken, err := srv.AddToken(losanttest.Token{Name: "Nightly backup", OwnerType: losanttest.OwnerUser, OwnerID: user.ID, Scope: []string{"all.User.read"}})
	if err != nil {
		return err
	}
	fmt.Fprintf(out, "Fake Losant API at %s\n", srv.URL)
	fmt.Fprintf(out, "Seeded user %s (%s), application %q (%s), and three API tokens.\n", user.Email, user.ID, app.Name, app.ID)

	client, err := srv.Client(bearer.Secret, losant.WithUserAgent("losant-demo"))
	if err != nil {
		return err
	}
	resources := []tokenActions{
		{
			title: fmt.Sprintf("Application API token %s of application %s", appToken.ID, app.ID),
			get: func(ctx context.Context) (*losant.APIToken, error) {
				return client.ApplicationAPIToken.Get(ctx, app.ID, appToken.ID)
			},
			patch: func(ctx context.Context, p losant.APITokenPatch) (*losant.APIToken, error) {
				return client.ApplicationAPIToken.Patch(ctx, app.ID, appToken.ID, p)
			},
			delete: func(ctx context.Context) error { return client.ApplicationAPIToken.Delete(ctx, app.ID, appToken.ID) },
		},
		{
			title: fmt.Sprintf("User API token %s (/me/tokens)", userToken.ID),
			get:   func(ctx context.Context) (*losant.APIToken, error) { return client.UserAPIToken.Get(ctx, userToken.ID) },
			patch: func(ctx context.Context, p losant.APITokenPatch) (*losant.APIToken, error) {
				return client.UserAPIToken.Patch(ctx, userToken.ID, p)
			},
			delete: func(ctx context.Context) error { return client.UserAPIToken.Delete(ctx, userToken.ID) },
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

// walk runs get, patch, get, delete, get on one token and prints each step.
func walk(ctx context.Context, out io.Writer, r tokenActions) error {
	fmt.Fprintf(out, "\n%s\n", r.title)
	tok, err := r.get(ctx)
	if err != nil {
		return err
	}
	fmt.Fprintf(out, "  1. get     %s\n", describe(tok))

	patch := losant.APITokenPatch{Name: losant.Ptr(*tok.Name + " (retired)"), Status: losant.Ptr(losant.APITokenStatusInactive)}
	tok, err = r.patch(ctx, patch)
	if err != nil {
		return err
	}
	fmt.Fprintf(out, "  2. patch   name and status -> %s\n", describe(tok))

	tok, err = r.get(ctx)
	if err != nil {
		return err
	}
	if *tok.Name != *patch.Name || *tok.Status != *patch.Status {
		return fmt.Errorf("get after patch shows %s", describe(tok))
	}
	fmt.Fprintf(out, "  3. get     %s\n", describe(tok))

	if err := r.delete(ctx); err != nil {
		return err
	}
	fmt.Fprintln(out, "  4. delete  success")

	_, err = r.get(ctx)
	if !losant.IsNotFound(err) {
		return fmt.Errorf("get after delete: want a 404, got %v", err)
	}
	fmt.Fprintf(out, "  5. get     %v (expected: the token is gone)\n", err)
	return nil
}

func describe(t *losant.APIToken) string {
	return fmt.Sprintf("%q status=%s scope=[%s] lastUpdated=%s",
		*t.Name, *t.Status, strings.Join(t.Scope, ","), t.LastUpdated.Format("15:04:05.000"))
}
