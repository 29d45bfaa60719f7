package dashboard_test

import (
	"bytes"
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"golang.org/x/crypto/bcrypt"

	"pantau/dashboard"
	"pantau/ingest"
	"pantau/queries"
	"pantau/sampledata"
)

func TestMain(m *testing.M) {
	queries.BcryptCost = bcrypt.MinCost // tests log in often
	os.Exit(m.Run())
}

// testPassword is every test user's password; the users are named after
// their role: viewer, uploader, admin.
const testPassword = "correct horse battery"

// testEnv is a real server on a loopback port over a real DuckDB file.
type testEnv struct {
	t      testing.TB
	DB     *queries.DB
	Server *dashboard.Server
	HTTP   *httptest.Server
	URL    string
	clock  *testClock

	dataDir string // the server's data folder
}

// testClock is the server's clock in tests; requests read it while the
// test moves it.
type testClock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *testClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

type envOptions struct {
	samples bool // load the sample workbooks
	config  func(*dashboard.Config)
}

// newTestEnv opens a database in a temp folder, optionally loads the
// samples, adds one user per role and serves on 127.0.0.1. Requests are
// bounded by the client timeout and the server is closed with the test.
func newTestEnv(t testing.TB, opt envOptions) *testEnv {
	t.Helper()
	dir := t.TempDir()
	ctx := context.Background()
	db, err := queries.Open(ctx, filepath.Join(dir, "pantau.duckdb"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	if opt.samples {
		loadSamples(t, db, filepath.Join(dir, "data"))
	}
	for _, r := range []queries.Role{queries.Viewer, queries.Uploader, queries.Admin} {
		if err := db.AddUser(ctx, string(r), r, testPassword); err != nil {
			t.Fatal(err)
		}
	}
	clock := &testClock{now: time.Now()}
	cfg := dashboard.Config{DB: db, Now: clock.Now, DataDir: filepath.Join(dir, "data"),
		Logger: slog.New(slog.NewTextHandler(io.Discard, nil))}
	if testing.Verbose() {
		cfg.Logger = slog.New(slog.NewTextHandler(os.Stderr, nil))
	}
	if opt.config != nil {
		opt.config(&cfg)
	}
	srv, err := dashboard.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(srv.Close)
	hs := httptest.NewServer(boundedHandler(t, srv, maxTestRequests)) // listens on 127.0.0.1
	t.Cleanup(hs.Close)
	return &testEnv{t: t, DB: db, Server: srv, HTTP: hs, URL: hs.URL, clock: clock, dataDir: cfg.DataDir}
}

// maxTestRequests bounds what one test may ask of its server: a runaway
// loop fails the test instead of hammering the machine.
const maxTestRequests = 5000

func boundedHandler(t testing.TB, h http.Handler, max int64) http.Handler {
	var n atomic.Int64
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if n.Add(1) > max {
			t.Errorf("more than %d requests to the test server", max)
			http.Error(w, "test request budget spent", http.StatusServiceUnavailable)
			return
		}
		h.ServeHTTP(w, r)
	})
}

// Advance moves the server's clock.
func (e *testEnv) Advance(d time.Duration) {
	e.clock.mu.Lock()
	e.clock.now = e.clock.now.Add(d)
	e.clock.mu.Unlock()
}

func loadSamples(t testing.TB, db *queries.DB, dataDir string) {
	t.Helper()
	var peserta, survei bytes.Buffer
	if err := sampledata.WriteParticipants(&peserta); err != nil {
		t.Fatal(err)
	}
	if err := sampledata.WriteSurvey(&survei, sampledata.DefaultSurveyOptions()); err != nil {
		t.Fatal(err)
	}
	ingestBytes(t, db, dataDir, "peserta.xlsx", peserta.Bytes())
	ingestBytes(t, db, dataDir, "survei.xlsx", survei.Bytes())
}

// loadTargets imports the sample targets workbook (sampledata.WriteTargets)
// after the samples, as import 3 (or the next one).
func (e *testEnv) loadTargets() {
	e.t.Helper()
	var target bytes.Buffer
	if err := sampledata.WriteTargets(&target); err != nil {
		e.t.Fatal(err)
	}
	ingestBytes(e.t, e.DB, e.dataDir, "target.xlsx", target.Bytes())
}

func ingestBytes(t testing.TB, db *queries.DB, dataDir, name string, data []byte) {
	t.Helper()
	r, err := ingest.Bytes(context.Background(), db, name, data, ingest.Options{By: "test", DataDir: dataDir})
	if err != nil {
		t.Fatal(err)
	}
	if !r.OK {
		t.Fatalf("%s refused: %+v", name, r.Problems)
	}
}

// client is a browser-like HTTP client: a cookie jar, no automatic
// redirects (tests look at them), a timeout.
func (e *testEnv) client() *http.Client {
	jar, _ := cookiejar.New(nil)
	return &http.Client{Jar: jar, Timeout: 30 * time.Second,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
}

var csrfInput = regexp.MustCompile(`name="_csrf" value="([^"]+)"`)

// csrfFrom fetches a page and returns the CSRF token its forms carry.
func (e *testEnv) csrfFrom(c *http.Client, path string) string {
	e.t.Helper()
	body := e.get(c, path, http.StatusOK)
	m := csrfInput.FindStringSubmatch(body)
	if m == nil {
		e.t.Fatalf("GET %s: no _csrf field in the page", path)
	}
	return m[1]
}

// login logs a new client in as the user named after role.
func (e *testEnv) login(role string) *http.Client {
	e.t.Helper()
	c := e.client()
	token := e.csrfFrom(c, "/login")
	resp := e.post(c, "/login", url.Values{"username": {role}, "password": {testPassword}, "_csrf": {token}})
	if resp.StatusCode != http.StatusSeeOther {
		e.t.Fatalf("login as %s: status %d", role, resp.StatusCode)
	}
	return c
}

func (e *testEnv) get(c *http.Client, path string, want int) string {
	e.t.Helper()
	resp, err := c.Get(e.URL + path)
	if err != nil {
		e.t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != want {
		e.t.Fatalf("GET %s: status %d, want %d: %.300s", path, resp.StatusCode, want, body)
	}
	return string(body)
}

func (e *testEnv) post(c *http.Client, path string, form url.Values) *http.Response {
	e.t.Helper()
	resp, err := c.Post(e.URL+path, "application/x-www-form-urlencoded", strings.NewReader(form.Encode()))
	if err != nil {
		e.t.Fatal(err)
	}
	io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	return resp
}
