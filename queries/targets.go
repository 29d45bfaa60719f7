package queries

import (
	"context"
	"database/sql"
	"fmt"
	"math"
	"slices"
	"strings"
	"time"
)

// TargetReport is every target of a filter judged at an as-of date: what
// `pantau targets --json` prints and GET /api/v1/targets answers. Its JSON
// form is a contract.
type TargetReport struct {
	AsOf    string         `json:"as_of"` // YYYY-MM-DD
	Filter  Filter         `json:"filter"`
	Targets []TargetResult `json:"targets"`
}

// TargetResult is one target with its actual, what should stand by the
// as-of date, the achievement and the status (WORKBOOKS.md, "Targets:
// achievement and status").
type TargetResult struct {
	Indicator string        `json:"indicator"`
	Name      string        `json:"name"` // the indicator's Indonesian name
	Kind      IndicatorKind `json:"kind"`
	Region    *string       `json:"region"` // nil: the whole program
	Period    string        `json:"period"`
	Start     string        `json:"start"`
	End       string        `json:"end"`
	Target    float64       `json:"target"`
	// Actual is nil for a period not started, and for a share nobody answered.
	Actual *float64 `json:"actual"`
	// Expected is nil for a period not started.
	Expected *float64 `json:"expected"`
	// Achievement is actual / target: nil for a target of 0, a share, or no actual.
	Achievement *float64 `json:"achievement"`
	Status      string   `json:"status"`
}

// Target statuses.
const (
	StatusMet        = "met"
	StatusNear       = "near"
	StatusBehind     = "behind"
	StatusOnTrack    = "on_track"
	StatusNotStarted = "not_started"
	StatusNoData     = "no_data"
)

// StatusWords are the statuses in words, for the command line and the pages.
var StatusWords = map[string]Message{
	StatusMet:        {ID: "tercapai", EN: "met"},
	StatusNear:       {ID: "hampir", EN: "near"},
	StatusBehind:     {ID: "tertinggal", EN: "behind"},
	StatusOnTrack:    {ID: "sesuai jalur", EN: "on track"},
	StatusNotStarted: {ID: "belum mulai", EN: "not started"},
	StatusNoData:     {ID: "tidak ada data", EN: "no data"},
}

// targetFilterSQL keeps the targets of the filter's regions (program-wide
// ones only without a region filter: list_contains of a NULL region is
// NULL) whose period overlaps the filter's period.
const targetFilterSQL = `
WHERE ` + inRegionsSQL + `
  AND ($from::DATE IS NULL OR end_date >= $from::DATE)
  AND ($to::DATE IS NULL OR start_date <= $to::DATE)`

const targetsSQL = `
SELECT key, indicator, coalesce(region, ''), period, start_date, end_date, target
FROM targets` + targetFilterSQL

// The measures are read as running totals per scope (a region, or '' for
// the whole program): the database keeps what changed on each day, a few
// thousand rows whatever the number of targets, in two rollups kept at
// every commit and undo (respondent_days and group_days, rollups.go), and
// each target takes the total standing on its last day counted and on the
// day before its period. Joining every target to the rows of its period
// instead cost seconds at 1,000,000 respondents, 50,000 groups and 2,000
// targets, running totals in SQL (window sums) a few hundred milliseconds,
// and adding up the day's changes at each call from group_stages and
// respondent_cells about 120 ms (TargetsDirect in the tests does that).

// inScopesSQL keeps the rows of the scopes the targets need: the whole
// program's for a program-wide target ($whole), and the targets' regions'.
const inScopesSQL = `((scope = '' AND $whole) OR list_contains($regions::VARCHAR[], scope))`

// respondentDaysSQL reads, from the respondent_days rollup, per scope and
// survey day: the respondents, the women, and per problem Ya and Ya + Tidak.
var respondentDaysSQL = func() string {
	cols := []string{"respondents", "women"}
	for _, p := range ProblemCodes {
		cols = append(cols, p+"_yes", p+"_answered")
	}
	return `
SELECT scope, day, ` + strings.Join(cols, ", ") + `
FROM respondent_days
WHERE ` + inScopesSQL + `
ORDER BY 1, 2`
}()

// Indexes of respondentDaysSQL's counts.
const (
	dayRespondents = 0
	dayWomen       = 1
	dayProblems    = 2 // then Ya and Ya + Tidak of each problem in turn
)

// groupDaysSQL reads, from the group_days rollup, the changes per scope
// ("region|measure", or "|measure" for the whole program) and day of the
// group measures: the groups at stage N or a later one (measure stage_N)
// and the sum of their latest Jumlah Anggota (members).
const groupDaysSQL = `
SELECT scope || '|' || measure, day, change
FROM group_days
WHERE ` + inScopesSQL + `
ORDER BY 1, 2`

// Targets returns every target of f, judged at asOf (a calendar date: only
// its year, month and day count), all read from one snapshot of the data.
// A region filter keeps that region's targets (program-wide targets only
// appear without one); a period filter keeps the targets whose period
// overlaps it; gender and work type do not apply. They are sorted by
// indicator (in catalogue order), region (program-wide first), start and
// end. An invalid filter or a zero asOf is an EINVALID error.
func (db *DB) Targets(ctx context.Context, f Filter, asOf time.Time) (*TargetReport, error) {
	if err := f.validate(); err != nil {
		return nil, err
	}
	if asOf.IsZero() {
		return nil, Errorf(EINVALID, "tanggal acuan (as-of) wajib diisi", "the as-of date is required")
	}
	asOf = time.Date(asOf.Year(), asOf.Month(), asOf.Day(), 0, 0, 0, 0, time.UTC)
	tx, err := db.sql.BeginTx(ctx, nil) // one snapshot; only read, rolled back
	if err != nil {
		return nil, fmt.Errorf("targets: %w", err)
	}
	defer tx.Rollback()
	return targetReport(ctx, tx, f, asOf)
}

// targetRow is a stored target with what the measure queries counted.
type targetRow struct {
	key, indicator, region, period string
	start, end                     time.Time
	target                         float64
	now, before                    float64 // the actual, and a stock's starting value
	answered                       int64   // a share's respondents who answered
}

func targetReport(ctx context.Context, q querier, f Filter, asOf time.Time) (*TargetReport, error) {
	r := &TargetReport{AsOf: asOf.Format(time.DateOnly), Filter: f, Targets: []TargetResult{}}
	r.Filter.Regions = append([]string{}, f.Regions...)
	filterArgs := []any{regionsArg(f), fromArg(f), toArg(f)}
	rows, err := q.QueryContext(ctx, targetsSQL, filterArgs...)
	if err != nil {
		return nil, fmt.Errorf("targets: %w", err)
	}
	var list []*targetRow
	byKey := map[string]*targetRow{}
	for rows.Next() {
		t := &targetRow{}
		if err := rows.Scan(&t.key, &t.indicator, &t.region, &t.period, &t.start, &t.end, &t.target); err != nil {
			rows.Close()
			return nil, fmt.Errorf("targets: %w", err)
		}
		list = append(list, t)
		byKey[t.key] = t
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("targets: %w", err)
	}
	if len(list) == 0 {
		return r, nil
	}
	if err := targetMeasures(ctx, q, list, asOf); err != nil {
		return nil, fmt.Errorf("targets: %w", err)
	}
	for _, t := range list {
		r.Targets = append(r.Targets, judge(t, asOf))
	}
	order := map[string]int{}
	for i, in := range Indicators {
		order[in.Code] = i
	}
	slices.SortFunc(r.Targets, func(a, b TargetResult) int {
		if c := order[a.Indicator] - order[b.Indicator]; c != 0 {
			return c
		}
		if c := compareRegions(a.Region, b.Region); c != 0 {
			return c
		}
		if c := strings.Compare(a.Start, b.Start); c != 0 {
			return c
		}
		return strings.Compare(a.End, b.End)
	})
	return r, nil
}

// compareRegions sorts the program-wide target (nil) before every region.
func compareRegions(a, b *string) int {
	switch {
	case a == nil && b == nil:
		return 0
	case a == nil:
		return -1
	case b == nil:
		return 1
	}
	return strings.Compare(*a, *b)
}

// targetMeasures fills in now, before and answered of every target in
// list that has started by asOf, reading the running totals of each kind
// of measure that one of them asks for.
func targetMeasures(ctx context.Context, q querier, list []*targetRow, asOf time.Time) error {
	whole, regions := false, []string{}
	for _, t := range list {
		whole = whole || t.region == ""
		if t.region != "" && !slices.Contains(regions, t.region) {
			regions = append(regions, t.region)
		}
	}
	scopes := []any{sql.Named("whole", whole), sql.Named("regions", regions)}
	var respondents, groups *runningTotals
	for _, t := range list {
		if asOf.Before(t.start) {
			continue // not started: nothing is counted
		}
		in, _ := IndicatorByCode(t.indicator)
		cut, before := t.end, t.start.AddDate(0, 0, -1)
		if asOf.Before(cut) {
			cut = asOf
		}
		var err error
		switch {
		case in.Kind == FlowKind || in.Kind == ShareKind:
			if respondents == nil {
				if respondents, err = readRunningTotals(ctx, q, respondentDaysSQL, scopes, dayProblems+2*len(ProblemCodes)); err != nil {
					return err
				}
			}
			// Within the period: the total at its last day counted less the one before it.
			v := respondents.between(t.region, before, cut)
			switch {
			case in.problem > 0:
				at := dayProblems + 2*(in.problem-1)
				t.now, t.answered = float64(v[at]), v[at+1]
			case in.gender == "P":
				t.now = float64(v[dayWomen])
			default:
				t.now = float64(v[dayRespondents])
			}
		default: // a stock of groups: those at a stage or later, or their members
			if groups == nil {
				if groups, err = readRunningTotals(ctx, q, groupDaysSQL, scopes, 1); err != nil {
					return err
				}
			}
			scope := t.region + "|members"
			if in.stage > 0 {
				scope = fmt.Sprintf("%s|stage_%d", t.region, in.stage)
			}
			t.now, t.before = float64(groups.at(scope, cut)[0]), float64(groups.at(scope, before)[0])
		}
	}
	return nil
}

// runningTotals are, per scope, the days on which a measure's width
// counts changed, in order, and the totals standing from each of them on.
type runningTotals struct {
	scopes map[string]*running
	zero   []int64
}

type running struct {
	days   []time.Time
	totals [][]int64
}

// readRunningTotals reads query, whose rows are a scope, a day and width
// changes, sorted by scope and day, and adds the changes up.
func readRunningTotals(ctx context.Context, q querier, query string, args []any, width int) (*runningTotals, error) {
	rows, err := q.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	totals := &runningTotals{scopes: map[string]*running{}, zero: make([]int64, width)}
	var scope string
	var day time.Time
	change := make([]int64, width)
	dest := []any{&scope, &day}
	for i := range change {
		dest = append(dest, &change[i])
	}
	for rows.Next() {
		if err := rows.Scan(dest...); err != nil {
			return nil, err
		}
		r := totals.scopes[scope]
		if r == nil {
			r = &running{}
			totals.scopes[scope] = r
		}
		total := slices.Clone(totals.zero)
		if n := len(r.totals); n > 0 {
			copy(total, r.totals[n-1])
		}
		for i, c := range change {
			total[i] += c
		}
		r.days, r.totals = append(r.days, day), append(r.totals, total)
	}
	return totals, rows.Err()
}

// at is the totals of scope standing on day: those of the latest day on or
// before it with a change (zeros before the first).
func (rt *runningTotals) at(scope string, day time.Time) []int64 {
	r := rt.scopes[scope]
	if r == nil {
		return rt.zero
	}
	i, found := slices.BinarySearchFunc(r.days, day, time.Time.Compare)
	if !found {
		i-- // the latest day before it
	}
	if i < 0 {
		return rt.zero
	}
	return r.totals[i]
}

// between is what changed in scope after day from, up to day to.
func (rt *runningTotals) between(scope string, from, to time.Time) []int64 {
	a, b := rt.at(scope, to), rt.at(scope, from)
	d := make([]int64, len(a))
	for i := range d {
		d[i] = a[i] - b[i]
	}
	return d
}

// judge computes a target's actual, expected, achievement and status at asOf.
func judge(t *targetRow, asOf time.Time) TargetResult {
	in, _ := IndicatorByCode(t.indicator)
	res := TargetResult{Indicator: in.Code, Name: in.Name.ID, Kind: in.Kind, Period: t.period,
		Start: t.start.Format(time.DateOnly), End: t.end.Format(time.DateOnly), Target: t.target}
	if t.region != "" {
		region := t.region
		res.Region = &region
	}
	if asOf.Before(t.start) {
		res.Status = StatusNotStarted
		return res
	}
	ended := !asOf.Before(t.end)
	if in.Kind == ShareKind {
		res.Expected = ptr(t.target)
		if t.answered == 0 {
			res.Status = StatusNoData
			return res
		}
		actual := t.now / float64(t.answered)
		res.Actual = ptr(round(actual, 4))
		switch {
		case actual <= t.target && ended:
			res.Status = StatusMet
		case actual <= t.target:
			res.Status = StatusOnTrack
		case actual <= t.target+0.05:
			res.Status = StatusNear
		default:
			res.Status = StatusBehind
		}
		return res
	}
	res.Actual = ptr(t.now)
	if t.target != 0 {
		res.Achievement = ptr(round(t.now/t.target, 4))
	}
	expected := t.target
	if !ended {
		elapsed := asOf.Sub(t.start).Hours()/24 + 1
		days := t.end.Sub(t.start).Hours()/24 + 1
		fraction := elapsed / days
		if in.Kind == FlowKind {
			expected = t.target * fraction
		} else {
			expected = t.before + (t.target-t.before)*fraction
		}
	}
	res.Expected = ptr(round(expected, 2))
	met, near := StatusMet, t.now >= 0.8*expected
	if !ended {
		met = StatusOnTrack
	}
	switch {
	case t.now >= expected:
		res.Status = met
	case near:
		res.Status = StatusNear
	default:
		res.Status = StatusBehind
	}
	return res
}

func ptr(f float64) *float64 { return &f }

// round keeps n decimals: the figures are read by people, and a fraction of
// a respondent past the second decimal says nothing.
func round(f float64, n int) float64 {
	p := math.Pow(10, float64(n))
	return math.Round(f*p) / p
}
