package ingest_test

import (
	"context"
	"encoding/json"
	"path/filepath"
	"testing"

	"pantau/ingest"
	"pantau/queries"
)

func TestScratchSample(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	db, err := queries.Open(ctx, filepath.Join(dir, "p.duckdb"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	for _, f := range []string{"../sampledata/peserta.xlsx", "../sampledata/survei.xlsx"} {
		r, err := ingest.File(ctx, db, f, ingest.Options{By: "cli", DataDir: dir})
		if err != nil {
			t.Fatal(err)
		}
		b, _ := json.MarshalIndent(r, "", " ")
		t.Logf("%s", b)
	}
}
