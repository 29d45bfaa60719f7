package queries

import (
	"context"
	"math/rand/v2"
	"path/filepath"
	"runtime"
	"testing"
	"time"
)

// TestOpenLimited: the limits reach DuckDB's settings, and on Linux the
// allocator DuckDB bundles is found (else freed memory would linger in
// the process for a second or more).
func TestOpenLimited(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	db, err := OpenLimited(ctx, filepath.Join(dir, "pantau.duckdb"), Limits{Memory: 48 << 20, Threads: 1, TempDir: filepath.Join(dir, "spill")})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var memory, temp string
	var threads int
	if err := db.sql.QueryRowContext(ctx, `SELECT current_setting('memory_limit'), current_setting('threads'), current_setting('temp_directory')`).
		Scan(&memory, &threads, &temp); err != nil {
		t.Fatal(err)
	}
	if memory != "48.0 MiB" || threads != 1 || temp != filepath.Join(dir, "spill") {
		t.Errorf("memory_limit %q, threads %d, temp_directory %q; want 48.0 MiB, 1, %s", memory, threads, temp, filepath.Join(dir, "spill"))
	}
	if runtime.GOOS == "linux" && !returnFreedMemory() {
		t.Error("DuckDB's jemalloc (duckdb_je_mallctl) not found: freed memory is not returned at once")
	}
}

// TestCommitBeyondMemoryLimit: a commit that needs more memory than the
// limit allows is not refused: it runs again with DuckDB's default limit,
// commits every row once, and the limit is back afterwards.
func TestCommitBeyondMemoryLimit(t *testing.T) {
	ctx := context.Background()
	db, err := OpenLimited(ctx, filepath.Join(t.TempDir(), "pantau.duckdb"), Limits{Memory: 64 << 20, Threads: 1})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	const n = 20_000
	rng := rand.New(rand.NewPCG(11, 2014))
	b, err := db.NewBatch(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	for i := range n {
		if err := b.AddRespondent(randomRespondent(rng, i)); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := b.Counts(ctx); err != nil { // staging ends under the limit it was opened with
		t.Fatal(err)
	}
	const tiny = 1 << 20
	db.limits.Memory = tiny
	if err := db.setMemoryLimit(ctx, tiny); err != nil {
		t.Fatal(err)
	}
	meta := ImportMeta{FileName: "big", SHA256: "big", By: "test", At: time.Now()}
	none := func(map[Kind]Counts) []SheetCounts { return nil }
	if _, _, err := b.commitTx(ctx, meta, none, false); !isOutOfMemory(err) {
		t.Fatalf("the commit alone under %d bytes: %v; want an out-of-memory error (else this test proves nothing)", tiny, err)
	}
	_, counts, err := b.Commit(ctx, meta, none)
	if err != nil {
		t.Fatalf("commit beyond the limit: %v", err)
	}
	if counts[Respondents].New != n {
		t.Errorf("%d new respondents; want %d", counts[Respondents].New, n)
	}
	var rows, cells int
	var memory string
	if err := db.sql.QueryRowContext(ctx, `SELECT (SELECT count(*) FROM respondents), (SELECT sum(respondents) FROM respondent_cells),
		current_setting('memory_limit')`).Scan(&rows, &cells, &memory); err != nil {
		t.Fatal(err)
	}
	if rows != n || cells != n || memory != "1.0 MiB" {
		t.Errorf("%d current respondents, %d in the rollups, memory_limit %s; want %d, %d, 1.0 MiB", rows, cells, memory, n, n)
	}
}
