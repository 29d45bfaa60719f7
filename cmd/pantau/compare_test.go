package main

import (
	"encoding/json"
	"io"
	"net/http"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"pantau/ingest/xlsx/xlsxtest"
)

// GET /api/v1/summary?...&compare= answers byte for byte what `pantau
// summary --json --compare` prints, and its "compare" is, to the byte, the
// plain summary of the earlier period's filter.
func TestSummaryCompareAPIEqualsCLI(t *testing.T) {
	c := samplesAndViewer(t)
	tests := []apiCase{
		{"previous quarter", "from=2015-01-01&to=2015-03-31&compare=previous", []string{"--from", "2015-01-01", "--to", "2015-03-31", "--compare", "previous"}},
		{"a year earlier", "from=2015-01-01&to=2015-03-31&compare=year", []string{"--from", "2015-01-01", "--to", "2015-03-31", "--compare", "year"}},
		{"region and gender", "region=jember&gender=P&from=2014-11-01&to=2014-12-31&compare=previous",
			[]string{"--region", "jember", "--gender", "P", "--from", "2014-11-01", "--to", "2014-12-31", "--compare", "previous"}},
		{"day first, leap day", "from=29/02/2016&to=31/03/2016&compare=year", []string{"--from", "29/02/2016", "--to", "31/03/2016", "--compare", "year"}},
		{"none", "from=2015-01-01&to=2015-03-31&compare=none", []string{"--from", "2015-01-01", "--to", "2015-03-31", "--compare", "none"}},
	}
	refused := func(base string, hc *http.Client) {
		for _, q := range []string{"from=2015-01-01&compare=previous", "from=2015-01-01&to=2015-03-31&compare=lalu"} {
			resp, err := hc.Get(base + "/api/v1/summary?" + q)
			if err != nil {
				t.Fatal(err)
			}
			body, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			if resp.StatusCode != http.StatusBadRequest || !strings.Contains(string(body), "perbandingan") {
				t.Errorf("%s: status %d: %s; want 400 naming the comparison", q, resp.StatusCode, body)
			}
		}
	}
	outs := apiEqualsCLI(t, c, "/api/v1/summary", "summary", tests, refused)
	for i, out := range outs[:4] {
		var got struct {
			Compare struct {
				Mode   string          `json:"mode"`
				Filter json.RawMessage `json:"filter"`
				// The plain summary of the earlier filter, as `pantau summary` prints it.
				Summary json.RawMessage `json:"summary"`
			} `json:"compare"`
		}
		if err := json.Unmarshal([]byte(out), &got); err != nil {
			t.Fatal(err)
		}
		var f struct{ From, To string }
		json.Unmarshal(got.Compare.Filter, &f)
		flags := append([]string{}, tests[i].flags[:len(tests[i].flags)-2]...)
		for j := 0; j < len(flags); j++ {
			switch flags[j] {
			case "--from":
				flags[j+1] = f.From
			case "--to":
				flags[j+1] = f.To
			}
		}
		plain := c.mustRun(append([]string{"summary", "--json"}, flags...)...)
		if compact(t, got.Compare.Summary) != compact(t, []byte(plain)) {
			t.Errorf("%s: compare.summary is not the plain summary of %v", tests[i].name, flags)
		}
	}
	if strings.Contains(outs[4], `"compare"`) {
		t.Errorf("compare=none: %s", outs[4][:200])
	}
	if _, errs, code := c.run("summary", "--from", "2015-01-01", "--compare", "year"); code != 2 || !strings.Contains(errs, "from and to") {
		t.Errorf("--compare without --to: exit %d: %s", code, errs)
	}

	// The workbook of the same comparison: both periods on Ringkasan, and
	// the targets sheet.
	out := filepath.Join(c.dir, "ringkasan.xlsx")
	c.mustRun("export", "--out", out, "--from", "2015-01-01", "--to", "2015-03-31", "--compare", "previous", "--as-of", "2015-02-15")
	x := xlsxtest.Open(t, mustRead(t, out))
	if sheets := x.GetSheetList(); !slices.Contains(sheets, "Target") {
		t.Errorf("sheets %v: no Target", sheets)
	}
	cover := strings.Join(slices.Concat(xlsxtest.RawRows(t, x, "Ringkasan")...), "|")
	for _, want := range []string{"Dibandingkan dengan periode sebelumnya", "3 Oktober 2014 – 31 Desember 2014", "Perubahan"} {
		if !strings.Contains(cover, want) {
			t.Errorf("the cover lacks %q: %s", want, cover)
		}
	}
	if _, errs, code := c.run("export", "--out", out, "--compare", "year"); code != 2 || !strings.Contains(errs, "from and to") {
		t.Errorf("export --compare without a period: exit %d: %s", code, errs)
	}
}

func compact(t *testing.T, b []byte) string {
	t.Helper()
	var v any
	if err := json.Unmarshal(b, &v); err != nil {
		t.Fatal(err)
	}
	out, _ := json.Marshal(v)
	return string(out)
}
