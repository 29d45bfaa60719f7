package queries_test

import (
	"context"
	"reflect"
	"slices"
	"testing"
	"time"

	"pantau/queries"
	"pantau/queries/querytest"
)

func TestStored(t *testing.T) {
	ctx := context.Background()
	db := querytest.Open(t)
	if err := db.Ping(ctx); err != nil {
		t.Fatalf("Ping: %v", err)
	}
	commit(t, db, "one", respondent("R-2", "Kab. Jember", -1), respondent("R-1", "Kota Malang", 1000), respondent("R-3", "Kota Batu", 5))

	// Asked for columns: their values, in the order asked, rows sorted by
	// them; NULL (a wage of -1) as nil, last.
	got := querytest.Stored(t, db, "respondents", "monthly_wage", "respondent_id", "survey_date", "p_a", "p_b", "row_number")
	day := time.Date(2014, 10, 1, 0, 0, 0, 0, time.UTC)
	want := [][]any{
		{int64(5), "R-3", day, true, nil, int32(2)},
		{int64(1000), "R-1", day, true, nil, int32(2)},
		{nil, "R-2", day, true, nil, int32(2)},
	}
	for i := range got {
		if tm, ok := got[i][2].(time.Time); ok {
			got[i][2] = tm.UTC()
		}
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("Stored:\n got %#v\nwant %#v", got, want)
	}

	// Asked for none: every column but the bookkeeping ones, key first.
	cols := querytest.Columns(t, db, "respondents")
	if cols[0] != "import_id" || cols[1] != "row_number" || cols[2] != "key" {
		t.Errorf("Columns(respondents) = %q, want import_id, row_number, key, ...", cols)
	}
	all := querytest.Stored(t, db, "respondents")
	if len(all) != 3 || len(all[0]) != len(cols)-2 || all[0][0] != "r-1" || all[2][0] != "r-3" {
		t.Errorf("Stored(respondents) = %v, want 3 rows of %d columns by key", all, len(cols)-2)
	}

	for table, n := range map[string]int{"respondents": 3, "respondent_versions": 3, "imports": 1, "import_sheets": 0, "participants": 0} {
		if got := querytest.Count(t, db, table); got != n {
			t.Errorf("Count(%s) = %d, want %d", table, got, n)
		}
	}

	// Only the stored tables and their real columns: nothing becomes SQL.
	for _, bad := range [][]string{
		{"users"}, {"sessions"}, {"schema_migrations"}, {"respondents; DROP TABLE imports"}, {""},
		{"respondents", "respondent_id; DROP TABLE imports"}, {"respondents", "count(*)"},
		{"respondents", "*"}, {"respondents", "Respondent_ID"}, {"respondents", `respondent_id" FROM users --`},
	} {
		if rows, err := db.Stored(ctx, bad[0], bad[1:]...); err == nil || queries.ErrorCode(err) != queries.EINTERNAL {
			t.Errorf("Stored(%q): got %v, %v; want an internal error", bad, rows, err)
		}
		if len(bad) == 1 {
			if n, err := db.Count(ctx, bad[0]); err == nil {
				t.Errorf("Count(%q) = %d, want an error", bad[0], n)
			}
			if cols, err := db.Columns(ctx, bad[0]); err == nil {
				t.Errorf("Columns(%q) = %q, want an error", bad[0], cols)
			}
		}
	}
	if got := querytest.Count(t, db, "imports"); got != 1 {
		t.Errorf("imports after the refused calls: %d", got)
	}
	if !slices.Equal(querytest.Rows(t, db, "respondents", "respondent_id", "monthly_wage"), []string{"R-1|1000", "R-2|NULL", "R-3|5"}) {
		t.Errorf("Rows: %q", querytest.Rows(t, db, "respondents", "respondent_id", "monthly_wage"))
	}
}
