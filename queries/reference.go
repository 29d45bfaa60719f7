package queries

import (
	"context"
	"fmt"
)

// AddedRegions returns the regions that Wilayah sheets of committed imports added.
func (db *DB) AddedRegions(ctx context.Context) ([]string, error) {
	return db.strings(ctx, `SELECT DISTINCT region FROM regions ORDER BY region`)
}

// ParticipantNames returns the names of all current participants, for the
// warning on a facilitator name that matches nobody.
func (db *DB) ParticipantNames(ctx context.Context) ([]string, error) {
	return db.strings(ctx, `SELECT DISTINCT name FROM participants ORDER BY name`)
}

func (db *DB) strings(ctx context.Context, query string) ([]string, error) {
	rows, err := db.sql.QueryContext(ctx, query)
	if err != nil {
		return nil, fmt.Errorf("query: %w", err)
	}
	defer rows.Close()
	var list []string
	for rows.Next() {
		var s string
		if err := rows.Scan(&s); err != nil {
			return nil, err
		}
		list = append(list, s)
	}
	return list, rows.Err()
}
