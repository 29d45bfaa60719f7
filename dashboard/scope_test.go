package dashboard_test

import (
	"archive/zip"
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"testing"

	"pantau/ingest/xlsx/xlsxtest"
	"pantau/queries"
)

// The sample's regions, and two scoped users: a viewer who sees Kab.
// Jember, an uploader who sees Kab. Jember and Kota Malang.
var (
	jemberOnly = queries.Scope{"Kab. Jember"}
	jemberDuo  = queries.Scope{"Kab. Jember", "Kota Malang"}
)

// scopedEnv is the sample data with targets and the two scoped users.
func scopedEnv(t *testing.T) (*testEnv, []string) {
	env := newTestEnv(t, envOptions{samples: true})
	env.loadTargets()
	ctx := context.Background()
	for name, u := range map[string]struct {
		role  queries.Role
		scope queries.Scope
	}{"jember": {queries.Viewer, jemberOnly}, "duo": {queries.Uploader, jemberDuo}} {
		if err := env.DB.AddUser(ctx, name, u.role, testPassword); err != nil {
			t.Fatal(err)
		}
		if err := env.DB.SetScope(ctx, name, u.scope); err != nil {
			t.Fatal(err)
		}
	}
	var sum struct {
		Respondents struct {
			ByRegion []struct{ Region string } `json:"by_region"`
		}
	}
	if err := json.Unmarshal([]byte(env.get(env.login("admin"), "/api/v1/summary", http.StatusOK)), &sum); err != nil {
		t.Fatal(err)
	}
	var regions []string
	for _, r := range sum.Respondents.ByRegion {
		regions = append(regions, r.Region)
	}
	if len(regions) < 5 || !slices.Contains(regions, "Kab. Jember") || !slices.Contains(regions, "Kota Malang") {
		t.Fatalf("the sample's regions: %v", regions)
	}
	return env, regions
}

// outsideScope lists the sample regions the body names that the scope
// does not allow; a workbook is read through its XML parts.
var sampleFacilitatorName = regexp.MustCompile(`Faslap(\s|\+|%20)+(Kab\.|Kota)(\s|\+|%20)+\pL+(\s|\+|%20)+\d`)

func outsideScope(t *testing.T, body string, regions []string, scope queries.Scope) []string {
	t.Helper()
	text := body
	if strings.HasPrefix(body, "PK") {
		z, err := zip.NewReader(bytes.NewReader([]byte(body)), int64(len(body)))
		if err != nil {
			t.Fatal(err)
		}
		var all strings.Builder
		for _, f := range z.File {
			r, err := f.Open()
			if err != nil {
				t.Fatal(err)
			}
			b, _ := io.ReadAll(r)
			r.Close()
			all.Write(b)
		}
		text = all.String()
	}
	// The sample's placeholder facilitators are named for their region
	// ("Faslap Kota Malang 1"); a scoped user sees one recorded on a row of
	// the scope's (the sample plants facilitators of another region, a
	// quality flag), and the name is that row's data, not the other region's.
	text = sampleFacilitatorName.ReplaceAllString(text, "")
	var out []string
	for _, r := range regions {
		// As text, as JSON and as a URL query write it.
		if !scope.Allows(r) && (strings.Contains(text, r) || strings.Contains(text, url.QueryEscape(r))) {
			out = append(out, r)
		}
	}
	return out
}

// TestScopeEveryRoute asks every route that answers with data as a viewer
// scoped to Kab. Jember and an uploader scoped to Kab. Jember and Kota
// Malang: each answers, and names no region outside the scope (pages,
// chart JSON, CSV, the summary workbook's cells, the API summary, targets,
// quality); a region outside the scope is a 403 naming the allowed ones.
// Every route of the server is either asked here or named as carrying no
// data of a region.
func TestScopeEveryRoute(t *testing.T) {
	env, regions := scopedEnv(t)
	data := []string{
		"/", "/facilitators", "/problems", "/organizing", "/quality", "/quality?kind=wage_outlier",
		"/targets?as_of=2015-06-30", "/api/v1/summary", "/api/v1/targets?as_of=2015-06-30", "/api/v1/quality",
		"/exports/summary.xlsx", "/api/v1/quality/charts/quality-regions", "/api/v1/quality/charts/quality-regions/csv",
		"/api/v1/targets/charts/responden?as_of=2015-06-30", "/api/v1/targets/charts/responden/csv?as_of=2015-06-30",
	}
	for _, id := range htAllCharts {
		data = append(data, "/api/v1/charts/"+id, "/api/v1/charts/"+id+"/csv")
	}
	// Routes with no region's data in them, or none a scoped user reaches here.
	noData := []string{
		"GET /healthz", "GET /static/:hash/*", "GET /login", "POST /login", "POST /logout", "GET /help",
		"GET /account", "POST /account/password", "POST /account/sessions/:id/end", "POST /account/sessions/end-others",
		"GET /templates/peserta.xlsx", "GET /templates/survei.xlsx", "GET /templates/target.xlsx",
		"GET /uploads", "POST /uploads", "GET /uploads/:id", "GET /uploads/:id/status", "GET /uploads/:id/annotated.xlsx",
		"POST /uploads/:id/commit", "POST /uploads/:id/discard", "POST /quality/check",
		"GET /imports", "GET /imports/:id/file", "GET /imports/:id/flagged.xlsx", "GET /imports/:id/undo", "POST /imports/:id/undo",
		"GET /admin/users", "POST /admin/users", "POST /admin/users/:name/disable", "POST /admin/users/:name/enable",
		"POST /admin/users/:name/password", "POST /admin/users/:name/scope", "GET /admin/users/:name/remove",
		"POST /admin/users/:name/remove", "POST /admin/logins/lift", "GET /admin/backup", "GET /admin/audit", "POST /admin/settings/provinces",
		"POST /admin/settings/late_after_days",
		// Share links: their own scope, tested in TestShareLinks.
		"GET /shares", "POST /shares", "POST /shares/:id/revoke", "GET /s/:token", "POST /s/:token",
		"GET /s/:token/charts/:id", "GET /s/:token/charts/:id/csv", "GET /s/:token/summary.xlsx",
	}
	covered := slices.Clone(noData)
	for _, p := range data {
		path, _, _ := strings.Cut(p, "?")
		route := "GET " + path
		for _, id := range htAllCharts {
			route = strings.Replace(route, "/charts/"+id, "/charts/:id", 1)
		}
		route = strings.Replace(route, "/quality/charts/quality-regions", "/quality/charts/:id", 1)
		route = strings.Replace(route, "/targets/charts/responden", "/targets/charts/:indicator", 1)
		covered = append(covered, route)
	}
	slices.Sort(covered)
	covered = slices.Compact(covered)
	if got := env.Server.Routes(); !slices.Equal(got, covered) {
		t.Errorf("routes of the server and of the test differ:\nserver %q\n test  %q", got, covered)
	}

	for name, scope := range map[string]queries.Scope{"jember": jemberOnly, "duo": jemberDuo} {
		c := env.login(name)
		for _, path := range data {
			r := env.htDo(c, "GET", path, nil)
			if r.status == http.StatusSeeOther { // a page's canonical URL carries the scope's regions
				r = env.htDo(c, "GET", r.location(), nil)
			}
			if r.status != http.StatusOK {
				t.Errorf("%s GET %s: status %d: %.200s", name, path, r.status, r.body)
				continue
			}
			if out := outsideScope(t, r.body, regions, scope); len(out) > 0 {
				t.Errorf("%s GET %s names %v, outside the scope %v", name, path, out, scope)
			}
		}
		// Asking for a region outside the scope is refused, naming the scope.
		for _, path := range []string{"/problems?region=Kota+Batu", "/api/v1/summary?region=Kota+Batu", "/api/v1/charts/problem-prevalence?region=Kab.+Jember&region=Kota+Batu",
			"/exports/summary.xlsx?region=Kota+Batu", "/api/v1/quality?region=Kota+Batu"} {
			r := env.htDo(c, "GET", path, nil)
			if r.status != http.StatusForbidden || !strings.Contains(r.body, "Kota Batu") || !strings.Contains(r.body, "Kab. Jember") {
				t.Errorf("%s GET %s: %d %.200s; want 403 naming Kota Batu and the scope", name, path, r.status, r.body)
			}
		}
	}
}

// TestScopedSummaryEqualsFiltered: what a scoped user's API summary says is
// byte for byte the unscoped summary filtered to the scope.
func TestScopedSummaryEqualsFiltered(t *testing.T) {
	env, _ := scopedEnv(t)
	for name, query := range map[string]string{"jember": "region=Kab.+Jember", "duo": "region=Kab.+Jember&region=Kota+Malang"} {
		scoped := env.get(env.login(name), "/api/v1/summary", http.StatusOK)
		filtered := env.get(env.login("viewer"), "/api/v1/summary?"+query, http.StatusOK)
		if scoped != filtered {
			t.Errorf("%s: the scoped summary differs from the filtered one:\n%.300s\n%.300s", name, scoped, filtered)
		}
		if whole := env.get(env.login("viewer"), "/api/v1/summary", http.StatusOK); whole == scoped {
			t.Errorf("%s: the scoped summary is the whole program's", name)
		}
	}
}

// TestScopedUploaderThroughThePage: an uploader limited to Kab. Jember and
// Kota Malang uploads a survey with a Kota Batu row: the preview names that
// cell and offers no Impor, and nothing is stored; the history shows them
// only the imports of their regions (not the sample's), and theirs, which
// they may undo.
func TestScopedUploaderThroughThePage(t *testing.T) {
	env, _ := scopedEnv(t)
	c := env.login("duo")
	token := env.htCSRF(c, true)
	survey := func(regions ...string) []byte {
		rows := [][]any{{"ID Responden", "Tanggal Survei", "Wilayah", "Jenis Pekerjaan"}}
		for i, r := range regions {
			rows = append(rows, []any{"S-" + string(rune('A'+i)), "11/09/2014", r, "POS"})
		}
		return xlsxtest.Workbook(t, xlsxtest.Tab{Name: "Responden", Rows: rows})
	}
	count := func() int {
		n, err := env.DB.Count(context.Background(), "respondents")
		if err != nil {
			t.Fatal(err)
		}
		return n
	}
	before := count()
	_, page, _ := env.upload(c, token, uploadFile{"luar.xlsx", survey("Kab. Jember", "Kota Batu")})
	if state := env.waitUpload(c, page); state != "invalid" {
		t.Fatalf("state %q, want invalid", state)
	}
	preview := env.get(c, page+"?lang=en", http.StatusOK)
	if !strings.Contains(preview, "Responden!C3") || !strings.Contains(preview, "outside your regions: Kab. Jember, Kota Malang") {
		t.Errorf("the preview does not name the cell and the scope: %.2000s", preview)
	}
	if strings.Contains(preview, "/commit") || count() != before {
		t.Error("a refused file can be committed, or stored rows")
	}

	if imports := env.get(c, "/imports", http.StatusOK); strings.Contains(imports, `data-import="1"`) || strings.Contains(imports, `data-import="2"`) {
		t.Error("the scoped uploader sees the sample's imports, which name other regions")
	}
	env.get(c, "/imports/2/file", http.StatusNotFound)
	env.get(c, "/imports/2/undo", http.StatusNotFound)

	_, page, _ = env.upload(c, token, uploadFile{"dalam.xlsx", survey("Kab. Jember", "Kota Malang")})
	if state := env.waitUpload(c, page); state != "ready" {
		t.Fatalf("state %q, want ready", state)
	}
	r := env.htDo(c, "POST", page+"/commit", url.Values{"_csrf": {token}})
	if r.status != http.StatusSeeOther {
		t.Fatalf("commit: %d %.300s", r.status, r.body)
	}
	env.waitUpload(c, page)
	if count() != before+2 {
		t.Errorf("respondents %d, want %d", count(), before+2)
	}
	imports := env.get(c, "/imports", http.StatusOK)
	ids := regexp.MustCompile(`data-import="(\d+)"`).FindAllStringSubmatch(imports, -1)
	if len(ids) != 1 {
		t.Fatalf("the scoped uploader's history: %v", ids)
	}
	env.get(c, "/imports/"+ids[0][1]+"/undo", http.StatusOK)
}

// TestAdminScopesAUser: the users page limits a user to regions (written
// as the workbooks allow), shows the scope, refuses an unknown region with
// the form kept, and lifts the scope with a blank field; the user's next
// request sees the new scope at once.
func TestAdminScopesAUser(t *testing.T) {
	env, _ := scopedEnv(t)
	admin := env.login("admin")
	token := env.htCSRF(admin, true)
	viewer := env.login("viewer")
	if r := env.htDo(viewer, "GET", "/api/v1/summary?region=Kota+Batu", nil); r.status != http.StatusOK {
		t.Fatalf("unscoped: %d", r.status)
	}
	r := env.htDo(admin, "POST", "/admin/users/viewer/scope", url.Values{"_csrf": {token}, "regions": {"jember"}})
	if r.status != http.StatusSeeOther {
		t.Fatalf("scope: %d %.300s", r.status, r.body)
	}
	page := env.get(admin, r.location(), http.StatusOK)
	if !regexp.MustCompile(`data-user="viewer">[\s\S]*?<td data-scope>Kab. Jember</td>`).MatchString(page) {
		t.Errorf("the users page does not show the scope")
	}
	if r := env.htDo(viewer, "GET", "/api/v1/summary?region=Kota+Batu", nil); r.status != http.StatusForbidden {
		t.Errorf("after scoping, Kota Batu: %d", r.status)
	}
	r = env.htDo(admin, "POST", "/admin/users/viewer/scope", url.Values{"_csrf": {token}, "regions": {"Kab. Atlantis"}})
	if r.status != http.StatusBadRequest || !strings.Contains(r.body, "Atlantis") {
		t.Errorf("an unknown region: %d %.300s", r.status, r.body)
	}
	if r := env.htDo(admin, "POST", "/admin/users/viewer/scope", url.Values{"_csrf": {token}, "regions": {""}}); r.status != http.StatusSeeOther {
		t.Fatalf("lift: %d", r.status)
	}
	if r := env.htDo(viewer, "GET", "/api/v1/summary?region=Kota+Batu", nil); r.status != http.StatusOK {
		t.Errorf("after lifting, Kota Batu: %d", r.status)
	}
	// The audit trail has both changes and the refusal, newest first.
	trail := env.get(admin, "/admin/audit", http.StatusOK)
	got := regexp.MustCompile(`data-audit="([a-z_]+)"`).FindAllStringSubmatch(trail, -1)
	var actions []string
	for _, m := range got {
		actions = append(actions, m[1])
	}
	if strings.Join(actions, " ") != "scope_changed scope_refused scope_changed" || !strings.Contains(trail, "viewer: Kab. Jember") || !strings.Contains(trail, "Kota Batu at /api/v1/summary") {
		t.Errorf("the audit trail: %v", actions)
	}
	env.get(viewer, "/admin/audit", http.StatusForbidden)
}
