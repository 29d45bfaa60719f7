package main

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"pantau/ingest/xlsx/xlsxtest"
	"pantau/queries"
)

// `pantau export` writes the workbook of the same figures `pantau summary
// --json` prints for the same filter flags.
func TestExportEqualsSummary(t *testing.T) {
	c := newCLI(t)
	samples := filepath.Join(c.dir, "samples")
	c.mustRun("sample", "--out", samples, "--respondents", "300", "--groups", "20", "--seed", "3")
	c.mustRun("ingest", filepath.Join(samples, "peserta.xlsx"), filepath.Join(samples, "survei.xlsx"))

	for i, flags := range [][]string{
		{},
		{"--region", "jember"},
		{"--region", "Kab. Jember", "--region", "kota malang", "--gender", "P"},
		{"--from", "2014-10-01", "--to", "2014-12-31", "--work-type", "SE"},
	} {
		out := filepath.Join(c.dir, "ringkasan"+strconv.Itoa(i)+".xlsx")
		if got := c.mustRun(append([]string{"export", "--out", out}, flags...)...); !strings.Contains(got, "wrote "+out) {
			t.Errorf("export %v: output %q", flags, got)
		}
		var sum queries.Summary
		if err := json.Unmarshal([]byte(c.mustRun(append([]string{"summary", "--json"}, flags...)...)), &sum); err != nil {
			t.Fatal(err)
		}
		checkWorkbook(t, openWorkbook(t, out), &sum, flags)
	}

	// English labels, the same figures.
	out := filepath.Join(c.dir, "summary-en.xlsx")
	c.mustRun("export", "--out", out, "--lang", "en", "--region", "jember")
	x := openWorkbook(t, out)
	xlsxtest.CellIs(t, x, "Fasilitator", "E4", "Total")
	xlsxtest.CellIs(t, x, "Ringkasan", "B3", "Kab. Jember") // the region
}

// openWorkbook opens the workbook at path, closed when the test ends.
func openWorkbook(t *testing.T, path string) *excelize.File {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return xlsxtest.Open(t, data)
}

// checkWorkbook compares the section sheets' tables with the summary.
func checkWorkbook(t *testing.T, x *excelize.File, sum *queries.Summary, flags []string) {
	t.Helper()
	rows := func(sheet string) [][]string { return xlsxtest.RawRows(t, x, sheet) }
	check := func(where string, row []string, from int, want ...any) {
		t.Helper()
		xlsxtest.CellsAre(t, fmt.Sprintf("%v: %s", flags, where), row, from, want...)
	}
	fac := sum.Facilitators
	r := rows("Fasilitator")
	for i, reg := range fac.ByRegion {
		name := reg.Region
		if name == "" {
			name = "(tanpa wilayah)"
		}
		check("Fasilitator "+name, r[4+i], 0, name, reg.Female, reg.Male, reg.Unknown, reg.Total)
	}
	end := 4 + len(fac.ByRegion)
	if len(fac.ByRegion) == 0 {
		end++
	}
	check("Fasilitator totals", r[end], 1, fac.Female, fac.Male, fac.Unknown, fac.Total)

	r = rows("Masalah")
	for i, p := range sum.Problems {
		check("Masalah "+p.Code, r[4+i], 1, p.Yes, p.Answered, p.Share)
	}
	o := sum.Organizing
	r = rows("Pengorganisasian")
	for i, st := range o.Funnel {
		check("Pengorganisasian stage", r[4+i], 1, st.Groups)
	}
	check("Pengorganisasian groups", r[4+len(o.Funnel)], 1, o.Groups)
	check("Pengorganisasian members", r[5+len(o.Funnel)], 1, o.Members)

	// The cover's key figures start with the facilitators and respondents.
	r = rows("Ringkasan")
	for i, row := range r {
		if xlsxtest.Cell(row, 0) == "Angka utama" {
			check("Ringkasan", r[i+1], 1, fac.Total)
			check("Ringkasan", r[i+6], 1, sum.Respondents.Total)
			return
		}
	}
	t.Errorf("%v: Ringkasan has no key figures", flags)
}

func TestExportUsage(t *testing.T) {
	c := newCLI(t)
	out := filepath.Join(c.dir, "x.xlsx")
	for _, tt := range []struct {
		args []string
		want string
	}{
		{[]string{"export"}, "--out"},
		{[]string{"export", "--out", out, "--gender", "Q"}, "gender"},
		{[]string{"export", "--out", out, "--region", "Malang"}, "ambiguous"},
		{[]string{"export", "--out", out, "--from", "2015-01-01", "--to", "2014-01-01"}, "before it starts"},
		{[]string{"export", "--out", out, "--lang", "fr"}, "--lang"},
		{[]string{"export", "--out", out, "--bogus"}, "bogus"},
	} {
		stdout, stderr, code := c.run(tt.args...)
		if code != 2 || !strings.Contains(stdout+stderr, tt.want) {
			t.Errorf("pantau %v: exit %d, output %q %q; want exit 2 mentioning %q", tt.args, code, stdout, stderr, tt.want)
		}
	}
	if _, err := os.Stat(out); !os.IsNotExist(err) {
		t.Errorf("a refused export left %s behind (%v)", out, err)
	}
	if out, _, _ := c.run("help"); !strings.Contains(out, "pantau export --out FILE") {
		t.Errorf("help does not list export:\n%s", out)
	}
}
