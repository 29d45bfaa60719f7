package queries

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"strings"
)

// The stored rows, read as they are: for checks of what an import stored
// (the tests, a data-quality report) rather than for a dashboard, whose
// figures each have a named query of their own.

// bookkeeping are the columns tying a row to the import and the sheet row it
// came from; Stored leaves them out unless they are asked for.
var bookkeeping = []string{"import_id", "row_number"}

// storedTables are the tables Stored, Columns and Count read: each kind's
// current-state table, its versions table, and the import history. The
// accounts tables (users, sessions) are not among them.
func storedTables() []string {
	tables := []string{"imports", "import_sheets"}
	for _, k := range Kinds {
		tables = append(tables, string(k), k.versions())
	}
	return tables
}

// Columns lists every column of a stored table, in the table's order, the
// bookkeeping ones (import_id, row_number) included. table must be one of
// the stored tables: a kind's current-state table ("respondents"), its
// versions table ("respondent_versions"), "imports" or "import_sheets".
func (db *DB) Columns(ctx context.Context, table string) ([]string, error) {
	if !slices.Contains(storedTables(), table) {
		return nil, fmt.Errorf("stored rows: no table %q; the stored tables are %s", table, strings.Join(storedTables(), ", "))
	}
	rows, err := db.sql.QueryContext(ctx, `SELECT column_name FROM information_schema.columns
		WHERE table_schema = 'main' AND table_name = ? ORDER BY ordinal_position`, table)
	if err != nil {
		return nil, fmt.Errorf("stored rows: columns of %s: %w", table, err)
	}
	defer rows.Close()
	var list []string
	for rows.Next() {
		var c string
		if err := rows.Scan(&c); err != nil {
			return nil, fmt.Errorf("stored rows: columns of %s: %w", table, err)
		}
		list = append(list, c)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("stored rows: columns of %s: %w", table, err)
	}
	return list, nil
}

// Stored returns every row of a stored table (see Columns), each as the
// values of the columns asked, in that order; asked for none, every column
// but the bookkeeping ones (import_id, row_number). A column must be one
// Columns lists, so nothing a caller passes becomes SQL; a table or column
// that is not is the caller's mistake, an internal error.
//
// Values are as the database driver gives them: string, bool, int32
// (INTEGER), int64 (BIGINT), time.Time (DATE, TIMESTAMPTZ), nil for NULL.
// Rows are sorted by the values asked, first column first, ascending, NULL
// last: the same rows always come in the same order, and asking first for
// the columns to sort by gives that sort.
func (db *DB) Stored(ctx context.Context, table string, columns ...string) ([][]any, error) {
	all, err := db.Columns(ctx, table)
	if err != nil {
		return nil, err
	}
	if len(columns) == 0 {
		columns = slices.DeleteFunc(slices.Clone(all), func(c string) bool { return slices.Contains(bookkeeping, c) })
	}
	var sel, order []string
	for i, c := range columns {
		if !slices.Contains(all, c) {
			return nil, fmt.Errorf("stored rows: %s has no column %q; its columns are %s", table, c, strings.Join(all, ", "))
		}
		sel = append(sel, `"`+c+`"`) // a real column's name: lower-case letters and underscores
		order = append(order, strconv.Itoa(i+1)+" ASC NULLS LAST")
	}
	q := `SELECT ` + strings.Join(sel, ", ") + ` FROM "` + table + `"` + committedOnly(table) + ` ORDER BY ` + strings.Join(order, ", ")
	rows, err := db.sql.QueryContext(ctx, q)
	if err != nil {
		return nil, fmt.Errorf("stored rows of %s: %w", table, err)
	}
	defer rows.Close()
	list := [][]any{}
	for rows.Next() {
		vals := make([]any, len(columns))
		ptrs := make([]any, len(columns))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		if err := rows.Scan(ptrs...); err != nil {
			return nil, fmt.Errorf("stored rows of %s: %w", table, err)
		}
		list = append(list, vals)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("stored rows of %s: %w", table, err)
	}
	return list, nil
}

// committedOnly is the condition leaving out the rows of pending batches
// (import id < 0, see Batch) from a versions table: they are nobody's data
// until committed.
func committedOnly(table string) string {
	for _, k := range Kinds {
		if table == k.versions() {
			return ` WHERE import_id > 0`
		}
	}
	return ""
}

// PendingRows counts the rows of pending batches: uploads being checked or
// waiting for Impor, and nothing else once they have ended.
func (db *DB) PendingRows(ctx context.Context) (int, error) {
	var parts []string
	for _, k := range Kinds {
		parts = append(parts, `SELECT count(*) AS n FROM `+k.versions()+` WHERE import_id < 0`)
	}
	var n int
	if err := db.sql.QueryRowContext(ctx, `SELECT sum(n) FROM (`+strings.Join(parts, " UNION ALL ")+`)`).Scan(&n); err != nil {
		return 0, fmt.Errorf("pending rows: %w", err)
	}
	return n, nil
}

// Count is the number of rows of a stored table (see Columns).
func (db *DB) Count(ctx context.Context, table string) (int, error) {
	if !slices.Contains(storedTables(), table) {
		return 0, fmt.Errorf("count: no table %q; the stored tables are %s", table, strings.Join(storedTables(), ", "))
	}
	var n int
	if err := db.sql.QueryRowContext(ctx, `SELECT count(*) FROM "`+table+`"`+committedOnly(table)).Scan(&n); err != nil {
		return 0, fmt.Errorf("count %s: %w", table, err)
	}
	return n, nil
}

// Ping checks that the database answers.
func (db *DB) Ping(ctx context.Context) error {
	return db.sql.PingContext(ctx)
}
