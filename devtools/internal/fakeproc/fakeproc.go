// Package fakeproc runs the standalone losant-fake for the development
// tools that measure it (soak, fakemem): building it, starting it on a
// loopback port, and reading its resident memory.
package fakeproc

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
)

// Build builds ./cmd/losant-fake into dir and returns the binary's path.
func Build(dir string) (string, error) {
	bin := filepath.Join(dir, "losant-fake")
	if out, err := exec.Command("go", "build", "-o", bin, "./cmd/losant-fake").CombinedOutput(); err != nil {
		return "", fmt.Errorf("building losant-fake: %v: %s", err, out)
	}
	return bin, nil
}

// Start starts the fake bin with args (which should listen on
// 127.0.0.1:0) and returns it with the base URL it printed first; the rest
// of its stdout is read and dropped.
func Start(bin string, args ...string) (*exec.Cmd, string, error) {
	fake := exec.Command(bin, args...)
	stdout, err := fake.StdoutPipe()
	if err != nil {
		return nil, "", err
	}
	if err := fake.Start(); err != nil {
		return nil, "", err
	}
	lines := bufio.NewScanner(stdout)
	if !lines.Scan() {
		_ = fake.Process.Kill()
		return nil, "", errors.New("losant-fake printed nothing")
	}
	base := regexp.MustCompile(`http://127\.0\.0\.1:\d+`).FindString(lines.Text())
	if base == "" {
		_ = fake.Process.Kill()
		return nil, "", fmt.Errorf("no URL in %q", lines.Text())
	}
	go func() { _, _ = io.Copy(io.Discard, stdout) }()
	return fake, base, nil
}

// RSS is a process's resident memory in bytes, from /proc.
func RSS(pid int) (int64, error) {
	data, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return 0, err
	}
	for _, line := range strings.Split(string(data), "\n") {
		if rest, ok := strings.CutPrefix(line, "VmRSS:"); ok {
			kb, err := strconv.ParseInt(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(rest), "kB")), 10, 64)
			return kb << 10, err
		}
	}
	return 0, errors.New("no VmRSS in /proc status")
}
