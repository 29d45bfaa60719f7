package main

// Tests of backup and restore, and of the command line beside a running
// server. The server runs in-process through run; the commands beside it
// run as processes of their own (this test binary as pantau, see TestMain),
// since DuckDB's lock is per process.

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"pantau/sampledata"
)

// result is what one run of pantau printed and how it exited.
type result struct {
	stdout, stderr string
	code           int
}

// runChild runs this test binary as `pantau args...` in dir with the
// database and data folder named relative to it, and stdin as its input.
func runChild(t *testing.T, dir, stdin string, args ...string) result {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, os.Args[0], append([]string{"-test.run=^$", "--"}, args...)...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "PANTAU_TEST_MAIN=1", "PANTAU_DB=pantau.duckdb", "PANTAU_DATA=data")
	cmd.Stdin = strings.NewReader(stdin)
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	err := cmd.Run()
	if ctx.Err() != nil {
		return result{out.String(), errb.String() + "\nno answer within 2 minutes", -1}
	}
	code := 0
	if ee, ok := err.(*exec.ExitError); ok {
		code = ee.ExitCode()
	} else if err != nil {
		return result{out.String(), err.Error(), -1}
	}
	return result{out.String(), errb.String(), code}
}

// writeSample writes a synthetic survey of n respondents with seed.
func writeSample(t *testing.T, path string, n int, seed int64) {
	t.Helper()
	var buf bytes.Buffer
	if err := sampledata.WriteSurvey(&buf, sampledata.SurveyOptions{Respondents: n, Groups: n / 20, Seed: seed}); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
}

func copyFile(t *testing.T, from, to string) {
	t.Helper()
	b, err := os.ReadFile(from)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(to, b, 0o644); err != nil {
		t.Fatal(err)
	}
}

// Every command the server can run gives, run beside a serving database,
// the output and exit status it gives run directly on a database alone.
func TestCLIBesideServer(t *testing.T) {
	fastBcrypt(t)
	direct, served := t.TempDir(), t.TempDir()
	for _, dir := range []string{direct, served} {
		copyFile(t, "../../sampledata/peserta.xlsx", filepath.Join(dir, "peserta.xlsx"))
		writeSample(t, filepath.Join(dir, "survei.xlsx"), 200, 3)
		os.WriteFile(filepath.Join(dir, "bad.csv"), []byte("ID Responden;Wilayah\nR-1;Kab. Malang\n"), 0o644)
	}
	// The server's database starts as the direct one does: created empty.
	if r := runChild(t, served, "", "imports"); r.code != 0 {
		t.Fatalf("imports: %+v", r)
	}
	srv := &cli{t: t, dir: served}
	_, stop := srv.startServe()

	const pw = "a long test password"
	steps := []struct {
		stdin string
		args  []string
	}{
		{"", []string{"imports", "--json"}},
		{"", []string{"ingest", "peserta.xlsx"}},
		{"", []string{"ingest", "--json", "--dry-run", "survei.xlsx"}},
		{"", []string{"ingest", "--lang", "en", "survei.xlsx"}},
		{"", []string{"ingest", "survei.xlsx"}},
		{"", []string{"ingest", "bad.csv", "missing.xlsx"}},
		{"", []string{"ingest", "--json", "missing.xlsx"}},
		{"", []string{"imports"}},
		{"", []string{"imports", "--json"}},
		{"", []string{"summary"}},
		{"", []string{"summary", "--json", "--region", "jember"}},
		{"", []string{"summary", "--gender", "Q"}},
		{"", []string{"export", "--out", "ringkasan.xlsx", "--lang", "en"}},
		{"", []string{"undo", "2"}},
		{"", []string{"undo", "2"}},
		{"", []string{"undo", "41"}},
		{"", []string{"summary", "--json"}},
		{pw + "\n", []string{"user", "add", "--username", "Sari", "--role", "admin", "--password-stdin"}},
		{pw + "\n", []string{"user", "add", "--username", "sari", "--role", "viewer", "--password-stdin"}},
		{"short\n", []string{"user", "add", "--username", "budi", "--role", "viewer", "--password-stdin"}},
		{pw + "\n", []string{"user", "add", "--username", "budi", "--role", "viewer", "--password-stdin"}},
		{"", []string{"user", "list"}},
		{"", []string{"user", "list", "--json"}},
		{"another long password\n", []string{"user", "passwd", "budi", "--password-stdin"}},
		{"", []string{"user", "rm", "sari"}},
		{"", []string{"user", "rm", "budi"}},
		{"", []string{"user", "rm", "budi"}},
		{"", []string{"backup", "--out", "cadangan.duckdb"}},
		{"", []string{"backup", "--with-files", "--out", "cadangan.tar.gz"}},
		{"", []string{"backup"}},
	}
	// Times and dates differ between the two runs, and so do the folders.
	times := regexp.MustCompile(`\d{4}-\d\d-\d\d([ T]\d\d:\d\d(:\d\d(\.\d+)?)?(Z|[+-]\d\d:\d\d)?)?`)
	norm := func(s, dir string) string { return times.ReplaceAllString(strings.ReplaceAll(s, dir, "DIR"), "TIME") }
	for _, st := range steps {
		want := runChild(t, direct, st.stdin, st.args...)
		got := runChild(t, served, st.stdin, st.args...)
		want.stdout, want.stderr = norm(want.stdout, direct), norm(want.stderr, direct)
		got.stdout, got.stderr = norm(got.stdout, served), norm(got.stderr, served)
		if got != want {
			t.Errorf("pantau %s beside the server:\n got exit %d\n%s\n%s\nwant exit %d\n%s\n%s", strings.Join(st.args, " "),
				got.code, got.stdout, got.stderr, want.code, want.stdout, want.stderr)
		}
		if strings.Contains(strings.ToLower(got.stderr), "lock") {
			t.Errorf("pantau %s: %s", strings.Join(st.args, " "), got.stderr)
		}
	}
	for _, name := range []string{"ringkasan.xlsx", "cadangan.duckdb", "cadangan.tar.gz"} {
		if _, err := os.Stat(filepath.Join(served, name)); err != nil {
			t.Errorf("the server did not write %s in the client's folder: %v", name, err)
		}
	}

	// restore cannot go through the server, and says so.
	r := runChild(t, served, "", "restore", "--force", "cadangan.duckdb")
	if r.code != 2 || !strings.Contains(r.stderr, "stop the server first") {
		t.Errorf("restore beside the server: %+v", r)
	}
	// The socket is the user's alone.
	sock := filepath.Join(served, "data", socketName)
	if st, err := os.Stat(sock); err != nil || st.Mode().Perm() != 0o600 {
		t.Errorf("socket: %v, %v; want mode 0600", st.Mode(), err)
	}
	if st, err := os.Stat(filepath.Join(served, "data")); err != nil || st.Mode().Perm() != 0o700 {
		t.Errorf("data folder: %v, %v; want mode 0700", st.Mode(), err)
	}
	if err := stop(); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Lstat(sock); err == nil {
		t.Errorf("the socket outlived the server")
	}
	// With no server, a held database is named, without DuckDB's words.
	if r := runChild(t, served, "", "imports"); r.code != 0 {
		t.Errorf("imports after the server stopped: %+v", r)
	}
}

// importList is `imports --json` as a list of ids and files.
func importList(t *testing.T, js string) []string {
	t.Helper()
	var got struct {
		Imports []struct {
			ID     int64  `json:"id"`
			SHA256 string `json:"sha256"`
			Status string `json:"status"`
		} `json:"imports"`
	}
	if err := json.Unmarshal([]byte(js), &got); err != nil {
		t.Fatalf("%v\n%s", err, js)
	}
	var list []string
	for i := len(got.Imports) - 1; i >= 0; i-- { // oldest first
		im := got.Imports[i]
		list = append(list, fmt.Sprint(im.ID, " ", im.SHA256, " ", im.Status))
	}
	return list
}

// A backup taken while four ingests commit at once through the server
// opens on its own and equals the state after some prefix of them.
func TestBackupWhileIngesting(t *testing.T) {
	c := newCLI(t)
	c.mustRun("ingest", "../../sampledata/peserta.xlsx")
	var files []string
	for i := range 4 {
		path := filepath.Join(c.dir, fmt.Sprintf("survei%d.xlsx", i))
		writeSample(t, path, 1500, int64(i+1))
		files = append(files, path)
	}
	_, stop := c.startServe()

	var wg sync.WaitGroup
	ingested := make([]result, len(files))
	for i, file := range files {
		wg.Add(1)
		go func() {
			defer wg.Done()
			// Overlapping, a little apart, so that their commits spread out.
			time.Sleep(time.Duration(i) * 400 * time.Millisecond)
			ingested[i] = runChild(t, c.dir, "", "ingest", file)
		}()
	}
	finished := make(chan struct{})
	go func() { wg.Wait(); close(finished) }()
	// Two clients take backups one after the other until the ingests end.
	var backups []string
	var mu sync.Mutex
	var takers sync.WaitGroup
	for taker := range 2 {
		takers.Add(1)
		go func() {
			defer takers.Done()
			for i := 0; i < 10; i++ {
				path := filepath.Join(c.dir, fmt.Sprintf("backup%d-%d.duckdb", taker, i))
				if r := runChild(t, c.dir, "", "backup", "--out", path); r.code != 0 {
					t.Errorf("backup: %+v", r)
					return
				}
				mu.Lock()
				backups = append(backups, path)
				mu.Unlock()
				select {
				case <-finished:
					return
				default:
				}
			}
		}()
	}
	takers.Wait()
	<-finished
	for i, r := range ingested {
		if r.code != 0 {
			t.Fatalf("ingest %s: %+v", files[i], r)
		}
	}
	if err := stop(); err != nil {
		t.Fatal(err)
	}

	// The imports in the order they committed, replayed one by one.
	final := importList(t, c.mustRun("imports", "--json"))
	if len(final) != 5 {
		t.Fatalf("imports: %v", final)
	}
	replay := newCLI(t)
	replay.mustRun("ingest", "../../sampledata/peserta.xlsx")
	states := map[string]int{replay.mustRun("summary", "--json"): 1}
	for _, im := range final[1:] {
		for _, file := range files {
			if sum := fileSHA(t, file); strings.Contains(im, sum) {
				replay.mustRun("ingest", file)
			}
		}
		states[replay.mustRun("summary", "--json")] = len(importList(t, replay.mustRun("imports", "--json")))
	}
	if len(states) != 5 {
		t.Fatalf("the replay has %d distinct states, want 5", len(states))
	}
	seen := map[int]bool{}
	for _, path := range backups {
		if _, err := os.Stat(path + ".wal"); err == nil {
			t.Errorf("%s has a write-ahead log beside it", path)
		}
		summary := c.mustRun("summary", "--json", "--db", path)
		n, ok := states[summary]
		if !ok {
			t.Errorf("%s equals no prefix of the imports", filepath.Base(path))
			continue
		}
		if got := importList(t, c.mustRun("imports", "--json", "--db", path)); strings.Join(got, "\n") != strings.Join(final[:n], "\n") {
			t.Errorf("%s: imports %v, want the first %d of %v", filepath.Base(path), got, n, final)
		}
		seen[n] = true
	}
	t.Logf("%d backups, holding the first %v imports", len(backups), seen)
}

func fileSHA(t *testing.T, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:])
}

// Restore gives back, byte for byte, what summary and imports said when the
// backup was taken through the server; it refuses to replace a database
// without --force, and a tar with the files brings the kept files back.
func TestRestoreGivesBackTheState(t *testing.T) {
	fastBcrypt(t)
	c := newCLI(t)
	survey := filepath.Join(c.dir, "survei.xlsx")
	writeSample(t, survey, 300, 4)
	c.mustRun("ingest", "../../sampledata/peserta.xlsx", survey)
	later := filepath.Join(c.dir, "later.xlsx")
	writeSample(t, later, 300, 5)
	c.mustRun("undo", "1")
	_, stop := c.startServe()

	summary := runChild(t, c.dir, "", "summary", "--json")
	imports := runChild(t, c.dir, "", "imports", "--json")
	for _, args := range [][]string{{"backup", "--out", "b.duckdb"}, {"backup", "--with-files", "--out", "b.tar.gz"}, {"ingest", later}} {
		if r := runChild(t, c.dir, "", args...); r.code != 0 {
			t.Fatalf("pantau %v: %+v", args, r)
		}
	}
	if r := runChild(t, c.dir, "", "summary", "--json"); r.stdout == summary.stdout {
		t.Fatalf("the later ingest changed nothing")
	}
	if err := stop(); err != nil {
		t.Fatal(err)
	}

	b := filepath.Join(c.dir, "b.duckdb")
	if out, errs, code := c.run("restore", b); code != 1 || !strings.Contains(errs, "--force") {
		t.Errorf("restore over a database without --force: exit %d, %q %q", code, out, errs)
	}
	c.mustRun("restore", "--force", b)
	if got := c.mustRun("summary", "--json"); got != summary.stdout {
		t.Errorf("summary after restore:\n%s\nwant\n%s", firstDiff(got, summary.stdout), firstDiff(summary.stdout, got))
	}
	if got := c.mustRun("imports", "--json"); got != imports.stdout {
		t.Errorf("imports after restore:\n%s\nwant\n%s", got, imports.stdout)
	}

	// The tar, into an empty place: the database and the kept files.
	fresh := newCLI(t)
	fresh.mustRun("restore", filepath.Join(c.dir, "b.tar.gz"))
	if got := fresh.mustRun("summary", "--json"); got != summary.stdout {
		t.Errorf("summary after restoring the tar differs")
	}
	for _, im := range importList(t, imports.stdout) {
		sha := strings.Fields(im)[1]
		if _, err := os.Stat(filepath.Join(fresh.dir, "data", sha+".xlsx")); err != nil {
			t.Errorf("kept file of import %s not restored: %v", im, err)
		}
	}
	garbage := filepath.Join(c.dir, "garbage.duckdb")
	os.WriteFile(garbage, []byte("no database"), 0o600)
	if _, errs, code := c.run("restore", "--force", garbage); code != 1 || !strings.Contains(errs, "not a pantau backup") {
		t.Errorf("restore of garbage: exit %d, %q", code, errs)
	}
	if got := c.mustRun("summary", "--json"); got != summary.stdout {
		t.Errorf("a refused restore changed the database")
	}
}
