package losantotel_test

import (
	"context"
	"fmt"
	"log"

	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/sdk/trace/tracetest"

	"github.com/specdriven/losant"
	"github.com/specdriven/losant/gen"
	"github.com/specdriven/losant/losantotel"
	"github.com/specdriven/losant/losanttest"
)

// A client whose calls are spans; here recorded in memory, in a program
// given to an exporter such as OTLP.
func ExampleHooks() {
	fake, err := losanttest.NewServer() // stands in for api.losant.com
	if err != nil {
		log.Fatal(err)
	}
	defer fake.Close()
	user := fake.AddUser(losanttest.User{})
	bearer := fake.AddToken(losanttest.Token{OwnerType: gen.APITokenOwnerTypeUser, OwnerID: user.ID, Scope: []string{"all.User"}})

	spans := tracetest.NewInMemoryExporter()
	hooks, err := losantotel.Hooks(losantotel.WithTracerProvider(sdktrace.NewTracerProvider(sdktrace.WithSyncer(spans))))
	if err != nil {
		log.Fatal(err)
	}
	client, err := losant.NewClient(bearer.Secret, losant.WithBaseURL(fake.URL), losant.WithHooks(hooks))
	if err != nil {
		log.Fatal(err)
	}
	if _, err := client.APITokens(losant.User()).Get(context.Background(), bearer.ID); err != nil {
		log.Fatal(err)
	}
	for _, s := range spans.GetSpans() {
		fmt.Println(s.Name, len(s.Events), "attempt")
	}
	// Output: getUserApiToken 1 attempt
}
