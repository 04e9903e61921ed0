package repochecks_test

import (
	"os"
	"path/filepath"
	"slices"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"gopkg.in/yaml.v3"
)

// goreleaserConfig is the part of .goreleaser.yaml this test holds to
// what the project ships.
type goreleaserConfig struct {
	Version int `yaml:"version"`
	Builds  []struct {
		ID, Main, Binary string
		Goos, Goarch     []string
		Env              []string
	} `yaml:"builds"`
	Archives []struct {
		ID  string   `yaml:"id"`
		IDs []string `yaml:"ids"`
	} `yaml:"archives"`
	Checksum struct {
		NameTemplate string `yaml:"name_template"`
	} `yaml:"checksum"`
}

// The release configuration ships both commands for linux, darwin and
// windows on amd64 and arm64, each archived, with checksums. GoReleaser
// itself checks the file, and builds every target, in `make
// release-check` and `make release-snapshot`; compiling GoReleaser takes
// three minutes on a fresh machine, so CI checks this much in `make test`
// instead (docs/CONTRIBUTING.md).
func TestReleaseConfigurationShipsBothCommandsEverywhere(t *testing.T) {
	data, err := os.ReadFile(".goreleaser.yaml")
	require.NoError(t, err)
	var cfg goreleaserConfig
	require.NoError(t, yaml.Unmarshal(data, &cfg))
	assert.Equal(t, 2, cfg.Version, "GoReleaser v2's configuration")
	assert.Equal(t, "checksums.txt", cfg.Checksum.NameTemplate)
	var mains []string
	for _, b := range cfg.Builds {
		mains = append(mains, b.Main)
		assert.ElementsMatch(t, []string{"linux", "darwin", "windows"}, b.Goos, b.ID)
		assert.ElementsMatch(t, []string{"amd64", "arm64"}, b.Goarch, b.ID)
		assert.Contains(t, b.Env, "CGO_ENABLED=0", "%s: static binaries", b.ID)
		assert.Equal(t, filepath.Base(b.Main), b.Binary, b.ID)
		archived := slices.ContainsFunc(cfg.Archives, func(a struct {
			ID  string   `yaml:"id"`
			IDs []string `yaml:"ids"`
		}) bool {
			return slices.Contains(a.IDs, b.ID)
		})
		assert.True(t, archived, "%s is archived", b.ID)
	}
	assert.ElementsMatch(t, []string{"./cmd/losant-tokens", "./cmd/losant-fake"}, mains)
}
