package queries

import (
	"context"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestTargetMeasuresAgreeWithRows checks the running-total SQL of the
// targets query against the definitions computed in Go, row by row, over
// random respondents, a random organizing log (group codes in two cases,
// groups in two regions, stages skipped, members reported or not, several
// rows on one day) and random targets of every indicator, region and period
// form, at several as-of dates.
func TestTargetMeasuresAgreeWithRows(t *testing.T) {
	ctx := context.Background()
	db, err := Open(ctx, filepath.Join(t.TempDir(), "targets.duckdb"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	rng := rand.New(rand.NewPCG(12, 2015))
	day0 := time.Date(2014, 9, 1, 0, 0, 0, 0, time.UTC)

	var respondents []Respondent
	for n := range 600 {
		respondents = append(respondents, randomRespondent(rng, n))
	}
	var stages []GroupStage
	for g := range 80 {
		region := rollupTestRegions[rng.IntN(len(rollupTestRegions))]
		for stage := 1; stage <= 6; stage++ {
			if rng.IntN(3) == 0 {
				continue // skipped, or not reached
			}
			code := fmt.Sprintf("G%02d", g)
			if rng.IntN(4) == 0 {
				code = strings.ToLower(code) // the same group, spelled otherwise
			}
			r := region
			if rng.IntN(8) == 0 {
				r = rollupTestRegions[rng.IntN(len(rollupTestRegions))] // a row in another region
			}
			members := -1
			if rng.IntN(2) == 0 {
				members = rng.IntN(40)
			}
			stages = append(stages, GroupStage{Row: len(stages) + 2, Key: strings.ToLower(fmt.Sprintf("%s|%d", code, stage)) + code,
				Code: code, Region: r, Stage: stage, ReachedOn: day0.AddDate(0, 0, rng.IntN(60)*10), Members: members})
		}
	}
	periods := [][2]string{{"2014-Q4", "2014-10-01:2014-12-31"}, {"2015-01", "2015-01-01:2015-01-31"},
		{"2015-H1", "2015-01-01:2015-06-30"}, {"2015", "2015-01-01:2015-12-31"}, {"2016-Q2", "2016-04-01:2016-06-30"}}
	var targets []Target
	for i, in := range Indicators {
		for j, region := range append([]string{""}, rollupTestRegions[:3]...) {
			p := periods[(i+j)%len(periods)]
			start, end, _ := strings.Cut(p[1], ":")
			s, _ := time.Parse(time.DateOnly, start)
			e, _ := time.Parse(time.DateOnly, end)
			value := float64(5 + rng.IntN(30))
			if in.Kind == ShareKind {
				value = 0.5
			}
			targets = append(targets, Target{Row: len(targets) + 2, Key: strings.ToLower(in.Code + "|" + region + "|" + p[0]),
				Indicator: in.Code, Region: region, Period: p[0], Start: s, End: e, Value: value})
		}
	}
	MustCommit(t, db, "random.xlsx", func(b *Batch) error {
		for _, r := range respondents {
			if err := b.AddRespondent(r); err != nil {
				return err
			}
		}
		for _, g := range stages {
			if err := b.AddGroupStage(g); err != nil {
				return err
			}
		}
		for _, tg := range targets {
			if err := b.AddTarget(tg); err != nil {
				return err
			}
		}
		return nil
	})

	inScope := func(region, row string) bool { return region == "" || region == row }
	// measure is the definition: now, the day before's value, and answered.
	measure := func(tg Target, cut, before time.Time) targetRow {
		in, _ := IndicatorByCode(tg.Indicator)
		row := targetRow{key: tg.Key, indicator: tg.Indicator, region: tg.Region, period: tg.Period, start: tg.Start, end: tg.End, target: tg.Value}
		switch {
		case in.Kind == FlowKind || in.Kind == ShareKind:
			for _, r := range respondents {
				if !inScope(tg.Region, r.Region) || r.SurveyDate.Before(tg.Start) || r.SurveyDate.After(cut) {
					continue
				}
				switch {
				case in.problem > 0:
					a := r.Problems[in.problem-1]
					if a == Yes {
						row.now++
					}
					if a != Unanswered {
						row.answered++
					}
				case in.gender == "" || in.gender == r.Gender:
					row.now++
				}
			}
		case in.stage > 0:
			count := func(by time.Time) float64 {
				groups := map[string]bool{}
				for _, g := range stages {
					if inScope(tg.Region, g.Region) && g.Stage >= in.stage && !g.ReachedOn.After(by) {
						groups[strings.ToLower(g.Code)] = true
					}
				}
				return float64(len(groups))
			}
			row.now, row.before = count(cut), count(before)
		case in.members:
			sum := func(by time.Time) float64 {
				type report struct{ latest, members int }
				latest := map[string]report{}
				for _, g := range stages {
					if !inScope(tg.Region, g.Region) || g.Members < 0 || g.ReachedOn.After(by) {
						continue
					}
					order := int(g.ReachedOn.Sub(day0).Hours()/24)*8 + g.Stage
					grp := strings.ToLower(g.Code)
					if r, ok := latest[grp]; !ok || order > r.latest || order == r.latest && g.Members > r.members {
						latest[grp] = report{order, g.Members}
					}
				}
				total := 0
				for _, r := range latest {
					total += r.members
				}
				return float64(total)
			}
			row.now, row.before = sum(cut), sum(before)
		}
		return row
	}
	for _, asOf := range []string{"2014-08-01", "2014-11-15", "2015-01-31", "2015-05-20", "2016-05-01", "2017-01-01"} {
		d, _ := time.Parse(time.DateOnly, asOf)
		got, err := db.Targets(ctx, Filter{}, d)
		if err != nil {
			t.Fatal(err)
		}
		// A region filter leaves no program-wide target: the totals are
		// then read for the filter's regions only.
		one, err := db.Targets(ctx, Filter{Regions: []string{rollupTestRegions[1]}}, d)
		if err != nil {
			t.Fatal(err)
		}
		if len(one.Targets) == 0 {
			t.Fatal("no target of the region")
		}
		want := map[string]TargetResult{}
		for _, tg := range targets {
			cut := tg.End
			if d.Before(cut) {
				cut = d
			}
			r := measure(tg, cut, tg.Start.AddDate(0, 0, -1))
			want[tg.Key] = judge(&r, d)
		}
		if len(got.Targets) != len(targets) {
			t.Fatalf("as of %s: %d targets, want %d", asOf, len(got.Targets), len(targets))
		}
		for _, g := range append(got.Targets, one.Targets...) {
			region := ""
			if g.Region != nil {
				region = *g.Region
			}
			w := want[strings.ToLower(g.Indicator+"|"+region+"|"+g.Period)]
			if a, b := text(t, g), text(t, w); a != b {
				t.Errorf("as of %s:\n got %s\nwant %s", asOf, a, b)
			}
		}
	}
}

func text(t *testing.T, v any) string {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}
