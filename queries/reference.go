package queries

import (
	"context"
	"database/sql"
	"fmt"
)

// AddedRegions returns the regions of the Wilayah sheets of committed
// imports, with their provinces.
func (db *DB) AddedRegions(ctx context.Context) ([]RegionOption, error) {
	return scanRows(ctx, db.sql, "added regions", `SELECT DISTINCT region, coalesce(region_code, ''), province FROM regions ORDER BY region`, nil,
		func(r *RegionOption) []any { return []any{&r.Name, &r.Code, &r.Province} })
}

// regionsWithDataSQL lists the regions FacilitatorsByRegion,
// RespondentCounts and OrganizingByRegion name for the empty filter, from
// the few rows that say so: field facilitators, the respondent and group
// rollups, and, for a group whose rows name several regions, the region of
// its latest row.
const regionsWithDataSQL = `
SELECT region FROM participants WHERE field_facilitator
UNION SELECT region FROM respondent_cells
UNION SELECT region FROM group_cells
UNION SELECT arg_max(region, ` + latestStageRow + `) FROM split_group_rows GROUP BY group_key
ORDER BY region`

// RegionsWithData returns the regions that have a field facilitator, a
// respondent or an organizing group, sorted by name: those the dashboards'
// filter offers. One query, where the figures that name them take three.
func (db *DB) RegionsWithData(ctx context.Context) ([]string, error) {
	var list []string
	rows, err := db.sql.QueryContext(ctx, regionsWithDataSQL)
	if err != nil {
		return nil, fmt.Errorf("regions with data: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var region sql.NullString
		if err := rows.Scan(&region); err != nil {
			return nil, fmt.Errorf("regions with data: %w", err)
		}
		if region.String != "" {
			list = append(list, region.String)
		}
	}
	return list, rows.Err()
}

// ParticipantNames returns the names of all current participants, for the
// warning on a facilitator name that matches nobody.
func (db *DB) ParticipantNames(ctx context.Context) ([]string, error) {
	return db.strings(ctx, `SELECT DISTINCT name FROM participants ORDER BY name`)
}

func (db *DB) strings(ctx context.Context, query string) ([]string, error) {
	return scanColumn[string](ctx, db.sql, query)
}

// scanColumn runs a query whose rows hold one value each and returns them.
func scanColumn[T any](ctx context.Context, q querier, query string, args ...any) ([]T, error) {
	rows, err := q.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, fmt.Errorf("query: %w", err)
	}
	defer rows.Close()
	var list []T
	for rows.Next() {
		var v T
		if err := rows.Scan(&v); err != nil {
			return nil, err
		}
		list = append(list, v)
	}
	return list, rows.Err()
}

// scanRows runs a query and scans each row into a new T through the
// destinations dest gives; the list is never nil, errors are prefixed with what.
func scanRows[T any](ctx context.Context, q querier, what, query string, args []any, dest func(*T) []any) ([]T, error) {
	rows, err := q.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", what, err)
	}
	defer rows.Close()
	list := []T{}
	for rows.Next() {
		var v T
		if err := rows.Scan(dest(&v)...); err != nil {
			return nil, fmt.Errorf("%s: %w", what, err)
		}
		list = append(list, v)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("%s: %w", what, err)
	}
	return list, nil
}
