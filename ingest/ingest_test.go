package ingest_test

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"pantau/ingest"
	"pantau/queries"
	"pantau/queries/querytest"
)

// The field facilitators of the 2014 Training of Trainers, by region and
// gender, as WORKBOOKS.md lists them.
var wantFacilitators = []string{
	"Kab. Jember|L|1",
	"Kab. Jember|P|1",
	"Kab. Malang|P|2",
	"Kab. Mojokerto|L|1",
	"Kab. Probolinggo|P|2",
	"Kab. Sidoarjo|L|1",
	"Kota Batu|P|1",
	"Kota Malang|P|2",
	"Kota Mojokerto|P|1",
	"Kota Surabaya|P|2",
}

// countRuns writes each run of equal lines once, followed by "|" and its length.
func countRuns(lines []string) []string {
	var out []string
	for i := 0; i < len(lines); {
		j := i + 1
		for j < len(lines) && lines[j] == lines[i] {
			j++
		}
		out = append(out, lines[i]+"|"+strconv.Itoa(j-i))
		i = j
	}
	return out
}

func (e *env) file(path string) *ingest.Report {
	e.t.Helper()
	r, err := ingest.File(e.ctx, e.db, path, ingest.Options{By: "cli", DataDir: e.dataDir})
	if err != nil {
		e.t.Fatal(err)
	}
	return r
}

func TestSampleParticipants(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	r := e.file("../sampledata/peserta.xlsx")
	if !r.OK || r.ImportID == nil || r.ProblemCount != 0 {
		t.Fatalf("sample participants refused or with problems\n%s", problems(r))
	}
	s := sheetReport(t, r, "Peserta")
	equal(t, "rows", s.Rows, 20)
	equal(t, "new", s.New, 20)
	equal(t, "participants", e.count("participants"), 20)

	var facilitators []string // region|gender of each field facilitator, by region and gender
	var total, female, male int
	for _, row := range querytest.Stored(t, e.db, "participants", "region", "gender", "field_facilitator") {
		if row[2] != true {
			continue
		}
		facilitators = append(facilitators, querytest.Line(row[0], row[1]))
		total++
		if row[1] == "P" {
			female++
		}
		if row[1] == "L" {
			male++
		}
	}
	equalList(t, "facilitators by region and gender", countRuns(facilitators), wantFacilitators)
	equalList(t, "facilitators by gender", []string{fmt.Sprintf("%d|%d|%d", total, female, male)}, []string{"14|11|3"})
	var named, staff []string
	for _, row := range querytest.Stored(t, e.db, "participants", "name", "role", "gender", "region", "field_facilitator") {
		if row[3] == "Kab. Mojokerto" && row[0] == "Cahyono Agus Rifa'i" {
			named = append(named, querytest.Line(row[0], row[2], row[1]))
		}
		if row[4] == false {
			staff = append(staff, querytest.Line(row[:4]...))
		}
	}
	equalList(t, "the named facilitator", named,
		[]string{"Cahyono Agus Rifa'i|L|Fasilitator Lapang"})
	equalList(t, "staff", staff, []string{
		"Ali Maxoem|Div. Data dan Informasi|NULL|NULL",
		"Cecilia Susiloretno|Manager Program MAMPU|NULL|NULL",
		"Dardiri|Vice Manager Program MAMPU|NULL|NULL",
		"Sarno|Div. Pengorganisasian dan Training|NULL|NULL",
		"Taufan|Staff Administrasi Program MAMPU|NULL|NULL",
		"Veronica Yuniar M|Staff Keuangan Program MAMPU|NULL|NULL",
	})
	equalList(t, "training", slices.Compact(e.rows("participants", "training", "training_date", "location")),
		[]string{"TOT Organisasi dan Pengorganisasian|2014-09-11|Kota Malang"})

	sum, err := e.db.Summary(e.ctx, queries.Filter{})
	if err != nil {
		t.Fatalf("Summary: %v", err)
	}
	f := sum.Facilitators
	equal(t, "summary total", f.Total, 14)
	equal(t, "summary female", f.Female, 11)
	equal(t, "summary male", f.Male, 3)
	equal(t, "summary unknown", f.Unknown, 0)
	var byRegion []string
	for _, g := range f.ByRegion {
		if g.Female > 0 {
			byRegion = append(byRegion, g.Region+"|P|"+strconv.Itoa(g.Female))
		}
		if g.Male > 0 {
			byRegion = append(byRegion, g.Region+"|L|"+strconv.Itoa(g.Male))
		}
		if g.Unknown > 0 {
			byRegion = append(byRegion, g.Region+"|?|"+strconv.Itoa(g.Unknown))
		}
	}
	slices.Sort(byRegion)
	want := slices.Clone(wantFacilitators)
	slices.Sort(want)
	equalList(t, "summary by region", byRegion, want)

	// The committed file is kept, named by its hash.
	data, err := os.ReadFile(filepath.Join(e.dataDir, r.SHA256+".xlsx"))
	orig, _ := os.ReadFile("../sampledata/peserta.xlsx")
	if err != nil || !slices.Equal(data, orig) {
		t.Errorf("kept file: %v (equal: %v)", err, slices.Equal(data, orig))
	}
}

func TestSampleSurvey(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.file("../sampledata/peserta.xlsx")
	r := e.file("../sampledata/survei.xlsx")
	if !r.OK || r.ImportID == nil || r.ErrorCount != 0 {
		t.Fatalf("sample survey refused\n%s", problems(r))
	}
	// The only problems are the planted misspellings of kecamatan and desa
	// (sampledata/flaws.go), warned once each with the name meant; the
	// kecamatan written with "Kec. " or in capitals resolve.
	var areaWarnings []string
	for _, p := range r.Problems {
		if p.Severity != "warning" || (p.Column != "Kecamatan" && p.Column != "Desa/Kelurahan") {
			t.Errorf("problem other than a misspelt area: %+v", p)
			continue
		}
		areaWarnings = append(areaWarnings, querytest.Line(p.Cell, p.Value, strings.Join(p.Suggestions, ",")))
	}
	equalList(t, "area warnings", areaWarnings, []string{
		"D321|Pure|Puri", "E601|Pecoru|Pecoro", "D1021|Tambaksare|Tambaksari",
		"E1301|Junreju|Junrejo", "D1721|Blimbeng|Blimbing", "E2001|Rampalcelakat|Rampalcelaket",
	})
	// Every other kecamatan and desa is stored under its official name and code.
	var uncoded []string
	for _, row := range querytest.Stored(t, e.db, "respondents", "respondent_id", "district", "district_code", "village", "village_code") {
		if row[2] == nil || row[4] == nil {
			uncoded = append(uncoded, querytest.Line(row...))
		}
	}
	equalList(t, "respondents without a kecamatan or desa code", uncoded, []string{
		"R-0000320|Pure|NULL|Medali|NULL", "R-0000600|Rambipuji|35.09.13|Pecoru|NULL",
		"R-0001020|Tambaksare|NULL|Tambaksari|NULL", "R-0001300|Junrejo|35.79.03|Junreju|NULL",
		"R-0001720|Blimbeng|NULL|Blimbing|NULL", "R-0002000|Klojen|35.73.02|Rampalcelakat|NULL",
	})
	// The demo's quality page has something to act on: a handful of flags
	// of every kind (sampledata/flaws.go plants them); wage outliers also
	// come from the spread of self-employed earnings. The misspellings are
	// the six area_unknown flags.
	e.db.CheckAreasWith(ingest.UnknownArea)
	q, err := e.db.Quality(e.ctx, queries.Filter{}, nil, "en")
	if err != nil {
		t.Fatal(err)
	}
	if n := q.Counts[queries.FlagAreaUnknown]; n != len(uncoded) {
		t.Errorf("%d area_unknown flags, want one per misspelling (%d)", n, len(uncoded))
	}
	for _, kind := range queries.FlagKinds {
		if n := q.Counts[kind]; n == 0 || (n > 6 && kind != queries.FlagWageOutlier) {
			t.Errorf("%d %s flags, want a handful", n, kind)
		}
	}
	planted := 0
	for _, fl := range q.Flags {
		if v, _ := strconv.Atoi(fl.Value); fl.Kind == queries.FlagWageOutlier && v >= 20_000_000 {
			planted++
		}
	}
	equal(t, "wage outliers of Rp 20,000,000 or more", planted, 4)
	for _, s := range r.Sheets {
		if s.Rows == 0 || s.New != s.Rows || s.Updated+s.Unchanged+s.Skipped != 0 || len(s.IgnoredColumns) != 0 {
			t.Errorf("sheet %+v: want every row new", s)
		}
	}
	equal(t, "respondents", e.count("respondents"), sheetReport(t, r, "Responden").Rows)
	equal(t, "group stages", e.count("group_stages"), sheetReport(t, r, "Kelompok").Rows)
	regionsByUMK := e.rowsBy("regions", []string{"umk"}, "region", "year", "umk")
	slices.Reverse(regionsByUMK) // the highest first
	equalList(t, "regions", regionsByUMK, []string{
		"Kota Surabaya|2014|2200000", "Kab. Sidoarjo|2014|2190000", "Kab. Mojokerto|2014|2050000",
		"Kab. Malang|2014|1635000", "Kota Malang|2014|1587000", "Kota Batu|2014|1580037",
		"Kab. Probolinggo|2014|1353750", "Kab. Jember|2014|1270000", "Kota Mojokerto|2014|1250000",
	})
	var participants, strangers []string
	for _, row := range querytest.Stored(t, e.db, "participants", "name") {
		participants = append(participants, row[0].(string))
	}
	for _, row := range querytest.Stored(t, e.db, "respondents", "facilitator") {
		if f, ok := row[0].(string); ok && !slices.Contains(participants, f) && !slices.Contains(strangers, f) {
			strangers = append(strangers, f)
		}
	}
	equalList(t, "facilitators who are no participant", strangers, nil)
}
