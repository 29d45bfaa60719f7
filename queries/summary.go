package queries

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"time"
)

// ProblemLabels are the Indonesian column names of the nine problems, in the
// order of ProblemCodes (a..i), as WORKBOOKS.md names them.
var ProblemLabels = [9]string{
	"Tanpa Kontrak Tertulis",
	"Tidak Diakui sebagai Pekerja",
	"Tanpa Perlindungan Hukum",
	"Tanpa Jaminan Kesehatan",
	"Tanpa Jaminan Hari Tua",
	"Alat Kerja Sendiri",
	"Tanpa Nilai Tawar",
	"Upah di Bawah UMR",
	"Pemberi Kerja Tidak Diketahui",
}

// StageNames are the six stages of organizing a group, indexed by stage
// number; index 0 is empty.
var StageNames = [7]string{"", "Pemetaan", "Pendekatan", "Pertemuan Kelompok",
	"Pembentukan Kelompok", "Pemilihan Pengurus", "Organisasi Berjalan"}

// Filter selects what a summary counts; the zero Filter counts everything.
// Not every part of a filter applies to every metric: each metric's doc
// comment says which do.
//
// Regions match the stored canonical names exactly. The period bounds are
// calendar dates: only the year, month and day of From and To, in their own
// location, count; the period is the respondents' survey date and the date
// an organizing stage was reached. A gender or work type other than the
// values below, or a From after To, is refused with an EINVALID error.
type Filter struct {
	Regions  []string  // canonical names ("Kab. Malang"); empty = all
	Gender   string    // "P", "L" or "" (all)
	WorkType string    // "POS", "SE" or ""
	From, To time.Time // survey period, inclusive; zero = open
}

const filterDateLayout = time.DateOnly

// filterJSON is the wire form of a Filter.
type filterJSON struct {
	Regions  []string `json:"regions"`
	Gender   string   `json:"gender"`
	WorkType string   `json:"work_type"`
	From     string   `json:"from"`
	To       string   `json:"to"`
}

// MarshalJSON writes {"regions":[],"gender":"","work_type":"","from":"YYYY-MM-DD" or "","to":...}:
// every key always present, regions never null.
func (f Filter) MarshalJSON() ([]byte, error) {
	return json.Marshal(filterJSON{
		Regions:  f.regionList(),
		Gender:   f.Gender,
		WorkType: f.WorkType,
		From:     formatFilterDate(f.From),
		To:       formatFilterDate(f.To),
	})
}

// UnmarshalJSON reads what MarshalJSON writes; dates become midnight UTC.
func (f *Filter) UnmarshalJSON(data []byte) error {
	var w filterJSON
	if err := json.Unmarshal(data, &w); err != nil {
		return err
	}
	from, err := parseFilterDate(w.From)
	if err != nil {
		return fmt.Errorf("filter from: %w", err)
	}
	to, err := parseFilterDate(w.To)
	if err != nil {
		return fmt.Errorf("filter to: %w", err)
	}
	*f = Filter{Regions: w.Regions, Gender: w.Gender, WorkType: w.WorkType, From: from, To: to}
	return nil
}

func formatFilterDate(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.Format(filterDateLayout)
}

func parseFilterDate(s string) (time.Time, error) {
	if s == "" {
		return time.Time{}, nil
	}
	return time.Parse(filterDateLayout, s)
}

// validate refuses a filter no data can match for a reason other than the
// data: an unknown gender or work type, or a period that ends before it starts.
func (f Filter) validate() error {
	switch f.Gender {
	case "", "P", "L":
	default:
		return Errorf(EINVALID, "filter jenis kelamin %q: harus P, L atau kosong", "gender filter %q: must be P, L or empty", f.Gender)
	}
	switch f.WorkType {
	case "", "POS", "SE":
	default:
		return Errorf(EINVALID, "filter jenis pekerjaan %q: harus POS, SE atau kosong", "work type filter %q: must be POS, SE or empty", f.WorkType)
	}
	if !f.From.IsZero() && !f.To.IsZero() && formatFilterDate(f.From) > formatFilterDate(f.To) {
		return Errorf(EINVALID, "filter periode: tanggal mulai %s sesudah tanggal akhir %s", "period filter: from %s is after to %s", formatFilterDate(f.From), formatFilterDate(f.To))
	}
	return nil
}

// regionList is the region filter as a never-nil list: an empty list
// (no filter) rather than a NULL, for the $regions parameter.
func (f Filter) regionList() []string {
	if f.Regions == nil {
		return []string{}
	}
	return f.Regions
}

// The query parameters a filter binds. Each query names the ones it uses;
// an open bound is NULL.
func regionsArg(f Filter) sql.NamedArg  { return sql.Named("regions", f.regionList()) }
func genderArg(f Filter) sql.NamedArg   { return sql.Named("gender", f.Gender) }
func workTypeArg(f Filter) sql.NamedArg { return sql.Named("work_type", f.WorkType) }
func fromArg(f Filter) sql.NamedArg     { return sql.Named("from", nullFilterDate(f.From)) }
func toArg(f Filter) sql.NamedArg       { return sql.Named("to", nullFilterDate(f.To)) }

func nullFilterDate(t time.Time) any {
	if t.IsZero() {
		return nil
	}
	return formatFilterDate(t)
}

// Summary is the figures the dashboards and `pantau summary --json` show.
// Its JSON form is a contract.
type Summary struct {
	Filter           Filter             `json:"filter"`
	Facilitators     FacilitatorSummary `json:"facilitators"`
	Respondents      RespondentSummary  `json:"respondents"`
	Problems         []ProblemShare     `json:"problems"`
	ProblemsByRegion []RegionProblem    `json:"problems_by_region"`
	Organizing       OrganizingSummary  `json:"organizing"`
	// Compare is the earlier period's summary (SummaryCompared); nil, and
	// left out of the JSON, without a comparison.
	Compare *Comparison `json:"compare,omitempty"`
}

// Summary computes every metric for f, all from one snapshot of the data, so
// that an import committing meanwhile shows in all of them or in none. An
// invalid filter (see Filter) is an EINVALID error.
func (db *DB) Summary(ctx context.Context, f Filter) (*Summary, error) {
	if err := f.validate(); err != nil {
		return nil, err
	}
	// DuckDB transactions are snapshots; this one only reads and is rolled back.
	tx, err := db.sql.BeginTx(ctx, nil)
	if err != nil {
		return nil, fmt.Errorf("summary: %w", err)
	}
	defer tx.Rollback()
	return summary(ctx, tx, f)
}

func summary(ctx context.Context, q querier, f Filter) (s *Summary, err error) {
	s = &Summary{Filter: f}
	s.Filter.Regions = append([]string{}, f.Regions...)
	if s.Facilitators, err = facilitatorsByRegion(ctx, q, f); err != nil {
		return nil, err
	}
	rf, err := respondentFigures(ctx, q, f)
	if err != nil {
		return nil, err
	}
	s.Respondents, s.Problems, s.ProblemsByRegion = rf.Counts(), rf.Prevalence(), rf.ByRegion()
	if s.Organizing, err = organizingFunnel(ctx, q, f); err != nil {
		return nil, err
	}
	return s, nil
}

// GenderCounts splits people by gender: female is P, male is L, unknown is
// a gender not stated (stored as NULL).
type GenderCounts struct {
	Female  int `json:"female"`
	Male    int `json:"male"`
	Unknown int `json:"unknown"`
}

func (g *GenderCounts) add(o GenderCounts) {
	g.Female += o.Female
	g.Male += o.Male
	g.Unknown += o.Unknown
}

// FacilitatorSummary counts the field facilitators.
type FacilitatorSummary struct {
	Total int `json:"total"`
	GenderCounts
	ByRegion []FacilitatorRegion `json:"by_region"`
}

// FacilitatorRegion counts the field facilitators of one region.
type FacilitatorRegion struct {
	Region string `json:"region"`
	GenderCounts
	Total int `json:"total"` // Female + Male + Unknown
}

// Not from a rollup: participants are the program's staff, hundreds of rows,
// not a table that grows with the survey.
//
// facilitatorsSQL counts current participants who are field facilitators
// (field_facilitator = true), per region and gender; unknown is whatever is
// neither P nor L, which the stored data writes as NULL. Only the region and
// gender filters apply: facilitators have no work type and no survey date.
const facilitatorsSQL = `
SELECT coalesce(region, ''),
	count(*) FILTER (WHERE gender = 'P'),
	count(*) FILTER (WHERE gender = 'L'),
	count(*) FILTER (WHERE coalesce(gender, '') NOT IN ('P', 'L'))
FROM participants
WHERE field_facilitator
  AND ` + inRegionsSQL + `
  AND ($gender::VARCHAR = '' OR gender = $gender::VARCHAR)
GROUP BY ALL
ORDER BY 1`

// FacilitatorsByRegion counts the field facilitators (current participants
// whose Jabatan means field facilitator) by gender, in total and per region
// (sorted by region name; regions without facilitators are left out).
// Only f.Regions and f.Gender apply; work type and period do not.
func (db *DB) FacilitatorsByRegion(ctx context.Context, f Filter) (FacilitatorSummary, error) {
	if err := f.validate(); err != nil {
		return FacilitatorSummary{}, err
	}
	return facilitatorsByRegion(ctx, db.sql, f)
}

func facilitatorsByRegion(ctx context.Context, q querier, f Filter) (FacilitatorSummary, error) {
	s := FacilitatorSummary{ByRegion: []FacilitatorRegion{}}
	rows, err := q.QueryContext(ctx, facilitatorsSQL, regionsArg(f), genderArg(f))
	if err != nil {
		return s, fmt.Errorf("facilitators by region: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var r FacilitatorRegion
		if err := rows.Scan(&r.Region, &r.Female, &r.Male, &r.Unknown); err != nil {
			return s, fmt.Errorf("facilitators by region: %w", err)
		}
		r.Total = r.Female + r.Male + r.Unknown
		s.ByRegion = append(s.ByRegion, r)
		s.GenderCounts.add(r.GenderCounts)
		s.Total += r.Total
	}
	if err := rows.Err(); err != nil {
		return s, fmt.Errorf("facilitators by region: %w", err)
	}
	return s, nil
}

// inRegionsSQL is the region part of every filter: a region among
// $regions, or any when $regions is empty.
const inRegionsSQL = `(len($regions::VARCHAR[]) = 0 OR list_contains($regions::VARCHAR[], region))`

// respondentFilterSQL is the WHERE condition of every respondent metric: the
// current respondents in the regions, of the gender and the work type, and
// surveyed within the period (each bound only when given). The rollups
// (respondent_cells, product_cells) have the same columns, so it selects
// their cells as well: a gender not stated (empty there) matches no gender
// filter, as NULL does not in respondents.
const respondentFilterSQL = `
WHERE ` + inRegionsSQL + `
  AND ($gender::VARCHAR = '' OR gender = $gender::VARCHAR)
  AND ($work_type::VARCHAR = '' OR work_type = $work_type::VARCHAR)
  AND ($from::DATE IS NULL OR survey_date >= $from::DATE)
  AND ($to::DATE IS NULL OR survey_date <= $to::DATE)`

func respondentArgs(f Filter) []any {
	return []any{regionsArg(f), genderArg(f), workTypeArg(f), fromArg(f), toArg(f)}
}

// RespondentSummary counts the surveyed home workers.
type RespondentSummary struct {
	Total      int            `json:"total"`
	ByRegion   []RegionCount  `json:"by_region"`
	ByWorkType WorkTypeCounts `json:"by_work_type"`
	ByGender   GenderCounts   `json:"by_gender"`
}

// RegionCount is a number of respondents in one region.
type RegionCount struct {
	Region string `json:"region"`
	Total  int    `json:"total"`
}

// WorkTypeCounts splits respondents by work type: Putting-Out System and self-employed.
type WorkTypeCounts struct {
	POS int `json:"POS"`
	SE  int `json:"SE"`
}

// RespondentCounts counts the current respondents matching every part of f
// (regions, gender, work type, survey date within the period): in total,
// per region (sorted by region name; regions without respondents are left
// out), by work type and by gender.
func (db *DB) RespondentCounts(ctx context.Context, f Filter) (RespondentSummary, error) {
	rf, err := db.RespondentFigures(ctx, f)
	if err != nil {
		return RespondentSummary{}, err
	}
	return rf.Counts(), nil
}

// ProblemShare is the prevalence of one problem among the filtered respondents.
type ProblemShare struct {
	Code     string   `json:"code"`  // "a" .. "i"
	Label    string   `json:"label"` // the Indonesian column name
	Yes      int      `json:"yes"`
	Answered int      `json:"answered"` // Ya + Tidak; blanks count neither way
	Share    *float64 `json:"share"`    // Yes / Answered; nil (JSON null) when nobody answered
}

// problemCounts holds yes and answered per problem a..i.
type problemCounts [9]struct{ yes, answered int }

func (c *problemCounts) dest() []any {
	d := make([]any, 0, 18)
	for i := range c {
		d = append(d, &c[i].yes, &c[i].answered)
	}
	return d
}

// ProblemPrevalence returns all nine problems, in order a..i, with their
// prevalence among the respondents RespondentCounts counts for f:
// Ya / (Ya + Tidak), blanks counting neither way, and the number answered
// beside it. A problem nobody answered has a nil Share.
func (db *DB) ProblemPrevalence(ctx context.Context, f Filter) ([]ProblemShare, error) {
	rf, err := db.RespondentFigures(ctx, f)
	if err != nil {
		return nil, err
	}
	return rf.Prevalence(), nil
}

// shares is the nine problems a..i of c, each with its share when anybody answered.
func (c *problemCounts) shares() []ProblemShare {
	list := make([]ProblemShare, len(c))
	for i, n := range c {
		list[i] = ProblemShare{Code: ProblemCodes[i], Label: ProblemLabels[i], Yes: n.yes, Answered: n.answered, Share: Share(n.yes, n.answered)}
	}
	return list
}

// Share is part / whole, nil when whole is 0 (there is nothing to divide).
func Share(part, whole int) *float64 {
	if whole <= 0 {
		return nil
	}
	share := float64(part) / float64(whole)
	return &share
}

// RegionProblem counts one problem among the filtered respondents of one region.
type RegionProblem struct {
	Region   string `json:"region"`
	Code     string `json:"code"`
	Yes      int    `json:"yes"`
	Answered int    `json:"answered"`
}

// ProblemsByRegion counts the nine problems per region, over the same
// respondents as ProblemPrevalence: for every region that has filtered
// respondents (sorted by region name), one entry per problem a..i in order,
// including problems nobody there answered.
func (db *DB) ProblemsByRegion(ctx context.Context, f Filter) ([]RegionProblem, error) {
	rf, err := db.RespondentFigures(ctx, f)
	if err != nil {
		return nil, err
	}
	return rf.ByRegion(), nil
}

// OrganizingSummary is the progress of organizing groups.
type OrganizingSummary struct {
	Groups  int          `json:"groups"`
	Members int          `json:"members"`
	Funnel  []StageCount `json:"funnel"`
}

// StageCount is the number of groups that reached a stage or a later one.
type StageCount struct {
	Stage  int    `json:"stage"` // 1 .. 6
	Name   string `json:"name"`
	Groups int    `json:"groups"`
}

// groupStageFilterSQL is the WHERE condition of every organizing metric: the
// current organizing log rows in the regions and reached within the period.
const groupStageFilterSQL = `
	WHERE ` + inRegionsSQL + `
	  AND ($from::DATE IS NULL OR reached_on >= $from::DATE)
	  AND ($to::DATE IS NULL OR reached_on <= $to::DATE)`

// latestStageRow orders the organizing log rows of a group by date reached,
// then stage (1..6, so below 8), as one integer: arg_max over it is
// measurably faster than over the (reached_on, stage) pair.
const latestStageRow = `(date_diff('day', DATE '1970-01-01', reached_on) * 8 + stage)`

// OrganizingFunnel summarises the organizing log rows (group_stages) in
// f.Regions and reached within the period; gender and work type do not
// apply. A group (its code compared case-insensitively) is at the highest
// stage among its rows in the filter. Groups is the number of groups with a
// row in the filter; Members sums each group's latest reported Jumlah
// Anggota (latest by date reached, then by stage; rows without it are
// ignored, and a group with none adds 0); Funnel has stages 1..6 in order,
// each with the number of groups at that stage or a later one.
func (db *DB) OrganizingFunnel(ctx context.Context, f Filter) (OrganizingSummary, error) {
	if err := f.validate(); err != nil {
		return OrganizingSummary{}, err
	}
	return organizingFunnel(ctx, db.sql, f)
}

func organizingFunnel(ctx context.Context, q querier, f Filter) (OrganizingSummary, error) {
	regions, err := organizingByRegion(ctx, q, f)
	if err != nil {
		return OrganizingSummary{}, fmt.Errorf("organizing funnel: %w", err)
	}
	return FunnelOf(regions), nil
}

// FunnelOf is OrganizingFunnel added up from OrganizingByRegion for the
// same filter: each group is in exactly one region, at its highest stage,
// with its latest members.
func FunnelOf(regions []RegionOrganizing) OrganizingSummary {
	var s OrganizingSummary
	var atStage [6]int
	for _, r := range regions {
		s.Groups += r.Groups
		s.Members += r.Members
		for i, n := range r.AtStage {
			atStage[i] += n
		}
	}
	s.Funnel = make([]StageCount, len(atStage))
	atLeast := 0
	for i := len(atStage) - 1; i >= 0; i-- {
		atLeast += atStage[i]
		s.Funnel[i] = StageCount{Stage: i + 1, Name: StageNames[i+1], Groups: atLeast}
	}
	return s
}
