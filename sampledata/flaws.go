package sampledata

import (
	"strings"
	"time"

	"github.com/xuri/excelize/v2"
)

// Planted flaws (SurveyOptions.Flaws): what the data quality page of pantau
// finds in a survey (WORKBOOKS.md, "Data quality"), a handful of each, so
// that the demo shows something to act on. The rows are chosen by their
// number, not drawn: the random draws stay those of the clean survey, so the
// flawed sample differs from the clean one in the planted cells only.
//
// Respondents (row i of n, 1-based):
//   - wage_outlier: every 500th from row 123, the wage typed with two zeros
//     too many (a wage that was blank becomes 40 times the UMK);
//   - facilitator_region: every 400th from row 77, the facilitator of another
//     region;
//   - unanswered: every 450th from row 200, the nine problems left blank;
//   - survey_burst: from rows n/3 and 2n/3, the next 18 and 22 respondents of
//     that row's facilitator all dated the day of that row;
//   - kecamatan and desa as clerks write them: every 300th from row 50 with
//     "Kec. ", every 300th from row 150 in capitals (both still match the
//     catalogue), every 700th from row 320 a kecamatan misspelled and every
//     700th from row 600 a desa misspelled (area_unknown in pantau).
//
// Groups (group i, reaching stage k), every 20th:
//   - stage_order: from group 4 (with k >= 3), stage 3 dated a week before stage 2;
//   - stage_skipped: from group 9 (k >= 3), the stage 2 row left out;
//   - members_drop: from group 14 (k >= 4), stage 4 reports a third of
//     stage 3's members.
type flaws struct {
	money  int // the style of a wage cell
	bursts []burst
}

// burst is a facilitator's day with too many respondents, being planted.
type burst struct {
	from, size int    // the row that starts it and how many more it takes
	who        string // the facilitator, once known
	day        any    // the date cell of the day
	left       int    // respondents still to move to the day
}

func newFlaws(respondents, money int) *flaws {
	return &flaws{money: money, bursts: []burst{{from: respondents / 3, size: 18}, {from: 2 * respondents / 3, size: 22}}}
}

// The columns of the Responden sheet that flaws touch (respondentHeader).
const (
	colDate, colKecamatan, colDesa, colFacilitator, colWage, colProblems = 1, 3, 4, 5, 10, 11
)

// every reports whether row i is one of every nth from first.
func every(i, n, first int) bool { return i >= first && (i-first)%n == 0 }

// respondent plants the flaws of row i (filled for facilitator fc, whose
// region's UMK is umk) into it.
func (fl *flaws) respondent(i int, row []any, fc Facilitator, umk int) {
	switch {
	case every(i, 500, 123):
		wage := 40 * umk
		if c, ok := row[colWage].(excelize.Cell); ok {
			wage = 100 * c.Value.(int)
		}
		row[colWage] = excelize.Cell{StyleID: fl.money, Value: wage}
		if row[colProblems+7] != nil { // problem h follows the wage
			row[colProblems+7] = yesNo(wage < umk)
		}
	case every(i, 400, 77):
		row[colFacilitator] = otherRegion(fc).Name
	case every(i, 450, 200):
		clear(row[colProblems : colProblems+9])
	}
	switch kec := row[colKecamatan].(string); {
	case every(i, 300, 50):
		row[colKecamatan] = "Kec. " + kec
	case every(i, 300, 150):
		row[colKecamatan] = strings.ToUpper(kec)
	case every(i, 700, 320):
		row[colKecamatan] = misspell(kec)
	case every(i, 700, 600):
		row[colDesa] = misspell(row[colDesa].(string))
	}
	for b := range fl.bursts {
		bu := &fl.bursts[b]
		switch {
		case i == bu.from:
			bu.who, bu.day, bu.left = fc.Name, row[colDate], bu.size
		case bu.left > 0 && row[colFacilitator] == bu.who:
			row[colDate] = bu.day
			bu.left--
		}
	}
}

// otherRegion is the next facilitator of the list who works in another region than fc.
func otherRegion(fc Facilitator) Facilitator {
	start := 0
	for i, f := range facilitators {
		if f.Name == fc.Name {
			start = i
		}
	}
	for k := 1; ; k++ {
		if f := facilitators[(start+k)%len(facilitators)]; f.Region != fc.Region {
			return f
		}
	}
}

// misspell makes a clerk's typo: a doubled letter typed once, else the
// last vowel changed (a->o, o->u, u->i, i->e, e->a), as a name misheard.
func misspell(name string) string {
	b := []byte(name)
	for j := 1; j < len(b); j++ {
		if b[j] == b[j-1] && b[j] != ' ' {
			return string(b[:j]) + string(b[j+1:])
		}
	}
	next := map[byte]byte{'a': 'o', 'o': 'u', 'u': 'i', 'i': 'e', 'e': 'a'}
	for j := len(b) - 1; j > 0; j-- {
		if v, ok := next[b[j]]; ok {
			b[j] = v
			return string(b)
		}
	}
	return name + "n"
}

// groupFlaw is the flaw planted in one group, nil for none.
type groupFlaw struct {
	kind          string // "stage_order", "stage_skipped" or "members_drop"
	stage2        time.Time
	stage3Members int
}

// group is the flaw of group i, which reaches stage k.
func (fl *flaws) group(i, k int) *groupFlaw {
	switch {
	case fl == nil:
		return nil
	case every(i, 20, 4) && k >= 3:
		return &groupFlaw{kind: "stage_order"}
	case every(i, 20, 9) && k >= 3:
		return &groupFlaw{kind: "stage_skipped"}
	case every(i, 20, 14) && k >= 4:
		return &groupFlaw{kind: "members_drop"}
	}
	return nil
}

// stage plants the flaw into the row of stage s, reached on date; it
// reports whether the row is left out.
func (gf *groupFlaw) stage(s int, row []any, date time.Time) (skip bool) {
	if gf == nil {
		return false
	}
	const dateCol, membersCol = 5, 6 // groupHeader
	switch {
	case s == 2:
		gf.stage2 = date
		return gf.kind == "stage_skipped"
	case s == 3:
		gf.stage3Members = row[membersCol].(int)
		if gf.kind == "stage_order" {
			c := row[dateCol].(excelize.Cell)
			c.Value = gf.stage2.AddDate(0, 0, -7)
			row[dateCol] = c
		}
	case s == 4 && gf.kind == "members_drop":
		row[membersCol] = gf.stage3Members / 3
	}
	return false
}
