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

// startedTargetsSQL is the targets of the filter whose period has begun by
// the as-of date, with the last day counted (the period's end or the as-of
// date) and the day before the period.
const startedTargetsSQL = `
SELECT key, indicator, region, start_date, start_date - 1 AS before, least(end_date, $as_of::DATE) AS cut
FROM targets` + targetFilterSQL + `
  AND start_date <= $as_of::DATE`

// targetRespondentsSQL counts, per flow or share target, the respondents
// surveyed from the period's first day to the last day counted, in its
// region (any for a program-wide target), from the respondent rollup: all of
// them, the women, and per problem Ya and Ya + Tidak.
var targetRespondentsSQL = func() string {
	cols := []string{"coalesce(sum(c.respondents), 0)::BIGINT", "coalesce(sum(c.respondents) FILTER (WHERE c.gender = 'P'), 0)::BIGINT"}
	for _, p := range ProblemCodes {
		cols = append(cols, fmt.Sprintf("coalesce(sum(c.%[1]s_yes), 0)::BIGINT, coalesce(sum(c.%[1]s_answered), 0)::BIGINT", p))
	}
	return `
WITH t AS (` + startedTargetsSQL + ` AND list_contains($codes::VARCHAR[], indicator))
SELECT t.key, ` + strings.Join(cols, ", ") + `
FROM t LEFT JOIN respondent_cells c
  ON c.survey_date BETWEEN t.start_date AND t.cut AND (t.region IS NULL OR c.region = t.region)
GROUP BY t.key`
}()

// targetStagesSQL counts, per group-stage target, the groups (codes compared
// case-insensitively) with a row of its region at the target's stage or a
// later one, reached on or before the last day counted, and on or before
// the day before the period (the starting value).
const targetStagesSQL = `
WITH s AS (SELECT unnest($codes::VARCHAR[]) AS code, unnest($stages::INTEGER[]) AS stage),
t AS (SELECT t.*, s.stage FROM (` + startedTargetsSQL + `) t JOIN s ON s.code = t.indicator)
SELECT t.key,
	count(DISTINCT lower(g.group_code)) FILTER (WHERE g.reached_on <= t.cut),
	count(DISTINCT lower(g.group_code)) FILTER (WHERE g.reached_on <= t.before)
FROM t LEFT JOIN group_stages g
  ON g.stage >= t.stage AND g.reached_on <= t.cut AND (t.region IS NULL OR g.region = t.region)
GROUP BY t.key`

// targetMembersSQL sums, per members target, each group's latest reported
// Jumlah Anggota (latest by date reached, then stage) among its region's
// rows reached on or before the last day counted, and on or before the day
// before the period.
const targetMembersSQL = `
WITH t AS (` + startedTargetsSQL + ` AND indicator = $code),
per_group AS (
	SELECT t.key, lower(g.group_code) AS grp,
		arg_max(g.members, ` + latestStageRow + `) AS now,
		arg_max(g.members, ` + latestStageRow + `) FILTER (WHERE g.reached_on <= t.before) AS before
	FROM t JOIN group_stages g
	  ON g.members IS NOT NULL AND g.reached_on <= t.cut AND (t.region IS NULL OR g.region = t.region)
	GROUP BY t.key, grp
)
SELECT t.key, coalesce(sum(p.now), 0)::BIGINT, coalesce(sum(p.before), 0)::BIGINT
FROM t LEFT JOIN per_group p ON p.key = t.key
GROUP BY t.key`

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
	args := append([]any{}, filterArgs...)
	args = append(args, sql.Named("as_of", asOf.Format(time.DateOnly)))
	if err := targetMeasures(ctx, q, args, byKey); err != nil {
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
		if c := strings.Compare(regionOrder(a.Region), regionOrder(b.Region)); c != 0 {
			return c
		}
		if c := strings.Compare(a.Start, b.Start); c != 0 {
			return c
		}
		return strings.Compare(a.End, b.End)
	})
	return r, nil
}

// regionOrder sorts the program-wide target ("") before every region.
func regionOrder(r *string) string {
	if r == nil {
		return ""
	}
	return "\x01" + *r
}

// targetMeasures fills in now, before and answered of every started target
// in byKey, with one query per kind of measure.
func targetMeasures(ctx context.Context, q querier, args []any, byKey map[string]*targetRow) error {
	var respCodes, stageCodes []string
	var stages []int32
	members := ""
	for _, in := range Indicators {
		switch {
		case in.Kind == FlowKind || in.Kind == ShareKind:
			respCodes = append(respCodes, in.Code)
		case in.stage > 0:
			stageCodes, stages = append(stageCodes, in.Code), append(stages, int32(in.stage))
		case in.members:
			members = in.Code
		}
	}
	rows, err := q.QueryContext(ctx, targetRespondentsSQL, append(args, sql.Named("codes", respCodes))...)
	if err != nil {
		return err
	}
	for rows.Next() {
		var key string
		var all, women int64
		var counts [2 * len(ProblemCodes)]int64
		dest := []any{&key, &all, &women}
		for i := range counts {
			dest = append(dest, &counts[i])
		}
		if err := rows.Scan(dest...); err != nil {
			rows.Close()
			return err
		}
		t := byKey[key]
		in, _ := IndicatorByCode(t.indicator)
		switch {
		case in.problem > 0:
			t.now, t.answered = float64(counts[2*(in.problem-1)]), counts[2*(in.problem-1)+1]
		case in.gender == "P":
			t.now = float64(women)
		default:
			t.now = float64(all)
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	for _, m := range []struct {
		sql  string
		args []any
	}{
		{targetStagesSQL, append(append([]any{}, args...), sql.Named("codes", stageCodes), sql.Named("stages", stages))},
		{targetMembersSQL, append(append([]any{}, args...), sql.Named("code", members))},
	} {
		rows, err := q.QueryContext(ctx, m.sql, m.args...)
		if err != nil {
			return err
		}
		for rows.Next() {
			var key string
			var now, before int64
			if err := rows.Scan(&key, &now, &before); err != nil {
				rows.Close()
				return err
			}
			byKey[key].now, byKey[key].before = float64(now), float64(before)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
	}
	return nil
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
