// Package losantotel records the calls of a losant.Client as OpenTelemetry
// spans and metrics, built on the client's hooks (losant.WithHooks):
//
//	hooks, err := losantotel.Hooks() // the global tracer and meter providers
//	if err != nil { ... }
//	client, err := losant.NewClient(token, losant.WithHooks(hooks))
//
// Each call is a client span named after its operation (the spec's
// operationId, such as "getApplicationApiToken"; for Client.Do and
// HTTPDoer the method and route, such as "GET /applications/{id}/devices"),
// with http.request.method, url.path, OperationKey,
// AttemptsKey, http.response.status_code and, when it fails, error.type;
// each attempt is an event "attempt" with AttemptKey, OutcomeKey,
// AttemptDurationKey and RetryWaitKey when a retry follows. It needs Go
// 1.26, as OpenTelemetry v1.47 does. Three instruments measure
// them:
//
//   - losant.client.calls: calls, by operation and outcome
//   - losant.client.attempts: attempts, by operation and outcome (a
//     status such as "503", or "error" for no answer)
//   - losant.client.call.duration: the time of calls, in seconds, by
//     operation and outcome
//
// It is a module of its own, so that a program that imports only package
// losant requires nothing of OpenTelemetry. Nothing it records holds the
// access token: the hooks never receive it.
package losantotel

import (
	"context"
	"errors"
	"strconv"
	"time"

	"go.opentelemetry.io/otel"
	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/codes"
	"go.opentelemetry.io/otel/metric"
	"go.opentelemetry.io/otel/trace"

	"github.com/specdriven/losant"
)

// instrumentation names the tracer and the meter.
const instrumentation = "github.com/specdriven/losant/losantotel"

// Attribute keys of the spans, events and metrics.
const (
	// OperationKey is the call's operation: the spec's operationId.
	OperationKey = attribute.Key("losant.operation")
	// OutcomeKey is a call's or an attempt's outcome: its status, such as
	// "200" or "503", or "error" when it got no answer.
	OutcomeKey = attribute.Key("losant.outcome")
	// AttemptKey is an attempt's number, from 1.
	AttemptKey = attribute.Key("losant.attempt")
	// RetryWaitKey is the wait before the next attempt, in seconds, of an
	// attempt that a retry follows.
	RetryWaitKey = attribute.Key("losant.retry.wait")
	// AttemptDurationKey is an attempt's time, in seconds.
	AttemptDurationKey = attribute.Key("losant.attempt.duration")
	// AttemptsKey is how many attempts a call made, on its span.
	AttemptsKey = attribute.Key("losant.attempts")
)

// An Option configures Hooks.
type Option func(*config)

type config struct {
	tracers trace.TracerProvider
	meters  metric.MeterProvider
}

// WithTracerProvider records spans with tp (default: otel.GetTracerProvider).
func WithTracerProvider(tp trace.TracerProvider) Option {
	return func(c *config) { c.tracers = tp }
}

// WithMeterProvider records metrics with mp (default: otel.GetMeterProvider).
func WithMeterProvider(mp metric.MeterProvider) Option {
	return func(c *config) { c.meters = mp }
}

// recorder holds the tracer and the instruments the hooks record with.
type recorder struct {
	tracer   trace.Tracer
	calls    metric.Int64Counter
	attempts metric.Int64Counter
	duration metric.Float64Histogram
}

// Hooks returns the hooks that record a client's calls; give them to
// losant.WithHooks. It fails only when an instrument cannot be made.
func Hooks(opts ...Option) (losant.Hooks, error) {
	c := config{}
	for _, opt := range opts {
		if opt != nil {
			opt(&c)
		}
	}
	if c.tracers == nil {
		c.tracers = otel.GetTracerProvider()
	}
	if c.meters == nil {
		c.meters = otel.GetMeterProvider()
	}
	meter := c.meters.Meter(instrumentation, metric.WithInstrumentationVersion(losant.Version()))
	calls, err1 := meter.Int64Counter("losant.client.calls", metric.WithUnit("{call}"),
		metric.WithDescription("Calls of the Losant API, by operation and outcome."))
	attempts, err2 := meter.Int64Counter("losant.client.attempts", metric.WithUnit("{attempt}"),
		metric.WithDescription("Attempts of calls of the Losant API, retries included, by operation and outcome."))
	duration, err3 := meter.Float64Histogram("losant.client.call.duration", metric.WithUnit("s"),
		metric.WithDescription("The time of calls of the Losant API, retries and their waits included."))
	if err := errors.Join(err1, err2, err3); err != nil {
		return losant.Hooks{}, err
	}
	r := &recorder{
		tracer:   c.tracers.Tracer(instrumentation, trace.WithInstrumentationVersion(losant.Version())),
		calls:    calls,
		attempts: attempts,
		duration: duration,
	}
	return losant.Hooks{CallStart: r.callStart, AttemptDone: r.attemptDone, CallDone: r.callDone}, nil
}

// operation is the name a call is recorded under.
func operation(call losant.CallInfo) string {
	if call.Operation == "" {
		return "losant.Do"
	}
	return call.Operation
}

// outcome is an answer's status, or "error" when there was none.
func outcome(status int) string {
	if status == 0 {
		return "error"
	}
	return strconv.Itoa(status)
}

func (r *recorder) callStart(ctx context.Context, call losant.CallInfo) context.Context {
	ctx, _ = r.tracer.Start(ctx, operation(call), trace.WithSpanKind(trace.SpanKindClient), trace.WithAttributes(
		OperationKey.String(operation(call)),
		attribute.String("http.request.method", call.Method),
		attribute.String("url.path", call.Path),
	))
	return ctx
}

func (r *recorder) attemptDone(ctx context.Context, call losant.CallInfo, a losant.Attempt) {
	attrs := []attribute.KeyValue{
		AttemptKey.Int(a.Number),
		OutcomeKey.String(outcome(a.StatusCode)),
		AttemptDurationKey.Float64(a.Duration.Seconds()),
	}
	if a.Retry {
		attrs = append(attrs, RetryWaitKey.Float64(a.Wait.Seconds()))
	}
	if a.Err != nil {
		attrs = append(attrs, attribute.String("error.message", a.Err.Error()))
	}
	trace.SpanFromContext(ctx).AddEvent("attempt", trace.WithAttributes(attrs...))
	r.attempts.Add(ctx, 1, metric.WithAttributes(OperationKey.String(operation(call)), OutcomeKey.String(outcome(a.StatusCode))))
}

func (r *recorder) callDone(ctx context.Context, call losant.CallInfo, res losant.CallResult) {
	span := trace.SpanFromContext(ctx)
	if res.StatusCode != 0 {
		span.SetAttributes(attribute.Int("http.response.status_code", res.StatusCode))
	}
	span.SetAttributes(AttemptsKey.Int(res.Attempts))
	if res.Err != nil {
		span.RecordError(res.Err)
		span.SetAttributes(attribute.String("error.type", errorType(res.StatusCode)))
		span.SetStatus(codes.Error, outcome(res.StatusCode))
	}
	span.End()
	attrs := metric.WithAttributes(OperationKey.String(operation(call)), OutcomeKey.String(outcome(res.StatusCode)))
	r.calls.Add(ctx, 1, attrs)
	r.duration.Record(ctx, seconds(res.Duration), attrs)
}

func seconds(d time.Duration) float64 { return d.Seconds() }

// errorType is a failed call's error.type, as OpenTelemetry's HTTP
// conventions name it: the status, or "transport" when there was none.
func errorType(status int) string {
	if status == 0 {
		return "transport"
	}
	return strconv.Itoa(status)
}
