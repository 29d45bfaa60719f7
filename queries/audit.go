package queries

import (
	"context"
	"fmt"
	"time"
)

// AuditEntry is one thing a person did with access (see migration 014).
type AuditEntry struct {
	ID     int64     `json:"id"`
	At     time.Time `json:"at"`
	Who    string    `json:"who"`
	Action string    `json:"action"`
	Detail string    `json:"detail"`
	Remote string    `json:"remote"`
}

// Audit records an entry (its ID is given by the database).
func (db *DB) Audit(ctx context.Context, e AuditEntry) error {
	if _, err := db.sql.ExecContext(ctx, `INSERT INTO audit VALUES (nextval('audit_ids'), ?, ?, ?, ?, ?)`,
		e.At.UTC(), e.Who, e.Action, e.Detail, e.Remote); err != nil {
		return fmt.Errorf("audit: %w", err)
	}
	return nil
}

// AuditLog returns up to limit entries, newest first, after skipping
// offset, and how many there are in all.
func (db *DB) AuditLog(ctx context.Context, offset, limit int) ([]AuditEntry, int, error) {
	var total int
	if err := db.sql.QueryRowContext(ctx, `SELECT count(*) FROM audit`).Scan(&total); err != nil {
		return nil, 0, fmt.Errorf("audit log: %w", err)
	}
	list, err := scanRows(ctx, db.sql, "audit log", `SELECT id, at_time, who, action, detail, remote FROM audit ORDER BY id DESC LIMIT ? OFFSET ?`,
		[]any{limit, offset}, func(e *AuditEntry) []any { return []any{&e.ID, &e.At, &e.Who, &e.Action, &e.Detail, &e.Remote} })
	return list, total, err
}
