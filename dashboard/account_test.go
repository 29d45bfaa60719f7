package dashboard_test

// Tests of the account page: a user changes their own password and sees
// and ends their own sessions.

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"pantau/dashboard"
	"pantau/queries"
)

var sessionRow = regexp.MustCompile(`(?s)<tr data-session="([0-9a-f]{16})"( data-current="true")?>.*?<td>([^<]*)</td>\s*<td class="actions">`)

// listedSessions are the sessions the account page of c lists: ID to
// client address, and the ID marked as this browser's.
func (e *testEnv) listedSessions(c *http.Client) (map[string]string, string) {
	e.t.Helper()
	list, current := map[string]string{}, ""
	for _, m := range sessionRow.FindAllStringSubmatch(e.get(c, "/account", http.StatusOK), -1) {
		list[m[1]] = m[3]
		if m[2] != "" {
			current = m[1]
		}
	}
	return list, current
}

func TestAccountPasswordChange(t *testing.T) {
	env := newTestEnv(t, envOptions{})
	this, other, admin := env.login("viewer"), env.login("viewer"), env.login("admin")
	env.get(other, "/help", http.StatusOK) // in the session cache
	token := env.htCSRF(this, true)
	const newPassword = "zebra kopi hujan sore"
	change := func(current, password, again string) htResp {
		t.Helper()
		return env.htDo(this, "POST", "/account/password", url.Values{"_csrf": {token}, "current": {current}, "password": {password}, "password2": {again}})
	}
	for _, tt := range []struct{ name, current, password, again, want string }{
		{"common", testPassword, "1234567890", "1234567890", "terlalu mudah ditebak (terlalu umum"},
		{"repeated", testPassword, "aaaaaaaaaa", "aaaaaaaaaa", "terlalu mudah ditebak (pengulangan"},
		{"the name", testPassword, "viewer-zebra-kopi", "viewer-zebra-kopi", "tidak boleh memuat nama pengguna"},
		{"typed twice differently", testPassword, newPassword, newPassword + "x", "kedua kata sandi baru berbeda"},
		{"wrong current", "not the password", newPassword, newPassword, "kata sandi saat ini salah"},
		{"the same", testPassword, testPassword, testPassword, "sama dengan yang sekarang"},
	} {
		if r := change(tt.current, tt.password, tt.again); r.status != 400 || !strings.Contains(r.body, tt.want) {
			t.Errorf("%s: status %d, want 400 saying %q: %.3000s", tt.name, r.status, tt.want, r.body)
		}
	}
	if !env.htLoggedIn(other) || !env.htLoggedIn(this) {
		t.Fatal("a refused change ended a session")
	}

	r := change(testPassword, newPassword, newPassword)
	if r.status != 303 || r.location() != "/account?done=password" {
		t.Fatalf("change: status %d, Location %q: %.300s", r.status, r.location(), r.body)
	}
	if page := env.get(this, r.location(), http.StatusOK); !strings.Contains(page, "Kata sandi diganti") {
		t.Error("the page does not say the password changed")
	}
	if env.htLoggedIn(other) {
		t.Error("the other session still answers after the change")
	}
	if !env.htLoggedIn(this) {
		t.Error("the session that changed the password ended")
	}
	if !env.htLoggedIn(admin) {
		t.Error("another user's session ended")
	}
	if _, r := env.htLogin("viewer", testPassword, nil); r.status != 401 {
		t.Errorf("the old password: status %d, want 401", r.status)
	}
	if _, r := env.htLogin("viewer", newPassword, nil); r.status != 303 {
		t.Errorf("the new password: status %d, want 303", r.status)
	}
}

// Guessing the current password on the account page is slowed like
// guessing at the login form.
func TestAccountPasswordGuessesSlowed(t *testing.T) {
	env := newTestEnv(t, envOptions{})
	c := env.login("uploader")
	token := env.htCSRF(c, true)
	form := url.Values{"_csrf": {token}, "current": {"a guess"}, "password": {"zebra kopi hujan sore"}, "password2": {"zebra kopi hujan sore"}}
	for i := range 5 {
		if r := env.htDo(c, "POST", "/account/password", form); r.status != 400 {
			t.Fatalf("guess %d: status %d, want 400", i+1, r.status)
		}
	}
	form.Set("current", testPassword)
	if r := env.htDo(c, "POST", "/account/password", form); r.status != 429 || r.header.Get("Retry-After") == "" {
		t.Errorf("6th try, right password: status %d, Retry-After %q; want 429", r.status, r.header.Get("Retry-After"))
	}
	if _, err := env.DB.Authenticate(t.Context(), "uploader", testPassword); err != nil {
		t.Errorf("the password changed while slowed: %v", err)
	}
}

func TestAccountSessions(t *testing.T) {
	env := newTestEnv(t, envOptions{})
	this := env.login("viewer")
	second, third := env.clientFrom("127.0.0.2"), env.clientFrom("127.0.0.3")
	for _, c := range []*http.Client{second, third} {
		if r := env.loginFrom(c, "viewer", testPassword); r.status != 303 {
			t.Fatalf("login: status %d", r.status)
		}
	}
	stranger := env.login("uploader")
	id := func(c *http.Client) string { return queries.SessionID(env.sessionToken(c)) }

	list, current := env.listedSessions(this)
	want := map[string]string{id(this): "127.0.0.1", id(second): "127.0.0.2", id(third): "127.0.0.3"}
	if len(list) != 3 || current != id(this) {
		t.Fatalf("listed %v, current %q; want %v, current %q", list, current, want, id(this))
	}
	for k, v := range want {
		if list[k] != v {
			t.Errorf("session %s listed from %q, want %q", k, list[k], v)
		}
	}
	if page := env.get(this, "/account", http.StatusOK); !strings.Contains(page, "Peramban ini") || !strings.Contains(page, `href="/account" aria-current="page"`) {
		t.Error("the page does not mark this browser, or the header link is not current")
	}

	token := env.htCSRF(this, true)
	end := func(path string) htResp {
		t.Helper()
		return env.htDo(this, "POST", path, url.Values{"_csrf": {token}})
	}
	// Another user's session is not ours to end.
	if r := end("/account/sessions/" + id(stranger) + "/end"); r.status != 404 {
		t.Errorf("ending another user's session: status %d, want 404", r.status)
	}
	if !env.htLoggedIn(stranger) {
		t.Fatal("another user's session ended")
	}

	env.get(second, "/help", http.StatusOK) // cached
	if r := end("/account/sessions/" + id(second) + "/end"); r.status != 303 || r.location() != "/account?done=ended" {
		t.Fatalf("end one: status %d, Location %q", r.status, r.location())
	}
	if env.htLoggedIn(second) {
		t.Error("the ended session still answers")
	}
	if !env.htLoggedIn(third) {
		t.Error("ending one session ended another")
	}

	if r := end("/account/sessions/end-others"); r.status != 303 || r.location() != "/account?done=ended_others" {
		t.Fatalf("end the others: status %d, Location %q", r.status, r.location())
	}
	if env.htLoggedIn(third) {
		t.Error("the third session still answers")
	}
	if list, _ := env.listedSessions(this); len(list) != 1 {
		t.Errorf("after ending the others: %v", list)
	}

	// Ending this one is logging out.
	if r := end("/account/sessions/" + id(this) + "/end"); r.status != 303 || r.location() != "/login" {
		t.Errorf("end this one: status %d, Location %q; want 303 to /login", r.status, r.location())
	}
	if env.htLoggedIn(this) {
		t.Error("still signed in after ending this session")
	}
}

// The page says how long sessions last, as the server is set.
func TestAccountSaysSessionLimits(t *testing.T) {
	env := newTestEnv(t, envOptions{config: func(c *dashboard.Config) { c.SessionTTL, c.SessionIdle = 8*time.Hour, 45*time.Minute }})
	if page := env.get(env.login("viewer"), "/account", http.StatusOK); !strings.Contains(page, "8 jam setelah dimulai, atau setelah 45 menit tidak dipakai") {
		t.Errorf("the page does not give the limits: %.3000s", page)
	}
}

// An admin sets the program's provinces on the users page: checked against
// the official catalogue, stored in the database, shown back; refused with
// the reason otherwise, and only with the form's CSRF token.
func TestProvincesForm(t *testing.T) {
	env := newTestEnv(t, envOptions{})
	admin := env.login("admin")
	page := env.get(admin, "/admin/users", http.StatusOK)
	if !strings.Contains(page, `name="provinces" value="Jawa Timur"`) {
		t.Fatalf("the form does not show the default province")
	}
	token := env.csrfFrom(admin, "/admin/users")
	if r := env.htDo(admin, "POST", "/admin/settings/provinces", url.Values{"provinces": {"jawa tengah, Jawa Timur"}}); r.status != http.StatusForbidden && r.status != http.StatusBadRequest {
		t.Errorf("without a CSRF token: status %d", r.status)
	}
	r := env.htDo(admin, "POST", "/admin/settings/provinces", url.Values{"provinces": {"Jawa Timor"}, "_csrf": {token}})
	if r.status != http.StatusBadRequest || !strings.Contains(r.body, "Tidak disimpan: provinsi &#34;Jawa Timor&#34; tidak ada di katalog wilayah resmi") ||
		!strings.Contains(r.body, `value="Jawa Timor"`) {
		t.Errorf("unknown province: status %d\n%s", r.status, r.body)
	}
	if v, ok, _ := env.DB.Setting(context.Background(), queries.SettingProvinces); ok {
		t.Errorf("a refused form stored %q", v)
	}
	r = env.htDo(admin, "POST", "/admin/settings/provinces", url.Values{"provinces": {"jawa tengah, Jawa Timur"}, "_csrf": {token}})
	if r.status != http.StatusSeeOther || r.header.Get("Location") != "/admin/users?done=provinces" {
		t.Fatalf("save: status %d, Location %q", r.status, r.header.Get("Location"))
	}
	if v, _, _ := env.DB.Setting(context.Background(), queries.SettingProvinces); v != "Jawa Tengah,Jawa Timur" {
		t.Errorf("stored %q", v)
	}
	page = env.get(admin, "/admin/users?done=provinces", http.StatusOK)
	if !strings.Contains(page, "Provinsi program disimpan.") || !strings.Contains(page, `value="Jawa Tengah, Jawa Timur"`) {
		t.Errorf("after saving, the page does not say so or show the provinces")
	}
}

// An admin sets the quality report's late limit on the users page: a whole
// number of days 1-365, refused with the reason otherwise; the quality
// answers follow it at once, though they are cached (a setting is a new
// data version).
func TestLateAfterDaysForm(t *testing.T) {
	env := newTestEnv(t, envOptions{})
	admin := env.login("admin")
	page := env.get(admin, "/admin/users", http.StatusOK)
	if !strings.Contains(page, `name="late_after_days" value="30"`) {
		t.Fatalf("the form does not show the default of 30 days")
	}
	lateAfter := func() int {
		t.Helper()
		var q queries.QualityReport
		if err := json.Unmarshal([]byte(env.get(admin, "/api/v1/quality", http.StatusOK)), &q); err != nil {
			t.Fatal(err)
		}
		return q.Timeliness.LateAfterDays
	}
	if got := lateAfter(); got != 30 {
		t.Errorf("quality before: late_after_days %d", got)
	}
	token := env.csrfFrom(admin, "/admin/users")
	if r := env.htDo(admin, "POST", "/admin/settings/late_after_days", url.Values{"late_after_days": {"45"}}); r.status != http.StatusForbidden && r.status != http.StatusBadRequest {
		t.Errorf("without a CSRF token: status %d", r.status)
	}
	for _, bad := range []string{"0", "366", "4.5", "sebulan"} {
		r := env.htDo(admin, "POST", "/admin/settings/late_after_days", url.Values{"late_after_days": {bad}, "_csrf": {token}})
		if r.status != http.StatusBadRequest || !strings.Contains(r.body, "Tidak disimpan: batas terlambat harus bilangan bulat 1 sampai 365 (hari), bukan &#34;"+bad+"&#34;") ||
			!strings.Contains(r.body, `name="late_after_days" value="`+bad+`"`) {
			t.Errorf("%q: status %d\n%.2000s", bad, r.status, r.body)
		}
	}
	if v, ok, _ := env.DB.Setting(context.Background(), queries.SettingLateAfterDays); ok {
		t.Errorf("a refused form stored %q", v)
	}
	r := env.htDo(admin, "POST", "/admin/settings/late_after_days", url.Values{"late_after_days": {"45"}, "_csrf": {token}})
	if r.status != http.StatusSeeOther || r.header.Get("Location") != "/admin/users?done=late_after_days" {
		t.Fatalf("save: status %d, Location %q", r.status, r.header.Get("Location"))
	}
	page = env.get(admin, "/admin/users?done=late_after_days", http.StatusOK)
	if !strings.Contains(page, "Batas keterlambatan disimpan.") || !strings.Contains(page, `name="late_after_days" value="45"`) {
		t.Errorf("after saving, the page does not say so or show the days")
	}
	if got := lateAfter(); got != 45 {
		t.Errorf("quality after: late_after_days %d, want 45", got)
	}
}
