package dashboard_test

import (
	"bytes"
	"log/slog"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"pantau/dashboard"
	"pantau/queries"
)

// syncBuffer is a log sink the server writes from many goroutines.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// makeLink creates a link through the page as c's user and returns its path.
func makeLink(t *testing.T, env *testEnv, c *http.Client, form url.Values) string {
	t.Helper()
	form.Set("_csrf", env.htCSRF(c, true))
	r := env.htDo(c, "POST", "/shares", form)
	m := regexp.MustCompile(`id="new-link">[^<]*<a href="(/s/[A-Za-z0-9_-]{22})"`).FindStringSubmatch(r.body)
	if r.status != http.StatusOK || m == nil {
		t.Fatalf("make a link: %d %.500s", r.status, r.body)
	}
	return m[1]
}

// TestShareLinks: a viewer scoped to Kab. Jember shares /problems; anyone
// with the link sees that page, its charts, CSVs and workbook with Jember's
// figures only, and can narrow the period but not reach another page or a
// wider filter; a password is asked for, refused when wrong and slowed like
// a login; revoking and expiry end the link at once; the token never
// appears in the log.
func TestShareLinks(t *testing.T) {
	var log syncBuffer
	env := newTestEnv(t, envOptions{samples: true, config: func(c *dashboard.Config) {
		c.Logger = slog.New(slog.NewTextHandler(&log, nil))
	}})
	if err := env.DB.AddUser(t.Context(), "jember", queries.Viewer, testPassword); err != nil {
		t.Fatal(err)
	}
	if err := env.DB.SetScope(t.Context(), "jember", jemberOnly); err != nil {
		t.Fatal(err)
	}
	maker := env.login("jember")
	regions := []string{"Kab. Jember", "Kota Malang", "Kab. Malang", "Kota Batu", "Kota Surabaya"}

	// The page links the form with its page and filter; a wider filter is refused.
	if page := env.get(maker, "/problems?region=Kab.+Jember", http.StatusOK); !strings.Contains(page, `href="/shares?page=%2Fproblems&amp;query=region%3DKab.%2BJember"`) {
		t.Error("the page does not link the share form with its filter")
	}
	if r := env.htDo(maker, "POST", "/shares", url.Values{"_csrf": {env.htCSRF(maker, true)}, "page": {"/problems"}, "query": {"region=Kota+Batu"}}); r.status != http.StatusForbidden {
		t.Errorf("a link wider than the scope: %d", r.status)
	}
	if r := env.htDo(maker, "POST", "/shares", url.Values{"_csrf": {env.htCSRF(maker, true)}, "page": {"/admin/users"}}); r.status != http.StatusBadRequest {
		t.Errorf("a link to another page: %d", r.status)
	}
	link := makeLink(t, env, maker, url.Values{"page": {"/problems"}, "query": {""}, "label": {"Dinas Jember"}})

	anyone := env.client()
	body := env.get(anyone, link, http.StatusOK)
	if !strings.Contains(body, "Dinas Jember") || strings.Contains(body, `href="/admin/users"`) || strings.Contains(body, `nav aria-label`) {
		t.Errorf("the shared page: %.300s", body)
	}
	for _, path := range []string{link, link + "/charts/problems-by-region", link + "/charts/problems-by-region/csv", link + "/summary.xlsx",
		link + "/charts/problems-by-region?region=Kota+Batu", link + "/summary.xlsx?region=Kota+Batu&gender=L"} {
		b := env.get(anyone, path, http.StatusOK)
		if out := outsideScope(t, b, regions, jemberOnly); len(out) > 0 {
			t.Errorf("%s names %v", path, out)
		}
		if !strings.Contains(b, "Jember") && !strings.HasPrefix(b, "PK") {
			t.Errorf("%s does not show Jember: %.200s", path, b)
		}
	}
	// Narrowing the period narrows the figures; nothing reaches past the link.
	whole := env.get(anyone, link+"/charts/problem-prevalence", http.StatusOK)
	narrow := env.get(anyone, link+"/charts/problem-prevalence?from=2014-10-01&to=2014-10-31", http.StatusOK)
	if whole == narrow {
		t.Error("narrowing the period changed nothing")
	}
	for _, path := range []string{"/problems", "/api/v1/summary", "/api/v1/charts/problem-prevalence", "/shares"} {
		if r := env.htDo(anyone, "GET", path, nil); r.status != http.StatusSeeOther && r.status != http.StatusUnauthorized {
			t.Errorf("the link's visitor reached %s: %d", path, r.status)
		}
	}

	// A password: asked for, refused when wrong, limited like logins.
	locked := makeLink(t, env, maker, url.Values{"page": {"/"}, "query": {""}, "password": {"kopi hujan sore"}})
	visitor := env.client()
	if r := env.htDo(visitor, "GET", locked, nil); r.status != http.StatusUnauthorized || !strings.Contains(r.body, `name="password"`) {
		t.Fatalf("a passworded link: %d %.300s", r.status, r.body)
	}
	csrfOf := func(c *http.Client) string {
		m := regexp.MustCompile(`name="_csrf" value="([^"]+)"`).FindStringSubmatch(env.htDo(c, "GET", locked, nil).body)
		if m == nil {
			t.Fatal("no CSRF token on the password form")
		}
		return m[1]
	}
	token := csrfOf(visitor)
	try := func(c *http.Client, password string) htResp {
		return env.htDo(c, "POST", locked, url.Values{"_csrf": {token}, "password": {password}})
	}
	statuses := []int{}
	for range 7 {
		statuses = append(statuses, try(visitor, "wrong password").status)
	}
	if statuses[0] != http.StatusUnauthorized || statuses[len(statuses)-1] != http.StatusTooManyRequests {
		t.Errorf("wrong passwords answered %v; want 401 then 429", statuses)
	}
	other := env.client()
	token = csrfOf(other)
	if r := try(other, "kopi hujan sore"); r.status != http.StatusTooManyRequests {
		t.Errorf("the right password while the address must wait: %d, want 429", r.status)
	}
	env.Advance(time.Hour)
	if r := try(other, "kopi hujan sore"); r.status != http.StatusSeeOther {
		t.Fatalf("the right password: %d %.300s", r.status, r.body)
	}
	env.get(other, locked, http.StatusOK)
	env.get(other, locked+"/charts/problem-prevalence", http.StatusOK)
	env.get(env.client(), locked+"/charts/problem-prevalence", http.StatusUnauthorized)

	// Revoked: gone at once, for everyone; expiry likewise.
	list := env.get(maker, "/shares", http.StatusOK)
	ids := regexp.MustCompile(`data-link="(\d+)"`).FindAllStringSubmatch(list, -1)
	if len(ids) != 2 || !strings.Contains(list, "Dinas Jember") {
		t.Fatalf("the maker's links: %v", ids)
	}
	if r := env.htDo(maker, "POST", "/shares/"+ids[1][1]+"/revoke", url.Values{"_csrf": {env.htCSRF(maker, true)}}); r.status != http.StatusSeeOther {
		t.Fatalf("revoke: %d", r.status)
	}
	env.get(anyone, link, http.StatusNotFound)
	env.get(anyone, link+"/charts/problems-by-region", http.StatusNotFound)
	env.Advance(31 * 24 * time.Hour)
	env.get(other, locked, http.StatusNotFound)

	if strings.Contains(log.String(), link[len("/s/"):]) || strings.Contains(log.String(), locked[len("/s/"):]) {
		t.Error("a link's token is in the log")
	}
	for _, action := range []string{"share_created", "share_opened", "share_password_wrong", "share_revoked"} {
		if !strings.Contains(log.String(), "action="+action) {
			t.Errorf("the log does not record %s: %.500s", action, log.String())
		}
	}
	trail := env.get(env.login("admin"), "/admin/audit", http.StatusOK)
	for _, action := range []string{"share_created", "share_opened", "share_password_wrong", "share_revoked"} {
		if !strings.Contains(trail, `data-audit="`+action+`"`) {
			t.Errorf("/admin/audit lacks %s", action)
		}
	}
}
