package losanttest_test

import (
	"fmt"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/specdriven/losant/gen"
	"github.com/specdriven/losant/losanttest"
)

// helperTB is a testing.TB that records which functions called Helper and,
// on Fatal, the line testing would report: the first caller that is not a
// helper. Fatal ends the goroutine, as testing's does.
type helperTB struct {
	testing.TB
	helpers  map[string]bool
	reported string
}

func (h *helperTB) Helper() {
	pc, _, _, _ := runtime.Caller(1)
	h.helpers[runtime.FuncForPC(pc).Name()] = true
}

func (h *helperTB) Fatal(...any) {
	pcs := make([]uintptr, 32)
	frames := runtime.CallersFrames(pcs[:runtime.Callers(2, pcs)])
	for {
		f, more := frames.Next()
		if !h.helpers[f.Function] {
			h.reported = fmt.Sprintf("%s:%d", filepath.Base(f.File), f.Line)
			break
		}
		if !more {
			break
		}
	}
	runtime.Goexit()
}

// A setup mistake is reported at the test's line, not inside losanttest.
func TestSetupMistakesAreReportedAtTheCallersLine(t *testing.T) {
	t.Parallel()
	for name, mistake := range map[string]func(*losanttest.Server){
		"AddUser": func(s *losanttest.Server) { s.AddUser(losanttest.User{ID: "not an id"}) },
		"AddApplication": func(s *losanttest.Server) {
			s.AddApplication(losanttest.Application{OwnerID: "575ed70c7ae143cd83dc4aa9"})
		},
		"AddInstance": func(s *losanttest.Server) { s.AddInstance(losanttest.Instance{ID: "not an id"}) },
		"AddToken":    func(s *losanttest.Server) { s.AddToken(losanttest.Token{OwnerType: gen.APITokenOwnerTypeUser}) },
		"Client":      func(s *losanttest.Server) { s.Client("") },
		"Inject For":  func(s *losanttest.Server) { s.Inject(losanttest.Fault{}, losanttest.For("getUserToken")) },
	} {
		t.Run(name, func(t *testing.T) {
			tb := &helperTB{TB: t, helpers: map[string]bool{}}
			srv := losanttest.New(tb)
			done := make(chan struct{})
			go func() {
				defer close(done)
				mistake(srv)
			}()
			<-done
			assert.True(t, strings.HasPrefix(tb.reported, "helper_test.go:"), "%s's failure is reported at %s", name, tb.reported)
		})
	}
}
