package losant

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"regexp"
	"strings"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"

	"github.com/specdriven/losant/gen"
	"github.com/specdriven/losant/internal/shipped/checks"
	"github.com/specdriven/losant/internal/shipped/contract"
	"github.com/specdriven/losant/internal/shipped/wire"
)

// FuzzCheckIDs: an ID is sent if and only if it matches the spec's ObjectId
// pattern, and then it is the last segment of the path, unchanged.
func FuzzCheckIDs(f *testing.F) {
	pattern := regexp.MustCompile(specSchema(f, "ObjectId").Pattern)
	f.Add("575ec7417ae143cd83dc4a95")
	f.Add("../../applications")
	f.Add("575EC7417AE143CD83DC4A9%")
	f.Fuzz(func(t *testing.T, id string) {
		err := argumentError(checks.ObjectID("apiTokenId", id))
		if (err == nil) != pattern.MatchString(id) {
			t.Fatalf("checkObjectID(%q) = %v; the spec's pattern says %v", id, err, pattern.MatchString(id))
		}
		if err != nil {
			if !errors.Is(err, ErrInvalidArgument) || len(id) >= 8 && strings.Contains(err.Error(), id) {
				t.Fatalf("error %v: not ErrInvalidArgument, or quotes the ID", err)
			}
			return
		}
		requests, err := wire.NewRequests("https://api.losant.com")
		if err != nil {
			t.Fatal(err)
		}
		req, err := requests.GetUserAPIToken(context.Background(), id, nil)
		if err != nil || req.URL.EscapedPath() != "/me/tokens/"+id {
			t.Fatalf("ID %q made path %v, %v", id, req.URL, err)
		}
	})
}

// FuzzCheckPatch: a patch is sent if and only if the spec's ApiTokenPatch
// schema accepts it.
func FuzzCheckPatch(f *testing.F) {
	schema := specSchema(f, "ApiTokenPatch")
	f.Add("My token", true, "", false, "active", true)
	f.Add("", true, "d", true, "paused", true)
	f.Add("\xff\xfe", true, strings.Repeat("é", 300), true, "", false)
	f.Fuzz(func(t *testing.T, name string, hasName bool, description string, hasDescription bool, status string, hasStatus bool) {
		var p gen.APITokenPatch
		if hasName {
			p.Name = &name
		}
		if hasDescription {
			p.Description = &description
		}
		if hasStatus {
			p.Status = (*gen.APITokenStatus)(&status)
		}
		sent, err := json.Marshal(p)
		if err != nil {
			t.Fatal(err)
		}
		var doc any
		if err := json.Unmarshal(sent, &doc); err != nil {
			t.Fatal(err)
		}
		specErr := schema.VisitJSON(doc)
		if got := argumentError(checks.Patch(p)); (got == nil) != (specErr == nil) {
			t.Fatalf("checkPatch(%s) = %v; the spec says %v", sent, got, specErr)
		}
	})
}

// FuzzCheckDomain: an accepted domain goes out as exactly one header line
// and comes back as itself; nothing can be smuggled in after it.
func FuzzCheckDomain(f *testing.F) {
	f.Add("example.com")
	f.Add("a.example.com\r\nAuthorization: Bearer x")
	f.Add(" spaced ")
	f.Fuzz(func(t *testing.T, domain string) {
		if err := argumentError(checks.Domain(domain)); err != nil {
			if !errors.Is(err, ErrInvalidArgument) {
				t.Fatalf("%v is not ErrInvalidArgument", err)
			}
			return
		}
		req, _ := http.NewRequest(http.MethodGet, "https://api.losant.com/me/tokens", nil)
		req.Header.Set(headerDomain, domain)
		var wire bytes.Buffer
		if err := req.Write(&wire); err != nil {
			t.Fatalf("accepted %q, which cannot be sent: %v", domain, err)
		}
		back, err := http.ReadRequest(bufio.NewReader(&wire))
		if err != nil {
			t.Fatalf("accepted %q, which makes a bad request: %v", domain, err)
		}
		if got := back.Header.Values(headerDomain); len(got) != 1 || got[0] != strings.Trim(domain, " ") {
			t.Fatalf("sent %q, received %q", domain, got)
		}
		for name := range back.Header {
			if name != "Losantdomain" && name != "User-Agent" {
				t.Fatalf("sent %q, received a %s header too", domain, name)
			}
		}
	})
}

func specSchema(f *testing.F, name string) *openapi3.Schema {
	doc, err := contract.Load()
	if err != nil {
		f.Fatal(err)
	}
	ref, ok := doc.Components.Schemas[name]
	if !ok {
		f.Fatalf("no schema %s in the spec", name)
	}
	return ref.Value
}
