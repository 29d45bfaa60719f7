package queries

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"time"
)

// directInScopesSQL keeps the rows the targets need: all of them for a
// program-wide target ($whole), else those of the targets' regions.
const directInScopesSQL = `($whole OR list_contains($regions::VARCHAR[], region))`

// directRespondentDaysSQL adds up from the respondent_cells rollup what
// respondentDaysSQL reads from respondent_days, as the targets query did
// before that rollup: per region and survey day and per survey day over all
// regions.
var directRespondentDaysSQL = func() string {
	sums := []string{"sum(respondents)", "coalesce(sum(respondents) FILTER (WHERE gender = 'P'), 0)"}
	for _, p := range ProblemCodes {
		sums = append(sums, fmt.Sprintf("sum(%[1]s_yes)", p), fmt.Sprintf("sum(%[1]s_answered)", p))
	}
	return `
SELECT coalesce(region, ''), survey_date, ` + strings.Join(sums, "::BIGINT, ") + `::BIGINT
FROM respondent_cells
WHERE ` + directInScopesSQL + `
GROUP BY GROUPING SETS ((region, survey_date), (survey_date))
ORDER BY 1, 2`
}()

// directGroupDaysSQL computes from the rows of group_stages what
// groupDaysSQL reads from the group_days rollup, as the targets query did
// before that rollup. With directRespondentDaysSQL, the tests' reference
// for the target rollups and the baseline of BenchmarkTargets. Per region (and over all regions) it counts, per stage
// N and day, the groups that first stood at stage N or a later one that day,
// and adds up the change each Jumlah Anggota report makes to its group's
// latest report.
var directGroupDaysSQL = func() string {
	var firsts, earliest, names []string
	for n := 1; n <= 6; n++ {
		firsts = append(firsts, fmt.Sprintf("min(reached_on) FILTER (WHERE stage >= %[1]d) AS \"%[1]d\"", n))
		earliest = append(earliest, fmt.Sprintf(`min("%d")`, n))
		names = append(names, fmt.Sprintf(`"%d"`, n))
	}
	return `
WITH regional AS MATERIALIZED (
	SELECT lower(group_code) AS grp, region AS scope, ` + strings.Join(firsts, ", ") + `
	FROM group_stages
	WHERE ` + directInScopesSQL + `
	GROUP BY ALL
), firsts AS (
	FROM regional
	UNION ALL
	SELECT grp, '' AS scope, ` + strings.Join(earliest, ", ") + ` FROM regional WHERE $whole GROUP BY grp
), stages AS (
	SELECT scope, 'stage_' || stage AS measure, day, count(*) AS change
	FROM (UNPIVOT firsts ON ` + strings.Join(names, ", ") + ` INTO NAME stage VALUE day)
	GROUP BY ALL
), reports AS (
	SELECT lower(group_code) AS grp, region, reached_on AS day, ` + latestStageRow + ` AS latest, members
	FROM group_stages
	WHERE members IS NOT NULL AND ` + directInScopesSQL + `
), changes AS (
	SELECT region AS scope, day, members - coalesce(lag(members) OVER (PARTITION BY grp, region ORDER BY latest, members), 0) AS change
	FROM reports
	UNION ALL
	SELECT '' AS scope, day, members - coalesce(lag(members) OVER (PARTITION BY grp ORDER BY latest, members), 0)
	FROM reports
	WHERE $whole
), members AS (
	SELECT scope, 'members' AS measure, day, sum(change) AS change
	FROM changes
	GROUP BY ALL
)
SELECT scope || '|' || measure, day, change::BIGINT
FROM (FROM stages UNION ALL FROM members)
WHERE change <> 0
ORDER BY 1, 2`
}()

// measuresDirectly runs the targets query with the queries of its
// rollups replaced by their direct references above.
type measuresDirectly struct{ *sql.Tx }

func (d measuresDirectly) QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	switch query {
	case respondentDaysSQL:
		query = directRespondentDaysSQL
	case groupDaysSQL:
		query = directGroupDaysSQL
	}
	return d.Tx.QueryContext(ctx, query, args...)
}

// TargetsDirect is Targets with the day's changes added up at the call,
// from respondent_cells and the rows of group_stages, as before the
// respondent_days and group_days rollups.
func (db *DB) TargetsDirect(ctx context.Context, f Filter, asOf time.Time) (*TargetReport, error) {
	tx, err := db.sql.BeginTx(ctx, nil)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	return targetReport(ctx, measuresDirectly{tx}, f, asOf)
}
