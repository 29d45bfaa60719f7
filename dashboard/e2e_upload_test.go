package dashboard_test

import (
	"context"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/chromedp/cdproto/browser"
	"github.com/chromedp/chromedp"
	"github.com/xuri/excelize/v2"
)

// download clicks the link sel and returns the file the browser saved.
func (b *e2eBrowser) download(ctx context.Context, sel string) []byte {
	b.t.Helper()
	dir := b.t.TempDir()
	progress := chromedp.Events(ctx, browser.DownloadProgress)
	b.do(ctx, chromedp.Func(func(ctx context.Context, _ *chromedp.Target) error {
		yes := true
		_, err := chromedp.Call(ctx, browser.SetDownloadBehavior, browser.SetDownloadBehaviorParams{
			Behavior: browser.SetDownloadBehaviorBehaviorAllowAndName, DownloadPath: dir, EventsEnabled: &yes})
		return err
	}), chromedp.Click(chromedp.CSS(sel)))
	for ev, err := range progress {
		if err != nil {
			b.t.Fatalf("downloading %s: %v", sel, err)
		}
		switch ev.State {
		case browser.DownloadProgressStateCompleted:
			data, err := os.ReadFile(filepath.Join(dir, ev.GUID))
			if err != nil {
				b.t.Fatal(err)
			}
			return data
		case browser.DownloadProgressStateCanceled:
			b.t.Fatalf("the download of %s was cancelled", sel)
		}
	}
	b.t.Fatalf("no download from %s", sel)
	return nil
}

// uploadThroughPage chooses path in the upload form and sends it, as a
// person does, and waits for its preview to finish checking.
func (b *e2eBrowser) uploadThroughPage(ctx context.Context, path, wantState string) {
	b.t.Helper()
	b.navigate(ctx, "/uploads")
	b.do(ctx, chromedp.SetUploadFiles(chromedp.CSS("#upload-file"), []string{path}),
		chromedp.Click(chromedp.CSS(`#upload-form button[type="submit"]`)))
	b.waitFor(ctx, "the preview of "+filepath.Base(path), `location.pathname.startsWith("/uploads/") && document.readyState === "complete" && !document.getElementById("upload-progress")`)
	if got := eval[string](b, ctx, `document.getElementById("upload-state").dataset.state`); got != wantState {
		b.t.Fatalf("%s: state %q, want %q: %s", filepath.Base(path), got, wantState,
			eval[string](b, ctx, `document.querySelector("main").innerText`))
	}
}

// respondentsKPI is the overview's respondents tile as the page shows it.
func (b *e2eBrowser) respondentsKPI(ctx context.Context) string {
	b.t.Helper()
	b.navigate(ctx, "/")
	return eval[string](b, ctx, `document.querySelector('[data-kpi="respondents"] .value').textContent.trim()`)
}

// fillSurvey writes respondent rows into the survey template's Responden
// sheet under its header, by column name.
func fillSurvey(t *testing.T, template []byte, rows []map[string]any) *excelize.File {
	t.Helper()
	f, err := excelize.OpenReader(strings.NewReader(string(template)))
	if err != nil {
		t.Fatalf("the downloaded template does not open: %v", err)
	}
	header, err := f.GetRows("Responden", excelize.Options{RawCellValue: true})
	if err != nil || len(header) == 0 {
		t.Fatalf("template has no Responden header: %v", err)
	}
	for i, row := range rows {
		for name, v := range row {
			col := slices.Index(header[0], name)
			if col < 0 {
				t.Fatalf("template has no column %q: %q", name, header[0])
			}
			cell, _ := excelize.CoordinatesToCellName(col+1, i+2)
			if err := f.SetCellValue("Responden", cell, v); err != nil {
				t.Fatal(err)
			}
		}
	}
	return f
}

func TestE2EUploadFixCommitUndo(t *testing.T) {
	env := newTestEnv(t, envOptions{samples: true})
	b := newBrowser(t, env)
	ctx := b.ctx
	dir := screenshotDir(t)
	b.login(ctx, "uploader")
	before := b.respondentsKPI(ctx)
	if before != "2.000" {
		t.Fatalf("respondents before the upload: %q, want 2.000 (the samples)", before)
	}

	// The survey template, from the link on the upload page.
	b.navigate(ctx, "/uploads")
	b.screenshot(ctx, dir, "uploads")
	template := b.download(ctx, `a[href="/templates/survei.xlsx"]`)

	// Five respondents; the third has a region that does not exist.
	var rows []map[string]any
	for i := 1; i <= 5; i++ {
		rows = append(rows, map[string]any{
			"ID Responden": fmt.Sprintf("E2E-%03d", i), "Tanggal Survei": "15/03/2015", "Wilayah": "Kab. Jember",
			"Jenis Kelamin": "P", "Umur": 30 + i, "Jenis Pekerjaan": "POS", "Produk": "batik", "Upah per Bulan": 900000,
		})
	}
	rows[2]["Wilayah"] = "Kab. Atlantis"
	f := fillSurvey(t, template, rows)
	first := filepath.Join(t.TempDir(), "survei-e2e.xlsx")
	if err := f.SaveAs(first); err != nil {
		t.Fatal(err)
	}
	f.Close()

	b.uploadThroughPage(ctx, first, "invalid")
	cells := eval[[]string](b, ctx, `[...document.querySelectorAll("table.problems tr[data-cell]")].map(r => r.dataset.cell)`)
	if len(cells) != 1 {
		t.Fatalf("errors listed at %v, want one", cells)
	}
	badCell := strings.TrimPrefix(cells[0], "Responden!")
	if !strings.HasSuffix(badCell, "4") || cells[0] == badCell {
		t.Fatalf("the error is at %s, want a cell of Responden row 4", cells[0])
	}
	if eval[bool](b, ctx, `!!document.getElementById("commit")`) {
		t.Error("a preview with an error offers Impor")
	}
	b.screenshot(ctx, dir, "upload-errors")

	// The annotated workbook: the bad cell red with a comment, Kesalahan first.
	annotated := b.download(ctx, "#annotated")
	af, err := excelize.OpenReader(strings.NewReader(string(annotated)))
	if err != nil {
		t.Fatalf("the annotated workbook does not open: %v", err)
	}
	if sheets := af.GetSheetList(); sheets[0] != "Kesalahan" {
		t.Errorf("annotated sheets %v, want Kesalahan first", sheets)
	}
	styleID, _ := af.GetCellStyle("Responden", badCell)
	style, err := af.GetStyle(styleID)
	if err != nil || style.Fill.Type != "pattern" || len(style.Fill.Color) == 0 || !isRed(style.Fill.Color[0]) {
		t.Errorf("the bad cell %s is not filled red: %+v (%v)", badCell, style.Fill, err)
	}
	comments, _ := af.GetComments("Responden")
	var comment string
	for _, c := range comments {
		if c.Cell == badCell {
			comment = c.Text
			for _, p := range c.Paragraph {
				comment += p.Text
			}
		}
	}
	if !strings.Contains(comment, "Atlantis") {
		t.Errorf("the bad cell's comment %q does not name the value", comment)
	}

	// Fixed in that same file, and uploaded again.
	if err := af.SetCellValue("Responden", badCell, "Kab. Jember"); err != nil {
		t.Fatal(err)
	}
	fixed := filepath.Join(t.TempDir(), "survei-e2e (kesalahan).xlsx")
	if err := af.SaveAs(fixed); err != nil {
		t.Fatal(err)
	}
	af.Close()
	b.uploadThroughPage(ctx, fixed, "ready")
	counts := eval[map[string]string](b, ctx, `Object.fromEntries([...document.querySelectorAll('tr[data-sheet="Responden"] td[data-count]')].map(td => [td.dataset.count, td.textContent]))`)
	if counts["new"] != "5" || counts["updated"] != "0" {
		t.Errorf("preview counts %v, want 5 new", counts)
	}
	b.screenshot(ctx, dir, "upload-ready")
	b.click(ctx, "#commit")
	b.waitFor(ctx, "the commit", `document.getElementById("upload-state").dataset.state === "committed"`)
	if got := b.respondentsKPI(ctx); got != "2.005" {
		t.Errorf("respondents after the import: %q, want 2.005", got)
	}

	// The history, and undo with its confirmation.
	b.navigate(ctx, "/imports")
	b.screenshot(ctx, dir, "imports")
	b.click(ctx, `tr[data-import="3"] a[href="/imports/3/undo"]`)
	effect := eval[string](b, ctx, `document.querySelector('#undo-effects li[data-kind="respondents"]').textContent`)
	if !strings.Contains(effect, "5 baris dihapus") {
		t.Errorf("the confirmation says %q, want 5 rows removed", effect)
	}
	b.screenshot(ctx, dir, "undo-confirm")
	b.click(ctx, "#undo-confirm")
	if got := eval[string](b, ctx, `document.querySelector('tr[data-import="3"]').dataset.status`); got != "undone" {
		t.Errorf("import 3 is %q after the undo", got)
	}
	if got := b.respondentsKPI(ctx); got != before {
		t.Errorf("respondents after the undo: %q, want %q", got, before)
	}

	// A viewer has no upload page.
	b.do(ctx, chromedp.Evaluate[chromedp.Void](`window.__e2eOldPage = true`))
	b.click(ctx, `form.logout button`)
	b.login(ctx, "viewer")
	if eval[bool](b, ctx, `!!document.querySelector('a[href="/uploads"]')`) {
		t.Error("a viewer's navigation links the upload page")
	}
	c := env.login("viewer")
	env.get(c, "/uploads", http.StatusForbidden)
	if status, _, _ := env.upload(c, env.csrfFrom(c, "/"), uploadFile{"survei.xlsx", template}); status != http.StatusForbidden {
		t.Errorf("POST /uploads as a viewer: status %d, want 403", status)
	}
}

// isRed is true for an RGB colour ("FFC7CE", "FFFFC7CE") whose red clearly dominates.
func isRed(hex string) bool {
	if len(hex) < 6 {
		return false
	}
	var r, g, bl int
	if _, err := fmt.Sscanf(strings.ToUpper(hex[len(hex)-6:]), "%02X%02X%02X", &r, &g, &bl); err != nil {
		return false
	}
	return r > 0xC0 && r > g+0x20 && r > bl+0x20
}

// Files dropped on the upload page are sent one by one with a progress bar
// each; with several, the page then lists them all.
func TestE2EUploadDropSeveral(t *testing.T) {
	env := newTestEnv(t, envOptions{})
	b := newBrowser(t, env)
	ctx := b.ctx
	b.login(ctx, "uploader")
	b.navigate(ctx, "/uploads")
	b.do(ctx, chromedp.Evaluate[chromedp.Void](`window.__e2eOldPage = true`))
	// What a drop from the file manager hands the page: a DataTransfer of files.
	b.do(ctx, chromedp.Evaluate[chromedp.Void](`(async () => {
		const dt = new DataTransfer();
		for (const kind of ["peserta", "survei"]) {
			const blob = await (await fetch("/templates/" + kind + ".xlsx")).blob();
			dt.items.add(new File([blob], kind + "-kosong.xlsx"));
		}
		const zone = document.getElementById("dropzone");
		zone.dispatchEvent(new DragEvent("dragover", {dataTransfer: dt, bubbles: true, cancelable: true}));
		zone.dispatchEvent(new DragEvent("drop", {dataTransfer: dt, bubbles: true, cancelable: true}));
	})()`, chromedp.EvalAwaitPromise))
	b.waitFor(ctx, "the list of uploads", `window.__e2eOldPage === undefined && document.readyState === "complete" && location.pathname === "/uploads"`)
	names := eval[[]string](b, ctx, `[...document.querySelectorAll("table.uploads tbody th a")].map(a => a.textContent)`)
	slices.Sort(names)
	if !slices.Equal(names, []string{"peserta-kosong.xlsx", "survei-kosong.xlsx"}) {
		t.Errorf("uploads listed after the drop: %q", names)
	}
}
