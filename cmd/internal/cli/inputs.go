package cli

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/specdriven/losant/gen"
	"github.com/specdriven/losant/internal/shipped/limits"
	"github.com/specdriven/losant/internal/shipped/wire"
	"github.com/specdriven/losant/tokenfile"
)

// parseExpiry reads --expires: an RFC 3339 time, or a duration from now
// (720h, 14d, 2w). A time that has passed is refused: the API would make a
// token that never works.
func parseExpiry(s string, now time.Time) (*time.Time, error) {
	if s == "" {
		return nil, nil
	}
	if t, err := time.Parse(time.RFC3339, s); err == nil {
		if !t.After(now) {
			return nil, usageError{fmt.Errorf("--expires %s has passed: give a time to come", timestamp(t))}
		}
		return &t, nil
	}
	d, err := parseDuration(s)
	if err != nil || d <= 0 {
		return nil, usageError{errors.New("--expires: want an RFC 3339 time or a positive duration such as 720h, 14d or 2w")}
	}
	// Whole seconds, rounded up: the token lives at least as long as asked.
	t := now.Add(d).UTC()
	if whole := t.Truncate(time.Second); whole.Before(t) {
		t = whole.Add(time.Second)
	}
	return &t, nil
}

// parseDuration is time.ParseDuration that also takes whole days and
// weeks ("14d", "2w"), which token lifetimes are counted in.
func parseDuration(s string) (time.Duration, error) {
	for unit, length := range map[string]time.Duration{"d": 24 * time.Hour, "w": 7 * 24 * time.Hour} {
		if n, ok := strings.CutSuffix(s, unit); ok {
			count, err := strconv.ParseUint(n, 10, 31)
			if err != nil {
				return 0, fmt.Errorf("want a whole number of %s", map[string]string{"d": "days", "w": "weeks"}[unit])
			}
			if count > uint64(maxDuration/length) {
				return 0, fmt.Errorf("over %d days, the longest span a duration holds", maxDuration/(24*time.Hour))
			}
			return time.Duration(count) * length, nil
		}
	}
	return time.ParseDuration(s)
}

// maxDuration is the longest time.Duration (about 292 years): a count of
// days or weeks past it would wrap around to a short or negative span.
const maxDuration = time.Duration(1<<63 - 1)

// durationFlag is a flag that takes what parseDuration does.
type durationFlag struct{ d *time.Duration }

// String is the duration as the flag takes it ("14d"), and empty for 0,
// so that help shows no "(default 0s)" for a limit that is off.
func (f durationFlag) String() string {
	switch {
	case f.d == nil || *f.d == 0:
		return ""
	case *f.d%(24*time.Hour) == 0:
		return strconv.FormatInt(int64(*f.d/(24*time.Hour)), 10) + "d"
	}
	return f.d.String()
}

func (f durationFlag) Set(s string) error {
	d, err := parseDuration(s)
	if err != nil {
		return err
	}
	if d < 0 {
		return errors.New("want a duration of 0 or more")
	}
	*f.d = d
	return nil
}

func (f durationFlag) Type() string { return "duration" }

// readAccessToken reads an access token from path, or from stdin for "-",
// without a byte-order mark or the whitespace around it. It warns on
// warn, as ssh does for a key, when others may read the file.
func readAccessToken(path string, stdin io.Reader, warn func(format string, args ...any)) (string, error) {
	var raw []byte
	var err error
	if path == "-" {
		raw, err = io.ReadAll(io.LimitReader(stdin, tokenfile.MaxBytes+1))
	} else {
		raw, err = readTokenFile(path, warn)
	}
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return "", usageError{errors.New("--token-file: no such file: give the path of a file that holds the token, never the token itself")}
		}
		return "", usageError{fmt.Errorf("--token-file: %w", withoutPath(err))}
	}
	return tokenFrom("--token-file", "the file", raw)
}

// tokenFrom is the access token raw holds (a --token-file's content, a
// --token-command's output, what was typed), read as the library reads a
// token file (tokenfile.Parse). flag and what ("the file") name it in an
// error, which never quotes it.
func tokenFrom(flag, what string, raw []byte) (string, error) {
	token, err := tokenfile.Parse(raw)
	if err != nil {
		return "", usageError{fmt.Errorf("%s: %s is %w", flag, what, err)}
	}
	return token, nil
}

func readFileLimited(path string, limit int64) ([]byte, error) {
	f, err := openInput(path) // a FIFO is read within inputWait; a device is refused
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return io.ReadAll(io.LimitReader(f, limit))
}

// readTokenFile reads a token file, at most one byte past tokenfile.MaxBytes,
// and warns on warn, as ssh does for a private key, when the group or
// others may read it: the mode of the file it opened, not of whatever
// the path names a moment later.
func readTokenFile(path string, warn func(format string, args ...any)) ([]byte, error) {
	f, err := openInput(path) // a FIFO is read within inputWait; a device is refused
	if err != nil {
		return nil, err
	}
	defer f.Close()
	// Only a regular file has a mode worth advice: a device, a pipe or a
	// directory is not where a token rests.
	if info, err := f.Stat(); err == nil && info.Mode().IsRegular() && info.Mode().Perm()&0o077 != 0 {
		warn("warning: the --token-file is readable by others (mode %04o): chmod 600 it", info.Mode().Perm())
	}
	return io.ReadAll(io.LimitReader(f, tokenfile.MaxBytes+1))
}

// checkScopes refuses a scope the API does not know, suggesting the known
// one it most resembles, before anything is sent.
func checkScopes(scopes []string) error {
	known := wire.APITokenScopes()
	for i, s := range scopes {
		if slices.Contains(known, s) {
			continue
		}
		msg := fmt.Sprintf("--scope: scope %d of %d is not one the API knows", i+1, len(scopes))
		if near := nearest(s, known); near != "" {
			msg += fmt.Sprintf("; did you mean %q?", near)
		}
		return usageError{errors.New(msg + " (losant-tokens scopes lists them)")}
	}
	return nil
}

// nearest is the candidate closest to s by edit distance, ignoring case,
// if it is close enough to be what was meant.
func nearest(s string, candidates []string) string {
	best, bestDist := "", len(s)/3+2
	for _, c := range candidates {
		if d := editDistance(strings.ToLower(s), strings.ToLower(c)); d < bestDist {
			best, bestDist = c, d
		}
	}
	return best
}

// editDistance is the Levenshtein distance between a and b, in bytes;
// inputs are bounded by the caller (scopes are short).
func editDistance(a, b string) int {
	if len(a) > 256 || len(b) > 256 {
		return max(len(a), len(b))
	}
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}

// checkPatterns refuses a malformed glob (path.Match syntax) of flag, so
// that a check built on it cannot pass by matching nothing.
func checkPatterns(flag string, patterns []string) error {
	for i, p := range patterns {
		if _, err := path.Match(p, ""); err != nil {
			return usageError{fmt.Errorf("%s: pattern %d of %d is malformed (%v): check its brackets and escapes", flag, i+1, len(patterns), err)}
		}
	}
	return nil
}

// checkScopePatterns refuses, besides a malformed glob, one that matches no
// scope the API knows (an empty one, a stray space, the wrong case): a
// policy built on it would never find anything.
func checkScopePatterns(flag string, patterns []string) error {
	if err := checkPatterns(flag, patterns); err != nil {
		return err
	}
	for i, p := range patterns {
		if !slices.ContainsFunc(wire.APITokenScopes(), func(s string) bool { return matchesAny(s, []string{p}) }) {
			return usageError{fmt.Errorf("%s: pattern %d of %d matches no scope the API knows (losant-tokens scopes lists them; patterns are case-sensitive)", flag, i+1, len(patterns))}
		}
	}
	return nil
}

// checkOneOf refuses a value of flag that is not one of values, without
// quoting it (a secret may have been pasted in its place); empty is
// "not given".
func checkOneOf(flag, value string, values []string) error {
	if value == "" || slices.Contains(values, value) {
		return nil
	}
	return usageError{fmt.Errorf("--%s: want %s", flag, oneOf(values))}
}

// matchesAny reports whether s matches one of the glob patterns (path.Match
// syntax: "*" any run of characters but none of them special), which
// checkPatterns has accepted.
func matchesAny(s string, patterns []string) bool {
	for _, p := range patterns {
		if ok, _ := path.Match(p, s); ok {
			return true
		}
	}
	return false
}

// maxBodyFile bounds what --from-file reads; a create body is a few
// kilobytes.
const maxBodyFile = 1 << 20

// readCreateBody reads a create body (the API's ApiTokenPost JSON) from
// path. Keys the API does not know are refused, as the API would refuse
// them; the library checks the rest before anything is sent.
func readCreateBody(path string) (gen.APITokenPost, error) {
	var body gen.APITokenPost
	raw, err := readFileLimited(path, maxBodyFile+1)
	if err != nil {
		return body, usageError{fmt.Errorf("--from-file: %w", withoutPath(err))}
	}
	if len(raw) > maxBodyFile {
		return body, usageError{fmt.Errorf("--from-file: the file is over %d bytes", maxBodyFile)}
	}
	dec := json.NewDecoder(bytes.NewReader(bytes.TrimPrefix(raw, []byte("\uFEFF"))))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&body); err != nil {
		return body, usageError{fmt.Errorf("--from-file: not an API-token create body: %s at byte %d", jsonProblem(err), dec.InputOffset())}
	}
	if dec.More() {
		return body, usageError{errors.New("--from-file: more than one JSON value")}
	}
	if body.Name == "" {
		return body, usageError{errors.New("--from-file: the body has no name")}
	}
	return body, nil
}

// withoutPath is err without the paths an *fs.PathError or *os.LinkError
// (a rename, a link) quotes: the path came from a flag, and a pasted
// secret in its place must not be echoed.
func withoutPath(err error) error {
	var pathErr *fs.PathError
	if errors.As(err, &pathErr) {
		return fmt.Errorf("%s: %w", pathErr.Op, pathErr.Err)
	}
	var linkErr *os.LinkError
	if errors.As(err, &linkErr) {
		return fmt.Errorf("%s: %w", linkErr.Op, linkErr.Err)
	}
	return err
}

// checkIDs refuses, before anything is sent, an argument of flag (or of
// the command, when flag is "") that is not an ObjectId, naming it by its
// place and never quoting it: a secret may have been pasted in its place.
func checkIDs(flag string, ids []string) error {
	for i, id := range ids {
		if problem := limits.ObjectIDProblem(id); problem != "" {
			what := fmt.Sprintf("argument %d", i+1)
			if flag != "" {
				what = flag
			}
			return usageError{fmt.Errorf("%s is not an ID (%s)", what, problem)}
		}
	}
	return nil
}

// mention is s if ok says it may be echoed, or a note that it is not.
func mention(s string, ok func(string) bool) string {
	if ok(s) {
		return strconv.Quote(s)
	}
	return "(not shown)"
}

// commandLike reports whether s looks like a mistyped command, a short
// lowercase word, and so may be echoed; a pasted secret does not.
func commandLike(s string) bool {
	return len(s) <= 20 && strings.Trim(s, "abcdefghijklmnopqrstuvwxyz-") == ""
}

// jsonProblem says what kind of problem a create body's JSON has, without
// quoting the file (a key or value may be a pasted secret).
func jsonProblem(err error) string {
	var syntax *json.SyntaxError
	var typeErr *json.UnmarshalTypeError
	switch {
	case errors.As(err, &syntax):
		return "malformed JSON"
	case errors.As(err, &typeErr):
		return "a value of the wrong type for " + typeErr.Field
	case strings.HasPrefix(err.Error(), "json: unknown field"):
		return "a key the API does not know"
	}
	return "not a JSON object"
}

// checkDomain refuses a --domain (given says the flag was) that is not a
// hostname, such as tokens.example.com, or that is shaped like a token
// (Losant's are JWTs, whose parts are each a valid DNS label), without
// quoting it: the value is sent as a header, and a secret may have been
// pasted in its place.
func checkDomain(domain string, given bool) error {
	if !given {
		return nil
	}
	if domain == "" {
		return usageError{errors.New("--domain is empty: give a hostname, or leave the flag out")}
	}
	if problem := limits.HostnameProblem(domain); problem != "" { // the library's own check
		return usageError{fmt.Errorf("--domain is not a hostname such as tokens.example.com (%s); it is not shown, in case a secret was pasted there", problem)}
	}
	return nil
}

// distinct is values without repeats, in their first order: an owner named
// twice is read once.
func distinct(values []string) []string {
	var out []string
	for _, v := range values {
		if !slices.Contains(out, v) {
			out = append(out, v)
		}
	}
	return out
}
