package api_test

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/specdriven/losant"
	"github.com/specdriven/losant/internal/shipped/contract"
	"github.com/specdriven/losant/internal/shipped/limits"
)

// The seeds and the reference schemas are copied into testdata/shared so the
// tests run from a clone alone; TestSharedCopiesAreCurrent keeps the copies
// equal to ../shared wherever that is checked out beside the repository.
const sharedCopy = "testdata/shared"

func loadSpec(t *testing.T) *openapi3.T {
	t.Helper()
	doc, err := contract.Load()
	require.NoError(t, err)
	return doc
}

func TestSpecLoadsAndValidates(t *testing.T) {
	doc := loadSpec(t)
	assert.True(t, strings.HasPrefix(doc.OpenAPI, "3.0."), "OpenAPI version %s", doc.OpenAPI)
	assert.Equal(t, "https://api.losant.com", doc.Servers[0].URL)
	assert.Equal(t, losant.DefaultBaseURL, doc.Servers[0].URL)
}

func TestDefaultAcceptVersionIsTheSpecVersion(t *testing.T) {
	assert.Equal(t, "^"+loadSpec(t).Info.Version, losant.DefaultAcceptVersion)
}

// seedAction is what one action's section of a seed document says.
type seedAction struct {
	summary string
	scopes  []string
	params  map[string]string // name -> description
	// responses are status code -> schema title and description.
	responses map[string][2]string
}

var (
	seedTitle   = regexp.MustCompile(`^# (.+?) Actions`)
	seedSection = regexp.MustCompile("## (Get|Patch|Delete) (.+?) ```")
	seedScopes  = regexp.MustCompile(`at least one of the following scopes: (.+?)\. #`)
	seedParam   = regexp.MustCompile(`\| (\w+) \| [^|]+ \| [YN] \| ([^|]+?) \|`)
	seedReply   = regexp.MustCompile(`\| (\d{3}) \| \[([^\]]+)\]\(_schemas\.md#[^)]+\) \| ([^|]+?) \|`)
	whitespace  = regexp.MustCompile(`\s+`)
)

// readSeeds parses the seed documents into actions keyed by the spec's
// operationId, such as getApplicationApiToken.
func readSeeds(t *testing.T) map[string]seedAction {
	t.Helper()
	files, err := filepath.Glob(filepath.Join(sharedCopy, "seeds", "*.txt"))
	require.NoError(t, err)
	require.NotEmpty(t, files)
	actions := map[string]seedAction{}
	for _, file := range files {
		t.Run(fmt.Sprint(file), func(t *testing.T) {
			raw, err := os.ReadFile(file)
			require.NoError(t, err)
			text := whitespace.ReplaceAllString(string(raw), " ")
			title := seedTitle.FindStringSubmatch(text)
			require.NotNil(t, title, "%s has no title", file)
			resource := strings.ReplaceAll(title[1], " ", "") // ApplicationApiToken
			sections := seedSection.FindAllStringSubmatchIndex(text, -1)
			require.Len(t, sections, 3, "%s: want Get, Patch and Delete", file)
			for i, loc := range sections {
				end := len(text)
				if i+1 < len(sections) {
					end = sections[i+1][0]
				}
				body := text[loc[0]:end]
				verb := text[loc[2]:loc[3]]
				scopes := seedScopes.FindStringSubmatch(body)
				require.NotNil(t, scopes, "%s %s: no scopes", resource, verb)
				a := seedAction{summary: text[loc[4]:loc[5]], params: map[string]string{}, responses: map[string][2]string{}}
				for _, s := range strings.Split(scopes[1], ", ") {
					a.scopes = append(a.scopes, strings.TrimPrefix(s, "or "))
				}
				for _, p := range seedParam.FindAllStringSubmatch(body, -1) {
					a.params[p[1]] = p[2]
				}
				for _, r := range seedReply.FindAllStringSubmatch(body, -1) {
					a.responses[r[1]] = [2]string{r[2], r[3]}
				}
				actions[strings.ToLower(verb)+resource] = a
			}
		})
	}
	return actions
}

func specOperations(doc *openapi3.T) map[string]*openapi3.Operation {
	ops := map[string]*openapi3.Operation{}
	for _, item := range doc.Paths.Map() {
		for _, op := range item.Operations() {
			ops[op.OperationID] = op
		}
	}
	return ops
}

func specScopes(t *testing.T, op *openapi3.Operation) []string {
	t.Helper()
	scopes, err := contract.AcceptedScopes(op)
	require.NoError(t, err)
	return scopes
}

// referenceCollection matches a row of the reference README's table of the
// collection actions: resource, action, method and path, ..., scopes.
var referenceCollection = regexp.MustCompile("(?m)^\\| (Application|User) API Tokens \\| (Get|Post) \\([a-z]+\\) \\| `(GET|POST) ([^`]+)`.*\\| ([^|]+) \\|$")

// readCollectionScopes reads the collection actions' scopes from the
// reference README, keyed by the spec's operationId.
func readCollectionScopes(t *testing.T) map[string][]string {
	t.Helper()
	raw, err := os.ReadFile(filepath.Join(sharedCopy, "reference", "README.md"))
	require.NoError(t, err)
	out := map[string][]string{}
	for _, m := range referenceCollection.FindAllStringSubmatch(string(raw), -1) {
		id := map[string]string{"Get": "list", "Post": "create"}[m[2]] + m[1] + "ApiToken"
		if m[2] == "Get" {
			id += "s"
		}
		out[id] = strings.Split(strings.TrimSpace(m[5]), ", ")
	}
	require.Len(t, out, 4, "the reference lists four collection actions")
	return out
}

// reference130Scopes matches a row of the API 1.30 reference's table of
// the scopes each action accepts: resource, action, scopes.
var reference130Scopes = regexp.MustCompile(`(?m)^\| (Application|User) API Tokens?: (get \(list\)|post \(create\)|get|patch|delete) \| ([^|]+) \|$`)

// readScopes130 reads the scopes each action accepts in API 1.30, keyed by
// the spec's operationId.
func readScopes130(t *testing.T) map[string][]string {
	t.Helper()
	raw, err := os.ReadFile(filepath.Join(sharedCopy, "reference", "api-1.30", "README.md"))
	require.NoError(t, err)
	verbs := map[string]string{"get (list)": "list", "post (create)": "create", "get": "get", "patch": "patch", "delete": "delete"}
	out := map[string][]string{}
	for _, m := range reference130Scopes.FindAllStringSubmatch(string(raw), -1) {
		id := verbs[m[2]] + m[1] + "ApiToken"
		if m[2] == "get (list)" {
			id += "s"
		}
		out[id] = strings.Split(strings.TrimSpace(m[3]), ", ")
	}
	require.Len(t, out, 10, "the 1.30 reference lists ten actions")
	for id, scopes := range readInstanceReference(t).scopes {
		out[id] = scopes
	}
	return out
}

// instanceReference is what api-1.30/instance-api-tokens.md says of the
// instance actions, keyed by the spec's operationId.
type instanceReference struct {
	paths  map[string]string   // operationId -> "METHOD /path"
	scopes map[string][]string // operationId -> the scopes it accepts
}

var (
	instanceAction = regexp.MustCompile("(?m)^\\| Instance API Tokens? \\| (get \\(list\\)|post \\(create\\)|get|patch|delete) \\| `([A-Z]+ [^`]+)`")
	instanceScopes = regexp.MustCompile(`(?m)^\| (list|create|get|patch|delete) \| (all\.Instance[^|]+) \|$`)
)

func readInstanceReference(t *testing.T) instanceReference {
	t.Helper()
	raw, err := os.ReadFile(filepath.Join(sharedCopy, "reference", "api-1.30", "instance-api-tokens.md"))
	require.NoError(t, err)
	id := func(action string) string {
		if action == "list" {
			return "listInstanceApiTokens"
		}
		return action + "InstanceApiToken"
	}
	verbs := map[string]string{"get (list)": "list", "post (create)": "create", "get": "get", "patch": "patch", "delete": "delete"}
	ref := instanceReference{paths: map[string]string{}, scopes: map[string][]string{}}
	for _, m := range instanceAction.FindAllStringSubmatch(string(raw), -1) {
		ref.paths[id(verbs[m[1]])] = m[2]
	}
	for _, m := range instanceScopes.FindAllStringSubmatch(string(raw), -1) {
		ref.scopes[id(m[1])] = strings.Split(strings.TrimSpace(m[2]), ", ")
	}
	require.Len(t, ref.paths, 5, "the instance reference lists five actions")
	require.Len(t, ref.scopes, 5, "and the scopes of each")
	return ref
}

// The instance actions are at the reference's paths, with its methods, an
// ObjectId instanceId, the losantdomain header, and the same schemas as
// the other owners'.
func TestSpecInstanceActionsAreTheReferences(t *testing.T) {
	doc := loadSpec(t)
	ops := specOperations(doc)
	for id, want := range readInstanceReference(t).paths {
		t.Run(fmt.Sprint(id), func(t *testing.T) {
			method, path, _ := strings.Cut(want, " ")
			item := doc.Paths.Find(path)
			require.NotNil(t, item, "%s: no path %s", id, path)
			op := item.GetOperation(method)
			require.NotNil(t, op, "%s: no %s", id, want)
			assert.Equal(t, id, op.OperationID)
			assert.Same(t, ops[id], op)
			names := map[string]*openapi3.Parameter{}
			for _, p := range pathParameters(doc, id) {
				names[p.Value.Name] = p.Value
			}
			require.Contains(t, names, "instanceId", id)
			assert.Equal(t, "#/components/schemas/ObjectId", names["instanceId"].Schema.Ref, id)
			assert.Contains(t, names, "losantdomain", id)
		})
	}
}

// Every operation names its owner and its action, and every owner has the
// five actions once: the client and the fake bind them by these names.
func TestEveryOperationNamesItsOwnerAndAction(t *testing.T) {
	owners := map[string]map[string]string{} // owner -> action -> operationId
	for id, op := range specOperations(loadSpec(t)) {
		if _, ok := op.Extensions["x-losant-collection"]; ok {
			continue // an owner collection: TestOwnerCollectionsAreTheReferences
		}
		t.Run(fmt.Sprint(id), func(t *testing.T) {
			owner, _ := op.Extensions["x-losant-owner"].(string)
			action, _ := op.Extensions["x-losant-action"].(string)
			require.NotEmpty(t, owner, "%s has no x-losant-owner", id)
			require.Contains(t, []string{"get", "patch", "delete", "list", "create"}, action, "%s's x-losant-action", id)
			if owners[owner] == nil {
				owners[owner] = map[string]string{}
			}
			assert.NotContains(t, owners[owner], action, "%s: %s has two %s actions", id, owner, action)
			owners[owner][action] = id
		})
	}
	assert.Len(t, owners, 3, "application, user and instance")
	for owner, actions := range owners {
		assert.Len(t, actions, 5, owner)
	}
}

// The spec's scopes are API 1.30's, and every scope the seeds (API 1.20)
// and the older reference list is still accepted by its action: the seeds
// stay the source for what they cover.
func TestSpecScopesAreAPI130sAndKeepTheSeeds(t *testing.T) {
	ops := specOperations(loadSpec(t))
	current := readScopes130(t)
	for id, c := range readOwnerCollections(t) {
		current[id] = c.scopes
	}
	assert.Len(t, ops, len(current), "the spec has exactly the reference's actions")
	for id, scopes := range current {
		op, ok := ops[id]
		if assert.True(t, ok, "operation %s is missing from the spec", id) {
			assert.Equal(t, scopes, specScopes(t, op), id)
		}
	}
	older := readCollectionScopes(t) // API 1.20: no instance actions
	for id, seed := range readSeeds(t) {
		older[id] = seed.scopes
	}
	require.Len(t, older, 10)
	for id, scopes := range older {
		if op, ok := ops[id]; assert.True(t, ok, id) {
			assert.Subset(t, specScopes(t, op), scopes, "%s still accepts every scope API 1.20 did", id)
		}
	}
}

func TestSpecSummariesAndParametersAreTheSeeds(t *testing.T) {
	doc := loadSpec(t)
	ops := specOperations(doc)
	for id, seed := range readSeeds(t) {
		t.Run(fmt.Sprint(id), func(t *testing.T) {
			op := ops[id]
			require.NotNil(t, op, id)
			assert.Equal(t, seed.summary, op.Summary, id)
			// Most parameters are declared once per path, not per operation.
			described := map[string]string{}
			for _, p := range pathParameters(doc, id) {
				described[p.Value.Name] = p.Value.Description
			}
			if op.RequestBody != nil {
				described["apiToken"] = op.RequestBody.Value.Description
			}
			for name, desc := range seed.params {
				assert.Equal(t, desc, described[name], "%s parameter %s", id, name)
			}
		})
	}
}

func TestSpecResponsesAreTheSeeds(t *testing.T) {
	ops := specOperations(loadSpec(t))
	for id, seed := range readSeeds(t) {
		op := ops[id]
		require.NotNil(t, op, id)
		require.Len(t, seed.responses, 3, "%s: the seeds give 200, 400 and 404", id)
		want := []string{"default"}
		for code, reply := range seed.responses {
			want = append(want, code)
			got := op.Responses.Value(code)
			if !assert.NotNil(t, got, "%s has no %s response", id, code) {
				continue
			}
			assert.Equal(t, reply[1], *got.Value.Description, "%s %s", id, code)
			schema := got.Value.Content.Get("application/json").Schema.Value
			assert.Equal(t, reply[0], schema.Title, "%s %s body", id, code)
		}
		assert.ElementsMatch(t, want, keys(op.Responses.Map()), "%s: the seeds' responses and a default", id)
	}
}

func keys[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	return out
}

func pathParameters(doc *openapi3.T, operationID string) openapi3.Parameters {
	for _, item := range doc.Paths.Map() {
		for _, op := range item.Operations() {
			if op.OperationID == operationID {
				return append(append(openapi3.Parameters{}, item.Parameters...), op.Parameters...)
			}
		}
	}
	return nil
}

// ownerCollection is what api-1.30/owner-collections.md says of one of the
// reads that list owners.
type ownerCollection struct {
	path       string   // such as "GET /applications"
	query      []string // its query parameters
	sortFields []string
	scopes     []string
}

var (
	collectionSection = regexp.MustCompile("(?s)^(Applications|Instances): get \\(list\\)\n\n`(GET [^`]+)`(.+)")
	collectionQuery   = regexp.MustCompile(`(?s)Query parameters: (.+?)\.\n- `)
	collectionParam   = regexp.MustCompile("`(\\w+)`(?: \\(([^)]*)\\))?")
	collectionScopes  = regexp.MustCompile(`(?s)Scopes \(the token needs one\): (.+?)\.\n`)
)

// readOwnerCollections reads the two owner collections of the reference,
// keyed by the spec's operationId (listApplications, listInstances).
func readOwnerCollections(t *testing.T) map[string]ownerCollection {
	t.Helper()
	raw, err := os.ReadFile(filepath.Join(sharedCopy, "reference", "api-1.30", "owner-collections.md"))
	require.NoError(t, err)
	out := map[string]ownerCollection{}
	for _, section := range strings.Split(string(raw), "\n## ") {
		m := collectionSection.FindStringSubmatch(section)
		if m == nil {
			continue
		}
		c := ownerCollection{path: m[2]}
		query := collectionQuery.FindStringSubmatch(m[3])
		require.NotNil(t, query, "%s: no query parameters", m[1])
		for _, p := range collectionParam.FindAllStringSubmatch(query[1], -1) {
			if p[1] == "losantdomain" { // named beside them: the header
				continue
			}
			c.query = append(c.query, p[1])
			if p[1] == "sortField" {
				c.sortFields = strings.Split(p[2], ", ")
			}
		}
		scopes := collectionScopes.FindStringSubmatch(m[3])
		require.NotNil(t, scopes, "%s: no scopes", m[1])
		c.scopes = strings.Split(whitespace.ReplaceAllString(scopes[1], " "), ", ")
		out["list"+m[1]] = c
	}
	require.Len(t, out, 2, "the reference describes two owner collections")
	return out
}

// The owner collections are at the reference's paths, with its query
// parameters (the official client's _actions, _links and _embedded too),
// its sort fields and the losantdomain header; each names its collection.
func TestOwnerCollectionsAreTheReferences(t *testing.T) {
	doc := loadSpec(t)
	for id, want := range readOwnerCollections(t) {
		t.Run(id, func(t *testing.T) {
			method, path, _ := strings.Cut(want.path, " ")
			item := doc.Paths.Find(path)
			require.NotNil(t, item, "no path %s", path)
			op := item.GetOperation(method)
			require.NotNil(t, op, "no %s", want.path)
			assert.Equal(t, id, op.OperationID)
			assert.Equal(t, strings.ToLower(strings.TrimPrefix(id, "list")), op.Extensions["x-losant-collection"])
			var query []string
			params := map[string]*openapi3.Parameter{}
			for _, p := range append(item.Parameters, op.Parameters...) {
				params[p.Value.Name] = p.Value
				if p.Value.In == "query" && !strings.HasPrefix(p.Value.Name, "_") {
					query = append(query, p.Value.Name)
				}
			}
			assert.ElementsMatch(t, want.query, query)
			assert.Contains(t, params, "losantdomain")
			for _, name := range []string{"_actions", "_links", "_embedded"} {
				assert.Contains(t, params, name)
			}
			var sortFields []string
			for _, v := range params["sortField"].Schema.Value.Enum {
				sortFields = append(sortFields, fmt.Sprint(v))
			}
			assert.Equal(t, want.sortFields, sortFields)
			assert.Equal(t, []any{"name"}, params["filterField"].Schema.Value.Enum)
		})
	}
}

// What the spec models of applications and instances is a subset of the
// official schemas: each property it names is the official one's, so the
// official schemas accept whatever the spec allows; and the spec says so.
func TestOwnerSchemasAreSubsetsOfTheOfficialOnes(t *testing.T) {
	doc := loadSpec(t)
	assert.Contains(t, doc.Info.Description, "a subset of the official ones")
	for component, file := range map[string]string{
		"Applications": "api-1.30/schemas/owners/applications.json",
		"Instances":    "api-1.30/schemas/owners/instances.json",
	} {
		t.Run(component, func(t *testing.T) {
			raw, err := os.ReadFile(filepath.Join(sharedCopy, "reference", file))
			require.NoError(t, err)
			var official openapi3.Schema
			require.NoError(t, json.Unmarshal(raw, &official), file)
			page := doc.Components.Schemas[component].Value
			assert.Contains(t, page.Description, "subset of the official schema")
			assertSubset(t, component, &official, page)
			item := page.Properties["items"].Value.Items.Value
			assert.Contains(t, item.Description, "subset of the official schema")
		})
	}
}

// assertSubset fails t unless every property of got, at any depth, is a
// property of want with the same shape.
func assertSubset(t *testing.T, where string, want, got *openapi3.Schema) {
	t.Helper()
	if len(got.Properties) == 0 && got.Items == nil {
		assert.Equal(t, shape(want), shape(got), where)
		return
	}
	assert.Equal(t, want.Type, got.Type, where)
	if got.Items != nil {
		require.NotNil(t, want.Items, "%s: the official schema has no items", where)
		assertSubset(t, where+"[]", want.Items.Value, got.Items.Value)
	}
	for name, p := range got.Properties {
		official := want.Properties[name]
		if assert.NotNil(t, official, "%s.%s is not in the official schema", where, name) {
			assertSubset(t, where+"."+name, official.Value, p.Value)
		}
	}
}

// The spec's schemas are the reference's: API 1.30's where it has them,
// the older reference's for the rest.
func TestSpecSchemasAreTheReferenceSchemas(t *testing.T) {
	doc := loadSpec(t)
	for component, file := range map[string]string{
		"ApiToken":      "api-1.30/schemas/apiToken.json",
		"ApiTokenPatch": "api-1.30/schemas/apiTokenPatch.json",
		"ApiTokens":     "api-1.30/schemas/apiTokens.json",
		"ApiTokenPost":  "api-1.30/schemas/apiTokenPost.json",
		"Success":       "schemas/success.json",
		"Error":         "schemas/error.json",
	} {
		t.Run(fmt.Sprint(component), func(t *testing.T) {
			raw, err := os.ReadFile(filepath.Join(sharedCopy, "reference", file))
			require.NoError(t, err)
			var want openapi3.Schema
			require.NoError(t, json.Unmarshal(raw, &want), file)
			addInstanceOwner(&want)
			got := doc.Components.Schemas[component]
			require.NotNil(t, got, component)
			assert.Equal(t, shape(&want), shape(got.Value), "%s vs %s", component, file)
		})
	}
}

// addInstanceOwner adds "instance" to every ownerType enum of a reference
// schema: the project's documented extension (the spec's description says
// so), since the API's owner type of an instance token is undocumented.
func addInstanceOwner(s *openapi3.Schema) {
	if owner := s.Properties["ownerType"]; owner != nil && len(owner.Value.Enum) > 0 {
		owner.Value.Enum = append(owner.Value.Enum, "instance")
	}
	if s.Items != nil {
		addInstanceOwner(s.Items.Value)
	}
	for _, p := range s.Properties {
		addInstanceOwner(p.Value)
	}
}

func TestInstanceOwnerTypeIsADocumentedExtension(t *testing.T) {
	doc := loadSpec(t)
	assert.Contains(t, doc.Info.Description, "`instance` in the `ownerType` enums")
	for _, schema := range []string{"ApiToken", "ApiTokens"} {
		owner := doc.Components.Schemas[schema].Value.Properties["ownerType"].Value
		assert.Contains(t, owner.Enum, "instance", schema)
		assert.Contains(t, owner.Description, "extension", schema)
	}
}

// The official client sends apiTokenPost to every create action; the older
// table's applicationApiTokenPost is used by none (reference/api-1.30).
func TestEveryCreateTakesApiTokenPost(t *testing.T) {
	doc := loadSpec(t)
	creates := 0
	for id, op := range specOperations(doc) {
		if op.Extensions["x-losant-action"] != "create" {
			continue
		}
		creates++
		body := op.RequestBody.Value.Content.Get("application/json").Schema
		assert.Equal(t, "#/components/schemas/ApiTokenPost", body.Ref, id)
	}
	assert.Equal(t, 3, creates)
	assert.NotContains(t, doc.Components.Schemas, "ApplicationApiTokenPost", "no schema that no action takes")
}

// shape keeps what a JSON schema constrains, so that a $ref in the spec and
// an inline schema in the reference compare equal.
func shape(s *openapi3.Schema) map[string]any {
	if s == nil {
		return nil
	}
	out := map[string]any{"type": s.Type.Slice()}
	put := func(key string, v any, present bool) {
		if present {
			out[key] = v
		}
	}
	put("pattern", s.Pattern, s.Pattern != "")
	put("format", s.Format, s.Format != "")
	put("enum", s.Enum, len(s.Enum) > 0)
	put("minLength", s.MinLength, s.MinLength != 0)
	if s.MaxLength != nil {
		out["maxLength"] = *s.MaxLength
	}
	put("required", s.Required, len(s.Required) > 0)
	put("uniqueItems", s.UniqueItems, s.UniqueItems)
	put("additionalProperties", s.AdditionalProperties.Has, s.AdditionalProperties.Has != nil)
	if s.Items != nil {
		out["items"] = shape(s.Items.Value)
	}
	if len(s.OneOf) > 0 {
		var alternatives []any
		for _, alt := range s.OneOf {
			alternatives = append(alternatives, shape(alt.Value))
		}
		out["oneOf"] = alternatives
	}
	if len(s.Properties) > 0 {
		props := map[string]any{}
		for name, p := range s.Properties {
			props[name] = shape(p.Value)
		}
		out["properties"] = props
	}
	return out
}

func TestSharedCopiesAreCurrent(t *testing.T) {
	const shared = "../../shared"
	if _, err := os.Stat(shared); err != nil {
		t.Skipf("%s is not checked out beside the repository; the copies in %s cannot be compared", shared, sharedCopy)
	}
	copies := 0
	err := filepath.WalkDir(sharedCopy, func(path string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, _ := filepath.Rel(sharedCopy, path)
		want, err := os.ReadFile(filepath.Join(shared, rel))
		if assert.NoError(t, err, "%s is no longer in %s", rel, shared) {
			got, _ := os.ReadFile(path)
			assert.Equal(t, string(want), string(got), "%s differs from %s/%s", path, shared, rel)
		}
		copies++
		return nil
	})
	require.NoError(t, err)
	assert.Positive(t, copies)
}

// The limits the client and the fake share are the spec's.
func TestSharedLimitsAreTheSpecs(t *testing.T) {
	schemas := loadSpec(t).Components.Schemas
	patch := schemas["ApiTokenPatch"].Value.Properties
	assert.Equal(t, uint64(limits.MaxNameLength), *patch["name"].Value.MaxLength)
	assert.Equal(t, uint64(1), patch["name"].Value.MinLength)
	assert.Equal(t, uint64(limits.MaxDescriptionLength), *patch["description"].Value.MaxLength)
	for _, owner := range []string{"Application", "Instance"} {
		name := schemas[owner].Value.Properties["name"].Value
		assert.Equal(t, uint64(limits.MaxNameLength), *name.MaxLength, owner)
		assert.Equal(t, uint64(1), name.MinLength, owner)
	}
	assert.Equal(t, uint64(limits.MaxApplicationDescriptionLength), *schemas["Application"].Value.Properties["description"].Value.MaxLength)
	orgRoles := schemas["ApiTokenOrgRoles"].Value
	assert.Equal(t, uint64(limits.MaxOrgRoles), *orgRoles.MaxItems)
	org := orgRoles.Items.Value.Properties
	assert.Equal(t, uint64(limits.MaxResourceRoles), *org["applicationRoles"].Value.MaxItems)
	assert.Equal(t, uint64(limits.MaxResourceRoles), *org["dashboardRoles"].Value.MaxItems)
	assert.Equal(t, fmt.Sprintf("^[A-Fa-f\\d]{%d}$", limits.ObjectIDLength), schemas["ObjectId"].Value.Pattern)
}
