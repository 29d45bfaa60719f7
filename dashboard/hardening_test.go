package dashboard_test

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"pantau/dashboard"
)

// HEAD is answered like GET, without a body, on every page (it was 405).
func TestHeadLikeGet(t *testing.T) {
	env := newTestEnv(t, envOptions{samples: true})
	viewer := env.login("viewer")
	for _, path := range []string{"/", "/problems?gender=P", "/api/v1/summary", "/healthz"} {
		get, head := env.htDo(viewer, "GET", path, nil), env.htDo(viewer, "HEAD", path, nil)
		if head.status != get.status || head.status != http.StatusOK {
			t.Errorf("HEAD %s: status %d, GET %d", path, head.status, get.status)
		}
		if head.body != "" {
			t.Errorf("HEAD %s: a body of %d bytes", path, len(head.body))
		}
		if hc, gc := head.header.Get("Content-Type"), get.header.Get("Content-Type"); hc != gc {
			t.Errorf("HEAD %s: Content-Type %q, GET %q", path, hc, gc)
		}
	}
	if r := env.htDo(env.client(), "HEAD", "/", nil); r.status != http.StatusSeeOther {
		t.Errorf("HEAD / without a session: status %d, want the redirect to the login page", r.status)
	}
}

// A query string Go cannot read whole is refused, not read in part: with
// ";" the filter was dropped and the figures were for everyone.
func TestUnreadableQueryRefused(t *testing.T) {
	env := newTestEnv(t, envOptions{samples: true})
	viewer := env.login("viewer")
	for _, path := range []string{"/api/v1/summary?gender=P;region=Kota+Batu", "/api/v1/summary?region=Kota+Batu;", "/problems?gender=P;x", "/api/v1/summary?gender=%zz"} {
		r := env.htDo(viewer, "GET", path, nil)
		if r.status != http.StatusBadRequest || !strings.Contains(r.body, "tanpa") {
			t.Errorf("GET %s: status %d: %.300s", path, r.status, r.body)
		}
	}
	// The same filter written with "&" is answered.
	r := env.htDo(viewer, "GET", "/api/v1/summary?gender=P&region=Kota+Batu", nil)
	var sum struct{ Filter struct{ Gender string } }
	if r.status != http.StatusOK || json.Unmarshal([]byte(r.body), &sum) != nil || sum.Filter.Gender != "P" {
		t.Errorf("with &: status %d, filter %+v", r.status, sum.Filter)
	}
}

// An import has one address: its id as pantau writes it.
func TestImportIDsCanonical(t *testing.T) {
	env := newTestEnv(t, envOptions{samples: true})
	uploader := env.login("uploader")
	for path, want := range map[string]int{
		"/imports/1/undo": 200, "/imports/01/undo": 404, "/imports/+1/undo": 404, "/imports/1.0/undo": 404,
		"/imports/1/file": 200, "/imports/001/file": 404,
	} {
		if r := env.htDo(uploader, "GET", path, nil); r.status != want {
			t.Errorf("GET %s: status %d, want %d", path, r.status, want)
		}
	}
}

// A logged-in browser's CSRF token is bound to its session: a cookie and
// field pair of the attacker's choosing, a token of another session or of
// an ended one, or one in the query string is refused.
func TestCSRFBoundToSession(t *testing.T) {
	env := newTestEnv(t, envOptions{})
	admin := env.login("admin")
	addUser := func(c *http.Client, name, token string, query string) int {
		form := url.Values{"username": {name}, "role": {"viewer"}, "password": {testPassword}}
		if token != "" {
			form.Set("_csrf", token)
		}
		return env.htDo(c, "POST", "/admin/users"+query, form).status
	}
	planted := strings.Repeat("p", 43)
	env.setCookie(admin, "pantau_csrf", planted)
	if got := addUser(admin, "planted", planted, ""); got != http.StatusForbidden {
		t.Errorf("a planted cookie and field pair: status %d, want 403", got)
	}
	other := env.login("admin")
	if got := addUser(admin, "crossed", env.htCSRF(other, true), ""); got != http.StatusForbidden {
		t.Errorf("another session's token: status %d, want 403", got)
	}
	token := env.htCSRF(admin, true)
	if got := addUser(admin, "inquery", "", "?_csrf="+url.QueryEscape(token)); got != http.StatusForbidden {
		t.Errorf("the token in the query string: status %d, want 403", got)
	}
	if got := addUser(admin, "good", token, ""); got != http.StatusSeeOther {
		t.Errorf("the session's own token: status %d, want 303", got)
	}
	// After logout and a new login the old session's token is worthless.
	env.htDo(admin, "POST", "/logout", url.Values{"_csrf": {token}})
	again := env.login("admin")
	if got := addUser(again, "stale", token, ""); got != http.StatusForbidden {
		t.Errorf("an ended session's token: status %d, want 403", got)
	}
}

// setCookie gives c a cookie for the test server, as a page of another
// site on the same host could.
func (e *testEnv) setCookie(c *http.Client, name, value string) {
	u, _ := url.Parse(e.URL)
	c.Jar.SetCookies(u, []*http.Cookie{{Name: name, Value: value, Path: "/"}})
}

// A state-changing request a browser says came from another site is
// refused, even with a good token.
func TestCrossOriginRefused(t *testing.T) {
	env := newTestEnv(t, envOptions{})
	viewer := env.login("viewer")
	token := env.htCSRF(viewer, true)
	for _, h := range [][]string{{"Origin", "http://evil.example"}, {"Sec-Fetch-Site", "cross-site"}, {"Sec-Fetch-Site", "same-site"}} {
		r := env.htDo(viewer, "POST", "/logout", url.Values{"_csrf": {token}}, h...)
		if r.status != http.StatusForbidden || !strings.Contains(r.body, "situs lain") {
			t.Errorf("logout with %s: %s: status %d: %.300s", h[0], h[1], r.status, r.body)
		}
	}
	if !env.htLoggedIn(viewer) {
		t.Fatal("a cross-site logout went through")
	}
	u, _ := url.Parse(env.URL)
	if r := env.htDo(viewer, "POST", "/logout", url.Values{"_csrf": {token}}, "Origin", "http://"+u.Host, "Sec-Fetch-Site", "same-origin"); r.status != http.StatusSeeOther {
		t.Errorf("a same-origin logout: status %d, want 303", r.status)
	}
}

// Behind a trusted proxy the client address comes from X-Forwarded-For
// (login limits count per real client); without --trust-proxy it never does.
func TestTrustProxyAddress(t *testing.T) {
	env := newTestEnv(t, envOptions{config: func(c *dashboard.Config) { c.TrustProxy = true }})
	for range 6 {
		env.htLogin("viewer", "wrong password", nil, "X-Forwarded-For", "203.0.113.7")
	}
	if _, r := env.htLogin("viewer", testPassword, nil, "X-Forwarded-For", "203.0.113.7"); r.status != http.StatusTooManyRequests {
		t.Errorf("the failing client: status %d, want 429", r.status)
	}
	if _, r := env.htLogin("viewer", testPassword, nil, "X-Forwarded-For", "203.0.113.8"); r.status != http.StatusSeeOther {
		t.Errorf("another client behind the proxy: status %d, want 303", r.status)
	}
}

// Figures are personal data: the API's JSON and CSV are never cached.
func TestAPINotCached(t *testing.T) {
	env := newTestEnv(t, envOptions{samples: true})
	viewer := env.login("viewer")
	for _, path := range []string{"/api/v1/summary", "/api/v1/charts/problem-prevalence", "/api/v1/charts/problem-prevalence/csv?gender=P"} {
		if r := env.htDo(viewer, "GET", path, nil); r.status != http.StatusOK || r.header.Get("Cache-Control") != "no-store" {
			t.Errorf("GET %s: status %d, Cache-Control %q; want no-store", path, r.status, r.header.Get("Cache-Control"))
		}
	}
}

// An upload whose request says it is bigger than the limit is refused
// before a byte of it is read (it was written to disk up to the limit).
func TestUploadRefusedOnContentLength(t *testing.T) {
	env := newTestEnv(t, envOptions{config: func(c *dashboard.Config) { c.MaxUpload = 64 << 10 }})
	c := env.login("uploader")
	token := env.csrfFrom(c, "/uploads")
	// The body announces 3 MiB and then stalls: only a refusal on the
	// announced length answers before the test's deadline.
	body, stall := io.Pipe()
	defer stall.Close()
	go stall.Write([]byte("--b\r\nContent-Disposition: form-data; name=\"_csrf\"\r\n\r\n" + token + "\r\n"))
	req, _ := http.NewRequest("POST", env.URL+"/uploads", body)
	req.ContentLength = 3 << 20
	req.Header.Set("Content-Type", "multipart/form-data; boundary=b")
	client := *c
	client.Timeout = 10 * time.Second
	resp, err := client.Do(req)
	if err != nil {
		t.Fatalf("no answer before the body was sent: %v", err)
	}
	defer resp.Body.Close()
	msg, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != http.StatusRequestEntityTooLarge || !strings.Contains(string(msg), "64 KiB") {
		t.Errorf("status %d: %.300s", resp.StatusCode, msg)
	}
	if got := waitingFiles(t, env); len(got) != 0 {
		t.Errorf("files written: %v", got)
	}
}

// An admin who clicks Impor on another user's upload is recorded as the
// one who committed it, beside the uploader (who was recorded alone).
func TestCommitterRecorded(t *testing.T) {
	env := newTestEnv(t, envOptions{})
	up := env.login("uploader")
	status, preview, body := env.upload(up, env.csrfFrom(up, "/uploads"), uploadFile{"peserta.xlsx", participantBytes(t)})
	if status != http.StatusSeeOther {
		t.Fatalf("upload: status %d: %.300s", status, body)
	}
	if _, err := pollUpload(up, env.URL+preview, 50*time.Millisecond); err != nil {
		t.Fatal(err)
	}
	admin := env.login("admin")
	if r := env.htDo(admin, "POST", preview+"/commit", url.Values{"_csrf": {env.htCSRF(admin, true)}}); r.status != http.StatusSeeOther {
		t.Fatalf("commit: status %d: %.300s", r.status, r.body)
	}
	if state, err := pollUpload(admin, env.URL+preview, 50*time.Millisecond); err != nil || state != "committed" {
		t.Fatalf("commit: %s, %v", state, err)
	}
	imports, err := env.DB.Imports(context.Background())
	if err != nil || len(imports) != 1 || imports[0].By != "uploader" || imports[0].CommittedBy != "admin" {
		t.Fatalf("imports %+v, %v; want uploaded by uploader, committed by admin", imports, err)
	}
	if page := env.get(admin, "/imports", http.StatusOK); !strings.Contains(page, "uploader (diimpor oleh admin)") {
		t.Errorf("the history does not say who committed: %.2000s", page)
	}
}
