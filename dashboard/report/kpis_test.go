package report_test

import (
	"testing"

	"pantau/dashboard/locale"
	"pantau/dashboard/report"
)

func TestTilesWithChanges(t *testing.T) {
	id, _ := locale.Get("id")
	now := report.KPIs{Facilitators: 14, Respondents: 392, POSShare: f64(0.605), BelowMinimum: f64(0.4), GroupsFormed: 20, OnTrack: 16, Judged: 36}
	before := report.KPIs{Facilitators: 14, Respondents: 400, POSShare: f64(0.5), BelowMinimum: nil, GroupsFormed: 0, OnTrack: 34, Judged: 72}
	tiles := report.Tiles(id, now, &before, "/targets?from=2015-04-01")
	got := map[string]report.Tile{}
	for _, tl := range tiles {
		got[tl.Key] = tl
	}
	for _, tt := range []struct {
		key                                  string
		value, earlier, dir, words, abs, rel string
	}{
		{"facilitators", "14", "14", "same", "tetap", "0", "0,0%"},
		{"respondents", "392", "400", "down", "turun", "-8", "-2,0%"},
		{"pos", "60,5%", "50,0%", "up", "naik", "+10,5 poin", "+21,0%"},
		{"below-minimum", "40,0%", "–", "", "", "–", ""}, // nobody answered before
		{"groups", "20", "0", "up", "naik", "+20", ""},   // no relative change from 0
		// The share on track compares: 44,4 % now against 47,2 % before.
		{"on-track", "16 dari 36", "34 dari 72", "down", "turun", "-2,8 poin", "-5,9%"},
	} {
		tl := got[tt.key]
		c := tl.Earlier
		if c == nil {
			t.Errorf("%s: no change", tt.key)
			continue
		}
		if tl.Value != tt.value || c.Value != tt.earlier || c.Direction != tt.dir || c.Words != tt.words || c.Abs != tt.abs || c.Rel != tt.rel {
			t.Errorf("%s: %q, earlier %+v; want %q %q %q %q %q %q", tt.key, tl.Value, *c, tt.value, tt.earlier, tt.dir, tt.words, tt.abs, tt.rel)
		}
	}
	if got["on-track"].URL != "/targets?from=2015-04-01" || got["respondents"].URL != "" {
		t.Errorf("links: %q %q", got["on-track"].URL, got["respondents"].URL)
	}
	if plain := report.Tiles(id, now, nil, ""); plain[2].Earlier != nil || len(plain) != 8 {
		t.Errorf("without a comparison: %+v", plain[2])
	}
}
