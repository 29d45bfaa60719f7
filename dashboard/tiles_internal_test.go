package dashboard

import (
	"context"
	"fmt"
	"testing"
	"time"

	"pantau/dashboard/locale"
	"pantau/queries"
	"pantau/queries/querytest"
)

// TestOnTrackTileJudgesTheEarlierPeriodAtItsEnd: with a comparison, the
// on-track tile's earlier figure judges the earlier period's targets as of
// that period's last day, not today. A 2015 target of 365 respondents in
// Kab. Jember, with one respondent a day from 1 January to 31 March and none
// after: on 31 March (90 days, 90 expected) it is on track; on 20 May, today
// (140 expected), it is behind. April compared with the 30 days before it
// shows 0 of 1 now and 1 of 1 then.
func TestOnTrackTileJudgesTheEarlierPeriodAtItsEnd(t *testing.T) {
	ctx := context.Background()
	db := querytest.Open(t)
	batch, err := db.NewBatch(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer batch.Close()
	date := func(s string) time.Time {
		d, err := time.Parse(time.DateOnly, s)
		if err != nil {
			t.Fatal(err)
		}
		return d
	}
	for d := date("2015-01-01"); d.Before(date("2015-04-01")); d = d.AddDate(0, 0, 1) {
		id := "R" + d.Format("0102")
		if err := batch.AddRespondent(queries.Respondent{Row: 2, Key: id, ID: id, SurveyDate: d, Region: "Kab. Jember",
			Gender: "P", WorkType: "POS", MonthlyWage: -1}); err != nil {
			t.Fatal(err)
		}
	}
	if err := batch.AddTarget(queries.Target{Row: 2, Key: "responden|kab. jember|2015", Indicator: "responden", Region: "Kab. Jember",
		Period: "2015", Start: date("2015-01-01"), End: date("2015-12-31"), Value: 365}); err != nil {
		t.Fatal(err)
	}
	if _, _, err := batch.Commit(ctx, queries.ImportMeta{FileName: "t.xlsx", SHA256: "t", Size: 1, By: "test"},
		func(map[queries.Kind]queries.Counts) []queries.SheetCounts { return nil }); err != nil {
		t.Fatal(err)
	}

	today := date("2015-05-20")
	f := queries.Filter{From: date("2015-04-01"), To: date("2015-04-30")}
	earlier, err := queries.EarlierFilter(f, queries.ComparePrevious)
	if err != nil {
		t.Fatal(err)
	}
	// The case differs by the date: behind today, on track at the earlier period's end.
	for asOf, want := range map[time.Time]string{today: queries.StatusBehind, date("2015-03-31"): queries.StatusOnTrack} {
		r, err := db.Targets(ctx, earlier, asOf)
		if err != nil {
			t.Fatal(err)
		}
		if len(r.Targets) != 1 || r.Targets[0].Status != want {
			t.Fatalf("the earlier period's target as of %s: %+v, want %s", asOf.Format(time.DateOnly), r.Targets, want)
		}
	}

	en, _ := locale.Get("en")
	tiles, err := newFigures(db).tiles(ctx, f, queries.ComparePrevious, today, en)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, tile := range tiles {
		if tile.Key == "on-track" && tile.Earlier != nil {
			got = append(got, tile.Value, tile.Earlier.Value, tile.Earlier.Direction)
		}
	}
	if want := []string{"0 of 1", "1 of 1", "down"}; fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("the on-track tile (now, earlier, direction): %q, want %q", got, want)
	}
}
