package queries

import (
	"cmp"
	"context"
	"database/sql"
	"database/sql/driver"
	"fmt"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/duckdb/duckdb-go/v2"
)

// The data quality report (WORKBOOKS.md, "Data quality"): flags on the
// current rows, completeness and timeliness. Flags are findings, never
// errors; each is computed afresh from the rows, so an import or an undo
// changes them at once, and a check (quality_checks) holds while the flagged
// value is the one checked.

// Flag kinds, in the order the report lists them.
const (
	FlagWageOutlier       = "wage_outlier"
	FlagFacilitatorRegion = "facilitator_region"
	FlagSurveyBurst       = "survey_burst"
	FlagUnanswered        = "unanswered"
	FlagStageOrder        = "stage_order"
	FlagStageSkipped      = "stage_skipped"
	FlagMembersDrop       = "members_drop"
	FlagAreaUnknown       = "area_unknown"
)

// FlagKinds are the kinds the report computes.
var FlagKinds = []string{FlagWageOutlier, FlagFacilitatorRegion, FlagSurveyBurst, FlagUnanswered,
	FlagStageOrder, FlagStageSkipped, FlagMembersDrop, FlagAreaUnknown}

// FlagNames name the kinds for people.
var FlagNames = map[string]Message{
	FlagWageOutlier:       {ID: "Upah pencilan", EN: "Wage outlier"},
	FlagFacilitatorRegion: {ID: "Fasilitator wilayah lain", EN: "Facilitator of another region"},
	FlagSurveyBurst:       {ID: "Survei menumpuk", EN: "Survey burst"},
	FlagUnanswered:        {ID: "Masalah tidak dijawab", EN: "No problem answered"},
	FlagStageOrder:        {ID: "Urutan tahap", EN: "Stage order"},
	FlagStageSkipped:      {ID: "Tahap terlewat", EN: "Stage skipped"},
	FlagMembersDrop:       {ID: "Anggota turun", EN: "Members drop"},
	FlagAreaUnknown:       {ID: "Kecamatan/desa tak dikenal", EN: "Unknown kecamatan/desa"},
}

// AreaCheck says whether a respondent's kecamatan, and its desa, are in the
// official area catalogue under the region of code regionCode: the text
// that is not (the kecamatan's when neither is) and why, with the nearest
// official names; "" when both are. The catalogue is ingest's, which
// queries cannot import (DESIGN.md): the program gives it with
// CheckAreasWith, and without it the report raises no area_unknown flag.
type AreaCheck func(regionCode, region, district, village string) (unknown string, why Message)

// CheckAreasWith gives the database the area catalogue's check.
func (db *DB) CheckAreasWith(check AreaCheck) { db.areas.Store(&check) }

func (db *DB) areaCheck() AreaCheck {
	if p := db.areas.Load(); p != nil {
		return *p
	}
	return nil
}

// Thresholds of the flags.
const (
	outlierZ         = 3.5 // modified z-score, absolute
	outlierMinWages  = 10  // wages a region needs before its outliers count
	burstRespondents = 15  // more than this many on one day by one facilitator
)

// QualityReport is what `pantau quality --json` prints and GET
// /api/v1/quality answers. Its JSON form is a contract.
type QualityReport struct {
	Filter       Filter                    `json:"filter"`
	Counts       map[string]int            `json:"counts"`         // open (unchecked) flags per kind, every kind
	OpenByRegion map[string]map[string]int `json:"open_by_region"` // Counts per region of the flagged rows; no zeros
	Flags        []QualityFlag             `json:"flags"`          // none in QualitySummary
	Completeness Completeness              `json:"completeness"`
	Timeliness   Timeliness                `json:"timeliness"`
}

// QualityFlag is one finding on one row (for survey_burst, on one
// facilitator's day): where the current value came from and why it is
// flagged.
type QualityFlag struct {
	Kind        string  `json:"kind"`
	ImportID    int64   `json:"import_id"`
	Sheet       string  `json:"sheet"`
	Row         int     `json:"row"`
	Key         string  `json:"key"`
	Region      string  `json:"region"`
	Facilitator *string `json:"facilitator"`
	Value       string  `json:"value"`
	Message     string  `json:"message"`
	Checked     bool    `json:"checked"`
	CheckedBy   *string `json:"checked_by"`
	CheckedAt   *string `json:"checked_at"` // RFC 3339
	Note        *string `json:"note"`

	Of   Kind    `json:"-"` // the kind of row flagged (Respondents or GroupStages)
	Text Message `json:"-"` // Message in both languages
}

// Completeness is respondents per survey month, from the first to the last
// month with data in the filter, per region and per facilitator.
type Completeness struct {
	Months       []string            `json:"months"` // "2014-09"
	Regions      []RegionMonths      `json:"regions"`
	Facilitators []FacilitatorMonths `json:"facilitators"`
}

type RegionMonths struct {
	Region string `json:"region"`
	Counts []int  `json:"counts"` // per month of Months
}

type FacilitatorMonths struct {
	Name   string `json:"name"`
	Region string `json:"region"`
	Counts []int  `json:"counts"`
	Gaps   int    `json:"gaps"` // months with none between the facilitator's first and last
}

// Timeliness counts the respondent rows whose first import came more than
// LateAfterDays after the end of their survey month.
type Timeliness struct {
	LateAfterDays int              `json:"late_after_days"`
	Rows          int              `json:"rows"`
	Late          int              `json:"late"`
	ByRegion      []RegionLateness `json:"by_region"`
}

type RegionLateness struct {
	Region string `json:"region"`
	Rows   int    `json:"rows"`
	Late   int    `json:"late"`
}

// flagColumns is what every flag query selects, in order: the row's import,
// kind (for its sheet), row number, key, region, facilitator, value and a
// detail for the sentence.
//
// The respondent flags take respondentArgs; the group flags regionsArg,
// fromArg and toArg (period on the date a stage was reached).
var flagSQL = map[string]string{
	// The modified z-score of each wage within its region (all of the
	// region's wages, whatever the filter, so that a flag does not come and
	// go with the period chosen).
	FlagWageOutlier: `
WITH stats AS (
	SELECT region, median(monthly_wage) AS med, count(*) AS n
	FROM respondents WHERE monthly_wage IS NOT NULL GROUP BY region
), spread AS (
	SELECT r.region, any_value(s.med) AS med, any_value(s.n) AS n, median(abs(r.monthly_wage - s.med)) AS mad
	FROM respondents r JOIN stats s USING (region)
	WHERE r.monthly_wage IS NOT NULL
	GROUP BY r.region
), scored AS (
	SELECT r.*, 0.6745 * (r.monthly_wage - s.med) / s.mad AS z
	FROM respondents r JOIN spread s USING (region)
	WHERE r.monthly_wage IS NOT NULL AND s.n >= ` + fmt.Sprint(outlierMinWages) + ` AND s.mad > 0
)
SELECT import_id, 'respondents', row_number, key, region, facilitator, monthly_wage::VARCHAR, printf('%.1f', z)
FROM scored` + respondentFilterSQL + ` AND abs(z) > ` + fmt.Sprint(outlierZ),

	FlagFacilitatorRegion: `
WITH field AS (
	SELECT DISTINCT lower(name) AS name, region FROM participants
	WHERE field_facilitator AND region IS NOT NULL
), elsewhere AS (
	SELECT r.key, string_agg(DISTINCT f.region, ', ' ORDER BY f.region) AS regions
	FROM respondents r JOIN field f ON f.name = lower(r.facilitator) AND f.region <> r.region
	WHERE NOT EXISTS (SELECT 1 FROM field h WHERE h.name = lower(r.facilitator) AND h.region = r.region)
	GROUP BY r.key
)
SELECT import_id, 'respondents', row_number, key, region, facilitator, facilitator, e.regions
FROM respondents JOIN elsewhere e USING (key)` + respondentFilterSQL,

	// One flag per facilitator and day: the row of the day's first
	// respondent (by row number in its import) carries it; the key names the
	// facilitator and the day. Gender and work type do not apply: the day's
	// count is of every respondent.
	FlagSurveyBurst: `
SELECT arg_min(import_id, (import_id, row_number)), 'respondents', arg_min(row_number, (import_id, row_number)),
	lower(facilitator) || '|' || strftime(survey_date, '%Y-%m-%d'), min(region), arg_min(facilitator, (import_id, row_number)),
	count(*)::VARCHAR, strftime(survey_date, '%Y-%m-%d')
FROM respondents` + respondentFilterSQL + ` AND facilitator IS NOT NULL AND $gender::VARCHAR IS NOT NULL AND $work_type::VARCHAR IS NOT NULL
GROUP BY lower(facilitator), survey_date
HAVING count(*) > ` + fmt.Sprint(burstRespondents),

	FlagUnanswered: `
SELECT import_id, 'respondents', row_number, key, region, facilitator, respondent_id, ''
FROM respondents` + respondentFilterSQL + `
  AND p_a IS NULL AND p_b IS NULL AND p_c IS NULL AND p_d IS NULL AND p_e IS NULL
  AND p_f IS NULL AND p_g IS NULL AND p_h IS NULL AND p_i IS NULL`,

	// A stage reached before a lower stage of the same group: the row of
	// the higher stage, with the latest date among the lower ones.
	FlagStageOrder: `
WITH ordered AS (
	SELECT *, max(reached_on) OVER (PARTITION BY lower(group_code) ORDER BY stage
		ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING) AS lower_latest
	FROM group_stages
)
SELECT import_id, 'group_stages', row_number, key, region, facilitator,
	stage || ' (' || strftime(reached_on, '%Y-%m-%d') || ')', strftime(lower_latest, '%Y-%m-%d')
FROM ordered` + groupStageFilterSQL + ` AND lower_latest > reached_on`,

	// A group whose stages below its highest are not all there: the row of
	// its highest stage, with the missing stages.
	FlagStageSkipped: `
WITH per_group AS (
	SELECT lower(group_code) AS group_key, max(stage) AS top, list(stage) AS stages
	FROM group_stages GROUP BY group_key
	HAVING count(*) < max(stage)
)
SELECT g.import_id, 'group_stages', g.row_number, g.key, g.region, g.facilitator, g.stage::VARCHAR,
	array_to_string(list_filter(range(1, p.top), s -> NOT list_contains(p.stages, s)), ', ')
FROM group_stages g JOIN per_group p ON p.group_key = lower(g.group_code) AND p.top = g.stage` + groupStageFilterSQL,

	// A report of members under half the group's previous one (previous by
	// date reached, then stage, among the rows that report members).
	FlagMembersDrop: `
WITH reports AS (
	SELECT *, lag(members) OVER (PARTITION BY lower(group_code) ORDER BY ` + latestStageRow + `) AS previous
	FROM group_stages WHERE members IS NOT NULL
)
SELECT import_id, 'group_stages', row_number, key, region, facilitator, members::VARCHAR, previous::VARCHAR
FROM reports` + groupStageFilterSQL + ` AND members * 2 < previous`,

	// The rows whose kecamatan or desa has no official code (stored before
	// the catalogue, or not in it) whose names the AreaCheck does not know:
	// the unknown name, with the region's code, the kecamatan and the desa
	// as the detail (joined by a unit separator).
	FlagAreaUnknown: `
SELECT * FROM (
	SELECT import_id, 'respondents', row_number, key, region, facilitator,
		` + areaUnknownFunc + `(region_code, region, district, coalesce(village, '')) AS unknown,
		concat_ws(chr(31), region_code, district, coalesce(village, ''))
	FROM respondents` + respondentFilterSQL + `
  AND region_code IS NOT NULL AND district IS NOT NULL
  AND (district_code IS NULL OR (village IS NOT NULL AND village_code IS NULL))
) WHERE unknown <> ''`,
}

// flagMessage says why a flag is raised, from its value and detail.
func flagMessage(kind, value, detail string) Message {
	switch kind {
	case FlagWageOutlier:
		return Message{
			ID: fmt.Sprintf("upah Rp %s jauh dari upah lain di wilayahnya (skor-z termodifikasi %s; batas 3,5)", digitGroups(value, "."), strings.Replace(detail, ".", ",", 1)),
			EN: fmt.Sprintf("wage Rp %s is far from the other wages of its region (modified z-score %s; limit 3.5)", digitGroups(value, ","), detail)}
	case FlagFacilitatorRegion:
		if detail == "" {
			return Msgf("fasilitator %s adalah fasilitator lapang wilayah lain", "facilitator %s is a field facilitator of another region", value)
		}
		return Msgf("fasilitator %s adalah fasilitator lapang wilayah lain: %s", "facilitator %s is a field facilitator of another region: %s", value, detail)
	case FlagSurveyBurst:
		return Msgf("%s responden pada %s oleh satu fasilitator (lebih dari %d)", "%s respondents on %s by one facilitator (more than %d)", value, detail, burstRespondents)
	case FlagUnanswered:
		return Message{ID: "kesembilan masalah kosong", EN: "all nine problems are blank"}
	case FlagStageOrder:
		return Msgf("tahap %s dicapai sebelum tahap yang lebih rendah (%s)", "stage %s was reached before a lower stage (%s)", value, detail)
	case FlagStageSkipped:
		return Msgf("kelompok ada di tahap %s tanpa tahap %s", "the group is at stage %s without stage %s", value, detail)
	case FlagMembersDrop:
		return Msgf("jumlah anggota turun ke %s dari %s (kurang dari separuh)", "members fell to %s from %s (less than half)", value, detail)
	}
	return Message{ID: kind, EN: kind}
}

// digitGroups writes a whole number's digits in groups of three, "95.000.000".
func digitGroups(digits, sep string) string {
	for i := len(digits) - 3; i > 0 && digits[i-1] != '-'; i -= 3 {
		digits = digits[:i] + sep + digits[i:]
	}
	return digits
}

// Quality reads the quality report for a filter from one snapshot, with the
// flags of the given kinds (every kind when none) and their sentences in
// lang ("id" or "en"). Counts cover every kind.
func (db *DB) Quality(ctx context.Context, f Filter, kinds []string, lang string) (*QualityReport, error) {
	if err := f.validate(); err != nil {
		return nil, err
	}
	if err := KnownFlagKinds(kinds); err != nil {
		return nil, err
	}
	tx, err := db.sql.BeginTx(ctx, nil) // one snapshot; only read, rolled back
	if err != nil {
		return nil, fmt.Errorf("quality: %w", err)
	}
	defer tx.Rollback()
	return quality(ctx, tx, f, kinds, true, lang, db.areaCheck())
}

// QualitySummary is the quality report of f without its flags: what the
// quality page's tiles and charts and the summary workbook show. Its cost
// follows the flags' queries, not their number: none is held.
func (db *DB) QualitySummary(ctx context.Context, f Filter, lang string) (*QualityReport, error) {
	if err := f.validate(); err != nil {
		return nil, err
	}
	tx, err := db.sql.BeginTx(ctx, nil)
	if err != nil {
		return nil, fmt.Errorf("quality: %w", err)
	}
	defer tx.Rollback()
	return quality(ctx, tx, f, nil, false, lang, db.areaCheck())
}

// quality reads the quality report of a valid filter in the snapshot tx
// (Quality's, or the summary workbook's), area_unknown by areas; with
// listed, the flags of kinds (every kind if none) too.
func quality(ctx context.Context, tx querier, f Filter, kinds []string, listed bool, lang string, areas AreaCheck) (*QualityReport, error) {
	r := &QualityReport{Filter: f, Counts: map[string]int{}, OpenByRegion: map[string]map[string]int{}, Flags: []QualityFlag{}}
	q := flagQuery{q: tx, lang: lang, areas: areas}
	for _, kind := range FlagKinds {
		tally, err := q.tally(ctx, kind, f)
		if err != nil {
			return nil, err
		}
		r.Counts[kind] = 0
		for _, t := range tally {
			if t.checked {
				continue
			}
			r.Counts[kind] += t.n
			if r.OpenByRegion[t.region] == nil {
				r.OpenByRegion[t.region] = map[string]int{}
			}
			r.OpenByRegion[t.region][kind] += t.n
		}
		if listed && (len(kinds) == 0 || slices.Contains(kinds, kind)) {
			if _, err := q.each(ctx, kind, f, flagSelect{checked: true, limit: -1}, func(fl QualityFlag) {
				r.Flags = append(r.Flags, fl)
			}); err != nil {
				return nil, err
			}
		}
	}
	var err error
	if r.Completeness, err = completeness(ctx, tx, f); err != nil {
		return nil, err
	}
	if r.Timeliness, err = timeliness(ctx, tx, f); err != nil {
		return nil, err
	}
	return r, nil
}

// FlagList chooses flags of a quality report: a page of those of a kind
// (every kind if ""), naming a facilitator (any if ""), open or, with
// Checked, checked too.
type FlagList struct {
	Kind, Facilitator string
	Checked           bool
	Offset, Limit     int
}

// FlagPage is a page of flags and what the list around it holds.
type FlagPage struct {
	Flags        []QualityFlag
	Total        int      // flags FlagList chooses, over every page
	Facilitators []string // every facilitator a flag of the filter names, sorted
}

// QualityFlags is a page of the flags of f that list chooses, in the
// report's order, sentences in lang: counted and cut in SQL, so that a
// million flags are never held.
func (db *DB) QualityFlags(ctx context.Context, f Filter, list FlagList, lang string) (FlagPage, error) {
	page := FlagPage{Flags: []QualityFlag{}, Facilitators: []string{}}
	if err := f.validate(); err != nil {
		return page, err
	}
	if list.Kind != "" {
		if err := knownKind(list.Kind); err != nil {
			return page, err
		}
	}
	tx, err := db.sql.BeginTx(ctx, nil)
	if err != nil {
		return page, fmt.Errorf("quality: %w", err)
	}
	defer tx.Rollback()
	q := flagQuery{q: tx, lang: lang, areas: db.areaCheck()}
	named := map[string]bool{}
	for _, kind := range FlagKinds {
		tally, err := q.tally(ctx, kind, f)
		if err != nil {
			return page, err
		}
		chosen := 0
		for _, t := range tally {
			if t.facilitator != nil && !named[*t.facilitator] {
				named[*t.facilitator] = true
				page.Facilitators = append(page.Facilitators, *t.facilitator)
			}
			if (list.Kind == "" || list.Kind == kind) && (list.Checked || !t.checked) &&
				(list.Facilitator == "" || t.facilitator != nil && *t.facilitator == list.Facilitator) {
				chosen += t.n
			}
		}
		// This kind's flags are the list's [page.Total, page.Total+chosen).
		from, to := max(list.Offset, page.Total), min(list.Offset+list.Limit, page.Total+chosen)
		if from < to {
			sel := flagSelect{facilitator: list.Facilitator, checked: list.Checked, offset: from - page.Total, limit: to - from}
			if _, err := q.each(ctx, kind, f, sel, func(fl QualityFlag) { page.Flags = append(page.Flags, fl) }); err != nil {
				return page, err
			}
		}
		page.Total += chosen
	}
	slices.Sort(page.Facilitators)
	return page, nil
}

// KnownFlagKinds is nil when every kind is one of FlagKinds, else an
// EINVALID error naming the first that is not.
func KnownFlagKinds(kinds []string) error {
	for _, k := range kinds {
		if err := knownKind(k); err != nil {
			return err
		}
	}
	return nil
}

func knownKind(kind string) error {
	if !slices.Contains(FlagKinds, kind) {
		return Errorf(EINVALID, "jenis temuan %q tidak dikenal; yang ada: %s", "unknown flag kind %q; the kinds are: %s", kind, strings.Join(FlagKinds, ", "))
	}
	return nil
}

// groupFlags are the kinds flagged on the organizing log: their queries
// take the group filter's arguments, the others the respondent filter's.
var groupFlags = map[string]bool{FlagStageOrder: true, FlagStageSkipped: true, FlagMembersDrop: true}

// flagQuery reads flags from one snapshot.
type flagQuery struct {
	q     querier
	lang  string
	areas AreaCheck // the database's (areaUnknownFunc asks it); nil: no area_unknown flags
	rows  string    // a WITH clause putting other rows in place of the current ones (a pending batch's), or ""
	// before names a temp table of the flags of the current rows (key and
	// value, beforeFlags), or "": a flag of the same key and value there is
	// not new, and is left out.
	before string
}

// flagSelect narrows one kind's flags, in SQL.
type flagSelect struct {
	key, facilitator string // only the flag on this key, naming this facilitator ("": any)
	checked          bool   // checked flags as well as open ones
	offset, limit    int    // the page of them; limit < 0: all
}

// from is the flags of kind for f: the kind's query, the sheet of each
// row's import and, where one holds, its check (a check holds while the
// flagged value is the one checked).
func (q flagQuery) from(kind string) string {
	return `(` + flagSQL[kind] + `) AS f(import_id, kind, row_number, key, region, facilitator, value, detail)
		LEFT JOIN import_sheets s USING (import_id, kind)
		LEFT JOIN quality_checks c ON c.kind = '` + kind + `' AND c.key = f.key AND c.value = f.value`
}

// tallied is a count of one kind's flags by region, facilitator and
// whether they are checked.
type tallied struct {
	region      string
	facilitator *string
	checked     bool
	n           int
}

// tally counts one kind's flags for f: what the report's counts and a
// list's pages are made of, without holding a flag.
func (q flagQuery) tally(ctx context.Context, kind string, f Filter) ([]tallied, error) {
	if kind == FlagAreaUnknown && q.areas == nil {
		return nil, nil
	}
	rows, err := q.q.QueryContext(ctx, q.rows+`
		SELECT f.region, f.facilitator, c.key IS NOT NULL, count(*) FROM `+q.from(kind)+`
		GROUP BY ALL`, flagArgs(kind, f)...)
	if err != nil {
		return nil, fmt.Errorf("quality %s: %w", kind, err)
	}
	defer rows.Close()
	var tally []tallied
	for rows.Next() {
		var t tallied
		var facilitator sql.NullString
		if err := rows.Scan(&t.region, &facilitator, &t.checked, &t.n); err != nil {
			return nil, fmt.Errorf("quality %s: %w", kind, err)
		}
		if facilitator.Valid {
			t.facilitator = &facilitator.String
		}
		tally = append(tally, t)
	}
	return tally, rows.Err()
}

// each runs one kind's query for f and hands fn the flags sel chooses, in
// the report's order (region, then key), and returns how many it chooses
// over every page. DuckDB's results come whole, not streamed: the page is
// what keeps a million flags out of memory.
func (q flagQuery) each(ctx context.Context, kind string, f Filter, sel flagSelect, fn func(QualityFlag)) (count int, err error) {
	if kind == FlagAreaUnknown && q.areas == nil {
		return 0, nil
	}
	query, args := q.rows+`
		SELECT f.*, coalesce(s.sheet, ''), c.note, c.checked_by, c.checked_at, count(*) OVER ()
		FROM `+q.from(kind), flagArgs(kind, f)
	if q.before != "" {
		query += ` ANTI JOIN temp.` + q.before + ` b ON b.key = f.key AND b.value IS NOT DISTINCT FROM f.value`
	}
	query += ` WHERE true`
	if !sel.checked {
		query += ` AND c.key IS NULL`
	}
	if sel.key != "" {
		query, args = query+` AND f.key = $flag_key`, append(args, sql.Named("flag_key", sel.key))
	}
	if sel.facilitator != "" {
		query, args = query+` AND f.facilitator = $flag_facilitator`, append(args, sql.Named("flag_facilitator", sel.facilitator))
	}
	query += ` ORDER BY f.region, f.key`
	if sel.limit >= 0 {
		// At least one row, to carry the count.
		query += fmt.Sprintf(` LIMIT %d OFFSET %d`, max(sel.limit, 1), sel.offset)
	}
	rows, err := q.q.QueryContext(ctx, query, args...)
	if err != nil {
		return 0, fmt.Errorf("quality %s: %w", kind, err)
	}
	defer rows.Close()
	sentences := map[areaQuestion]Message{} // of area_unknown, by the AreaCheck's arguments
	for shown := 0; rows.Next(); shown++ {
		fl := QualityFlag{Kind: kind}
		var detail string
		var facilitator, note, by sql.NullString
		var at sql.NullTime
		if err := rows.Scan(&fl.ImportID, &fl.Of, &fl.Row, &fl.Key, &fl.Region, &facilitator, &fl.Value, &detail, &fl.Sheet,
			&note, &by, &at, &count); err != nil {
			return 0, fmt.Errorf("quality %s: %w", kind, err)
		}
		if sel.limit >= 0 && shown >= sel.limit {
			continue
		}
		if facilitator.Valid {
			fl.Facilitator = &facilitator.String
		}
		if kind == FlagFacilitatorRegion && len(f.Regions) > 0 {
			detail = regionsWithin(detail, f.Regions)
		}
		if kind != FlagAreaUnknown {
			fl.Text = flagMessage(kind, fl.Value, detail)
		} else {
			// The query asked which name is unknown; the sentence, with
			// its suggestions, is asked for the flags shown only.
			area := strings.Split(detail, "\x1f")
			question := areaQuestion{area[0], fl.Region, area[1], area[2]}
			why, ok := sentences[question]
			if !ok {
				if len(sentences) >= areaMemo {
					clear(sentences)
				}
				_, why = q.areas(question.code, question.region, question.district, question.village)
				sentences[question] = why
			}
			fl.Text = why
		}
		fl.Message = fl.Text.In(q.lang)
		if at.Valid {
			when := at.Time.UTC().Format(time.RFC3339)
			fl.Checked, fl.CheckedBy, fl.CheckedAt, fl.Note = true, &by.String, &when, &note.String
		}
		fn(fl)
	}
	return count, rows.Err()
}

// flagArgs are the arguments of kind's query for f.
func flagArgs(kind string, f Filter) []any {
	if groupFlags[kind] {
		return []any{regionsArg(f), fromArg(f), toArg(f)}
	}
	return respondentArgs(f)
}

// beforeFlags keeps in the temp table name the key and value of each flag
// of kind the current rows raise within f, for flagQuery.before.
func beforeFlags(ctx context.Context, q querier, name, kind string, f Filter) error {
	_, err := q.ExecContext(ctx, `CREATE OR REPLACE TEMP TABLE `+name+` AS
		SELECT key, value FROM (`+flagSQL[kind]+`) AS f(import_id, kind, row_number, key, region, facilitator, value, detail)`, flagArgs(kind, f)...)
	if err != nil {
		return fmt.Errorf("quality %s: %w", kind, err)
	}
	return nil
}

// areaUnknownFunc is the SQL function through which the area_unknown query
// asks the database's AreaCheck which of a row's kecamatan and desa is
// unknown (an empty text for neither): asked in SQL, the flags are
// counted, ordered and cut to a page there.
const areaUnknownFunc = "pantau_area_unknown"

// areaUnknownUDF is areaUnknownFunc (region code, region, kecamatan, desa).
// Rows share a few thousand kecamatan and desa, so it remembers answers;
// a file of made-up names can bring a million, so the memory is emptied
// when full rather than let grow.
type areaUnknownUDF struct {
	db   *DB
	mu   sync.Mutex // DuckDB may call it from several threads
	memo map[areaQuestion]string
	of   *AreaCheck // the check that gave memo's answers
}

type areaQuestion struct{ code, region, district, village string }

const areaMemo = 50_000

func (u *areaUnknownUDF) Config() duckdb.ScalarFuncConfig {
	text, _ := duckdb.NewTypeInfo(duckdb.TYPE_VARCHAR)
	return duckdb.ScalarFuncConfig{InputTypeInfos: []duckdb.TypeInfo{text, text, text, text}, ResultTypeInfo: text}
}

func (u *areaUnknownUDF) Executor() duckdb.ScalarFuncExecutor {
	return duckdb.ScalarFuncExecutor{RowExecutor: func(args []driver.Value) (_ any, err error) {
		// A panic must not unwind through DuckDB's frames: it fails the query.
		defer func() {
			if p := recover(); p != nil {
				err = fmt.Errorf("%s: %v", areaUnknownFunc, p)
			}
		}()
		q := areaQuestion{args[0].(string), args[1].(string), args[2].(string), args[3].(string)}
		check := u.db.areas.Load()
		if check == nil {
			return "", nil
		}
		u.mu.Lock()
		defer u.mu.Unlock()
		if u.of != check || len(u.memo) >= areaMemo {
			u.memo, u.of = map[areaQuestion]string{}, check
		}
		unknown, ok := u.memo[q]
		if !ok {
			unknown, _ = (*check)(q.code, q.region, q.district, q.village)
			u.memo[q] = unknown
		}
		return unknown, nil
	}}
}

// registerFunctions makes pantau's SQL functions known to the database
// (to every connection: DuckDB keeps them in its system catalog).
func (db *DB) registerFunctions(ctx context.Context) error {
	conn, err := db.sql.Conn(ctx)
	if err != nil {
		return err
	}
	defer conn.Close()
	return duckdb.RegisterScalarUDF(conn, areaUnknownFunc, &areaUnknownUDF{db: db})
}

// regionsWithin keeps, of a list of regions joined by ", ", those of
// regions: a filter by region, such as a scoped user's scope, names no
// region beyond it, not even as where a facilitator also works.
func regionsWithin(list string, regions []string) string {
	var kept []string
	for _, r := range strings.Split(list, ", ") {
		if slices.Contains(regions, r) {
			kept = append(kept, r)
		}
	}
	return strings.Join(kept, ", ")
}

// Flag is the current flag of kind on key among the rows of f, its
// sentence in lang; none is ENOTFOUND.
func (db *DB) Flag(ctx context.Context, f Filter, kind, key, lang string) (QualityFlag, error) {
	return flagQuery{q: db.sql, lang: lang, areas: db.areaCheck()}.on(ctx, kind, key, f)
}

func (q flagQuery) on(ctx context.Context, kind, key string, f Filter) (QualityFlag, error) {
	if err := knownKind(kind); err != nil {
		return QualityFlag{}, err
	}
	var flag *QualityFlag
	if _, err := q.each(ctx, kind, f, flagSelect{key: key, checked: true, limit: 1}, func(fl QualityFlag) { flag = &fl }); err != nil {
		return QualityFlag{}, err
	}
	if flag == nil {
		return QualityFlag{}, Errorf(ENOTFOUND, "tidak ada temuan %s untuk %q", "there is no %s flag on %q", kind, key)
	}
	return *flag, nil
}

// CheckFlag marks the current flag of kind on key, among the rows of f (a
// user's scope), as checked by a person, with a note. It holds while the
// flagged value stays the same.
func (db *DB) CheckFlag(ctx context.Context, f Filter, kind, key, note, by string, at time.Time) error {
	if strings.TrimSpace(note) == "" {
		return Errorf(EINVALID, "catatan wajib diisi", "a note is required")
	}
	db.writes.Lock()
	defer db.writes.Unlock()
	tx, err := db.sql.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("check flag: %w", err)
	}
	defer tx.Rollback()
	flag, err := flagQuery{q: tx, lang: "en", areas: db.areaCheck()}.on(ctx, kind, key, f)
	if err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, `INSERT OR REPLACE INTO quality_checks VALUES (?, ?, ?, ?, ?, ?)`,
		kind, key, flag.Value, note, by, at.UTC()); err != nil {
		return fmt.Errorf("check flag: %w", err)
	}
	// A new data version: cached reports drop the flag from their counts.
	if err := db.commitData(tx, 0); err != nil {
		return fmt.Errorf("check flag: %w", err)
	}
	return nil
}

// Flags are the quality flags committing the batch would raise within f
// (an uploader's scope), their sentences in lang: the flags of the current
// rows with the batch's in place of the same keys, less those the current
// rows carry already (same kind, key and value). They may sit on the
// batch's rows (import id 0 and no sheet: the file is no import yet) or on
// rows stored before (a Peserta row can flag an earlier respondent).
// It returns the first limit of them in the report's order and how many
// there are: a file of a million rows can raise a million, which are
// counted, not held. Call it after Counts.
func (b *Batch) Flags(ctx context.Context, f Filter, lang string, limit int) ([]QualityFlag, int, error) {
	tx, err := b.db.sql.BeginTx(ctx, nil)
	if err != nil {
		return nil, 0, fmt.Errorf("quality of the batch: %w", err)
	}
	defer tx.Rollback()
	var with []string
	for _, k := range []Kind{Participants, Respondents, GroupStages} {
		with = append(with, fmt.Sprintf(`%[1]s AS (
			SELECT * FROM main.%[1]s WHERE key NOT IN (SELECT key FROM %[2]s WHERE import_id = %[3]d)
			UNION ALL SELECT * FROM %[2]s WHERE import_id = %[3]d)`, k, k.versions(), b.id))
	}
	after := flagQuery{q: tx, lang: lang, areas: b.db.areaCheck(), rows: "WITH " + strings.Join(with, ", "), before: "flags_before"}
	raised, total := []QualityFlag{}, 0
	for _, kind := range FlagKinds {
		if err := beforeFlags(ctx, tx, after.before, kind, f); err != nil {
			return nil, 0, err
		}
		n, err := after.each(ctx, kind, f, flagSelect{checked: true, limit: limit - len(raised)}, func(fl QualityFlag) {
			if fl.ImportID == b.id {
				fl.ImportID = 0
			}
			raised = append(raised, fl)
		})
		if err != nil {
			return nil, 0, err
		}
		total += n
	}
	return raised, total, nil
}

// completeness counts the filtered respondents per survey month, per region
// and per facilitator (name compared case-insensitively, within a region).
func completeness(ctx context.Context, q querier, f Filter) (Completeness, error) {
	c := Completeness{Months: []string{}, Regions: []RegionMonths{}, Facilitators: []FacilitatorMonths{}}
	rows, err := q.QueryContext(ctx, `
SELECT region, coalesce(lower(facilitator), ''), coalesce(arg_max(facilitator, key), ''), strftime(survey_date, '%Y-%m') AS month, count(*)
FROM respondents`+respondentFilterSQL+`
GROUP BY ALL ORDER BY ALL`, respondentArgs(f)...)
	if err != nil {
		return c, fmt.Errorf("completeness: %w", err)
	}
	defer rows.Close()
	type cell struct {
		region, who, name, month string
		n                        int
	}
	var cells []cell
	first, last := "", ""
	for rows.Next() {
		var x cell
		if err := rows.Scan(&x.region, &x.who, &x.name, &x.month, &x.n); err != nil {
			return c, fmt.Errorf("completeness: %w", err)
		}
		cells = append(cells, x)
		if first == "" || x.month < first {
			first = x.month
		}
		last = max(last, x.month)
	}
	if err := rows.Err(); err != nil || first == "" {
		return c, err
	}
	start, _ := time.Parse("2006-01", first)
	index := map[string]int{}
	for m := start; m.Format("2006-01") <= last; m = m.AddDate(0, 1, 0) {
		index[m.Format("2006-01")] = len(c.Months)
		c.Months = append(c.Months, m.Format("2006-01"))
	}
	regions := map[string]*RegionMonths{}
	people := map[[2]string]*FacilitatorMonths{}
	for _, x := range cells {
		r := regions[x.region]
		if r == nil {
			r = &RegionMonths{Region: x.region, Counts: make([]int, len(c.Months))}
			regions[x.region] = r
		}
		r.Counts[index[x.month]] += x.n
		if x.who == "" {
			continue
		}
		p := people[[2]string{x.region, x.who}]
		if p == nil {
			p = &FacilitatorMonths{Name: x.name, Region: x.region, Counts: make([]int, len(c.Months))}
			people[[2]string{x.region, x.who}] = p
		}
		p.Counts[index[x.month]] += x.n
	}
	for _, r := range regions {
		c.Regions = append(c.Regions, *r)
	}
	slices.SortFunc(c.Regions, func(a, b RegionMonths) int { return strings.Compare(a.Region, b.Region) })
	for _, p := range people {
		firstMonth := slices.IndexFunc(p.Counts, func(n int) bool { return n > 0 })
		lastMonth := len(p.Counts) - 1
		for p.Counts[lastMonth] == 0 {
			lastMonth--
		}
		for _, n := range p.Counts[firstMonth : lastMonth+1] {
			if n == 0 {
				p.Gaps++
			}
		}
		c.Facilitators = append(c.Facilitators, *p)
	}
	slices.SortFunc(c.Facilitators, func(a, b FacilitatorMonths) int {
		return cmp.Or(strings.Compare(a.Region, b.Region), strings.Compare(strings.ToLower(a.Name), strings.ToLower(b.Name)))
	})
	return c, nil
}

// timeliness compares, for each filtered respondent, the day (UTC) of the
// import that first brought its key with the end of its survey month. The
// day is taken once per import, not per row: a time zone conversion per row
// took most of this query's time at 1,000,000 respondents.
// The days allowed are the setting late_after_days as the snapshot q sees it.
func timeliness(ctx context.Context, q querier, f Filter) (Timeliness, error) {
	t := Timeliness{ByRegion: []RegionLateness{}}
	var err error
	if t.LateAfterDays, err = lateAfterDays(ctx, q); err != nil {
		return t, err
	}
	rows, err := q.QueryContext(ctx, `
WITH import_day AS (
	SELECT id, CAST(uploaded_at AT TIME ZONE 'UTC' AS DATE) AS day FROM imports WHERE status = 'committed'
), first_import AS (
	SELECT v.key, min(d.day) AS day
	FROM respondent_versions v JOIN import_day d ON d.id = v.import_id
	GROUP BY v.key
)
SELECT r.region, count(*), count_if(fi.day > last_day(r.survey_date) + $late_after_days::INTEGER)
FROM respondents r JOIN first_import fi USING (key)`+respondentFilterSQL+`
GROUP BY r.region ORDER BY r.region`, append(respondentArgs(f), sql.Named("late_after_days", t.LateAfterDays))...)
	if err != nil {
		return t, fmt.Errorf("timeliness: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var r RegionLateness
		if err := rows.Scan(&r.Region, &r.Rows, &r.Late); err != nil {
			return t, fmt.Errorf("timeliness: %w", err)
		}
		t.Rows += r.Rows
		t.Late += r.Late
		t.ByRegion = append(t.ByRegion, r)
	}
	return t, rows.Err()
}
