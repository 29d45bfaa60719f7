package dashboard_test

import (
	"bytes"
	"encoding/json"
	"html"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"pantau/sampledata"
)

// Every error a person can meet on the dashboard reads in the language they
// chose, and nothing of it in the other one: messages from the queries
// (users, filters, undo), from ingest (filter values) and from the
// dashboard's own catalog alike.
func TestErrorsInBothLanguages(t *testing.T) {
	env := newTestEnv(t, envOptions{samples: true}) // imports 1 (peserta) and 2 (survei)
	// Import 3 changes the survey's rows, so undoing import 2 is refused.
	var later bytes.Buffer
	opt := sampledata.DefaultSurveyOptions()
	opt.Seed = 2
	if err := sampledata.WriteSurvey(&later, opt); err != nil {
		t.Fatal(err)
	}
	ingestBytes(t, env.DB, env.dataDir, "survei-2.xlsx", later.Bytes())

	newUser := func(name, role, password string) url.Values {
		return url.Values{"username": {name}, "role": {role}, "password": {password}}
	}
	tests := []struct {
		name         string
		role         string // "" for no session
		method, path string
		form         url.Values // sent with the session's CSRF token unless noCSRF
		noCSRF       bool
		status       int
		id, en       string
	}{
		{"filter value", "viewer", "GET", "/api/v1/summary?gender=X", nil, false, 400,
			`Saringan tidak valid: jenis kelamin "X"`, `Invalid filter: gender "X"`},
		{"filter period", "viewer", "GET", "/api/v1/summary?from=2015-02-01&to=2015-01-01", nil, false, 400,
			"Saringan tidak valid: periode berakhir (2015-01-01) sebelum dimulai (2015-02-01)", "Invalid filter: the period ends (2015-01-01) before it starts (2015-02-01)"},
		{"unknown chart", "viewer", "GET", "/api/v1/charts/nope", nil, false, 404,
			`Tidak ada grafik "nope".`, `There is no chart "nope".`},
		{"chart filter", "viewer", "GET", "/problems?work_type=XX", nil, false, 400,
			`Saringan tidak valid: jenis pekerjaan "XX"`, `Invalid filter: work type "XX"`},
		{"unknown import", "uploader", "GET", "/imports/999/undo", nil, false, 404,
			"Impor tidak ditemukan.", "Import not found."},
		{"undo refused", "uploader", "POST", "/imports/2/undo", url.Values{}, false, 409,
			"Impor ini tidak dapat dibatalkan: impor yang lebih baru (#3) mengubah baris yang sama", "This import cannot be undone: a later import (#3) changed the same rows"},
		{"short password", "admin", "POST", "/admin/users", newUser("sari", "viewer", "pendek"), false, 400,
			"Tidak disimpan: kata sandi minimal 10 karakter; yang ini 6", "Not saved: password must be at least 10 characters; this one has 6"},
		{"long password", "admin", "POST", "/admin/users", newUser("sari", "viewer", strings.Repeat("x", 73)), false, 400,
			"Tidak disimpan: kata sandi paling banyak 72 byte", "Not saved: password must be at most 72 bytes"},
		{"bad user name", "admin", "POST", "/admin/users", newUser("a b", "viewer", testPassword), false, 400,
			`Tidak disimpan: nama pengguna "a b": harus 1 sampai 64 karakter`, `Not saved: username "a b": must be 1 to 64 characters`},
		{"bad role", "admin", "POST", "/admin/users", newUser("sari", "chief", testPassword), false, 400,
			`Tidak disimpan: peran "chief": harus viewer, uploader atau admin`, `Not saved: role "chief": must be viewer, uploader or admin`},
		{"taken name", "admin", "POST", "/admin/users", newUser("viewer", "viewer", testPassword), false, 409,
			`Tidak disimpan: pengguna "viewer" sudah ada`, `Not saved: user "viewer" already exists`},
		{"unknown user", "admin", "POST", "/admin/users/nobody/enable", url.Values{}, false, 404,
			`Pengguna tidak ditemukan: pengguna "nobody" tidak ada`, `No such user: user "nobody" does not exist`},
		{"disable self", "admin", "POST", "/admin/users/admin/disable", url.Values{}, false, 400,
			"Anda tidak dapat menonaktifkan akun Anda sendiri.", "You cannot disable your own account."},
		{"unknown upload", "uploader", "GET", "/uploads/nope", nil, false, 404,
			"Unggahan tidak ditemukan", "Upload not found"},
		{"not multipart", "uploader", "POST", "/uploads", url.Values{}, false, 400,
			"Kirim file sebagai formulir multipart", "Send the file as a multipart form"},
		{"no form token", "admin", "POST", "/admin/users", newUser("sari", "viewer", testPassword), true, 403,
			"Token formulir tidak valid atau hilang", "The form token is invalid or missing"},
		{"role", "viewer", "GET", "/admin/users", nil, false, 403,
			"Peran Anda tidak boleh melakukan ini.", "Your role may not do this."},
		{"no page", "viewer", "GET", "/nope", nil, false, 404,
			"Halaman tidak ditemukan.", "Page not found."},
		{"no session", "", "GET", "/api/v1/summary", nil, false, 401,
			"Silakan masuk terlebih dahulu.", "Please log in first."},
		{"wrong password", "", "POST", "/login", url.Values{"username": {"viewer"}, "password": {"not the password"}}, false, 401,
			"Nama pengguna atau kata sandi salah.", "Wrong user name or password."},
	}
	for _, lang := range []string{"id", "en"} {
		clients := map[string]*http.Client{"": env.client()}
		for _, role := range []string{"viewer", "uploader", "admin"} {
			clients[role] = env.login(role)
		}
		for _, c := range clients { // the language is remembered in a cookie
			env.htDo(c, "GET", "/login?lang="+lang, nil)
		}
		for _, tt := range tests {
			c := clients[tt.role]
			form := tt.form
			if form != nil && !tt.noCSRF {
				form = url.Values{}
				for k, v := range tt.form {
					form[k] = v
				}
				form.Set("_csrf", env.htCSRF(c, tt.role != ""))
			}
			r := env.htDo(c, tt.method, tt.path, form)
			if r.status != tt.status {
				t.Errorf("%s in %s: status %d, want %d: %.300s", tt.name, lang, r.status, tt.status, r.body)
				continue
			}
			said := r.body
			if strings.HasPrefix(tt.path, "/api/") {
				var e struct{ Error struct{ Message string } }
				if err := json.Unmarshal([]byte(r.body), &e); err != nil {
					t.Fatalf("%s: %v: %.300s", tt.name, err, r.body)
				}
				said = html.EscapeString(e.Error.Message) // compared as a page shows it
			}
			want, other := tt.id, tt.en
			if lang == "en" {
				want, other = tt.en, tt.id
			}
			if !strings.Contains(said, html.EscapeString(want)) {
				t.Errorf("%s in %s: does not say %q: %.2000s", tt.name, lang, want, said)
			}
			if strings.Contains(said, html.EscapeString(other)) {
				t.Errorf("%s in %s: says %q, of the other language", tt.name, lang, other)
			}
		}
	}
}
