package dashboard

import (
	"context"
	"strconv"
	"testing"

	"pantau/queries"
	"pantau/queries/querytest"
)

func TestResultCache(t *testing.T) {
	ctx := context.Background()
	db := querytest.Open(t)
	c := newResultCache(db, 3)
	builds := 0
	build := func() (int, error) { builds++; return builds, nil }

	if v, _ := get(c, "a", build); v != 1 {
		t.Fatalf("first get: %d", v)
	}
	if v, _ := get(c, "a", build); v != 1 || builds != 1 {
		t.Errorf("second get: %d after %d builds, want the cached 1", v, builds)
	}

	// A new data version empties the cache.
	batch, err := db.NewBatch(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if err := batch.AddRegion(queries.RegionWage{Row: 2, Key: "kota batu|2014", Region: "Kota Batu", Province: "Jawa Timur", Year: 2014, UMK: 1_268_000}); err != nil {
		t.Fatal(err)
	}
	if _, _, err := batch.Commit(ctx, queries.ImportMeta{FileName: "w.xlsx", SHA256: "ab", Size: 1, By: "test"},
		func(map[queries.Kind]queries.Counts) []queries.SheetCounts { return nil }); err != nil {
		t.Fatal(err)
	}
	batch.Close()
	if v, _ := get(c, "a", build); v != 2 {
		t.Errorf("after a commit: %d, want a new build (2)", v)
	}

	// Bounded: past the limit it starts over rather than grow.
	for i := range 5 {
		get(c, "k"+strconv.Itoa(i), build)
	}
	if n := len(c.m); n > 3 {
		t.Errorf("%d entries, limit 3", n)
	}
}
