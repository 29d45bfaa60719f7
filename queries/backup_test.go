package queries_test

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"testing"

	"pantau/queries"
	"pantau/queries/querytest"
)

// state is what a database answers, for exact comparison of two of them.
func state(t *testing.T, db *queries.DB) string {
	t.Helper()
	ctx := context.Background()
	imports, err := db.Imports(ctx)
	if err != nil {
		t.Fatal(err)
	}
	summary, err := db.Summary(ctx, queries.Filter{})
	if err != nil {
		t.Fatal(err)
	}
	users, err := db.Users(ctx)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := json.Marshal([]any{imports, summary, users, currentRespondents(t, db)})
	return string(b)
}

func openFile(t *testing.T, path string) *queries.DB {
	t.Helper()
	db, err := queries.Open(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

// A backup is a DuckDB file of its own with the whole state, the import id
// sequence included; Restore puts it back.
func TestBackupAndRestore(t *testing.T) {
	ctx := context.Background()
	db := querytest.Open(t)
	commit(t, db, "a", respondent("R-1", "Kab. Jember", 1_000_000), respondent("R-2", "Kab. Malang", 900_000))
	id, _ := commit(t, db, "b", respondent("R-1", "Kab. Jember", 1_100_000))
	commit(t, db, "c", respondent("R-3", "Kota Batu", 800_000))
	if err := db.Undo(ctx, id, "test"); err != nil {
		t.Fatal(err)
	}
	if err := db.AddUser(ctx, "sari", queries.Admin, "a long password"); err != nil {
		t.Fatal(err)
	}
	want := state(t, db)

	dir := t.TempDir()
	path := filepath.Join(dir, "backup.duckdb")
	if err := db.Backup(ctx, path); err != nil {
		t.Fatal(err)
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 1 {
		t.Errorf("the backup folder holds %v, want the backup alone (no log, no temporary file)", entries)
	}
	backup := openFile(t, path)
	if got := state(t, backup); got != want {
		t.Fatalf("backup differs:\n got %s\nwant %s", got, want)
	}
	if next, _ := commit(t, backup, "d", respondent("R-4", "Kota Batu", 1)); next != 4 {
		t.Errorf("the next import of the backup is #%d, want #4", next)
	}
	backup.Close()

	// Restore: refused over a database without replace, then done with it.
	if err := db.Backup(ctx, path); err != nil { // again over the old file
		t.Fatal(err)
	}
	target := filepath.Join(dir, "restored.duckdb")
	other := openFile(t, target)
	commit(t, other, "other", respondent("R-9", "Kota Batu", 1))
	other.Close()
	if err := queries.Restore(ctx, path, target, false); queries.ErrorCode(err) != queries.ECONFLICT {
		t.Errorf("restore over a database without replace: %v, want a conflict", err)
	}
	if err := queries.Restore(ctx, path, target, true); err != nil {
		t.Fatal(err)
	}
	if got := state(t, openFile(t, target)); got != want {
		t.Fatalf("restored database differs:\n got %s\nwant %s", got, want)
	}

	garbage := filepath.Join(dir, "garbage.duckdb")
	os.WriteFile(garbage, []byte("not a database"), 0o600)
	if err := queries.Restore(ctx, garbage, filepath.Join(dir, "new.duckdb"), false); queries.ErrorCode(err) != queries.EINVALID {
		t.Errorf("restore of garbage: %v, want invalid", err)
	}
	if _, err := os.Stat(filepath.Join(dir, "new.duckdb")); err == nil {
		t.Errorf("restore of garbage left a database")
	}
}

// A backup taken while imports commit holds exactly the imports committed
// before some point: the state after a prefix of them.
func TestBackupWhileCommitting(t *testing.T) {
	ctx := context.Background()
	db := querytest.Open(t)
	commit(t, db, "first", respondent("R-0", "Kab. Jember", 1))
	dir := t.TempDir()
	var wg sync.WaitGroup
	for i := range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			var rs []queries.Respondent
			for j := range 200 {
				rs = append(rs, respondent(fmt.Sprintf("R-%d", j), "Kab. Malang", int64(1000*i+j)))
			}
			commit(t, db, fmt.Sprintf("batch %d", i), rs...)
		}()
	}
	var backups []string
	for i := range 6 {
		path := filepath.Join(dir, fmt.Sprintf("b%d.duckdb", i))
		if err := db.Backup(ctx, path); err != nil {
			t.Fatal(err)
		}
		backups = append(backups, path)
	}
	wg.Wait()

	// Replay the imports one by one, in the order they committed, into a
	// fresh database; each backup must equal one of the prefixes.
	imports, err := db.Imports(ctx)
	if err != nil {
		t.Fatal(err)
	}
	replay := querytest.Open(t)
	prefixes := map[string]int{}
	for i := len(imports) - 1; i >= 0; i-- {
		name := imports[i].FileName
		var rs []queries.Respondent
		if name == "first" {
			rs = []queries.Respondent{respondent("R-0", "Kab. Jember", 1)}
		} else {
			var n int
			fmt.Sscanf(name, "batch %d", &n)
			for j := range 200 {
				rs = append(rs, respondent(fmt.Sprintf("R-%d", j), "Kab. Malang", int64(1000*n+j)))
			}
		}
		commit(t, replay, name, rs...)
		prefixes[dataState(t, replay)] = len(imports) - i
	}
	for _, path := range backups {
		b := openFile(t, path)
		n, ok := prefixes[dataState(t, b)]
		if !ok {
			t.Errorf("%s is no prefix of the imports", filepath.Base(path))
		}
		t.Logf("%s holds the first %d imports", filepath.Base(path), n)
		b.Close()
	}
}

// dataState is state without the import times and authors that a replay
// cannot repeat.
func dataState(t *testing.T, db *queries.DB) string {
	t.Helper()
	imports, err := db.Imports(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	for _, im := range imports {
		ids = append(ids, fmt.Sprint(im.ID, im.FileName, im.Status))
	}
	summary, err := db.Summary(context.Background(), queries.Filter{})
	if err != nil {
		t.Fatal(err)
	}
	b, _ := json.Marshal([]any{ids, summary, currentRespondents(t, db)})
	return string(b)
}
