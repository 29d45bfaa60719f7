package queries

import (
	"context"
	"encoding/json"
	"fmt"
	"maps"
	"math/rand/v2"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"
)

// TestTargetMeasuresAgreeWithRows checks the targets query (its running
// totals, the group ones read from the group_days rollup) against the
// definitions computed in Go, row by row, over random respondents, a random
// organizing log (group codes in two cases, groups in two regions, stages
// skipped, members reported or not, several rows on one day) and random
// targets of every indicator, region and period form, at several as-of dates
// and for random filters; after the first import, after one that changes
// rows of it (members, days, regions, stages added), after that one's undo
// and after another import. It also checks that the query computing the
// group measures from the rows (TargetsDirect) says the same.
func TestTargetMeasuresAgreeWithRows(t *testing.T) {
	ctx := context.Background()
	db, err := Open(ctx, filepath.Join(t.TempDir(), "targets.duckdb"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	rng := rand.New(rand.NewPCG(12, 2015))
	day0 := time.Date(2014, 9, 1, 0, 0, 0, 0, time.UTC)

	// The current rows, by key, as the reference sees them.
	respondents, stages := map[string]Respondent{}, map[string]GroupStage{}
	newGroup := func(g int) []GroupStage {
		var rows []GroupStage
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
			rows = append(rows, GroupStage{Row: len(stages) + len(rows) + 2, Key: strings.ToLower(fmt.Sprintf("%s|%d", code, stage)) + code,
				Code: code, Region: r, Stage: stage, ReachedOn: day0.AddDate(0, 0, rng.IntN(60)*10), Members: members})
		}
		return rows
	}
	// changed is another version of a current group row: its members, its
	// day or its region changed.
	changed := func(g GroupStage) GroupStage {
		switch rng.IntN(3) {
		case 0:
			g.Members = rng.IntN(40) - 1
		case 1:
			g.ReachedOn = day0.AddDate(0, 0, rng.IntN(60)*10)
		default:
			g.Region = rollupTestRegions[rng.IntN(len(rollupTestRegions))]
		}
		return g
	}
	commit := func(name string, rs []Respondent, gs []GroupStage, ts []Target) int64 {
		id, _ := MustCommit(t, db, name, func(b *Batch) error {
			for _, r := range rs {
				if err := b.AddRespondent(r); err != nil {
					return err
				}
				respondents[r.Key] = r
			}
			for _, g := range gs {
				if err := b.AddGroupStage(g); err != nil {
					return err
				}
				stages[g.Key] = g
			}
			for _, tg := range ts {
				if err := b.AddTarget(tg); err != nil {
					return err
				}
			}
			return nil
		})
		return id
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
	var rs []Respondent
	for n := range 600 {
		rs = append(rs, randomRespondent(rng, n))
	}
	var gs []GroupStage
	for g := range 80 {
		gs = append(gs, newGroup(g)...)
	}
	commit("random.xlsx", rs, gs, targets)

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
	// kept says whether a filter keeps a target: a region filter keeps its
	// regions' targets, a period filter those whose period overlaps it.
	kept := func(f Filter, tg Target) bool {
		return (len(f.Regions) == 0 || tg.Region != "" && slices.Contains(f.Regions, tg.Region)) &&
			(f.From.IsZero() || !tg.End.Before(f.From)) && (f.To.IsZero() || !tg.Start.After(f.To))
	}
	check := func(step string) {
		t.Helper()
		filters := []Filter{{}, {Regions: []string{rollupTestRegions[1]}}}
		for range 4 {
			filters = append(filters, randomFilter(rng))
		}
		judged := 0
		for _, asOf := range []string{"2014-08-01", "2014-11-15", "2015-01-31", "2015-05-20", "2016-05-01", "2017-01-01"} {
			d, _ := time.Parse(time.DateOnly, asOf)
			want := map[string]TargetResult{}
			for _, tg := range targets {
				cut := tg.End
				if d.Before(cut) {
					cut = d
				}
				r := measure(tg, cut, tg.Start.AddDate(0, 0, -1))
				want[tg.Key] = judge(&r, d)
			}
			for _, f := range filters {
				got, err := db.Targets(ctx, f, d)
				if err != nil {
					t.Fatal(err)
				}
				n := 0
				for _, tg := range targets {
					if kept(f, tg) {
						n++
					}
				}
				fj := text(t, f)
				if len(got.Targets) != n {
					t.Fatalf("%s: as of %s, %s: %d targets, want %d", step, asOf, fj, len(got.Targets), n)
				}
				for _, g := range got.Targets {
					region := ""
					if g.Region != nil {
						region = *g.Region
					}
					w := want[strings.ToLower(g.Indicator+"|"+region+"|"+g.Period)]
					if a, b := text(t, g), text(t, w); a != b {
						t.Errorf("%s: as of %s, %s:\n got %s\nwant %s", step, asOf, fj, a, b)
					}
				}
				judged += n
				direct, err := db.TargetsDirect(ctx, f, d)
				if err != nil {
					t.Fatal(err)
				}
				if a, b := text(t, got), text(t, direct); a != b {
					t.Errorf("%s: as of %s, %s: from the rollup\n%s\nfrom the rows\n%s", step, asOf, fj, a, b)
				}
			}
		}
		if judged < len(targets) {
			t.Fatalf("%s: only %d targets judged", step, judged)
		}
	}
	check("import")

	before := maps.Clone(stages)
	beforeRespondents := maps.Clone(respondents)
	rs, gs = nil, nil
	for n := range 100 {
		rs = append(rs, randomRespondent(rng, n*5)) // another version of an imported respondent
	}
	for _, key := range slices.Sorted(maps.Keys(stages)) {
		if rng.IntN(3) == 0 {
			gs = append(gs, changed(stages[key]))
		}
	}
	inBatch := map[string]bool{}
	for _, g := range gs {
		inBatch[g.Key] = true
	}
	for g := 70; g < 90; g++ { // ten groups with rows added or changed, ten new
		for _, row := range newGroup(g) {
			if !inBatch[row.Key] { // a key once per import
				gs = append(gs, row)
			}
		}
	}
	update := commit("update.xlsx", rs, gs, nil)
	if len(gs) < 30 {
		t.Fatalf("only %d group rows changed", len(gs))
	}
	check("an import changing rows")
	if err := db.Undo(ctx, update, "test"); err != nil {
		t.Fatal(err)
	}
	stages, respondents = before, beforeRespondents
	check("its undo")
	gs = nil
	for g := 85; g < 95; g++ {
		gs = append(gs, newGroup(g)...)
	}
	commit("more.xlsx", nil, gs, nil)
	check("another import")
}

func text(t *testing.T, v any) string {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}
