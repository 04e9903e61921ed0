package losantotel_test

import (
	"context"
	"fmt"
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.opentelemetry.io/otel"
	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/codes"
	sdkmetric "go.opentelemetry.io/otel/sdk/metric"
	"go.opentelemetry.io/otel/sdk/metric/metricdata"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/sdk/trace/tracetest"
	"go.opentelemetry.io/otel/trace"

	"github.com/specdriven/losant"
	"github.com/specdriven/losant/gen"
	"github.com/specdriven/losant/losantotel"
	"github.com/specdriven/losant/losanttest"
)

// telemetry is a client of a fake whose calls are recorded in memory.
type telemetry struct {
	fake   *losanttest.Server
	client *losant.Client
	secret string
	target losanttest.Token
	spans  *tracetest.InMemoryExporter
	reader *sdkmetric.ManualReader
}

func newTelemetry(t *testing.T) *telemetry {
	t.Helper()
	fake := losanttest.New(t)
	user := fake.AddUser(losanttest.User{})
	bearer := fake.AddToken(losanttest.Token{OwnerType: gen.APITokenOwnerTypeUser, OwnerID: user.ID, Scope: []string{"all.User"}})
	target := fake.AddToken(losanttest.Token{Name: "target", OwnerType: gen.APITokenOwnerTypeUser, OwnerID: user.ID})
	spans := tracetest.NewInMemoryExporter()
	reader := sdkmetric.NewManualReader()
	hooks, err := losantotel.Hooks(
		losantotel.WithTracerProvider(sdktrace.NewTracerProvider(sdktrace.WithSyncer(spans))),
		losantotel.WithMeterProvider(sdkmetric.NewMeterProvider(sdkmetric.WithReader(reader))))
	require.NoError(t, err)
	client := fake.Client(bearer.Secret, losant.WithHooks(hooks),
		losant.WithRetry(losant.RetryPolicy{MaxAttempts: 3, MinWait: time.Millisecond, MaxWait: time.Second}))
	return &telemetry{fake: fake, client: client, secret: bearer.Secret, target: target, spans: spans, reader: reader}
}

// metrics returns the data points of every instrument, by instrument and
// then by their operation and outcome.
func (tm *telemetry) metrics(t *testing.T) map[string]map[string]float64 {
	t.Helper()
	var rm metricdata.ResourceMetrics
	require.NoError(t, tm.reader.Collect(context.Background(), &rm))
	out := map[string]map[string]float64{}
	for _, sm := range rm.ScopeMetrics {
		assert.Equal(t, "github.com/specdriven/losant/losantotel", sm.Scope.Name)
		for _, m := range sm.Metrics {
			points := map[string]float64{}
			switch data := m.Data.(type) {
			case metricdata.Sum[int64]:
				for _, p := range data.DataPoints {
					points[key(p.Attributes)] = float64(p.Value)
				}
			case metricdata.Histogram[float64]:
				for _, p := range data.DataPoints {
					points[key(p.Attributes)] = float64(p.Count)
					assert.Positive(t, p.Sum, "calls take time")
				}
			default:
				t.Fatalf("%s: unexpected data %T", m.Name, m.Data)
			}
			out[m.Name] = points
		}
	}
	return out
}

func key(set attribute.Set) string {
	op, _ := set.Value(losantotel.OperationKey)
	outcome, _ := set.Value(losantotel.OutcomeKey)
	return op.AsString() + " " + outcome.AsString()
}

// A call is a span with each attempt as an event, and counts in the three
// instruments; a retried 503 is an attempt, not a failed call.
func TestACallIsASpanWithItsAttempts(t *testing.T) {
	t.Parallel()
	tm := newTelemetry(t)
	tm.fake.Inject(losanttest.Fault{Status: http.StatusServiceUnavailable}, losanttest.Times(1))
	parent, span := sdktrace.NewTracerProvider().Tracer("test").Start(context.Background(), "handler")
	_, err := tm.client.APITokens(losant.User()).Get(parent, tm.target.ID)
	require.NoError(t, err)
	span.End()

	spans := tm.spans.GetSpans()
	require.Len(t, spans, 1)
	s := spans[0]
	assert.Equal(t, "getUserApiToken", s.Name)
	assert.Equal(t, trace.SpanKindClient, s.SpanKind)
	assert.Equal(t, span.SpanContext().TraceID(), s.SpanContext.TraceID(), "a child of the caller's span")
	assert.Equal(t, codes.Unset, s.Status.Code)
	attrs := attribute.NewSet(s.Attributes...)
	method, _ := attrs.Value("http.request.method")
	status, _ := attrs.Value("http.response.status_code")
	attempts, _ := attrs.Value(losantotel.AttemptsKey)
	assert.Equal(t, "GET", method.AsString())
	assert.EqualValues(t, 200, status.AsInt64())
	assert.EqualValues(t, 2, attempts.AsInt64())
	require.Len(t, s.Events, 2)
	first := attribute.NewSet(s.Events[0].Attributes...)
	outcome, _ := first.Value(losantotel.OutcomeKey)
	_, waited := first.Value(losantotel.RetryWaitKey)
	assert.Equal(t, "503", outcome.AsString())
	assert.True(t, waited, "the first attempt says its retry's wait")
	second := attribute.NewSet(s.Events[1].Attributes...)
	outcome, _ = second.Value(losantotel.OutcomeKey)
	assert.Equal(t, "200", outcome.AsString())

	m := tm.metrics(t)
	assert.Equal(t, map[string]float64{"getUserApiToken 200": 1}, m["losant.client.calls"])
	assert.Equal(t, map[string]float64{"getUserApiToken 503": 1, "getUserApiToken 200": 1}, m["losant.client.attempts"])
	assert.Equal(t, map[string]float64{"getUserApiToken 200": 1}, m["losant.client.call.duration"])
}

// A failed call's span says it failed, and why; no outcome records the
// token.
func TestAFailedCallIsAnErrorSpan(t *testing.T) {
	t.Parallel()
	tm := newTelemetry(t)
	_, err := tm.client.APITokens(losant.User()).Get(context.Background(), "575ec7417ae143cd83dc4a99")
	require.True(t, losant.StatusCode(err) == http.StatusNotFound)
	tm.fake.Inject(losanttest.Fault{Drop: true}, losanttest.Times(0))
	_, err = tm.client.APITokens(losant.User()).Patch(context.Background(), tm.target.ID, gen.APITokenPatch{Name: losant.Ptr("x")})
	require.ErrorIs(t, err, losant.ErrMayHaveActed)

	spans := tm.spans.GetSpans()
	require.Len(t, spans, 2)
	assert.Equal(t, codes.Error, spans[0].Status.Code)
	assert.Equal(t, "404", spans[0].Status.Description)
	assert.Equal(t, "patchUserApiToken", spans[1].Name)
	assert.Equal(t, codes.Error, spans[1].Status.Code)
	assert.Equal(t, "error", spans[1].Status.Description)
	failed := attribute.NewSet(spans[1].Attributes...)
	errType, _ := failed.Value("error.type")
	assert.Equal(t, "transport", errType.AsString())
	require.NotEmpty(t, spans[1].Events)
	assert.NotContains(t, fmt.Sprintf("%+v", spans), tm.secret)

	m := tm.metrics(t)
	assert.Equal(t, map[string]float64{"getUserApiToken 404": 1, "patchUserApiToken error": 1}, m["losant.client.calls"])
	assert.Equal(t, 1.0, m["losant.client.attempts"]["getUserApiToken 404"])
	assert.NotContains(t, fmt.Sprint(m), tm.secret)
}

// Client.Do's calls, and those of a generated client through HTTPDoer,
// are recorded under their method and route, each ID as {id}: one name
// per endpoint, however many tokens it is called on.
func TestDoAndTheDoerAreRecordedByRoute(t *testing.T) {
	t.Parallel()
	tm := newTelemetry(t)
	require.NoError(t, tm.client.Do(context.Background(), http.MethodGet, "me/tokens/"+tm.target.ID, nil, nil))
	req, err := http.NewRequest(http.MethodGet, tm.fake.URL+"/me/tokens/"+tm.target.ID, nil)
	require.NoError(t, err)
	resp, err := tm.client.HTTPDoer().Do(req)
	require.NoError(t, err)
	resp.Body.Close()
	spans := tm.spans.GetSpans()
	require.Len(t, spans, 2)
	assert.Equal(t, "GET /me/tokens/{id}", spans[0].Name)
	assert.Equal(t, "GET /me/tokens/{id}", spans[1].Name)
	assert.Equal(t, map[string]float64{"GET /me/tokens/{id} 200": 2}, tm.metrics(t)["losant.client.calls"])
}

// Hooks with no providers use the global ones: a span and the counts of a
// call reach the providers a program set with otel.SetTracerProvider and
// otel.SetMeterProvider. (Not parallel: it sets the process's providers,
// and puts back those it found.)
func TestHooksWithTheGlobalProviders(t *testing.T) {
	spans := tracetest.NewInMemoryExporter()
	reader := sdkmetric.NewManualReader()
	tracers, meters := otel.GetTracerProvider(), otel.GetMeterProvider()
	t.Cleanup(func() {
		otel.SetTracerProvider(tracers)
		otel.SetMeterProvider(meters)
	})
	otel.SetTracerProvider(sdktrace.NewTracerProvider(sdktrace.WithSyncer(spans)))
	otel.SetMeterProvider(sdkmetric.NewMeterProvider(sdkmetric.WithReader(reader)))

	hooks, err := losantotel.Hooks(nil)
	require.NoError(t, err)
	fake := losanttest.New(t)
	user := fake.AddUser(losanttest.User{})
	bearer := fake.AddToken(losanttest.Token{OwnerType: gen.APITokenOwnerTypeUser, OwnerID: user.ID, Scope: []string{"all.User"}})
	_, err = fake.Client(bearer.Secret, losant.WithHooks(hooks)).APITokens(losant.User()).Get(context.Background(), bearer.ID)
	require.NoError(t, err)

	got := spans.GetSpans()
	require.Len(t, got, 1, "the call's span reached the global tracer provider")
	assert.Equal(t, "getUserApiToken", got[0].Name)
	tm := &telemetry{reader: reader}
	assert.Equal(t, map[string]float64{"getUserApiToken 200": 1}, tm.metrics(t)["losant.client.calls"],
		"the call was counted by the global meter provider")
}
