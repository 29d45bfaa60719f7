package dashboard_test

// Tests of the JSON API and the CSV downloads: filters reach every chart,
// charts agree with the summary, invalid filters and unknown charts are
// clear errors; and of what every response carries: security headers,
// gzip, hashed and immutable static files.

import (
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"encoding/csv"
	"encoding/hex"
	"encoding/json"
	"io"
	"math"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"pantau/queries"
)

// htChart is the JSON of GET /api/v1/charts/{id}.
type htChart struct {
	ID     string          `json:"id"`
	Title  string          `json:"title"`
	Option json.RawMessage `json:"option"`
	Empty  bool            `json:"empty"`
}

// htOption is the part of an ECharts option the tests read.
type htOption struct {
	Series []struct {
		Name string          `json:"name"`
		Data json.RawMessage `json:"data"`
	} `json:"series"`
	YAxis []struct {
		Data []string `json:"data"`
	} `json:"yAxis"`
}

func (e *testEnv) htChart(c *http.Client, id, query string) (htChart, htOption) {
	e.t.Helper()
	body := e.get(c, withQ("/api/v1/charts/"+id, query), http.StatusOK)
	var ch htChart
	if err := json.Unmarshal([]byte(body), &ch); err != nil {
		e.t.Fatalf("chart %s?%s: %v\n%.300s", id, query, err, body)
	}
	var o htOption
	if err := json.Unmarshal(ch.Option, &o); err != nil {
		e.t.Fatalf("chart %s?%s option: %v", id, query, err)
	}
	if ch.ID != id || ch.Title == "" {
		e.t.Errorf("chart %s?%s: id %q, title %q", id, query, ch.ID, ch.Title)
	}
	return ch, o
}

func (e *testEnv) htCSV(c *http.Client, id, query string) [][]string {
	e.t.Helper()
	r := e.htDo(c, "GET", withQ("/api/v1/charts/"+id+"/csv", query), nil)
	if r.status != http.StatusOK {
		e.t.Fatalf("csv %s?%s: status %d", id, query, r.status)
	}
	if ct := r.header.Get("Content-Type"); ct != "text/csv; charset=utf-8" {
		e.t.Errorf("csv %s: Content-Type %q", id, ct)
	}
	if cd := r.header.Get("Content-Disposition"); cd != `attachment; filename="pantau-`+id+`.csv"` {
		e.t.Errorf("csv %s: Content-Disposition %q", id, cd)
	}
	body, ok := strings.CutPrefix(r.body, "\ufeff")
	if !ok {
		e.t.Errorf("csv %s: no UTF-8 byte order mark", id)
	}
	recs, err := csv.NewReader(strings.NewReader(body)).ReadAll()
	if err != nil {
		e.t.Fatalf("csv %s: %v", id, err)
	}
	return recs
}

func withQ(path, query string) string {
	if query == "" {
		return path
	}
	return path + "?" + query
}

func (e *testEnv) htSummary(c *http.Client, query string) queries.Summary {
	e.t.Helper()
	var s queries.Summary
	if err := json.Unmarshal([]byte(e.get(c, withQ("/api/v1/summary", query), http.StatusOK)), &s); err != nil {
		e.t.Fatal(err)
	}
	return s
}

// Every chart shows the filter: its series and its table change when a
// region is chosen, and a filter matching nothing leaves every chart empty.
func TestFiltersReachEveryChart(t *testing.T) {
	env := newTestEnv(t, envOptions{samples: true})
	c := env.login("viewer")
	const jember, pacitan = "region=Kab.+Jember", "region=Kab.+Pacitan" // Pacitan: no data in the samples
	for _, id := range htAllCharts {
		t.Run(id, func(t *testing.T) {
			all, allOpt := env.htChart(c, id, "")
			one, oneOpt := env.htChart(c, id, jember)
			none, _ := env.htChart(c, id, pacitan)
			if all.Empty || one.Empty {
				t.Errorf("empty: all %v, Kab. Jember %v; want data in both", all.Empty, one.Empty)
			}
			if !none.Empty {
				t.Errorf("Kab. Pacitan: empty false, want true")
			}
			a, _ := json.Marshal(allOpt.Series)
			b, _ := json.Marshal(oneOpt.Series)
			if len(allOpt.Series) == 0 || bytes.Equal(a, b) {
				t.Errorf("series equal with and without the region filter: %.300s", a)
			}
			allCSV, oneCSV := env.htCSV(c, id, ""), env.htCSV(c, id, jember)
			if len(allCSV) < 2 || len(oneCSV) < 2 {
				t.Errorf("CSV without rows: %d and %d lines", len(allCSV), len(oneCSV))
			} else if strings.Join(allCSV[0], ",") != strings.Join(oneCSV[0], ",") && id != "problems-by-work-type" && id != "problems-by-gender" {
				t.Errorf("CSV header changes with the filter: %q vs %q", allCSV[0], oneCSV[0])
			}
			if join(allCSV[1:]) == join(oneCSV[1:]) {
				t.Errorf("CSV rows equal with and without the region filter")
			}
		})
	}
	// The page for a filter matching nothing says so.
	if page := env.get(c, "/problems?"+pacitan, http.StatusOK); !strings.Contains(page, `class="empty-page"`) || strings.Contains(page, "data-chart=") {
		t.Errorf("/problems for Kab. Pacitan: no empty-page message, or charts drawn")
	}
}

func join(recs [][]string) string {
	var b strings.Builder
	for _, r := range recs {
		b.WriteString(strings.Join(r, "\x1f") + "\n")
	}
	return b.String()
}

// The charts draw the summary's numbers.
func TestChartsAgreeWithSummary(t *testing.T) {
	env := newTestEnv(t, envOptions{samples: true})
	c := env.login("viewer")
	for _, query := range []string{"", "region=Kab.+Jember&region=Kota+Malang", "gender=P", "work_type=SE&from=2014-10-01"} {
		t.Run(query, func(t *testing.T) {
			sum := env.htSummary(c, query)

			// facilitators-by-region: one category per region, stacks P, L, unknown.
			_, o := env.htChart(c, "facilitators-by-region", query)
			var regions []string
			var want [3][]int
			for _, r := range sum.Facilitators.ByRegion {
				regions = append(regions, r.Region)
				want[0], want[1], want[2] = append(want[0], r.Female), append(want[1], r.Male), append(want[2], r.Unknown)
			}
			if len(o.YAxis) != 1 || strings.Join(o.YAxis[0].Data, "|") != strings.Join(regions, "|") {
				t.Errorf("facilitators-by-region categories %v, want %v", o.YAxis, regions)
			}
			if len(o.Series) != 3 {
				t.Fatalf("facilitators-by-region: %d series, want 3", len(o.Series))
			}
			for i, s := range o.Series {
				var data []struct{ Value int }
				if err := json.Unmarshal(s.Data, &data); err != nil {
					t.Fatal(err)
				}
				var got []int
				for _, d := range data {
					got = append(got, d.Value)
				}
				if !equalInts(got, want[i]) {
					t.Errorf("facilitators-by-region series %q: %v, want %v", s.Name, got, want[i])
				}
			}
			csvRows := env.htCSV(c, "facilitators-by-region", query)[1:]
			if len(csvRows) != len(sum.Facilitators.ByRegion) {
				t.Errorf("facilitators-by-region CSV: %d rows, want %d", len(csvRows), len(sum.Facilitators.ByRegion))
			}
			for i, r := range sum.Facilitators.ByRegion {
				if i < len(csvRows) && strings.Join(csvRows[i], ",") != strings.Join([]string{r.Region, itoaT(r.Female), itoaT(r.Male), itoaT(r.Unknown), itoaT(r.Total)}, ",") {
					t.Errorf("facilitators-by-region CSV row %d: %q, want %+v", i, csvRows[i], r)
				}
			}

			// problem-prevalence: the nine shares as percentages, one decimal.
			_, o = env.htChart(c, "problem-prevalence", query)
			var data []struct{ Value any }
			if err := json.Unmarshal(o.Series[0].Data, &data); err != nil {
				t.Fatal(err)
			}
			if len(data) != len(sum.Problems) || len(data) != 9 {
				t.Fatalf("problem-prevalence: %d values, want 9", len(data))
			}
			for i, p := range sum.Problems {
				var want any = "-"
				if p.Share != nil {
					want = math.Round(*p.Share*1000) / 10
				}
				if data[i].Value != want {
					t.Errorf("problem %s: %v, want %v", p.Code, data[i].Value, want)
				}
			}
			csvRows = env.htCSV(c, "problem-prevalence", query)[1:]
			for i, p := range sum.Problems {
				if csvRows[i][1] != itoaT(p.Yes) || csvRows[i][2] != itoaT(p.Answered) {
					t.Errorf("problem-prevalence CSV row %d: %q, want yes %d answered %d", i, csvRows[i], p.Yes, p.Answered)
				}
			}

			// organizing-funnel: groups per stage.
			_, o = env.htChart(c, "organizing-funnel", query)
			var funnel []struct{ Value int }
			if err := json.Unmarshal(o.Series[0].Data, &funnel); err != nil {
				t.Fatal(err)
			}
			for i, st := range sum.Organizing.Funnel {
				if i >= len(funnel) || funnel[i].Value != st.Groups {
					t.Errorf("funnel stage %d: %v, want %d", st.Stage, funnel, st.Groups)
					break
				}
			}
		})
	}
}

func equalInts(a, b []int) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

func itoaT(n int) string { b, _ := json.Marshal(n); return string(b) }

func TestInvalidFilters(t *testing.T) {
	env := newTestEnv(t, envOptions{})
	// Messages follow the language: Bahasa Indonesia by default.
	id := env.login("viewer")
	if r := env.htDo(id, "GET", "/api/v1/summary?gender=X", nil); r.status != 400 || !strings.Contains(r.body, `Saringan tidak valid: jenis kelamin \"X\"`) {
		t.Errorf("Indonesian: status %d: %.300s", r.status, r.body)
	}
	if r := env.htDo(id, "GET", "/organizing?from=2015-01-01&to=2014-01-01", nil); r.status != 400 || !strings.Contains(r.body, "periode berakhir (2014-01-01) sebelum dimulai (2015-01-01)") {
		t.Errorf("Indonesian page: status %d: %.300s", r.status, r.body)
	}
	c := env.login("viewer")
	env.get(c, "/help?lang=en", http.StatusOK)
	tests := []struct {
		path   string
		status int
		want   string // in the message
	}{
		{"/api/v1/summary?gender=X", 400, `gender "X"`},
		{"/api/v1/summary?work_type=XX", 400, `work type "XX"`},
		{"/api/v1/summary?from=notadate", 400, `from "notadate"`},
		{"/api/v1/summary?to=2014-13-45", 400, `to "2014-13-45"`},
		{"/api/v1/summary?from=2015-01-01&to=2014-01-01", 400, "before it starts"},
		{"/api/v1/summary?region=Atlantis", 400, `region "Atlantis"`},
		{"/api/v1/summary?region=Malang", 400, "ambiguous"},
		{"/api/v1/charts/problem-prevalence?gender=X", 400, `gender "X"`},
		{"/api/v1/charts/wage-vs-umk/csv?from=notadate", 400, `from "notadate"`},
		{"/api/v1/charts/no-such-chart", 404, `no chart "no-such-chart"`},
		{"/api/v1/charts/no-such-chart/csv", 404, `no chart "no-such-chart"`},
		{"/", 200, ""}, // the control: valid, no filter
		{"/?gender=X", 400, `gender &#34;X&#34;`},
		{"/problems?from=notadate", 400, `from &#34;notadate&#34;`},
		{"/organizing?from=2015-01-01&to=2014-01-01", 400, "before it starts"},
		{"/facilitators?gender=%3Cb%3EX", 400, `gender &#34;&lt;b&gt;X&#34;`},
	}
	for _, tt := range tests {
		r := env.htDo(c, "GET", tt.path, nil)
		if r.status != tt.status {
			t.Errorf("GET %s: status %d, want %d: %.300s", tt.path, r.status, tt.status, r.body)
			continue
		}
		if tt.status == 200 {
			continue
		}
		ct := r.header.Get("Content-Type")
		if strings.HasPrefix(tt.path, "/api/") {
			var e struct {
				Error struct {
					Status  int    `json:"status"`
					Message string `json:"message"`
				} `json:"error"`
			}
			if err := json.Unmarshal([]byte(r.body), &e); err != nil || !strings.HasPrefix(ct, "application/json") {
				t.Errorf("GET %s: not a JSON error (%s, %v): %.300s", tt.path, ct, err, r.body)
			}
			if e.Error.Status != tt.status || !strings.Contains(e.Error.Message, tt.want) {
				t.Errorf("GET %s: error %+v, want status %d and a message with %q", tt.path, e.Error, tt.status, tt.want)
			}
		} else {
			if !strings.HasPrefix(ct, "text/html") || !strings.Contains(r.body, "<!doctype html>") {
				t.Errorf("GET %s: not an HTML page (%s): %.300s", tt.path, ct, r.body)
			}
			if !strings.Contains(r.body, tt.want) {
				t.Errorf("GET %s: page does not say %q: %.3000s", tt.path, tt.want, r.body)
			}
		}
	}
}

func TestHealthz(t *testing.T) {
	env := newTestEnv(t, envOptions{})
	r := env.htDo(env.client(), "GET", "/healthz", nil)
	if r.status != 200 || !strings.HasPrefix(r.header.Get("Content-Type"), "application/json") || strings.TrimSpace(r.body) != `{"status":"ok"}` {
		t.Errorf("GET /healthz: %d %s %q", r.status, r.header.Get("Content-Type"), r.body)
	}
}

func TestSecurityHeaders(t *testing.T) {
	env := newTestEnv(t, envOptions{samples: true})
	c := env.login("viewer")
	for _, path := range []string{"/", "/login", "/api/v1/summary", "/api/v1/charts/no-such-chart", "/api/v1/charts/staff-by-role/csv"} {
		r := env.htDo(c, "GET", path, nil)
		h := r.header
		for _, kv := range [][2]string{{"X-Content-Type-Options", "nosniff"}, {"X-Frame-Options", "DENY"}, {"Referrer-Policy", "same-origin"}} {
			if got := h.Get(kv[0]); got != kv[1] {
				t.Errorf("%s: %s %q, want %q", path, kv[0], got, kv[1])
			}
		}
		directives := map[string]string{}
		for _, d := range strings.Split(h.Get("Content-Security-Policy"), ";") {
			name, value, _ := strings.Cut(strings.TrimSpace(d), " ")
			directives[name] = value
		}
		if got := directives["script-src"]; got != "'self'" {
			t.Errorf("%s: script-src %q, want only 'self' (no 'unsafe-inline', no other host)", path, got)
		}
		for _, d := range []string{"default-src", "frame-ancestors", "base-uri"} {
			if got := directives[d]; got != "'none'" {
				t.Errorf("%s: %s %q, want 'none'", path, d, got)
			}
		}
		if strings.HasPrefix(h.Get("Content-Type"), "text/html") && h.Get("Cache-Control") != "no-store" {
			t.Errorf("%s: page Cache-Control %q, want no-store", path, h.Get("Cache-Control"))
		}
	}
	// The pages hold no inline script for the CSP to forbid: every script is a /static file.
	for _, path := range []string{"/", "/facilitators", "/problems", "/organizing", "/help", "/login"} {
		who := c
		if path == "/login" {
			who = env.client()
		}
		page := env.get(who, path, http.StatusOK)
		for _, tag := range regexp.MustCompile(`(?i)<script[^>]*>`).FindAllString(page, -1) {
			if !regexp.MustCompile(`^<script src="/static/[0-9a-f]{12}/[a-z./]+\.js" defer>$`).MatchString(tag) {
				t.Errorf("%s: script tag %q is not a deferred /static script", path, tag)
			}
		}
	}
}

func gunzip(t *testing.T, body string) []byte {
	t.Helper()
	zr, err := gzip.NewReader(strings.NewReader(body))
	if err != nil {
		t.Fatalf("not gzip: %v", err)
	}
	b, err := io.ReadAll(zr)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestGzipAndStaticFiles(t *testing.T) {
	env := newTestEnv(t, envOptions{samples: true})
	c := env.login("viewer")
	// Pages carry the CSRF token beside text a link chooses: never
	// compressed (BREACH). Chart JSON is.
	page := env.htDo(c, "GET", "/problems", nil, "Accept-Encoding", "gzip")
	if page.status != 200 || page.header.Get("Content-Encoding") != "" {
		t.Fatalf("page with Accept-Encoding: gzip: status %d, Content-Encoding %q", page.status, page.header.Get("Content-Encoding"))
	}
	html := page.body
	if !strings.HasPrefix(html, "<!doctype html>") {
		t.Errorf("page: %.100q", html)
	}
	chart := env.htDo(c, "GET", "/api/v1/charts/problems-by-region", nil, "Accept-Encoding", "gzip")
	if chart.status != 200 || chart.header.Get("Content-Encoding") != "gzip" || !json.Valid(gunzip(t, chart.body)) {
		t.Errorf("chart JSON with Accept-Encoding: gzip: status %d, Content-Encoding %q", chart.status, chart.header.Get("Content-Encoding"))
	}

	links := regexp.MustCompile(`(?:src|href)="/static/([0-9a-f]+)/([^"]+)"`).FindAllStringSubmatch(html, -1)
	names := map[string]string{}
	for _, m := range links {
		names[m[2]] = m[1]
	}
	for _, name := range []string{"app.js", "app.css", "vendor/echarts.min.js"} {
		hash, ok := names[name]
		if !ok {
			t.Errorf("the page does not link %s: %v", name, links)
			continue
		}
		anon := env.client() // static files need no login: the login page uses them
		r := env.htDo(anon, "GET", "/static/"+hash+"/"+name, nil, "Accept-Encoding", "gzip")
		if r.status != 200 {
			t.Errorf("%s: status %d", name, r.status)
			continue
		}
		if got := r.header.Get("Cache-Control"); got != "public, max-age=31536000, immutable" {
			t.Errorf("%s: Cache-Control %q", name, got)
		}
		if r.header.Get("Content-Encoding") != "gzip" {
			t.Errorf("%s: Content-Encoding %q, want gzip", name, r.header.Get("Content-Encoding"))
			continue
		}
		body := gunzip(t, r.body)
		sum := sha256.Sum256(body)
		if want := hex.EncodeToString(sum[:])[:len(hash)]; hash != want || len(hash) < 12 {
			t.Errorf("%s: URL hash %s, content hash %s", name, hash, want)
		}
		wantType := map[string]string{"app.css": "text/css; charset=utf-8"}[name]
		if wantType == "" {
			wantType = "text/javascript; charset=utf-8"
		}
		if got := r.header.Get("Content-Type"); got != wantType {
			t.Errorf("%s: Content-Type %q, want %q", name, got, wantType)
		}
		if len(r.body) >= len(body) {
			t.Errorf("%s: gzip did not shrink it: %d >= %d bytes", name, len(r.body), len(body))
		}
		for _, bad := range []string{
			"/static/000000000000/" + name,
			"/static/" + hash + "/" + name + ".map",
			"/static/" + hash + "/../" + name,
			"/static/" + hash + "/",
			"/static/" + hash + "/" + url.PathEscape("../static.go"),
		} {
			if r := env.htDo(anon, "GET", bad, nil); r.status != 404 {
				t.Errorf("GET %s: status %d, want 404", bad, r.status)
			}
		}
	}
}

// A filter part a figure cannot apply is said beside it, never silently dropped.
func TestFilterPartsNotAppliedAreSaid(t *testing.T) {
	env := newTestEnv(t, envOptions{samples: true})
	c := env.login("viewer")
	notes := regexp.MustCompile(`data-not-applied="([a-z-]+)"`)
	tests := []struct {
		path string
		want []string // charts with a note
		text string
	}{
		{"/facilitators?work_type=SE", []string{"facilitators-by-region", "staff-by-role"}, "Saringan jenis pekerjaan tidak berlaku untuk grafik ini."},
		{"/organizing?gender=P&work_type=POS", []string{"organizing-funnel", "groups-by-region-stage", "groups-formed-by-month", "members-by-region"},
			"Saringan jenis kelamin dan jenis pekerjaan tidak berlaku untuk grafik ini."},
		{"/problems?gender=P&work_type=POS&from=2014-10-01", nil, ""},
		{"/?from=2014-10-01", []string{"facilitators-by-region"}, "Saringan periode survei tidak berlaku untuk angka fasilitator."},
		{"/organizing?region=Kab.+Jember", nil, ""},
	}
	for _, tt := range tests {
		body := env.get(c, tt.path, http.StatusOK)
		var got []string
		for _, m := range notes.FindAllStringSubmatch(body, -1) {
			got = append(got, m[1])
		}
		if strings.Join(got, ",") != strings.Join(tt.want, ",") {
			t.Errorf("%s: notes on %v, want %v", tt.path, got, tt.want)
		}
		if tt.text != "" && !strings.Contains(body, tt.text) {
			t.Errorf("%s: page does not say %q", tt.path, tt.text)
		}
	}
}

// go-echarts appends every grid a chart is given and the series use the
// first: a chart with two would silently lose its own layout.
func TestEveryChartHasOneGrid(t *testing.T) {
	env := newTestEnv(t, envOptions{samples: true})
	c := env.login("viewer")
	for _, id := range htAllCharts {
		var ch struct {
			Option struct {
				Grid   []json.RawMessage `json:"grid"`
				Series []struct {
					Type string `json:"type"`
				} `json:"series"`
			} `json:"option"`
		}
		if err := json.Unmarshal([]byte(env.get(c, "/api/v1/charts/"+id, http.StatusOK)), &ch); err != nil {
			t.Fatal(err)
		}
		want := 1
		if ch.Option.Series[0].Type == "funnel" {
			want = 0
		}
		if len(ch.Option.Grid) != want {
			t.Errorf("%s: %d grids, want %d", id, len(ch.Option.Grid), want)
		}
	}
}
