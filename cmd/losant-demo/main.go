// Command losant-demo shows the client and the command-line tool at work
// end to end, with no account: it starts the fake Losant API of package
// losanttest in-process, seeds a user, an application, an instance and the
// user's API token, then, as that user, creates a token of each owner and
// runs list, get, patch, get, delete and get (now 404) on each through the
// library, then runs losant-tokens' commands (create, list, get, patch,
// rotate, expiring, delete), printing each step. Run it with `make demo`.
package main

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"os"
	"strings"

	"github.com/specdriven/losant"
	"github.com/specdriven/losant/cmd/internal/cli"
	"github.com/specdriven/losant/gen"
	"github.com/specdriven/losant/losanttest"
)

func main() {
	if len(os.Args) > 1 {
		fmt.Fprintln(os.Stderr, "losant-demo: takes no arguments: it runs against its own fake, as its own user")
		os.Exit(2)
	}
	if err := run(context.Background(), os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "losant-demo:", err)
		os.Exit(1)
	}
}

func run(ctx context.Context, out io.Writer) error {
	srv, err := losanttest.NewServer()
	if err != nil {
		return err
	}
	defer srv.Close()

	user := srv.AddUser(losanttest.User{Email: "ada@example.com"})
	app := srv.AddApplication(losanttest.Application{Name: "Greenhouse", OwnerID: user.ID})
	instance := srv.AddInstance(losanttest.Instance{Name: "Acme", Members: []string{user.ID}})
	bearer := srv.AddToken(losanttest.Token{Name: "Ada's CLI", OwnerType: gen.APITokenOwnerTypeUser, OwnerID: user.ID, Scope: []string{"all.User"}})
	fmt.Fprintf(out, "Fake Losant API at %s\n", srv.URL)
	fmt.Fprintf(out, "Seeded user %s (%s), application %q (%s), instance %q (%s), and the user's API token.\n",
		user.Email, user.ID, app.Name, app.ID, instance.Name, instance.ID)

	client := srv.Client(bearer.Secret, losant.WithUserAgent("losant-demo"))
	steps := []struct {
		title string
		owner losant.Owner
		new   gen.APITokenPost
	}{
		{fmt.Sprintf("Application API tokens of application %s", app.ID), losant.Application(app.ID),
			gen.APITokenPost{Name: "Sensor uploader", Scope: []string{"all.Application"}}},
		{"User API tokens (/me/tokens)", losant.User(),
			gen.APITokenPost{Name: "Nightly backup", Scope: []string{"all.User.read"}}},
		{fmt.Sprintf("Instance API tokens of instance %s", instance.ID), losant.Instance(instance.ID),
			gen.APITokenPost{Name: "Audit export", Scope: []string{"all.Instance.read"}}},
	}
	for _, step := range steps {
		fmt.Fprintf(out, "\n%s\n", step.title)
		if err := walk(ctx, out, client.APITokens(step.owner), step.new); err != nil {
			return fmt.Errorf("%s: %w", step.title, err)
		}
	}
	fmt.Fprintf(out, "\nAll steps behaved as the API promises (%d requests).\n\n", len(srv.Requests()))
	return cli.Demo(ctx, srv.URL, bearer.Secret, out)
}

// walk creates a token, then runs list, get, patch, get, delete and get on
// it, and prints each step. The new token's secret is never printed.
func walk(ctx context.Context, out io.Writer, tokens losant.APITokenService, body gen.APITokenPost) error {
	tok, err := tokens.Create(ctx, body)
	if err != nil {
		return err
	}
	if tok.Token == "" {
		return fmt.Errorf("create returned no secret")
	}
	id := tok.ID
	fmt.Fprintf(out, "  1. create  %s %s, secret received (not shown)\n", id, describe(tok))

	var listed []string
	for t, err := range tokens.All(ctx, losant.APITokenListOptions{}) {
		if err != nil {
			return err
		}
		listed = append(listed, fmt.Sprintf("%q", t.Name))
	}
	fmt.Fprintf(out, "  2. list    %s\n", strings.Join(listed, ", "))

	if tok, err = tokens.Get(ctx, id); err != nil {
		return err
	}
	fmt.Fprintf(out, "  3. get     %s\n", describe(tok))

	patch := gen.APITokenPatch{Name: losant.Ptr(tok.Name + " (retired)"), Status: losant.Ptr(gen.APITokenStatusInactive)}
	if tok, err = tokens.Patch(ctx, id, patch); err != nil {
		return err
	}
	fmt.Fprintf(out, "  4. patch   name and status -> %s\n", describe(tok))

	if tok, err = tokens.Get(ctx, id); err != nil {
		return err
	}
	if tok.Name != *patch.Name || tok.Status != *patch.Status {
		return fmt.Errorf("get after patch shows %s", describe(tok))
	}
	fmt.Fprintf(out, "  5. get     %s\n", describe(tok))

	if err := tokens.Delete(ctx, id); err != nil {
		return err
	}
	fmt.Fprintln(out, "  6. delete  success")

	_, err = tokens.Get(ctx, id)
	if losant.StatusCode(err) != http.StatusNotFound {
		return fmt.Errorf("get after delete: want a 404, got %v", err)
	}
	fmt.Fprintf(out, "  7. get     %v (expected: the token is gone)\n", err)
	return nil
}

func describe(t *gen.APIToken) string {
	return fmt.Sprintf("%q status=%s scope=[%s] lastUpdated=%s",
		t.Name, t.Status, strings.Join(t.Scope, ","), t.LastUpdated.Format("15:04:05.000"))
}
