package queries

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"maps"
	"math/rand/v2"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"
)

// The queries as they were before the rollups: each scans the current
// respondents. They are the reference the rollup-answered queries must agree
// with, figure for figure.
const (
	directCountsSQL = `
	coalesce(count_if(p_a), 0), count(p_a),
	coalesce(count_if(p_b), 0), count(p_b),
	coalesce(count_if(p_c), 0), count(p_c),
	coalesce(count_if(p_d), 0), count(p_d),
	coalesce(count_if(p_e), 0), count(p_e),
	coalesce(count_if(p_f), 0), count(p_f),
	coalesce(count_if(p_g), 0), count(p_g),
	coalesce(count_if(p_h), 0), count(p_h),
	coalesce(count_if(p_i), 0), count(p_i)`

	directRespondentCountsSQL = `
SELECT region, work_type, gender, count(*)
FROM respondents` + respondentFilterSQL + `
GROUP BY region, work_type, gender
ORDER BY region`

	directPrevalenceSQL = `
SELECT` + directCountsSQL + `
FROM respondents` + respondentFilterSQL

	directProblemsByRegionSQL = `
SELECT region,` + directCountsSQL + `
FROM respondents` + respondentFilterSQL + `
GROUP BY region
ORDER BY region`

	directSplitSQL = `
SELECT %s, count(*),` + directCountsSQL + `
FROM respondents` + respondentFilterSQL + `
GROUP BY 1`

	directProductsSQL = `
WITH cells AS (
	SELECT product, work_type, count(*) AS n
	FROM respondents` + respondentFilterSQL + `
	GROUP BY product, work_type
)` + productSpellingsSQL

	// directOrganizingByRegionSQL reduces the organizing log rows in the
	// filter to one row per group, placing each group in the region of its
	// latest row, then counts per region.
	directOrganizingByRegionSQL = `
WITH stage_rows AS (
	SELECT lower(group_code) AS group_key, region, stage, ` + latestStageRow + ` AS latest, members
	FROM group_stages` + groupStageFilterSQL + `
), per_group AS (
	SELECT group_key,
		arg_max(region, latest) AS region,
		max(stage) AS stage,
		arg_max(members, latest) FILTER (WHERE members IS NOT NULL) AS members
	FROM stage_rows
	GROUP BY group_key
)
SELECT region, count(*),
	count_if(stage = 1), count_if(stage = 2), count_if(stage = 3),
	count_if(stage = 4), count_if(stage = 5), count_if(stage = 6),
	coalesce(sum(members), 0)::BIGINT
FROM per_group
GROUP BY region
ORDER BY region`

	// directFunnelSQL is OrganizingFunnel as it was: its own pass over the
	// organizing log rows in the filter, one row per group.
	directFunnelSQL = `
WITH stage_rows AS (
	SELECT lower(group_code) AS group_key, stage, ` + latestStageRow + ` AS latest, members
	FROM group_stages` + groupStageFilterSQL + `
), per_group AS (
	SELECT group_key,
		max(stage) AS stage,
		arg_max(members, latest) FILTER (WHERE members IS NOT NULL) AS members
	FROM stage_rows
	GROUP BY group_key
)
SELECT count(*),
	coalesce(sum(members), 0)::BIGINT,
	count(*) FILTER (WHERE stage >= 1),
	count(*) FILTER (WHERE stage >= 2),
	count(*) FILTER (WHERE stage >= 3),
	count(*) FILTER (WHERE stage >= 4),
	count(*) FILTER (WHERE stage >= 5),
	count(*) FILTER (WHERE stage >= 6)
FROM per_group`

	// directFormedSQL dates each group by its first row at stage 4 or later
	// among its rows in the regions, over every current row.
	directFormedSQL = `
WITH formed AS (
	SELECT min(reached_on) FILTER (WHERE stage >= 4) AS formed_on
	FROM group_stages
	WHERE ` + inRegionsSQL + `
	GROUP BY lower(group_code)
)
SELECT strftime(formed_on, '%Y-%m') AS month, count(*)
FROM formed
WHERE formed_on IS NOT NULL
  AND ($from::DATE IS NULL OR formed_on >= $from::DATE)
  AND ($to::DATE IS NULL OR formed_on <= $to::DATE)
GROUP BY month
ORDER BY month`

	// directWagesSQL pairs each respondent's wage with the region's UMK
	// for the survey's year or, failing that, the latest year before it,
	// through a lookup per region of every year from its first UMK to the
	// last survey year.
	directWagesSQL = `
WITH umk AS (
	SELECT region, year, umk FROM regions WHERE year IS NOT NULL AND umk IS NOT NULL
), years AS (
	SELECT region, unnest(range(min(year), greatest(max(year), (SELECT year(max(survey_date)) FROM respondents)) + 1)) AS year
	FROM umk
	GROUP BY region
), lookup AS (
	SELECT y.region, y.year, max(u.year) AS umk_year, arg_max(u.umk, u.year) AS umk
	FROM years y JOIN umk u ON u.region = y.region AND u.year <= y.year
	GROUP BY y.region, y.year
), paid AS (
	SELECT region, survey_date, monthly_wage AS wage
	FROM respondents` + respondentFilterSQL + `
	  AND monthly_wage IS NOT NULL
), per_region AS (
	SELECT p.region, count(*) AS n,
		round(avg(p.wage))::BIGINT AS mean,
		max(l.umk_year) AS umk_year,
		count_if(p.wage < l.umk) AS below
	FROM paid p JOIN lookup l ON l.region = p.region AND l.year = year(p.survey_date)
	GROUP BY p.region
)
SELECT r.region, r.n, r.mean, u.umk, r.below
FROM per_region r JOIN umk u ON u.region = r.region AND u.year = r.umk_year
ORDER BY r.region`

	directByMonthSQL = `
SELECT strftime(survey_date, '%Y-%m') AS month, count(*)
FROM respondents` + respondentFilterSQL + `
GROUP BY month
ORDER BY month`
)

// directly runs the query functions with each rollup query replaced by its
// direct reference above; a query it has no reference for fails the test.
type directly struct {
	*sql.Tx
	t testing.TB
}

var directSQL = map[string]string{
	productsSQL:       directProductsSQL,
	groupsByRegionSQL: directOrganizingByRegionSQL,
	groupsInPeriodSQL: directOrganizingByRegionSQL,
	formedSQL:         directFormedSQL,
}

func (d directly) direct(query string) string {
	old, ok := directSQL[query]
	if !ok {
		d.t.Fatalf("no direct reference for %s", query)
	}
	return old
}

func (d directly) QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	return d.Tx.QueryContext(ctx, d.direct(query), args...)
}

func (d directly) QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row {
	return d.Tx.QueryRowContext(ctx, d.direct(query), args...)
}

// rollupQueries are the query functions the rollups answer, by name; the
// six of the /problems dashboard first. Those added up from
// RespondentFigures have, in direct, the query each was before: its own
// query over the current respondents, the reference they must equal.
type rollupQuery struct {
	name   string
	run    func(context.Context, querier, Filter) (any, error)
	direct func(context.Context, *sql.Tx, Filter) (any, error)
}

var rollupQueries = []rollupQuery{
	{"ProblemPrevalence", fromFigures((*RespondentFigures).Prevalence), directPrevalence},
	{"ProblemsByRegion", fromFigures((*RespondentFigures).ByRegion), directProblemsByRegion},
	{"ProblemsByWorkType", fromFigures((*RespondentFigures).ByWorkType), func(ctx context.Context, tx *sql.Tx, f Filter) (any, error) {
		return directSplit(ctx, tx, f, "work_type", "POS", "SE")
	}},
	{"ProblemsByGender", fromFigures((*RespondentFigures).ByGender), func(ctx context.Context, tx *sql.Tx, f Filter) (any, error) {
		return directSplit(ctx, tx, f, "gender", "P", "L", "")
	}},
	{"RespondentsByProduct", func(ctx context.Context, q querier, f Filter) (any, error) { return respondentsByProduct(ctx, q, f) }, nil},
	{"WagesAgainstUMK", fromFigures((*RespondentFigures).Wages), func(ctx context.Context, tx *sql.Tx, f Filter) (any, error) {
		return scanRows(ctx, tx, "wages", directWagesSQL, respondentArgs(f), func(w *WageAgainstUMK) []any {
			return []any{&w.Region, &w.Respondents, &w.MeanWage, &w.UMK, &w.BelowUMK}
		})
	}},
	{"RespondentCounts", fromFigures((*RespondentFigures).Counts), directRespondentCounts},
	{"RespondentsByMonth", fromFigures((*RespondentFigures).ByMonth), directByMonth},
	{"OrganizingByRegion", func(ctx context.Context, q querier, f Filter) (any, error) { return organizingByRegion(ctx, q, f) }, nil},
	{"OrganizingFunnel", func(ctx context.Context, q querier, f Filter) (any, error) { return organizingFunnel(ctx, q, f) },
		func(ctx context.Context, tx *sql.Tx, f Filter) (any, error) { return directFunnel(ctx, tx, f) }},
	{"GroupsFormedByMonth", func(ctx context.Context, q querier, f Filter) (any, error) { return groupsFormedByMonth(ctx, q, f) }, nil},
}

// runOn runs the query function of rq on q, or its direct reference when q
// is directly and it has one.
func (rq rollupQuery) runOn(ctx context.Context, q querier, f Filter) (any, error) {
	if d, ok := q.(directly); ok && rq.direct != nil {
		return rq.direct(ctx, d.Tx, f)
	}
	return rq.run(ctx, q, f)
}

// fromFigures runs a figure of RespondentFigures as a query function.
func fromFigures[T any](figure func(*RespondentFigures) T) func(context.Context, querier, Filter) (any, error) {
	return func(ctx context.Context, q querier, f Filter) (any, error) {
		rf, err := respondentFigures(ctx, q, f)
		if err != nil {
			return nil, err
		}
		return figure(rf), nil
	}
}

// The respondent figures as they were computed before RespondentFigures,
// each by its own query over the current respondents.

func directPrevalence(ctx context.Context, tx *sql.Tx, f Filter) (any, error) {
	var c problemCounts
	if err := tx.QueryRowContext(ctx, directPrevalenceSQL, respondentArgs(f)...).Scan(c.dest()...); err != nil {
		return nil, err
	}
	return c.shares(), nil
}

func directProblemsByRegion(ctx context.Context, tx *sql.Tx, f Filter) (any, error) {
	list := []RegionProblem{}
	rows, err := tx.QueryContext(ctx, directProblemsByRegionSQL, respondentArgs(f)...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var region string
		var c problemCounts
		if err := rows.Scan(append([]any{&region}, c.dest()...)...); err != nil {
			return nil, err
		}
		for i, n := range c {
			list = append(list, RegionProblem{Region: region, Code: ProblemCodes[i], Yes: n.yes, Answered: n.answered})
		}
	}
	return list, rows.Err()
}

// directSplit groups by column; a value that is none of the groups (NULL
// among them) counts in the last one.
func directSplit(ctx context.Context, tx *sql.Tx, f Filter, column string, groups ...string) (any, error) {
	list := make([]ProblemSplit, len(groups))
	counts := make([]problemCounts, len(groups))
	rows, err := tx.QueryContext(ctx, fmt.Sprintf(directSplitSQL, column), respondentArgs(f)...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var value sql.NullString
		var n int
		var c problemCounts
		if err := rows.Scan(append([]any{&value, &n}, c.dest()...)...); err != nil {
			return nil, err
		}
		i := len(groups) - 1
		for j, g := range groups {
			if value.Valid && value.String == g {
				i = j
			}
		}
		list[i].Respondents += n
		counts[i].add(c)
	}
	for i, g := range groups {
		list[i].Group, list[i].Problems = g, counts[i].shares()
	}
	return list, rows.Err()
}

func directRespondentCounts(ctx context.Context, tx *sql.Tx, f Filter) (any, error) {
	s := RespondentSummary{ByRegion: []RegionCount{}}
	rows, err := tx.QueryContext(ctx, directRespondentCountsSQL, respondentArgs(f)...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var region, workType string
		var gender sql.NullString
		var n int
		if err := rows.Scan(&region, &workType, &gender, &n); err != nil {
			return nil, err
		}
		s.add(region, workType, gender.String, n)
	}
	return s, rows.Err()
}

func directByMonth(ctx context.Context, tx *sql.Tx, f Filter) (any, error) {
	months, err := scanRows(ctx, tx, "by month", directByMonthSQL, respondentArgs(f), func(m *MonthTotal) []any {
		return []any{&m.Month, &m.Respondents}
	})
	if err != nil {
		return nil, err
	}
	counts := map[string]int{}
	for _, m := range months {
		counts[m.Month] = m.Respondents
	}
	list := []MonthTotal{}
	if len(months) > 0 {
		for _, m := range MonthsBetween(months[0].Month, months[len(months)-1].Month) {
			list = append(list, MonthTotal{Month: m, Respondents: counts[m]})
		}
	}
	return list, nil
}

// directFunnel is OrganizingFunnel as it was computed before it was added
// up from OrganizingByRegion: the reference the sum must equal.
func directFunnel(ctx context.Context, tx *sql.Tx, f Filter) (OrganizingSummary, error) {
	var s OrganizingSummary
	var atLeast [6]int
	dest := []any{&s.Groups, &s.Members}
	for i := range atLeast {
		dest = append(dest, &atLeast[i])
	}
	if err := tx.QueryRowContext(ctx, directFunnelSQL, regionsArg(f), fromArg(f), toArg(f)).Scan(dest...); err != nil {
		return s, err
	}
	s.Funnel = make([]StageCount, len(atLeast))
	for i, n := range atLeast {
		s.Funnel[i] = StageCount{Stage: i + 1, Name: StageNames[i+1], Groups: n}
	}
	return s, nil
}

// rollupFigures is every figure the rollups answer, for one filter, as JSON.
func rollupFigures(ctx context.Context, q querier, f Filter) (map[string]string, error) {
	out := map[string]string{}
	for _, rq := range rollupQueries {
		v, err := rq.runOn(ctx, q, f)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", rq.name, err)
		}
		b, err := json.Marshal(v)
		if err != nil {
			return nil, err
		}
		out[rq.name] = string(b)
	}
	return out, nil
}

var rollupTestRegions = []string{"Kota Malang", "Kab. Malang", "Kota Batu", "Kab. Jember", "Kab. Sidoarjo", "Kota Kediri"}

// randomRespondent is respondent number n, surveyed in 2014-2016; version
// varies what an update of the same key changes.
func randomRespondent(rng *rand.Rand, n int) Respondent {
	genders := []string{"P", "P", "L", ""}
	products := []string{"Batik", "batik", "BATIK", "Sepatu", "Tas", "", "Bordir", "bordir"}
	r := Respondent{Row: n + 2, Key: fmt.Sprintf("r%04d", n), ID: fmt.Sprintf("R%04d", n),
		SurveyDate: time.Date(2014, 9, 1, 0, 0, 0, 0, time.UTC).AddDate(0, 0, rng.IntN(800)),
		Region:     rollupTestRegions[rng.IntN(len(rollupTestRegions))],
		Gender:     genders[rng.IntN(len(genders))], WorkType: []string{"POS", "SE"}[rng.IntN(2)],
		Product: products[rng.IntN(len(products))], MonthlyWage: -1}
	if rng.IntN(4) > 0 {
		r.MonthlyWage = int64(800_000 + rng.IntN(1_800_000))
		if rng.IntN(5) == 0 {
			r.MonthlyWage = 1_250_000 // on a UMK: not below it
		}
	}
	for i := range r.Problems {
		r.Problems[i] = Answer(rng.IntN(3))
	}
	return r
}

// randomGroupStages are the organizing log rows of group number n: some of
// its six stages, reached in 2014-2016 (not always in the order of the
// stages), its code in varying case, and one group in eight with rows in two
// regions.
func randomGroupStages(rng *rand.Rand, n int) []GroupStage {
	code := fmt.Sprintf("G%03d", n)
	if rng.IntN(3) == 0 {
		code = strings.ToLower(code)
	}
	region := rollupTestRegions[rng.IntN(len(rollupTestRegions))]
	day := time.Date(2014, 9, 1, 0, 0, 0, 0, time.UTC).AddDate(0, 0, rng.IntN(600))
	var rows []GroupStage
	for stage := 1; stage <= 6; stage++ {
		if rng.IntN(3) == 0 {
			continue
		}
		day = day.AddDate(0, 0, rng.IntN(60)-10)
		g := GroupStage{Row: 2, Key: strings.ToLower(fmt.Sprintf("%s|%d", code, stage)), Code: code, Region: region,
			Stage: stage, ReachedOn: day, Members: -1}
		if rng.IntN(2) == 0 {
			g.Members = 5 + rng.IntN(30)
		}
		if n%8 == 0 && rng.IntN(2) == 0 {
			g.Region = rollupTestRegions[rng.IntN(len(rollupTestRegions))]
		}
		rows = append(rows, g)
	}
	return rows
}

func randomFilter(rng *rand.Rand) Filter {
	var f Filter
	for _, i := range rng.Perm(len(rollupTestRegions))[:rng.IntN(4)] {
		f.Regions = append(f.Regions, rollupTestRegions[i])
	}
	if rng.IntN(8) == 0 {
		f.Regions = append(f.Regions, "Kab. Tidak Ada")
	}
	f.Gender = []string{"", "", "P", "L"}[rng.IntN(4)]
	f.WorkType = []string{"", "", "POS", "SE"}[rng.IntN(4)]
	start := time.Date(2014, 8, 1, 0, 0, 0, 0, time.UTC)
	if rng.IntN(2) == 0 {
		f.From = start.AddDate(0, 0, rng.IntN(900))
	}
	if rng.IntN(2) == 0 {
		f.To = start.AddDate(0, 0, rng.IntN(900))
		if !f.From.IsZero() && f.To.Before(f.From) {
			f.From, f.To = f.To, f.From
		}
	}
	return f
}

// MustCommit stages what add stages and commits it as one import of a file
// named (and hashed) name, for the tests of this package and queries_test.
// It returns the import's id and what it did per kind.
func MustCommit(tb testing.TB, db *DB, name string, add func(b *Batch) error) (int64, map[Kind]Counts) {
	tb.Helper()
	ctx := context.Background()
	b, err := db.NewBatch(ctx)
	if err != nil {
		tb.Fatal(err)
	}
	defer b.Close()
	if err := add(b); err != nil {
		tb.Fatal(err)
	}
	id, counts, err := b.Commit(ctx, ImportMeta{FileName: name, SHA256: name, By: "test", At: time.Now()},
		func(map[Kind]Counts) []SheetCounts { return nil })
	if err != nil {
		tb.Fatal(err)
	}
	return id, counts
}

// TestRollupsAgreeWithRows checks, after each of a sequence of imports,
// updates, UMK changes and undos, that every figure the rollups answer is
// the one the direct query over the current rows gives, for many random
// filters; and that the rollups kept up incrementally hold exactly what
// computing them afresh gives.
func TestRollupsAgreeWithRows(t *testing.T) {
	ctx := context.Background()
	db, err := Open(ctx, filepath.Join(t.TempDir(), "rollups.duckdb"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	rng := rand.New(rand.NewPCG(11, 2014))

	commit := func(name string, add func(b *Batch) error) int64 {
		id, _ := MustCommit(t, db, name, add)
		return id
	}
	respondents := func(from, to int) func(b *Batch) error {
		return func(b *Batch) error {
			for n := from; n < to; n++ {
				if err := b.AddRespondent(randomRespondent(rng, n)); err != nil {
					return err
				}
				if n%4 == 0 { // and a group, every fourth respondent
					for _, g := range randomGroupStages(rng, n/4) {
						if err := b.AddGroupStage(g); err != nil {
							return err
						}
					}
				}
			}
			return nil
		}
	}
	wage := func(region string, year int, umk int64) RegionWage {
		return RegionWage{Row: 2, Key: strings.ToLower(fmt.Sprintf("%s|%d", region, year)), Region: region,
			Province: "Jawa Timur", Year: year, UMK: umk}
	}
	umks := func(rows ...RegionWage) func(b *Batch) error {
		return func(b *Batch) error {
			for _, r := range rows {
				if err := b.AddRegion(r); err != nil {
					return err
				}
			}
			return nil
		}
	}
	check := func(step string) {
		t.Helper()
		tx, err := db.sql.BeginTx(ctx, nil)
		if err != nil {
			t.Fatal(err)
		}
		defer tx.Rollback()
		// Days on which stages were reached: a period starting or ending on
		// one is where the group spans' bounds must be exact.
		days, err := scanColumn[time.Time](ctx, tx, `SELECT DISTINCT reached_on FROM group_stages ORDER BY 1`)
		if err != nil {
			t.Fatal(err)
		}
		for i := range 40 {
			f := randomFilter(rng)
			if i == 0 {
				f = Filter{}
			}
			if i%3 == 1 && len(days) > 0 {
				f.From, f.To = days[rng.IntN(len(days))], days[rng.IntN(len(days))]
				if f.To.Before(f.From) {
					f.From, f.To = f.To, f.From
				}
			}
			got, err := rollupFigures(ctx, tx, f)
			if err != nil {
				t.Fatalf("%s: %v", step, err)
			}
			want, err := rollupFigures(ctx, directly{tx, t}, f)
			if err != nil {
				t.Fatalf("%s: direct: %v", step, err)
			}
			for name := range want {
				if got[name] != want[name] {
					fj, _ := json.Marshal(f)
					t.Errorf("%s: %s for %s:\nrollup %s\ndirect %s", step, name, fj, got[name], want[name])
				}
			}
		}
		// The filter's regions are those the figures name for no filter.
		covered := map[string]bool{}
		fac, err := facilitatorsByRegion(ctx, tx, Filter{})
		if err != nil {
			t.Fatal(err)
		}
		for _, r := range fac.ByRegion {
			covered[r.Region] = true
		}
		rf, err := respondentFigures(ctx, tx, Filter{})
		if err != nil {
			t.Fatal(err)
		}
		for _, r := range rf.Counts().ByRegion {
			covered[r.Region] = true
		}
		groups, err := organizingByRegion(ctx, tx, Filter{})
		if err != nil {
			t.Fatal(err)
		}
		for _, r := range groups {
			covered[r.Region] = true
		}
		delete(covered, "")
		want := slices.Sorted(maps.Keys(covered))
		if got, err := db.RegionsWithData(ctx); err != nil || !slices.Equal(got, want) {
			t.Errorf("%s: RegionsWithData = %q, %v; want %q", step, got, err, want)
		}
		// The cells kept up step by step are those a fresh fill computes.
		for _, r := range rollups {
			if _, err := tx.ExecContext(ctx, `CREATE TEMP TABLE kept AS FROM `+r.table); err != nil {
				t.Fatal(err)
			}
			if err := r.rebuild(ctx, tx, "true"); err != nil {
				t.Fatal(err)
			}
			var n int
			if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM ((FROM kept EXCEPT ALL FROM `+r.table+`)
				UNION ALL (FROM `+r.table+` EXCEPT ALL FROM kept))`).Scan(&n); err != nil {
				t.Fatal(err)
			}
			if n != 0 {
				t.Errorf("%s: %s differs from a fresh fill in %d rows", step, r.table, n)
			}
			if _, err := tx.ExecContext(ctx, `DROP TABLE kept`); err != nil {
				t.Fatal(err)
			}
		}
	}

	check("empty")
	a := commit("a", func(b *Batch) error {
		if err := umks(wage("Kota Malang", 2014, 1_587_000), wage("Kab. Malang", 2014, 1_635_000),
			wage("Kab. Jember", 2014, 1_270_000), wage("Kab. Jember", 2016, 1_600_000), wage("Kota Batu", 2015, 1_250_000))(b); err != nil {
			return err
		}
		// Field facilitators, one of them in a region nobody was surveyed
		// in and one without a region, and staff who are not.
		for i, p := range []Participant{{Region: "Kota Probolinggo", FieldFacilitator: true}, {Region: "Kota Malang", FieldFacilitator: true},
			{FieldFacilitator: true}, {Region: "Kota Pasuruan"}} {
			p.Row, p.Key, p.Name, p.Role = i+2, fmt.Sprintf("p%d", i), fmt.Sprintf("Peserta %d", i), "Fasilitator Lapang"
			if err := b.AddParticipant(p); err != nil {
				return err
			}
		}
		return respondents(0, 400)(b)
	})
	check("import a")
	b := commit("b", respondents(300, 600)) // 100 updates, 200 new
	check("import b, updating a's rows")
	c := commit("c", umks(wage("Kota Malang", 2014, 2_000_000), wage("Kota Malang", 2015, 1_250_000), wage("Kab. Sidoarjo", 2014, 2_190_000)))
	check("import c, changing UMKs")
	if err := db.Undo(ctx, c, "test"); err != nil {
		t.Fatal(err)
	}
	check("undo c")
	d := commit("d", func(b *Batch) error {
		if err := umks(wage("Kab. Jember", 2016, 1_900_000))(b); err != nil {
			return err
		}
		return respondents(550, 700)(b)
	})
	check("import d, updating b's rows and a UMK")
	if err := db.Undo(ctx, d, "test"); err != nil {
		t.Fatal(err)
	}
	check("undo d")
	if err := db.Undo(ctx, b, "test"); err != nil {
		t.Fatal(err)
	}
	check("undo b")
	if _, err := db.UndoPreview(ctx, a); err != nil {
		t.Fatal(err)
	}
	check("undo preview of a")
	commit("e", respondents(0, 50))
	check("import e")
	if err := db.Undo(ctx, a, "test"); err == nil {
		t.Fatal("undo of a, whose rows e changed, was not refused")
	}
}

// TestMigrationFillsRollups opens a database that holds data but not yet the
// rollups (migrations 3, 10 and 15 undone by hand): opening it fills them.
func TestMigrationFillsRollups(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "old.duckdb")
	db, err := Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	rng := rand.New(rand.NewPCG(3, 2014))
	MustCommit(t, db, "old", func(b *Batch) error {
		for n := range 200 {
			if err := b.AddRespondent(randomRespondent(rng, n)); err != nil {
				return err
			}
			for _, g := range randomGroupStages(rng, n) {
				if err := b.AddGroupStage(g); err != nil {
					return err
				}
			}
		}
		return b.AddRegion(RegionWage{Row: 2, Key: "kab. jember|2014", Region: "Kab. Jember", Province: "Jawa Timur", Year: 2014, UMK: 1_270_000})
	})
	want, err := rollupFigures(ctx, db.sql, Filter{})
	if err != nil {
		t.Fatal(err)
	}
	days := func() string {
		t.Helper()
		var s string
		if err := db.sql.QueryRowContext(ctx, `SELECT count(*) || ' ' || string_agg(scope || measure || day || ':' || change, ',' ORDER BY scope, measure, day) FROM group_days`).Scan(&s); err != nil {
			t.Fatal(err)
		}
		return s
	}
	wantDays := days()
	if !strings.Contains(wantDays, "members") || !strings.Contains(wantDays, "stage_6") {
		t.Fatalf("group_days holds %.200s", wantDays)
	}
	if _, err := db.sql.ExecContext(ctx, `DROP TABLE respondent_cells; DROP TABLE product_cells;
		DROP TABLE group_cells; DROP TABLE formed_cells; DROP TABLE split_group_rows; DROP TABLE respondent_days; DROP TABLE group_days;
		DROP TABLE group_spans; DROP TABLE member_spans;
		DELETE FROM schema_migrations WHERE version IN (3, 10, 15, 16)`); err != nil {
		t.Fatal(err)
	}
	db.Close()

	db, err = Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	got, err := rollupFigures(ctx, db.sql, Filter{})
	if err != nil {
		t.Fatal(err)
	}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("after the migration:\n%v\nwant\n%v", got, want)
	}
	if got := days(); got != wantDays {
		t.Errorf("group_days after the migration:\n%.300s\nwant\n%.300s", got, wantDays)
	}
	var n int
	if err := db.sql.QueryRowContext(ctx, `SELECT sum(respondents) FROM respondent_cells`).Scan(&n); err != nil || n != 200 {
		t.Errorf("respondent_cells hold %d respondents, %v; want 200", n, err)
	}
	if err := db.sql.QueryRowContext(ctx, `SELECT (SELECT sum(groups) FROM group_cells) + (SELECT count(DISTINCT group_key) FROM split_group_rows)`).Scan(&n); err != nil || n < 150 {
		t.Errorf("the group rollups hold %d groups, %v; want about 200", n, err)
	}
}

// ProblemsDashboard computes the six figures of the /problems dashboard
// for f in one snapshot: from the rollups, or, direct, as they were computed
// before the rollups, from the current respondents (the baseline of
// BenchmarkProblemsDashboard).
func (db *DB) ProblemsDashboard(ctx context.Context, tb testing.TB, f Filter, direct bool) error {
	tx, err := db.sql.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if direct {
		for _, rq := range rollupQueries[:6] {
			if _, err := rq.runOn(ctx, directly{tx, tb}, f); err != nil {
				return err
			}
		}
		return nil
	}
	// As the dashboard reads them: the respondent figures once, the products.
	rf, err := respondentFigures(ctx, tx, f)
	if err != nil {
		return err
	}
	rf.Prevalence()
	rf.ByRegion()
	rf.ByWorkType()
	rf.ByGender()
	rf.Wages()
	_, err = respondentsByProduct(ctx, tx, f)
	return err
}

// TestRollupPlansHaveNoNestedLoops keeps every rollup's cells linear in the
// rows a commit touches: DuckDB plans a join whose condition it cannot
// hash (an OR around the group's key, say) as a nested loop, which took
// member_spans from 0.1 s for 5,000 groups to 7 s for 50,000.
func TestRollupPlansHaveNoNestedLoops(t *testing.T) {
	ctx := context.Background()
	db, err := Open(ctx, filepath.Join(t.TempDir(), "plans.duckdb"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	for _, r := range rollups {
		var kind, plan string
		if err := db.sql.QueryRowContext(ctx, `EXPLAIN `+r.cells(`SELECT *, 1 AS sign FROM `+string(r.over))).Scan(&kind, &plan); err != nil {
			t.Fatalf("%s: %v", r.table, err)
		}
		for _, quadratic := range []string{"NESTED_LOOP_JOIN", "BLOCKWISE_NL_JOIN", "CROSS_PRODUCT"} {
			if strings.Contains(plan, quadratic) {
				t.Errorf("%s is planned with a %s:\n%s", r.table, quadratic, plan)
			}
		}
	}
}
