package queries

import (
	"context"
	"fmt"
	"time"
)

// The metrics of the dashboards' charts beyond Summary. Each validates its
// filter like the others (an invalid one is EINVALID), says which parts of
// it apply, and returns empty lists, never nil ones.

// ProblemSplit is the nine problems among one group of the filtered respondents.
type ProblemSplit struct {
	Group       string         `json:"group"`
	Respondents int            `json:"respondents"`
	Problems    []ProblemShare `json:"problems"` // a..i, as ProblemPrevalence
}

// ProblemsByWorkType splits the respondents RespondentCounts counts for f
// (every part of f applies) by work type: always two entries, "POS" then
// "SE", each with its number of respondents and all nine problems a..i as
// ProblemPrevalence gives them. A work type without respondents (say, under
// a work type filter) is there with 0 and nil shares.
func (db *DB) ProblemsByWorkType(ctx context.Context, f Filter) ([]ProblemSplit, error) {
	rf, err := db.RespondentFigures(ctx, f)
	if err != nil {
		return nil, err
	}
	return rf.ByWorkType(), nil
}

// ProblemsByGender splits the respondents RespondentCounts counts for f
// (every part of f applies) by gender: always three entries, "P", "L" and ""
// (not stated), in that order, each with its number of respondents and all
// nine problems a..i as ProblemPrevalence gives them.
func (db *DB) ProblemsByGender(ctx context.Context, f Filter) ([]ProblemSplit, error) {
	rf, err := db.RespondentFigures(ctx, f)
	if err != nil {
		return nil, err
	}
	return rf.ByGender(), nil
}

func (c *problemCounts) add(o problemCounts) {
	for i := range c {
		c[i].yes += o[i].yes
		c[i].answered += o[i].answered
	}
}

// ProductCount is the number of filtered respondents making one product.
type ProductCount struct {
	Product string `json:"product"` // "" = not stated
	Total   int    `json:"total"`   // POS + SE
	POS     int    `json:"POS"`
	SE      int    `json:"SE"`
}

// productsSQL counts the filtered respondents per Produk as stored and work
// type, over the filtered cells of product_cells (where a product not stated
// is the empty text), then adds up the spellings of one product (compared
// case-insensitively), naming it by its most common spelling (ties: the
// first in sort order).
const productsSQL = `
WITH cells AS (
	SELECT product, work_type, sum(respondents) AS n
	FROM product_cells` + respondentFilterSQL + `
	GROUP BY product, work_type
)` + productSpellingsSQL

// productSpellingsSQL follows a CTE cells of (product, work_type, n): it
// adds up the spellings of one product and names each by its commonest.
const productSpellingsSQL = `, spellings AS (
	SELECT coalesce(product, '') AS product, sum(n) AS total,
		coalesce(sum(n) FILTER (WHERE work_type = 'POS'), 0) AS pos,
		coalesce(sum(n) FILTER (WHERE work_type = 'SE'), 0) AS se
	FROM cells
	GROUP BY 1
)
SELECT arg_min(product, (-total, product)) AS product, sum(total)::BIGINT AS total,
	sum(pos)::BIGINT, sum(se)::BIGINT
FROM spellings
GROUP BY lower(product)
ORDER BY total DESC, product`

// RespondentsByProduct counts the respondents RespondentCounts counts for f
// (every part of f applies) per product or sector (Produk), split by work
// type. Products are compared case-insensitively and shown in their most
// common spelling; respondents without one are counted under "". Sorted by
// total, largest first, then by product.
func (db *DB) RespondentsByProduct(ctx context.Context, f Filter) ([]ProductCount, error) {
	if err := f.validate(); err != nil {
		return nil, err
	}
	return respondentsByProduct(ctx, db.sql, f)
}

func respondentsByProduct(ctx context.Context, q querier, f Filter) ([]ProductCount, error) {
	return scanRows(ctx, q, "respondents by product", productsSQL, respondentArgs(f), func(p *ProductCount) []any {
		return []any{&p.Product, &p.Total, &p.POS, &p.SE}
	})
}

// WageAgainstUMK compares the monthly wages of one region's respondents with
// the region's minimum wage (UMK).
type WageAgainstUMK struct {
	Region      string `json:"region"`
	Respondents int    `json:"respondents"` // those with a wage and a UMK to compare it with
	MeanWage    int64  `json:"mean_wage"`   // rupiah, rounded
	UMK         int64  `json:"umk"`         // the UMK of the latest year used
	BelowUMK    int    `json:"below_umk"`   // wage < the UMK of the respondent's year
}

// WagesAgainstUMK compares wages with the minimum wage, per region (sorted
// by region name), over the respondents RespondentCounts counts for f
// (every part of f applies) who state a monthly wage (Upah per Bulan) and
// whose region has a UMK (from Wilayah sheets) for the year of their survey
// date, or else for the latest year before it; respondents with neither are
// not counted, and a region none of whose respondents count is left out.
// The mean is rounded to whole rupiah; BelowUMK counts wages strictly below
// the UMK of the respondent's own year; UMK is the one of the latest year
// used in the region. (An exact median was dropped: over a million wages it
// doubled the query's time, past the dashboard's 50 ms budget per chart.)
func (db *DB) WagesAgainstUMK(ctx context.Context, f Filter) ([]WageAgainstUMK, error) {
	rf, err := db.RespondentFigures(ctx, f)
	if err != nil {
		return nil, err
	}
	return rf.Wages(), nil
}

// RegionOrganizing is the organizing progress of one region.
type RegionOrganizing struct {
	Region  string `json:"region"`
	Groups  int    `json:"groups"`
	AtStage [6]int `json:"at_stage"` // AtStage[s-1]: groups whose highest stage is s
	Members int    `json:"members"`
}

// splitGroupsSQL is the CTE split: each group whose rows name more than one
// region, reduced to its latest region, highest stage and latest members
// among its rows in the filter's regions and period.
const splitGroupsSQL = `split AS (
	SELECT group_key,
		arg_max(region, ` + latestStageRow + `) AS region,
		max(stage) AS stage,
		arg_max(nullif(members, -1), ` + latestStageRow + `) FILTER (WHERE members >= 0) AS members
	FROM split_group_rows
	WHERE ` + inRegionsSQL + `
	  AND ($from::DATE IS NULL OR reached_on >= $from::DATE)
	  AND ($to::DATE IS NULL OR reached_on <= $to::DATE)
	GROUP BY group_key
)`

// groupsInPeriodSQL is OrganizingByRegion with a period, from the rollups:
// group_spans and member_spans for the groups whose rows name one region
// (see migration 016: each such group in the filter adds its one row there
// that the period selects), and the rows of the others, reduced as
// groupsByRegionSQL does, within the period.
const groupsInPeriodSQL = `
WITH ` + splitGroupsSQL + `, cells AS (
	SELECT region, stage, groups, 0 AS members
	FROM group_spans
	WHERE ` + inRegionsSQL + `
	  AND ($from::DATE IS NULL OR reached_on >= $from::DATE)
	  AND ($to::DATE IS NULL OR reached_on <= $to::DATE)
	  AND (after = ` + noRowBefore + ` OR after < $from::DATE)
	  AND (until = ` + noRowAfter + ` OR until > $to::DATE)
	UNION ALL
	SELECT region, 0, 0, members
	FROM member_spans
	WHERE ` + inRegionsSQL + `
	  AND ($from::DATE IS NULL OR reached_on >= $from::DATE)
	  AND ($to::DATE IS NULL OR reached_on <= $to::DATE)
	  AND (until = ` + noRowAfter + ` OR until > $to::DATE)
	UNION ALL
	SELECT region, stage, 1, coalesce(members, 0) FROM split
)` + groupsPerRegionSQL

// groupsByRegionSQL is OrganizingByRegion without a period, from the
// rollups: group_cells for the groups whose rows name one region, and the
// rows of the others, reduced as OrganizingByRegion says. $from and $to
// are NULL.
const groupsByRegionSQL = `
WITH ` + splitGroupsSQL + `, cells AS (
	SELECT region, stage, groups, members FROM group_cells WHERE ` + inRegionsSQL + `
	UNION ALL
	SELECT region, stage, 1, coalesce(members, 0) FROM split
)` + groupsPerRegionSQL

// groupsPerRegionSQL adds up a CTE cells of (region, stage, groups,
// members) per region: groups, groups at each highest stage 1..6, members.
const groupsPerRegionSQL = `
SELECT region, sum(groups)::BIGINT,
	coalesce(sum(groups) FILTER (WHERE stage = 1), 0)::BIGINT,
	coalesce(sum(groups) FILTER (WHERE stage = 2), 0)::BIGINT,
	coalesce(sum(groups) FILTER (WHERE stage = 3), 0)::BIGINT,
	coalesce(sum(groups) FILTER (WHERE stage = 4), 0)::BIGINT,
	coalesce(sum(groups) FILTER (WHERE stage = 5), 0)::BIGINT,
	coalesce(sum(groups) FILTER (WHERE stage = 6), 0)::BIGINT,
	sum(members)::BIGINT
FROM cells
GROUP BY region
HAVING sum(groups) > 0
ORDER BY region`

// OrganizingByRegion is OrganizingFunnel per region: only f.Regions and the
// period (on the date a stage was reached) apply. Over the organizing log
// rows in the filter, a group (code compared case-insensitively) is at the
// highest stage among its rows and has its latest reported members, as in
// OrganizingFunnel; per region (sorted by name; regions without groups left
// out) it gives the groups, how many are at each highest stage 1..6, and
// their members. A group whose rows name two regions counts once, in the
// region of its latest row in the filter, so Groups and Members summed over
// the regions equal OrganizingFunnel's for the same filter.
func (db *DB) OrganizingByRegion(ctx context.Context, f Filter) ([]RegionOrganizing, error) {
	if err := f.validate(); err != nil {
		return nil, err
	}
	return organizingByRegion(ctx, db.sql, f)
}

func organizingByRegion(ctx context.Context, q querier, f Filter) ([]RegionOrganizing, error) {
	query := groupsInPeriodSQL
	if f.From.IsZero() && f.To.IsZero() {
		query = groupsByRegionSQL
	}
	return scanRows(ctx, q, "organizing by region", query, []any{regionsArg(f), fromArg(f), toArg(f)}, func(r *RegionOrganizing) []any {
		dest := []any{&r.Region, &r.Groups}
		for i := range r.AtStage {
			dest = append(dest, &r.AtStage[i])
		}
		return append(dest, &r.Members)
	})
}

// MonthCount is the number of groups formed in one calendar month.
type MonthCount struct {
	Month      string `json:"month"` // "2014-09"
	Formed     int    `json:"formed"`
	Cumulative int    `json:"cumulative"` // formed in this month and the months before it in the list
}

// formedSQL counts the groups formed in the period per month, from the
// rollups: formed_cells for the groups whose rows name one region, and the
// rows of the others in the regions, each dated by its first row at stage 4
// (Pembentukan Kelompok) or later.
const formedSQL = `
WITH formed AS (
	SELECT formed_on, groups FROM formed_cells WHERE ` + inRegionsSQL + `
	UNION ALL
	SELECT min(reached_on) FILTER (WHERE stage >= 4), 1
	FROM split_group_rows
	WHERE ` + inRegionsSQL + `
	GROUP BY group_key
)
SELECT strftime(formed_on, '%Y-%m') AS month, sum(groups)::BIGINT
FROM formed
WHERE formed_on IS NOT NULL
  AND ($from::DATE IS NULL OR formed_on >= $from::DATE)
  AND ($to::DATE IS NULL OR formed_on <= $to::DATE)
GROUP BY month
ORDER BY month`

// GroupsFormedByMonth counts the groups formed per calendar month. A group
// (code compared case-insensitively) is formed on the first date it reached
// stage 4 (Pembentukan Kelompok) or a later stage, among its organizing log
// rows in f.Regions; it counts when that date is within the period, so the
// period selects formation dates (a group formed before the period that
// reached stage 5 within it is not counted again). Gender and work type do
// not apply. Every month from the first to the last with a group formed is
// listed, in order, months without one as 0; Cumulative is the running
// total from the first month listed. No group formed gives an empty list.
func (db *DB) GroupsFormedByMonth(ctx context.Context, f Filter) ([]MonthCount, error) {
	if err := f.validate(); err != nil {
		return nil, err
	}
	return groupsFormedByMonth(ctx, db.sql, f)
}

func groupsFormedByMonth(ctx context.Context, q querier, f Filter) ([]MonthCount, error) {
	formed := map[string]int{}
	var first, last string
	rows, err := q.QueryContext(ctx, formedSQL, regionsArg(f), fromArg(f), toArg(f))
	if err != nil {
		return nil, fmt.Errorf("groups formed by month: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var month string
		var n int
		if err := rows.Scan(&month, &n); err != nil {
			return nil, fmt.Errorf("groups formed by month: %w", err)
		}
		formed[month] = n
		if first == "" {
			first = month
		}
		last = month
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("groups formed by month: %w", err)
	}
	list := []MonthCount{}
	if first == "" {
		return list, nil
	}
	const layout = "2006-01"
	start, err := time.Parse(layout, first)
	if err != nil {
		return nil, fmt.Errorf("groups formed by month: %w", err)
	}
	total := 0
	for m := start; ; m = m.AddDate(0, 1, 0) {
		month := m.Format(layout)
		total += formed[month]
		list = append(list, MonthCount{Month: month, Formed: formed[month], Cumulative: total})
		if month >= last {
			break
		}
	}
	return list, nil
}

// latestParticipantRow orders the rows of one person, latest last: by
// training date (rows without one first), then by key.
const latestParticipantRow = `(coalesce(training_date, DATE '0001-01-01'), key)`

// RosterEntry is one field facilitator and the trainings the person attended.
type RosterEntry struct {
	Name      string   `json:"name"`
	Role      string   `json:"role"`
	Region    string   `json:"region"`
	Gender    string   `json:"gender"`    // "P", "L" or "" (not stated)
	Trainings []string `json:"trainings"` // never null
}

// Not from a rollup: it lists people, from the few participant rows.
//
// rosterSQL merges the field facilitator rows of one person (same name
// case-insensitively, same role, same region) and lists the person's
// distinct trainings by their first date (undated last), then name.
const rosterSQL = `
WITH person_rows AS (
	SELECT lower(name) AS name_key, lower(role) AS role_key, coalesce(region, '') AS region_key, *
	FROM participants
	WHERE field_facilitator
	  AND ` + inRegionsSQL + `
), people AS (
	SELECT name_key, role_key, region_key,
		arg_max(name, ` + latestParticipantRow + `) AS name,
		arg_max(role, ` + latestParticipantRow + `) AS role,
		coalesce(arg_max(gender, ` + latestParticipantRow + `) FILTER (WHERE gender IS NOT NULL), '') AS gender
	FROM person_rows
	GROUP BY name_key, role_key, region_key
), trainings AS (
	SELECT name_key, role_key, region_key,
		list(training ORDER BY first_date NULLS LAST, training) AS trainings
	FROM (
		SELECT name_key, role_key, region_key, training, min(training_date) AS first_date
		FROM person_rows
		WHERE training IS NOT NULL
		GROUP BY ALL
	)
	GROUP BY ALL
)
SELECT p.name, p.role, p.region_key, p.gender, coalesce(t.trainings, [])
FROM people p LEFT JOIN trainings t USING (name_key, role_key, region_key)
WHERE $gender::VARCHAR = '' OR p.gender = $gender::VARCHAR
ORDER BY p.region_key, p.name, p.role`

// FacilitatorRoster lists the field facilitators among the current
// participants, one entry per person, sorted by region, then name. Rows are
// one person when they have the same name (case-insensitively), role and
// region, as rows without an ID Peserta are keyed: someone who attended two
// trainings under two IDs appears once. Name and role are those of the
// person's latest row (by training date), gender the latest one stated ("" if
// none). Trainings are the person's distinct Kegiatan, by their first date
// (undated ones last), then name. Only f.Regions (on the region) and
// f.Gender (on the person's gender) apply; work type and period do not.
func (db *DB) FacilitatorRoster(ctx context.Context, f Filter) ([]RosterEntry, error) {
	if err := f.validate(); err != nil {
		return nil, err
	}
	list := []RosterEntry{}
	rows, err := db.sql.QueryContext(ctx, rosterSQL, regionsArg(f), genderArg(f))
	if err != nil {
		return nil, fmt.Errorf("facilitator roster: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var e RosterEntry
		var trainings []any
		if err := rows.Scan(&e.Name, &e.Role, &e.Region, &e.Gender, &trainings); err != nil {
			return nil, fmt.Errorf("facilitator roster: %w", err)
		}
		e.Trainings = make([]string, 0, len(trainings))
		for _, t := range trainings {
			s, ok := t.(string)
			if !ok {
				return nil, fmt.Errorf("facilitator roster: training %v is %T, not text", t, t)
			}
			e.Trainings = append(e.Trainings, s)
		}
		list = append(list, e)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("facilitator roster: %w", err)
	}
	return list, nil
}

// RoleCount is the number of program staff in one role (Jabatan).
type RoleCount struct {
	Role string `json:"role"`
	GenderCounts
	Total int `json:"total"` // Female + Male + Unknown
}

// staffSQL merges the rows of one person as rosterSQL does, takes each
// person's role spelling and gender from the latest row, then counts the
// people per role compared case-insensitively, under the spelling most
// people have (ties: the first in sort order).
const staffSQL = `
WITH people AS (
	SELECT lower(role) AS role_key,
		arg_max(role, ` + latestParticipantRow + `) AS role,
		arg_max(gender, ` + latestParticipantRow + `) FILTER (WHERE gender IS NOT NULL) AS gender
	FROM participants
	WHERE ` + inRegionsSQL + `
	GROUP BY lower(name), lower(role), coalesce(region, '')
), spellings AS (
	SELECT role_key, role, count(*) AS total,
		coalesce(count_if(gender = 'P'), 0) AS female, -- NULL, not 0, when every gender is NULL
		coalesce(count_if(gender = 'L'), 0) AS male,
		count_if(coalesce(gender, '') NOT IN ('P', 'L')) AS unknown
	FROM people
	WHERE $gender::VARCHAR = '' OR gender = $gender::VARCHAR
	GROUP BY role_key, role
)
SELECT arg_min(role, (-total, role)) AS role,
	sum(female)::BIGINT, sum(male)::BIGINT, sum(unknown)::BIGINT, sum(total)::BIGINT AS total
FROM spellings
GROUP BY role_key
ORDER BY total DESC, role`

// StaffByRole counts the program staff, every current participant, field
// facilitators included, per role (Jabatan): roles are compared
// case-insensitively and shown in the spelling most people have. Rows are
// people as FacilitatorRoster merges them, each counted once, by the gender
// of the latest row that states one. f.Regions applies to people with a
// region; people without one (the program's managers, say) are counted only
// when f.Regions is empty. f.Gender applies; work type and period do not.
// Sorted by total, largest first, then role.
func (db *DB) StaffByRole(ctx context.Context, f Filter) ([]RoleCount, error) {
	if err := f.validate(); err != nil {
		return nil, err
	}
	return scanRows(ctx, db.sql, "staff by role", staffSQL, []any{regionsArg(f), genderArg(f)}, func(r *RoleCount) []any {
		return []any{&r.Role, &r.Female, &r.Male, &r.Unknown, &r.Total}
	})
}
