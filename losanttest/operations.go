package losanttest

//go:generate go run ../devtools/operationsgen -spec ../api/openapi.yaml -out operations.gen.go

// Operation names one of the operations the fake serves: the spec's
// operationId, such as "patchUserApiToken". The constants (GetUserAPIToken,
// PatchApplicationAPIToken, ...) and Operations are generated from
// api/openapi.yaml, so a test names an operation the compiler checks; a
// Request's Operation and Inject's For take it.
type Operation string
