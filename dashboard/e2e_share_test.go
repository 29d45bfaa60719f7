package dashboard_test

import (
	"encoding/base64"
	"fmt"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// regionsOnPage are the sample regions the chart options of the page and
// its summary workbook name, as the browser fetches them.
const chartOptionsJS = `(async () => {
  let text = "";
  for (const el of document.querySelectorAll(".chart-canvas[data-src]")) {
    text += JSON.stringify(await (await fetch(el.dataset.src)).json());
  }
  return text;
})()`

const workbookJS = `(async () => {
  const r = await fetch(document.querySelector(".export a").href);
  const b = new Uint8Array(await r.arrayBuffer());
  let s = ""; for (const x of b) s += String.fromCharCode(x);
  return btoa(s);
})()`

// TestE2EScopesAndShares: an admin limits the viewer to Kab. Jember on the
// users page; the viewer then sees Jember only in every chart and in the
// downloaded workbook; the admin shares /problems with a password, a fresh
// browser opens the link, gives the password and sees the charts; the admin
// revokes the link and the reload is refused.
func TestE2EScopesAndShares(t *testing.T) {
	env, regions := scopedEnv(t)
	admin := newBrowser(t, env)
	ctx := admin.ctx
	admin.login(ctx, "admin")
	admin.navigate(ctx, "/admin/users")
	form := `tr[data-user="viewer"] form.scope`
	admin.do(ctx,
		chromedp.SendKeys(chromedp.CSS(form+` input[name="regions"]`), "jember"),
		chromedp.Evaluate[chromedp.Void](`window.__e2eOldPage = true`),
		chromedp.Click(chromedp.CSS(form+` button`)),
	)
	admin.waitFor(ctx, "the users page again", `window.__e2eOldPage === undefined && document.readyState === "complete"`)
	if got := eval[string](admin, ctx, `document.querySelector('tr[data-user="viewer"] [data-scope]').textContent.trim()`); got != "Kab. Jember" {
		t.Fatalf("the viewer's scope shows %q", got)
	}

	viewer := newBrowser(t, env)
	viewer.login(viewer.ctx, "viewer")
	for _, p := range []string{"/", "/problems", "/organizing", "/facilitators"} {
		viewer.navigate(viewer.ctx, p)
		viewer.waitCharts(viewer.ctx)
		if got := eval[[]string](viewer, viewer.ctx, `[...document.querySelectorAll(".region-list input")].map(i => i.value)`); len(got) != 1 || got[0] != "Kab. Jember" {
			t.Errorf("%s: the filter offers %v", p, got)
		}
		if out := outsideScope(t, eval[string](viewer, viewer.ctx, chartOptionsJS), regions, jemberOnly); len(out) > 0 {
			t.Errorf("%s: the charts name %v", p, out)
		}
		if out := outsideScope(t, eval[string](viewer, viewer.ctx, `document.querySelector("main").innerText`), regions, jemberOnly); len(out) > 0 {
			t.Errorf("%s: the page names %v", p, out)
		}
	}
	book, err := base64.StdEncoding.DecodeString(eval[string](viewer, viewer.ctx, workbookJS))
	if err != nil || !strings.HasPrefix(string(book), "PK") {
		t.Fatalf("the workbook: %v", err)
	}
	if out := outsideScope(t, string(book), regions, jemberOnly); len(out) > 0 {
		t.Errorf("the workbook names %v", out)
	}

	// The admin shares /problems with a password.
	admin.navigate(ctx, "/problems?region=Kab.+Jember")
	admin.click(ctx, `a[data-share]`)
	admin.do(ctx,
		chromedp.SendKeys(chromedp.CSS(`input[name="label"]`), "Dinas Jember"),
		chromedp.SendKeys(chromedp.CSS(`input[name="password"]`), "kopi hujan sore"),
		chromedp.Evaluate[chromedp.Void](`window.__e2eOldPage = true`),
		chromedp.Click(chromedp.CSS(`form.add-user button`)),
	)
	admin.waitFor(ctx, "the new link", `window.__e2eOldPage === undefined && !!document.querySelector("#new-link a")`)
	link := eval[string](admin, ctx, `document.querySelector("#new-link a").getAttribute("href")`)
	id := eval[string](admin, ctx, `document.querySelector("tr[data-link]").dataset.link`)

	visitor := newBrowser(t, env)
	vctx := visitor.ctx
	visitor.navigate(vctx, link)
	visitor.do(vctx,
		chromedp.SendKeys(chromedp.CSS(`#share-password`), "kopi hujan sore"),
		chromedp.Evaluate[chromedp.Void](`window.__e2eOldPage = true`),
		chromedp.Click(chromedp.CSS(`form.login button`)),
	)
	visitor.waitFor(vctx, "the shared page", `window.__e2eOldPage === undefined && document.readyState === "complete" && !!document.querySelector(".charts")`)
	if ids := visitor.waitCharts(vctx); len(ids) != 6 {
		t.Errorf("the shared /problems draws %v", ids)
	}
	if eval[bool](visitor, vctx, `!!document.querySelector("nav[aria-label] a[href='/problems']")`) {
		t.Error("the shared page offers the navigation")
	}
	if out := outsideScope(t, eval[string](visitor, vctx, chartOptionsJS), regions, jemberOnly); len(out) > 0 {
		t.Errorf("the shared charts name %v", out)
	}
	visitor.screenshot(vctx, screenshotDir(t), "shared-problems")

	admin.navigate(ctx, "/shares")
	admin.do(ctx,
		chromedp.Evaluate[chromedp.Void](`window.__e2eOldPage = true`),
		chromedp.Click(chromedp.CSS(fmt.Sprintf(`tr[data-link=%q] form button`, id))),
	)
	admin.waitFor(ctx, "the list after revoking", `window.__e2eOldPage === undefined && document.readyState === "complete"`)
	visitor.navigate(vctx, link)
	if text := eval[string](visitor, vctx, `document.body.innerText`); !strings.Contains(text, "sudah dicabut") {
		t.Errorf("the revoked link shows %.300q", text)
	}
	visitor.mu.Lock()
	visitor.problems = nil // the refused reload is a 404 on purpose
	visitor.mu.Unlock()
}
