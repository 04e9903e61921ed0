package losant

// The defaults the tests hold the client to, which the package does not
// export: the options' docs give their values.
const (
	DefaultMaxPages         = defaultMaxPages
	DefaultMaxResponseBytes = defaultMaxResponseBytes
)
