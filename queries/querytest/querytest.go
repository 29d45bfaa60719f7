// Package querytest helps tests of pantau open a database and look at the
// rows it stores, through the queries package's own functions: no test runs
// SQL on its tables. Only tests import it.
package querytest

import (
	"context"
	"fmt"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"pantau/queries"
)

// Open opens a fresh database on a file in a temp folder, closed when the
// test ends.
func Open(t testing.TB) *queries.DB {
	t.Helper()
	db, err := queries.Open(context.Background(), filepath.Join(t.TempDir(), "pantau.duckdb"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

// Stored is db.Stored, failing the test on an error: table's rows as the
// values of the columns asked (all but the bookkeeping ones when none are),
// sorted by them.
func Stored(t testing.TB, db *queries.DB, table string, columns ...string) [][]any {
	t.Helper()
	rows, err := db.Stored(context.Background(), table, columns...)
	if err != nil {
		t.Fatal(err)
	}
	return rows
}

// Rows is Stored with each row written as Line writes it.
func Rows(t testing.TB, db *queries.DB, table string, columns ...string) []string {
	t.Helper()
	var out []string
	for _, row := range Stored(t, db, table, columns...) {
		out = append(out, Line(row...))
	}
	return out
}

// Columns is db.Columns, failing the test on an error.
func Columns(t testing.TB, db *queries.DB, table string) []string {
	t.Helper()
	cols, err := db.Columns(context.Background(), table)
	if err != nil {
		t.Fatal(err)
	}
	return cols
}

// Count is db.Count, failing the test on an error.
func Count(t testing.TB, db *queries.DB, table string) int {
	t.Helper()
	n, err := db.Count(context.Background(), table)
	if err != nil {
		t.Fatal(err)
	}
	return n
}

// Line joins values by "|", each written as Text writes it.
func Line(values ...any) string {
	parts := make([]string, len(values))
	for i, v := range values {
		parts[i] = Text(v)
	}
	return strings.Join(parts, "|")
}

// Text writes a stored value: NULL as "NULL", a date as 2006-01-02,
// anything else as fmt.Sprint does.
func Text(v any) string {
	switch v := v.(type) {
	case nil:
		return "NULL"
	case time.Time:
		return v.Format("2006-01-02")
	default:
		return fmt.Sprint(v)
	}
}
