package queries

import (
	"context"
	"fmt"
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

// rollup is one aggregate table over the current respondents.
type rollup struct {
	table string
	keys  []string // the cell's key columns, never NULL
	sums  []string // the additive columns; the first counts the respondents
	umk   bool     // whether a cell depends on the regions table
	// cells aggregates the rows of the relation named src (the columns of
	// respondents, plus sign: +1 adds the row, -1 takes it away) into the
	// table's columns, in order.
	cells func(src string) string
}

var rollups = []rollup{respondentCells, productCells}

// problemColumns are the columns of the nine problems in respondents, a..i.
var problemColumns = func() (cols [9]string) {
	for i, code := range ProblemCodes {
		cols[i] = "p_" + code
	}
	return cols
}()

var respondentCells = rollup{
	table: "respondent_cells",
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
	keys:  []string{"survey_date", "region", "gender", "work_type", "product"},
	sums:  []string{"respondents"},
	cells: func(src string) string {
		return `
SELECT survey_date, region, coalesce(gender, ''), work_type, coalesce(product, ''), sum(sign)
FROM (` + src + `)
GROUP BY ALL`
	},
}

// rollupChange names, as SQL, what a commit or undo touches.
type rollupChange struct {
	respondents string // SELECT of the keys of the respondents it adds, changes or removes
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
	if err := touchedRows(ctx, q, `SELECT * FROM respondents WHERE key IN (`+c.respondents+`)`); err != nil {
		return err
	}
	for _, r := range rollups {
		for _, s := range []string{
			`CREATE OR REPLACE TEMP TABLE ` + deltaTable(r) + ` AS FROM ` + r.table + ` LIMIT 0`,
			`INSERT INTO ` + deltaTable(r) + r.cells(`SELECT *, -1 AS sign FROM temp.rollup_rows`),
		} {
			if _, err := q.ExecContext(ctx, s); err != nil {
				return fmt.Errorf("rollup %s: %w", r.table, err)
			}
		}
	}
	return nil
}

// touchedRows keeps the rows of query in temp.rollup_rows, so that each
// rollup reads them there rather than look them up again among all the
// respondents.
func touchedRows(ctx context.Context, q querier, query string) error {
	if _, err := q.ExecContext(ctx, `CREATE OR REPLACE TEMP TABLE rollup_rows AS `+query); err != nil {
		return fmt.Errorf("rollups: %w", err)
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
	current := c.current
	if current == "" {
		current = `SELECT * FROM respondents WHERE key IN (` + c.respondents + `)`
	}
	if err := touchedRows(ctx, q, current); err != nil {
		return err
	}
	for _, r := range rollups {
		if err := r.apply(ctx, q, `SELECT *, 1 AS sign FROM temp.rollup_rows`); err != nil {
			return err
		}
		if r.umk && umkChanged > 0 {
			if err := r.rebuild(ctx, q, `region IN (`+c.regions+`)`); err != nil {
				return err
			}
		}
	}
	if _, err := q.ExecContext(ctx, `DROP TABLE temp.rollup_rows`); err != nil {
		return fmt.Errorf("rollups: %w", err)
	}
	return nil
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

// rebuild recomputes the cells of the respondents where cond holds (a
// condition on the columns shared by respondents and the rollup) from the
// current respondents.
func (r rollup) rebuild(ctx context.Context, q querier, cond string) error {
	steps := []string{
		`DELETE FROM ` + r.table + ` WHERE ` + cond,
		`INSERT INTO ` + r.table + r.cells(`SELECT *, 1 AS sign FROM respondents WHERE `+cond),
	}
	for _, s := range steps {
		if _, err := q.ExecContext(ctx, s); err != nil {
			return fmt.Errorf("rebuild %s: %w", r.table, err)
		}
	}
	return nil
}

// fillRollups computes every rollup from the current rows: migration 3's
// fill step for a database that already holds data.
func fillRollups(ctx context.Context, q querier) error {
	for _, r := range rollups {
		if err := r.rebuild(ctx, q, "true"); err != nil {
			return err
		}
	}
	return nil
}
