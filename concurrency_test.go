package losant_test

import (
	"sync"
	"testing"

	"github.com/stretchr/testify/require"
)

// inParallel runs fn in n goroutines at once (g is 0..n-1) and fails the
// test on any error they return.
func inParallel(t *testing.T, n int, fn func(g int) error) {
	t.Helper()
	var wg sync.WaitGroup
	errs := make(chan error, n)
	for g := 0; g < n; g++ {
		wg.Add(1)
		go func(g int) {
			defer wg.Done()
			errs <- fn(g)
		}(g)
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		require.NoError(t, err)
	}
}
