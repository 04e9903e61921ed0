package gen_test

import (
	"encoding/json"
	"go/ast"
	"go/parser"
	"go/token"
	"reflect"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/specdriven/losant/gen"
)

// Every optional field read as a value is left out of the JSON when zero:
// a date the API did not send must not go out as "0001-01-01T00:00:00Z",
// from the fake or from a client that sends a model on. The generated
// source is read, so that a field or model the spec adds is held to it too.
func TestOptionalValueFieldsAreLeftOutWhenZero(t *testing.T) {
	file, err := parser.ParseFile(token.NewFileSet(), "losant.gen.go", nil, 0)
	require.NoError(t, err)
	checked := 0
	ast.Inspect(file, func(n ast.Node) bool {
		spec, ok := n.(*ast.TypeSpec)
		if !ok {
			return true
		}
		st, ok := spec.Type.(*ast.StructType)
		if !ok {
			return false
		}
		for _, field := range st.Fields.List {
			if field.Tag == nil || len(field.Names) == 0 {
				continue
			}
			tag, _ := strconv.Unquote(field.Tag.Value)
			jsonTag := reflect.StructTag(tag).Get("json")
			_, isPointer := field.Type.(*ast.StarExpr)
			if strings.Contains(jsonTag, "omitempty") && !isPointer {
				checked++
				assert.Contains(t, jsonTag, "omitzero", "%s.%s", spec.Name.Name, field.Names[0].Name)
			}
		}
		return false
	})
	assert.Greater(t, checked, 20, "the models' optional value fields were found")
}

func TestAZeroTokenEncodesNoZeroDate(t *testing.T) {
	for _, model := range []any{gen.APIToken{}, gen.Application{}, gen.Instance{}, gen.InstanceMember{}} {
		b, err := json.Marshal(model)
		require.NoError(t, err)
		assert.NotContains(t, string(b), "0001-01-01", "%T", model)
	}
}
