package queries

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"database/sql"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"github.com/trustelem/zxcvbn"
	"golang.org/x/crypto/bcrypt"
)

// Role is what a user may do. Each role allows what the roles below it do:
// admin ⊇ uploader ⊇ viewer.
type Role string

const (
	Viewer   Role = "viewer"   // sees the dashboards and downloads summaries
	Uploader Role = "uploader" // also uploads workbooks and undoes imports
	Admin    Role = "admin"    // also manages users
)

var roleRank = map[Role]int{Viewer: 1, Uploader: 2, Admin: 3}

// ParseRole returns the role named s (case and surrounding spaces ignored),
// or an EINVALID error naming the three roles.
func ParseRole(s string) (Role, error) {
	r := Role(strings.ToLower(strings.TrimSpace(s)))
	if _, ok := roleRank[r]; !ok {
		return "", Errorf(EINVALID, "peran %q: harus viewer, uploader atau admin", "role %q: must be viewer, uploader or admin", s)
	}
	return r, nil
}

// Allows reports whether a user with role r may do what needs role need. An
// unknown role allows nothing and is allowed by nothing.
func (r Role) Allows(need Role) bool {
	have, ok := roleRank[r]
	want, ok2 := roleRank[need]
	return ok && ok2 && have >= want
}

// User is a person who may sign in. The password hash never leaves this package.
type User struct {
	Username  string    `json:"username"`
	Role      Role      `json:"role"`
	Disabled  bool      `json:"disabled"`
	CreatedAt time.Time `json:"created_at"`
	// Regions is the user's scope: nil for every region, else the only
	// regions the user sees (and, an uploader, imports).
	Regions Scope `json:"regions"`
}

// Scope is a set of regions a user is limited to, sorted; nil is every region.
type Scope []string

// Scan reads a VARCHAR[] column (NULL: every region).
func (s *Scope) Scan(src any) error {
	*s = nil
	if src == nil {
		return nil
	}
	list, ok := src.([]any)
	if !ok {
		return fmt.Errorf("scope: %T is not a list", src)
	}
	*s = Scope{}
	for _, v := range list {
		name, ok := v.(string)
		if !ok {
			return fmt.Errorf("scope: %T in the list", v)
		}
		*s = append(*s, name)
	}
	return nil
}

// Allows reports whether region is in the scope.
func (s Scope) Allows(region string) bool { return s == nil || slices.Contains(s, region) }

// BcryptCost is the bcrypt cost of new password hashes. Tests lower it.
var BcryptCost = bcrypt.DefaultCost

const (
	minPasswordChars = 10
	maxPasswordBytes = 72 // bcrypt reads no further
	maxUsernameChars = 64
)

// normUsername trims and lower-cases a username; ok is false when the result
// is not 1-64 characters of a-z, 0-9, dot, underscore and hyphen.
func normUsername(s string) (name string, ok bool) {
	name = strings.ToLower(strings.TrimSpace(s))
	if name == "" || len(name) > maxUsernameChars {
		return name, false
	}
	for _, c := range name {
		if !('a' <= c && c <= 'z' || '0' <= c && c <= '9' || c == '.' || c == '_' || c == '-') {
			return name, false
		}
	}
	return name, true
}

func validUsername(s string) (string, error) {
	name, ok := normUsername(s)
	if !ok {
		return "", Errorf(EINVALID, "nama pengguna %q: harus 1 sampai %d karakter a-z, 0-9, titik, garis bawah atau tanda hubung",
			"username %q: must be 1 to %d characters of a-z, 0-9, dot, underscore or hyphen", s, maxUsernameChars)
	}
	return name, nil
}

// minPasswordScore is the zxcvbn score a password must reach: 3 is "safely
// unguessable" in zxcvbn's terms, under 10^10 guesses but at least 10^8,
// which against bcrypt hashes stolen with the database is years of work.
const minPasswordScore = 3

// checkPassword applies the password rules to a password of the user
// named name (normalised): 10 characters to 72 bytes of UTF-8, not the
// name nor containing it, and not easy to guess as zxcvbn (Dropbox's
// estimator, with its lists of common passwords, words and names, and its
// patterns: repeats, sequences, keyboard rows, dates) reckons it.
func checkPassword(name, password string) error {
	if n := utf8.RuneCountInString(password); n < minPasswordChars {
		return Errorf(EINVALID, "kata sandi minimal %d karakter; yang ini %d", "password must be at least %d characters; this one has %d", minPasswordChars, n)
	}
	if n := len(password); n > maxPasswordBytes {
		return Errorf(EINVALID, "kata sandi paling banyak %d byte (batas bcrypt); yang ini %d",
			"password must be at most %d bytes (the limit of bcrypt); this one has %d", maxPasswordBytes, n)
	}
	if !utf8.ValidString(password) {
		return Errorf(EINVALID, "kata sandi harus teks UTF-8", "password must be UTF-8 text")
	}
	// A name of one or two letters is in too many good passwords to refuse them.
	if lower := strings.ToLower(password); name != "" && (lower == name || len(name) >= 3 && strings.Contains(lower, name)) {
		return Errorf(EINVALID, "kata sandi tidak boleh memuat nama pengguna %q: itu yang pertama dicoba penebak",
			"password must not contain the user name %q: it is what a guesser tries first", name)
	}
	if why, weak := weakness(name, password); weak {
		return Fail(EINVALID, Message{
			ID: "kata sandi terlalu mudah ditebak (" + why.ID + "): tambahkan satu atau dua kata lagi yang tidak umum",
			EN: "password too easy to guess (" + why.EN + "): add a word or two that are not common"})
	}
	return nil
}

// weakness reports whether zxcvbn finds password easy to guess, and says
// in words what made it so: the most telling pattern among those it found.
// Fewer than five different characters is a repeat too (zxcvbn's port
// misses repeats of a letter outside ASCII).
func weakness(name, password string) (Message, bool) {
	r := zxcvbn.PasswordStrength(password, []string{name, "pantau"})
	var patterns []string
	if distinct := len(slices.Compact(slices.Sorted(slices.Values([]rune(password))))); distinct < 5 {
		patterns = append(patterns, "repeat")
	} else if r.Score >= minPasswordScore {
		return Message{}, false
	}
	for _, m := range r.Sequence {
		p := m.Pattern
		if p == "dictionary" && m.DictionaryName == "passwords" && len(r.Sequence) == 1 {
			p = "common"
		}
		patterns = append(patterns, p)
	}
	for _, w := range []struct {
		pattern string
		why     Message
	}{
		{"common", Message{"terlalu umum: ada di daftar kata sandi yang paling sering dipakai", "too common: it is in the list of the most used passwords"}},
		{"repeat", Message{"pengulangan seperti aaaa atau abcabc", "repeats such as aaaa or abcabc"}},
		{"sequence", Message{"urutan seperti 1234 atau abcd", "a sequence such as 1234 or abcd"}},
		{"spatial", Message{"pola papan ketik seperti qwerty", "a keyboard pattern such as qwerty"}},
		{"date", Message{"tanggal atau tahun", "a date or year"}},
		{"regex", Message{"tanggal atau tahun", "a date or year"}},
		{"dictionary", Message{"kata atau nama yang umum", "common words or names"}},
	} {
		if slices.Contains(patterns, w.pattern) {
			return w.why, true
		}
	}
	return Message{"terlalu pendek untuk jenis karakternya", "too short for the kinds of characters in it"}, true
}

// hashPassword checks the password rules for the user name (normalised)
// and returns the bcrypt hash.
func hashPassword(name, password string) (string, error) {
	if err := checkPassword(name, password); err != nil {
		return "", err
	}
	h, err := bcrypt.GenerateFromPassword([]byte(password), BcryptCost)
	if err != nil {
		return "", fmt.Errorf("hash password: %w", err)
	}
	return string(h), nil
}

const addUserSQL = `
INSERT INTO users (username, role, password_hash, disabled, created_at, updated_at)
VALUES ($username, $role, $hash, false, $now, $now)`

// AddUser adds a user with a role and a password. The username is trimmed
// and lower-cased, and must then be 1-64 characters of a-z, 0-9, dot,
// underscore and hyphen; the password must be at least 10 characters and at
// most 72 bytes, must not contain the username, and must not be easy to
// guess (see checkPassword). Either rule broken, or an unknown role, is an EINVALID
// error; a username already taken is ECONFLICT.
func (db *DB) AddUser(ctx context.Context, username string, role Role, password string) error {
	name, err := validUsername(username)
	if err != nil {
		return err
	}
	if _, ok := roleRank[role]; !ok {
		return Errorf(EINVALID, "peran %q: harus viewer, uploader atau admin", "role %q: must be viewer, uploader or admin", role)
	}
	hash, err := hashPassword(name, password) // slow: before the lock
	if err != nil {
		return err
	}
	db.accounts.Lock()
	defer db.accounts.Unlock()
	if _, err := db.user(ctx, name); err == nil {
		return Errorf(ECONFLICT, "pengguna %q sudah ada", "user %q already exists", name)
	} else if ErrorCode(err) != ENOTFOUND {
		return fmt.Errorf("add user: %w", err)
	}
	if _, err := db.sql.ExecContext(ctx, addUserSQL, sql.Named("username", name), sql.Named("role", string(role)),
		sql.Named("hash", hash), sql.Named("now", time.Now().UTC())); err != nil {
		return fmt.Errorf("add user: %w", err)
	}
	return nil
}

const usersSQL = `SELECT username, role, disabled, created_at, regions FROM users ORDER BY username`

// Users lists every user, disabled ones too, sorted by username; never nil.
func (db *DB) Users(ctx context.Context) ([]User, error) {
	return scanRows(ctx, db.sql, "users", usersSQL, nil, func(u *User) []any {
		return []any{&u.Username, &u.Role, &u.Disabled, &u.CreatedAt, &u.Regions}
	})
}

const userSQL = `SELECT username, role, disabled, created_at, regions, password_hash FROM users WHERE username = $username`

// User returns the user with this username (case-insensitive), or an
// ENOTFOUND error.
func (db *DB) User(ctx context.Context, username string) (User, error) {
	u, err := db.user(ctx, username)
	return u.User, err
}

type userRow struct {
	User
	hash string
}

func (db *DB) user(ctx context.Context, username string) (userRow, error) {
	var u userRow
	name, ok := normUsername(username)
	if !ok {
		return u, Errorf(ENOTFOUND, "pengguna %q tidak ada", "user %q does not exist", username)
	}
	err := db.sql.QueryRowContext(ctx, userSQL, sql.Named("username", name)).Scan(&u.Username, &u.Role, &u.Disabled, &u.CreatedAt, &u.Regions, &u.hash)
	if errors.Is(err, sql.ErrNoRows) {
		return u, Errorf(ENOTFOUND, "pengguna %q tidak ada", "user %q does not exist", name)
	} else if err != nil {
		return u, fmt.Errorf("user %q: %w", name, err)
	}
	return u, nil
}

const (
	setPasswordSQL     = `UPDATE users SET password_hash = $hash, updated_at = $now WHERE username = $username`
	setDisabledSQL     = `UPDATE users SET disabled = $disabled, updated_at = $now WHERE username = $username`
	removeUserSQL      = `DELETE FROM users WHERE username = $username`
	deleteUserSessions = `DELETE FROM sessions WHERE username = $username AND token_hash <> $keep`
)

// SetPassword changes a user's password, under the rules of AddUser
// (EINVALID when broken), and signs the user out everywhere: every session
// of the user is deleted. An unknown user is ENOTFOUND.
func (db *DB) SetPassword(ctx context.Context, username, password string) error {
	name, _ := normUsername(username)
	hash, err := hashPassword(name, password)
	if err != nil {
		return err
	}
	return db.changeUser(ctx, username, userChange{what: "set password", query: setPasswordSQL, dropSessions: true,
		args: []any{sql.Named("hash", hash), sql.Named("now", time.Now().UTC())}})
}

// ChangePassword is a user changing their own password in the session of
// token: current must be their password (else EUNAUTHORIZED, as for an
// unknown or disabled user). A new password that breaks the rules of
// AddUser, or is the current one, is EINVALID. Every other session of the
// user ends; this one stays.
func (db *DB) ChangePassword(ctx context.Context, username, current, password, token string) error {
	u, err := db.user(ctx, username)
	if ErrorCode(err) == ENOTFOUND || err == nil && u.Disabled {
		return errSignIn()
	} else if err != nil {
		return fmt.Errorf("change password: %w", err)
	}
	if bcrypt.CompareHashAndPassword([]byte(u.hash), []byte(current)) != nil {
		return Errorf(EUNAUTHORIZED, "kata sandi saat ini salah", "the current password is wrong")
	}
	if password == current {
		return Errorf(EINVALID, "kata sandi baru sama dengan yang sekarang", "the new password is the same as the current one")
	}
	hash, err := hashPassword(u.Username, password)
	if err != nil {
		return err
	}
	return db.changeUser(ctx, u.Username, userChange{what: "change password", query: setPasswordSQL, dropSessions: true,
		keepSession: token, args: []any{sql.Named("hash", hash), sql.Named("now", time.Now().UTC())}})
}

// SetDisabled disables or enables a user. A disabled user cannot sign in
// and disabling deletes the user's sessions; enabling an enabled user (or
// disabling a disabled one) changes nothing and is no error. An unknown
// user is ENOTFOUND.
func (db *DB) SetDisabled(ctx context.Context, username string, disabled bool) error {
	return db.changeUser(ctx, username, userChange{what: "set disabled", query: setDisabledSQL, dropSessions: disabled,
		args: []any{sql.Named("disabled", disabled), sql.Named("now", time.Now().UTC())}})
}

// RemoveUser removes a user and the user's sessions. The import history
// keeps the name of whoever uploaded or undid an import. An unknown user is
// ENOTFOUND.
func (db *DB) RemoveUser(ctx context.Context, username string) error {
	return db.changeUser(ctx, username, userChange{what: "remove user", query: removeUserSQL, dropSessions: true})
}

func enabledAdmins(ctx context.Context, tx *sql.Tx) (int, error) {
	var n int
	err := tx.QueryRowContext(ctx, `SELECT count(*) FROM users WHERE role = 'admin' AND NOT disabled`).Scan(&n)
	return n, err
}

// userChange is a change to one user: query (with args and $username),
// and whether the user's sessions end, all but keepSession's (a token).
type userChange struct {
	what         string // for errors
	query        string
	args         []any
	dropSessions bool
	keepSession  string
}

// changeUser makes the change ch to the one user named username, and
// deletes the user's sessions when it says so, in one transaction.
func (db *DB) changeUser(ctx context.Context, username string, ch userChange) error {
	what := ch.what
	name, ok := normUsername(username)
	if !ok {
		return Errorf(ENOTFOUND, "pengguna %q tidak ada", "user %q does not exist", username)
	}
	db.accounts.Lock()
	defer db.accounts.Unlock()
	tx, err := db.sql.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("%s: %w", what, err)
	}
	defer tx.Rollback()
	adminsBefore, err := enabledAdmins(ctx, tx)
	if err != nil {
		return fmt.Errorf("%s: %w", what, err)
	}
	res, err := tx.ExecContext(ctx, ch.query, append(ch.args, sql.Named("username", name))...)
	if err != nil {
		return fmt.Errorf("%s: %w", what, err)
	}
	if n, err := res.RowsAffected(); err != nil {
		return fmt.Errorf("%s: %w", what, err)
	} else if n == 0 {
		return Errorf(ENOTFOUND, "pengguna %q tidak ada", "user %q does not exist", name)
	}
	// Nobody could manage users any more: refused, from the CLI as from the dashboard.
	if adminsAfter, err := enabledAdmins(ctx, tx); err != nil {
		return fmt.Errorf("%s: %w", what, err)
	} else if adminsBefore > 0 && adminsAfter == 0 {
		return Errorf(ECONFLICT, "%s adalah admin aktif terakhir: tambahkan atau aktifkan admin lain dulu",
			"%s is the last enabled admin: add or enable another admin first", name)
	}
	if ch.dropSessions {
		keep := ""
		if ch.keepSession != "" {
			keep = tokenHash(ch.keepSession)
		}
		if _, err := tx.ExecContext(ctx, deleteUserSessions, sql.Named("username", name), sql.Named("keep", keep)); err != nil {
			return fmt.Errorf("%s: %w", what, err)
		}
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("%s: %w", what, err)
	}
	return nil
}

// errSignIn is the one answer to every failed sign-in, so that it does not
// tell which usernames exist or are disabled.
func errSignIn() error {
	return Errorf(EUNAUTHORIZED, "nama pengguna atau kata sandi salah", "wrong username or password")
}

var (
	dummyHashOnce sync.Once
	dummyHash     []byte
)

// Authenticate returns the user whose username and password these are. An
// unknown user, a wrong password and a disabled user all give the same
// EUNAUTHORIZED error, and all take a bcrypt comparison (an unknown user's
// against a fixed dummy hash of the current cost), so the time taken does
// not tell them apart either.
func (db *DB) Authenticate(ctx context.Context, username, password string) (User, error) {
	u, err := db.user(ctx, username)
	if ErrorCode(err) == ENOTFOUND {
		dummyHashOnce.Do(func() {
			dummyHash, _ = bcrypt.GenerateFromPassword([]byte("pantau dummy password"), BcryptCost)
		})
		bcrypt.CompareHashAndPassword(dummyHash, []byte(password))
		return User{}, errSignIn()
	} else if err != nil {
		return User{}, fmt.Errorf("authenticate: %w", err)
	}
	if bcrypt.CompareHashAndPassword([]byte(u.hash), []byte(password)) != nil || u.Disabled {
		return User{}, errSignIn()
	}
	return u.User, nil
}

// tokenHash is what the sessions table stores of a token: its hex SHA-256.
func tokenHash(token string) string {
	sum := sha256.Sum256([]byte(token))
	return hex.EncodeToString(sum[:])
}

// Session is one sign-in of a user, as its owner sees it.
type Session struct {
	// ID names the session in forms and lists: the first 16 hex digits of
	// its token's SHA-256 (see SessionID). It signs nobody in.
	ID       string    `json:"id"`
	Created  time.Time `json:"created"`
	LastSeen time.Time `json:"last_seen"` // to the minute: written at most once a minute
	Expires  time.Time `json:"expires"`
	Client   string    `json:"client"` // the address it was started from
}

// SessionID is the ID of the session of token.
func SessionID(token string) string { return tokenHash(token)[:16] }

const createSessionSQL = `
INSERT INTO sessions (token_hash, username, created_at, expires_at, last_seen, client)
VALUES ($token_hash, $username, $now, $expires, $now, $client)`

// CreateSession signs a user in at now for ttl, from the client address
// client: it returns a new session token (32 random bytes, base64url
// without padding) and when it expires. Only the token's SHA-256 is
// stored. An unknown user is ENOTFOUND, a disabled one EUNAUTHORIZED, and
// a ttl that is not positive EINVALID.
func (db *DB) CreateSession(ctx context.Context, username, client string, now time.Time, ttl time.Duration) (token string, expires time.Time, err error) {
	if ttl <= 0 {
		return "", time.Time{}, Errorf(EINVALID, "masa sesi %s: harus positif", "session lifetime %s: must be positive", ttl)
	}
	var raw [32]byte
	if _, err := rand.Read(raw[:]); err != nil {
		return "", time.Time{}, fmt.Errorf("create session: %w", err)
	}
	token = base64.RawURLEncoding.EncodeToString(raw[:])

	db.accounts.Lock()
	defer db.accounts.Unlock()
	u, err := db.user(ctx, username)
	if err != nil {
		return "", time.Time{}, err
	}
	if u.Disabled {
		return "", time.Time{}, Errorf(EUNAUTHORIZED, "pengguna %q dinonaktifkan", "user %q is disabled", u.Username)
	}
	// Microseconds: what TIMESTAMPTZ keeps, so the expiry returned is the one stored.
	now = now.UTC().Truncate(time.Microsecond)
	expires = now.Add(ttl).Truncate(time.Microsecond)
	if _, err := db.sql.ExecContext(ctx, createSessionSQL, sql.Named("token_hash", tokenHash(token)),
		sql.Named("username", u.Username), sql.Named("now", now), sql.Named("expires", expires), sql.Named("client", client)); err != nil {
		return "", time.Time{}, fmt.Errorf("create session: %w", err)
	}
	return token, expires, nil
}

const sessionUserSQL = `
SELECT u.username, u.role, u.disabled, u.created_at, u.regions,
       left(s.token_hash, 16), s.created_at, coalesce(s.last_seen, s.created_at), s.expires_at, coalesce(s.client, '')
FROM sessions s JOIN users u ON u.username = s.username
WHERE s.token_hash = $token_hash`

// live reports whether a session is neither expired nor idle at now: it
// expires at or before now, and is idle when last seen idle or longer
// before now (idle 0: never).
func (s Session) live(now time.Time, idle time.Duration) bool {
	return s.Expires.After(now) && (idle <= 0 || s.LastSeen.Add(idle).After(now))
}

// SessionUser returns the user signed in with token and the session. A
// token that is unknown, expired or idle at now (see Session.live), or
// whose user is disabled or removed, is EUNAUTHORIZED.
func (db *DB) SessionUser(ctx context.Context, token string, now time.Time, idle time.Duration) (User, Session, error) {
	refused := Errorf(EUNAUTHORIZED, "belum masuk, atau sesi sudah berakhir: silakan masuk lagi", "not signed in, or the session has expired: sign in again")
	if token == "" {
		return User{}, Session{}, refused
	}
	var u User
	var s Session
	err := db.sql.QueryRowContext(ctx, sessionUserSQL, sql.Named("token_hash", tokenHash(token))).
		Scan(&u.Username, &u.Role, &u.Disabled, &u.CreatedAt, &u.Regions, &s.ID, &s.Created, &s.LastSeen, &s.Expires, &s.Client)
	if errors.Is(err, sql.ErrNoRows) {
		return User{}, Session{}, refused
	} else if err != nil {
		return User{}, Session{}, fmt.Errorf("session user: %w", err)
	}
	if !s.live(now, idle) || u.Disabled {
		return User{}, Session{}, refused
	}
	return u, s, nil
}

const touchSessionSQL = `UPDATE sessions SET last_seen = $now WHERE token_hash = $token_hash AND last_seen < $now`

// TouchSession records that the session of token was used at now (never
// moving it back). Callers write it at most once a minute or so: it is a
// write to the database. A session gone is no error.
func (db *DB) TouchSession(ctx context.Context, token string, now time.Time) error {
	db.accounts.Lock()
	defer db.accounts.Unlock()
	if _, err := db.sql.ExecContext(ctx, touchSessionSQL, sql.Named("token_hash", tokenHash(token)),
		sql.Named("now", now.UTC().Truncate(time.Microsecond))); err != nil {
		return fmt.Errorf("touch session: %w", err)
	}
	return nil
}

const userSessionsSQL = `
SELECT left(token_hash, 16), created_at, coalesce(last_seen, created_at), expires_at, coalesce(client, '')
FROM sessions WHERE username = $username
ORDER BY coalesce(last_seen, created_at) DESC, created_at DESC`

// Sessions lists the sessions of a user that are live at now (see
// Session.live), the last used first; never nil.
func (db *DB) Sessions(ctx context.Context, username string, now time.Time, idle time.Duration) ([]Session, error) {
	name, _ := normUsername(username)
	all, err := scanRows(ctx, db.sql, "sessions", userSessionsSQL, []any{sql.Named("username", name)}, func(s *Session) []any {
		return []any{&s.ID, &s.Created, &s.LastSeen, &s.Expires, &s.Client}
	})
	if err != nil {
		return nil, err
	}
	live := all[:0]
	for _, s := range all {
		if s.live(now, idle) {
			live = append(live, s)
		}
	}
	return live, nil
}

const endSessionSQL = `DELETE FROM sessions WHERE username = $username AND left(token_hash, 16) = $id`

// EndSession ends the session of a user with the ID id (see Session.ID).
// One that is not theirs, or gone already, is ENOTFOUND.
func (db *DB) EndSession(ctx context.Context, username, id string) error {
	name, _ := normUsername(username)
	gone := Errorf(ENOTFOUND, "sesi itu sudah berakhir", "that session has ended already")
	if len(id) != 16 {
		return gone
	}
	n, err := db.deleteSessions(ctx, "end session", endSessionSQL, sql.Named("username", name), sql.Named("id", id))
	if err == nil && n == 0 {
		return gone
	}
	return err
}

// EndOtherSessions ends every session of a user but the one of token, and
// says how many it ended.
func (db *DB) EndOtherSessions(ctx context.Context, username, token string) (int, error) {
	name, _ := normUsername(username)
	return db.deleteSessions(ctx, "end other sessions", deleteUserSessions, sql.Named("username", name), sql.Named("keep", tokenHash(token)))
}

const deleteSessionSQL = `DELETE FROM sessions WHERE token_hash = $token_hash`

// DeleteSession signs the session of token out. A session already gone (or
// never there) is no error.
func (db *DB) DeleteSession(ctx context.Context, token string) error {
	_, err := db.deleteSessions(ctx, "delete session", deleteSessionSQL, sql.Named("token_hash", tokenHash(token)))
	return err
}

const deleteExpiredSessionsSQL = `
DELETE FROM sessions
WHERE expires_at <= $now OR $idle > 0 AND coalesce(last_seen, created_at) <= $now - to_microseconds($idle)`

// DeleteExpiredSessions deletes the sessions that are expired or idle at
// now (see Session.live) and returns how many there were.
func (db *DB) DeleteExpiredSessions(ctx context.Context, now time.Time, idle time.Duration) (int, error) {
	return db.deleteSessions(ctx, "delete expired sessions", deleteExpiredSessionsSQL, sql.Named("now", now.UTC()), sql.Named("idle", idle.Microseconds()))
}

// deleteSessions runs query, a DELETE from sessions, and says how many
// rows it deleted.
func (db *DB) deleteSessions(ctx context.Context, what, query string, args ...any) (int, error) {
	db.accounts.Lock()
	defer db.accounts.Unlock()
	res, err := db.sql.ExecContext(ctx, query, args...)
	if err != nil {
		return 0, fmt.Errorf("%s: %w", what, err)
	}
	n, err := res.RowsAffected()
	if err != nil {
		return 0, fmt.Errorf("%s: %w", what, err)
	}
	return int(n), nil
}

// SetScope limits a user to regions (canonical names, as ingest resolves
// them), or with nil lets the user see every region again. An empty
// non-nil list is EINVALID: a user who may see nothing should be disabled.
func (db *DB) SetScope(ctx context.Context, username string, regions Scope) error {
	if regions != nil && len(regions) == 0 {
		return Errorf(EINVALID, "wilayah cakupan kosong: beri satu wilayah atau lebih, atau --all", "an empty scope: give one region or more, or --all")
	}
	var value any
	if regions != nil {
		sorted := slices.Clone(regions)
		slices.Sort(sorted)
		value = []string(slices.Compact(sorted))
	}
	db.accounts.Lock()
	defer db.accounts.Unlock()
	u, err := db.user(ctx, username)
	if err != nil {
		return err
	}
	if _, err := db.sql.ExecContext(ctx, `UPDATE users SET regions = $regions::VARCHAR[], updated_at = $now WHERE username = $username`,
		sql.Named("regions", value), sql.Named("now", time.Now().UTC()), sql.Named("username", u.Username)); err != nil {
		return fmt.Errorf("set scope of %s: %w", u.Username, err)
	}
	return nil
}
