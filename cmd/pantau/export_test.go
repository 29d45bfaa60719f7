package main

import (
	"encoding/json"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

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
		x, err := excelize.OpenFile(out)
		if err != nil {
			t.Fatal(err)
		}
		checkWorkbook(t, x, &sum, flags)
		x.Close()
	}

	// English labels, the same figures.
	out := filepath.Join(c.dir, "summary-en.xlsx")
	c.mustRun("export", "--out", out, "--lang", "en", "--region", "jember")
	x, err := excelize.OpenFile(out)
	if err != nil {
		t.Fatal(err)
	}
	defer x.Close()
	if v, _ := x.GetCellValue("Fasilitator", "E4"); v != "Total" {
		t.Errorf("English workbook: Fasilitator!E4 %q, want Total", v)
	}
	if v, _ := x.GetCellValue("Ringkasan", "B3"); v != "Kab. Jember" {
		t.Errorf("English workbook: Ringkasan!B3 %q, want the region", v)
	}
}

// checkWorkbook compares the section sheets' tables with the summary.
func checkWorkbook(t *testing.T, x *excelize.File, sum *queries.Summary, flags []string) {
	t.Helper()
	rows := func(sheet string) [][]string {
		r, err := x.GetRows(sheet, excelize.Options{RawCellValue: true})
		if err != nil {
			t.Fatalf("%v: %s: %v", flags, sheet, err)
		}
		return r
	}
	cell := func(r []string, i int) string {
		if i < len(r) {
			return r[i]
		}
		return ""
	}
	check := func(where string, row []string, from int, want ...any) {
		t.Helper()
		for i, w := range want {
			got, ok := cell(row, from+i), true
			switch w := w.(type) {
			case string:
				ok = got == w
			case int:
				ok = got == strconv.Itoa(w)
			case *float64:
				v, err := strconv.ParseFloat(got, 64)
				ok = w == nil && got == "" || w != nil && err == nil && math.Abs(v-*w) < 1e-12
			}
			if !ok {
				t.Errorf("%v: %s column %d: got %q, want %v", flags, where, from+i+1, got, w)
			}
		}
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
		if cell(row, 0) == "Angka utama" {
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
