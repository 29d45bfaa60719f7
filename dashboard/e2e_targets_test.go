package dashboard_test

import (
	"bytes"
	"encoding/json"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"pantau/sampledata"
)

// TestE2ETargetsAndComparison is issue 12 as a person meets it: the data
// division uploads the targets workbook through the upload page and
// imports it; /targets shows each target's status, the same as the API
// says; a different as-of date in the form changes statuses; on the
// overview, the comparison selector changes what the tiles compare with.
func TestE2ETargetsAndComparison(t *testing.T) {
	env := newTestEnv(t, envOptions{samples: true})
	b := newBrowser(t, env)
	ctx := b.ctx
	dir := screenshotDir(t)
	viewer := env.login("viewer")
	b.login(ctx, "uploader")

	var target bytes.Buffer
	if err := sampledata.WriteTargets(&target); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "target.xlsx")
	if err := os.WriteFile(path, target.Bytes(), 0o600); err != nil {
		t.Fatal(err)
	}
	b.uploadThroughPage(ctx, path, "ready")
	b.click(ctx, "#commit")
	b.waitFor(ctx, "the commit", `document.getElementById("upload-state").dataset.state === "committed"`)

	// statuses are the page's statuses, in its order, and the API's.
	statuses := func(asOf string) (page, api []string) {
		t.Helper()
		page = eval[[]string](b, ctx, `[...document.querySelectorAll("section.targets tr[data-status]")].map(tr => tr.dataset.status)`)
		var r struct {
			Targets []struct{ Status string } `json:"targets"`
		}
		if err := json.Unmarshal([]byte(env.get(viewer, "/api/v1/targets?as_of="+asOf, http.StatusOK)), &r); err != nil {
			t.Fatal(err)
		}
		for _, x := range r.Targets {
			api = append(api, x.Status)
		}
		return page, api
	}
	b.navigate(ctx, "/targets?as_of=2015-12-31")
	b.waitCharts(ctx)
	ended, api := statuses("2015-12-31")
	if len(ended) != 180 || !slices.Equal(ended, api) {
		t.Fatalf("as of 2015-12-31 the page shows %d statuses, the API %d; equal: %v", len(ended), len(api), slices.Equal(ended, api))
	}
	for _, s := range []string{"met", "near", "behind"} {
		if !slices.Contains(ended, s) {
			t.Errorf("as of 2015-12-31 no target is %s", s)
		}
	}
	// The table is grouped by indicator, each with its statuses counted.
	groups := eval[[]string](b, ctx, `[...document.querySelectorAll("details.target-group")].map(d => d.dataset.indicator + ": " + d.querySelector(".counts").textContent)`)
	if len(groups) != 4 || !strings.HasPrefix(groups[0], "responden: ") || !strings.Contains(groups[0], "tercapai") {
		t.Errorf("groups %q, want the sample's four indicators with their counts", groups)
	}
	b.do(ctx, chromedp.Click(chromedp.CSS(`details.target-group[data-indicator="responden"] summary`)))
	if !eval[bool](b, ctx, `document.querySelector('details.target-group[data-indicator="responden"]').open`) {
		t.Error("clicking the indicator does not open its targets")
	}
	b.screenshot(ctx, dir, "targets-grouped")

	// Another as-of date, chosen in the form (a date applies at once).
	b.changeSelect(ctx, `#filters input[name="as_of"]`, "2015-05-15")
	if got := eval[string](b, ctx, `location.search`); !strings.Contains(got, "as_of=2015-05-15") {
		t.Fatalf("after the form: %s", got)
	}
	b.waitCharts(ctx)
	midway, api := statuses("2015-05-15")
	if !slices.Equal(midway, api) {
		t.Errorf("as of 2015-05-15 the page and the API differ:\n%v\n%v", midway, api)
	}
	if !slices.Contains(midway, "not_started") || slices.Equal(midway, ended) {
		t.Errorf("the as-of date changed no status (not started: %v)", slices.Contains(midway, "not_started"))
	}

	// The overview with a period compares it with the previous one.
	b.navigate(ctx, "/?from=2015-04-01&to=2015-06-30")
	b.waitCharts(ctx)
	type tile struct{ Value, Change, Direction string }
	tiles := func() map[string]tile {
		return eval[map[string]tile](b, ctx, `Object.fromEntries([...document.querySelectorAll(".kpi")].map(k => [k.dataset.kpi, {
			Value: k.querySelector(".value").textContent.trim(),
			Change: (k.querySelector(".change") || {textContent: ""}).textContent.replace(/\s+/g, " ").trim(),
			Direction: (k.querySelector(".change") || {dataset: {}}).dataset.change || ""}]))`)
	}
	previous := tiles()
	if got := eval[string](b, ctx, `document.querySelector('select[name="compare"]').value`); got != "previous" {
		t.Errorf("the selector shows %q, want previous (the default)", got)
	}
	resp := previous["respondents"]
	if resp.Value == "" || !strings.Contains(resp.Change, "sebelumnya:") || resp.Direction == "" {
		t.Errorf("respondents tile %+v: want the earlier value and a direction", resp)
	}
	if !strings.Contains(resp.Change, map[string]string{"up": "naik", "down": "turun", "same": "tetap"}[resp.Direction]) {
		t.Errorf("respondents tile %+v: the direction is not in words", resp)
	}
	if tr := previous["on-track"]; !strings.Contains(tr.Value, "dari") {
		t.Errorf("on-track tile %+v", tr)
	}
	if href := eval[string](b, ctx, `document.querySelector('[data-kpi="on-track"] a').getAttribute("href")`); href != "/targets?from=2015-04-01&to=2015-06-30" {
		t.Errorf("the on-track tile leads to %q", href)
	}
	// The respondents per month: the earlier period dashed beside the bars.
	dashed := eval[[]string](b, ctx, `echarts.getInstanceByDom(document.querySelector('[data-chart="respondents-by-month"]')).getOption().series.map(s => s.type + ":" + ((s.lineStyle || {}).type || ""))`)
	if !slices.Equal(dashed, []string{"bar:", "line:dashed"}) {
		t.Errorf("respondents-by-month series %v, want bars and a dashed line", dashed)
	}
	b.screenshot(ctx, dir, "overview-compared")

	b.changeSelect(ctx, `select[name="compare"]`, "year")
	if got := eval[string](b, ctx, `location.search`); !strings.Contains(got, "compare=year") {
		t.Errorf("after choosing a year earlier: %s", got)
	}
	year := tiles()
	if year["respondents"].Value != resp.Value || year["respondents"].Change == resp.Change {
		t.Errorf("a year earlier: respondents tile %+v, previous period %+v: want the same value, another comparison", year["respondents"], resp)
	}
	b.changeSelect(ctx, `select[name="compare"]`, "none")
	for key, tl := range tiles() {
		if tl.Change != "" {
			t.Errorf("no comparison: tile %s still shows %q", key, tl.Change)
		}
	}
}
