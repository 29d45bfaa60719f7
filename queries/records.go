package queries

import "time"

// Kind names one kind of record, and so one versions table and one current-state table.
type Kind string

const (
	Participants Kind = "participants"
	Respondents  Kind = "respondents"
	GroupStages  Kind = "group_stages"
	Regions      Kind = "regions"
	Targets      Kind = "targets"
)

// Kinds lists every kind, in the order a batch writes them.
var Kinds = []Kind{Regions, Participants, Respondents, GroupStages, Targets}

// versions is the table holding every version of a kind's rows; the kind's own
// name is its current-state table.
func (k Kind) versions() string {
	return versionTables[k]
}

var versionTables = map[Kind]string{
	Participants: "participant_versions",
	Respondents:  "respondent_versions",
	GroupStages:  "group_stage_versions",
	Regions:      "region_versions",
	Targets:      "target_versions",
}

// Answer is a yes/no cell where blank (not answered) differs from "Tidak".
type Answer int8

const (
	Unanswered Answer = iota
	Yes
	No
)

// ProblemCodes are the nine problems, in the order of WORKBOOKS.md.
var ProblemCodes = [9]string{"a", "b", "c", "d", "e", "f", "g", "h", "i"}

// Participant is one person of a participants workbook.
type Participant struct {
	Row              int    // spreadsheet row it came from
	Key              string // ID Peserta, else name|role|region; case-folded
	ID               string
	Name             string
	Gender           string // "P", "L" or "" (not known)
	Role             string
	FieldFacilitator bool
	Region           string
	RegionCode       string // the official code ("35.09"); "" when the catalogue lacks the region
	Training         string
	TrainingDate     time.Time // zero when not given
	Location         string
}

// Respondent is one surveyed home worker.
type Respondent struct {
	Row         int
	Key         string
	ID          string
	SurveyDate  time.Time
	Region      string
	District    string // the official name when the catalogue has it in Region, else as written
	Village     string // likewise, within District
	Facilitator string
	Gender      string
	Age         int    // 0 when not given
	WorkType    string // "POS" or "SE"
	Product     string
	MonthlyWage int64 // -1 when not given
	Problems    [9]Answer

	// The official codes of Region, District and Village; "" for a name the catalogue lacks.
	RegionCode, DistrictCode, VillageCode string
}

// GroupStage is one stage a group reached: a row of the organizing log.
type GroupStage struct {
	Row         int
	Key         string
	Code        string
	Name        string
	Region      string
	Facilitator string
	Stage       int
	ReachedOn   time.Time
	Members     int // -1 when not given
	RegionCode  string
}

// RegionWage is a region added (or confirmed) by a Wilayah sheet, with its UMK for a year.
type RegionWage struct {
	Row      int
	Key      string
	Region   string
	Added    bool // not a built-in region: undoing the import that added it must not orphan rows
	Province string
	Year     int   // 0 when not given
	UMK      int64 // -1 when not given
	// RegionCode is the official code; "" for a region the catalogue lacks.
	RegionCode string
}

// Target is one row of a Target sheet: what the program means to reach for an
// indicator (a code of Indicators), in a region ("" = the whole program) and
// a period.
type Target struct {
	Row        int
	Key        string // indicator|region|period, case-folded
	Indicator  string
	Region     string
	Period     string    // canonical: "2014-10", "2014-Q4", "2015-H1" or "2015"
	Start, End time.Time // the period's first and last day
	Value      float64   // >= 0; a fraction 0..1 for a share indicator
	Note       string
	RegionCode string
}
