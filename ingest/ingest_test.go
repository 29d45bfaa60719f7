package ingest_test

import (
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"testing"

	"pantau/ingest"
	"pantau/queries"
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

	equalList(t, "facilitators by region and gender", e.query(`SELECT region, gender, count(*) FROM participants
		WHERE field_facilitator GROUP BY ALL ORDER BY 1, 2`), wantFacilitators)
	equalList(t, "facilitators by gender", e.query(`SELECT count(*), count(*) FILTER (WHERE gender = 'P'), count(*) FILTER (WHERE gender = 'L')
		FROM participants WHERE field_facilitator`), []string{"14|11|3"})
	equalList(t, "the named facilitator", e.query(`SELECT name, gender, role FROM participants WHERE region = 'Kab. Mojokerto' AND name = 'Cahyono Agus Rifa''i'`),
		[]string{"Cahyono Agus Rifa'i|L|Fasilitator Lapang"})
	equalList(t, "staff", e.query(`SELECT name, role, gender, region FROM participants WHERE NOT field_facilitator ORDER BY name`), []string{
		"Ali Maxoem|Div. Data dan Informasi|NULL|NULL",
		"Cecilia Susiloretno|Manager Program MAMPU|NULL|NULL",
		"Dardiri|Vice Manager Program MAMPU|NULL|NULL",
		"Sarno|Div. Pengorganisasian dan Training|NULL|NULL",
		"Taufan|Staff Administrasi Program MAMPU|NULL|NULL",
		"Veronica Yuniar M|Staff Keuangan Program MAMPU|NULL|NULL",
	})
	equalList(t, "training", e.query(`SELECT DISTINCT training, training_date, location FROM participants`),
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
	for _, p := range r.Problems {
		if p.Column == "Fasilitator" {
			t.Errorf("unknown facilitator: %+v", p)
		}
	}
	if r.ProblemCount != 0 {
		t.Errorf("want no problem at all\n%s", problems(r))
	}
	for _, s := range r.Sheets {
		if s.Rows == 0 || s.New != s.Rows || s.Updated+s.Unchanged+s.Skipped != 0 || len(s.IgnoredColumns) != 0 {
			t.Errorf("sheet %+v: want every row new", s)
		}
	}
	equal(t, "respondents", e.count("respondents"), sheetReport(t, r, "Responden").Rows)
	equal(t, "group stages", e.count("group_stages"), sheetReport(t, r, "Kelompok").Rows)
	equalList(t, "regions", e.query(`SELECT region, year, umk FROM regions ORDER BY umk DESC`), []string{
		"Kota Surabaya|2014|2200000", "Kab. Sidoarjo|2014|2190000", "Kab. Mojokerto|2014|2050000",
		"Kab. Malang|2014|1635000", "Kota Malang|2014|1587000", "Kota Batu|2014|1580037",
		"Kab. Probolinggo|2014|1353750", "Kab. Jember|2014|1270000", "Kota Mojokerto|2014|1250000",
	})
	equalList(t, "facilitators who are no participant", e.query(`SELECT DISTINCT facilitator FROM respondents
		WHERE facilitator NOT IN (SELECT name FROM participants)`), nil)
}
