package main

// Tests of `pantau serve` against `pantau summary --json`, and of the user
// commands.

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"golang.org/x/crypto/bcrypt"

	"pantau/queries"
)

// fastBcrypt lowers the bcrypt cost for one test; these tests do not run in
// parallel, so nothing else reads it meanwhile.
func fastBcrypt(t *testing.T) {
	old := queries.BcryptCost
	queries.BcryptCost = bcrypt.MinCost
	t.Cleanup(func() { queries.BcryptCost = old })
}

// runStdin is cli.run with standard input.
func (c *cli) runStdin(stdin string, args ...string) (stdout, stderr string, code int) {
	c.t.Helper()
	env := map[string]string{
		"PANTAU_DB":   filepath.Join(c.dir, "pantau.duckdb"),
		"PANTAU_DATA": filepath.Join(c.dir, "data"),
	}
	var out, errb bytes.Buffer
	err := run(context.Background(), args, func(k string) string { return env[k] }, strings.NewReader(stdin), &out, &errb)
	if err != nil {
		code = exitCode(err)
		errb.WriteString(err.Error())
	}
	return out.String(), errb.String(), code
}

// lockedBuffer is a bytes.Buffer safe for one writer and one reader.
type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// startServe runs `pantau serve --addr 127.0.0.1:0` in-process and returns
// its base URL and a stop function that shuts it down and returns run's error.
func (c *cli) startServe() (base string, stop func() error) {
	c.t.Helper()
	env := map[string]string{
		"PANTAU_DB":   filepath.Join(c.dir, "pantau.duckdb"),
		"PANTAU_DATA": filepath.Join(c.dir, "data"),
	}
	ctx, cancel := context.WithCancel(context.Background())
	var stdout, stderr lockedBuffer
	done := make(chan error, 1)
	go func() {
		done <- run(ctx, []string{"serve", "--addr", "127.0.0.1:0"}, func(k string) string { return env[k] }, strings.NewReader(""), &stdout, &stderr)
	}()
	re := regexp.MustCompile(`serving on (http://127\.0\.0\.1:\d+)`)
	deadline := time.Now().Add(30 * time.Second)
	for {
		if m := re.FindStringSubmatch(stdout.String()); m != nil {
			base = m[1]
			break
		}
		select {
		case err := <-done:
			cancel()
			c.t.Fatalf("serve ended before serving: %v\n%s\n%s", err, stdout.String(), stderr.String())
		case <-time.After(10 * time.Millisecond):
		}
		if time.Now().After(deadline) {
			cancel()
			c.t.Fatalf("serve did not say where it serves: %q", stdout.String())
		}
	}
	stopped := false
	stop = func() error {
		if stopped {
			return nil
		}
		stopped = true
		cancel()
		select {
		case err := <-done:
			return err
		case <-time.After(20 * time.Second):
			return errors.New("serve did not shut down within 20 s")
		}
	}
	c.t.Cleanup(func() { stop() })
	return base, stop
}

// httpLogin logs in at base and returns the client.
func httpLogin(t *testing.T, base, username, password string) *http.Client {
	t.Helper()
	jar, _ := cookiejar.New(nil)
	hc := &http.Client{Jar: jar, Timeout: 30 * time.Second,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := hc.Get(base + "/login")
	if err != nil {
		t.Fatal(err)
	}
	page, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	m := regexp.MustCompile(`name="_csrf" value="([^"]+)"`).FindSubmatch(page)
	if m == nil {
		t.Fatalf("no CSRF field on the login page")
	}
	resp, err = hc.PostForm(base+"/login", url.Values{"username": {username}, "password": {password}, "_csrf": {string(m[1])}})
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("login: status %d", resp.StatusCode)
	}
	return hc
}

// GET /api/v1/summary answers byte for byte what `pantau summary --json`
// prints for the same filter on the same database. DuckDB lets one process
// at a time open the file, and a second open in one process is not
// something to rely on, so the server runs first (in-process, through run,
// as `pantau serve` does) and the CLI runs after it has shut down.
func TestSummaryAPIEqualsCLI(t *testing.T) {
	c := samplesAndViewer(t)
	tests := []apiCase{
		{"no filter", "", nil},
		{"one region", "region=Kab.+Jember", []string{"--region", "Kab. Jember"}},
		{"one region, bare name", "region=jember", []string{"--region", "jember"}},
		{"two regions", "region=Kab.+Jember&region=Kota+Surabaya", []string{"--region", "Kab. Jember", "--region", "Kota Surabaya"}},
		{"two regions, other order", "region=Kota+Surabaya&region=Kab.+Jember", []string{"--region", "Kota Surabaya", "--region", "Kab. Jember"}},
		{"one region twice", "region=Kab.+Jember&region=jember", []string{"--region", "Kab. Jember", "--region", "jember"}},
		{"gender P", "gender=P", []string{"--gender", "P"}},
		{"gender spelled out", "gender=Perempuan", []string{"--gender", "Perempuan"}},
		{"work type SE", "work_type=SE", []string{"--work-type", "SE"}},
		{"period", "from=2014-10-01&to=2015-03-31", []string{"--from", "2014-10-01", "--to", "2015-03-31"}},
		{"period, day first", "from=01/10/2014", []string{"--from", "01/10/2014"}},
		{"combined", "region=Kab.+Jember&region=Kab.+Malang&gender=P&work_type=POS&from=2014-09-01&to=2015-06-30",
			[]string{"--region", "Kab. Jember", "--region", "Kab. Malang", "--gender", "P", "--work-type", "POS", "--from", "2014-09-01", "--to", "2015-06-30"}},
		{"nothing matches", "region=Kab.+Pacitan", []string{"--region", "Kab. Pacitan"}},
	}

	distinct := map[string]bool{}
	for _, out := range apiEqualsCLI(t, c, "/api/v1/summary", "summary", tests, nil) {
		distinct[out] = true
	}
	// The filters are not all ignored: the outputs differ.
	if len(distinct) < len(tests)-4 { // the respelled, repeated and reordered filters repeat others
		t.Errorf("only %d distinct summaries for %d filters", len(distinct), len(tests))
	}
}

// samplesAndViewer is a CLI whose database holds small sample workbooks
// (400 respondents, 30 groups) and the files more adds, and has the user
// "viewer" apiEqualsCLI logs in as.
func samplesAndViewer(t *testing.T, more ...string) *cli {
	t.Helper()
	fastBcrypt(t)
	c := newCLI(t)
	samples := filepath.Join(c.dir, "samples")
	c.mustRun("sample", "--out", samples, "--respondents", "400", "--groups", "30", "--seed", "5")
	c.mustRun(append([]string{"ingest", filepath.Join(samples, "peserta.xlsx"), filepath.Join(samples, "survei.xlsx")}, more...)...)
	if out, errs, code := c.runStdin("a long test password\n", "user", "add", "--username", "viewer", "--role", "viewer", "--password-stdin"); code != 0 {
		t.Fatalf("user add: exit %d: %s %s", code, out, errs)
	}
	return c
}

// apiCase is one filter as a query string and as a command's flags.
type apiCase struct {
	name, query string
	flags       []string
}

// apiEqualsCLI serves c's database, GETs path?query of every case as a
// viewer (and runs serving, when given, meanwhile), stops the server, then
// runs "pantau command --json flags..." for every case and fails where the
// two differ by a byte. It returns the outputs, in the order of the cases.
func apiEqualsCLI(t *testing.T, c *cli, path, command string, cases []apiCase, serving func(base string, hc *http.Client)) []string {
	t.Helper()
	return apiEqualsCLIAs(t, c, "viewer", path, command, cases, serving)
}

// apiEqualsCLIAs is apiEqualsCLI logged in as user (password "a long test password").
func apiEqualsCLIAs(t *testing.T, c *cli, user, path, command string, cases []apiCase, serving func(base string, hc *http.Client)) []string {
	t.Helper()
	base, stop := c.startServe()
	hc := httpLogin(t, base, user, "a long test password")
	api := map[string][]byte{}
	for _, tt := range cases {
		resp, err := hc.Get(base + path + "?" + tt.query)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK {
			t.Fatalf("%s: GET %s?%s: status %d: %s", tt.name, path, tt.query, resp.StatusCode, body)
		}
		api[tt.name] = body
	}
	if serving != nil {
		serving(base, hc)
	}
	if err := stop(); err != nil {
		t.Fatalf("serve after cancel: %v, want a clean shutdown", err)
	}
	var outs []string
	for _, tt := range cases {
		cliOut := c.mustRun(append([]string{command, "--json"}, tt.flags...)...)
		if got := string(api[tt.name]); got != cliOut {
			t.Errorf("%s: API and CLI differ\nAPI %s\nCLI %s", tt.name, firstDiff(got, cliOut), firstDiff(cliOut, got))
		}
		outs = append(outs, cliOut)
	}
	return outs
}

// firstDiff is a from a little before the first byte where it differs from b.
func firstDiff(a, b string) string {
	i := 0
	for i < len(a) && i < len(b) && a[i] == b[i] {
		i++
	}
	start := max(0, i-80)
	return a[start:min(len(a), i+80)]
}

func TestServeRefusesABadAddress(t *testing.T) {
	c := newCLI(t)
	if _, errs, code := c.run("serve", "--addr", "127.0.0.1:99999"); code != 2 || !strings.Contains(errs, "99999") {
		t.Errorf("serve on a bad port: exit %d, %q; want 2 naming the address", code, errs)
	}
}

func TestServeRefusesANonPositiveIdleTime(t *testing.T) {
	c := newCLI(t)
	for _, idle := range []string{"0", "-5m"} {
		if _, errs, code := c.run("serve", "--addr", "127.0.0.1:0", "--session-idle", idle); code != 2 || !strings.Contains(errs, "--session-idle") {
			t.Errorf("serve --session-idle %s: exit %d, %q; want 2 naming the flag", idle, code, errs)
		}
	}
}

func TestUserCommands(t *testing.T) {
	fastBcrypt(t)
	c := newCLI(t)
	const pw, pw2 = "first long password", "second long password"
	tests := []struct {
		name  string
		stdin string
		args  []string
		code  int
		want  string // in stdout or stderr
	}{
		{"add", pw + "\n", []string{"user", "add", "--username", "Alice", "--role", "viewer", "--password-stdin"}, 0, "user alice: add done"},
		{"add admin, CRLF", pw + "\r\n", []string{"user", "add", "--username", "root", "--role", "ADMIN", "--password-stdin"}, 0, "user root: add done"},
		{"duplicate", pw + "\n", []string{"user", "add", "--username", "alice", "--role", "admin", "--password-stdin"}, 1, `"alice" already exists`},
		{"bad role", pw + "\n", []string{"user", "add", "--username", "bob", "--role", "boss", "--password-stdin"}, 1, "viewer, uploader or admin"},
		{"no role", pw + "\n", []string{"user", "add", "--username", "bob", "--password-stdin"}, 1, "viewer, uploader or admin"},
		{"bad name", pw + "\n", []string{"user", "add", "--username", "bob smith", "--role", "viewer", "--password-stdin"}, 1, "a-z, 0-9"},
		{"short password", "short\n", []string{"user", "add", "--username", "bob", "--role", "viewer", "--password-stdin"}, 1, "at least 10"},
		{"trivial password", "aaaaaaaaaa\n", []string{"user", "add", "--username", "bob", "--role", "viewer", "--password-stdin"}, 1, "too easy to guess (repeats"},
		{"common password", "1234567890\n", []string{"user", "add", "--username", "bob", "--role", "viewer", "--password-stdin"}, 1, "too easy to guess (too common"},
		{"password with the name", "bob-zebra-kopi\n", []string{"user", "add", "--username", "Bob", "--role", "viewer", "--password-stdin"}, 1, "must not contain the user name"},
		{"no --password-stdin", "", []string{"user", "add", "--username", "bob", "--role", "viewer"}, 2, "--password-stdin"},
		{"empty stdin", "", []string{"user", "add", "--username", "bob", "--role", "viewer", "--password-stdin"}, 2, "no password"},
		{"no subcommand", "", []string{"user"}, 2, "add, list, passwd, scope or rm"},
		{"unknown subcommand", "", []string{"user", "frob"}, 2, `unknown subcommand "frob"`},
		{"passwd", pw2 + "\n", []string{"user", "passwd", "alice", "--password-stdin"}, 0, "user alice: passwd done"},
		{"passwd common", "password123\n", []string{"user", "passwd", "alice", "--password-stdin"}, 1, "too easy to guess"},
		{"passwd unknown", pw2 + "\n", []string{"user", "passwd", "nobody", "--password-stdin"}, 1, `"nobody" does not exist`},
		{"passwd no name", pw2 + "\n", []string{"user", "passwd", "--password-stdin"}, 2, "exactly one user name"},
		{"passwd no stdin flag", pw2 + "\n", []string{"user", "passwd", "alice"}, 2, "--password-stdin"},
		{"rm the last admin", "", []string{"user", "rm", "root"}, 1, "root is the last enabled admin"},
		{"add a second admin", pw + "\n", []string{"user", "add", "--username", "boss", "--role", "admin", "--password-stdin"}, 0, "user boss: add done"},
		{"rm", "", []string{"user", "rm", "root"}, 0, "user root: rm done"},
		{"rm again", "", []string{"user", "rm", "root"}, 1, `"root" does not exist`},
		{"rm two names", "", []string{"user", "rm", "a", "b"}, 2, "exactly one user name"},
		{"add scoped", pw + "\n", []string{"user", "add", "--username", "jember", "--role", "uploader", "--regions", "jember, Kota Malang", "--password-stdin"}, 0, "user jember: add done"},
		{"scope unknown region", "", []string{"user", "scope", "alice", "--regions", "Kab. Atlantis"}, 2, "Atlantis"},
		{"scope nothing", "", []string{"user", "scope", "alice"}, 2, "--regions R1,R2 or --all"},
		{"scope both", "", []string{"user", "scope", "alice", "--regions", "Kota Batu", "--all"}, 2, "--regions R1,R2 or --all"},
		{"scope", "", []string{"user", "scope", "alice", "--regions", "Kota Batu"}, 0, "user alice: scope done"},
		{"scope all", "", []string{"user", "scope", "boss", "--all"}, 0, "user boss: scope done"},
		{"scope unknown user", "", []string{"user", "scope", "nobody", "--all"}, 1, `"nobody" does not exist`},
	}
	for _, tt := range tests {
		out, errs, code := c.runStdin(tt.stdin, tt.args...)
		if code != tt.code || !strings.Contains(out+errs, tt.want) {
			t.Errorf("%s: pantau %v: exit %d, %q %q; want exit %d mentioning %q", tt.name, tt.args, code, out, errs, tt.code, tt.want)
		}
		if strings.Contains(out+errs, pw) || strings.Contains(out+errs, pw2) {
			t.Errorf("%s: the password is printed", tt.name)
		}
	}

	out := c.mustRun("user", "list")
	if !regexp.MustCompile(`(?m)^USER\s+ROLE\s+STATUS\s+CREATED\s+REGIONS\nalice\s+viewer\s+active\s+\d{4}-\d\d-\d\d\s+Kota Batu\nboss\s+admin\s+active\s+\d{4}-\d\d-\d\d\s+all\njember\s+uploader\s+active\s+\d{4}-\d\d-\d\d\s+Kab. Jember, Kota Malang\n$`).MatchString(out) {
		t.Errorf("user list:\n%s", out)
	}
	var users []queries.User
	if err := json.Unmarshal([]byte(c.mustRun("user", "list", "--json")), &users); err != nil {
		t.Fatal(err)
	}
	if len(users) != 3 || users[0].Username != "alice" || users[0].Role != queries.Viewer || users[0].Disabled || users[0].CreatedAt.IsZero() || users[1].Username != "boss" ||
		fmt.Sprint(users[0].Regions) != "[Kota Batu]" || users[1].Regions != nil {
		t.Errorf("user list --json: %+v", users)
	}
	if raw := c.mustRun("user", "list", "--json"); strings.Contains(raw, "hash") || strings.Contains(raw, "$2a$") {
		t.Errorf("user list --json shows the password hash: %s", raw)
	}

	// The new password is the one that signs in.
	db, err := queries.Open(context.Background(), filepath.Join(c.dir, "pantau.duckdb"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if _, err := db.Authenticate(context.Background(), "alice", pw2); err != nil {
		t.Errorf("alice with the new password: %v", err)
	}
	if _, err := db.Authenticate(context.Background(), "alice", pw); queries.ErrorCode(err) != queries.EUNAUTHORIZED {
		t.Errorf("alice with the old password: %v, want refused", err)
	}
}
