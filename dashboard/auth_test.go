package dashboard_test

// Tests of who may do what: the role × route matrix, CSRF, sessions and
// their cookies, login rate limits and the post-login redirect.

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"pantau/dashboard"
	"pantau/queries"
)

// htResp is a response read in full.
type htResp struct {
	status  int
	header  http.Header
	body    string
	cookies []*http.Cookie
}

func (r htResp) location() string { return r.header.Get("Location") }

// htDo sends one request with c: a form body when form is not nil, and the
// headers given (name, value, name, value...).
func (e *testEnv) htDo(c *http.Client, method, path string, form url.Values, headers ...string) htResp {
	e.t.Helper()
	var body io.Reader
	if form != nil {
		body = strings.NewReader(form.Encode())
	}
	req, err := http.NewRequest(method, e.URL+path, body)
	if err != nil {
		e.t.Fatal(err)
	}
	if form != nil {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	resp, err := c.Do(req)
	if err != nil {
		e.t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		e.t.Fatal(err)
	}
	return htResp{status: resp.StatusCode, header: resp.Header, body: string(b), cookies: resp.Cookies()}
}

// htCSRF is the CSRF token of client c: the one its pages' forms carry.
func (e *testEnv) htCSRF(c *http.Client, loggedIn bool) string {
	e.t.Helper()
	if loggedIn {
		return e.csrfFrom(c, "/help")
	}
	return e.csrfFrom(c, "/login")
}

// htLoggedIn reports whether c's session is good: GET /help is 200, not a
// redirect to the login page.
func (e *testEnv) htLoggedIn(c *http.Client) bool {
	e.t.Helper()
	r := e.htDo(c, "GET", "/help", nil)
	switch {
	case r.status == http.StatusOK:
		return true
	case r.status == http.StatusSeeOther && strings.HasPrefix(r.location(), "/login?next="):
		return false
	}
	e.t.Fatalf("GET /help: status %d, Location %q", r.status, r.location())
	return false
}

// htLogin posts the login form for username and password from a fresh
// client, with a valid CSRF token, and returns the client and response.
func (e *testEnv) htLogin(username, password string, form url.Values, headers ...string) (*http.Client, htResp) {
	e.t.Helper()
	c := e.client()
	token := e.htCSRF(c, false)
	if form == nil {
		form = url.Values{}
	}
	form.Set("username", username)
	form.Set("password", password)
	form.Set("_csrf", token)
	return c, e.htDo(c, "POST", "/login", form, headers...)
}

func htCookie(cookies []*http.Cookie, name string) *http.Cookie {
	for _, c := range cookies {
		if c.Name == name {
			return c
		}
	}
	return nil
}

// htChartIDs are the chart ids the four dashboards show, read from the
// pages themselves (id="chart-..."), in order of first appearance.
func (e *testEnv) htChartIDs(c *http.Client) []string {
	e.t.Helper()
	re := regexp.MustCompile(`id="chart-([a-z0-9-]+)"`)
	var ids []string
	for _, page := range []string{"/", "/facilitators", "/problems", "/organizing"} {
		for _, m := range re.FindAllStringSubmatch(e.get(c, page, http.StatusOK), -1) {
			if !slices.Contains(ids, m[1]) {
				ids = append(ids, m[1])
			}
		}
	}
	return ids
}

// htAllCharts is every chart the API serves.
var htAllCharts = []string{
	"facilitators-by-region", "problem-prevalence", "organizing-funnel", "staff-by-role",
	"problems-by-region", "problems-by-work-type", "problems-by-gender", "respondents-by-product",
	"wage-vs-umk", "groups-by-region-stage", "groups-formed-by-month", "members-by-region", "respondents-by-month",
}

func TestChartIDsAreThoseThePagesShow(t *testing.T) {
	env := newTestEnv(t, envOptions{})
	got := env.htChartIDs(env.login("viewer"))
	want := slices.Clone(htAllCharts)
	slices.Sort(got)
	slices.Sort(want)
	if !slices.Equal(got, want) {
		t.Errorf("charts on the pages:\n got %v\nwant %v", got, want)
	}
}

// TestRouteRoleMatrix asks every route as anonymous, viewer, uploader and
// admin. The table is checked against the server's own route list, so a
// route added to routes.go without a row here fails the test.
func TestRouteRoleMatrix(t *testing.T) {
	env := newTestEnv(t, envOptions{samples: true}) // an import to download and preview an undo of
	env.loadTargets()
	ctx := context.Background()
	for _, name := range []string{"target", "leaving"} {
		if err := env.DB.AddUser(ctx, name, queries.Viewer, testPassword); err != nil {
			t.Fatal(err)
		}
	}
	clients := map[string]*http.Client{"anonymous": env.client()}
	for _, role := range []string{"viewer", "uploader", "admin"} {
		clients[role] = env.login(role)
	}
	tokens := map[string]string{"anonymous": env.htCSRF(clients["anonymous"], false)}
	for _, role := range []string{"viewer", "uploader", "admin"} {
		tokens[role] = env.htCSRF(clients[role], true)
	}
	static := regexp.MustCompile(`src="(/static/[0-9a-f]+/app\.js)"`).FindStringSubmatch(env.get(clients["anonymous"], "/login", http.StatusOK))
	if static == nil {
		t.Fatal("the login page links no /static/<hash>/app.js")
	}

	const (
		page   = "page"   // anonymous: 303 to /login?next=
		api    = "api"    // anonymous: 401 JSON
		public = "public" // anyone: the status given
	)
	type row struct {
		route  string // as echo lists it
		method string
		path   string
		form   url.Values
		kind   string
		// want status for viewer, uploader, admin (and anonymous when public)
		viewer, uploader, admin, anonymous int
	}
	newUser := func(name string) url.Values {
		return url.Values{"username": {name}, "role": {"viewer"}, "password": {testPassword}}
	}
	pw := url.Values{"password": {"another long password"}}
	rows := []row{
		{route: "GET /healthz", method: "GET", path: "/healthz", kind: public, anonymous: 200, viewer: 200, uploader: 200, admin: 200},
		{route: "GET /healthz", method: "HEAD", path: "/healthz", kind: public, anonymous: 200, viewer: 200, uploader: 200, admin: 200},
		{route: "GET /static/:hash/*", method: "GET", path: static[1], kind: public, anonymous: 200, viewer: 200, uploader: 200, admin: 200},
		{route: "GET /login", method: "GET", path: "/login", kind: public, anonymous: 200, viewer: 303, uploader: 303, admin: 303},
		{route: "POST /login", method: "POST", path: "/login", form: url.Values{"username": {"nobody"}, "password": {"wrong password"}},
			kind: public, anonymous: 401, viewer: 401, uploader: 401, admin: 401},
		{route: "GET /", method: "GET", path: "/", kind: page, viewer: 200, uploader: 200, admin: 200},
		{route: "GET /facilitators", method: "GET", path: "/facilitators", kind: page, viewer: 200, uploader: 200, admin: 200},
		{route: "GET /problems", method: "GET", path: "/problems", kind: page, viewer: 200, uploader: 200, admin: 200},
		{route: "GET /organizing", method: "GET", path: "/organizing", kind: page, viewer: 200, uploader: 200, admin: 200},
		{route: "GET /help", method: "GET", path: "/help", kind: page, viewer: 200, uploader: 200, admin: 200},
		{route: "GET /targets", method: "GET", path: "/targets?as_of=2015-03-31", kind: page, viewer: 200, uploader: 200, admin: 200},
		{route: "GET /account", method: "GET", path: "/account", kind: page, viewer: 200, uploader: 200, admin: 200},
		// A wrong current password: refused on the page.
		{route: "POST /account/password", method: "POST", path: "/account/password",
			form: url.Values{"current": {"not the password"}, "password": {"zebra kopi hujan sore"}, "password2": {"zebra kopi hujan sore"}},
			kind: "post", viewer: 400, uploader: 400, admin: 400},
		{route: "POST /account/sessions/:id/end", method: "POST", path: "/account/sessions/0123456789abcdef/end", form: url.Values{}, kind: "post", viewer: 404, uploader: 404, admin: 404},
		{route: "POST /account/sessions/end-others", method: "POST", path: "/account/sessions/end-others", form: url.Values{}, kind: "post", viewer: 303, uploader: 303, admin: 303},
		{route: "GET /api/v1/summary", method: "GET", path: "/api/v1/summary", kind: api, viewer: 200, uploader: 200, admin: 200},
		{route: "GET /api/v1/targets", method: "GET", path: "/api/v1/targets?as_of=2015-03-31", kind: api, viewer: 200, uploader: 200, admin: 200},
		{route: "GET /shares", method: "GET", path: "/shares", kind: page, viewer: 200, uploader: 200, admin: 200},
		{route: "POST /shares", method: "POST", path: "/shares", form: url.Values{"page": {"/problems"}, "query": {""}}, kind: "post", viewer: 200, uploader: 200, admin: 200},
		{route: "POST /shares/:id/revoke", method: "POST", path: "/shares/999/revoke", form: url.Values{}, kind: "post", viewer: 404, uploader: 404, admin: 404},
		{route: "GET /s/:token", method: "GET", path: "/s/no-such-token", kind: public, anonymous: 404, viewer: 404, uploader: 404, admin: 404},
		{route: "POST /s/:token", method: "POST", path: "/s/no-such-token", form: url.Values{}, kind: public, anonymous: 404, viewer: 404, uploader: 404, admin: 404},
		{route: "GET /s/:token/charts/:id", method: "GET", path: "/s/no-such-token/charts/problem-prevalence", kind: public, anonymous: 404, viewer: 404, uploader: 404, admin: 404},
		{route: "GET /s/:token/charts/:id/csv", method: "GET", path: "/s/no-such-token/charts/problem-prevalence/csv", kind: public, anonymous: 404, viewer: 404, uploader: 404, admin: 404},
		{route: "GET /s/:token/summary.xlsx", method: "GET", path: "/s/no-such-token/summary.xlsx", kind: public, anonymous: 404, viewer: 404, uploader: 404, admin: 404},
		{route: "GET /api/v1/quality", method: "GET", path: "/api/v1/quality", kind: api, viewer: 200, uploader: 200, admin: 200},
		{route: "GET /api/v1/quality/charts/:id", method: "GET", path: "/api/v1/quality/charts/quality-regions", kind: api, viewer: 200, uploader: 200, admin: 200},
		{route: "GET /api/v1/quality/charts/:id/csv", method: "GET", path: "/api/v1/quality/charts/quality-regions/csv", kind: api, viewer: 200, uploader: 200, admin: 200},
		{route: "GET /quality", method: "GET", path: "/quality", kind: page, viewer: 200, uploader: 200, admin: 200},
		{route: "POST /quality/check", method: "POST", path: "/quality/check", form: url.Values{"kind": {"unanswered"}, "key": {"no-such"}, "note": {"x"}}, kind: "post", viewer: 403, uploader: 404, admin: 404},
		{route: "GET /api/v1/targets/charts/:indicator", method: "GET", path: "/api/v1/targets/charts/responden?as_of=2015-03-31", kind: api, viewer: 200, uploader: 200, admin: 200},
		{route: "GET /api/v1/targets/charts/:indicator/csv", method: "GET", path: "/api/v1/targets/charts/responden/csv?as_of=2015-03-31", kind: api, viewer: 200, uploader: 200, admin: 200},
		{route: "GET /exports/summary.xlsx", method: "GET", path: "/exports/summary.xlsx", kind: page, viewer: 200, uploader: 200, admin: 200},
		{route: "GET /templates/peserta.xlsx", method: "GET", path: "/templates/peserta.xlsx", kind: page, viewer: 200, uploader: 200, admin: 200},
		{route: "GET /templates/survei.xlsx", method: "GET", path: "/templates/survei.xlsx", kind: page, viewer: 200, uploader: 200, admin: 200},
		{route: "GET /templates/target.xlsx", method: "GET", path: "/templates/target.xlsx", kind: page, viewer: 200, uploader: 200, admin: 200},
		{route: "GET /uploads", method: "GET", path: "/uploads", kind: page, viewer: 403, uploader: 200, admin: 200},
		// Not multipart: refused after the role check.
		{route: "POST /uploads", method: "POST", path: "/uploads", form: url.Values{}, kind: "post", viewer: 403, uploader: 400, admin: 400},
		{route: "GET /uploads/:id", method: "GET", path: "/uploads/nosuch", kind: page, viewer: 403, uploader: 404, admin: 404},
		{route: "GET /uploads/:id/status", method: "GET", path: "/uploads/nosuch/status", kind: page, viewer: 403, uploader: 404, admin: 404},
		{route: "GET /uploads/:id/annotated.xlsx", method: "GET", path: "/uploads/nosuch/annotated.xlsx", kind: page, viewer: 403, uploader: 404, admin: 404},
		{route: "POST /uploads/:id/commit", method: "POST", path: "/uploads/nosuch/commit", form: url.Values{}, kind: "post", viewer: 403, uploader: 404, admin: 404},
		{route: "POST /uploads/:id/discard", method: "POST", path: "/uploads/nosuch/discard", form: url.Values{}, kind: "post", viewer: 403, uploader: 404, admin: 404},
		{route: "GET /imports", method: "GET", path: "/imports", kind: page, viewer: 403, uploader: 200, admin: 200},
		{route: "GET /imports/:id/flagged.xlsx", method: "GET", path: "/imports/1/flagged.xlsx?kind=unanswered&key=none", kind: page, viewer: 403, uploader: 404, admin: 404},
		{route: "GET /imports/:id/file", method: "GET", path: "/imports/1/file", kind: page, viewer: 403, uploader: 200, admin: 200},
		{route: "GET /imports/:id/undo", method: "GET", path: "/imports/1/undo", kind: page, viewer: 403, uploader: 200, admin: 200},
		{route: "POST /imports/:id/undo", method: "POST", path: "/imports/99/undo", form: url.Values{}, kind: "post", viewer: 403, uploader: 404, admin: 404},
		{route: "GET /admin/users", method: "GET", path: "/admin/users", kind: page, viewer: 403, uploader: 403, admin: 200},
		{route: "POST /admin/users", method: "POST", path: "/admin/users", form: newUser("added"), kind: "post", viewer: 403, uploader: 403, admin: 303},
		{route: "POST /admin/users/:name/disable", method: "POST", path: "/admin/users/target/disable", form: url.Values{}, kind: "post", viewer: 403, uploader: 403, admin: 303},
		{route: "POST /admin/users/:name/enable", method: "POST", path: "/admin/users/target/enable", form: url.Values{}, kind: "post", viewer: 403, uploader: 403, admin: 303},
		{route: "POST /admin/users/:name/password", method: "POST", path: "/admin/users/target/password", form: pw, kind: "post", viewer: 403, uploader: 403, admin: 303},
		{route: "POST /admin/users/:name/scope", method: "POST", path: "/admin/users/target/scope", form: url.Values{"regions": {"jember"}}, kind: "post", viewer: 403, uploader: 403, admin: 303},
		{route: "GET /admin/users/:name/remove", method: "GET", path: "/admin/users/target/remove", kind: page, viewer: 403, uploader: 403, admin: 200},
		{route: "POST /admin/users/:name/remove", method: "POST", path: "/admin/users/leaving/remove", form: url.Values{}, kind: "post", viewer: 403, uploader: 403, admin: 303},
		{route: "POST /admin/logins/lift", method: "POST", path: "/admin/logins/lift", form: url.Values{"address": {"192.0.2.1"}}, kind: "post", viewer: 403, uploader: 403, admin: 404},
		{route: "GET /admin/audit", method: "GET", path: "/admin/audit", kind: page, viewer: 403, uploader: 403, admin: 200},
		{route: "POST /admin/settings/provinces", method: "POST", path: "/admin/settings/provinces", form: url.Values{"provinces": {"Jawa Timur"}}, kind: "post", viewer: 403, uploader: 403, admin: 303},
		{route: "POST /admin/settings/late_after_days", method: "POST", path: "/admin/settings/late_after_days", form: url.Values{"late_after_days": {"30"}}, kind: "post", viewer: 403, uploader: 403, admin: 303},
		{route: "GET /admin/backup", method: "GET", path: "/admin/backup", kind: page, viewer: 403, uploader: 403, admin: 200},
		// Last: it ends the session, so it gets a client of its own.
		{route: "POST /logout", method: "POST", path: "/logout", form: url.Values{}, kind: public, anonymous: 303, viewer: 303, uploader: 303, admin: 303},
	}
	for _, id := range htAllCharts {
		rows = append(rows,
			row{route: "GET /api/v1/charts/:id", method: "GET", path: "/api/v1/charts/" + id, kind: api, viewer: 200, uploader: 200, admin: 200},
			row{route: "GET /api/v1/charts/:id/csv", method: "GET", path: "/api/v1/charts/" + id + "/csv", kind: api, viewer: 200, uploader: 200, admin: 200})
	}

	// Every route the server has is in the table, and nothing else.
	var covered []string
	for _, r := range rows {
		covered = append(covered, r.route)
	}
	slices.Sort(covered)
	covered = slices.Compact(covered)
	if got := env.Server.Routes(); !slices.Equal(got, covered) {
		t.Errorf("routes of the server and of the table differ:\nserver %q\n table %q", got, covered)
	}

	for _, r := range rows {
		for _, who := range []string{"anonymous", "viewer", "uploader", "admin"} {
			c, token := clients[who], tokens[who]
			if r.path == "/logout" && who != "anonymous" {
				c = env.login(who)
				token = env.htCSRF(c, true)
			}
			var form url.Values
			if r.form != nil {
				form = url.Values{}
				for k, v := range r.form {
					form[k] = v
				}
				if r.path == "/admin/users" {
					form.Set("username", "added-"+who)
				}
				form.Set("_csrf", token)
			}
			got := env.htDo(c, r.method, r.path, form)
			want := map[string]int{"viewer": r.viewer, "uploader": r.uploader, "admin": r.admin, "anonymous": r.anonymous}[who]
			if who == "anonymous" {
				switch r.kind {
				case page:
					want = http.StatusSeeOther
					if loc, wantLoc := got.location(), "/login?next="+url.QueryEscape(r.path); loc != wantLoc {
						t.Errorf("%s %s as anonymous: Location %q, want %q", r.method, r.path, loc, wantLoc)
					}
				case api:
					want = http.StatusUnauthorized
					var e struct {
						Error struct {
							Status  int
							Message string
						}
					}
					if err := json.Unmarshal([]byte(got.body), &e); err != nil || e.Error.Status != 401 || e.Error.Message == "" {
						t.Errorf("%s %s as anonymous: body %.200q is not a JSON error (%v)", r.method, r.path, got.body, err)
					}
					if ct := got.header.Get("Content-Type"); !strings.HasPrefix(ct, "application/json") {
						t.Errorf("%s %s as anonymous: Content-Type %q", r.method, r.path, ct)
					}
				case "post":
					want = http.StatusUnauthorized
				}
			}
			if got.status != want {
				t.Errorf("%s %s as %s: status %d, want %d: %.200s", r.method, r.path, who, got.status, want, got.body)
			}
			if got.status == http.StatusForbidden && !strings.Contains(got.body, "Peran Anda tidak boleh melakukan ini") {
				t.Errorf("%s %s as %s: 403 page does not say why: %.300s", r.method, r.path, who, got.body)
			}
		}
	}

	// Only the admin's POST added a user; the others changed nothing.
	users, err := env.DB.Users(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, u := range users {
		names = append(names, u.Username)
	}
	if want := []string{"added-admin", "admin", "target", "uploader", "viewer"}; !slices.Equal(names, want) {
		t.Errorf("users after the matrix: %v, want %v", names, want)
	}
	// The admin's reset took: target's old password no longer signs in.
	if _, err := env.DB.Authenticate(ctx, "target", testPassword); queries.ErrorCode(err) != queries.EUNAUTHORIZED {
		t.Errorf("target's old password after the reset: %v, want refused", err)
	}
}

// otherFirst is token with another first character: surely wrong.
func otherFirst(token string) string {
	if token[0] == 'x' {
		return "y" + token[1:]
	}
	return "x" + token[1:]
}

func TestCSRF(t *testing.T) {
	env := newTestEnv(t, envOptions{})
	ctx := context.Background()

	t.Run("login", func(t *testing.T) {
		good := url.Values{"username": {"viewer"}, "password": {testPassword}}
		tests := []struct {
			name    string
			token   func(valid string) (field, header string)
			noGET   bool // the client never got a CSRF cookie
			status  int
			session bool
		}{
			{"no token", func(string) (string, string) { return "", "" }, false, 403, false},
			{"wrong field", func(v string) (string, string) { return otherFirst(v), "" }, false, 403, false},
			{"wrong header", func(v string) (string, string) { return "", "nope" + v }, false, 403, false},
			{"no cookie", func(string) (string, string) { return strings.Repeat("a", 43), "" }, true, 403, false},
			{"field", func(v string) (string, string) { return v, "" }, false, 303, true},
			{"header", func(v string) (string, string) { return "", v }, false, 303, true},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				c := env.client()
				valid := strings.Repeat("a", 43)
				if !tt.noGET {
					valid = env.htCSRF(c, false)
				}
				field, header := tt.token(valid)
				form := url.Values{}
				for k, v := range good {
					form[k] = v
				}
				if field != "" {
					form.Set("_csrf", field)
				}
				var headers []string
				if header != "" {
					headers = []string{"X-CSRF-Token", header}
				}
				got := env.htDo(c, "POST", "/login", form, headers...)
				if got.status != tt.status {
					t.Errorf("status %d, want %d: %.200s", got.status, tt.status, got.body)
				}
				if s := htCookie(got.cookies, "pantau_session"); (s != nil && s.Value != "") != tt.session {
					t.Errorf("session cookie %v, want one: %v", s, tt.session)
				}
				if tt.status == 403 && !strings.Contains(got.body, "Token formulir tidak valid") {
					t.Errorf("403 does not say why: %.300s", got.body)
				}
			})
		}
	})

	t.Run("logout", func(t *testing.T) {
		c := env.login("viewer")
		token := env.htCSRF(c, true)
		for _, form := range []url.Values{{}, {"_csrf": {"wrong" + token}}} {
			if got := env.htDo(c, "POST", "/logout", form); got.status != 403 {
				t.Errorf("logout with %v: status %d, want 403", form, got.status)
			}
			if !env.htLoggedIn(c) {
				t.Fatalf("logout with %v ended the session", form)
			}
		}
		if got := env.htDo(c, "POST", "/logout", url.Values{}, "X-CSRF-Token", token); got.status != 303 || got.location() != "/login" {
			t.Errorf("logout with the header: status %d, Location %q; want 303 to /login", got.status, got.location())
		}
		if env.htLoggedIn(c) {
			t.Error("still logged in after logout")
		}
	})

	t.Run("add user", func(t *testing.T) {
		admin := env.login("admin")
		token := env.htCSRF(admin, true)
		other := env.login("admin") // another browser: its own CSRF cookie
		tests := []struct {
			name    string
			c       *http.Client
			field   string
			header  string
			status  int
			created bool
		}{
			{"no token", admin, "", "", 403, false},
			{"wrong token", admin, otherFirst(token), "", 403, false},
			{"another browser's token", other, token, "", 403, false},
			{"header", admin, "", token, 303, true},
		}
		for i, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				name := "mallory" + string(rune('a'+i))
				form := url.Values{"username": {name}, "role": {"admin"}, "password": {testPassword}}
				if tt.field != "" {
					form.Set("_csrf", tt.field)
				}
				var headers []string
				if tt.header != "" {
					headers = []string{"X-CSRF-Token", tt.header}
				}
				got := env.htDo(tt.c, "POST", "/admin/users", form, headers...)
				if got.status != tt.status {
					t.Errorf("status %d, want %d: %.200s", got.status, tt.status, got.body)
				}
				_, err := env.DB.User(ctx, name)
				if created := err == nil; created != tt.created {
					t.Errorf("user %s created: %v, want %v (%v)", name, created, tt.created, err)
				}
			})
		}
	})
}

func TestSessionExpires(t *testing.T) {
	const ttl = time.Hour
	env := newTestEnv(t, envOptions{config: func(c *dashboard.Config) { c.SessionTTL = ttl }})
	c := env.login("viewer")
	env.get(c, "/api/v1/summary", http.StatusOK)

	env.Advance(ttl - 2*time.Minute) // past the 30 s session cache, not past the TTL
	if !env.htLoggedIn(c) {
		t.Fatal("session ended before its TTL")
	}
	env.Advance(2*time.Minute + 31*time.Second)
	if got := env.htDo(c, "GET", "/problems?gender=P", nil); got.status != 303 || got.location() != "/login?next=%2Fproblems%3Fgender%3DP" {
		t.Errorf("after the TTL: status %d, Location %q; want 303 to the login page", got.status, got.location())
	}
	if got := env.htDo(c, "GET", "/api/v1/summary", nil); got.status != 401 {
		t.Errorf("API after the TTL: status %d, want 401", got.status)
	}
}

func TestLogoutDeletesSession(t *testing.T) {
	env := newTestEnv(t, envOptions{})
	c := env.login("viewer")
	u, _ := url.Parse(env.URL)
	old := htCookie(c.Jar.Cookies(u), "pantau_session")
	if old == nil {
		t.Fatal("no session cookie after login")
	}
	got := env.htDo(c, "POST", "/logout", url.Values{"_csrf": {env.htCSRF(c, true)}})
	if gone := htCookie(got.cookies, "pantau_session"); gone == nil || gone.MaxAge >= 0 || gone.Value != "" {
		t.Errorf("logout does not clear the cookie: %v", gone)
	}
	// The old cookie, replayed by hand, no longer works: the session is gone
	// from the database, not only from the browser.
	replay := env.client()
	replay.Jar.SetCookies(u, []*http.Cookie{{Name: "pantau_session", Value: old.Value, Path: "/"}})
	if env.htLoggedIn(replay) {
		t.Error("the session cookie still works after logout")
	}
	if _, _, err := env.DB.SessionUser(context.Background(), old.Value, time.Now(), 0); queries.ErrorCode(err) != queries.EUNAUTHORIZED {
		t.Errorf("session after logout: %v, want EUNAUTHORIZED", err)
	}
}

// Disabling a user or resetting their password signs them out at once,
// despite the session cache.
func TestUserChangesEndSessions(t *testing.T) {
	env := newTestEnv(t, envOptions{})
	admin := env.login("admin")
	token := env.htCSRF(admin, true)
	tests := []struct {
		name     string
		path     string
		form     url.Values
		password string // that logs in afterwards; "" when none does
	}{
		{"disable", "/admin/users/viewer/disable", url.Values{}, ""},
		{"enable", "/admin/users/viewer/enable", url.Values{}, testPassword},
		{"reset", "/admin/users/uploader/password", url.Values{"password": {"a brand new password"}}, "a brand new password"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			user := strings.Split(tt.path, "/")[3]
			var victim *http.Client // a disabled user has no session to end
			if tt.name != "enable" {
				victim = env.login(user)
				env.get(victim, "/help", http.StatusOK) // in the session cache now
			}
			tt.form.Set("_csrf", token)
			got := env.htDo(admin, "POST", tt.path, tt.form)
			if got.status != 303 || !strings.HasPrefix(got.location(), "/admin/users?done=") {
				t.Fatalf("status %d, Location %q: %.300s", got.status, got.location(), got.body)
			}
			if victim != nil && env.htLoggedIn(victim) {
				t.Errorf("%s: the user's session still works", tt.name)
			}
			_, r := env.htLogin(user, testPassword, nil)
			if wantOld := tt.password == testPassword; (r.status == 303) != wantOld {
				t.Errorf("%s: login with the old password: status %d", tt.name, r.status)
			}
			if tt.password != "" && tt.password != testPassword {
				if _, r := env.htLogin(user, tt.password, nil); r.status != 303 {
					t.Errorf("%s: login with the new password: status %d", tt.name, r.status)
				}
			}
		})
	}
	// The session of the admin who made the changes lives on.
	if !env.htLoggedIn(admin) {
		t.Error("the admin was signed out")
	}
}

// Every form of the users page does what it says on every use, not only
// the first since start-up: three rounds on one server of add, disable,
// enable and reset, each checked in the list and in the user's live
// session. (A handler once overwrote its own action on first use, so from
// the second on it changed nothing and still reported success.)
func TestUserFormsWorkEveryTime(t *testing.T) {
	env := newTestEnv(t, envOptions{})
	admin := env.login("admin")
	token := env.htCSRF(admin, true)
	change := func(path string, form url.Values, wantDone string) {
		t.Helper()
		form.Set("_csrf", token)
		got := env.htDo(admin, "POST", path, form)
		if got.status != 303 {
			t.Fatalf("POST %s: status %d: %.300s", path, got.status, got.body)
		}
		if page := env.get(admin, got.location(), http.StatusOK); !strings.Contains(page, wantDone) {
			t.Errorf("POST %s: the list does not say %q", path, wantDone)
		}
	}
	loggedIn := func(name, password string) *http.Client {
		t.Helper()
		c, r := env.htLogin(name, password, nil)
		if r.status != http.StatusSeeOther {
			return nil
		}
		return c
	}
	for round := 1; round <= 3; round++ {
		env.Advance(16 * time.Minute) // past the login limits' window
		name, password := fmt.Sprintf("staf%d", round), fmt.Sprintf("password number %d", round)

		change("/admin/users", url.Values{"username": {name}, "role": {"viewer"}, "password": {password}}, "Pengguna "+name+" ditambahkan.")
		if got := env.listedStatus(admin, name); got != "aktif" {
			t.Fatalf("round %d: %s listed as %q after add, want aktif", round, name, got)
		}
		session := loggedIn(name, password)
		if session == nil {
			t.Fatalf("round %d: the added user cannot log in", round)
		}

		change("/admin/users/"+name+"/disable", url.Values{}, "Pengguna "+name+" dinonaktifkan.")
		if got := env.listedStatus(admin, name); got != "dinonaktifkan" {
			t.Errorf("round %d: %s listed as %q after disable", round, name, got)
		}
		if env.htLoggedIn(session) {
			t.Errorf("round %d: the disabled user's session still answers", round)
		}
		if loggedIn(name, password) != nil {
			t.Errorf("round %d: the disabled user logged in", round)
		}

		change("/admin/users/"+name+"/enable", url.Values{}, "Pengguna "+name+" diaktifkan.")
		if got := env.listedStatus(admin, name); got != "aktif" {
			t.Errorf("round %d: %s listed as %q after enable", round, name, got)
		}
		if session = loggedIn(name, password); session == nil {
			t.Fatalf("round %d: the enabled user cannot log in", round)
		}

		newPassword := password + " changed"
		change("/admin/users/"+name+"/password", url.Values{"password": {newPassword}}, "Kata sandi "+name+" diatur ulang.")
		if env.htLoggedIn(session) {
			t.Errorf("round %d: the session from before the reset still answers", round)
		}
		if loggedIn(name, password) != nil {
			t.Errorf("round %d: the old password still works", round)
		}
		if loggedIn(name, newPassword) == nil {
			t.Errorf("round %d: the new password does not work", round)
		}
	}
}

var userRow = regexp.MustCompile(`(?s)<tr data-user="([^"]+)">.*?<td>[^<]*</td>\s*<td>([^<]*)</td>`)

// listedStatus is the status the users page shows for name ("" when the
// page does not list it).
func (e *testEnv) listedStatus(admin *http.Client, name string) string {
	e.t.Helper()
	for _, m := range userRow.FindAllStringSubmatch(e.get(admin, "/admin/users", http.StatusOK), -1) {
		if m[1] == name {
			return m[2]
		}
	}
	return ""
}

func TestAdminCannotDisableSelf(t *testing.T) {
	env := newTestEnv(t, envOptions{})
	admin := env.login("admin")
	got := env.htDo(admin, "POST", "/admin/users/admin/disable", url.Values{"_csrf": {env.htCSRF(admin, true)}})
	if got.status != 400 || !strings.Contains(got.body, "menonaktifkan akun Anda sendiri") {
		t.Errorf("status %d: %.300s", got.status, got.body)
	}
	if !env.htLoggedIn(admin) {
		t.Error("admin signed out")
	}
}

func TestCookieFlags(t *testing.T) {
	direct := newTestEnv(t, envOptions{})
	proxied := newTestEnv(t, envOptions{config: func(c *dashboard.Config) { c.TrustProxy = true }})
	tests := []struct {
		name    string
		env     *testEnv
		headers []string
		secure  bool
	}{
		// The test client connects from 127.0.0.1. X-Forwarded-Proto is
		// read only when the server is told it sits behind a proxy.
		{"http", direct, nil, false},
		{"a client's X-Forwarded-Proto", direct, []string{"X-Forwarded-Proto", "https"}, false},
		{"https through a trusted proxy", proxied, []string{"X-Forwarded-Proto", "https"}, true},
		{"http through a trusted proxy", proxied, nil, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			env := tt.env
			c := env.client()
			page := env.htDo(c, "GET", "/login", nil, tt.headers...)
			m := csrfInput.FindStringSubmatch(page.body)
			if m == nil {
				t.Fatal("no CSRF field")
			}
			form := url.Values{"username": {"viewer"}, "password": {testPassword}, "_csrf": {m[1]}}
			login := env.htDo(c, "POST", "/login", form, tt.headers...)
			if login.status != 303 {
				t.Fatalf("login: status %d", login.status)
			}
			for _, ck := range []*http.Cookie{htCookie(page.cookies, "pantau_csrf"), htCookie(login.cookies, "pantau_session")} {
				if ck == nil {
					t.Fatal("cookie missing")
				}
				got := [4]any{ck.HttpOnly, ck.SameSite, ck.Path, ck.Secure}
				want := [4]any{true, http.SameSiteLaxMode, "/", tt.secure}
				if got != want {
					t.Errorf("%s: HttpOnly, SameSite, Path, Secure = %v, want %v", ck.Name, got, want)
				}
			}
			s := htCookie(login.cookies, "pantau_session")
			if d := time.Until(s.Expires); d < 11*time.Hour || d > 12*time.Hour+time.Minute {
				t.Errorf("session cookie expires in %s, want the 12 h default", d)
			}
		})
	}
}

// clientFrom is a browser-like client whose connections come from address
// (another loopback address than 127.0.0.1 is another client address).
func (e *testEnv) clientFrom(address string) *http.Client {
	c := e.client()
	dialer := &net.Dialer{LocalAddr: &net.TCPAddr{IP: net.ParseIP(address)}, Timeout: 5 * time.Second}
	c.Transport = &http.Transport{DialContext: dialer.DialContext}
	return c
}

// loginFrom posts the login form for username and password from c, logged
// in or not.
func (e *testEnv) loginFrom(c *http.Client, username, password string) htResp {
	e.t.Helper()
	token := ""
	if r := e.htDo(c, "GET", "/login", nil); r.status == http.StatusOK {
		token = csrfInput.FindStringSubmatch(r.body)[1]
	} else {
		token = e.htCSRF(c, true)
	}
	return e.htDo(c, "POST", "/login", url.Values{"username": {username}, "password": {password}, "_csrf": {token}})
}

// Failed logins slow down the pair of name and address that failed: five
// are free, then each attempt waits 2 s, 4 s, 8 s... (however the name is
// written). The name from another address and another name from the same
// address are not slowed.
func TestLoginDelaysGrowPerNameAndAddress(t *testing.T) {
	env := newTestEnv(t, envOptions{})
	c := env.client()
	for i, name := range []string{"viewer", "VIEWER", " viewer", "Viewer ", "viewer"} {
		if r := env.loginFrom(c, name, "wrong password"); r.status != 401 {
			t.Fatalf("attempt %d: status %d, want 401", i+1, r.status)
		}
	}
	r := env.loginFrom(c, "viewer", testPassword)
	if r.status != 429 || htCookie(r.cookies, "pantau_session") != nil || r.header.Get("Retry-After") != "2" {
		t.Errorf("6th attempt with the right password: status %d, Retry-After %q, cookies %v; want 429 after 2 s and no session",
			r.status, r.header.Get("Retry-After"), r.cookies)
	}
	if !strings.Contains(r.body, "Terlalu banyak") || !strings.Contains(r.body, "2 detik") {
		t.Errorf("429 page does not say why and how long: %.400s", r.body)
	}
	if r := env.loginFrom(env.client(), "admin", testPassword); r.status != 303 {
		t.Errorf("another name from the same address: status %d, want 303", r.status)
	}
	if r := env.loginFrom(env.clientFrom("127.0.0.2"), "viewer", testPassword); r.status != 303 {
		t.Errorf("the same name from another address: status %d, want 303", r.status)
	}
	// Each further failure doubles the wait.
	for _, wait := range []time.Duration{2 * time.Second, 4 * time.Second, 8 * time.Second} {
		env.Advance(wait - time.Second)
		if r := env.loginFrom(c, "viewer", "wrong password"); r.status != 429 {
			t.Fatalf("a second before the %s wait ended: status %d, want 429", wait, r.status)
		}
		env.Advance(time.Second)
		if r := env.loginFrom(c, "viewer", "wrong password"); r.status != 401 {
			t.Fatalf("after the %s wait: status %d, want 401", wait, r.status)
		}
	}
	env.Advance(16 * time.Second)
	if r := env.loginFrom(c, "viewer", testPassword); r.status != 303 {
		t.Errorf("after the wait, the right password: status %d, want 303", r.status)
	}
	// The success cleared the pair's failures: one typo costs nothing.
	if r := env.loginFrom(c, "viewer", "wrong password"); r.status != 401 {
		t.Errorf("a typo after logging in: status %d, want 401", r.status)
	}
	if r := env.loginFrom(c, "viewer", testPassword); r.status != 303 {
		t.Errorf("after one typo: status %d, want 303", r.status)
	}
}

// A guesser on another address cannot keep the admin out, however long
// they go on; they only slow themselves down.
func TestLoginGuesserElsewhereDoesNotLockOut(t *testing.T) {
	env := newTestEnv(t, envOptions{})
	guesser := env.clientFrom("127.0.0.3")
	slowed := 0
	for range 40 {
		switch r := env.loginFrom(guesser, "admin", "guess number one"); r.status {
		case 429:
			slowed++
		case 401:
		default:
			t.Fatalf("guess: status %d", r.status)
		}
		env.Advance(3 * time.Second)
	}
	if slowed == 0 {
		t.Error("40 guesses 3 s apart were never slowed")
	}
	if r := env.loginFrom(env.client(), "admin", testPassword); r.status != 303 {
		t.Errorf("the admin from their own address: status %d, want 303", r.status)
	}
}

// Successful logins never count towards a limit.
func TestSuccessfulLoginsDoNotCount(t *testing.T) {
	env := newTestEnv(t, envOptions{})
	c := env.client()
	for i := range 30 {
		if r := env.loginFrom(c, "viewer", testPassword); r.status != 303 {
			t.Fatalf("login %d: status %d, want 303", i+1, r.status)
		}
	}
}

// Failures per address, whatever the names: 20 are free, then the address
// waits. A forged X-Forwarded-For does not make a new address; another
// address is not slowed.
func TestLoginDelaysPerAddress(t *testing.T) {
	env := newTestEnv(t, envOptions{})
	for i := range 20 {
		name := "nobody" + string(rune('a'+i))
		if _, r := env.htLogin(name, "wrong password", nil, "X-Forwarded-For", "10.0.0."+string(rune('1'+i%9))); r.status != 401 {
			t.Fatalf("attempt %d: status %d, want 401", i+1, r.status)
		}
	}
	for _, h := range [][]string{nil, {"X-Forwarded-For", "203.0.113.9"}, {"X-Real-IP", "203.0.113.10"}} {
		if _, r := env.htLogin("viewer", testPassword, nil, h...); r.status != 429 {
			t.Errorf("21st attempt (headers %v): status %d, want 429", h, r.status)
		}
	}
	if r := env.loginFrom(env.clientFrom("127.0.0.4"), "viewer", testPassword); r.status != 303 {
		t.Errorf("from another address: status %d, want 303", r.status)
	}
	env.Advance(15 * time.Minute)
	if _, r := env.htLogin("viewer", testPassword, nil); r.status != 303 {
		t.Errorf("a window after the last failure: status %d, want 303", r.status)
	}
}

// The admin sees who must wait to log in, and can lift it.
func TestAdminLiftsLoginLimit(t *testing.T) {
	env := newTestEnv(t, envOptions{})
	admin := env.login("admin")
	user := env.clientFrom("127.0.0.5")
	for range 6 {
		env.loginFrom(user, "uploader", "wrong password")
	}
	if r := env.loginFrom(user, "uploader", testPassword); r.status != 429 {
		t.Fatalf("before the lift: status %d, want 429", r.status)
	}
	page := env.get(admin, "/admin/users", http.StatusOK)
	if !strings.Contains(page, `<tr data-address="127.0.0.5" data-user="uploader">`) {
		t.Fatalf("the users page does not list the delayed login: %.3000s", page)
	}
	form := url.Values{"_csrf": {env.htCSRF(admin, true)}, "kind": {"pair"}, "username": {"uploader"}, "address": {"127.0.0.5"}}
	if r := env.htDo(admin, "POST", "/admin/logins/lift", form); r.status != 303 {
		t.Fatalf("lift: status %d: %.300s", r.status, r.body)
	}
	if r := env.loginFrom(user, "uploader", testPassword); r.status != 303 {
		t.Errorf("after the lift: status %d, want 303", r.status)
	}
	if r := env.htDo(admin, "POST", "/admin/logins/lift", form); r.status != 404 {
		t.Errorf("lifting it again: status %d, want 404", r.status)
	}
	if page := env.get(admin, "/admin/users", http.StatusOK); strings.Contains(page, `data-address="127.0.0.5" data-user="uploader"`) {
		t.Error("the lifted limit is still listed")
	}
}

func TestSafeNext(t *testing.T) {
	env := newTestEnv(t, envOptions{config: func(c *dashboard.Config) { c.LoginPerUser, c.LoginPerAddress = 100, 100 }})
	tests := []struct{ next, want string }{
		{"", "/"},
		{"/problems?region=Kab.+Jember", "/problems?region=Kab.+Jember"},
		{"/admin/users", "/admin/users"},
		{"//evil.example", "/"},
		{"//evil.example/path", "/"},
		{"https://evil.example", "/"},
		{"http:evil.example", "/"},
		{"javascript:alert(1)", "/"},
		{`/\evil.example`, "/"},
		{"/\t/evil.example", "/"}, // browsers drop tabs and line breaks: //evil.example
		{"/\n/evil.example", "/"},
		{"evil.example", "/"},
	}
	for _, tt := range tests {
		c, r := env.htLogin("viewer", testPassword, url.Values{"next": {tt.next}})
		if r.status != 303 || r.location() != tt.want {
			t.Errorf("login with next=%q: status %d, Location %q; want 303 to %q", tt.next, r.status, r.location(), tt.want)
		}
		// Already logged in, GET /login?next= redirects the same way.
		if r := env.htDo(c, "GET", "/login?next="+url.QueryEscape(tt.next), nil); r.status != 303 || r.location() != tt.want {
			t.Errorf("GET /login?next=%q logged in: status %d, Location %q; want %q", tt.next, r.status, r.location(), tt.want)
		}
	}
	// The way round: a page asked for anonymously is where the login ends.
	c := env.client()
	r := env.htDo(c, "GET", "/problems?gender=P", nil)
	loginURL, err := url.Parse(r.location())
	if err != nil || loginURL.Path != "/login" {
		t.Fatalf("anonymous page: Location %q", r.location())
	}
	page := env.get(c, loginURL.RequestURI(), http.StatusOK)
	if !strings.Contains(page, `name="next" value="/problems?gender=P"`) {
		t.Errorf("login form does not carry next: %.2000s", page)
	}
	token := csrfInput.FindStringSubmatch(page)[1]
	r = env.htDo(c, "POST", "/login", url.Values{"username": {"viewer"}, "password": {testPassword}, "_csrf": {token}, "next": {loginURL.Query().Get("next")}})
	if r.location() != "/problems?gender=P" {
		t.Errorf("after login: Location %q, want /problems?gender=P", r.location())
	}
}

// A CSRF token learnt before logging in (say, planted by someone who shared
// the machine) is worthless afterwards: login hands out a new one.
func TestLoginRotatesCSRFToken(t *testing.T) {
	env := newTestEnv(t, envOptions{})
	c := env.client()
	before := env.csrfFrom(c, "/login")
	resp := env.post(c, "/login", url.Values{"username": {"viewer"}, "password": {testPassword}, "_csrf": {before}})
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("login: status %d", resp.StatusCode)
	}
	after := env.csrfFrom(c, "/help")
	if after == before {
		t.Fatal("the CSRF token is the same before and after login")
	}
	if resp := env.post(c, "/logout", url.Values{"_csrf": {before}}); resp.StatusCode != http.StatusForbidden {
		t.Errorf("logout with the pre-login token: status %d, want 403", resp.StatusCode)
	}
	if resp := env.post(c, "/logout", url.Values{"_csrf": {after}}); resp.StatusCode != http.StatusSeeOther {
		t.Errorf("logout with the new token: status %d, want 303", resp.StatusCode)
	}
}

// Logging in again in the same browser ends the session it had.
func TestLoginAgainEndsTheOldSession(t *testing.T) {
	env := newTestEnv(t, envOptions{})
	c := env.login("viewer")
	old := env.sessionToken(c)
	token := env.csrfFrom(c, "/help")
	if resp := env.post(c, "/login", url.Values{"username": {"admin"}, "password": {testPassword}, "_csrf": {token}}); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("second login: status %d", resp.StatusCode)
	}
	if now := env.sessionToken(c); now == old || now == "" {
		t.Fatalf("session token %q after the second login, was %q", now, old)
	}
	if _, _, err := env.DB.SessionUser(context.Background(), old, time.Now(), 0); queries.ErrorCode(err) != queries.EUNAUTHORIZED {
		t.Errorf("the first session still works: %v", err)
	}
}

func (e *testEnv) sessionToken(c *http.Client) string {
	for _, ck := range c.Jar.Cookies(mustParseURL(e.t, e.URL)) {
		if ck.Name == "pantau_session" {
			return ck.Value
		}
	}
	return ""
}

func mustParseURL(t testing.TB, s string) *url.URL {
	u, err := url.Parse(s)
	if err != nil {
		t.Fatal(err)
	}
	return u
}

// The users page refuses common and trivial passwords, and one with the
// user's name, saying why in the page's language; nothing is changed.
func TestUsersPageRefusesWeakPasswords(t *testing.T) {
	env := newTestEnv(t, envOptions{})
	admin := env.login("admin")
	token := env.htCSRF(admin, true)
	tests := []struct {
		name, path string
		form       url.Values
		want       string
	}{
		{"add, repeated", "/admin/users", url.Values{"username": {"sari"}, "role": {"viewer"}, "password": {"aaaaaaaaaa"}}, "terlalu mudah ditebak (pengulangan"},
		{"add, common", "/admin/users", url.Values{"username": {"sari"}, "role": {"viewer"}, "password": {"1234567890"}}, "terlalu mudah ditebak (terlalu umum"},
		{"add, the name", "/admin/users", url.Values{"username": {"sari"}, "role": {"viewer"}, "password": {"sari-zebra-kopi"}}, "tidak boleh memuat nama pengguna"},
		{"reset, common", "/admin/users/viewer/password", url.Values{"password": {"password123"}}, "terlalu mudah ditebak"},
		// Last: the language sticks (a cookie).
		{"add, English", "/admin/users?lang=en", url.Values{"username": {"sari"}, "role": {"viewer"}, "password": {"1234567890"}}, "too easy to guess (too common"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tt.form.Set("_csrf", token)
			got := env.htDo(admin, "POST", tt.path, tt.form)
			if got.status != 400 || !strings.Contains(got.body, tt.want) {
				t.Errorf("status %d, want 400 saying %q: %.3000s", got.status, tt.want, got.body)
			}
		})
	}
	if _, err := env.DB.User(context.Background(), "sari"); queries.ErrorCode(err) != queries.ENOTFOUND {
		t.Errorf("sari was added: %v", err)
	}
	if _, r := env.htLogin("viewer", testPassword, nil); r.status != 303 {
		t.Errorf("viewer's password was changed: login status %d", r.status)
	}
}

// A session unused for the idle time (default 2 hours) ends, long before
// its 12 hours; each use keeps it going. Last-seen is written at most once
// a minute.
func TestSessionIdleExpiry(t *testing.T) {
	env := newTestEnv(t, envOptions{})
	ctx := context.Background()
	c := env.login("viewer")
	lastSeen := func() time.Time {
		t.Helper()
		list, err := env.DB.Sessions(ctx, "viewer", env.clock.Now(), 0)
		if err != nil || len(list) != 1 {
			t.Fatalf("sessions of viewer: %+v, %v", list, err)
		}
		return list[0].LastSeen
	}
	for i := range 3 {
		env.Advance(2*time.Hour - time.Minute)
		if !env.htLoggedIn(c) {
			t.Fatalf("use %d, %s after the one before: signed out", i+1, 2*time.Hour-time.Minute)
		}
	}
	seen := lastSeen()
	if !seen.Equal(env.clock.Now().UTC().Truncate(time.Microsecond)) {
		t.Errorf("last seen %v, want the last request's %v", seen, env.clock.Now())
	}
	env.Advance(40 * time.Second) // past the 30 s cache, within the minute
	env.htLoggedIn(c)
	if got := lastSeen(); !got.Equal(seen) {
		t.Errorf("last seen written again within a minute: %v, was %v", got, seen)
	}
	env.Advance(30 * time.Second)
	env.htLoggedIn(c)
	if got := lastSeen(); !got.After(seen) {
		t.Errorf("last seen not written after a minute: %v, was %v", got, seen)
	}

	env.Advance(2 * time.Hour)
	if got := env.htDo(c, "GET", "/problems", nil); got.status != 303 || got.location() != "/login?next=%2Fproblems" {
		t.Errorf("idle 2 hours: status %d, Location %q; want 303 to the login page", got.status, got.location())
	}
	if got := env.htDo(c, "GET", "/api/v1/summary", nil); got.status != 401 {
		t.Errorf("API idle 2 hours: status %d, want 401", got.status)
	}
}

// The idle time is a setting.
func TestSessionIdleSetting(t *testing.T) {
	env := newTestEnv(t, envOptions{config: func(c *dashboard.Config) { c.SessionIdle = 10 * time.Minute }})
	c := env.login("viewer")
	env.Advance(9 * time.Minute)
	if !env.htLoggedIn(c) {
		t.Fatal("signed out within the idle time")
	}
	env.Advance(10 * time.Minute)
	if env.htLoggedIn(c) {
		t.Error("still signed in after 10 idle minutes")
	}
}

// An admin removes a user in two steps, a confirmation page and its
// button; the user's session ends at once. Twice on one server, with the
// name added again in between. Never the admin's own account.
func TestAdminRemovesUser(t *testing.T) {
	env := newTestEnv(t, envOptions{})
	admin := env.login("admin")
	token := env.htCSRF(admin, true)
	for round := range 2 {
		if round > 0 {
			if err := env.DB.AddUser(context.Background(), "viewer", queries.Viewer, testPassword); err != nil {
				t.Fatal(err)
			}
		}
		victim := env.login("viewer")
		env.get(victim, "/help", http.StatusOK) // in the session cache
		list := env.get(admin, "/admin/users", http.StatusOK)
		if !strings.Contains(list, `href="/admin/users/viewer/remove"`) {
			t.Fatalf("round %d: the users page has no remove link for viewer", round)
		}
		confirm := env.get(admin, "/admin/users/viewer/remove", http.StatusOK)
		if !strings.Contains(confirm, `action="/admin/users/viewer/remove"`) || !strings.Contains(confirm, "Ya, hapus viewer") {
			t.Fatalf("round %d: the confirmation page has no button: %.2000s", round, confirm)
		}
		if !env.htLoggedIn(victim) {
			t.Fatalf("round %d: the confirmation page alone ended the session", round)
		}
		r := env.htDo(admin, "POST", "/admin/users/viewer/remove", url.Values{"_csrf": {token}})
		if r.status != 303 || !strings.HasPrefix(r.location(), "/admin/users?done=removed") {
			t.Fatalf("round %d: remove: status %d, Location %q: %.300s", round, r.status, r.location(), r.body)
		}
		if page := env.get(admin, r.location(), http.StatusOK); !strings.Contains(page, "Pengguna dihapus") || strings.Contains(page, `data-user="viewer"`) {
			t.Errorf("round %d: the list does not say the user was removed, or still lists them", round)
		}
		if env.htLoggedIn(victim) {
			t.Errorf("round %d: the removed user's session still answers", round)
		}
		if _, r := env.htLogin("viewer", testPassword, nil); r.status != 401 {
			t.Errorf("round %d: the removed user logs in: status %d", round, r.status)
		}
		if r := env.htDo(admin, "POST", "/admin/users/viewer/remove", url.Values{"_csrf": {token}}); r.status != 404 {
			t.Errorf("round %d: removing again: status %d, want 404", round, r.status)
		}
	}
	env.get(admin, "/admin/users/nobody/remove", http.StatusNotFound)
}

func TestAdminCannotRemoveSelf(t *testing.T) {
	env := newTestEnv(t, envOptions{})
	admin := env.login("admin")
	if list := env.get(admin, "/admin/users", http.StatusOK); strings.Contains(list, `href="/admin/users/admin/remove"`) {
		t.Error("the users page offers to remove the admin's own account")
	}
	confirm := env.get(admin, "/admin/users/admin/remove", http.StatusOK)
	if !strings.Contains(confirm, "menghapus akun Anda sendiri") || strings.Contains(confirm, `action="/admin/users/admin/remove"`) {
		t.Errorf("the confirmation page for oneself: %.2000s", confirm)
	}
	r := env.htDo(admin, "POST", "/admin/users/ADMIN/remove", url.Values{"_csrf": {env.htCSRF(admin, true)}})
	if r.status != 400 || !strings.Contains(r.body, "menghapus akun Anda sendiri") {
		t.Errorf("status %d: %.300s", r.status, r.body)
	}
	if _, err := env.DB.User(context.Background(), "admin"); err != nil || !env.htLoggedIn(admin) {
		t.Errorf("the admin was removed or signed out: %v", err)
	}
}
