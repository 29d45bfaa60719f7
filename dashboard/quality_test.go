package dashboard_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"path/filepath"
	"reflect"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/xuri/excelize/v2"

	"pantau/queries"
)

// TestE2EQuality is the data division's round: an uploader sends a survey
// with planted issues and sees their flags in the preview, imports it, opens
// Kualitas data, follows a kind's tile to its flags, marks the planted one
// checked with a note, and sees it leave the list and the tile's count;
// with "show checked" it is back, with the note. A viewer sees the tiles only.
func TestE2EQuality(t *testing.T) {
	env := newTestEnv(t, envOptions{samples: true})
	b := newBrowser(t, env)
	ctx := b.ctx
	dir := screenshotDir(t)
	b.login(ctx, "uploader")

	// Four respondents of Kab. Jember: one clean, one in a misspelled
	// kecamatan, one with a wage far above the region's, one with no
	// problem answered.
	b.navigate(ctx, "/uploads")
	template := b.download(ctx, `a[href="/templates/survei.xlsx"]`)
	var rows []map[string]any
	for i := 1; i <= 4; i++ {
		rows = append(rows, map[string]any{
			"ID Responden": fmt.Sprintf("E2E-Q%d", i), "Tanggal Survei": "15/03/2015", "Wilayah": "Kab. Jember", "Kecamatan": "Sumbersari",
			"Jenis Kelamin": "P", "Jenis Pekerjaan": "POS", "Upah per Bulan": 900000, "Tanpa Kontrak Tertulis": "Ya",
		})
	}
	rows[1]["Kecamatan"] = "Sumbersar"
	rows[2]["Upah per Bulan"] = 95000000
	delete(rows[3], "Tanpa Kontrak Tertulis")
	f := fillSurvey(t, template, rows)
	planted := filepath.Join(t.TempDir(), "survei-kualitas.xlsx")
	if err := f.SaveAs(planted); err != nil {
		t.Fatal(err)
	}
	f.Close()
	b.uploadThroughPage(ctx, planted, "ready")
	flagged := eval[[]string](b, ctx, `[...document.querySelectorAll("table.flags tbody tr")].map(r => r.dataset.kind + " " + r.cells[1].textContent.trim())`)
	for _, want := range []string{"area_unknown Responden baris 3", "wage_outlier Responden baris 4", "unanswered Responden baris 5"} {
		if !slices.Contains(flagged, want) {
			t.Errorf("the preview's flags %q lack %q", flagged, want)
		}
	}
	if len(flagged) != 3 {
		t.Errorf("the preview lists %d flags, want the 3 planted: %q", len(flagged), flagged)
	}
	if why := eval[string](b, ctx, `document.querySelector('table.flags tr[data-kind="area_unknown"]').textContent`); !strings.Contains(why, `maksud Anda "Sumbersari"`) {
		t.Errorf("the area flag does not suggest the official name: %q", why)
	}
	b.screenshot(ctx, dir, "upload-flags")
	b.click(ctx, "#commit")
	b.waitFor(ctx, "the commit", `document.getElementById("upload-state").dataset.state === "committed"`)

	b.click(ctx, `nav a[href="/quality"]`)
	b.waitCharts(ctx)

	tile := func(kind string) int {
		text := eval[string](b, ctx, fmt.Sprintf(`document.querySelector('[data-flag-kind=%q] .value').textContent.trim()`, kind))
		n, err := strconv.Atoi(strings.ReplaceAll(text, ".", ""))
		if err != nil {
			t.Fatalf("tile %s: %q", kind, text)
		}
		return n
	}
	api := func() map[string]int {
		var r struct{ Counts map[string]int }
		body := eval[string](b, ctx, `fetch("/api/v1/quality").then(r => r.text())`)
		if err := json.Unmarshal([]byte(body), &r); err != nil {
			t.Fatalf("api: %v: %.200s", err, body)
		}
		return r.Counts
	}
	counts := api()
	const kind, first = "area_unknown", "area_unknown e2e-q2"
	before := tile(kind)
	if before == 0 || before != counts[kind] {
		t.Fatalf("the %s tile says %d, the API %d; the upload raised one", kind, before, counts[kind])
	}
	b.screenshot(ctx, dir, "quality")

	b.click(ctx, fmt.Sprintf(`[data-flag-kind=%q] a`, kind))
	b.waitCharts(ctx)
	listed := eval[[]string](b, ctx, `[...document.querySelectorAll("#flags tbody tr")].map(r => r.dataset.flag)`)
	if len(listed) != min(before, 100) {
		t.Fatalf("the list shows %d flags, the tile %d", len(listed), before)
	}
	for _, r := range listed {
		if !strings.HasPrefix(r, kind+" ") {
			t.Fatalf("a %s in the %s list", r, kind)
		}
	}
	if !slices.Contains(listed, first) {
		t.Fatalf("the list %q lacks the planted %s", listed, first)
	}
	sel := fmt.Sprintf(`tr[data-flag=%q] form.check-flag`, first)
	b.do(ctx,
		chromedp.SendKeys(chromedp.CSS(sel+` input[name="note"]`), "asked the facilitator: a typo, fixed in the next upload"),
		chromedp.Evaluate[chromedp.Void](`window.__e2eOldPage = true`),
		chromedp.Click(chromedp.CSS(sel+` button`)),
	)
	b.waitFor(ctx, "the page after the check", `window.__e2eOldPage === undefined && document.readyState === "complete"`)
	if notice := eval[string](b, ctx, `document.querySelector(".notice").textContent`); !strings.Contains(notice, first) {
		t.Errorf("notice %q does not name %s", notice, first)
	}
	if got := tile(kind); got != before-1 {
		t.Errorf("after the check the tile says %d, want %d", got, before-1)
	}
	if eval[bool](b, ctx, fmt.Sprintf(`!!document.querySelector('tr[data-flag=%q]')`, first)) {
		t.Errorf("the checked flag %s is still listed", first)
	}
	b.navigate(ctx, "/quality?kind="+kind+"&checked=1")
	note := eval[string](b, ctx, fmt.Sprintf(`document.querySelector('tr[data-flag=%q][data-checked]').textContent`, first))
	if !strings.Contains(note, "asked the facilitator") || !strings.Contains(note, "uploader") {
		t.Errorf("with checked ones shown, the row says %q", note)
	}
	b.screenshot(ctx, dir, "quality-checked")

	// A viewer: the counts, no flag and no form.
	viewer := newBrowser(t, env)
	viewer.login(viewer.ctx, "viewer")
	viewer.navigate(viewer.ctx, "/quality")
	if n := eval[int](viewer, viewer.ctx, `document.querySelectorAll("[data-flag-kind]").length`); n != 8 {
		t.Errorf("a viewer sees %d tiles, want 8", n)
	}
	if eval[bool](viewer, viewer.ctx, `!!document.querySelector("#flags, form.check-flag")`) {
		t.Error("a viewer sees the flags")
	}
}

// TestFlaggedFile: a flag's marked copy is its import's original with that
// row's cells filled red and commented with the flag's sentence, listed on
// a Kesalahan sheet; a key that is not a flag of that import is a 404.
func TestFlaggedFile(t *testing.T) {
	env := newTestEnv(t, envOptions{samples: true})
	c := env.login("uploader")
	var r struct {
		Flags []struct {
			Kind, Key, Sheet, Message string
			Row                       int
			ImportID                  int64 `json:"import_id"`
		}
	}
	if err := json.Unmarshal([]byte(env.get(c, "/api/v1/quality?kind=wage_outlier&lang=en", http.StatusOK)), &r); err != nil || len(r.Flags) == 0 {
		t.Fatalf("flags: %v, %d", err, len(r.Flags))
	}
	fl := r.Flags[0]
	body := env.get(c, fmt.Sprintf("/imports/%d/flagged.xlsx?kind=%s&key=%s", fl.ImportID, fl.Kind, url.QueryEscape(fl.Key)), http.StatusOK)
	f, err := excelize.OpenReader(strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if sheets := f.GetSheetList(); sheets[0] != "Kesalahan" || !slices.Contains(sheets, fl.Sheet) {
		t.Errorf("sheets %v", sheets)
	}
	comments, err := f.GetComments(fl.Sheet)
	if err != nil {
		t.Fatal(err)
	}
	marked := map[string]bool{}
	for _, cm := range comments {
		if strings.Contains(cm.Text, fl.Message) || strings.Contains(fmt.Sprint(cm.Paragraph), fl.Message) {
			marked[cm.Cell] = true
		}
	}
	for _, cell := range []string{fmt.Sprintf("A%d", fl.Row), fmt.Sprintf("B%d", fl.Row)} {
		if !marked[cell] {
			t.Errorf("%s!%s is not marked; marked: %v", fl.Sheet, cell, marked)
		}
	}
	if len(marked) < 10 || marked[fmt.Sprintf("A%d", fl.Row+1)] {
		t.Errorf("marked cells %v: want the whole row %d and nothing else", marked, fl.Row)
	}
	env.get(c, fmt.Sprintf("/imports/%d/flagged.xlsx?kind=%s&key=no-such-key", fl.ImportID, fl.Kind), http.StatusNotFound)
	env.get(env.login("viewer"), fmt.Sprintf("/imports/%d/flagged.xlsx?kind=%s&key=%s", fl.ImportID, fl.Kind, url.QueryEscape(fl.Key)), http.StatusForbidden)
}

// TestQualityPages: the flags list pages through 100 at a time, with the
// count of all, a link to the next page and back, and the facilitator
// filter choosing among every flag's facilitators, not the page's.
func TestQualityPages(t *testing.T) {
	env := newTestEnv(t, envOptions{})
	ctx := context.Background()
	b, err := env.DB.NewBatch(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	day := time.Date(2014, 10, 11, 0, 0, 0, 0, time.UTC)
	const n = 250 // respondents answering nothing: one unanswered flag each
	for i := range n {
		id := fmt.Sprintf("R%03d", i)
		if err := b.AddRespondent(queries.Respondent{Row: i + 2, Key: strings.ToLower(id), ID: id, SurveyDate: day.AddDate(0, 0, i%20),
			Region: "Kab. Jember", Facilitator: fmt.Sprintf("Fas %d", i/100), WorkType: "POS", MonthlyWage: -1}); err != nil {
			t.Fatal(err)
		}
	}
	if _, _, err := b.Commit(ctx, queries.ImportMeta{FileName: "kosong.xlsx", SHA256: "kosong", Size: 1, By: "test", At: time.Now()},
		func(map[queries.Kind]queries.Counts) []queries.SheetCounts { return nil }); err != nil {
		t.Fatal(err)
	}
	c := env.login("uploader")
	flagged := regexp.MustCompile(`data-flag="unanswered (r\d+)"`)
	var seen []string
	for page, want := range []int{100, 100, 50} {
		body := env.get(c, fmt.Sprintf("/quality?page=%d", page+1), http.StatusOK)
		var keys []string
		for _, m := range flagged.FindAllStringSubmatch(body, -1) {
			keys = append(keys, m[1])
		}
		count := fmt.Sprintf(`<p id="flags-count">%d temuan di halaman ini, dari %d.</p>`, want, n)
		if len(keys) != want || !strings.Contains(body, count) {
			t.Errorf("page %d lists %d flags, want %d, and says %q", page+1, len(keys), want, count)
		}
		hasNext, hasPrev := strings.Contains(body, `rel="next"`), strings.Contains(body, `rel="prev"`)
		if hasNext != (page < 2) || hasPrev != (page > 0) {
			t.Errorf("page %d: next link %v, previous link %v", page+1, hasNext, hasPrev)
		}
		for _, who := range []string{"Fas 0", "Fas 1", "Fas 2"} {
			if !strings.Contains(body, `<option value="`+who+`"`) {
				t.Errorf("page %d: the facilitator filter lacks %q", page+1, who)
			}
		}
		seen = append(seen, keys...)
	}
	if want := n; len(seen) != want || !slices.IsSorted(seen) || len(slices.Compact(slices.Clone(seen))) != want {
		t.Errorf("the pages list %d flags, sorted %v, want each of the %d once in order", len(seen), slices.IsSorted(seen), n)
	}
	body := env.get(c, "/quality?facilitator="+url.QueryEscape("Fas 2"), http.StatusOK)
	if got := len(flagged.FindAllString(body, -1)); got != 50 || strings.Contains(body, `rel="next"`) {
		t.Errorf("Fas 2's flags: %d listed, want the 50 on one page", got)
	}

	// The API gives an uploader every flag and a viewer the same report
	// without them.
	var full, counted queries.QualityReport
	for who, r := range map[string]*queries.QualityReport{"uploader": &full, "viewer": &counted} {
		if err := json.Unmarshal([]byte(env.get(env.login(who), "/api/v1/quality", http.StatusOK)), r); err != nil {
			t.Fatal(err)
		}
	}
	if len(full.Flags) != n || len(counted.Flags) != 0 || counted.Counts[queries.FlagUnanswered] != n ||
		counted.OpenByRegion["Kab. Jember"][queries.FlagUnanswered] != n {
		t.Errorf("the API: %d flags for an uploader, %d for a viewer with counts %v by region %v; want %d, none, and %d unanswered",
			len(full.Flags), len(counted.Flags), counted.Counts, counted.OpenByRegion, n, n)
	}
	full.Flags = []queries.QualityFlag{}
	if !reflect.DeepEqual(full, counted) {
		t.Errorf("a viewer's report is not an uploader's without the flags:\n%+v\n%+v", counted, full)
	}
}
