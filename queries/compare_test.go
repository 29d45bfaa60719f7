package queries_test

import (
	"context"
	"encoding/json"
	"errors"
	"reflect"
	"testing"
	"time"

	"pantau/queries"
)

func TestEarlierFilter(t *testing.T) {
	tests := []struct {
		mode, from, to string
		want           string // "from to", or the error's code
	}{
		{"previous", "2014-10-01", "2014-12-31", "2014-07-01 2014-09-30"}, // 92 days before
		{"previous", "2014-11-15", "2014-11-15", "2014-11-14 2014-11-14"}, // one day
		{"previous", "2015-03-01", "2015-03-31", "2015-01-29 2015-02-28"}, // 31 days across February
		{"previous", "2016-03-01", "2016-03-01", "2016-02-29 2016-02-29"}, // a leap day
		{"year", "2014-10-01", "2014-12-31", "2013-10-01 2013-12-31"},
		{"year", "2016-02-29", "2016-03-31", "2015-02-28 2015-03-31"}, // 29 February becomes 28 February
		{"year", "2015-03-01", "2016-02-29", "2014-03-01 2015-02-28"},
		{"previous", "2014-10-01", "", queries.EINVALID},
		{"year", "", "2014-10-01", queries.EINVALID},
		{"month", "2014-10-01", "2014-10-31", queries.EINVALID},
	}
	for _, tt := range tests {
		f := queries.Filter{Regions: []string{"Kab. Jember"}, Gender: "P", WorkType: "POS"}
		if tt.from != "" {
			f.From = day(tt.from)
		}
		if tt.to != "" {
			f.To = day(tt.to)
		}
		e, err := queries.EarlierFilter(f, tt.mode)
		got := ""
		if err != nil {
			got = queries.ErrorCode(err)
		} else {
			got = e.From.Format("2006-01-02") + " " + e.To.Format("2006-01-02")
			if !reflect.DeepEqual(e.Regions, f.Regions) || e.Gender != f.Gender || e.WorkType != f.WorkType {
				t.Errorf("%s %s..%s: the other parts changed: %+v", tt.mode, tt.from, tt.to, e)
			}
		}
		if got != tt.want {
			t.Errorf("%s %s..%s: got %q, want %q", tt.mode, tt.from, tt.to, got, tt.want)
		}
	}
}

// TestEarlierAsOf: an earlier period's targets are judged at its last day,
// or at the as-of date when that comes first.
func TestEarlierAsOf(t *testing.T) {
	for _, tt := range []struct{ to, asOf, want string }{
		{"2015-03-31", "2015-05-20", "2015-03-31"}, // ended: its last day
		{"2015-03-31", "2015-03-31", "2015-03-31"},
		{"2015-03-31", "2015-03-10", "2015-03-10"}, // not ended by the as-of date
	} {
		asOf := day(tt.asOf).Add(15 * time.Hour) // only the date counts
		if got := queries.EarlierAsOf(queries.Filter{From: day("2015-03-01"), To: day(tt.to)}, asOf); !got.Equal(day(tt.want)) {
			t.Errorf("period ending %s, as of %s: %s, want %s", tt.to, tt.asOf, got.Format(time.DateOnly), tt.want)
		}
	}
}

func TestParseCompare(t *testing.T) {
	for in, want := range map[string]string{"previous": "previous", " Year ": "year", "": "", "none": "", "NONE": ""} {
		if got, err := queries.ParseCompare(in); err != nil || got != want {
			t.Errorf("ParseCompare(%q) = %q, %v; want %q", in, got, err, want)
		}
	}
	_, err := queries.ParseCompare("lalu")
	var m *queries.Error
	if !errors.As(err, &m) || queries.ErrorCode(err) != queries.EINVALID {
		t.Fatalf("ParseCompare(lalu): %v, want an EINVALID error", err)
	}
}

// TestSummaryCompared: the comparison's summary is, to the byte, the plain
// summary of the earlier filter, and the summary beside it is the plain one.
func TestSummaryCompared(t *testing.T) {
	db := summaryDB(t)
	ctx := context.Background()
	filters := []queries.Filter{
		{From: day("2014-11-01"), To: day("2014-12-31")},
		{From: day("2014-12-01"), To: day("2015-01-31"), Regions: []string{"Kab. Jember", "Kota Batu"}},
		{From: day("2015-10-01"), To: day("2015-12-31"), Gender: "P"},
		{From: day("2014-10-15"), To: day("2014-11-30"), WorkType: "SE"},
	}
	for _, f := range filters {
		for _, mode := range []string{queries.ComparePrevious, queries.CompareYear} {
			got, err := db.SummaryCompared(ctx, f, mode)
			if err != nil {
				t.Fatal(err)
			}
			earlier, _ := queries.EarlierFilter(f, mode)
			plainEarlier, err := db.Summary(ctx, earlier)
			if err != nil {
				t.Fatal(err)
			}
			plain, err := db.Summary(ctx, f)
			if err != nil {
				t.Fatal(err)
			}
			if got.Compare == nil || got.Compare.Mode != mode {
				t.Fatalf("%+v %s: compare %+v", f, mode, got.Compare)
			}
			if a, b := mustJSON(t, got.Compare.Summary), mustJSON(t, plainEarlier); a != b {
				t.Errorf("%+v %s: compare.summary\n%s\nwant the plain summary of the earlier filter\n%s", f, mode, a, b)
			}
			if a, b := mustJSON(t, got.Compare.Filter), mustJSON(t, earlier); a != b {
				t.Errorf("%+v %s: compare.filter %s, want %s", f, mode, a, b)
			}
			got.Compare = nil
			if a, b := mustJSON(t, got), mustJSON(t, plain); a != b {
				t.Errorf("%+v %s: the summary beside the comparison differs from the plain one", f, mode)
			}
		}
	}
	// The earlier period of Nov-Dec 2014 is Sep-Oct 2014: R1 and R2 (October).
	s, err := db.SummaryCompared(ctx, filters[0], queries.ComparePrevious)
	if err != nil {
		t.Fatal(err)
	}
	if s.Respondents.Total != 3 || s.Compare.Summary.Respondents.Total != 2 {
		t.Errorf("respondents %d, earlier %d; want 3 and 2", s.Respondents.Total, s.Compare.Summary.Respondents.Total)
	}
	if _, err := db.SummaryCompared(ctx, queries.Filter{From: day("2014-10-01")}, queries.ComparePrevious); queries.ErrorCode(err) != queries.EINVALID {
		t.Errorf("a comparison without an end: %v, want EINVALID", err)
	}
	if plain, _ := db.SummaryCompared(ctx, queries.Filter{}, ""); plain == nil || plain.Compare != nil {
		t.Errorf("no comparison asked: %+v", plain)
	}
}

func TestRespondentsByMonth(t *testing.T) {
	db := summaryDB(t)
	ctx := context.Background()
	tests := []struct {
		f    queries.Filter
		want string
	}{
		{queries.Filter{}, `[{"month":"2014-10","respondents":2},{"month":"2014-11","respondents":2},{"month":"2014-12","respondents":1},{"month":"2015-01","respondents":1}]`},
		{queries.Filter{Gender: "P"}, `[{"month":"2014-10","respondents":1},{"month":"2014-11","respondents":1},{"month":"2014-12","respondents":1}]`},
		// A month between the first and the last without anybody is listed as 0.
		{queries.Filter{Regions: []string{"Kota Malang", "Kota Batu"}}, `[{"month":"2014-10","respondents":2},{"month":"2014-11","respondents":0},{"month":"2014-12","respondents":0},{"month":"2015-01","respondents":1}]`},
		{queries.Filter{From: day("2014-11-30"), To: day("2014-12-05")}, `[{"month":"2014-11","respondents":1},{"month":"2014-12","respondents":1}]`},
		{queries.Filter{From: day("2016-01-01"), To: day("2016-12-31")}, `[]`},
	}
	for _, tt := range tests {
		got, err := db.RespondentsByMonth(ctx, tt.f)
		if err != nil {
			t.Fatal(err)
		}
		if s := mustJSON(t, got); s != tt.want {
			t.Errorf("%+v: got %s, want %s", tt.f, s, tt.want)
		}
	}
}

func mustJSON(t *testing.T, v any) string {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}
