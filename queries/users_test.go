package queries_test

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"reflect"
	"strings"
	"testing"
	"time"

	"pantau/queries"
	"pantau/queries/querytest"
)

const goodPassword = "kata-sandi-rahasia"

// mustAddUser adds a user with goodPassword.
func mustAddUser(t *testing.T, db *queries.DB, name string, role queries.Role) {
	t.Helper()
	if err := db.AddUser(context.Background(), name, role, goodPassword); err != nil {
		t.Fatal(err)
	}
}

// wantCode fails unless err has the code want.
func wantCode(t *testing.T, what string, err error, want string) {
	t.Helper()
	if got := queries.ErrorCode(err); got != want {
		t.Errorf("%s: got %v (code %q), want code %q", what, err, got, want)
	}
}

func TestParseRole(t *testing.T) {
	for _, tt := range []struct {
		in   string
		want queries.Role
	}{{"viewer", queries.Viewer}, {"uploader", queries.Uploader}, {"admin", queries.Admin}, {" Admin ", queries.Admin}} {
		got, err := queries.ParseRole(tt.in)
		if err != nil || got != tt.want {
			t.Errorf("ParseRole(%q) = %q, %v; want %q", tt.in, got, err, tt.want)
		}
	}
	for _, in := range []string{"", "root", "viewers"} {
		_, err := queries.ParseRole(in)
		wantCode(t, "ParseRole("+in+")", err, queries.EINVALID)
		if err != nil && !strings.Contains(err.Error(), "viewer, uploader or admin") {
			t.Errorf("ParseRole(%q): message %q does not name the roles", in, err)
		}
	}
}

func TestRoleAllows(t *testing.T) {
	roles := []queries.Role{queries.Viewer, queries.Uploader, queries.Admin, "root", ""}
	// want[i][j]: roles[i] allows what needs roles[j].
	want := [][]bool{
		{true, false, false, false, false},
		{true, true, false, false, false},
		{true, true, true, false, false},
		{false, false, false, false, false},
		{false, false, false, false, false},
	}
	for i, r := range roles {
		for j, need := range roles {
			if got := r.Allows(need); got != want[i][j] {
				t.Errorf("%q.Allows(%q) = %v, want %v", r, need, got, want[i][j])
			}
		}
	}
}

func TestAddUser(t *testing.T) {
	db := querytest.Open(t)
	ctx := context.Background()
	if list, err := db.Users(ctx); err != nil || list == nil || len(list) != 0 {
		t.Fatalf("users of an empty database: %#v, %v; want an empty, non-nil list", list, err)
	}
	before := time.Now().Add(-time.Second)
	mustAddUser(t, db, "  Sari.Admin ", queries.Admin) // trimmed and lower-cased
	mustAddUser(t, db, "budi_01", queries.Viewer)
	mustAddUser(t, db, "ani-up", queries.Uploader)

	list, err := db.Users(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, u := range list {
		got = append(got, u.Username+" "+string(u.Role))
		if u.Disabled || u.CreatedAt.Before(before) || u.CreatedAt.After(time.Now()) {
			t.Errorf("user %+v: disabled or created at the wrong time", u)
		}
	}
	if want := []string{"ani-up uploader", "budi_01 viewer", "sari.admin admin"}; !reflect.DeepEqual(got, want) {
		t.Errorf("users: got %q, want %q", got, want)
	}

	u, err := db.User(ctx, "SARI.ADMIN")
	if err != nil || u.Username != "sari.admin" || u.Role != queries.Admin {
		t.Errorf("User(SARI.ADMIN) = %+v, %v", u, err)
	}
	_, err = db.User(ctx, "nobody")
	wantCode(t, "User(nobody)", err, queries.ENOTFOUND)
	_, err = db.User(ctx, "not a name")
	wantCode(t, "User(not a name)", err, queries.ENOTFOUND)

	wantCode(t, "same name, other case", db.AddUser(ctx, "Budi_01", queries.Admin, goodPassword), queries.ECONFLICT)
	for _, name := range []string{"", "   ", "a b", "budi@kantor", "ani/up", "dédé", strings.Repeat("x", 65)} {
		wantCode(t, "username "+name, db.AddUser(ctx, name, queries.Viewer, goodPassword), queries.EINVALID)
	}
	if err := db.AddUser(ctx, strings.Repeat("x", 64), queries.Viewer, goodPassword); err != nil {
		t.Errorf("64-character username: %v", err)
	}
	wantCode(t, "unknown role", db.AddUser(ctx, "citra", "root", goodPassword), queries.EINVALID)
	wantCode(t, "empty role", db.AddUser(ctx, "citra", "", goodPassword), queries.EINVALID)
	if _, err := db.User(ctx, "citra"); queries.ErrorCode(err) != queries.ENOTFOUND {
		t.Errorf("a refused user was stored: %v", err)
	}
}

func TestPasswordRules(t *testing.T) {
	db := querytest.Open(t)
	ctx := context.Background()
	for _, tt := range []struct {
		password string
		ok       bool
		message  string // part of the error's message
	}{
		{"", false, "at least 10 characters"},
		{"123456789", false, "at least 10 characters"},
		{"xk29-plm7q", true, ""},
		{"ééééééééé", false, "at least 10 characters"},              // 18 bytes, but 9 characters
		{"éxk29-plm7", true, ""},                                    // 10 characters
		{strings.Repeat("zebra kopi hujan ", 4) + "sepa", true, ""}, // 72 bytes
		{strings.Repeat("zebra kopi hujan ", 4) + "sepa!", false, "at most 72 bytes"},
		{strings.Repeat("é", 37), false, "at most 72 bytes"}, // 37 characters, 74 bytes
		{"kopi\xffhujan zebra", false, "UTF-8"},
		// Long enough, but trivial or common: refused, saying why.
		{"1234567890", false, "too easy to guess (too common"},
		{"aaaaaaaaaa", false, "too easy to guess (repeats"},
		{"éééééééééé", false, "too easy to guess (repeats"},
		{"abababababab", false, "too easy to guess (repeats"},
		{"abcdefghij", false, "too easy to guess (a sequence"},
		{"password123", false, "too easy to guess (too common"},
		{"qwertyuiop", false, "too easy to guess (too common"},
		{"zxcvbnm,./", false, "too easy to guess (a keyboard pattern"},
		{"jakarta2014", false, "too easy to guess (a date or year"},
		{"jennifersmith", false, "too easy to guess (common words or names"},
		// The user's own name, as it is or inside.
		{"user-2014-kopi", false, "must not contain the user name"},
		{"USER hujan zebra", false, "must not contain the user name"},
	} {
		err := db.AddUser(ctx, "user", queries.Viewer, tt.password)
		switch {
		case tt.ok && err != nil:
			t.Errorf("password of %d bytes: %v", len(tt.password), err)
		case !tt.ok && (queries.ErrorCode(err) != queries.EINVALID || !strings.Contains(err.Error(), tt.message)):
			t.Errorf("password of %d bytes: got %v, want an invalid error saying %q", len(tt.password), err, tt.message)
		}
		if err == nil {
			if _, err := db.Authenticate(ctx, "user", tt.password); err != nil {
				t.Errorf("password of %d bytes does not sign in: %v", len(tt.password), err)
			}
			if err := db.RemoveUser(ctx, "user"); err != nil {
				t.Fatal(err)
			}
		}
	}
	// The same rules when changing a password.
	mustAddUser(t, db, "ani", queries.Viewer)
	wantCode(t, "short new password", db.SetPassword(ctx, "ani", "pendek"), queries.EINVALID)
	wantCode(t, "long new password", db.SetPassword(ctx, "ani", strings.Repeat("a", 73)), queries.EINVALID)
	wantCode(t, "common new password", db.SetPassword(ctx, "ani", "1234567890"), queries.EINVALID)
	wantCode(t, "new password with the name", db.SetPassword(ctx, "ANI", "ani-zebra-kopi-hujan"), queries.EINVALID)
	if _, err := db.Authenticate(ctx, "ani", goodPassword); err != nil {
		t.Errorf("a refused new password changed the old one: %v", err)
	}
}

func TestPasswordStoredHashed(t *testing.T) {
	db := querytest.Open(t)
	mustAddUser(t, db, "ani", queries.Viewer)
	var hash string
	if err := queries.RawSQL(db).QueryRow(`SELECT password_hash FROM users WHERE username = 'ani'`).Scan(&hash); err != nil {
		t.Fatal(err)
	}
	if strings.Contains(hash, goodPassword) || !strings.HasPrefix(hash, "$2a$") {
		t.Errorf("stored password hash %q: not a bcrypt hash", hash)
	}
}

func TestAuthenticate(t *testing.T) {
	db := querytest.Open(t)
	ctx := context.Background()
	mustAddUser(t, db, "ani", queries.Uploader)
	mustAddUser(t, db, "budi", queries.Viewer)
	if err := db.SetDisabled(ctx, "budi", true); err != nil {
		t.Fatal(err)
	}
	u, err := db.Authenticate(ctx, " ANI ", goodPassword)
	if err != nil || u.Username != "ani" || u.Role != queries.Uploader || u.Disabled {
		t.Fatalf("Authenticate(ANI) = %+v, %v", u, err)
	}
	var messages []string
	for _, tt := range []struct{ name, user, password string }{
		{"wrong password", "ani", goodPassword + "x"},
		{"empty password", "ani", ""},
		{"unknown user", "citra", goodPassword},
		{"not a username", "a b", goodPassword},
		{"disabled user", "budi", goodPassword},
	} {
		u, err := db.Authenticate(ctx, tt.user, tt.password)
		wantCode(t, tt.name, err, queries.EUNAUTHORIZED)
		if u.Username != "" || u.Regions != nil {
			t.Errorf("%s: returned user %+v", tt.name, u)
		}
		if err != nil {
			messages = append(messages, err.Error())
		}
	}
	for _, m := range messages {
		if m != messages[0] {
			t.Errorf("sign-in refusals differ: %q", messages)
			break
		}
	}
	// Enabled again, the user signs in.
	if err := db.SetDisabled(ctx, "budi", false); err != nil {
		t.Fatal(err)
	}
	if _, err := db.Authenticate(ctx, "budi", goodPassword); err != nil {
		t.Errorf("re-enabled user: %v", err)
	}
}

// sessionCount counts the stored sessions of a user.
func sessionCount(t *testing.T, db *queries.DB, user string) int {
	t.Helper()
	var n int
	if err := queries.RawSQL(db).QueryRow(`SELECT count(*) FROM sessions WHERE username = ?`, user).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

func TestSessions(t *testing.T) {
	db := querytest.Open(t)
	ctx := context.Background()
	mustAddUser(t, db, "ani", queries.Admin)

	start := time.Date(2014, 9, 11, 8, 0, 0, 0, time.UTC)
	token, expires, err := db.CreateSession(ctx, "ANI", "", start, time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	if len(token) != 43 || strings.ContainsAny(token, "+/=") { // 32 bytes, base64url without padding
		t.Errorf("token %q: not 32 bytes in base64url", token)
	}
	if !expires.Equal(start.Add(time.Hour)) {
		t.Errorf("expires %v, want an hour from %v", expires, start)
	}
	other, _, err := db.CreateSession(ctx, "ani", "", time.Now(), time.Hour)
	if err != nil || other == token {
		t.Fatalf("second session: %q, %v (first %q)", other, err, token)
	}

	u, exp, err := db.SessionUser(ctx, token, start.Add(time.Minute), 0)
	if err != nil || u.Username != "ani" || u.Role != queries.Admin || !exp.Expires.Equal(expires) {
		t.Errorf("SessionUser = %+v, %v, %v; want ani until %v", u, exp, err, expires)
	}
	for _, tt := range []struct {
		name  string
		token string
		now   time.Time
	}{
		{"at expiry", token, expires},
		{"after expiry", token, expires.Add(time.Minute)},
		{"unknown token", token + "x", time.Now()},
		{"empty token", "", time.Now()},
	} {
		_, _, err := db.SessionUser(ctx, tt.token, tt.now, 0)
		wantCode(t, tt.name, err, queries.EUNAUTHORIZED)
	}
	if _, _, err := db.SessionUser(ctx, token, expires.Add(-time.Second), 0); err != nil {
		t.Errorf("a second before expiry: %v", err)
	}

	if err := db.DeleteSession(ctx, token); err != nil {
		t.Fatal(err)
	}
	_, _, err = db.SessionUser(ctx, token, time.Now(), 0)
	wantCode(t, "deleted session", err, queries.EUNAUTHORIZED)
	if err := db.DeleteSession(ctx, token); err != nil {
		t.Errorf("deleting a deleted session: %v", err)
	}
	if _, _, err := db.SessionUser(ctx, other, time.Now(), 0); err != nil {
		t.Errorf("the other session went too: %v", err)
	}

	_, _, err = db.CreateSession(ctx, "nobody", "", time.Now(), time.Hour)
	wantCode(t, "session of an unknown user", err, queries.ENOTFOUND)
	_, _, err = db.CreateSession(ctx, "ani", "", time.Now(), 0)
	wantCode(t, "session without a lifetime", err, queries.EINVALID)
}

func TestDeleteExpiredSessions(t *testing.T) {
	db := querytest.Open(t)
	ctx := context.Background()
	mustAddUser(t, db, "ani", queries.Viewer)
	short, shortExpires, err := db.CreateSession(ctx, "ani", "", time.Now(), time.Minute)
	if err != nil {
		t.Fatal(err)
	}
	long, _, err := db.CreateSession(ctx, "ani", "", time.Now(), 24*time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	if n, err := db.DeleteExpiredSessions(ctx, time.Now(), 0); err != nil || n != 0 {
		t.Errorf("nothing expired yet: deleted %d, %v", n, err)
	}
	if n, err := db.DeleteExpiredSessions(ctx, shortExpires, 0); err != nil || n != 1 {
		t.Errorf("at the short session's expiry: deleted %d, %v; want 1", n, err)
	}
	if sessionCount(t, db, "ani") != 1 {
		t.Errorf("sessions left: %d, want 1", sessionCount(t, db, "ani"))
	}
	if _, _, err := db.SessionUser(ctx, short, time.Now(), 0); queries.ErrorCode(err) != queries.EUNAUTHORIZED {
		t.Errorf("deleted expired session: %v", err)
	}
	if _, _, err := db.SessionUser(ctx, long, time.Now(), 0); err != nil {
		t.Errorf("the long session: %v", err)
	}
}

// Only the SHA-256 of a token is stored: a copy of the database signs nobody in.
func TestSessionTokenStoredHashed(t *testing.T) {
	db := querytest.Open(t)
	mustAddUser(t, db, "ani", queries.Viewer)
	token, _, err := db.CreateSession(context.Background(), "ani", "", time.Now(), time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	var row, hash string
	if err := queries.RawSQL(db).QueryRow(`SELECT CAST(s AS TEXT), token_hash FROM sessions s`).Scan(&row, &hash); err != nil {
		t.Fatal(err)
	}
	if strings.Contains(row, token) {
		t.Errorf("the token is stored: %s", row)
	}
	sum := sha256.Sum256([]byte(token))
	if hash != hex.EncodeToString(sum[:]) {
		t.Errorf("stored hash %q, want the hex SHA-256 of the token", hash)
	}
}

// A user's sessions end when the password changes, the user is disabled or
// removed; and a session of a disabled user is refused even if it is left.
func TestSessionsEndWithTheUser(t *testing.T) {
	db := querytest.Open(t)
	ctx := context.Background()
	session := func(user string) string {
		t.Helper()
		token, _, err := db.CreateSession(ctx, user, "", time.Now(), time.Hour)
		if err != nil {
			t.Fatal(err)
		}
		return token
	}
	refused := func(what, token string) {
		t.Helper()
		_, _, err := db.SessionUser(ctx, token, time.Now(), 0)
		wantCode(t, what, err, queries.EUNAUTHORIZED)
	}
	mustAddUser(t, db, "ani", queries.Viewer)
	mustAddUser(t, db, "budi", queries.Viewer)
	keep := session("budi")

	// New password: old sessions end, the old password fails, the new one works.
	token := session("ani")
	if err := db.SetPassword(ctx, "ANI", "kata-sandi-baru-sekali"); err != nil {
		t.Fatal(err)
	}
	refused("after a new password", token)
	if n := sessionCount(t, db, "ani"); n != 0 {
		t.Errorf("sessions after a new password: %d", n)
	}
	if _, err := db.Authenticate(ctx, "ani", goodPassword); queries.ErrorCode(err) != queries.EUNAUTHORIZED {
		t.Errorf("old password after a change: %v", err)
	}
	if _, err := db.Authenticate(ctx, "ani", "kata-sandi-baru-sekali"); err != nil {
		t.Errorf("new password: %v", err)
	}
	wantCode(t, "password of an unknown user", db.SetPassword(ctx, "nobody", goodPassword), queries.ENOTFOUND)

	// Disabled: sessions end and no new one starts.
	token = session("ani")
	if err := db.SetDisabled(ctx, "ani", true); err != nil {
		t.Fatal(err)
	}
	refused("disabled user", token)
	if n := sessionCount(t, db, "ani"); n != 0 {
		t.Errorf("sessions after disabling: %d", n)
	}
	if u, _ := db.User(ctx, "ani"); !u.Disabled {
		t.Errorf("user after disabling: %+v", u)
	}
	_, _, err := db.CreateSession(ctx, "ani", "", time.Now(), time.Hour)
	wantCode(t, "session of a disabled user", err, queries.EUNAUTHORIZED)
	wantCode(t, "disable an unknown user", db.SetDisabled(ctx, "nobody", true), queries.ENOTFOUND)
	if err := db.SetDisabled(ctx, "ani", false); err != nil {
		t.Fatal(err)
	}
	refused("old session after enabling again", token)

	// A session left behind for a user disabled some other way is refused too.
	token = session("ani")
	if _, err := queries.RawSQL(db).Exec(`UPDATE users SET disabled = true WHERE username = 'ani'`); err != nil {
		t.Fatal(err)
	}
	refused("session of a user disabled behind its back", token)
	if _, err := queries.RawSQL(db).Exec(`UPDATE users SET disabled = false WHERE username = 'ani'`); err != nil {
		t.Fatal(err)
	}

	// Removed: sessions end, the user is gone, the name is free again.
	if err := db.RemoveUser(ctx, "Ani"); err != nil {
		t.Fatal(err)
	}
	refused("removed user", token)
	if n := sessionCount(t, db, "ani"); n != 0 {
		t.Errorf("sessions after removing: %d", n)
	}
	_, err = db.User(ctx, "ani")
	wantCode(t, "removed user", err, queries.ENOTFOUND)
	wantCode(t, "remove again", db.RemoveUser(ctx, "ani"), queries.ENOTFOUND)
	mustAddUser(t, db, "ani", queries.Admin)
	if u, err := db.User(ctx, "ani"); err != nil || u.Role != queries.Admin {
		t.Errorf("re-added user: %+v, %v", u, err)
	}

	// The other user was never touched.
	if _, _, err := db.SessionUser(ctx, keep, time.Now(), 0); err != nil {
		t.Errorf("another user's session: %v", err)
	}
}

// The last enabled admin can be neither disabled nor removed: nobody could
// manage users afterwards. With a second admin, both work.
func TestLastAdminStays(t *testing.T) {
	db := querytest.Open(t)
	ctx := context.Background()
	mustAddUser(t, db, "ani", queries.Admin)
	mustAddUser(t, db, "budi", queries.Viewer)
	wantCode(t, "disable the only admin", db.SetDisabled(ctx, "ANI", true), queries.ECONFLICT)
	wantCode(t, "remove the only admin", db.RemoveUser(ctx, "ani"), queries.ECONFLICT)
	if u, err := db.User(ctx, "ani"); err != nil || u.Disabled {
		t.Fatalf("after the refusals: %+v, %v", u, err)
	}
	if err := db.RemoveUser(ctx, "budi"); err != nil {
		t.Errorf("remove a viewer: %v", err)
	}
	mustAddUser(t, db, "citra", queries.Admin)
	if err := db.SetDisabled(ctx, "ani", true); err != nil {
		t.Errorf("disable one of two admins: %v", err)
	}
	wantCode(t, "remove the last enabled admin", db.RemoveUser(ctx, "citra"), queries.ECONFLICT)
	if err := db.SetDisabled(ctx, "ani", false); err != nil {
		t.Fatal(err)
	}
	if err := db.RemoveUser(ctx, "citra"); err != nil {
		t.Errorf("remove one of two enabled admins: %v", err)
	}
}

// A session unused for the idle time ends, however long it had to run;
// being used (TouchSession) keeps it going. Idle 0 is no idle limit.
func TestSessionIdle(t *testing.T) {
	db := querytest.Open(t)
	ctx := context.Background()
	mustAddUser(t, db, "ani", queries.Viewer)
	start := time.Date(2014, 9, 11, 8, 0, 0, 0, time.UTC)
	const idle = 2 * time.Hour
	token, _, err := db.CreateSession(ctx, "ani", "192.0.2.7", start, 12*time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	_, s, err := db.SessionUser(ctx, token, start.Add(idle-time.Second), idle)
	if err != nil || !s.LastSeen.Equal(start) || !s.Created.Equal(start) || s.Client != "192.0.2.7" || s.ID != queries.SessionID(token) || len(s.ID) != 16 {
		t.Fatalf("a second before the idle time: %+v, %v", s, err)
	}
	_, _, err = db.SessionUser(ctx, token, start.Add(idle), idle)
	wantCode(t, "idle", err, queries.EUNAUTHORIZED)
	if _, _, err := db.SessionUser(ctx, token, start.Add(idle), 0); err != nil {
		t.Errorf("idle 0 is no limit: %v", err)
	}

	// Used an hour in: idle two hours after that.
	if err := db.TouchSession(ctx, token, start.Add(time.Hour)); err != nil {
		t.Fatal(err)
	}
	if err := db.TouchSession(ctx, token, start.Add(time.Minute)); err != nil { // never back
		t.Fatal(err)
	}
	if _, s, err := db.SessionUser(ctx, token, start.Add(idle), idle); err != nil || !s.LastSeen.Equal(start.Add(time.Hour)) {
		t.Errorf("after being used: %+v, %v", s, err)
	}
	_, _, err = db.SessionUser(ctx, token, start.Add(time.Hour+idle), idle)
	wantCode(t, "idle after being used", err, queries.EUNAUTHORIZED)

	// The hourly sweep deletes idle sessions too.
	if n, err := db.DeleteExpiredSessions(ctx, start.Add(time.Hour+idle-time.Second), idle); err != nil || n != 0 {
		t.Errorf("sweep before the idle time: %d, %v", n, err)
	}
	if n, err := db.DeleteExpiredSessions(ctx, start.Add(time.Hour+idle), idle); err != nil || n != 1 {
		t.Errorf("sweep at the idle time: %d, %v; want 1", n, err)
	}
}

// A user lists their live sessions and ends one, or all but their own.
func TestUserSessions(t *testing.T) {
	db := querytest.Open(t)
	ctx := context.Background()
	mustAddUser(t, db, "ani", queries.Viewer)
	mustAddUser(t, db, "budi", queries.Viewer)
	start := time.Date(2014, 9, 11, 8, 0, 0, 0, time.UTC)
	const idle = 2 * time.Hour
	session := func(user, client string, at time.Time) string {
		t.Helper()
		token, _, err := db.CreateSession(ctx, user, client, at, 12*time.Hour)
		if err != nil {
			t.Fatal(err)
		}
		return token
	}
	old := session("ani", "192.0.2.1", start) // idle by the time we look
	a := session("ani", "192.0.2.2", start.Add(time.Hour))
	b := session("ani", "192.0.2.3", start.Add(2*time.Hour))
	c := session("ani", "192.0.2.4", start.Add(90*time.Minute))
	other := session("budi", "192.0.2.5", start.Add(2*time.Hour))
	now := start.Add(2*time.Hour + time.Minute)

	list, err := db.Sessions(ctx, "ANI", now, idle)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, s := range list {
		got = append(got, s.Client)
	}
	if want := []string{"192.0.2.3", "192.0.2.4", "192.0.2.2"}; !reflect.DeepEqual(got, want) {
		t.Errorf("sessions, last used first: %v, want %v", got, want)
	}
	if list[0].ID != queries.SessionID(b) {
		t.Errorf("first session ID %q, want %q", list[0].ID, queries.SessionID(b))
	}

	// Another user's session cannot be ended by its ID.
	wantCode(t, "another user's session", db.EndSession(ctx, "ani", queries.SessionID(other)), queries.ENOTFOUND)
	wantCode(t, "not an ID", db.EndSession(ctx, "ani", ""), queries.ENOTFOUND)
	if err := db.EndSession(ctx, "ani", queries.SessionID(c)); err != nil {
		t.Fatal(err)
	}
	wantCode(t, "ended twice", db.EndSession(ctx, "ani", queries.SessionID(c)), queries.ENOTFOUND)
	if _, _, err := db.SessionUser(ctx, c, now, idle); queries.ErrorCode(err) != queries.EUNAUTHORIZED {
		t.Errorf("ended session: %v", err)
	}

	if n, err := db.EndOtherSessions(ctx, "ani", b); err != nil || n != 2 { // a and the idle one
		t.Errorf("end the others: %d, %v; want 2", n, err)
	}
	for what, token := range map[string]string{"the other": a, "the idle one": old} {
		if _, _, err := db.SessionUser(ctx, token, now, 0); queries.ErrorCode(err) != queries.EUNAUTHORIZED {
			t.Errorf("%s after ending the others: %v", what, err)
		}
	}
	for what, token := range map[string]string{"the one kept": b, "another user's": other} {
		if _, _, err := db.SessionUser(ctx, token, now, idle); err != nil {
			t.Errorf("%s: %v", what, err)
		}
	}
}

// A user changing their own password must know the current one; the
// rules apply; their other sessions end and this one stays.
func TestChangePassword(t *testing.T) {
	db := querytest.Open(t)
	ctx := context.Background()
	mustAddUser(t, db, "ani", queries.Viewer)
	mustAddUser(t, db, "budi", queries.Viewer)
	this, _, _ := db.CreateSession(ctx, "ani", "", time.Now(), time.Hour)
	other, _, _ := db.CreateSession(ctx, "ani", "", time.Now(), time.Hour)
	budi, _, _ := db.CreateSession(ctx, "budi", "", time.Now(), time.Hour)
	const newPassword = "zebra kopi hujan sore"
	for _, tt := range []struct{ name, current, password, code, want string }{
		{"wrong current", goodPassword + "x", newPassword, queries.EUNAUTHORIZED, "current password is wrong"},
		{"the same", goodPassword, goodPassword, queries.EINVALID, "the same as the current"},
		{"common", goodPassword, "1234567890", queries.EINVALID, "too easy to guess"},
		{"with the name", goodPassword, "ani-zebra-kopi-hujan", queries.EINVALID, "user name"},
	} {
		err := db.ChangePassword(ctx, "ani", tt.current, tt.password, this)
		if queries.ErrorCode(err) != tt.code || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%s: %v, want %s saying %q", tt.name, err, tt.code, tt.want)
		}
	}
	if sessionCount(t, db, "ani") != 2 {
		t.Fatal("a refused change ended sessions")
	}
	wantCode(t, "unknown user", db.ChangePassword(ctx, "nobody", goodPassword, newPassword, this), queries.EUNAUTHORIZED)

	if err := db.ChangePassword(ctx, "ani", goodPassword, newPassword, this); err != nil {
		t.Fatal(err)
	}
	if _, err := db.Authenticate(ctx, "ani", newPassword); err != nil {
		t.Errorf("the new password: %v", err)
	}
	if _, _, err := db.SessionUser(ctx, this, time.Now(), 0); err != nil {
		t.Errorf("this session after the change: %v", err)
	}
	if _, _, err := db.SessionUser(ctx, other, time.Now(), 0); queries.ErrorCode(err) != queries.EUNAUTHORIZED {
		t.Errorf("the other session after the change: %v", err)
	}
	if _, _, err := db.SessionUser(ctx, budi, time.Now(), 0); err != nil {
		t.Errorf("another user's session after the change: %v", err)
	}
}

// TestScope: a user is unscoped (nil) until limited; the scope reads back
// sorted and without repeats from every way a user is read (the list, one
// user, a session); an empty scope is refused; nil lifts it.
func TestScope(t *testing.T) {
	db := querytest.Open(t)
	ctx := context.Background()
	if err := db.AddUser(ctx, "sari", queries.Viewer, goodPassword); err != nil {
		t.Fatal(err)
	}
	u, err := db.User(ctx, "sari")
	if err != nil || u.Regions != nil || !u.Regions.Allows("Kota Batu") {
		t.Fatalf("a new user: %+v, %v; want every region", u, err)
	}
	if err := db.SetScope(ctx, "SARI", queries.Scope{"Kota Batu", "Kab. Jember", "Kota Batu"}); err != nil {
		t.Fatal(err)
	}
	token, _, err := db.CreateSession(ctx, "sari", "", time.Now(), time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	fromSession, _, err := db.SessionUser(ctx, token, time.Now(), time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	list, _ := db.Users(ctx)
	one, _ := db.User(ctx, "sari")
	for where, got := range map[string]queries.Scope{"session": fromSession.Regions, "list": list[0].Regions, "user": one.Regions} {
		if fmt.Sprint(got) != "[Kab. Jember Kota Batu]" {
			t.Errorf("%s: scope %q", where, got)
		}
	}
	if one.Regions.Allows("Kota Malang") || !one.Regions.Allows("Kota Batu") {
		t.Errorf("Allows: %v", one.Regions)
	}
	wantCode(t, "empty scope", db.SetScope(ctx, "sari", queries.Scope{}), queries.EINVALID)
	wantCode(t, "unknown user", db.SetScope(ctx, "nobody", nil), queries.ENOTFOUND)
	if err := db.SetScope(ctx, "sari", nil); err != nil {
		t.Fatal(err)
	}
	if one, _ := db.User(ctx, "sari"); one.Regions != nil {
		t.Errorf("after lifting: %v", one.Regions)
	}
}
