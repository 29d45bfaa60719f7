package dashboard_test

// End-to-end tests in a real browser: Debian's headless chromium, driven by
// chromedp, against the real server over a real DuckDB file with the sample
// workbooks. They do what a person does: log in through the form, open every
// page, change the filter, switch the language; and they check what the
// person sees against the JSON API.
//
// Screenshots of every page, at 1366x768 and at a phone's 390x844, go to a
// temporary folder, or to dashboard/testdata/screenshots with
//
//	PANTAU_SCREENSHOTS=1 go test -count=1 -run E2E ./dashboard/
//
// (PANTAU_SCREENSHOTS=/some/dir writes them there.)

import (
	"context"
	"encoding/json"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	cdplog "github.com/chromedp/cdproto/log"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"

	"pantau/ingest/xlsx/xlsxtest"
)

const (
	chromiumPath = "/usr/bin/chromium"
	e2eTimeout   = 3 * time.Minute
)

// Hostile text, uploaded before the browser visits: none of it may run.
const (
	evilName    = `<script>window.__pwned=2</script>`
	evilProduct = `<img src=x onerror="window.__pwned=1">`
	evilGroup   = `<svg onload="window.__pwned=3">`
	evilRegion  = `Kota <img src=x onerror=window.__pwned=4>`
)

// e2ePages are the pages a logged-in admin can open, with the charts each
// dashboard draws (see sections in pages.go).
var e2ePages = []struct {
	name, path string
	charts     []string
}{
	{"overview", "/", []string{"facilitators-by-region", "problem-prevalence", "organizing-funnel", "respondents-by-month"}},
	{"facilitators", "/facilitators", []string{"facilitators-by-region", "staff-by-role"}},
	{"problems", "/problems", []string{"problem-prevalence", "problems-by-region", "problems-by-work-type",
		"problems-by-gender", "respondents-by-product", "wage-vs-umk"}},
	{"organizing", "/organizing", []string{"organizing-funnel", "groups-by-region-stage", "groups-formed-by-month", "members-by-region"}},
	{"targets", "/targets", []string{"targets-responden", "targets-kelompok_terbentuk", "targets-anggota", "targets-masalah_h"}},
	{"quality", "/quality", []string{"quality-regions", "quality-facilitators", "quality-timeliness"}},
	{"help", "/help", nil},
	{"users", "/admin/users", nil},
	{"account", "/account", nil},
}

// ------------------------------------------------------------------ browser

// e2eBrowser is one headless chromium for one test, and what its tabs saw.
type e2eBrowser struct {
	t   *testing.T
	env *testEnv
	ctx context.Context // the first tab

	mu       sync.Mutex
	requests []string            // every URL any tab asked for
	problems []string            // exceptions, console errors, error log entries
	finished map[string]float64  // request id -> encoded bytes, for the page-weight tab
	pending  map[string]struct{} // requests of the page-weight tab not finished yet
}

// newBrowser starts chromium for t, bounded by e2eTimeout. Without chromium
// the test skips, except on CI, where it fails.
func newBrowser(t *testing.T, env *testEnv) *e2eBrowser {
	t.Helper()
	if _, err := os.Stat(chromiumPath); err != nil {
		if os.Getenv("CI") != "" {
			t.Fatalf("chromium is required on CI: %v", err)
		}
		t.Skipf("no chromium: %v", err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), e2eTimeout)
	t.Cleanup(cancel)
	opts := []chromedp.ExecAllocatorOption{
		chromedp.ExecPath(chromiumPath),
		chromedp.NoFirstRun, chromedp.NoDefaultBrowserCheck,
		chromedp.Headless, chromedp.NoSandbox, chromedp.DisableGPU,
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-dev-shm-usage", true),
		chromedp.Flag("disable-extensions", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-default-apps", true),
		chromedp.Flag("disable-features", "Translate,OptimizationHints,MediaRouter"),
		chromedp.Flag("hide-scrollbars", true),
		chromedp.Flag("force-color-profile", "srgb"),
		chromedp.WindowSize(1366, 768),
	}
	allocCtx, cancelAlloc := chromedp.NewExecAllocator(ctx, opts...)
	t.Cleanup(cancelAlloc)
	tabCtx, cancelTab := chromedp.NewContext(allocCtx)
	t.Cleanup(cancelTab)
	b := &e2eBrowser{t: t, env: env, ctx: tabCtx, finished: map[string]float64{}, pending: map[string]struct{}{}}
	b.watch(tabCtx, false)
	b.do(tabCtx, chromedp.EmulateViewport(1366, 768))
	t.Cleanup(b.checkClean)
	return b
}

// newTab opens another tab in the same browser (same cookies).
func (b *e2eBrowser) newTab(weigh bool) context.Context {
	ctx, cancel := chromedp.NewContext(b.ctx)
	b.t.Cleanup(cancel)
	b.watch(ctx, weigh)
	return ctx
}

// watch records a tab's requests, JS exceptions, console errors and error
// log entries (CSP violations among them). With weigh, it also counts the
// bytes each request transferred.
func (b *e2eBrowser) watch(ctx context.Context, weigh bool) {
	err := chromedp.Listen(ctx, func(ev any) {
		b.mu.Lock()
		defer b.mu.Unlock()
		switch ev := ev.(type) {
		case *network.EventRequestWillBeSent:
			b.requests = append(b.requests, ev.Request.URL)
			if weigh {
				b.pending[string(ev.RequestID)] = struct{}{}
			}
		case *network.EventLoadingFinished:
			if weigh {
				b.finished[string(ev.RequestID)] = ev.EncodedDataLength
				delete(b.pending, string(ev.RequestID))
			}
		case *network.EventLoadingFailed:
			if weigh {
				delete(b.pending, string(ev.RequestID))
			}
			b.problems = append(b.problems, fmt.Sprintf("request failed: %s %s", ev.Type, ev.ErrorText))
		case *runtime.EventExceptionThrown:
			d := ev.ExceptionDetails
			text := d.Text
			if d.Exception != nil && d.Exception.Description != "" {
				text += " " + d.Exception.Description
			}
			b.problems = append(b.problems, fmt.Sprintf("JS exception at %s:%d: %s", d.URL, d.LineNumber+1, text))
		case *runtime.EventConsoleAPICalled:
			if ev.Type == runtime.ConsoleAPICalledTypeError || ev.Type == runtime.ConsoleAPICalledTypeAssert ||
				ev.Type == runtime.ConsoleAPICalledTypeWarning {
				var args []string
				for _, a := range ev.Args {
					args = append(args, string(a.Value)+a.Description)
				}
				b.problems = append(b.problems, fmt.Sprintf("console.%s: %s", ev.Type, strings.Join(args, " ")))
			}
		case *cdplog.EventEntryAdded:
			e := ev.Entry
			if e.Level == cdplog.EntryLevelError || e.Level == cdplog.EntryLevelWarning ||
				strings.Contains(e.Text, "Content Security Policy") {
				b.problems = append(b.problems, fmt.Sprintf("browser log (%s, %s): %s %s", e.Level, e.Source, e.Text, e.URL))
			}
		}
	})
	if err != nil {
		b.t.Fatal(err)
	}
}

// checkClean runs when the test ends: no request left the test server, and
// no page threw, logged an error or broke the content security policy.
func (b *e2eBrowser) checkClean() {
	b.mu.Lock()
	defer b.mu.Unlock()
	if len(b.requests) == 0 {
		b.t.Error("no request was seen: is the network watch working?")
	}
	for _, u := range b.requests {
		if !strings.HasPrefix(u, b.env.URL+"/") && !strings.HasPrefix(u, "data:") && !strings.HasPrefix(u, "blob:") {
			b.t.Errorf("a request left the server: %s", u)
		}
	}
	for _, p := range b.problems {
		b.t.Errorf("in the browser: %s", p)
	}
}

func (b *e2eBrowser) do(ctx context.Context, actions ...chromedp.Action[chromedp.Void]) {
	b.t.Helper()
	if err := chromedp.Do(ctx, actions...); err != nil {
		b.t.Fatal(err)
	}
}

// eval runs a JS expression (a promise is awaited) and decodes its result,
// passed through JSON.stringify, into a T.
func eval[T any](b *e2eBrowser, ctx context.Context, expr string) T {
	b.t.Helper()
	var v T
	s, err := chromedp.Run(ctx, chromedp.Evaluate[string](
		`(async () => JSON.stringify(await (`+expr+`)))()`, chromedp.EvalAwaitPromise))
	if err != nil {
		b.t.Fatalf("eval %.80s: %v", expr, err)
	}
	if err := json.Unmarshal([]byte(s), &v); err != nil {
		b.t.Fatalf("eval %.80s: %v: %.300s", expr, err, s)
	}
	return v
}

// waitFor polls a JS expression until it is true, through navigations.
func (b *e2eBrowser) waitFor(ctx context.Context, what, expr string) {
	b.t.Helper()
	wctx, cancel := context.WithTimeout(ctx, 20*time.Second)
	defer cancel()
	var lastErr error
	for {
		ok, err := chromedp.Run(wctx, chromedp.Evaluate[bool](`!!(`+expr+`)`))
		if err == nil && ok {
			return
		}
		lastErr = err
		select {
		case <-wctx.Done():
			b.t.Fatalf("waiting for %s: %v (last error: %v)", what, wctx.Err(), lastErr)
		case <-time.After(50 * time.Millisecond):
		}
	}
}

// navigate opens path and waits for the page to finish loading.
func (b *e2eBrowser) navigate(ctx context.Context, path string) {
	b.t.Helper()
	b.do(ctx, chromedp.Navigate(b.env.URL+path))
	b.waitFor(ctx, "page load", `document.readyState === "complete"`)
}

// click clicks the first element sel matches and waits for the new page.
func (b *e2eBrowser) click(ctx context.Context, sel string) {
	b.t.Helper()
	b.do(ctx, chromedp.Evaluate[chromedp.Void](`window.__e2eOldPage = true`))
	b.do(ctx, chromedp.Click(chromedp.CSS(sel)))
	b.waitFor(ctx, "the page after clicking "+sel, `window.__e2eOldPage === undefined && document.readyState === "complete"`)
}

// changeSelect picks an option the way a person does, firing "change".
func (b *e2eBrowser) changeSelect(ctx context.Context, sel, value string) {
	b.t.Helper()
	b.do(ctx, chromedp.Evaluate[chromedp.Void](`window.__e2eOldPage = true`))
	b.do(ctx, chromedp.Evaluate[chromedp.Void](fmt.Sprintf(
		`(() => { const s = document.querySelector(%q); s.focus(); s.value = %q; s.dispatchEvent(new Event("change", {bubbles: true})); })()`, sel, value)))
	b.waitFor(ctx, "the page after choosing "+value, `window.__e2eOldPage === undefined && document.readyState === "complete"`)
}

// login logs in through the form as user and lands on the overview.
func (b *e2eBrowser) login(ctx context.Context, user string) {
	b.t.Helper()
	b.navigate(ctx, "/")
	if p := eval[string](b, ctx, `location.pathname`); p != "/login" {
		b.t.Fatalf("a visitor is sent to %s, want /login", p)
	}
	b.do(ctx,
		chromedp.SendKeys(chromedp.CSS("#username"), user),
		chromedp.SendKeys(chromedp.CSS("#password"), testPassword),
		chromedp.Evaluate[chromedp.Void](`window.__e2eOldPage = true`),
		chromedp.Click(chromedp.CSS(`.login button[type="submit"]`)),
	)
	b.waitFor(ctx, "the overview after login", `window.__e2eOldPage === undefined && document.readyState === "complete"`)
	if p := eval[string](b, ctx, `location.pathname + location.search`); p != "/" {
		b.t.Fatalf("after login at %s, want /", p)
	}
	b.do(ctx, chromedp.WaitVisible(chromedp.CSS(`section.kpis`)))
}

// ------------------------------------------------------------------ charts

// chartState is what a chart element says about its drawing.
type chartState struct {
	ID, Drawn, Text string
}

// waitCharts waits until every chart of the page is drawn (or failed) and
// fails the test for any that failed; it returns the chart ids in order.
func (b *e2eBrowser) waitCharts(ctx context.Context) []string {
	b.t.Helper()
	const states = `[...document.querySelectorAll(".chart-canvas[data-chart]")].map(el => ({ID: el.dataset.chart, Drawn: el.dataset.drawn || "", Text: el.dataset.drawn === "error" ? el.textContent : ""}))`
	b.waitFor(ctx, "the charts", `document.readyState === "complete" && `+states+`.every(s => s.Drawn !== "")`)
	var ids []string
	for _, s := range eval[[]chartState](b, ctx, states) {
		if s.Drawn != "true" {
			b.t.Errorf("%s: chart %s: data-drawn=%q %s", eval[string](b, ctx, "location.pathname"), s.ID, s.Drawn, s.Text)
		}
		ids = append(ids, s.ID)
	}
	return ids
}

// drawnChart is one chart as the browser drew it, next to what the API
// sends for it, with its table, CSV download and canvas.
type drawnChart struct {
	ID, Title    string
	Canvas       struct{ W, H, CW, CH float64 }
	Series       []drawnSeries
	API          []drawnSeries
	APITitle     string
	YAxis, XAxis [][]any
	SaveAsImage  bool
	TableRows    int
	CSV          struct {
		Status           int
		Type, Head, Name string
		Download         bool
	}
}

type drawnSeries struct {
	Type, Name string
	Data       []any
	Names      []any
}

const drawnChartsJS = `(async () => {
  const val = d => (d !== null && typeof d === "object" && !Array.isArray(d)) ? d.value : d;
  const series = ss => (ss || []).map(s => ({Type: s.type, Name: s.name, Data: (s.data || []).map(val), Names: (s.data || []).map(d => d && d.name !== undefined ? d.name : null)}));
  const axes = a => (a ? (Array.isArray(a) ? a : [a]) : []).map(x => x.data || null);
  const out = [];
  for (const el of document.querySelectorAll(".chart-canvas[data-chart]")) {
    const o = echarts.getInstanceByDom(el).getOption();
    const c = el.querySelector("canvas");
    const r = c ? c.getBoundingClientRect() : {width: 0, height: 0};
    const api = await (await fetch(el.dataset.src, {headers: {Accept: "application/json"}})).json();
    const fig = el.closest("figure");
    const link = fig.querySelector("a.csv");
    const resp = await fetch(link.href);
    const text = await resp.text();
    const tb = o.toolbox && o.toolbox[0];
    out.push({
      ID: el.dataset.chart,
      Title: (o.title && o.title[0] && o.title[0].text) || "",
      Canvas: {W: r.width, H: r.height, CW: c ? c.width : 0, CH: c ? c.height : 0},
      Series: series(o.series), API: series(api.option.series), APITitle: api.title,
      YAxis: axes(o.yAxis), XAxis: axes(o.xAxis),
      SaveAsImage: !!(tb && tb.show !== false && tb.feature && tb.feature.saveAsImage && tb.feature.saveAsImage.show !== false),
      TableRows: fig.querySelectorAll("details table tbody tr").length,
      CSV: {Status: resp.status, Type: resp.headers.get("Content-Type") || "", Head: text.split("\n")[0],
            Name: resp.headers.get("Content-Disposition") || "", Download: link.hasAttribute("download")},
    });
  }
  return out;
})()`

// e2eSummary is the part of /api/v1/summary the charts are checked against.
type e2eSummary struct {
	Facilitators struct {
		Total    int
		ByRegion []struct {
			Region                       string
			Female, Male, Unknown, Total int
		} `json:"by_region"`
	}
	Respondents struct{ Total int }
	Problems    []struct {
		Code     string
		Answered int
		Share    *float64
	}
	Organizing struct {
		Groups int
		Funnel []struct{ Stage, Groups int }
	}
}

func (b *e2eBrowser) summary(ctx context.Context) e2eSummary {
	b.t.Helper()
	return eval[e2eSummary](b, ctx, `fetch("/api/v1/summary" + location.search, {headers: {Accept: "application/json"}}).then(r => r.json())`)
}

func numbers[T int | float64](vs ...T) []any {
	out := make([]any, len(vs))
	for i, v := range vs {
		out[i] = float64(v)
	}
	return out
}

// checkCharts compares every drawn chart of the page with the summary and
// the chart API, and checks its canvas, table, CSV link and PNG tool.
func (b *e2eBrowser) checkCharts(ctx context.Context, page string, sum e2eSummary) map[string]drawnChart {
	b.t.Helper()
	t := b.t
	charts := map[string]drawnChart{}
	for _, c := range eval[[]drawnChart](b, ctx, drawnChartsJS) {
		charts[c.ID] = c
		where := page + ": " + c.ID
		if c.Canvas.W < 100 || c.Canvas.H < 100 || c.Canvas.CW == 0 || c.Canvas.CH == 0 {
			t.Errorf("%s: canvas %+v, want a drawn canvas", where, c.Canvas)
		}
		if c.Title == "" || c.Title != c.APITitle {
			t.Errorf("%s: drawn title %q, API title %q", where, c.Title, c.APITitle)
		}
		if len(c.Series) == 0 || len(c.Series) != len(c.API) {
			t.Errorf("%s: %d series drawn, the API has %d", where, len(c.Series), len(c.API))
		}
		for i := range min(len(c.Series), len(c.API)) {
			if got, want := c.Series[i].Data, c.API[i].Data; !reflect.DeepEqual(got, want) {
				t.Errorf("%s: series %d (%s) drawn %v, API %v", where, i, c.Series[i].Name, got, want)
			}
		}
		if !c.SaveAsImage {
			t.Errorf("%s: no save-as-PNG tool in the option", where)
		}
		if c.TableRows == 0 {
			t.Errorf("%s: no data table rows in the page", where)
		}
		if c.CSV.Status != 200 || !strings.HasPrefix(c.CSV.Type, "text/csv") || !c.CSV.Download ||
			!strings.Contains(c.CSV.Name, "attachment") || len(c.CSV.Head) < 4 {
			t.Errorf("%s: CSV download %+v", where, c.CSV)
		}
		switch c.ID {
		case "facilitators-by-region":
			var regions, female, male, unknown []any
			for _, r := range sum.Facilitators.ByRegion {
				regions = append(regions, r.Region)
				female, male, unknown = append(female, float64(r.Female)), append(male, float64(r.Male)), append(unknown, float64(r.Unknown))
			}
			if len(c.Series) != 3 || len(c.YAxis) == 0 {
				t.Errorf("%s: %d series, %d y axes; want 3 genders down one axis", where, len(c.Series), len(c.YAxis))
				continue
			}
			for i, want := range [][]any{female, male, unknown} {
				if got := c.Series[i].Data; !reflect.DeepEqual(got, want) {
					t.Errorf("%s: %s drawn %v, summary %v", where, c.Series[i].Name, got, want)
				}
			}
			if got := c.YAxis[0]; len(got) != len(regions) {
				t.Errorf("%s: regions drawn %v, summary %v", where, got, regions)
			}
		case "problem-prevalence":
			var want []any
			for _, p := range sum.Problems {
				if p.Share == nil {
					want = append(want, "-")
				} else {
					want = append(want, math.Round(*p.Share*1000)/10)
				}
			}
			if len(c.Series) != 1 || !reflect.DeepEqual(c.Series[0].Data, want) {
				t.Errorf("%s: drawn %v, summary shares %v", where, c.Series, want)
			}
		case "problems-by-region":
			if len(c.XAxis) == 0 || len(c.XAxis[0]) != 9 || len(c.YAxis) == 0 || len(c.YAxis[0]) == 0 {
				t.Errorf("%s: axes drawn x %v, y %v; want the nine problems across, the regions down", where, c.XAxis, c.YAxis)
			}
		case "organizing-funnel":
			var want []any
			for _, st := range sum.Organizing.Funnel {
				want = append(want, float64(st.Groups))
			}
			if len(c.Series) != 1 || c.Series[0].Type != "funnel" || !reflect.DeepEqual(c.Series[0].Data, want) {
				t.Errorf("%s: drawn %v, summary funnel %v", where, c.Series, want)
			}
		}
	}
	return charts
}

// ------------------------------------------------------------------ fixtures

// addHostileData uploads a small workbook whose text is markup and script.
func addHostileData(t *testing.T, env *testEnv) {
	t.Helper()
	data := xlsxtest.Workbook(t,
		xlsxtest.Tab{Name: "Peserta", Rows: [][]any{
			{"Nama", "Jenis Kelamin", "Jabatan", "Wilayah"},
			{evilName, "P", "Fasilitator Lapang", "Kota Malang"},
		}},
		xlsxtest.Tab{Name: "Responden", Rows: [][]any{
			{"ID Responden", "Tanggal Survei", "Wilayah", "Jenis Pekerjaan", "Produk", "Upah per Bulan", "Upah di Bawah UMR"},
			{"EVIL-1", "2014-10-01", "Kota Malang", "POS", evilProduct, 900000, "Ya"},
			{"EVIL-2", "2014-10-02", evilRegion, "SE", evilProduct, 800000, "Ya"},
		}},
		xlsxtest.Tab{Name: "Kelompok", Rows: [][]any{
			{"Kode Kelompok", "Nama Kelompok", "Wilayah", "Tahap", "Tanggal", "Jumlah Anggota"},
			{"EVIL-G", evilGroup, evilRegion, "4", "2014-10-05", 12},
		}},
		xlsxtest.Tab{Name: "Wilayah", Rows: [][]any{
			{"Wilayah", "Provinsi", "Tahun", "UMK"},
			{evilRegion, "Jawa Timur", 2014, 1000000},
		}},
	)
	ingestBytes(t, env.DB, t.TempDir(), "hostile.xlsx", data)
}

// idNum writes n as Bahasa Indonesia does: 2.000.
func idNum(n int) string {
	s := strconv.Itoa(n)
	var out []byte
	for i := range len(s) {
		if i > 0 && (len(s)-i)%3 == 0 {
			out = append(out, '.')
		}
		out = append(out, s[i])
	}
	return string(out)
}

func loadCatalog(t *testing.T, lang string) map[string]string {
	t.Helper()
	body, err := os.ReadFile(filepath.Join("locale", lang+".json"))
	if err != nil {
		t.Fatal(err)
	}
	m := map[string]string{}
	if err := json.Unmarshal(body, &m); err != nil {
		t.Fatal(err)
	}
	return m
}

// screenshotDir is where the screenshots go: see the top of this file.
func screenshotDir(t *testing.T) string {
	switch v := os.Getenv("PANTAU_SCREENSHOTS"); v {
	case "":
		return t.TempDir()
	case "1":
		dir := filepath.Join("testdata", "screenshots")
		if err := os.MkdirAll(dir, 0o755); err != nil {
			t.Fatal(err)
		}
		return dir
	default:
		if err := os.MkdirAll(v, 0o755); err != nil {
			t.Fatal(err)
		}
		return v
	}
}

func (b *e2eBrowser) screenshot(ctx context.Context, dir, name string) {
	b.t.Helper()
	// Let echarts finish its entry animation.
	b.do(ctx, chromedp.Sleep(1100*time.Millisecond))
	png, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
	if err != nil {
		b.t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, name+".png"), png, 0o644); err != nil {
		b.t.Fatal(err)
	}
}

// ------------------------------------------------------------------ tests

// TestE2EDashboards logs in through the form and opens every page, on a
// laptop and on a phone: every chart is drawn from the data the API gives,
// the tiles show the summary, tables and CSV downloads are there, nothing
// uploaded runs as script and no request leaves the server.
func TestE2EDashboards(t *testing.T) {
	env := newTestEnv(t, envOptions{samples: true})
	addHostileData(t, env)
	env.loadTargets()
	b := newBrowser(t, env)
	ctx := b.ctx
	dir := screenshotDir(t)
	b.login(ctx, "admin")

	for _, view := range []struct {
		name string
		w, h int64
		opts []chromedp.EmulateViewportOption
	}{
		{"desktop", 1366, 768, nil},
		{"phone", 390, 844, []chromedp.EmulateViewportOption{chromedp.EmulateMobile, chromedp.EmulateTouch, chromedp.EmulateScale(2)}},
	} {
		b.do(ctx, chromedp.EmulateViewport(view.w, view.h, view.opts...))
		for i, p := range e2ePages {
			where := p.name + " (" + view.name + ")"
			if i == 0 {
				b.navigate(ctx, p.path)
			} else {
				b.click(ctx, fmt.Sprintf(`nav a[href=%q]`, p.path))
			}
			want := p.path
			if p.name == "targets" { // the as-of date, today, is in the page's URL
				want += "?as_of=" + env.clock.Now().Format(time.DateOnly)
			}
			if got := eval[string](b, ctx, `location.pathname + location.search`); got != want {
				t.Fatalf("%s: at %s, want %s", where, got, want)
			}
			if got := eval[string](b, ctx, `document.querySelector('nav a[aria-current="page"]').getAttribute("href")`); got != p.path {
				t.Errorf("%s: the navigation marks %s as the current page", where, got)
			}
			if ids := b.waitCharts(ctx); !slices.Equal(ids, p.charts) {
				t.Errorf("%s: charts %v, want %v", where, ids, p.charts)
			}
			if p.charts != nil && view.name == "desktop" {
				sum := b.summary(ctx)
				b.checkCharts(ctx, where, sum)
				if p.name == "overview" {
					for kpi, want := range map[string]int{"respondents": sum.Respondents.Total, "facilitators": sum.Facilitators.Total} {
						got := eval[string](b, ctx, fmt.Sprintf(`document.querySelector('[data-kpi=%q] .value').textContent.trim()`, kpi))
						if got != idNum(want) || want == 0 {
							t.Errorf("%s: %s tile %q, summary %d (%s)", where, kpi, got, want, idNum(want))
						}
					}
				}
			}
			// The hostile text is on the page, as text, and did not run.
			if p.charts != nil {
				if !eval[bool](b, ctx, fmt.Sprintf(`[...document.querySelectorAll(".region-list label")].some(l => l.textContent.includes("<img") && l.textContent.includes(%q))`, "__pwned=4")) {
					t.Errorf("%s: the uploaded region is not in the filter as text", where)
				}
			}
			for _, probe := range []struct{ page, text string }{{"facilitators", evilName}, {"problems", evilProduct}} {
				if p.name == probe.page && !eval[bool](b, ctx, fmt.Sprintf(`document.querySelector("main").textContent.includes(%q)`, probe.text)) {
					t.Errorf("%s: the uploaded text %s is not on the page as text", where, probe.text)
				}
			}
			if n := eval[int](b, ctx, `document.querySelectorAll("main script, main img, main svg, main iframe").length`); n != 0 {
				t.Errorf("%s: %d script/img/svg/iframe elements in the page body: uploaded markup became HTML", where, n)
			}
			if !eval[bool](b, ctx, `window.__pwned === undefined`) {
				t.Errorf("%s: uploaded text ran as script: window.__pwned = %v", where, eval[any](b, ctx, `window.__pwned`))
			}
			if view.name == "phone" {
				if sw := eval[float64](b, ctx, `document.documentElement.scrollWidth`); sw > float64(view.w) {
					wide := eval[[]string](b, ctx, fmt.Sprintf(`[...document.querySelectorAll("body *")].filter(e => e.getBoundingClientRect().right > %d + 1).slice(0, 8).map(e => e.tagName + "." + e.className)`, view.w))
					t.Errorf("%s: the page scrolls sideways: scrollWidth %v > %d; too wide: %v", where, sw, view.w, wide)
				}
			}
			b.screenshot(ctx, dir, p.name+"-"+view.name)
		}
	}
	t.Logf("screenshots in %s", dir)
}

// TestE2EFilter changes the filter as a person does and sees the URL, the
// filter line, the tiles and the charts follow; then clears it.
func TestE2EFilter(t *testing.T) {
	env := newTestEnv(t, envOptions{samples: true})
	b := newBrowser(t, env)
	ctx := b.ctx
	b.login(ctx, "viewer")
	b.waitCharts(ctx)
	all := b.summary(ctx)
	kpi := func() string {
		return eval[string](b, ctx, `document.querySelector('[data-kpi="respondents"] .value').textContent.trim()`)
	}
	if got := kpi(); got != idNum(all.Respondents.Total) {
		t.Fatalf("respondents tile %q, summary %d", got, all.Respondents.Total)
	}
	if len(all.Facilitators.ByRegion) < 2 {
		t.Fatalf("the samples have %d facilitator regions; the test needs two or more", len(all.Facilitators.ByRegion))
	}
	const region = "Kota Malang"

	// One region: tick its box; the form submits itself.
	b.click(ctx, fmt.Sprintf(`input[name="region"][value=%q]`, region))
	if got := eval[string](b, ctx, `location.search`); got != "?region=Kota+Malang" {
		t.Errorf("after ticking %s the URL query is %q, want ?region=Kota+Malang", region, got)
	}
	b.waitCharts(ctx)
	one := b.summary(ctx)
	line := eval[string](b, ctx, `document.getElementById("filter-summary").textContent`)
	if !strings.Contains(line, region) || !strings.Contains(line, "hapus saringan") {
		t.Errorf("filter line %q does not name %s or offer to clear it", line, region)
	}
	if !eval[bool](b, ctx, fmt.Sprintf(`document.querySelector('input[name="region"][value=%q]').checked`, region)) {
		t.Errorf("the %s box is not ticked after the reload", region)
	}
	if one.Respondents.Total == 0 || one.Respondents.Total >= all.Respondents.Total {
		t.Errorf("respondents in %s: %d of %d", region, one.Respondents.Total, all.Respondents.Total)
	}
	if got := kpi(); got != idNum(one.Respondents.Total) {
		t.Errorf("filtered respondents tile %q, summary %d", got, one.Respondents.Total)
	}
	charts := b.checkCharts(ctx, "overview filtered", one)
	if c := charts["facilitators-by-region"]; len(c.YAxis) == 0 || !reflect.DeepEqual(c.YAxis[0], []any{region}) {
		t.Errorf("facilitators-by-region draws regions %v, want [%s]", c.YAxis, region)
	}

	// Then women only, with the select.
	b.changeSelect(ctx, `select[name="gender"]`, "P")
	if got := eval[string](b, ctx, `location.search`); got != "?gender=P&region=Kota+Malang" && got != "?region=Kota+Malang&gender=P" {
		t.Errorf("URL query %q, want gender=P and region=Kota+Malang and nothing else", got)
	}
	b.waitCharts(ctx)
	women := b.summary(ctx)
	if line := eval[string](b, ctx, `document.getElementById("filter-summary").textContent`); !strings.Contains(line, "Perempuan") {
		t.Errorf("filter line %q does not say Perempuan", line)
	}
	if got := kpi(); got != idNum(women.Respondents.Total) || women.Respondents.Total > one.Respondents.Total {
		t.Errorf("respondents tile %q; summary: %d women of %d in %s", got, women.Respondents.Total, one.Respondents.Total, region)
	}
	charts = b.checkCharts(ctx, "overview women", women)
	if c := charts["facilitators-by-region"]; len(c.Series) == 3 && (numSum(c.Series[1].Data) != 0 || numSum(c.Series[2].Data) != 0) {
		t.Errorf("women only, but the chart draws men or unknown: %v", c.Series)
	}

	// Clear it.
	b.click(ctx, `#filter-summary a`)
	if got := eval[string](b, ctx, `location.pathname + location.search`); got != "/" {
		t.Errorf("after clearing at %q, want /", got)
	}
	b.waitCharts(ctx)
	if got := kpi(); got != idNum(all.Respondents.Total) {
		t.Errorf("after clearing the respondents tile is %q, want %s", got, idNum(all.Respondents.Total))
	}
	if n := eval[int](b, ctx, `document.querySelectorAll('input[name="region"]:checked').length`); n != 0 {
		t.Errorf("%d regions still ticked after clearing", n)
	}
	if v := eval[string](b, ctx, `document.querySelector('select[name="gender"]').value`); v != "" {
		t.Errorf("gender still %q after clearing", v)
	}

	// Turning a tablet or narrowing the window lays the charts out anew.
	b.do(ctx, chromedp.EmulateViewport(390, 844, chromedp.EmulateMobile))
	b.waitFor(ctx, "the charts to fit the narrow window", `[...document.querySelectorAll(".chart-canvas[data-chart]")].every(el => {
		const o = echarts.getInstanceByDom(el).getOption();
		return el.querySelector("canvas").getBoundingClientRect().width <= 390 && o.title[0].textStyle.width < 390;
	})`)
}

func numSum(vs []any) float64 {
	var s float64
	for _, v := range vs {
		if f, ok := v.(float64); ok {
			s += f
		}
	}
	return s
}

// TestE2ELanguage switches to English and back with the language links;
// the choice is remembered from page to page.
func TestE2ELanguage(t *testing.T) {
	env := newTestEnv(t, envOptions{samples: true})
	b := newBrowser(t, env)
	ctx := b.ctx
	b.login(ctx, "admin")
	b.waitCharts(ctx)
	id, en := loadCatalog(t, "id"), loadCatalog(t, "en")

	check := func(lang string, cat map[string]string, page string) {
		t.Helper()
		where := page + " in " + lang
		if got := eval[string](b, ctx, `document.documentElement.lang`); got != lang {
			t.Errorf("%s: <html lang=%q>", where, got)
		}
		var want []string
		for _, k := range []string{"overview", "facilitators", "problems", "organizing", "targets", "quality", "shares", "help", "uploads", "imports", "users", "audit"} {
			want = append(want, cat["nav."+k])
		}
		if got := eval[[]string](b, ctx, `[...document.querySelectorAll("nav:not(.account) a")].map(a => a.textContent.trim())`); !slices.Equal(got, want) {
			t.Errorf("%s: navigation %q, want %q", where, got, want)
		}
		ids := b.waitCharts(ctx)
		titles := eval[map[string]string](b, ctx, `Object.fromEntries([...document.querySelectorAll(".chart-canvas[data-chart]")].map(el => [el.dataset.chart, echarts.getInstanceByDom(el).getOption().title[0].text]))`)
		for _, c := range ids {
			if got, want := titles[c], cat["chart."+c]; got != want {
				t.Errorf("%s: chart %s titled %q, want %q", where, c, got, want)
			}
		}
	}
	check("id", id, "/")
	b.click(ctx, `.langs a[hreflang="en"]`)
	if got := eval[string](b, ctx, `location.pathname + location.search`); got != "/" {
		t.Errorf("after switching to English at %q, want / (no lang in the canonical URL)", got)
	}
	check("en", en, "/")
	b.click(ctx, `nav a[href="/problems"]`)
	check("en", en, "/problems") // remembered in the cookie
	b.click(ctx, `.langs a[hreflang="id"]`)
	check("id", id, "/problems")
	b.click(ctx, `nav a[href="/organizing"]`)
	check("id", id, "/organizing")
}

// TestE2EPageWeight loads the overview with an empty cache, as an office on
// a slow link does the first time, and adds up the bytes it transfers.
func TestE2EPageWeight(t *testing.T) {
	env := newTestEnv(t, envOptions{samples: true})
	b := newBrowser(t, env)
	b.login(b.ctx, "viewer")

	ctx := b.newTab(true)
	if _, err := chromedp.Call(ctx, network.SetCacheDisabled, network.SetCacheDisabledParams{CacheDisabled: true}); err != nil {
		t.Fatal(err)
	}
	b.do(ctx, chromedp.EmulateViewport(1366, 768))
	b.navigate(ctx, "/")
	if ids := b.waitCharts(ctx); len(ids) != 4 {
		t.Fatalf("overview charts %v", ids)
	}
	// Wait for the last responses to finish.
	deadline := time.Now().Add(10 * time.Second)
	for {
		b.mu.Lock()
		n := len(b.pending)
		b.mu.Unlock()
		if n == 0 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("%d requests never finished", n)
		}
		time.Sleep(50 * time.Millisecond)
	}
	b.mu.Lock()
	var total float64
	for _, n := range b.finished {
		total += n
	}
	requests := len(b.finished)
	b.mu.Unlock()
	const limit = 600 * 1024
	t.Logf("overview, empty cache: %d requests, %.0f bytes (%.1f KB) transferred", requests, total, total/1024)
	if requests < 8 { // page, css, echarts, app.js, four charts
		t.Errorf("only %d requests counted", requests)
	}
	if total > limit {
		t.Errorf("the overview transfers %.0f bytes, more than %d", total, limit)
	}
}
