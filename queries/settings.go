package queries

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"
)

// SettingProvinces names the setting that holds the program's provinces, a
// comma-separated list of official province names.
const SettingProvinces = "provinces"

// SettingLateAfterDays names the setting of the quality report's
// timeliness: a respondent row is late when the import that first brought
// it came more than this many days after the end of its survey month.
const SettingLateAfterDays = "late_after_days"

// DefaultLateAfterDays is late_after_days until an admin sets it.
const DefaultLateAfterDays = 30

// ParseLateAfterDays checks a value of late_after_days, a whole number of
// days from 1 to 365, and returns it as stored.
func ParseLateAfterDays(text string) (string, error) {
	n, err := strconv.Atoi(strings.TrimSpace(text))
	if err != nil || n < 1 || n > 365 {
		shown := []rune(text)
		if len(shown) > 40 {
			shown = append(shown[:39], '…')
		}
		m := Msgf("batas terlambat harus bilangan bulat 1 sampai 365 (hari), bukan %q",
			"the late limit must be a whole number of days from 1 to 365, not %q", string(shown))
		return "", &m
	}
	return strconv.Itoa(n), nil
}

// lateAfterDays is late_after_days as the snapshot q sees it.
func lateAfterDays(ctx context.Context, q querier) (int, error) {
	var value string
	err := q.QueryRowContext(ctx, `SELECT value FROM settings WHERE name = ?`, SettingLateAfterDays).Scan(&value)
	if errors.Is(err, sql.ErrNoRows) {
		return DefaultLateAfterDays, nil
	}
	if err != nil {
		return 0, fmt.Errorf("setting %s: %w", SettingLateAfterDays, err)
	}
	n, err := strconv.Atoi(value)
	if err != nil { // set by hand in the database: not ours to guess
		return 0, fmt.Errorf("setting %s: stored value %q is not a number", SettingLateAfterDays, value)
	}
	return n, nil
}

// Setting is one setting as an admin last set it.
type Setting struct {
	Name      string    `json:"name"`
	Value     string    `json:"value"`
	UpdatedBy string    `json:"updated_by"`
	UpdatedAt time.Time `json:"updated_at"`
}

// Setting returns the value of the setting name; ok is false when it was never set.
func (db *DB) Setting(ctx context.Context, name string) (value string, ok bool, err error) {
	err = db.sql.QueryRowContext(ctx, `SELECT value FROM settings WHERE name = ?`, name).Scan(&value)
	if errors.Is(err, sql.ErrNoRows) {
		return "", false, nil
	}
	if err != nil {
		return "", false, fmt.Errorf("setting %s: %w", name, err)
	}
	return value, true, nil
}

// Settings returns every setting that was set, by name.
func (db *DB) Settings(ctx context.Context) ([]Setting, error) {
	return scanRows(ctx, db.sql, "settings", `SELECT name, value, updated_by, updated_at FROM settings ORDER BY name`, nil,
		func(s *Setting) []any { return []any{&s.Name, &s.Value, &s.UpdatedBy, &s.UpdatedAt} })
}

// SetSetting stores value as the setting name, recording who set it. The
// caller checks the value: queries stores what it is given. A setting can
// change what the dashboards read (late_after_days the quality report's
// timeliness), so it is a new data version, and cached answers go.
func (db *DB) SetSetting(ctx context.Context, name, value, by string) error {
	db.writes.Lock()
	defer db.writes.Unlock()
	tx, err := db.sql.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("set %s: %w", name, err)
	}
	defer tx.Rollback()
	if _, err := tx.ExecContext(ctx, `INSERT OR REPLACE INTO settings (name, value, updated_by, updated_at) VALUES (?, ?, ?, ?)`,
		name, value, by, time.Now().UTC()); err != nil {
		return fmt.Errorf("set %s: %w", name, err)
	}
	if err := db.commitData(tx, 0); err != nil {
		return fmt.Errorf("set %s: %w", name, err)
	}
	return nil
}

// regionTables are the tables that store a region beside its code.
var regionTables = []string{
	"participant_versions", "participants", "respondent_versions", "respondents",
	"group_stage_versions", "group_stages", "region_versions", "regions", "target_versions", "targets",
}

// FillRegionCodes gives the regions of the rows stored before migration 008
// their official codes, once: codeOf names a region's code ("" for none).
// It does nothing when done before (or when the database never lacked them).
func (db *DB) FillRegionCodes(ctx context.Context, codeOf func(region string) string) error {
	db.writes.Lock()
	defer db.writes.Unlock()
	tx, err := db.sql.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	var pending int
	if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM pending_fills WHERE name = 'region_codes'`).Scan(&pending); err != nil {
		return fmt.Errorf("fill region codes: %w", err)
	}
	if pending == 0 {
		return nil
	}
	for _, table := range regionTables {
		regions, err := scanColumn[string](ctx, tx, `SELECT DISTINCT region FROM `+table+` WHERE region IS NOT NULL AND region_code IS NULL`)
		if err != nil {
			return fmt.Errorf("fill region codes of %s: %w", table, err)
		}
		for _, r := range regions {
			if code := codeOf(r); code != "" {
				if _, err := tx.ExecContext(ctx, `UPDATE `+table+` SET region_code = ? WHERE region = ? AND region_code IS NULL`, code, r); err != nil {
					return fmt.Errorf("fill region codes of %s: %w", table, err)
				}
			}
		}
	}
	if _, err := tx.ExecContext(ctx, `DELETE FROM pending_fills WHERE name = 'region_codes'`); err != nil {
		return fmt.Errorf("fill region codes: %w", err)
	}
	return tx.Commit()
}

// RegionOption is a region with data, for the dashboard's filter: its name,
// official code ("" for a region the catalogue lacks) and, for a region a
// Wilayah sheet added, the province that sheet gave.
type RegionOption struct {
	Name, Code, Province string
}
