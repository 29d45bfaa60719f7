package queries_test

import (
	"context"
	"errors"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"pantau/queries"
	"pantau/queries/querytest"
)

func respondent(id, region string, wage int64) queries.Respondent {
	r := queries.Respondent{Row: 2, Key: strings.ToLower(id), ID: id, Region: region, WorkType: "POS",
		SurveyDate: time.Date(2014, 10, 1, 0, 0, 0, 0, time.UTC), MonthlyWage: wage}
	r.Problems[0] = queries.Yes
	r.Problems[7] = queries.No
	return r
}

// commit stages rs and commits them as one import.
func commit(t *testing.T, db *queries.DB, name string, rs ...queries.Respondent) (int64, queries.Counts) {
	t.Helper()
	id, counts := queries.MustCommit(t, db, name, func(b *queries.Batch) error {
		for _, r := range rs {
			if err := b.AddRespondent(r); err != nil {
				return err
			}
		}
		return nil
	})
	return id, counts[queries.Respondents]
}

// currentRespondents dumps the whole current table, ordered, for exact comparison.
func currentRespondents(t *testing.T, db *queries.DB) []string {
	t.Helper()
	rows, err := queries.RawSQL(db).Query(`SELECT CAST(r AS TEXT) FROM (SELECT * EXCLUDE (import_id, row_number) FROM respondents) r ORDER BY 1`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var s string
		if err := rows.Scan(&s); err != nil {
			t.Fatal(err)
		}
		out = append(out, s)
	}
	return out
}

func TestCommitClassifiesAndUndoRestores(t *testing.T) {
	db := querytest.Open(t)
	id1, c := commit(t, db, "one", respondent("R-1", "Kota Malang", 1000), respondent("R-2", "Kab. Jember", -1))
	if want := (queries.Counts{New: 2}); c != want {
		t.Fatalf("first import: got %+v, want %+v", c, want)
	}
	before := currentRespondents(t, db)

	id2, c := commit(t, db, "two", respondent("R-1", "Kota Malang", 2000), respondent("R-2", "Kab. Jember", -1), respondent("R-3", "Kota Batu", 5))
	if want := (queries.Counts{New: 1, Updated: 1, Unchanged: 1}); c != want {
		t.Fatalf("second import: got %+v, want %+v", c, want)
	}
	if got := currentRespondents(t, db); reflect.DeepEqual(got, before) || len(got) != 3 {
		t.Fatalf("second import changed nothing: %v", got)
	}

	err := db.Undo(context.Background(), id1, "test")
	if queries.ErrorCode(err) != queries.ECONFLICT || !strings.Contains(err.Error(), "import 2") {
		t.Fatalf("undo of import 1 under import 2: got %v, want a conflict naming import 2", err)
	}
	if err := db.Undo(context.Background(), id2, "test"); err != nil {
		t.Fatal(err)
	}
	if got := currentRespondents(t, db); !reflect.DeepEqual(got, before) {
		t.Fatalf("after undo:\n got %v\nwant %v", got, before)
	}
	if err := db.Undo(context.Background(), id1, "test"); err != nil {
		t.Fatal(err)
	}
	if got := currentRespondents(t, db); len(got) != 0 {
		t.Fatalf("after undoing everything: %v", got)
	}
	list, err := db.Imports(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if len(list) != 2 || list[0].ID != id2 || list[0].Status != "undone" || list[1].Status != "undone" {
		t.Fatalf("history: %+v", list)
	}
	// One import, as the history has it; none of another id.
	for _, want := range list {
		if got, err := db.Import(context.Background(), want.ID); err != nil || !reflect.DeepEqual(got, want) {
			t.Errorf("import %d: %+v, %v; the history has %+v", want.ID, got, err, want)
		}
	}
	if _, err := db.Import(context.Background(), id2+1); queries.ErrorCode(err) != queries.ENOTFOUND {
		t.Errorf("import %d: %v, want not found", id2+1, err)
	}
}

func TestReopenKeepsMigrations(t *testing.T) {
	path := filepath.Join(t.TempDir(), "new", "folder", "p.duckdb") // folders are created
	files, err := filepath.Glob(filepath.Join("migrations", "*.sql"))
	if err != nil || len(files) < 2 {
		t.Fatalf("migration files: %v, %v", files, err)
	}
	for range 2 {
		db, err := queries.Open(context.Background(), path)
		if err != nil {
			t.Fatal(err)
		}
		var n int
		if err := queries.RawSQL(db).QueryRow(`SELECT count(*) FROM schema_migrations`).Scan(&n); err != nil || n != len(files) { // each once
			t.Fatalf("migrations recorded: %d, %v", n, err)
		}
		db.Close()
	}
}

// DataVersion goes up by two after each commit and undo that succeeds (odd
// only while it lands), and only then.
func TestDataVersion(t *testing.T) {
	db := querytest.Open(t)
	ctx := context.Background()
	check := func(step string, want uint64) {
		t.Helper()
		if got := db.DataVersion(); got != want {
			t.Fatalf("%s: data version %d, want %d", step, got, want)
		}
	}
	check("open", 2)
	id1, _ := commit(t, db, "one", respondent("R-1", "Kota Malang", 1000))
	check("first commit", 4)

	// The same file again is refused as identical and changes nothing.
	again := func(ctx context.Context, sha string) error {
		b, err := db.NewBatch(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		defer b.Close()
		if err := b.AddRespondent(respondent("R-2", "Kab. Jember", -1)); err != nil {
			t.Fatal(err)
		}
		_, _, err = b.Commit(ctx, queries.ImportMeta{FileName: sha, SHA256: sha, By: "test", At: time.Now()},
			func(map[queries.Kind]queries.Counts) []queries.SheetCounts { return nil })
		return err
	}
	var identical *queries.IdenticalError
	if err := again(ctx, "one"); !errors.As(err, &identical) {
		t.Fatalf("identical commit: got %v, want an IdenticalError", err)
	}
	check("identical commit", 4)
	canceled, cancel := context.WithCancel(ctx)
	cancel()
	if err := again(canceled, "two"); err == nil {
		t.Fatal("commit with a canceled context succeeded")
	}
	check("failed commit", 4)

	id2, _ := commit(t, db, "three", respondent("R-3", "Kota Batu", 5))
	check("second commit", 6)
	if err := db.Undo(ctx, id2, "test"); err != nil {
		t.Fatal(err)
	}
	check("undo", 8)
	if err := db.Undo(ctx, id2, "test"); queries.ErrorCode(err) != queries.ECONFLICT {
		t.Fatalf("second undo: got %v, want a conflict", err)
	}
	if err := db.Undo(ctx, 99, "test"); queries.ErrorCode(err) != queries.ENOTFOUND {
		t.Fatalf("undo of a missing import: got %v, want not found", err)
	}
	check("refused undos", 8)
	if err := db.Undo(ctx, id1, "test"); err != nil {
		t.Fatal(err)
	}
	check("second undo", 10)
}
