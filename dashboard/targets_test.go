package dashboard_test

import (
	"encoding/json"
	"net/http"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"
)

// TestTargetsPage checks /targets against GET /api/v1/targets for the
// sample data and the sample targets: the same targets with the same
// statuses, in words and with a symbol; the as-of date in the URL; the
// filters that do not apply named; the empty state with the template.
func TestTargetsPage(t *testing.T) {
	env := newTestEnv(t, envOptions{samples: true})
	env.loadTargets()
	c := env.login("viewer")

	// One view, one URL: without a date, today's; the date always in it.
	resp, err := c.Get(env.URL + "/targets")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	today := env.clock.Now().Format(time.DateOnly)
	if loc := resp.Header.Get("Location"); resp.StatusCode != http.StatusSeeOther || loc != "/targets?as_of="+today {
		t.Errorf("GET /targets: %d to %q, want 303 to /targets?as_of=%s", resp.StatusCode, loc, today)
	}
	env.get(c, "/targets?as_of=kemarin", http.StatusBadRequest)

	for _, asOf := range []string{"2015-02-15", "2015-12-31", today} {
		page := env.get(c, "/targets?as_of="+asOf, http.StatusOK)
		var api struct {
			Targets []struct{ Indicator, Status string }
		}
		if err := json.Unmarshal([]byte(env.get(c, "/api/v1/targets?as_of="+asOf, http.StatusOK)), &api); err != nil {
			t.Fatal(err)
		}
		var want []string
		for _, tg := range api.Targets {
			want = append(want, tg.Status)
		}
		var got []string
		for _, m := range regexp.MustCompile(`<tr data-status="([a-z_]+)">`).FindAllStringSubmatch(page, -1) {
			got = append(got, m[1])
		}
		if len(want) == 0 || !slices.Equal(got, want) {
			t.Errorf("as of %s: the page's statuses %v, the API's %v", asOf, got, want)
		}
		if len(slices.Compact(slices.Sorted(slices.Values(want)))) < 2 {
			t.Errorf("as of %s: the samples judge every target %v: the test needs several statuses", asOf, want)
		}
		for _, s := range []string{`value="` + asOf + `"`, `name="as_of"`, "tercapai", "✓", `data-chart="targets-responden"`,
			`/api/v1/targets/charts/responden?as_of=` + asOf} {
			if !strings.Contains(page, s) {
				t.Errorf("as of %s: the page lacks %q", asOf, s)
			}
		}
		var chart struct {
			ID     string
			Empty  bool
			Option struct{ Series []struct{ Type, Name string } }
		}
		if err := json.Unmarshal([]byte(env.get(c, "/api/v1/targets/charts/responden?as_of="+asOf, http.StatusOK)), &chart); err != nil {
			t.Fatal(err)
		}
		var types []string
		for _, s := range chart.Option.Series {
			types = append(types, s.Type)
		}
		if chart.ID != "targets-responden" || chart.Empty || !slices.Contains(types, "bar") || !slices.Contains(types, "scatter") {
			t.Errorf("as of %s: chart %+v, want bars and a target marker", asOf, chart)
		}
	}
	env.get(c, "/api/v1/targets/charts/no_such_indicator?as_of=2015-02-15", http.StatusNotFound)

	page := env.get(c, "/targets?as_of=2015-02-15&gender=P", http.StatusOK)
	if !strings.Contains(page, `data-not-applied="targets"`) {
		t.Error("with a gender filter, the page does not say it does not apply to targets")
	}
	page = env.get(c, "/targets?as_of=2015-02-15&from=2030-01-01", http.StatusOK)
	if !strings.Contains(page, `href="/templates/target.xlsx"`) || strings.Contains(page, "data-status=") {
		t.Error("with no target in the filter's period, no empty state with the template link")
	}
}
