package queries_test

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"

	"pantau/queries"
	"pantau/queries/querytest"
)

// target is a row of a Target sheet; region "" is the whole program.
func target(indicator, region, period, start, end string, value float64) queries.Target {
	return queries.Target{Row: 2, Key: strings.ToLower(indicator + "|" + region + "|" + period), Indicator: indicator,
		Region: region, Period: period, Start: day(start), End: day(end), Value: value}
}

const jember, malang = "Kab. Jember", "Kota Malang"

// targetsDB holds a small data set and targets whose figures are known by
// hand; the as-of date of the tests is 2015-02-15 (Q1 2015: 46 of 90 days).
func targetsDB(t testing.TB) *queries.DB {
	db := querytest.Open(t)
	commitBatch(t, db, func(b *queries.Batch) error {
		for _, r := range []queries.Respondent{
			//                                                         abcdefghi
			surveyed("R1", "2014-10-01", jember, "P", "POS", "-------Y-"),
			surveyed("R2", "2014-12-31", jember, "L", "SE", "-------N-"),  // the last day of 2014-Q4
			surveyed("R3", "2015-01-01", jember, "P", "POS", "-------Y-"), // the day after
			surveyed("R4", "2014-11-15", malang, "P", "POS", "---------"), // answered nothing
			surveyed("R5", "2014-11-20", malang, "L", "POS", "-------Y-"),
		} {
			if err := b.AddRespondent(r); err != nil {
				return err
			}
		}
		for _, g := range []queries.GroupStage{
			logged("G1", jember, 1, "2014-09-15", 5),
			logged("G1", jember, 4, "2014-12-31", 10), // formed on the last day of 2014-Q4
			logged("G2", jember, 4, "2015-01-01", 8),  // formed the day after
			logged("G3", malang, 5, "2014-10-10", 12),
			logged("g3", malang, 6, "2015-02-01", 7), // the same group, its code in other case
		} {
			if err := b.AddGroupStage(g); err != nil {
				return err
			}
		}
		for _, tg := range []queries.Target{
			target("responden", jember, "2014-Q4", "2014-10-01", "2014-12-31", 2),
			target("responden", "", "2014-Q4", "2014-10-01", "2014-12-31", 5),
			target("responden_perempuan", jember, "2014-Q4", "2014-10-01", "2014-12-31", 3),
			target("kelompok_terbentuk", jember, "2014-Q4", "2014-10-01", "2014-12-31", 1),
			target("kelompok_tahap_4", jember, "2015-Q1", "2015-01-01", "2015-03-31", 3),
			target("responden", "", "2015-Q1", "2015-01-01", "2015-03-31", 1.8),
			target("anggota", jember, "2014-Q4", "2014-10-01", "2014-12-31", 10),
			target("anggota", malang, "2015", "2015-01-01", "2015-12-31", 20),
			target("masalah_h", jember, "2014-Q4", "2014-10-01", "2014-12-31", 0.5),
			target("masalah_h", malang, "2014-Q4", "2014-10-01", "2014-12-31", 0.4),
			target("masalah_h", "", "2014-Q4", "2014-10-01", "2014-12-31", 0.62),
			target("masalah_a", malang, "2014-Q4", "2014-10-01", "2014-12-31", 0.3),
			target("responden", jember, "2015-Q2", "2015-04-01", "2015-06-30", 10),
			target("kelompok_tahap_6", malang, "2015-Q1", "2015-01-01", "2015-03-31", 1),
			target("responden", jember, "2014-10", "2014-10-01", "2014-10-31", 0),
		} {
			if err := b.AddTarget(tg); err != nil {
				return err
			}
		}
		return nil
	})
	return db
}

// targetLines writes each target as indicator|region|period|target|actual|expected|achievement|status.
func targetLines(t *testing.T, r *queries.TargetReport) []string {
	t.Helper()
	num := func(p *float64) string {
		if p == nil {
			return "null"
		}
		return fmt.Sprint(*p)
	}
	var out []string
	for _, x := range r.Targets {
		region := "ALL"
		if x.Region != nil {
			region = *x.Region
		}
		out = append(out, fmt.Sprintf("%s|%s|%s|%v|%s|%s|%s|%s", x.Indicator, region, x.Period, x.Target,
			num(x.Actual), num(x.Expected), num(x.Achievement), x.Status))
	}
	return out
}

func targetsAt(t *testing.T, db *queries.DB, f queries.Filter, asOf string) *queries.TargetReport {
	t.Helper()
	r, err := db.Targets(context.Background(), f, day(asOf))
	if err != nil {
		t.Fatal(err)
	}
	return r
}

func sameLines(t *testing.T, what string, got, want []string) {
	t.Helper()
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("%s:\n got\n  %s\nwant\n  %s", what, strings.Join(got, "\n  "), strings.Join(want, "\n  "))
	}
}

func TestTargetsActualExpectedStatus(t *testing.T) {
	db := targetsDB(t)
	r := targetsAt(t, db, queries.Filter{}, "2015-02-15")
	if r.AsOf != "2015-02-15" {
		t.Errorf("as_of = %s", r.AsOf)
	}
	sameLines(t, "targets at 2015-02-15", targetLines(t, r), []string{
		// Program-wide first: R1, R2, R4, R5 (R3 is the day after): 4 >= 0.8 x 5.
		"responden|ALL|2014-Q4|5|4|5|0.8|near",
		// In progress, 46 of 90 days: expected 1.8 x 46/90 = 0.92; R3.
		"responden|ALL|2015-Q1|1.8|1|0.92|0.5556|on_track",
		// A target of 0 has no achievement.
		"responden|Kab. Jember|2014-10|0|1|0|null|met",
		// R2 on the period's last day counts, R3 the day after does not.
		"responden|Kab. Jember|2014-Q4|2|2|2|1|met",
		"responden|Kab. Jember|2015-Q2|10|null|null|null|not_started",
		"responden_perempuan|Kab. Jember|2014-Q4|3|1|3|0.3333|behind",
		// Starting value 1 (G1 on 2014-12-31), now 2 (G2): 1 + (3 - 1) x 46/90 = 2.02; 2 >= 0.8 x 2.02.
		"kelompok_tahap_4|Kab. Jember|2015-Q1|3|2|2.02|0.6667|near",
		// g3 is G3, at stage 6 since 2015-02-01; start 0: 46/90 = 0.51.
		"kelompok_tahap_6|Kota Malang|2015-Q1|1|1|0.51|1|on_track",
		// G1 formed on the last day counts; G2, the day after, does not.
		"kelompok_terbentuk|Kab. Jember|2014-Q4|1|1|1|1|met",
		// G1's latest report by 2014-12-31 is 10; G2 reported after.
		"anggota|Kab. Jember|2014-Q4|10|10|10|1|met",
		// G3 had 12 at the start, now 7 (its latest, stage 6): 12 + 8 x 46/365 = 13.01.
		"anggota|Kota Malang|2015|20|7|13.01|0.35|behind",
		// Nobody answered a in Kota Malang.
		"masalah_a|Kota Malang|2014-Q4|0.3|null|0.3|null|no_data",
		// Ya R1, R5; Tidak R2: 2/3 <= 0.62 + 0.05.
		"masalah_h|ALL|2014-Q4|0.62|0.6667|0.62|null|near",
		"masalah_h|Kab. Jember|2014-Q4|0.5|0.5|0.5|null|met",
		// R4's blank is not counted: 1/1.
		"masalah_h|Kota Malang|2014-Q4|0.4|1|0.4|null|behind",
	})

	// Earlier, the same targets are in progress or not started.
	sameLines(t, "targets at 2014-12-30", targetLines(t, targetsAt(t, db, queries.Filter{Regions: []string{jember}}, "2014-12-30")), []string{
		"responden|Kab. Jember|2014-10|0|1|0|null|met",
		// R1 only by 30 December; expected 2 x 91/92 = 1.98.
		"responden|Kab. Jember|2014-Q4|2|1|1.98|0.5|behind",
		"responden|Kab. Jember|2015-Q2|10|null|null|null|not_started",
		"responden_perempuan|Kab. Jember|2014-Q4|3|1|2.97|0.3333|behind",
		"kelompok_tahap_4|Kab. Jember|2015-Q1|3|null|null|null|not_started",
		// Stage 4 is reached on the 31st: 0 of an expected 0 + 1 x 91/92.
		"kelompok_terbentuk|Kab. Jember|2014-Q4|1|0|0.99|0|behind",
		// G1 reported 5 at stage 1 before the period: the starting value, and still the latest.
		"anggota|Kab. Jember|2014-Q4|10|5|9.95|0.5|behind",
		// Only R1 answered by then: 1/1 > 0.5 + 0.05.
		"masalah_h|Kab. Jember|2014-Q4|0.5|1|0.5|null|behind",
	})
}

func TestTargetsFilter(t *testing.T) {
	db := targetsDB(t)
	all := targetLines(t, targetsAt(t, db, queries.Filter{}, "2015-02-15"))
	regional := func(lines []string, keep func(region string) bool) []string {
		var out []string
		for _, l := range lines {
			if keep(strings.Split(l, "|")[1]) {
				out = append(out, l)
			}
		}
		return out
	}
	// A region filter keeps that region's targets; program-wide ones only appear without one.
	sameLines(t, "Kota Malang", targetLines(t, targetsAt(t, db, queries.Filter{Regions: []string{malang}}, "2015-02-15")),
		regional(all, func(r string) bool { return r == malang }))
	sameLines(t, "both regions", targetLines(t, targetsAt(t, db, queries.Filter{Regions: []string{jember, malang}}, "2015-02-15")),
		regional(all, func(r string) bool { return r != "ALL" }))
	// Gender and work type do not apply to targets.
	f := queries.Filter{Gender: "L", WorkType: "SE"}
	gendered := targetsAt(t, db, f, "2015-02-15")
	sameLines(t, "gender and work type", targetLines(t, gendered), all)
	if gendered.Filter.Gender != "L" || gendered.Filter.WorkType != "SE" {
		t.Errorf("the filter is not reported as given: %+v", gendered.Filter)
	}
	// A period filter keeps the targets whose period overlaps it.
	var q1 []string
	for _, l := range all {
		if p := strings.Split(l, "|")[2]; p == "2015-Q1" || p == "2015" {
			q1 = append(q1, l)
		}
	}
	sameLines(t, "2015-02 to 2015-03", targetLines(t, targetsAt(t, db, queries.Filter{From: day("2015-02-01"), To: day("2015-03-31")}, "2015-02-15")), q1)
	// One day of overlap is enough: the last day of 2014-Q4 and the first of 2015.
	edge := targetLines(t, targetsAt(t, db, queries.Filter{From: day("2014-12-31"), To: day("2015-01-01")}, "2015-02-15"))
	if len(edge) != len(all)-2 { // all but 2014-10 and 2015-Q2
		t.Errorf("period 2014-12-31..2015-01-01 keeps %d targets, want %d:\n%s", len(edge), len(all)-2, strings.Join(edge, "\n"))
	}
	if r := targetsAt(t, db, queries.Filter{To: day("2014-09-30")}, "2015-02-15"); len(r.Targets) != 0 {
		t.Errorf("before every period: %d targets", len(r.Targets))
	}
}

func TestTargetsJSONAndRefusals(t *testing.T) {
	db := targetsDB(t)
	r := targetsAt(t, db, queries.Filter{Regions: []string{malang}, From: day("2015-01-01")}, "2015-02-15")
	b, err := json.Marshal(r)
	if err != nil {
		t.Fatal(err)
	}
	want := `{"as_of":"2015-02-15","filter":{"regions":["Kota Malang"],"gender":"","work_type":"","from":"2015-01-01","to":""},"targets":[` +
		`{"indicator":"kelompok_tahap_6","name":"Kelompok mencapai tahap 6","kind":"stock","region":"Kota Malang","period":"2015-Q1","start":"2015-01-01","end":"2015-03-31","target":1,"actual":1,"expected":0.51,"achievement":1,"status":"on_track"},` +
		`{"indicator":"anggota","name":"Anggota kelompok","kind":"stock","region":"Kota Malang","period":"2015","start":"2015-01-01","end":"2015-12-31","target":20,"actual":7,"expected":13.01,"achievement":0.35,"status":"behind"}]}`
	if string(b) != want {
		t.Errorf("JSON\n got %s\nwant %s", b, want)
	}
	empty := targetsAt(t, querytest.Open(t), queries.Filter{}, "2015-02-15")
	if b, _ := json.Marshal(empty); !strings.Contains(string(b), `"targets":[]`) {
		t.Errorf("no targets: %s", b)
	}
	if _, err := db.Targets(context.Background(), queries.Filter{}, time.Time{}); queries.ErrorCode(err) != queries.EINVALID {
		t.Errorf("zero as-of: %v", err)
	}
	if _, err := db.Targets(context.Background(), queries.Filter{Gender: "X"}, day("2015-01-01")); queries.ErrorCode(err) != queries.EINVALID {
		t.Errorf("bad filter: %v", err)
	}
	// The program-wide target's region is null.
	b, _ = json.Marshal(targetsAt(t, db, queries.Filter{To: day("2014-10-31")}, "2015-02-15").Targets[0])
	if !strings.Contains(string(b), `"indicator":"responden","name":"Responden disurvei","kind":"flow","region":null,"period":"2014-Q4"`) {
		t.Errorf("program-wide: %s", b)
	}
}
