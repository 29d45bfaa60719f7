package queries_test

import (
	"context"
	"fmt"
	"maps"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"pantau/queries"
	"pantau/queries/querytest"
)

// commitAt commits what add stages as an import made at a given time, with
// the sheets of a survey workbook recorded.
func commitAt(t *testing.T, db *queries.DB, name string, at time.Time, add func(b *queries.Batch) error) int64 {
	t.Helper()
	ctx := context.Background()
	b, err := db.NewBatch(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	if err := add(b); err != nil {
		t.Fatal(err)
	}
	id, _, err := b.Commit(ctx, queries.ImportMeta{FileName: name, SHA256: name, By: "test", At: at},
		func(map[queries.Kind]queries.Counts) []queries.SheetCounts {
			return []queries.SheetCounts{{Sheet: "Responden", Kind: string(queries.Respondents)}, {Sheet: "Kelompok", Kind: string(queries.GroupStages)}}
		})
	if err != nil {
		t.Fatal(err)
	}
	return id
}

// plantedBatch holds one planted case of every flag kind beside rows that
// come close to each rule without breaking it.
func plantedBatch(b *queries.Batch) error {
	add := func(err error) error { return err }
	for _, p := range []queries.Participant{
		person("Ani", "Fasilitator Lapang", "Kota Malang", "P", true),
		person("Bea", "Fasilitator Lapang", "Kota Malang", "P", true),
		person("Bea", "Fasilitator Lapang", "Kab. Malang", "P", true),
		person("Dedi", "Staf Program", "Kota Batu", "L", false), // not a field facilitator
	} {
		if err := b.AddParticipant(p); err != nil {
			return err
		}
	}
	n := 0
	respondent := func(date, region, facilitator, answers string, wage int64) error {
		n++
		r := surveyed(fmt.Sprintf("R%03d", n), date, region, "P", "POS", answers)
		r.Row, r.Facilitator, r.MonthlyWage = n+1, facilitator, wage
		return add(b.AddRespondent(r))
	}
	// Kota Batu: twelve wages, one far out (9,000,000 against a median of 1,550,000).
	for i := range 11 {
		if err := respondent("2014-09-15", "Kota Batu", "", "YNYNYNYNY", int64(1_000_000+100_000*i)); err != nil {
			return err
		}
	}
	if err := respondent("2014-09-16", "Kota Batu", "", "YNYNYNYNY", 9_000_000); err != nil { // R012
		return err
	}
	// Kab. Jember: nine wages only, one far out: too few to judge.
	for i := range 8 {
		if err := respondent("2014-09-15", "Kab. Jember", "", "YNYNYNYNY", int64(1_000_000+10_000*i)); err != nil {
			return err
		}
	}
	if err := respondent("2014-09-15", "Kab. Jember", "", "YNYNYNYNY", 50_000_000); err != nil {
		return err
	}
	// Ani works in Kota Malang; Bea in both Malangs; Dedi is staff.
	for _, c := range []struct{ region, facilitator string }{
		{"Kab. Malang", "ani"}, // R022: flagged
		{"Kota Malang", "Ani"}, {"Kab. Malang", "Bea"}, {"Kab. Malang", "Dedi"},
	} {
		if err := respondent("2014-10-01", c.region, c.facilitator, "YYYYYYYYY", -1); err != nil {
			return err
		}
	}
	// Cici: 16 on one day (a burst), 15 on the next (not).
	for range 16 {
		if err := respondent("2014-11-03", "Kota Surabaya", "Cici", "NNNNNNNNN", -1); err != nil {
			return err
		}
	}
	for range 15 {
		if err := respondent("2014-11-04", "Kota Surabaya", "Cici", "NNNNNNNNN", -1); err != nil {
			return err
		}
	}
	// One with nothing answered, one with one answer.
	if err := respondent("2014-11-05", "Kota Surabaya", "", "---------", -1); err != nil { // R057
		return err
	}
	if err := respondent("2014-11-05", "Kota Surabaya", "", "--------Y", -1); err != nil {
		return err
	}
	// Kecamatan of Kota Batu: one with its official code (never asked about),
	// one stored before the catalogue that the check knows, one it does not
	// (R061), and one with no region code (a region the catalogue lacks).
	for i, place := range [][3]string{{"35.79", "Bumiaji", "35.79.03"}, {"35.79", "Junrejo", ""}, {"35.79", "Bumiajii", ""}, {"", "Ngawen", ""}} {
		r := surveyed(fmt.Sprintf("R%03d", 59+i), "2014-11-06", "Kota Batu", "P", "POS", "YNYNYNYNY")
		r.Row, r.RegionCode, r.District, r.DistrictCode = 60+i, place[0], place[1], place[2]
		if err := b.AddRespondent(r); err != nil {
			return err
		}
	}
	for i, g := range []queries.GroupStage{
		logged("G1", "Kota Malang", 1, "2014-10-10", -1),
		logged("G1", "Kota Malang", 2, "2014-10-05", -1), // before stage 1: stage_order
		logged("G2", "Kota Malang", 1, "2014-10-01", -1),
		logged("G2", "Kota Malang", 3, "2014-11-01", -1), // without stage 2: stage_skipped
		logged("G3", "Kab. Malang", 1, "2014-10-01", 20),
		logged("G3", "Kab. Malang", 2, "2014-10-15", -1),
		logged("G3", "Kab. Malang", 3, "2014-11-01", 9), // 20 -> 9: members_drop
		logged("G4", "Kab. Malang", 1, "2014-10-01", 20),
		logged("G4", "Kab. Malang", 2, "2014-11-01", 10), // 20 -> 10: half, not less
	} {
		g.Row = i + 2
		if err := b.AddGroupStage(g); err != nil {
			return err
		}
	}
	return nil
}

// knownKecamatan stands for the area catalogue's check (ingest.UnknownArea):
// Kota Batu's kecamatan are Bumiaji and Junrejo. It fails the test when
// asked about a row whose kecamatan has its code or whose region has none.
func knownKecamatan(t *testing.T) queries.AreaCheck {
	return func(code, region, district, village string) (string, queries.Message) {
		if code != "35.79" || district == "Bumiaji" && village == "" {
			t.Errorf("asked about %s %s %s %s", code, region, district, village)
		}
		if district == "Bumiaji" || district == "Junrejo" {
			return "", queries.Message{}
		}
		return district, queries.Msgf("kecamatan %q tidak dikenal", "kecamatan %q is not in "+region, district)
	}
}

func TestQualityFlagsWherePlanted(t *testing.T) {
	db := querytest.Open(t)
	db.CheckAreasWith(knownKecamatan(t))
	ctx := context.Background()
	id := commitAt(t, db, "planted", time.Date(2014, 12, 1, 0, 0, 0, 0, time.UTC), plantedBatch)
	r, err := db.Quality(ctx, queries.Filter{}, nil, "en")
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, f := range r.Flags {
		got = append(got, fmt.Sprintf("%s %s %s!%d %s=%s", f.Kind, f.Key, f.Sheet, f.Row, f.Region, f.Value))
		if f.ImportID != id {
			t.Errorf("%s %s: import %d, want %d", f.Kind, f.Key, f.ImportID, id)
		}
	}
	want := []string{
		"wage_outlier r012 Responden!13 Kota Batu=9000000",
		"facilitator_region r022 Responden!23 Kab. Malang=ani",
		"survey_burst cici|2014-11-03 Responden!27 Kota Surabaya=16",
		"unanswered r057 Responden!58 Kota Surabaya=R057",
		"stage_order g1|2 Kelompok!3 Kota Malang=2 (2014-10-05)",
		"stage_skipped g2|3 Kelompok!5 Kota Malang=3",
		"members_drop g3|3 Kelompok!8 Kab. Malang=9",
		"area_unknown r061 Responden!62 Kota Batu=Bumiajii",
	}
	if !slices.Equal(got, want) {
		t.Errorf("flags:\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	messages := map[string]string{}
	for _, f := range r.Flags {
		messages[f.Kind] = f.Message
	}
	for kind, want := range map[string]string{
		queries.FlagWageOutlier:       "wage Rp 9,000,000 is far from the other wages of its region (modified z-score 16.8;",
		queries.FlagFacilitatorRegion: "another region: Kota Malang",
		queries.FlagSurveyBurst:       "16 respondents on 2014-11-03",
		queries.FlagStageOrder:        "lower stage (2014-10-10)",
		queries.FlagStageSkipped:      "without stage 2",
		queries.FlagMembersDrop:       "fell to 9 from 20",
		queries.FlagAreaUnknown:       `kecamatan "Bumiajii" is not in Kota Batu`,
	} {
		if !strings.Contains(messages[kind], want) {
			t.Errorf("%s: message %q lacks %q", kind, messages[kind], want)
		}
	}
	for _, kind := range queries.FlagKinds {
		if r.Counts[kind] != 1 {
			t.Errorf("count of %s: %d, want 1", kind, r.Counts[kind])
		}
	}

	if id, err := db.Quality(ctx, queries.Filter{}, []string{queries.FlagWageOutlier}, "id"); err != nil || len(id.Flags) != 1 ||
		!strings.Contains(id.Flags[0].Message, "upah Rp 9.000.000 jauh dari upah lain di wilayahnya (skor-z termodifikasi 16,8;") {
		t.Errorf("the wage outlier in Indonesian: %+v, %v", id, err)
	}

	// A filter keeps the flags of its rows: Kab. Malang's two.
	r, err = db.Quality(ctx, queries.Filter{Regions: []string{"Kab. Malang"}}, nil, "id")
	if err != nil {
		t.Fatal(err)
	}
	if len(r.Flags) != 2 || r.Flags[0].Kind != queries.FlagFacilitatorRegion || r.Flags[1].Kind != queries.FlagMembersDrop {
		t.Errorf("Kab. Malang's flags: %+v", r.Flags)
	}
	if !strings.Contains(r.Flags[1].Message, "jumlah anggota turun ke 9 dari 20") {
		t.Errorf("Indonesian message: %q", r.Flags[1].Message)
	}
	// A filter by region (a scoped user's scope) names no other region, not
	// even where the facilitator works; one that reaches it does.
	if m := r.Flags[0].Message; m != "fasilitator ani adalah fasilitator lapang wilayah lain" {
		t.Errorf("facilitator_region within Kab. Malang: %q", m)
	}
	r, err = db.Quality(ctx, queries.Filter{Regions: []string{"Kab. Malang", "Kota Malang"}}, []string{queries.FlagFacilitatorRegion}, "en")
	if err != nil || len(r.Flags) != 1 || !strings.HasSuffix(r.Flags[0].Message, "another region: Kota Malang") {
		t.Errorf("facilitator_region within both Malangs: %+v, %v", r.Flags, err)
	}
	// --kind lists one kind; the counts stay whole.
	r, err = db.Quality(ctx, queries.Filter{}, []string{queries.FlagUnanswered}, "en")
	if err != nil || len(r.Flags) != 1 || r.Counts[queries.FlagWageOutlier] != 1 {
		t.Errorf("one kind: %+v, %v", r, err)
	}
	if _, err := db.Quality(ctx, queries.Filter{}, []string{"typo"}, "en"); queries.ErrorCode(err) != queries.EINVALID {
		t.Errorf("unknown kind: %v", err)
	}
}

// TestQualityCleanData: rows that keep every rule raise no flag.
func TestQualityCleanData(t *testing.T) {
	db := querytest.Open(t)
	commitAt(t, db, "clean", time.Date(2014, 10, 5, 0, 0, 0, 0, time.UTC), func(b *queries.Batch) error {
		if err := b.AddParticipant(person("Ani", "Fasilitator Lapang", "Kota Malang", "P", true)); err != nil {
			return err
		}
		for i := range 30 {
			r := surveyed(fmt.Sprintf("R%03d", i), fmt.Sprintf("2014-09-%02d", 1+i%28), "Kota Malang", "P", "SE", "YN-YN-YN-")
			r.Facilitator, r.MonthlyWage = "Ani", int64(1_200_000+10_000*(i%7))
			if err := b.AddRespondent(r); err != nil {
				return err
			}
		}
		for stage := 1; stage <= 4; stage++ {
			if err := b.AddGroupStage(logged("G1", "Kota Malang", stage, fmt.Sprintf("2014-09-%02d", 7*stage-6), 10+stage)); err != nil {
				return err
			}
		}
		return nil
	})
	r, err := db.Quality(context.Background(), queries.Filter{}, nil, "en")
	if err != nil {
		t.Fatal(err)
	}
	if len(r.Flags) != 0 {
		t.Errorf("clean data flagged: %+v", r.Flags)
	}
	if r.Timeliness.Rows != 30 || r.Timeliness.Late != 0 {
		t.Errorf("timeliness: %+v", r.Timeliness)
	}
}

// TestQualityChecks: a checked flag stays checked while its value is the
// same (a later import bringing the same row), opens again when an import
// changes the value, closes again when that import is undone; and an undo
// that removes the row removes its flag.
func TestQualityChecks(t *testing.T) {
	db := querytest.Open(t)
	ctx := context.Background()
	at := time.Date(2014, 12, 1, 0, 0, 0, 0, time.UTC)
	commitAt(t, db, "planted", at, plantedBatch)
	if err := db.CheckFlag(ctx, queries.Filter{}, queries.FlagUnanswered, "r057", "asked again: she declined", "siti", at); err != nil {
		t.Fatal(err)
	}
	if err := db.CheckFlag(ctx, queries.Filter{}, queries.FlagUnanswered, "r001", "no such flag", "siti", at); queries.ErrorCode(err) != queries.ENOTFOUND {
		t.Errorf("a check of no flag: %v", err)
	}
	if err := db.CheckFlag(ctx, queries.Filter{}, queries.FlagUnanswered, "r057", " ", "siti", at); queries.ErrorCode(err) != queries.EINVALID {
		t.Errorf("a check without a note: %v", err)
	}
	unanswered := func(step string, wantChecked bool, wantCount int) {
		t.Helper()
		r, err := db.Quality(ctx, queries.Filter{}, []string{queries.FlagUnanswered}, "en")
		if err != nil {
			t.Fatal(err)
		}
		if len(r.Flags) == 0 {
			if wantCount != 0 || wantChecked {
				t.Errorf("%s: no flag", step)
			}
			return
		}
		f := r.Flags[0]
		if f.Checked != wantChecked || r.Counts[queries.FlagUnanswered] != wantCount {
			t.Errorf("%s: checked %v, count %d; want %v, %d", step, f.Checked, r.Counts[queries.FlagUnanswered], wantChecked, wantCount)
		}
		if f.Checked && (f.Note == nil || *f.Note != "asked again: she declined" || *f.CheckedBy != "siti") {
			t.Errorf("%s: check %+v", step, f)
		}
	}
	unanswered("checked", true, 0)

	same := surveyed("R057", "2014-11-05", "Kota Surabaya", "P", "POS", "---------")
	commitAt(t, db, "same", at.AddDate(0, 0, 1), func(b *queries.Batch) error { return b.AddRespondent(same) })
	unanswered("the same row again", true, 0)

	changed := commitAt(t, db, "changed", at.AddDate(0, 0, 2), func(b *queries.Batch) error {
		r := same
		r.ID, r.Key = "R058-B", "r057"
		return b.AddRespondent(r)
	})
	unanswered("the flagged value changed", false, 1)
	if err := db.Undo(ctx, changed, "test"); err != nil {
		t.Fatal(err)
	}
	unanswered("that import undone", true, 0)

	fresh := commitAt(t, db, "fresh", at.AddDate(0, 0, 3), func(b *queries.Batch) error {
		return b.AddRespondent(surveyed("R900", "2014-11-05", "Kota Batu", "P", "POS", "---------"))
	})
	r, _ := db.Quality(ctx, queries.Filter{}, nil, "en")
	if r.Counts[queries.FlagUnanswered] != 1 {
		t.Fatalf("the new row's flag: %+v", r.Counts)
	}
	if err := db.Undo(ctx, fresh, "test"); err != nil {
		t.Fatal(err)
	}
	r, _ = db.Quality(ctx, queries.Filter{}, nil, "en")
	if r.Counts[queries.FlagUnanswered] != 0 || len(r.Flags) != 7 {
		t.Errorf("after undoing the row: %+v, %d flags", r.Counts, len(r.Flags))
	}
}

// TestQualityCompletenessAndTimeliness: months from the first to the last
// with data, a facilitator's gap, and lateness at its boundary (a row is
// late when first imported more than 30 days after its survey month ends).
func TestQualityCompletenessAndTimeliness(t *testing.T) {
	db := querytest.Open(t)
	ctx := context.Background()
	rows := func(list ...queries.Respondent) func(b *queries.Batch) error {
		return func(b *queries.Batch) error {
			for _, r := range list {
				if err := b.AddRespondent(r); err != nil {
					return err
				}
			}
			return nil
		}
	}
	by := func(id, date, region, facilitator string) queries.Respondent {
		r := surveyed(id, date, region, "P", "POS", "YYYYYYYYY")
		r.Facilitator = facilitator
		return r
	}
	// September's rows: imported on October 30 (the 30th day after the month ends: on time).
	commitAt(t, db, "sep", time.Date(2014, 10, 30, 23, 0, 0, 0, time.UTC), rows(
		by("A1", "2014-09-03", "Kota Malang", "Ani"), by("A2", "2014-09-30", "Kota Malang", "ani"),
		by("B1", "2014-09-10", "Kab. Malang", "Bea")))
	// November's: one imported on December 30 (on time), one first on December 31 (31 days after: late).
	commitAt(t, db, "nov", time.Date(2014, 12, 30, 23, 59, 0, 0, time.UTC), rows(by("A3", "2014-11-20", "Kota Malang", "Ani")))
	commitAt(t, db, "nov-late", time.Date(2014, 12, 31, 0, 0, 0, 0, time.UTC), rows(by("B2", "2014-11-02", "Kab. Malang", "")))
	// A later import of a September row does not make it late: its first import counts.
	commitAt(t, db, "sep-again", time.Date(2015, 3, 1, 0, 0, 0, 0, time.UTC), rows(by("B1", "2014-09-11", "Kab. Malang", "Bea")))

	r, err := db.Quality(ctx, queries.Filter{}, nil, "en")
	if err != nil {
		t.Fatal(err)
	}
	c := r.Completeness
	if fmt.Sprint(c.Months) != "[2014-09 2014-10 2014-11]" {
		t.Errorf("months: %v", c.Months)
	}
	if fmt.Sprint(c.Regions) != "[{Kab. Malang [1 0 1]} {Kota Malang [2 0 1]}]" {
		t.Errorf("regions: %v", c.Regions)
	}
	if fmt.Sprint(c.Facilitators) != "[{Bea Kab. Malang [1 0 0] 0} {ani Kota Malang [2 0 1] 1}]" &&
		fmt.Sprint(c.Facilitators) != "[{Bea Kab. Malang [1 0 0] 0} {Ani Kota Malang [2 0 1] 1}]" {
		t.Errorf("facilitators: %v", c.Facilitators)
	}
	tl := r.Timeliness
	if tl.LateAfterDays != 30 || tl.Rows != 5 || tl.Late != 1 || fmt.Sprint(tl.ByRegion) != "[{Kab. Malang 2 1} {Kota Malang 3 0}]" {
		t.Errorf("timeliness: %+v", tl)
	}
	// The period filter selects survey months.
	r, err = db.Quality(ctx, queries.Filter{From: day("2014-11-01")}, nil, "en")
	if err != nil {
		t.Fatal(err)
	}
	if fmt.Sprint(r.Completeness.Months) != "[2014-11]" || r.Timeliness.Rows != 2 {
		t.Errorf("from November: %v, %+v", r.Completeness.Months, r.Timeliness)
	}

	// The days allowed are the setting late_after_days: with 29 every row
	// is late (September's came on the 30th day, November's on the 30th and
	// 31st), with 31 none is. Setting it is a new data version, so cached
	// reports go.
	for _, c := range []struct{ days, late int }{{29, 5}, {31, 0}, {30, 1}} {
		before := db.DataVersion()
		if err := db.SetSetting(ctx, queries.SettingLateAfterDays, fmt.Sprint(c.days), "admin"); err != nil {
			t.Fatal(err)
		}
		if after := db.DataVersion(); after <= before || !queries.Settled(after) {
			t.Errorf("late_after_days %d: data version %d -> %d, want a new settled one", c.days, before, after)
		}
		r, err := db.Quality(ctx, queries.Filter{}, nil, "en")
		if err != nil {
			t.Fatal(err)
		}
		if tl := r.Timeliness; tl.LateAfterDays != c.days || tl.Rows != 5 || tl.Late != c.late {
			t.Errorf("late_after_days %d: %+v, want %d late", c.days, tl, c.late)
		}
	}
	// The summary workbook's figures carry the same report, without the
	// flags.
	rep, err := db.Report(ctx, queries.Filter{}, queries.ReportOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if r, err = db.QualitySummary(ctx, queries.Filter{}, "en"); err != nil || !reflect.DeepEqual(rep.Quality, r) {
		t.Errorf("Report's quality:\n%+v\nwant\n%+v (%v)", rep.Quality, r, err)
	}
}

func TestParseLateAfterDays(t *testing.T) {
	for in, want := range map[string]string{"45": "45", " 7 ": "7", "1": "1", "365": "365", "030": "30"} {
		if got, err := queries.ParseLateAfterDays(in); got != want || err != nil {
			t.Errorf("ParseLateAfterDays(%q) = %q, %v; want %q", in, got, err, want)
		}
	}
	for _, in := range []string{"0", "366", "-3", "4.5", "tiga puluh", "", "30 hari"} {
		got, err := queries.ParseLateAfterDays(in)
		m, ok := queries.MessageOf(err)
		if got != "" || !ok || !strings.Contains(m.EN, "whole number of days from 1 to 365") || !strings.Contains(m.ID, "1 sampai 365") ||
			!strings.Contains(m.EN, fmt.Sprintf("%q", in)) {
			t.Errorf("ParseLateAfterDays(%q) = %q, %v (%+v); want a message in both languages naming the value", in, got, err, m)
		}
	}
}

// TestBatchFlags: a pending batch's flags are those its commit raises, no
// more: new flags on its own rows (import 0), flags its rows raise on rows
// stored before (a Peserta row moving a facilitator), and none that the
// current rows carry already (a flagged row sent again unchanged).
func TestBatchFlags(t *testing.T) {
	db := querytest.Open(t)
	db.CheckAreasWith(knownKecamatan(t))
	ctx := context.Background()
	planted := commitAt(t, db, "planted", time.Date(2014, 12, 1, 0, 0, 0, 0, time.UTC), plantedBatch)
	before, err := db.Quality(ctx, queries.Filter{}, nil, "en")
	if err != nil {
		t.Fatal(err)
	}

	b, err := db.NewBatch(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	outlier := surveyed("R100", "2014-11-07", "Kota Batu", "P", "POS", "YNYNYNYNY")
	outlier.Row, outlier.MonthlyWage = 2, 20_000_000
	again := surveyed("R022", "2014-10-01", "Kab. Malang", "P", "POS", "YYYYYYYYY") // flagged already, sent unchanged
	again.Row, again.Facilitator = 3, "ani"
	unknown := surveyed("R101", "2014-11-07", "Kota Batu", "P", "POS", "YNYNYNYNY")
	unknown.Row, unknown.RegionCode, unknown.District = 4, "35.79", "Bumi Aji"
	// Flagged already, sent with a desa: the kecamatan is as unknown as
	// before, so the flag is the same.
	stillUnknown := surveyed("R061", "2014-11-06", "Kota Batu", "P", "POS", "YNYNYNYNY")
	stillUnknown.Row, stillUnknown.RegionCode, stillUnknown.District, stillUnknown.Village = 5, "35.79", "Bumiajii", "Sidomulyo"
	drop := logged("G4", "Kab. Malang", 3, "2014-11-20", 4) // 10 -> 4
	drop.Row = 2
	for _, err := range []error{
		b.AddRespondent(outlier), b.AddRespondent(again), b.AddRespondent(unknown), b.AddRespondent(stillUnknown), b.AddGroupStage(drop),
		b.AddParticipant(person("Cici", "Fasilitator Lapang", "Kab. Jember", "P", true)), // Cici surveyed in Kota Surabaya
	} {
		if err != nil {
			t.Fatal(err)
		}
	}
	if _, err := b.Counts(ctx); err != nil {
		t.Fatal(err)
	}
	raised, count, err := b.Flags(ctx, queries.Filter{}, "en", 1000)
	if err != nil {
		t.Fatal(err)
	}
	if count != len(raised) {
		t.Errorf("count %d, %d flags", count, len(raised))
	}
	// A limit keeps the first flags and counts them all.
	if first, n, err := b.Flags(ctx, queries.Filter{}, "en", 3); err != nil || n != count ||
		!reflect.DeepEqual(first, raised[:3]) {
		t.Errorf("the first 3: %+v, count %d (%v); want %+v, %d", first, n, err, raised[:3], count)
	}
	got := map[string]int{}
	for _, f := range raised {
		got[fmt.Sprintf("%s import %d", f.Kind, f.ImportID)]++
	}
	want := map[string]int{
		"wage_outlier import 0":                              1,
		"area_unknown import 0":                              1,
		"members_drop import 0":                              1,
		fmt.Sprintf("facilitator_region import %d", planted): 31,
	}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("raised: %v, want %v", got, want)
	}

	// Within a scope, only the flags of its rows: an uploader limited to
	// Kota Batu does not see Kota Surabaya's respondents named.
	scoped, _, err := b.Flags(ctx, queries.Filter{Regions: []string{"Kota Batu"}}, "en", 1000)
	if err != nil {
		t.Fatal(err)
	}
	var kinds []string
	for _, f := range scoped {
		kinds = append(kinds, f.Kind+" "+f.Region)
	}
	if want := []string{"wage_outlier Kota Batu", "area_unknown Kota Batu"}; !slices.Equal(kinds, want) {
		t.Errorf("the flags within Kota Batu: %q, want %q", kinds, want)
	}

	// What Flags promised is what the commit brings.
	sheets := func(map[queries.Kind]queries.Counts) []queries.SheetCounts { return nil }
	if _, _, err := b.Commit(ctx, queries.ImportMeta{FileName: "more", SHA256: "more", By: "test", At: time.Now()}, sheets); err != nil {
		t.Fatal(err)
	}
	after, err := db.Quality(ctx, queries.Filter{}, nil, "en")
	if err != nil {
		t.Fatal(err)
	}
	seen := map[string]bool{}
	for _, f := range before.Flags {
		seen[f.Kind+" "+f.Key+" "+f.Value] = true
	}
	var brought, promised []string
	for _, f := range after.Flags {
		if !seen[f.Kind+" "+f.Key+" "+f.Value] {
			brought = append(brought, f.Kind+" "+f.Key+" "+f.Value+" "+f.Message)
		}
	}
	for _, f := range raised {
		promised = append(promised, f.Kind+" "+f.Key+" "+f.Value+" "+f.Message)
	}
	if !slices.Equal(brought, promised) {
		t.Errorf("the commit brought\n%s\nthe batch promised\n%s", strings.Join(brought, "\n"), strings.Join(promised, "\n"))
	}
}

// TestAreaCheckGivenAgain: the area_unknown query asks the check the
// database was last given, not answers remembered from an earlier one.
func TestAreaCheckGivenAgain(t *testing.T) {
	db := querytest.Open(t)
	db.CheckAreasWith(knownKecamatan(t))
	ctx := context.Background()
	commitAt(t, db, "planted", time.Date(2014, 12, 1, 0, 0, 0, 0, time.UTC), plantedBatch)
	unknown := func() []string {
		t.Helper()
		r, err := db.Quality(ctx, queries.Filter{}, []string{queries.FlagAreaUnknown}, "en")
		if err != nil {
			t.Fatal(err)
		}
		var names []string
		for _, f := range r.Flags {
			names = append(names, f.Key+"="+f.Value)
		}
		return names
	}
	if got := unknown(); !slices.Equal(got, []string{"r061=Bumiajii"}) {
		t.Fatalf("with the first check: %q", got)
	}
	// A catalogue that knows Bumiajii but not Junrejo.
	db.CheckAreasWith(func(code, region, district, village string) (string, queries.Message) {
		if district == "Junrejo" {
			return district, queries.Msgf("kecamatan %q tidak dikenal", "kecamatan %q is unknown", district)
		}
		return "", queries.Message{}
	})
	if got := unknown(); !slices.Equal(got, []string{"r060=Junrejo"}) {
		t.Errorf("with the second check: %q, want r060=Junrejo", got)
	}
}

// TestAreaCheckPanics: a check that panics fails the query with an error
// naming it, and leaves the database usable.
func TestAreaCheckPanics(t *testing.T) {
	db := querytest.Open(t)
	ctx := context.Background()
	commitAt(t, db, "planted", time.Date(2014, 12, 1, 0, 0, 0, 0, time.UTC), plantedBatch)
	db.CheckAreasWith(func(code, region, district, village string) (string, queries.Message) { panic("catalogue broken") })
	if _, err := db.Quality(ctx, queries.Filter{}, nil, "en"); err == nil || !strings.Contains(err.Error(), "catalogue broken") {
		t.Errorf("quality with a panicking check: %v, want its error", err)
	}
	db.CheckAreasWith(knownKecamatan(t))
	if r, err := db.Quality(ctx, queries.Filter{}, nil, "en"); err != nil || r.Counts[queries.FlagAreaUnknown] != 1 {
		t.Errorf("quality after: %v, %v", r.Counts, err)
	}
}

// TestQualityFlagsPages: a page of flags, chosen and cut in SQL, is the
// same as the whole report's flags chosen and cut in Go, for every kind,
// facilitator, checked choice and page; the summary's counts are the
// report's, per kind and per region.
func TestQualityFlagsPages(t *testing.T) {
	db := querytest.Open(t)
	db.CheckAreasWith(knownKecamatan(t))
	ctx := context.Background()
	commitAt(t, db, "planted", time.Date(2014, 12, 1, 0, 0, 0, 0, time.UTC), plantedBatch)
	// More than one flag a kind, some of them checked.
	commitAt(t, db, "more", time.Date(2014, 12, 2, 0, 0, 0, 0, time.UTC), func(b *queries.Batch) error {
		for i := range 5 {
			r := surveyed(fmt.Sprintf("R%03d", 200+i), "2014-11-06", []string{"Kota Batu", "Kab. Malang"}[i%2], "P", "POS", "---------")
			r.Row, r.Facilitator = 2+i, []string{"ani", "Bea", ""}[i%3]
			if err := b.AddRespondent(r); err != nil {
				return err
			}
		}
		return nil
	})
	for _, key := range []string{"r201", "r012"} {
		kind := map[string]string{"r201": queries.FlagUnanswered, "r012": queries.FlagWageOutlier}[key]
		if err := db.CheckFlag(ctx, queries.Filter{}, kind, key, "seen", "admin", time.Now()); err != nil {
			t.Fatal(err)
		}
	}
	for _, f := range []queries.Filter{{}, {Regions: []string{"Kota Batu"}}} {
		all, err := db.Quality(ctx, f, nil, "en")
		if err != nil {
			t.Fatal(err)
		}
		summary, err := db.QualitySummary(ctx, f, "en")
		if err != nil {
			t.Fatal(err)
		}
		open := map[string]map[string]int{}
		named := map[string]bool{}
		for _, fl := range all.Flags {
			if fl.Facilitator != nil {
				named[*fl.Facilitator] = true
			}
			if !fl.Checked {
				if open[fl.Region] == nil {
					open[fl.Region] = map[string]int{}
				}
				open[fl.Region][fl.Kind]++
			}
		}
		if !reflect.DeepEqual(summary.Counts, all.Counts) || !reflect.DeepEqual(summary.OpenByRegion, open) ||
			!reflect.DeepEqual(all.OpenByRegion, open) || len(summary.Flags) != 0 {
			t.Errorf("%v: summary counts %v by region %v (%d flags); want %v, %v", f, summary.Counts, summary.OpenByRegion, len(summary.Flags), all.Counts, open)
		}
		facilitators := slices.Sorted(maps.Keys(named))
		checkedSeen := 0
		for _, kind := range append([]string{""}, queries.FlagKinds...) {
			for _, who := range append([]string{""}, facilitators...) {
				for _, checked := range []bool{false, true} {
					var want []queries.QualityFlag
					for _, fl := range all.Flags {
						if (kind == "" || fl.Kind == kind) && (who == "" || fl.Facilitator != nil && *fl.Facilitator == who) && (checked || !fl.Checked) {
							want = append(want, fl)
						}
					}
					for _, limit := range []int{1, 3, 100} {
						for offset := 0; offset <= len(want); offset += limit {
							list := queries.FlagList{Kind: kind, Facilitator: who, Checked: checked, Offset: offset, Limit: limit}
							page, err := db.QualityFlags(ctx, f, list, "en")
							if err != nil {
								t.Fatal(err)
							}
							wantPage := want[offset:min(offset+limit, len(want))]
							if page.Total != len(want) || !slices.Equal(page.Facilitators, facilitators) ||
								!reflect.DeepEqual(page.Flags, append([]queries.QualityFlag{}, wantPage...)) {
								t.Errorf("%v %+v: %d of %d, facilitators %q; want %d of %d, %q", f, list, len(page.Flags), page.Total, page.Facilitators, len(wantPage), len(want), facilitators)
							}
							for _, fl := range page.Flags {
								if fl.Checked {
									checkedSeen++
								}
							}
						}
					}
				}
			}
		}
		if f.Regions == nil && checkedSeen == 0 {
			t.Error("no page showed a checked flag")
		}
	}
}
