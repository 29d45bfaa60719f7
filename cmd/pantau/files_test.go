package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// What pantau keeps is private to its user, and what a crash left behind
// (a kept file that no import names, a half-written one) is removed when
// the database is next opened with its data folder.
func TestFilesPrivateAndOrphansSwept(t *testing.T) {
	c := newCLI(t)
	c.mustRun("ingest", filepath.Join("..", "..", "sampledata", "peserta.xlsx"))
	data := filepath.Join(c.dir, "data")
	kept, _ := filepath.Glob(filepath.Join(data, "*.xlsx"))
	if len(kept) != 1 {
		t.Fatalf("kept files %v, want the one import's", kept)
	}
	// Left as an older pantau or a crash would have: readable by all, an
	// original no import names, a temporary file.
	orphan := filepath.Join(data, strings.Repeat("ab", 32)+".xlsx")
	temp := filepath.Join(data, ".upload-123456")
	for _, p := range []string{orphan, temp} {
		if err := os.WriteFile(p, []byte("personal data"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	os.Chmod(data, 0o755)
	os.Chmod(kept[0], 0o644)
	os.Chmod(filepath.Join(c.dir, "pantau.duckdb"), 0o644)

	_, stderr, code := c.run("imports")
	if code != 0 || !strings.Contains(stderr, "removed 2 file(s)") {
		t.Errorf("imports: exit %d, stderr %q; want the two left files reported removed", code, stderr)
	}
	for _, p := range []string{orphan, temp} {
		if _, err := os.Stat(p); !os.IsNotExist(err) {
			t.Errorf("%s is still there (%v)", filepath.Base(p), err)
		}
	}
	for path, want := range map[string]os.FileMode{data: 0o700, kept[0]: 0o600, filepath.Join(c.dir, "pantau.duckdb"): 0o600} {
		st, err := os.Stat(path)
		if err != nil {
			t.Fatal(err)
		}
		if got := st.Mode().Perm(); got != want {
			t.Errorf("%s: mode %o, want %o", filepath.Base(path), got, want)
		}
	}
	// A new import's file is private from the start.
	c.mustRun("ingest", filepath.Join("..", "..", "sampledata", "survei.xlsx"))
	files, _ := filepath.Glob(filepath.Join(data, "*.xlsx"))
	for _, p := range files {
		if st, err := os.Stat(p); err != nil || st.Mode().Perm() != 0o600 {
			t.Errorf("%s: %v, want mode 600", filepath.Base(p), st.Mode())
		}
	}
}
