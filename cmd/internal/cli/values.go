package cli

// names is the values of one of the spec's enums (gen's ...Values lists,
// generated from it) as the strings a flag takes.
func names[T ~string](values []T) []string {
	out := make([]string, len(values))
	for i, v := range values {
		out[i] = string(v)
	}
	return out
}
