package losant_test

import (
	"context"
	"fmt"
	"io"
	"log"
	"net/http"

	"github.com/specdriven/losant"
)

// A client that oapi-codegen generated from another spec of the Losant
// API takes the editors as its RequestEditorFn options:
//
//	devices.NewClient(server,
//		devices.WithRequestEditorFn(losant.BearerAuth(src)),
//		devices.WithRequestEditorFn(losant.DomainScope("example.com")))
//
// Here the editors act on a request built by hand.
func ExampleBearerAuth() {
	src := losant.TokenSourceFunc(func() (string, error) { return "my-api-token", nil })
	req, err := http.NewRequest(http.MethodGet, "https://api.losant.com/applications", nil)
	if err != nil {
		log.Fatal(err)
	}
	for _, edit := range []func(context.Context, *http.Request) error{
		losant.BearerAuth(src),
		losant.DomainScope("example.com"),
	} {
		if err := edit(req.Context(), req); err != nil {
			log.Fatal(err)
		}
	}
	fmt.Println(req.Header.Get("Authorization") != "", req.Header.Get("losantdomain"))
	// Output: true example.com
}

// DomainScope refuses what is not a host name, such as a token pasted in
// its place, without quoting it.
func ExampleDomainScope() {
	req, _ := http.NewRequest(http.MethodGet, "https://api.losant.com/applications", nil)
	err := losant.DomainScope("eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiI1NzVlYzc0MTdhZTE0M2NkODNkYzRhOTUifQ.c2ln")(req.Context(), req)
	fmt.Println(err)
	// Output: losant: invalid losantdomain: not a host name such as example.com: shaped like a token
}

// A generated client sends through the client's pipeline with
// devices.WithHTTPClient(client.HTTPDoer()); here a request built by
// hand goes the same way.
func ExampleClient_HTTPDoer() {
	api := exampleAPI()
	defer api.Close()

	client, err := losant.NewClient("my-api-token", losant.WithBaseURL(api.URL))
	if err != nil {
		log.Fatal(err)
	}
	req, err := http.NewRequest(http.MethodGet, api.URL+"/me/tokens/575ec7417ae143cd83dc4a95", nil)
	if err != nil {
		log.Fatal(err)
	}
	resp, err := client.HTTPDoer().Do(req)
	if err != nil {
		log.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	fmt.Println(resp.StatusCode, len(body) > 0)

	// A request for anywhere else is refused before it is sent.
	elsewhere, _ := http.NewRequest(http.MethodGet, "https://example.com/steal", nil)
	_, err = client.HTTPDoer().Do(elsewhere)
	fmt.Println(err)
	// Output:
	// 200 true
	// losant: invalid request URL: not the client's base URL's scheme, host and port: the token goes nowhere else
}
