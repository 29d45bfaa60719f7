package queries

import (
	"context"
	"database/sql"
	"fmt"
	"math"
	"slices"
)

// RespondentFigures are the respondent figures of the dashboards and the
// Summary for one filter (every part of it applies), read in one query: the
// filtered cells of respondent_cells added up per region, gender, work type
// and survey year, and per survey month. Each figure (RespondentCounts,
// ProblemPrevalence, ProblemsByRegion, ProblemsByWorkType, ProblemsByGender,
// WagesAgainstUMK, RespondentsByMonth) is added up from them in Go.
//
// Why one query: a DuckDB query costs about 1-3 ms of planning and setup
// whatever the few thousand cells it reads, so a page that ran one query
// per chart spent its time there; these groups are at most 54 rows per
// survey year.
type RespondentFigures struct {
	cells  []figureCell
	months []MonthTotal // the months with respondents, in order
}

// figureCell is the filtered respondents of one region, gender ("" = not
// stated), work type and survey year.
type figureCell struct {
	region, gender, workType string
	respondents              int
	problems                 problemCounts
	// wages counts those stating a wage, wageSum adds them up, belowUMK
	// counts those below the UMK of their year.
	wages, wageSum, belowUMK int64
	// umkYear is the year of the region's UMK that applies to the survey
	// year (that year's, or the latest before it); invalid without one.
	umkYear sql.NullInt64
	umk     int64
}

// respondentFiguresSQL groups the filtered cells twice (GROUPING SETS):
// per region, gender, work type and year, with every sum, and per month
// (region NULL), where only respondents is used.
const respondentFiguresSQL = `
SELECT region, gender, work_type, year(survey_date) AS year, strftime(survey_date, '%Y-%m') AS month,
	sum(respondents)::BIGINT,
	sum(a_yes)::BIGINT, sum(a_answered)::BIGINT, sum(b_yes)::BIGINT, sum(b_answered)::BIGINT,
	sum(c_yes)::BIGINT, sum(c_answered)::BIGINT, sum(d_yes)::BIGINT, sum(d_answered)::BIGINT,
	sum(e_yes)::BIGINT, sum(e_answered)::BIGINT, sum(f_yes)::BIGINT, sum(f_answered)::BIGINT,
	sum(g_yes)::BIGINT, sum(g_answered)::BIGINT, sum(h_yes)::BIGINT, sum(h_answered)::BIGINT,
	sum(i_yes)::BIGINT, sum(i_answered)::BIGINT,
	sum(wages)::BIGINT, sum(wage_sum)::BIGINT, sum(below_umk)::BIGINT
FROM respondent_cells` + respondentFilterSQL + `
GROUP BY GROUPING SETS ((region, gender, work_type, year), (month))
ORDER BY month, region, gender, work_type, year`

// umksSQL is every UMK, per region by year. Paired with the cells in Go:
// a join in respondentFiguresSQL (ASOF) cost more than this second query.
const umksSQL = `
SELECT region, year, umk FROM regions WHERE year IS NOT NULL AND umk IS NOT NULL
ORDER BY region, year`

// RespondentFigures reads the respondent figures for f (see the type).
func (db *DB) RespondentFigures(ctx context.Context, f Filter) (*RespondentFigures, error) {
	if err := f.validate(); err != nil {
		return nil, err
	}
	return respondentFigures(ctx, db.sql, f)
}

func respondentFigures(ctx context.Context, q querier, f Filter) (*RespondentFigures, error) {
	const what = "respondent figures"
	type umk struct {
		region string
		year   int64
		umk    int64
	}
	list, err := scanRows(ctx, q, what, umksSQL, nil, func(u *umk) []any { return []any{&u.region, &u.year, &u.umk} })
	if err != nil {
		return nil, err
	}
	umks := map[string][]umk{} // per region, by year
	for _, u := range list {
		umks[u.region] = append(umks[u.region], u)
	}
	rows, err := q.QueryContext(ctx, respondentFiguresSQL, respondentArgs(f)...)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", what, err)
	}
	defer rows.Close()
	r := &RespondentFigures{}
	for rows.Next() {
		var c figureCell
		var region, gender, workType, month sql.NullString
		var year sql.NullInt64
		dest := append([]any{&region, &gender, &workType, &year, &month, &c.respondents}, c.problems.dest()...)
		if err := rows.Scan(append(dest, &c.wages, &c.wageSum, &c.belowUMK)...); err != nil {
			return nil, fmt.Errorf("%s: %w", what, err)
		}
		if month.Valid { // a month's row (ordered first: region is NULL there)
			r.months = append(r.months, MonthTotal{Month: month.String, Respondents: c.respondents})
			continue
		}
		c.region, c.gender, c.workType = region.String, gender.String, workType.String
		// The UMK of the year, or else of the latest year before it, as the
		// rollups' below_umk pairs them.
		for _, u := range umks[c.region] { // by year
			if u.year <= year.Int64 {
				c.umkYear, c.umk = sql.NullInt64{Int64: u.year, Valid: true}, u.umk
			}
		}
		r.cells = append(r.cells, c)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("%s: %w", what, err)
	}
	return r, nil
}

// Counts is RespondentCounts: in total, per region (sorted by region name),
// by work type and by gender.
func (r *RespondentFigures) Counts() RespondentSummary {
	s := RespondentSummary{ByRegion: []RegionCount{}}
	for _, c := range r.cells { // sorted by region
		s.add(c.region, c.workType, c.gender, c.respondents)
	}
	return s
}

// add counts n respondents of a region, work type and gender; regions come
// in order, each once or in a run.
func (s *RespondentSummary) add(region, workType, gender string, n int) {
	if last := len(s.ByRegion) - 1; last < 0 || s.ByRegion[last].Region != region {
		s.ByRegion = append(s.ByRegion, RegionCount{Region: region})
	}
	s.ByRegion[len(s.ByRegion)-1].Total += n
	s.Total += n
	switch workType {
	case "POS":
		s.ByWorkType.POS += n
	case "SE":
		s.ByWorkType.SE += n
	}
	switch gender {
	case "P":
		s.ByGender.Female += n
	case "L":
		s.ByGender.Male += n
	default:
		s.ByGender.Unknown += n
	}
}

// Prevalence is ProblemPrevalence: all nine problems a..i.
func (r *RespondentFigures) Prevalence() []ProblemShare {
	var total problemCounts
	for _, c := range r.cells {
		total.add(c.problems)
	}
	return total.shares()
}

// ByRegion is ProblemsByRegion: per region with respondents, sorted by
// name, the nine problems a..i.
func (r *RespondentFigures) ByRegion() []RegionProblem {
	list := []RegionProblem{}
	var region string
	var counts problemCounts
	flush := func() {
		for i, n := range counts {
			list = append(list, RegionProblem{Region: region, Code: ProblemCodes[i], Yes: n.yes, Answered: n.answered})
		}
	}
	for i, c := range r.cells { // sorted by region
		if i > 0 && c.region != region {
			flush()
			counts = problemCounts{}
		}
		region = c.region
		counts.add(c.problems)
	}
	if len(r.cells) > 0 {
		flush()
	}
	return list
}

// ByWorkType is ProblemsByWorkType: "POS" then "SE".
func (r *RespondentFigures) ByWorkType() []ProblemSplit {
	return r.split(func(c figureCell) string { return c.workType }, "POS", "SE")
}

// ByGender is ProblemsByGender: "P", "L" and "" (not stated).
func (r *RespondentFigures) ByGender() []ProblemSplit {
	return r.split(func(c figureCell) string { return c.gender }, "P", "L", "")
}

// split adds up the cells per group of the value of column: one entry per
// group, in order; a value that is none of the groups counts in the last.
func (r *RespondentFigures) split(column func(figureCell) string, groups ...string) []ProblemSplit {
	list := make([]ProblemSplit, len(groups))
	counts := make([]problemCounts, len(groups))
	for _, c := range r.cells {
		i := slices.Index(groups, column(c))
		if i < 0 {
			i = len(groups) - 1
		}
		list[i].Respondents += c.respondents
		counts[i].add(c.problems)
	}
	for i, g := range groups {
		list[i].Group, list[i].Problems = g, counts[i].shares()
	}
	return list
}

// Wages is WagesAgainstUMK: per region (sorted by name) over the cells
// with wages and a UMK; the mean rounded half away from zero, as DuckDB's
// round, from the exact sum; UMK that of the latest year used.
func (r *RespondentFigures) Wages() []WageAgainstUMK {
	list := []WageAgainstUMK{}
	var w *WageAgainstUMK
	var n, sum, umkYear int64
	flush := func() {
		if w != nil {
			w.Respondents, w.MeanWage = int(n), int64(math.Round(float64(sum)/float64(n)))
			list = append(list, *w)
		}
	}
	for _, c := range r.cells { // sorted by region
		if c.wages <= 0 || !c.umkYear.Valid {
			continue
		}
		if w == nil || w.Region != c.region {
			flush()
			w, n, sum, umkYear = &WageAgainstUMK{Region: c.region}, 0, 0, math.MinInt64
		}
		n, sum = n+c.wages, sum+c.wageSum
		w.BelowUMK += int(c.belowUMK)
		if c.umkYear.Int64 > umkYear {
			umkYear, w.UMK = c.umkYear.Int64, c.umk
		}
	}
	flush()
	return list
}

// ByMonth is RespondentsByMonth: every month from the first to the last
// with a respondent, in order, months without one as 0.
func (r *RespondentFigures) ByMonth() []MonthTotal {
	list := []MonthTotal{}
	if len(r.months) == 0 {
		return list
	}
	counts := map[string]int{}
	for _, m := range r.months {
		counts[m.Month] = m.Respondents
	}
	for _, m := range MonthsBetween(r.months[0].Month, r.months[len(r.months)-1].Month) {
		list = append(list, MonthTotal{Month: m, Respondents: counts[m]})
	}
	return list
}
