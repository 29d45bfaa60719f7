package queries_test

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"path/filepath"
	"testing"
	"time"

	_ "github.com/duckdb/duckdb-go/v2"

	"pantau/queries"
	"pantau/queries/querytest"
)

// everything is every figure and stored row a reader of db can get: the
// history, the Summary, every chart, the targets, the summary workbook's
// figures, the reference data, every stored table and the rollups.
func everything(t *testing.T, db *queries.DB) string {
	t.Helper()
	ctx := context.Background()
	out := chartResults(t, db, queries.Filter{})
	add := func(name string, v any, err error) {
		t.Helper()
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		b, _ := json.Marshal(v)
		out[name] = string(b)
	}
	imports, err := db.Imports(ctx)
	add("Imports", imports, err)
	summary, err := db.Summary(ctx, queries.Filter{})
	add("Summary", summary, err)
	targets, err := db.Targets(ctx, queries.Filter{}, day("2015-02-15"))
	add("Targets", targets, err)
	report, err := db.Report(ctx, queries.Filter{}, queries.ReportOptions{AsOf: day("2015-02-15")})
	add("Report", report, err)
	regions, err := db.AddedRegions(ctx)
	add("AddedRegions", regions, err)
	names, err := db.ParticipantNames(ctx)
	add("ParticipantNames", names, err)
	for _, table := range []string{"imports", "import_sheets", "participants", "participant_versions", "respondents", "respondent_versions",
		"group_stages", "group_stage_versions", "regions", "region_versions", "targets", "target_versions"} {
		out[table] = querytest.Line(querytest.Count(t, db, table), querytest.Rows(t, db, table))
	}
	for _, table := range []string{"respondent_cells", "product_cells", "respondent_days", "group_days"} {
		var cells string
		if err := queries.RawSQL(db).QueryRow(`SELECT coalesce(string_agg(CAST(c AS TEXT), ';' ORDER BY CAST(c AS TEXT)), '') FROM ` + table + ` c`).Scan(&cells); err != nil {
			t.Fatal(err)
		}
		out[table] = cells
	}
	b, _ := json.Marshal(out)
	return string(b)
}

// stageAll stages a row of every kind into b: a changed respondent, a new
// one in a region the database has not seen, a region with its UMK, a
// participant, a group stage and a target.
func stageAll(t *testing.T, b *queries.Batch) {
	t.Helper()
	for _, err := range []error{
		b.AddRespondent(respondent("R-1", "Kota Malang", 2_000_000)),
		b.AddRespondent(respondent("R-9", "Kab. Bogor", 500_000)),
		b.AddRegion(umk("Kab. Bogor", 2014, 2_242_240)),
		b.AddParticipant(person("Sari", faslap, "Kab. Bogor", "P", true)),
		b.AddGroupStage(logged("G-9", "Kab. Bogor", 1, "2014-10-02", 10)),
		b.AddTarget(target("respondents", "", "2014", "2014-01-01", "2014-12-31", 100)),
	} {
		if err != nil {
			t.Fatal(err)
		}
	}
}

// A pending batch, staged and counted, is in no figure, no stored row, no
// history and no backup; closing it leaves nothing behind; committing it
// gives it the next import id.
func TestPendingBatchIsInvisible(t *testing.T) {
	ctx := context.Background()
	db := querytest.Open(t)
	commit(t, db, "one", respondent("R-1", "Kota Malang", 1_000_000), respondent("R-2", "Kab. Jember", 900_000))
	before, version := everything(t, db), db.DataVersion()

	b, err := db.NewBatch(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	stageAll(t, b)
	counts, err := b.Counts(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if got, want := counts[queries.Respondents], (queries.Counts{New: 1, Updated: 1}); got != want {
		t.Fatalf("counts of the pending respondents: %+v, want %+v", got, want)
	}
	if n, err := db.PendingRows(ctx); err != nil || n != 6 {
		t.Fatalf("pending rows: %d, %v; want the 6 staged", n, err)
	}
	if after := everything(t, db); after != before {
		t.Errorf("a pending batch shows:\n got  %.3000s\n want %.3000s", after, before)
	}
	if db.DataVersion() != version {
		t.Errorf("staging changed the data version")
	}

	// A backup taken now holds none of its rows.
	backup := filepath.Join(t.TempDir(), "backup.duckdb")
	if err := db.Backup(ctx, backup); err != nil {
		t.Fatal(err)
	}
	if n := rawPendingRows(t, backup); n != 0 {
		t.Errorf("the backup holds %d rows of the pending batch", n)
	}

	id, _, err := b.Commit(ctx, queries.ImportMeta{FileName: "two", SHA256: "two", By: "test", At: time.Now()},
		func(map[queries.Kind]queries.Counts) []queries.SheetCounts { return nil })
	if err != nil {
		t.Fatal(err)
	}
	if id != 2 {
		t.Errorf("the committed batch is import %d, want 2: ids follow the commits", id)
	}
	if everything(t, db) == before {
		t.Error("the committed batch changed nothing")
	}
	if n, _ := db.PendingRows(ctx); n != 0 {
		t.Errorf("%d pending rows after the commit", n)
	}

	// Closed without a commit: nothing is left.
	before = everything(t, db)
	other, err := db.NewBatch(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if err := other.AddRespondent(respondent("R-3", "Kota Batu", 1)); err != nil {
		t.Fatal(err)
	}
	if _, err := other.Counts(ctx); err != nil {
		t.Fatal(err)
	}
	if err := other.Close(); err != nil {
		t.Fatal(err)
	}
	if n, _ := db.PendingRows(ctx); n != 0 {
		t.Errorf("%d pending rows after Close", n)
	}
	if after := everything(t, db); after != before {
		t.Error("a closed batch left a trace")
	}
}

// rawPendingRows opens the DuckDB file at path without pantau (which would
// remove pending rows) and counts them.
func rawPendingRows(t *testing.T, path string) int {
	t.Helper()
	raw, err := sql.Open("duckdb", path)
	if err != nil {
		t.Fatal(err)
	}
	defer raw.Close()
	var n int
	if err := raw.QueryRow(`SELECT (SELECT count(*) FROM respondent_versions WHERE import_id < 0) + (SELECT count(*) FROM region_versions WHERE import_id < 0)
		+ (SELECT count(*) FROM participant_versions WHERE import_id < 0) + (SELECT count(*) FROM group_stage_versions WHERE import_id < 0)
		+ (SELECT count(*) FROM target_versions WHERE import_id < 0)`).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

// A batch left pending when the process ends (here: the database closed
// under it, as a crash leaves it) is removed by the next Open.
func TestOpenRemovesPendingBatch(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "p.duckdb")
	db, err := queries.Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	commit(t, db, "one", respondent("R-1", "Kota Malang", 1_000_000))
	before := everything(t, db)
	b, err := db.NewBatch(ctx)
	if err != nil {
		t.Fatal(err)
	}
	stageAll(t, b)
	if _, err := b.Counts(ctx); err != nil { // written out, and never closed
		t.Fatal(err)
	}
	db.Close()
	if n := rawPendingRows(t, path); n != 6 {
		t.Fatalf("the file holds %d pending rows before reopening, want the 6 staged", n)
	}

	db, err = queries.Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	if after := everything(t, db); after != before {
		t.Errorf("after reopening:\n got  %.3000s\n want %.3000s", after, before)
	}
	id, _ := commit(t, db, "two", respondent("R-2", "Kota Malang", 1))
	db.Close()
	if n := rawPendingRows(t, path); n != 0 {
		t.Errorf("%d pending rows after reopening", n)
	}
	if id != 2 {
		t.Errorf("the next import is %d, want 2", id)
	}
}

// CommitIfCurrent commits a batch staged before an unrelated commit, and
// refuses, keeping it pending, one staged before a commit of the same key
// or of a region, or before an undo of an import holding one of its keys.
func TestCommitIfCurrent(t *testing.T) {
	ctx := context.Background()
	meta := func(name string) queries.ImportMeta {
		return queries.ImportMeta{FileName: name, SHA256: name, By: "test", At: time.Now()}
	}
	none := func(map[queries.Kind]queries.Counts) []queries.SheetCounts { return nil }
	cases := []struct {
		name    string
		between func(db *queries.DB, first int64)
		changed bool
	}{
		{"nothing", func(*queries.DB, int64) {}, false},
		{"another key", func(db *queries.DB, _ int64) { commit(t, db, "other", respondent("R-5", "Kota Batu", 1)) }, false},
		{"the same key", func(db *queries.DB, _ int64) { commit(t, db, "same", respondent("R-2", "Kota Batu", 1)) }, true},
		{"a region", func(db *queries.DB, _ int64) {
			queries.MustCommit(t, db, "umk", func(b *queries.Batch) error { return b.AddRegion(umk("Kota Batu", 2015, 1)) })
		}, true},
		{"a participant", func(db *queries.DB, _ int64) {
			queries.MustCommit(t, db, "p", func(b *queries.Batch) error { return b.AddParticipant(person("Ani", faslap, "Kota Batu", "P", true)) })
		}, true},
		{"an undo of the key's import", func(db *queries.DB, first int64) {
			if err := db.Undo(ctx, first, "test"); err != nil {
				t.Fatal(err)
			}
		}, true},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			db := querytest.Open(t)
			first, _ := commit(t, db, "first", respondent("R-1", "Kota Malang", 1))
			b, err := db.NewBatch(ctx)
			if err != nil {
				t.Fatal(err)
			}
			defer b.Close()
			for _, r := range []queries.Respondent{respondent("R-1", "Kota Malang", 2), respondent("R-2", "Kota Malang", 2)} {
				if err := b.AddRespondent(r); err != nil {
					t.Fatal(err)
				}
			}
			if _, err := b.Counts(ctx); err != nil {
				t.Fatal(err)
			}
			tc.between(db, first)
			_, _, err = b.CommitIfCurrent(ctx, meta("batch"), none)
			if got := errors.Is(err, queries.ErrChanged); got != tc.changed {
				t.Fatalf("refused as changed: %v (%v), want %v", got, err, tc.changed)
			}
			if !tc.changed {
				return
			}
			if n, _ := db.PendingRows(ctx); n != 2 {
				t.Errorf("after the refusal %d rows are pending, want the batch's 2", n)
			}
			if _, _, err := b.Commit(ctx, meta("batch"), none); err != nil {
				t.Errorf("Commit after the refusal: %v", err)
			}
		})
	}
}
