package main

import (
	"encoding/json"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"pantau/ingest/xlsx/xlsxtest"
)

// writeTargets writes a Target workbook for the sample data to dir/target.xlsx.
func writeTargets(t *testing.T, dir string) string {
	t.Helper()
	data := xlsxtest.Workbook(t, xlsxtest.Tab{Name: "Target", Rows: [][]any{
		{"Indikator", "Wilayah", "Periode", "Target"},
		{"responden", nil, "2014-Q4", 200},
		{"responden", "Kab. Jember", "2014-Q4", 20},
		{"responden", "Kota Surabaya", "2015-Q1", 30},
		{"responden_perempuan", "Kab. Jember", "2015", 40},
		{"kelompok_terbentuk", nil, "2015-H1", 15},
		{"kelompok_terbentuk", "Kab. Jember", "Semester I 2015", 2},
		{"anggota", "Kota Surabaya", "2015", 60},
		{"masalah_h", nil, "2015-Q1", "60%"},
		{"masalah_h", "Kab. Jember", "Oktober 2014", 0.5},
		{"kelompok_tahap_6", "Kab. Jember", "2016", 1},
	}})
	path := filepath.Join(dir, "target.xlsx")
	if err := os.WriteFile(path, data, 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

// GET /api/v1/targets answers byte for byte what `pantau targets --json`
// prints for the same filter and as-of date (the server runs first, then
// the CLI, as in TestSummaryAPIEqualsCLI).
func TestTargetsAPIEqualsCLI(t *testing.T) {
	c := samplesAndViewer(t, writeTargets(t, t.TempDir()))
	tests := []apiCase{
		{"end of 2014", "as_of=2014-12-31", []string{"--as-of", "2014-12-31"}},
		{"mid 2015", "as_of=2015-05-15", []string{"--as-of", "2015-05-15"}},
		{"early", "as_of=2014-09-01", []string{"--as-of", "2014-09-01"}},
		{"day first", "as_of=15/05/2015", []string{"--as-of", "15/05/2015"}},
		{"one region", "region=Kab.+Jember&as_of=2015-05-15", []string{"--region", "Kab. Jember", "--as-of", "2015-05-15"}},
		{"two regions", "region=jember&region=Kota+Surabaya&as_of=2015-12-31", []string{"--region", "jember", "--region", "Kota Surabaya", "--as-of", "2015-12-31"}},
		{"period", "from=2015-01-01&to=2015-03-31&as_of=2015-02-15", []string{"--from", "2015-01-01", "--to", "2015-03-31", "--as-of", "2015-02-15"}},
		{"gender ignored", "gender=P&work_type=SE&as_of=2015-02-15", []string{"--gender", "P", "--work-type", "SE", "--as-of", "2015-02-15"}},
		{"region and period", "region=Kab.+Jember&from=2014-10-01&to=2014-10-31&as_of=2016-06-30", []string{"--region", "Kab. Jember", "--from", "2014-10-01", "--to", "2014-10-31", "--as-of", "2016-06-30"}},
	}
	badAsOf := func(base string, hc *http.Client) {
		bad, err := hc.Get(base + "/api/v1/targets?as_of=2015-02-30")
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(bad.Body)
		bad.Body.Close()
		if bad.StatusCode != http.StatusBadRequest || !strings.Contains(string(body), "as_of") {
			t.Errorf("as_of=2015-02-30: status %d: %s", bad.StatusCode, body)
		}
	}
	outs := apiEqualsCLI(t, c, "/api/v1/targets", "targets", tests, badAsOf)

	distinct := map[string]bool{}
	statuses := map[string]bool{}
	for i, cliOut := range outs {
		distinct[cliOut] = true
		var r struct {
			Targets []struct {
				Region *string `json:"region"`
				Status string  `json:"status"`
			} `json:"targets"`
		}
		if err := json.Unmarshal([]byte(cliOut), &r); err != nil {
			t.Fatal(err)
		}
		if len(r.Targets) == 0 {
			t.Errorf("%s: no targets", tests[i].name)
		}
		for _, x := range r.Targets {
			statuses[x.Status] = true
		}
	}
	if len(distinct) < len(tests)-2 { // "day first" repeats "mid 2015"
		t.Errorf("only %d distinct outputs for %d cases", len(distinct), len(tests))
	}
	for _, s := range []string{"met", "behind", "on_track", "not_started"} {
		if !statuses[s] {
			t.Errorf("no target is %s in any case: %v", s, statuses)
		}
	}
}

func TestTargetsTableAndTemplate(t *testing.T) {
	c := newCLI(t)
	c.mustRun("ingest", writeTargets(t, c.dir))
	out := c.mustRun("targets", "--as-of", "2015-02-15", "--region", "Kab. Jember")
	for _, want := range []string{"Target per 2015-02-15", "Indikator", "Status", "responden_perempuan", "Kab. Jember", "belum mulai", "50,0%", "tertinggal"} {
		if !strings.Contains(out, want) {
			t.Errorf("table lacks %q:\n%s", want, out)
		}
	}
	if strings.Contains(out, "seluruh program") {
		t.Errorf("a region filter shows program-wide targets:\n%s", out)
	}
	en := c.mustRun("targets", "--as-of", "2015-02-15", "--lang", "en")
	for _, want := range []string{"Targets as of 2015-02-15", "whole program", "not started", "no data"} {
		if !strings.Contains(en, want) {
			t.Errorf("English table lacks %q:\n%s", want, en)
		}
	}
	if _, errs, code := c.run("targets", "--as-of", "2015-13-01"); code != 2 || !strings.Contains(errs, "as-of") {
		t.Errorf("bad --as-of: exit %d: %s", code, errs)
	}
	path := filepath.Join(c.dir, "templat.xlsx")
	c.mustRun("template", "--kind", "target", "--out", path)
	f := xlsxtest.Open(t, mustRead(t, path))
	xlsxtest.CellIs(t, f, "Target", "A1", "Indikator")
}

func mustRead(t *testing.T, path string) []byte {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return b
}
