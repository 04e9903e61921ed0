package losant_test

import (
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/specdriven/losant"
	"github.com/specdriven/losant/internal/contract"
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
}

var (
	seedTitle   = regexp.MustCompile(`^# (.+?) Actions`)
	seedSection = regexp.MustCompile("## (Get|Patch|Delete) (.+?) ```")
	seedScopes  = regexp.MustCompile(`at least one of the following scopes: (.+?)\. #`)
	seedParam   = regexp.MustCompile(`\| (\w+) \| [^|]+ \| [YN] \| ([^|]+?) \|`)
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
			a := seedAction{summary: text[loc[4]:loc[5]], params: map[string]string{}}
			for _, s := range strings.Split(scopes[1], ", ") {
				a.scopes = append(a.scopes, strings.TrimPrefix(s, "or "))
			}
			for _, p := range seedParam.FindAllStringSubmatch(body, -1) {
				a.params[p[1]] = p[2]
			}
			actions[strings.ToLower(verb)+resource] = a
		}
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

func TestSpecScopesAreTheSeedsScopes(t *testing.T) {
	seeds := readSeeds(t)
	ops := specOperations(loadSpec(t))
	require.Len(t, seeds, 6)
	assert.Len(t, ops, len(seeds), "the spec has exactly the seeds' actions")
	for id, seed := range seeds {
		op, ok := ops[id]
		if !assert.True(t, ok, "operation %s is missing from the spec", id) {
			continue
		}
		assert.Equal(t, seed.scopes, specScopes(t, op), id)
	}
}

func TestSpecSummariesAndParametersAreTheSeeds(t *testing.T) {
	ops := specOperations(loadSpec(t))
	for id, seed := range readSeeds(t) {
		op := ops[id]
		require.NotNil(t, op, id)
		assert.Equal(t, seed.summary, op.Summary, id)
		// Path-level parameters are resolved onto the operation by the router;
		// here read them from the path item.
		described := map[string]string{}
		for _, p := range pathParameters(loadSpec(t), id) {
			described[p.Value.Name] = p.Value.Description
		}
		if op.RequestBody != nil {
			described["apiToken"] = op.RequestBody.Value.Description
		}
		for name, desc := range seed.params {
			assert.Equal(t, desc, described[name], "%s parameter %s", id, name)
		}
	}
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

func TestSpecSchemasAreTheReferenceSchemas(t *testing.T) {
	doc := loadSpec(t)
	for component, file := range map[string]string{
		"ApiToken":      "apiToken.json",
		"ApiTokenPatch": "apiTokenPatch.json",
		"Success":       "success.json",
		"Error":         "error.json",
	} {
		raw, err := os.ReadFile(filepath.Join(sharedCopy, "reference", "schemas", file))
		require.NoError(t, err)
		var want openapi3.Schema
		require.NoError(t, json.Unmarshal(raw, &want), file)
		got := doc.Components.Schemas[component]
		require.NotNil(t, got, component)
		assert.Equal(t, shape(&want), shape(got.Value), "%s vs %s", component, file)
	}
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
	const shared = "../shared"
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
