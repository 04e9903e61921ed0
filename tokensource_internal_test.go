package losant

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/specdriven/losant/tokenfile"
)

// BenchmarkAuthHeader is what a call pays for its Authorization value: the
// part of BenchmarkTokenSource that differs between a static token and a
// source, measured alone, where the whole call's noise cannot hide it.
func BenchmarkAuthHeader(b *testing.B) {
	path := filepath.Join(b.TempDir(), "token")
	if err := os.WriteFile(path, []byte("tok_5d1c9e0a7b3f"), 0o600); err != nil {
		b.Fatal(err)
	}
	file, err := tokenfile.New(path)
	if err != nil {
		b.Fatal(err)
	}
	for _, impl := range []struct {
		name string
		s    settings
	}{
		{"static", settings{}},
		{"func-source", settings{tokenSource: TokenSourceFunc(func() (string, error) { return "tok_5d1c9e0a7b3f", nil }), tokenSourceSet: true}},
		{"file-source", settings{tokenSource: file, tokenSourceSet: true}},
	} {
		b.Run("impl="+impl.name, func(b *testing.B) {
			token := ""
			if !impl.s.tokenSourceSet {
				token = "tok_5d1c9e0a7b3f"
			}
			a, err := newAuth(token, &impl.s)
			if err != nil {
				b.Fatal(err)
			}
			b.ReportAllocs()
			for i := 0; i < b.N; i++ {
				if _, err := a.Header(); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
