package dashboard_test

import (
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// axePath is axe-core as `make assets` installs it (pinned in package.json);
// it is injected into each page by the test, never served.
var axePath = filepath.Join("node_modules", "axe-core", "axe.min.js")

// axeResult is what the test keeps of axe.run.
type axeResult struct {
	Violations []struct {
		ID, Impact, Help string
		Nodes            []string
	}
	Passes int
}

// Every page a person can reach passes axe-core's WCAG 2.0 and 2.1 A and AA
// rules, in both languages: the dashboards with their charts drawn, the
// forms, an upload's preview with errors, the undo and removal
// confirmations, the account page, an error page and the login page.
func TestE2EAccessibility(t *testing.T) {
	axe, err := os.ReadFile(axePath)
	if err != nil {
		if os.Getenv("CI") != "" {
			t.Fatalf("axe-core is required on CI (make assets installs it): %v", err)
		}
		t.Skipf("no axe-core: %v", err)
	}
	env := newTestEnv(t, envOptions{samples: true})
	addHostileData(t, env)
	env.loadTargets()
	// An upload with errors, waiting for a decision.
	up := env.login("uploader")
	status, preview, body := env.upload(up, env.csrfFrom(up, "/uploads"), uploadFile{"bukan buku kerja.xlsx", []byte("bukan buku kerja")})
	if status != http.StatusSeeOther || !strings.HasPrefix(preview, "/uploads/") {
		t.Fatalf("upload: status %d, Location %q: %.300s", status, preview, body)
	}
	if _, err := pollUpload(up, env.URL+preview, 50*time.Millisecond); err != nil {
		t.Fatal(err)
	}

	b := newBrowser(t, env)
	ctx := b.ctx
	check := func(where string) {
		t.Helper()
		b.do(ctx, chromedp.Evaluate[chromedp.Void](string(axe)))
		r := eval[axeResult](b, ctx, `axe.run(document, {runOnly: {type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}})
			.then(r => ({Passes: r.passes.length, Violations: r.violations.map(v => ({ID: v.id, Impact: v.impact, Help: v.help,
				Nodes: v.nodes.slice(0, 5).map(n => n.target.join(" "))}))}))`)
		if r.Passes == 0 {
			t.Errorf("%s: axe checked nothing", where)
		}
		for _, v := range r.Violations {
			t.Errorf("%s: %s (%s): %s at %v", where, v.ID, v.Impact, v.Help, v.Nodes)
		}
	}
	b.navigate(ctx, "/login")
	check("login")
	b.login(ctx, "admin")
	pages := []string{"/", "/?from=2015-04-01&to=2015-06-30", "/organizing?from=2015-04-01&to=2015-06-30&compare=year", "/facilitators", "/problems?gender=P", "/organizing", "/targets?as_of=2015-02-15", "/targets?region=Kota+Malang&gender=P", "/targets?from=2030-01-01", "/quality", "/quality?kind=wage_outlier&checked=1", "/shares?page=%2Fproblems&query=", "/admin/audit", "/help", "/uploads", preview, "/imports",
		"/imports/1/undo", "/admin/users", "/admin/users/viewer/remove", "/account", "/no-such-page"}
	for _, lang := range []string{"id", "en"} {
		b.navigate(ctx, "/help?lang="+lang) // the language is remembered
		for _, path := range pages {
			b.navigate(ctx, path)
			if got := eval[string](b, ctx, `document.documentElement.lang`); got != lang {
				t.Errorf("%s: <html lang=%q>, want %s", path, got, lang)
			}
			if eval[int](b, ctx, `document.querySelectorAll("[id^=chart-]").length`) > 0 {
				b.waitCharts(ctx)
			}
			check(path + " in " + lang)
		}
	}
	// The error page's own 404 is what it is for, not a problem in the browser.
	b.mu.Lock()
	b.problems = slices.DeleteFunc(b.problems, func(p string) bool { return strings.Contains(p, "404 (Not Found) "+env.URL+"/no-such-page") })
	b.mu.Unlock()
}
