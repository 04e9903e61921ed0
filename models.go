package losant

import (
	"strings"

	"github.com/specdriven/losant/gen"
)

// sortDirection reads a direction the API sent, in any of its spellings
// ("asc", "ASC", "desc", "DESC"), as gen.SortDirectionAsc or gen.SortDirectionDesc; anything
// else is kept as sent.
func sortDirection(d gen.SortDirection) gen.SortDirection {
	switch {
	case strings.EqualFold(string(d), string(gen.SortDirectionAsc)):
		return gen.SortDirectionAsc
	case strings.EqualFold(string(d), string(gen.SortDirectionDesc)):
		return gen.SortDirectionDesc
	}
	return d
}

// Ptr returns a pointer to v, for filling the optional fields of a request
// body:
//
//	gen.APITokenPatch{Name: losant.Ptr("CI token")}
func Ptr[T any](v T) *T { return &v }
