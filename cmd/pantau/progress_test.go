package main

import (
	"bytes"
	"context"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"pantau/ingest"
)

// fakeTerminal is a stderr that says it is a terminal.
type fakeTerminal struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (f *fakeTerminal) IsTerminal() bool { return true }

func (f *fakeTerminal) Write(p []byte) (int, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.buf.Write(p)
}

func (f *fakeTerminal) String() string {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.buf.String()
}

// TestProgressView drives the bar directly: on a terminal it shows the file,
// the stage, the sheet and the rows read of the rows declared; elsewhere, or
// quiet, it writes nothing.
func TestProgressView(t *testing.T) {
	feed := func(v progressView) {
		for _, n := range []int{0, 250, 500, 1000} {
			v.Update(ingest.Progress{Stage: "reading", Sheet: "Responden", Row: n, Rows: 1000})
		}
		v.Update(ingest.Progress{Stage: "committing"})
		v.Done()
	}

	term := &fakeTerminal{}
	v := newProgressView(term, "survei.xlsx", "en", false)
	v.(*barProgress).throttle = 0
	feed(v)
	got := term.String()
	for _, want := range []string{"survei.xlsx: reading Responden", "250/1000", "500/1000", "rows/s", "survei.xlsx: committing"} {
		if !strings.Contains(got, want) {
			t.Errorf("the bar lacks %q:\n%q", want, got)
		}
	}
	if !strings.HasSuffix(got, "\r") {
		t.Errorf("the last bar is not cleared: %q", got)
	}

	term = &fakeTerminal{}
	feed(newProgressView(term, "survei.xlsx", "en", true))
	if got := term.String(); got != "" {
		t.Errorf("--quiet wrote %q", got)
	}
	var buf bytes.Buffer
	feed(newProgressView(&buf, "survei.xlsx", "en", false))
	if buf.Len() != 0 {
		t.Errorf("not a terminal, yet written: %q", buf.String())
	}
}

// onTerminal runs pantau with env and a terminal for stderr, and returns
// what it wrote on stdout and on that terminal.
func onTerminal(t *testing.T, env map[string]string, args ...string) (stdout, stderr string) {
	t.Helper()
	var out bytes.Buffer
	term := &fakeTerminal{}
	if err := run(context.Background(), args, func(k string) string { return env[k] }, strings.NewReader(""), &out, term); err != nil {
		t.Fatalf("pantau %s: %v\n%s", strings.Join(args, " "), err, term)
	}
	return out.String(), term.String()
}

// withSamples is a new database's environment and a folder of small
// sample workbooks.
func withSamples(t *testing.T) (env map[string]string, samples string) {
	c := newCLI(t)
	samples = filepath.Join(c.dir, "samples")
	c.mustRun("sample", "--out", samples, "--respondents", "50", "--groups", "5", "--seed", "3")
	return map[string]string{
		"PANTAU_DB":   filepath.Join(c.dir, "pantau.duckdb"),
		"PANTAU_DATA": filepath.Join(c.dir, "data"),
	}, samples
}

// TestIngestProgress runs the command with a terminal for stderr: a bar
// there, none with --quiet, and none in the other tests, whose stderr is a
// buffer.
func TestIngestProgress(t *testing.T) {
	env, samples := withSamples(t)
	ingestWith := func(args ...string) (stdout, stderr string) {
		t.Helper()
		return onTerminal(t, env, append([]string{"ingest"}, args...)...)
	}

	out, bar := ingestWith(filepath.Join(samples, "peserta.xlsx"))
	for _, want := range []string{"peserta.xlsx: membaca Peserta", "/", "peserta.xlsx: menyimpan"} {
		if !strings.Contains(bar, want) {
			t.Errorf("stderr lacks %q:\n%q", want, bar)
		}
	}
	if !strings.Contains(out, "peserta.xlsx: diimpor sebagai impor #1") {
		t.Errorf("stdout: %s", out)
	}

	out, bar = ingestWith("--quiet", "--lang", "en", "--dry-run", filepath.Join(samples, "survei.xlsx"))
	if bar != "" {
		t.Errorf("--quiet wrote on stderr: %q", bar)
	}
	if !strings.Contains(out, "survei.xlsx") {
		t.Errorf("stdout: %s", out)
	}
}

// TestBackupRestoreProgress runs backup and restore with a terminal for
// stderr: each long step shows (the database copy with its clock, the
// archive with bytes of the total), --quiet shows nothing, and the other
// tests' buffered stderr never gets a bar.
func TestBackupRestoreProgress(t *testing.T) {
	throttle := stepThrottle
	stepThrottle = 0
	defer func() { stepThrottle = throttle }()
	env, samples := withSamples(t)
	dir := filepath.Dir(samples)
	runWith := func(args ...string) (stdout, stderr string) {
		t.Helper()
		return onTerminal(t, env, args...)
	}
	runWith("ingest", "--quiet", filepath.Join(samples, "peserta.xlsx"), filepath.Join(samples, "survei.xlsx"))

	archive := filepath.Join(dir, "backup.tar.gz")
	_, bar := runWith("backup", "--with-files", "--out", archive)
	for _, want := range []string{"copying the database", "writing backup.tar.gz", "50% |", "MB/s"} {
		if !strings.Contains(bar, want) {
			t.Errorf("backup's stderr lacks %q:\n%.400q", want, bar)
		}
	}
	if _, bar := runWith("backup", "--quiet", "--out", filepath.Join(dir, "copy.duckdb")); bar != "" {
		t.Errorf("backup --quiet wrote %q", bar)
	}

	env["PANTAU_DB"], env["PANTAU_DATA"] = filepath.Join(dir, "restored.duckdb"), filepath.Join(dir, "restored-data")
	out, bar := runWith("restore", archive)
	for _, want := range []string{"reading backup.tar.gz", "restoring the database", "restoring the kept files"} {
		if !strings.Contains(bar, want) {
			t.Errorf("restore's stderr lacks %q:\n%.400q", want, bar)
		}
	}
	if !strings.Contains(out, "restored ") {
		t.Errorf("restore's stdout: %q", out)
	}
	if _, bar := runWith("restore", "--quiet", "--force", archive); bar != "" {
		t.Errorf("restore --quiet wrote %q", bar)
	}
}
