package queries

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/base64"
	"errors"
	"fmt"
	"time"
	"unicode/utf8"

	"golang.org/x/crypto/bcrypt"
)

// ShareLink is a read-only link to one dashboard page with one filter.
type ShareLink struct {
	ID          int64      `json:"id"`
	CreatedBy   string     `json:"created_by"`
	Label       string     `json:"label"`
	Page        string     `json:"page"`  // "/problems"
	Query       string     `json:"query"` // the filter as a query string
	Regions     Scope      `json:"regions"`
	HasPassword bool       `json:"password"`
	Created     time.Time  `json:"created"`
	Expires     time.Time  `json:"expires"`
	Revoked     *time.Time `json:"revoked"`
	RevokedBy   string     `json:"revoked_by,omitempty"`
	Views       int64      `json:"views"`

	passwordHash string
}

// Limits of a share link.
const (
	ShareDefaultDays = 30
	ShareMaxDays     = 365
	shareMaxLabel    = 200
	sharePasswordMin = 8
)

// CreateShareLink stores a link to l.Page with l.Query for l.CreatedBy
// (whose scope the caller put in l.Regions), valid for days (1..365), with
// a password unless it is "". It returns the link's token: 128 random bits,
// base64url; only its SHA-256 is stored, so it is shown once.
func (db *DB) CreateShareLink(ctx context.Context, l ShareLink, days int, password string, now time.Time) (token string, id int64, err error) {
	if days < 1 || days > ShareMaxDays {
		return "", 0, Errorf(EINVALID, "masa berlaku %d hari: harus 1 sampai %d", "valid for %d days: must be 1 to %d", days, ShareMaxDays)
	}
	if utf8.RuneCountInString(l.Label) > shareMaxLabel {
		return "", 0, Errorf(EINVALID, "label lebih dari %d karakter", "the label is longer than %d characters", shareMaxLabel)
	}
	var hash any
	if password != "" {
		if utf8.RuneCountInString(password) < sharePasswordMin || len(password) > maxPasswordBytes {
			return "", 0, Errorf(EINVALID, "kata sandi tautan: %d karakter sampai %d byte", "the link's password: %d characters to %d bytes", sharePasswordMin, maxPasswordBytes)
		}
		b, err := bcrypt.GenerateFromPassword([]byte(password), BcryptCost)
		if err != nil {
			return "", 0, fmt.Errorf("share link: %w", err)
		}
		hash = string(b)
	}
	var raw [16]byte
	if _, err := rand.Read(raw[:]); err != nil {
		return "", 0, fmt.Errorf("share link: %w", err)
	}
	token = base64.RawURLEncoding.EncodeToString(raw[:])
	var regions any
	if l.Regions != nil {
		regions = []string(l.Regions)
	}
	db.accounts.Lock()
	defer db.accounts.Unlock()
	if _, err := db.user(ctx, l.CreatedBy); err != nil {
		return "", 0, err
	}
	err = db.sql.QueryRowContext(ctx, `INSERT INTO share_links (id, token_hash, created_by, label, page, query, regions, password_hash, created_at, expires_at)
		VALUES (nextval('share_ids'), ?, ?, ?, ?, ?, ?::VARCHAR[], ?, ?, ?) RETURNING id`,
		tokenHash(token), l.CreatedBy, l.Label, l.Page, l.Query, regions, hash, now.UTC(), now.UTC().AddDate(0, 0, days)).Scan(&id)
	if err != nil {
		return "", 0, fmt.Errorf("share link: %w", err)
	}
	return token, id, nil
}

const shareColumns = `id, created_by, label, page, query, regions, password_hash IS NOT NULL, created_at, expires_at, revoked_at, coalesce(revoked_by, ''), views, coalesce(password_hash, '')`

func scanShare(l *ShareLink) []any {
	return []any{&l.ID, &l.CreatedBy, &l.Label, &l.Page, &l.Query, &l.Regions, &l.HasPassword, &l.Created, &l.Expires, &l.Revoked, &l.RevokedBy, &l.Views, &l.passwordHash}
}

// ShareLinks lists the links made by a user, or every link when by is "",
// the newest first; never nil.
func (db *DB) ShareLinks(ctx context.Context, by string) ([]ShareLink, error) {
	return scanRows(ctx, db.sql, "share links", `SELECT `+shareColumns+` FROM share_links
		WHERE $by = '' OR created_by = $by ORDER BY id DESC`, []any{sql.Named("by", by)}, scanShare)
}

// OpenShareLink returns the link of token at now: an unknown, revoked or
// expired token is ENOTFOUND, the same for all three.
func (db *DB) OpenShareLink(ctx context.Context, token string, now time.Time) (ShareLink, error) {
	var l ShareLink
	err := db.sql.QueryRowContext(ctx, `SELECT `+shareColumns+` FROM share_links WHERE token_hash = ?`, tokenHash(token)).Scan(scanShare(&l)...)
	if errors.Is(err, sql.ErrNoRows) || err == nil && (l.Revoked != nil || !l.Expires.After(now)) {
		return ShareLink{}, Errorf(ENOTFOUND, "tautan ini tidak ada, sudah dicabut atau sudah kedaluwarsa", "this link does not exist, was revoked or has expired")
	}
	if err != nil {
		return ShareLink{}, fmt.Errorf("share link: %w", err)
	}
	return l, nil
}

// PasswordOK reports whether password opens the link (always, without one).
func (l ShareLink) PasswordOK(password string) bool {
	return l.passwordHash == "" || bcrypt.CompareHashAndPassword([]byte(l.passwordHash), []byte(password)) == nil
}

// CountShareView adds one view to the link.
func (db *DB) CountShareView(ctx context.Context, id int64) error {
	if _, err := db.sql.ExecContext(ctx, `UPDATE share_links SET views = views + 1 WHERE id = ?`, id); err != nil {
		return fmt.Errorf("share view: %w", err)
	}
	return nil
}

// RevokeShareLink ends link id at once. Only its maker may, or anyone when
// any is set (an admin); another user's link is ENOTFOUND.
func (db *DB) RevokeShareLink(ctx context.Context, id int64, by string, any bool, now time.Time) error {
	res, err := db.sql.ExecContext(ctx, `UPDATE share_links SET revoked_at = ?, revoked_by = ?
		WHERE id = ? AND revoked_at IS NULL AND (? OR created_by = ?)`, now.UTC(), by, id, any, by)
	if err != nil {
		return fmt.Errorf("revoke share link: %w", err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return Errorf(ENOTFOUND, "tidak ada tautan %d yang dapat Anda cabut", "there is no link %d you can revoke", id)
	}
	return nil
}
