package main

import (
	"context"
	"testing"
	"time"

	"pantau/queries"
	"pantau/queries/querytest"
)

// TestSampleTargets loads the three sample workbooks as `pantau demo` does
// (ingest.Bytes into a real database) and checks that the sample targets,
// judged with every period ended (the default as-of date, today), are a mix:
// some met, some near, some behind; and, as of a day inside the quarters,
// that some are on track and some not started.
func TestSampleTargets(t *testing.T) {
	ctx := context.Background()
	db := querytest.Open(t)
	if err := loadSamples(ctx, db, t.TempDir()); err != nil {
		t.Fatal(err)
	}
	asOf := time.Date(2026, time.January, 1, 0, 0, 0, 0, time.UTC)
	r, err := db.Targets(ctx, queries.Filter{}, asOf)
	if err != nil {
		t.Fatal(err)
	}
	if len(r.Targets) != 4*9*5 {
		t.Errorf("%d targets, want 180 (4 indicators, 9 regions, 5 quarters)", len(r.Targets))
	}
	count := map[string]int{}
	byIndicator := map[string]map[string]int{}
	for _, x := range r.Targets {
		count[x.Status]++
		if byIndicator[x.Indicator] == nil {
			byIndicator[x.Indicator] = map[string]int{}
		}
		byIndicator[x.Indicator][x.Status]++
	}
	t.Logf("statuses as of %s: %v; by indicator: %v", r.AsOf, count, byIndicator)
	for _, s := range []string{queries.StatusMet, queries.StatusNear, queries.StatusBehind} {
		if count[s] == 0 {
			t.Errorf("as of %s, no target is %s: %v", r.AsOf, s, count)
		}
	}

	r, err = db.Targets(ctx, queries.Filter{}, time.Date(2015, time.May, 15, 0, 0, 0, 0, time.UTC))
	if err != nil {
		t.Fatal(err)
	}
	count = map[string]int{}
	for _, x := range r.Targets {
		count[x.Status]++
	}
	t.Logf("statuses as of %s: %v", r.AsOf, count)
	for _, s := range []string{queries.StatusMet, queries.StatusNear, queries.StatusBehind, queries.StatusOnTrack, queries.StatusNotStarted} {
		if count[s] == 0 {
			t.Errorf("as of %s, no target is %s: %v", r.AsOf, s, count)
		}
	}
}
