package queries

import (
	"context"
	"fmt"
	"slices"
	"strings"
)

// The rollups (migrations/003_rollups.sql) hold the current respondents
// added up per cell of the dashboard filters' grain. The respondent charts
// and the Summary read them instead of the respondents, so their cost
// follows the number of cells a filter selects, not the number of
// respondents.
//
// They are kept in step incrementally, in the transaction that commits or
// undoes a batch: before the current-state tables change, the cells of the
// respondents the batch touches lose those rows' contribution (a delta with
// sign -1); after, they gain the new rows' (sign +1); the deltas are added to
// the cells they name, and cells left with no respondents are removed. So a
// commit's rollup work follows the batch's size. One thing is not local to
// the rows: below_umk compares each wage with its region's UMK, so a batch
// that changes a region's UMK rows rebuilds that region's cells from its
// respondents (rare: a Wilayah sheet's rows).

// rollup is one aggregate table over the current rows of one kind.
type rollup struct {
	table string
	over  Kind     // Respondents or GroupStages: whose rows it adds up
	keys  []string // the cell's key columns, never NULL
	sums  []string // the additive columns; the first counts what a cell holds
	umk   bool     // whether a cell depends on the regions table
	// cells aggregates the rows of the relation named src (the columns of
	// the kind's table, plus sign: +1 adds the row, -1 takes it away) into
	// the table's columns, in order. For GroupStages, src holds every row
	// of each group it names.
	cells func(src string) string
}

var (
	respondentRollups = []rollup{respondentCells, productCells}
	groupRollups      = []rollup{groupCells, formedCells, splitGroupRows}
	// The targets query's, which migration 015 adds and fills.
	targetRollups = []rollup{respondentDays, groupDays}
	// The organizing figures' with a period (migration 016).
	spanRollups = []rollup{groupSpans, memberSpans}
	rollups     = slices.Concat(respondentRollups, groupRollups, targetRollups, spanRollups)
)

// problemColumns are the columns of the nine problems in respondents, a..i.
var problemColumns = func() (cols [9]string) {
	for i, code := range ProblemCodes {
		cols[i] = "p_" + code
	}
	return cols
}()

var respondentCells = rollup{
	table: "respondent_cells",
	over:  Respondents,
	keys:  []string{"survey_date", "region", "gender", "work_type"},
	sums: func() []string {
		sums := []string{"respondents"}
		for _, code := range ProblemCodes {
			sums = append(sums, code+"_yes", code+"_answered")
		}
		return append(sums, "wages", "wage_sum", "below_umk")
	}(),
	umk: true,
	cells: func(src string) string {
		var problems strings.Builder
		for _, col := range problemColumns {
			fmt.Fprintf(&problems, "\n\tsum(CASE WHEN s.%[1]s THEN s.sign ELSE 0 END), sum(CASE WHEN s.%[1]s IS NOT NULL THEN s.sign ELSE 0 END),", col)
		}
		// The UMK of each region and survey year in src: that of the year,
		// or else of the latest year before it, as wagesSQL pairs them.
		return `
WITH src AS (` + src + `), umk AS (
	SELECT region, year, umk FROM regions WHERE year IS NOT NULL AND umk IS NOT NULL
), lookup AS (
	SELECT y.region, y.year, arg_max(u.umk, u.year) AS umk
	FROM (SELECT DISTINCT region, year(survey_date) AS year FROM src) y
	JOIN umk u ON u.region = y.region AND u.year <= y.year
	GROUP BY y.region, y.year
)
SELECT s.survey_date, s.region, coalesce(s.gender, ''), s.work_type,
	sum(s.sign),` + problems.String() + `
	sum(CASE WHEN s.monthly_wage IS NOT NULL THEN s.sign ELSE 0 END),
	coalesce(sum(s.sign * s.monthly_wage), 0),
	sum(CASE WHEN s.monthly_wage < l.umk THEN s.sign ELSE 0 END)
FROM src s LEFT JOIN lookup l ON l.region = s.region AND l.year = year(s.survey_date)
GROUP BY s.survey_date, s.region, coalesce(s.gender, ''), s.work_type`
	},
}

var productCells = rollup{
	table: "product_cells",
	over:  Respondents,
	keys:  []string{"survey_date", "region", "gender", "work_type", "product"},
	sums:  []string{"respondents"},
	cells: func(src string) string {
		return `
SELECT survey_date, region, coalesce(gender, ''), work_type, coalesce(product, ''), sum(sign)
FROM (` + src + `)
GROUP BY ALL`
	},
}

// perGroupSQL reduces the rows of src, every row of each group in it, to one
// row per group (code compared case-insensitively) whose rows all name one
// region: its region, highest stage, latest reported members (as
// organizingSQL takes them) and formation date (as formedSQL dates it).
func perGroupSQL(src string) string {
	return `
	SELECT any_value(sign) AS sign, any_value(region) AS region, max(stage) AS stage,
		arg_max(members, ` + latestStageRow + `) FILTER (WHERE members IS NOT NULL) AS members,
		min(reached_on) FILTER (WHERE stage >= 4) AS formed_on
	FROM (` + src + `)
	GROUP BY lower(group_code)
	HAVING count(DISTINCT region) = 1`
}

var groupCells = rollup{
	table: "group_cells",
	over:  GroupStages,
	keys:  []string{"region", "stage"},
	sums:  []string{"groups", "members"},
	cells: func(src string) string {
		return `
SELECT region, stage, sum(sign), sum(sign * coalesce(members, 0))
FROM (` + perGroupSQL(src) + `)
GROUP BY region, stage`
	},
}

var formedCells = rollup{
	table: "formed_cells",
	over:  GroupStages,
	keys:  []string{"region", "formed_on"},
	sums:  []string{"groups"},
	cells: func(src string) string {
		return `
SELECT region, formed_on, sum(sign)
FROM (` + perGroupSQL(src) + `)
WHERE formed_on IS NOT NULL
GROUP BY region, formed_on`
	},
}

var splitGroupRows = rollup{
	table: "split_group_rows",
	over:  GroupStages,
	keys:  []string{"group_key", "region", "stage", "reached_on", "members"},
	sums:  []string{"rows"},
	cells: func(src string) string {
		return `
WITH s AS (` + src + `)
SELECT lower(group_code), region, stage, reached_on, coalesce(members, -1), sum(sign)
FROM s
WHERE lower(group_code) IN (SELECT lower(group_code) FROM s GROUP BY 1 HAVING count(DISTINCT region) > 1)
GROUP BY ALL`
	},
}

// respondentDays holds, per scope (a region, or the empty string for the
// whole program) and survey day, the respondents, the women, and per
// problem Ya and Ya + Tidak: what the targets query reads as running totals
// (migrations/015_target_rollups.sql). respondent_cells holds the same
// figures split by gender and work type, but adding those up at each call
// cost the query more than all the rest once group_days was there.
var respondentDays = rollup{
	table: "respondent_days",
	over:  Respondents,
	keys:  []string{"scope", "day"},
	sums: func() []string {
		sums := []string{"respondents", "women"}
		for _, code := range ProblemCodes {
			sums = append(sums, code+"_yes", code+"_answered")
		}
		return sums
	}(),
	cells: func(src string) string {
		var problems strings.Builder
		for _, col := range problemColumns {
			fmt.Fprintf(&problems, ",\n\tsum(CASE WHEN %[1]s THEN sign ELSE 0 END), sum(CASE WHEN %[1]s IS NOT NULL THEN sign ELSE 0 END)", col)
		}
		return `
SELECT coalesce(region, ''), survey_date, sum(sign), sum(CASE WHEN gender = 'P' THEN sign ELSE 0 END)` + problems.String() + `
FROM (` + src + `)
GROUP BY GROUPING SETS ((region, survey_date), (survey_date))`
	},
}

// groupDays holds, per scope (a region, or the empty string for the whole
// program), measure and day, what the organizing log changes that day in
// the running totals the targets query reads
// (migrations/015_target_rollups.sql): reading them there, not from every
// row of group_stages, is what keeps that query fast. src holds every row
// of each group it names, and a group's contribution depends on its rows
// alone.
var groupDays = rollup{
	table: "group_days",
	over:  GroupStages,
	keys:  []string{"scope", "measure", "day"},
	sums:  []string{"change"},
	cells: func(src string) string {
		var firsts, earliest, stages []string
		for n := 1; n <= 6; n++ {
			firsts = append(firsts, fmt.Sprintf(`min(reached_on) FILTER (WHERE stage >= %[1]d) AS "%[1]d"`, n))
			earliest = append(earliest, fmt.Sprintf(`min("%d")`, n))
			stages = append(stages, fmt.Sprintf(`"%d"`, n))
		}
		// The first day at each stage or a later one of a group in each of
		// its regions; over all regions, the earliest of those.
		return `
WITH src AS (` + src + `), regional AS (
	SELECT lower(group_code) AS grp, region AS scope, any_value(sign) AS sign, ` + strings.Join(firsts, ", ") + `
	FROM src
	GROUP BY ALL
), firsts AS (
	FROM regional
	UNION ALL
	SELECT grp, '', any_value(sign), ` + strings.Join(earliest, ", ") + ` FROM regional GROUP BY grp
), reports AS (
	SELECT lower(group_code) AS grp, region, sign, reached_on AS day, ` + latestStageRow + ` AS latest, members
	FROM src
	WHERE members IS NOT NULL
), changes AS (
	SELECT scope, 'stage_' || stage AS measure, day, sign AS change
	FROM (UNPIVOT firsts ON ` + strings.Join(stages, ", ") + ` INTO NAME stage VALUE day)
	UNION ALL
	SELECT region, 'members', day,
		sign * (members - coalesce(lag(members) OVER (PARTITION BY grp, region ORDER BY latest, members), 0))
	FROM reports
	UNION ALL
	SELECT '', 'members', day, sign * (members - coalesce(lag(members) OVER (PARTITION BY grp ORDER BY latest, members), 0))
	FROM reports
)
SELECT scope, measure, day, sum(change)::BIGINT
FROM changes
GROUP BY ALL
HAVING sum(change) <> 0`
	},
}

// singleRegionRowsSQL is the rows of src (every row of each group in it)
// of the groups whose rows all name one region, with group_key.
func singleRegionRowsSQL(src string) string {
	return `
	WITH s AS (SELECT *, lower(group_code) AS group_key FROM (` + src + `)),
	r AS (FROM s WHERE group_key IN (SELECT group_key FROM s GROUP BY 1 HAVING count(DISTINCT region) = 1))`
}

// The days that mean no row before and no row after (migration 016).
const (
	noRowBefore = `DATE '0001-01-01'`
	noRowAfter  = `DATE '9999-12-31'`
)

var groupSpans = rollup{
	table: "group_spans",
	over:  GroupStages,
	keys:  []string{"region", "stage", "after", "reached_on", "until"},
	sums:  []string{"groups"},
	cells: func(src string) string {
		return singleRegionRowsSQL(src) + `, spans AS (
		SELECT r.region, r.stage, r.reached_on, any_value(r.sign) AS sign,
			max(h.reached_on) FILTER (WHERE h.reached_on < r.reached_on) AS after,
			min(h.reached_on) FILTER (WHERE h.reached_on > r.reached_on) AS until,
			count(h.reached_on) FILTER (WHERE h.reached_on = r.reached_on) AS same_day
		FROM r LEFT JOIN r AS h ON h.group_key = r.group_key AND h.stage > r.stage
		GROUP BY r.group_key, r.region, r.stage, r.reached_on
	)
	SELECT region, stage, coalesce(after, ` + noRowBefore + `), reached_on, coalesce(until, ` + noRowAfter + `), sum(sign)
	FROM spans
	WHERE same_day = 0
	GROUP BY ALL`
	},
}

var memberSpans = rollup{
	table: "member_spans",
	over:  GroupStages,
	keys:  []string{"region", "reached_on", "until"},
	sums:  []string{"rows", "members"},
	cells: func(src string) string {
		// A row's until is the day of the next row with a count, in the
		// order of day and stage; a next row on the same day hides it. A
		// window, not a self join: DuckDB plans the join's OR as a nested
		// loop, quadratic in the rows (7 s for 50,000 groups).
		return singleRegionRowsSQL(src) + `, spans AS (
		SELECT region, reached_on, sign, members,
			lead(reached_on) OVER (PARTITION BY group_key ORDER BY reached_on, stage) AS until
		FROM r
		WHERE members IS NOT NULL
	)
	SELECT region, reached_on, coalesce(until, ` + noRowAfter + `), sum(sign), sum(sign * members)
	FROM spans
	WHERE until IS DISTINCT FROM reached_on
	GROUP BY ALL`
	},
}

// rollupChange names, as SQL, what a commit or undo touches.
type rollupChange struct {
	respondents string // SELECT of the keys of the respondents it adds, changes or removes
	groups      string // SELECT of lower(group_code) of the organizing log rows it adds, changes or removes
	regions     string // SELECT of the regions whose UMK rows it adds, changes or removes
	// current is a SELECT of the current rows of those keys after the
	// change, when it is cheaper than looking them up (a commit's staged
	// rows); "" looks them up.
	current string
}

func deltaTable(r rollup) string { return "rollup_delta_" + r.table }

// before takes away, in temp delta tables, what the current rows the change
// touches add to the rollups. Call it before the current-state tables change.
func (c rollupChange) before(ctx context.Context, q querier) error {
	src, err := c.touchedRows(ctx, q, "")
	if err != nil {
		return err
	}
	for _, r := range rollups {
		for _, s := range []string{
			`CREATE OR REPLACE TEMP TABLE ` + deltaTable(r) + ` AS FROM ` + r.table + ` LIMIT 0`,
			`INSERT INTO ` + deltaTable(r) + r.cells(`SELECT *, -1 AS sign FROM `+src[r.over]),
		} {
			if _, err := q.ExecContext(ctx, s); err != nil {
				return fmt.Errorf("rollup %s: %w", r.table, err)
			}
		}
	}
	return dropTouched(ctx, q)
}

// touched is the temp table that holds the rows of kind k a change touches.
func touched(k Kind) string { return "rollup_rows_" + string(k) }

// touchedRows keeps the rows the change touches in temp tables (touched),
// so that each rollup reads them there rather than look them up again among
// all the current rows: the current respondents of its keys, and every
// current row of the groups it touches. It returns, per kind, the relation
// the rollups read. With currentRespondents (a commit's staged rows, read
// where they lie) the respondents are not copied: a copy of a big batch
// would hold all of it in memory or spill it to disk, for nothing.
func (c rollupChange) touchedRows(ctx context.Context, q querier, currentRespondents string) (map[Kind]string, error) {
	src := map[Kind]string{Respondents: "temp." + touched(Respondents), GroupStages: "temp." + touched(GroupStages)}
	rows := map[Kind]string{
		Respondents: `SELECT * FROM respondents WHERE key IN (` + c.respondents + `)`,
		GroupStages: `SELECT * FROM group_stages WHERE lower(group_code) IN (` + c.groups + `)`,
	}
	if c.groups == "" {
		rows[GroupStages] = `FROM group_stages LIMIT 0`
	}
	if currentRespondents != "" {
		src[Respondents] = `(` + currentRespondents + `)`
		delete(rows, Respondents)
	}
	for k, rows := range rows {
		if _, err := q.ExecContext(ctx, `CREATE OR REPLACE TEMP TABLE `+touched(k)+` AS `+rows); err != nil {
			return nil, fmt.Errorf("rollups: %w", err)
		}
	}
	return src, nil
}

// dropTouched drops touchedRows' temp tables as soon as they are read, so
// that they do not take memory while the current rows change.
func dropTouched(ctx context.Context, q querier) error {
	for _, k := range []Kind{Respondents, GroupStages} {
		if _, err := q.ExecContext(ctx, `DROP TABLE IF EXISTS temp.`+touched(k)); err != nil {
			return fmt.Errorf("rollups: %w", err)
		}
	}
	return nil
}

// after adds to the deltas what the current rows the change touched add now,
// applies them to the rollups and rebuilds the cells of the regions whose
// UMK changed. Call it after the current-state tables changed.
func (c rollupChange) after(ctx context.Context, q querier) error {
	var umkChanged int
	if err := q.QueryRowContext(ctx, `SELECT count(*) FROM (`+c.regions+`)`).Scan(&umkChanged); err != nil {
		return fmt.Errorf("rollups: %w", err)
	}
	src, err := c.touchedRows(ctx, q, c.current)
	if err != nil {
		return err
	}
	for _, r := range rollups {
		if err := r.apply(ctx, q, `SELECT *, 1 AS sign FROM `+src[r.over]); err != nil {
			return err
		}
		if r.umk && umkChanged > 0 {
			if err := r.rebuild(ctx, q, `region IN (`+c.regions+`)`); err != nil {
				return err
			}
		}
	}
	return dropTouched(ctx, q)
}

// apply adds the contributions of src to the delta table, then the delta to
// the cells it names; cells left with no respondents go.
func (r rollup) apply(ctx context.Context, q querier, src string) error {
	delta, merged := deltaTable(r), "rollup_merged_"+r.table
	var on, sums []string
	for _, k := range r.keys {
		on = append(on, fmt.Sprintf("c.%[1]s = d.%[1]s", k))
	}
	for _, s := range r.sums {
		sums = append(sums, fmt.Sprintf("sum(%[1]s)::BIGINT AS %[1]s", s))
	}
	keys := strings.Join(r.keys, ", ")
	steps := []string{
		`INSERT INTO ` + delta + r.cells(src),
		`CREATE OR REPLACE TEMP TABLE ` + merged + ` AS
		SELECT ` + keys + `, ` + strings.Join(sums, ", ") + `
		FROM (SELECT c.* FROM ` + r.table + ` c SEMI JOIN ` + delta + ` d ON ` + strings.Join(on, " AND ") + `
		      UNION ALL SELECT * FROM ` + delta + `)
		GROUP BY ` + keys,
		`DELETE FROM ` + r.table + ` c USING ` + merged + ` d WHERE ` + strings.Join(on, " AND "),
		`INSERT INTO ` + r.table + ` SELECT * FROM ` + merged + ` WHERE ` + r.sums[0] + ` <> 0`,
		`DROP TABLE ` + delta,
		`DROP TABLE ` + merged,
	}
	for _, s := range steps {
		if _, err := q.ExecContext(ctx, s); err != nil {
			return fmt.Errorf("rollup %s: %w", r.table, err)
		}
	}
	return nil
}

// rebuild recomputes the cells of the rows where cond holds (a condition on
// the columns shared by the kind's table and the rollup; for groups, only
// "true") from the current rows.
func (r rollup) rebuild(ctx context.Context, q querier, cond string) error {
	steps := []string{
		`DELETE FROM ` + r.table + ` WHERE ` + cond,
		`INSERT INTO ` + r.table + r.cells(`SELECT *, 1 AS sign FROM `+string(r.over)+` WHERE `+cond),
	}
	for _, s := range steps {
		if _, err := q.ExecContext(ctx, s); err != nil {
			return fmt.Errorf("rebuild %s: %w", r.table, err)
		}
	}
	return nil
}

// fill computes rollups from the current rows: the fill step of the
// migration that adds them, for a database that already holds data.
func fill(rollups ...rollup) func(context.Context, querier) error {
	return func(ctx context.Context, q querier) error {
		for _, r := range rollups {
			if err := r.rebuild(ctx, q, "true"); err != nil {
				return err
			}
		}
		return nil
	}
}
