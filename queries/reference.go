package queries

import (
	"context"
	"fmt"
)

// AddedRegions returns the regions of the Wilayah sheets of committed
// imports, with their provinces.
func (db *DB) AddedRegions(ctx context.Context) ([]RegionOption, error) {
	return scanRows(ctx, db.sql, "added regions", `SELECT DISTINCT region, coalesce(region_code, ''), province FROM regions ORDER BY region`, nil,
		func(r *RegionOption) []any { return []any{&r.Name, &r.Code, &r.Province} })
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
