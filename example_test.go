package losant_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"time"

	"github.com/specdriven/losant"
	"github.com/specdriven/losant/gen"
	"github.com/specdriven/losant/losanttest"
)

// exampleAPI stands in for api.losant.com in the examples: it knows one
// token, 575ec7417ae143cd83dc4a95, and answers 404 for any other.
func exampleAPI() *httptest.Server {
	return httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		if !strings.HasSuffix(r.URL.Path, "/tokens/575ec7417ae143cd83dc4a95") {
			w.WriteHeader(http.StatusNotFound)
			fmt.Fprint(w, `{"type":"NotFound","message":"API Token was not found"}`)
			return
		}
		token := map[string]any{"id": "575ec7417ae143cd83dc4a95", "name": "My API Token", "status": "active"}
		switch r.Method {
		case http.MethodPatch:
			_ = json.NewDecoder(r.Body).Decode(&token)
		case http.MethodDelete:
			token = map[string]any{"success": true}
		}
		_ = json.NewEncoder(w).Encode(token)
	}))
}

func Example() {
	api := exampleAPI()
	defer api.Close()

	// In production: losant.NewClient(os.Getenv("LOSANT_API_TOKEN")).
	client, err := losant.NewClient("my-api-token", losant.WithBaseURL(api.URL))
	if err != nil {
		log.Fatal(err)
	}
	ctx := context.Background()
	token, err := client.APITokens(losant.User()).Get(ctx, "575ec7417ae143cd83dc4a95")
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(token.Name, token.Status)
	// Output: My API Token active
}

func ExampleNewClient() {
	client, err := losant.NewClient("my-api-token",
		losant.WithDomain("example.com"),
		losant.WithUserAgent("my-service/1.0"),
		losant.WithHTTPClient(&http.Client{Timeout: 10 * time.Second}),
	)
	fmt.Println(client != nil, err)
	// Output: true <nil>
}

func ExampleAPITokenService_Get_application() {
	api := exampleAPI()
	defer api.Close()
	client, _ := losant.NewClient("my-api-token", losant.WithBaseURL(api.URL))

	tokens := client.APITokens(losant.Application("575ec8687ae143cd83dc4a97"))
	token, err := tokens.Get(context.Background(), "575ec7417ae143cd83dc4a95")
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(token.ID, token.Name)
	// Output: 575ec7417ae143cd83dc4a95 My API Token
}

func ExampleAPITokenService_Patch_application() {
	api := exampleAPI()
	defer api.Close()
	client, _ := losant.NewClient("my-api-token", losant.WithBaseURL(api.URL))

	tokens := client.APITokens(losant.Application("575ec8687ae143cd83dc4a97"))
	token, err := tokens.Patch(context.Background(), "575ec7417ae143cd83dc4a95",
		gen.APITokenPatch{Status: losant.Ptr(gen.APITokenStatusInactive)})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(token.Name, token.Status)
	// Output: My API Token inactive
}

func ExampleAPITokenService_Delete_application() {
	api := exampleAPI()
	defer api.Close()
	client, _ := losant.NewClient("my-api-token", losant.WithBaseURL(api.URL))

	tokens := client.APITokens(losant.Application("575ec8687ae143cd83dc4a97"))
	err := tokens.Delete(context.Background(), "575ec7417ae143cd83dc4a95")
	fmt.Println(err)
	// Output: <nil>
}

func ExampleAPITokenService_Get() {
	api := exampleAPI()
	defer api.Close()
	client, _ := losant.NewClient("my-api-token", losant.WithBaseURL(api.URL))

	// Domain sets the losantdomain header of this call only.
	token, err := client.APITokens(losant.User()).Get(context.Background(), "575ec7417ae143cd83dc4a95",
		losant.WithDomain("example.com"))
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(token.Name)
	// Output: My API Token
}

func ExampleAPITokenService_Patch() {
	api := exampleAPI()
	defer api.Close()
	client, _ := losant.NewClient("my-api-token", losant.WithBaseURL(api.URL))

	token, err := client.APITokens(losant.User()).Patch(context.Background(), "575ec7417ae143cd83dc4a95",
		gen.APITokenPatch{Name: losant.Ptr("CI token")})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(token.Name)
	// Output: CI token
}

func ExampleAPITokenService_Delete() {
	api := exampleAPI()
	defer api.Close()
	client, _ := losant.NewClient("my-api-token", losant.WithBaseURL(api.URL))

	err := client.APITokens(losant.User()).Delete(context.Background(), "575ec7417ae143cd83dc4a95")
	fmt.Println(err)
	// Output: <nil>
}

func ExampleStatusCode() {
	api := exampleAPI()
	defer api.Close()
	client, _ := losant.NewClient("my-api-token", losant.WithBaseURL(api.URL))

	_, err := client.APITokens(losant.User()).Get(context.Background(), "000000000000000000000000")
	fmt.Println(losant.StatusCode(err) == http.StatusNotFound)

	var apiErr *losant.Error
	if errors.As(err, &apiErr) {
		fmt.Println(apiErr.StatusCode, apiErr.Type, apiErr.Message)
	}
	// Output:
	// true
	// 404 NotFound API Token was not found
}

func ExampleWithRetry() {
	api := exampleAPI()
	defer api.Close()

	client, err := losant.NewClient("my-api-token",
		losant.WithBaseURL(api.URL),
		losant.WithRetry(losant.RetryPolicy{MaxAttempts: 5, MinWait: 100 * time.Millisecond, MaxWait: 30 * time.Second}))
	if err != nil {
		log.Fatal(err)
	}
	token, err := client.APITokens(losant.User()).Get(context.Background(), "575ec7417ae143cd83dc4a95")
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(token.Name)
	// Output: My API Token
}

func ExampleArgumentError() {
	client, err := losant.NewClient("my-api-token")
	if err != nil {
		log.Fatal(err)
	}
	// Refused before anything is sent: the API would answer 400.
	_, err = client.APITokens(losant.User()).Patch(context.Background(), "575ec7417ae143cd83dc4a95",
		gen.APITokenPatch{Name: losant.Ptr("")})
	var argErr *losant.ArgumentError
	if errors.As(err, &argErr) {
		fmt.Println(argErr.Field, errors.Is(err, losant.ErrInvalidArgument))
	}
	// Output: name true
}

func ExampleAPITokenService_Create() {
	client, stop := exampleFake()
	defer stop()
	token, err := client.APITokens(losant.User()).Create(context.Background(), gen.APITokenPost{
		Name:  "Nightly backup",
		Scope: []string{"all.User.read"},
	})
	if err != nil {
		log.Fatal(err)
	}
	// token.Token holds the secret: store it now, no later call returns it.
	fmt.Println(token.Name, token.Status, token.Token != "")
	// Output: Nightly backup active true
}

// A role-based token (API 1.30): it holds a default role, and its own
// roles in an organization and on one of its applications.
func ExampleAPITokenService_Create_roles() {
	client, stop := exampleFake()
	defer stop()
	token, err := client.APITokens(losant.Application(exampleAppID)).Create(context.Background(), gen.APITokenPost{
		Name:        "Gateway 7",
		Scope:       []string{"all.Application.bounded"},
		DefaultRole: losant.Ptr(gen.APITokenRoleNone),
		OrgRoles: []gen.APITokenOrgRole{{
			OrgID: "575ec8687ae143cd83dc4a00",
			Role:  gen.APITokenRoleView,
			ApplicationRoles: []gen.APITokenResourceRole{
				{ResourceID: exampleAppID, Role: gen.APITokenResourceAccessCollaborate},
			},
		}},
	})
	if err != nil {
		log.Fatal(err)
	}
	org := token.OrgRoles[0]
	fmt.Println(token.Name, token.DefaultRole, org.Role, org.ApplicationRoles[0].Role)
	// Output: Gateway 7 none view collaborate
}

func ExampleAPITokenService_All_application() {
	client, stop := exampleFake()
	defer stop()
	ctx := context.Background()
	for _, name := range []string{"ingest ci", "dashboard", "deploy ci"} {
		_, err := client.APITokens(losant.Application(exampleAppID)).Create(ctx, gen.APITokenPost{Name: name})
		if err != nil {
			log.Fatal(err)
		}
	}
	// Every token whose name ends in "ci", by name, no more than 50 a
	// request. (Without a SortField, All lists tokens in the order they were
	// made; PerPage under losant.MinAllPerPage is refused.)
	opts := losant.APITokenListOptions{FilterField: gen.APITokenFilterFieldName, Filter: "* ci", PerPage: 50, SortField: gen.APITokenSortFieldName}
	for token, err := range client.APITokens(losant.Application(exampleAppID)).All(ctx, opts) {
		if err != nil {
			log.Fatal(err)
		}
		fmt.Println(token.Name)
	}
	// Output:
	// deploy ci
	// ingest ci
}

const (
	exampleAppID      = "575ec8687ae143cd83dc4a97"
	exampleInstanceID = "575ec8687ae143cd83dc4a99"
)

// exampleFake starts losanttest with exampleFixtures and returns a client
// of it, authenticated as the user, and the function that stops it.
func exampleFake() (*losant.Client, func()) {
	srv, err := losanttest.NewServer(losanttest.WithFixtures(exampleFixtures))
	if err != nil {
		log.Fatal(err)
	}
	client := srv.Client("my-api-token")
	return client, srv.Close
}

// exampleFixtures are a user, its application, an instance it is a member
// of, and the user's token whose secret is "my-api-token".
var exampleFixtures = losanttest.Fixtures{
	Users:        []losanttest.User{{ID: "575ed70c7ae143cd83dc4aa9", Email: "ada@example.com"}},
	Applications: []losanttest.Application{{ID: exampleAppID, OwnerID: "575ed70c7ae143cd83dc4aa9"}},
	Instances:    []losanttest.Instance{{ID: exampleInstanceID, Members: []string{"575ed70c7ae143cd83dc4aa9"}}},
	Tokens: []losanttest.Token{{
		OwnerType: gen.APITokenOwnerTypeUser, OwnerID: "575ed70c7ae143cd83dc4aa9",
		Name: "CLI", Secret: "my-api-token", Scope: []string{"all.User"},
	}},
}

func ExampleAPITokenService_List_application() {
	client, stop := exampleFake()
	defer stop()
	ctx := context.Background()
	for _, name := range []string{"ingest", "dashboard", "deploy"} {
		if _, err := client.APITokens(losant.Application(exampleAppID)).Create(ctx, gen.APITokenPost{Name: name}); err != nil {
			log.Fatal(err)
		}
	}
	// One page: the first two tokens by name, of three in all.
	page, err := client.APITokens(losant.Application(exampleAppID)).List(ctx, losant.APITokenListOptions{
		SortField: gen.APITokenSortFieldName, PerPage: 2,
	})
	if err != nil {
		log.Fatal(err)
	}
	for _, token := range page.Items {
		fmt.Println(token.Name)
	}
	fmt.Println(page.Count, "of", page.TotalCount)
	// Output:
	// dashboard
	// deploy
	// 2 of 3
}

func ExampleAPITokenService_List() {
	client, stop := exampleFake()
	defer stop()
	// The user's inactive tokens.
	page, err := client.APITokens(losant.User()).List(context.Background(), losant.APITokenListOptions{
		FilterField: gen.APITokenFilterFieldStatus, Filter: "inactive",
	})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(page.TotalCount)
	// Output: 0
}

func ExampleAPITokenService_Create_application() {
	client, stop := exampleFake()
	defer stop()
	expires := time.Date(2027, 1, 1, 0, 0, 0, 0, time.UTC)
	token, err := client.APITokens(losant.Application(exampleAppID)).Create(context.Background(), gen.APITokenPost{
		Name:           "Sensor uploader",
		Description:    losant.Ptr("uploads readings from the greenhouse"),
		Scope:          []string{"data.*", "device.*"},
		ExpirationDate: &expires,
	})
	if err != nil {
		log.Fatal(err)
	}
	// token.Token holds the secret: store it now, no later call returns it.
	fmt.Println(token.Name, token.OwnerType, token.ExpirationDate.Year(), token.Token != "")
	// Output: Sensor uploader application 2027 true
}

func ExampleAPITokenService_All() {
	client, stop := exampleFake()
	defer stop()
	// Every token of the user, page after page.
	for token, err := range client.APITokens(losant.User()).All(context.Background(), losant.APITokenListOptions{}) {
		if err != nil {
			log.Fatal(err)
		}
		fmt.Println(token.Name, token.Status)
	}
	// Output: CLI active
}

func ExampleAPITokenService_Expiring() {
	client, stop := exampleFake()
	defer stop()
	ctx := context.Background()
	soon := time.Now().Add(72 * time.Hour)
	if _, err := client.APITokens(losant.User()).Create(ctx, gen.APITokenPost{Name: "Trial", ExpirationDate: &soon}); err != nil {
		log.Fatal(err)
	}
	// The tokens that expire within two weeks, or already have.
	for token, err := range client.APITokens(losant.User()).Expiring(ctx, time.Now().AddDate(0, 0, 14), losant.APITokenListOptions{}) {
		if err != nil {
			log.Fatal(err)
		}
		fmt.Println(token.Name)
	}
	// Output: Trial
}

// The same calls act on an Enterprise instance's tokens: the owner is the
// only difference.
func ExampleInstance() {
	client, stop := exampleFake()
	defer stop()
	ctx := context.Background()
	tokens := client.APITokens(losant.Instance(exampleInstanceID))
	created, err := tokens.Create(ctx, gen.APITokenPost{Name: "Audit export", Scope: []string{"all.Instance.read"}})
	if err != nil {
		log.Fatal(err)
	}
	token, err := tokens.Get(ctx, created.ID)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(token.Name, token.OwnerType, tokens.Owner().Type())
	// Output: Audit export instance instance
}

func ExampleAPITokenService_Expiring_application() {
	client, stop := exampleFake()
	defer stop()
	ctx := context.Background()
	tokens := client.APITokens(losant.Application(exampleAppID))
	soon := time.Now().AddDate(0, 0, 7)
	if _, err := tokens.Create(ctx, gen.APITokenPost{Name: "Old gateway", ExpirationDate: &soon}); err != nil {
		log.Fatal(err)
	}
	// The tokens that expire within 30 days, or already have.
	for token, err := range tokens.Expiring(ctx, time.Now().AddDate(0, 0, 30), losant.APITokenListOptions{}) {
		if err != nil {
			log.Fatal(err)
		}
		fmt.Println(token.Name)
	}
	// Output: Old gateway
}

// Any function that returns the current token can be a source, such as one
// that reads what a secrets manager's client keeps up to date. It is called
// before every request, so it returns a value it holds.
func ExampleWithTokenSource() {
	api := exampleAPI()
	defer api.Close()

	var current atomic.Pointer[string] // set by whatever renews the token
	initial := "my-api-token"
	current.Store(&initial)

	client, err := losant.NewClient("", losant.WithBaseURL(api.URL),
		losant.WithTokenSource(losant.TokenSourceFunc(func() (string, error) {
			return *current.Load(), nil
		})))
	if err != nil {
		log.Fatal(err)
	}
	renewed := "my-renewed-api-token"
	current.Store(&renewed) // the next call sends this one
	token, err := client.APITokens(losant.User()).Get(context.Background(), "575ec7417ae143cd83dc4a95")
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(token.Name)
	// Output: My API Token
}
