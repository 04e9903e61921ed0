# Tool versions are pinned here, or in go.mod's tool directive (oapi-codegen);
# `go run tools.go` lists them and fails on a tool run at no pinned version.
STATICCHECK := honnef.co/go/tools/cmd/staticcheck@v0.8.2
REDOCLY     := @redocly/cli@2.77.0
GO_TEST     := go test -race -count=1 ./...
FUZZTIME    ?= 30s
BENCHSTAT   := golang.org/x/perf/cmd/benchstat@v0.0.0-20260908200009-22c9c6c9d4da
GORELEASER  := github.com/goreleaser/goreleaser/v2@v2.15.1
BENCHCOUNT  ?= 6
BENCHTIME   ?= 1s
FUZZ_TARGETS := FuzzDecode FuzzCheckIDs FuzzCheckPatch FuzzCheckDomain

.PHONY: all generate check-generated check-breaking test lint vet staticcheck lint-spec check-files check-deps check-tools check-api api cover fuzz bench bench-once demo fake soak scale interop release-snapshot release-check

all: check-generated lint test

## generate: regenerate gen/ (the models), internal/wire (the request builders) and losanttest's
## operation names from api/openapi.yaml
generate:
	go generate ./...

## check-generated: fail if gen/, internal/wire or losanttest/operations.gen.go is not exactly what the
## spec generates
check-generated:
	@tmp=$$(mktemp -d) && trap 'rm -rf "$$tmp"' EXIT && \
	tar --exclude=./.git -cf - . | tar -C "$$tmp" -xf - && \
	(cd "$$tmp" && go generate ./...) && \
	diff -ru gen "$$tmp/gen" && diff -ru internal/wire "$$tmp/internal/wire" && \
	diff -u losanttest/operations.gen.go "$$tmp/losanttest/operations.gen.go" && \
	echo "gen/, internal/wire and losanttest/operations.gen.go are up to date with api/openapi.yaml"

## check-breaking: fail on a breaking change to the spec since BASE (a commit, branch or tag; default
## main) unless api/breaking-changes.txt acknowledges it
OASDIFF := github.com/oasdiff/oasdiff@v1.36.0
BASE    ?= $(shell git rev-parse -q --verify main >/dev/null && echo main || echo HEAD)
check-breaking:
	go run $(OASDIFF) breaking --fail-on ERR --err-ignore api/breaking-changes.txt "$(BASE):api/openapi.yaml" api/openapi.yaml

## test: the test suite, with the race detector: the client's module, then losantotel's (a module of
## its own, so that the client's importers require nothing of OpenTelemetry)
test:
	$(GO_TEST)
	cd losantotel && $(GO_TEST)

## lint: gofmt, go vet, staticcheck, the client's import graph, pinned tools, the OpenAPI linter, tracked files
lint: vet staticcheck check-deps check-tools lint-spec check-files
	@unformatted=$$(gofmt -l .) && [ -z "$$unformatted" ] || { echo "gofmt needed: $$unformatted"; exit 1; }

vet:
	go vet ./...
	cd losantotel && go vet ./...

# gen/ and internal/wire are left out: oapi-codegen's output, never edited here; its
# findings (a deprecated runtime helper, string context keys) are upstream's.
staticcheck:
	go run $(STATICCHECK) $$(go list ./... | grep -v -e '/gen$$' -e '/internal/wire$$')
	cd losantotel && go run $(STATICCHECK) ./...

## check-deps: the client package must not compile kin-openapi or YAML parsers
check-deps:
	@deps=$$(go list -deps -f '{{if not .Standard}}{{.ImportPath}}{{end}}' .) && \
	echo "the client package compiles:" $$deps && \
	! echo "$$deps" | grep -E 'kin-openapi|gorilla|yaml|testify|losanttest|testworld'

## api: write api/go-api.txt, the exported Go API of the root package, losanttest and gen
api:
	go run ./internal/tools/apilisting -write api/go-api.txt

## check-api: api/go-api.txt is current, and nothing in it at BASE (default main) is gone unless
## api/go-breaking-changes.txt acknowledges it with a reason
check-api:
	go run ./internal/tools/apilisting -check api/go-api.txt -base $(BASE) -acks api/go-breaking-changes.txt

## check-tools: every tool the project runs is pinned (tools.go lists them)
check-tools:
	go run tools.go

## check-files: no build output is tracked (a file over 1 MiB, an executable binary)
check-files:
	bash scripts/check-tracked-files.sh

lint-spec:
	npx --yes $(REDOCLY) lint --config api/redocly.yaml api/openapi.yaml

## fuzz: each fuzz target for FUZZTIME (default 30s); go test runs one per call
fuzz:
	@for target in $(FUZZ_TARGETS); do \
		echo "== $$target for $(FUZZTIME)"; \
		go test -run='^$$' -fuzz="^$$target\$$" -fuzztime=$(FUZZTIME) . || exit 1; \
	done

## bench: the client against the hand-written baseline, side by side (benchstat)
bench:
	go test -run='^$$' -bench=. -benchmem -count=$(BENCHCOUNT) -benchtime=$(BENCHTIME) . | tee bench.txt
	go run $(BENCHSTAT) -col /impl bench.txt

## bench-once: every benchmark once, so that they cannot rot (CI)
bench-once:
	go test -run='^$$' -bench=. -benchtime=1x ./...

## cover: test coverage of the hand-written code, per function and in total (gen/ is oapi-codegen's
## output, and the benchmarks' and tools' mains are left out too)
cover:
	go test -count=1 -coverpkg=$$(go list ./... | grep -v -e '/gen$$' -e '/internal/wire$$' -e '/internal/tools/soak' | paste -sd, -) -coverprofile=coverage.out ./...
	go tool cover -func=coverage.out

## demo: the client doing its job, end to end, against an in-process fake
demo:
	go run ./cmd/losant-demo

## fake: serve the fake Losant API with the example fixtures until Ctrl-C
# Built, then run in place of the shell: `go run` would exit 1 on Ctrl-C
# whatever the fake's own status.
fake:
	@dir=$$(mktemp -d) && go build -o "$$dir/losant-fake" ./cmd/losant-fake && \
	exec "$$dir/losant-fake" -addr 127.0.0.1:8080 -fixtures testdata/fixtures.json

## soak: the standalone fake under 200 clients and hostile ones for SOAKTIME (not part of make test)
SOAKTIME ?= 30s
soak:
	go run ./internal/tools/soak -duration $(SOAKTIME) -clients 200 -hostile 20

## scale: listing 1k, 10k and 100k tokens through the library, the fake and the CLI (docs/PERFORMANCE.md)
SCALE_SIZES ?= 1000,10000,100000
scale:
	tmp=$$(mktemp -d) && trap 'rm -rf "$$tmp"' EXIT && \
	go build -o "$$tmp/losant-tokens" ./cmd/losant-tokens && \
	go run ./internal/tools/scale -sizes $(SCALE_SIZES) -cli "$$tmp/losant-tokens"

## release-snapshot: losant-tokens and losant-fake for linux, darwin and windows on amd64 and arm64, with checksums, in dist/
release-snapshot:
	go run $(GORELEASER) release --snapshot --clean

## release-check: the GoReleaser configuration is valid, and builds for this machine (CI)
release-check:
	go run $(GORELEASER) check
	go run $(GORELEASER) build --snapshot --clean --single-target

## interop: Losant's official JavaScript client against cmd/losant-fake
interop:
	bash scripts/interop.sh
