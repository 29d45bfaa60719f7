package echarts_test

import (
	"encoding/json"
	"fmt"
	"testing"
	"time"

	"pantau/dashboard/echarts"
	"pantau/dashboard/locale"
	"pantau/queries"
)

func period(from, to string) queries.Filter {
	f, _ := time.Parse(time.DateOnly, from)
	t, _ := time.Parse(time.DateOnly, to)
	return queries.Filter{From: f, To: t}
}

// The earlier period's months land on the months shown by whole calendar
// months, and the days outside them on the nearest one: the dashed line
// holds every earlier respondent.
func TestRespondentsByMonthCompared(t *testing.T) {
	l, _ := locale.Get("en")
	tests := []struct {
		name, mode, from, to string
		now, earlier         []queries.MonthTotal
		want                 string // per month shown: month, now, earlier
	}{
		{"the 91 days before a quarter", queries.ComparePrevious, "2015-04-01", "2015-06-30",
			[]queries.MonthTotal{{Month: "2015-04", Respondents: 10}, {Month: "2015-06", Respondents: 30}},
			[]queries.MonthTotal{{Month: "2014-12", Respondents: 1}, {Month: "2015-01", Respondents: 5}, {Month: "2015-02", Respondents: 6}, {Month: "2015-03", Respondents: 7}},
			"[April 2015 10 6] [May 2015 0 6] [June 2015 30 7]"},
		{"a year earlier", queries.CompareYear, "2016-02-01", "2016-03-31",
			[]queries.MonthTotal{{Month: "2016-02", Respondents: 4}},
			[]queries.MonthTotal{{Month: "2015-02", Respondents: 2}, {Month: "2015-03", Respondents: 3}},
			"[February 2016 4 2] [March 2016 0 3]"},
		{"one month", queries.ComparePrevious, "2015-03-01", "2015-03-31",
			nil, []queries.MonthTotal{{Month: "2015-01", Respondents: 2}, {Month: "2015-02", Respondents: 8}},
			"[March 2015 0 10]"},
	}
	for _, tt := range tests {
		now := period(tt.from, tt.to)
		earlier, err := queries.EarlierFilter(now, tt.mode)
		if err != nil {
			t.Fatal(err)
		}
		ch, err := echarts.RespondentsByMonthCompared(l, tt.now, tt.earlier, echarts.Periods{Now: now, Earlier: earlier})
		if err != nil {
			t.Fatal(err)
		}
		if got := fmt.Sprint(ch.Table.Rows); got != "["+tt.want+"]" {
			t.Errorf("%s: rows %s, want [%s]", tt.name, got, tt.want)
		}
		var opt struct {
			Series []struct {
				Type      string
				Name      string
				LineStyle struct{ Type string } `json:"lineStyle"`
			}
		}
		if err := json.Unmarshal(ch.Option, &opt); err != nil {
			t.Fatal(err)
		}
		if len(opt.Series) != 2 || opt.Series[1].Type != "line" || opt.Series[1].LineStyle.Type != "dashed" {
			t.Errorf("%s: series %+v, want bars and a dashed line", tt.name, opt.Series)
		}
		if want := "Compared: " + l.Date(earlier.From) + " – " + l.Date(earlier.To); opt.Series[1].Name != want || ch.Table.Columns[2] != want {
			t.Errorf("%s: the earlier series is named %q (column %q), want %q", tt.name, opt.Series[1].Name, ch.Table.Columns[2], want)
		}
	}
}

func TestGroupsFormedByMonthCompared(t *testing.T) {
	l, _ := locale.Get("id")
	now := period("2015-01-01", "2015-03-31")
	earlier, _ := queries.EarlierFilter(now, queries.CompareYear)
	ch, err := echarts.GroupsFormedByMonthCompared(l, []queries.MonthCount{{Month: "2015-02", Formed: 2, Cumulative: 2}},
		[]queries.MonthCount{{Month: "2014-01", Formed: 1, Cumulative: 1}, {Month: "2014-03", Formed: 4, Cumulative: 5}}, echarts.Periods{Now: now, Earlier: earlier})
	if err != nil {
		t.Fatal(err)
	}
	// month, formed, cumulative, formed a year earlier
	if got := fmt.Sprint(ch.Table.Rows); got != "[[Januari 2015 0 0 1] [Februari 2015 2 2 0] [Maret 2015 0 2 4]]" {
		t.Errorf("rows %s", got)
	}
	if ch.Empty {
		t.Error("a chart with groups is empty")
	}
}
