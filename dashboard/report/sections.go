package report

import (
	"slices"

	"pantau/dashboard/locale"
	"pantau/queries"
)

// The section tables: each figure that a chart and a workbook sheet both
// show is built here once.

// GenderTable is people per category (regions, roles) split by gender:
// category, female, male, not stated, total.
func GenderTable(l *locale.Locale, categoryColumn string, categories []string, counts []queries.GenderCounts) Table {
	t := Table{Columns: append(append([]string{categoryColumn}, GenderColumns(l)...), l.T("col.total"))}
	for i, g := range counts {
		t.Rows = append(t.Rows, []any{categories[i], g.Female, g.Male, g.Unknown, g.Female + g.Male + g.Unknown})
	}
	return t
}

// FacilitatorsByRegion is the facilitators per region by gender.
func FacilitatorsByRegion(l *locale.Locale, fac queries.FacilitatorSummary) Table {
	var regions []string
	var counts []queries.GenderCounts
	for _, r := range fac.ByRegion {
		regions, counts = append(regions, RegionName(l, r.Region)), append(counts, r.GenderCounts)
	}
	return GenderTable(l, l.T("col.region"), regions, counts)
}

// ProblemPrevalence is each problem's Ya answers, answers and share.
func ProblemPrevalence(l *locale.Locale, problems []queries.ProblemShare) Table {
	labels := ProblemLabels(l)
	t := Table{Columns: []string{l.T("col.problem"), l.T("col.yes"), l.T("col.answered"), l.T("col.share")}}
	for i, p := range problems {
		t.Rows = append(t.Rows, []any{labels[i], p.Yes, p.Answered, Share{p.Share}})
	}
	return t
}

// ProblemsByRegion is the region × problem matrix: per region, in the
// query's order, the share answering Ya to each of the nine problems.
func ProblemsByRegion(l *locale.Locale, list []queries.RegionProblem) Table {
	t := Table{Columns: append([]string{l.T("col.region")}, ProblemLabels(l)...)}
	last := ""
	for _, rp := range list {
		if len(t.Rows) == 0 || last != rp.Region {
			last = rp.Region
			t.Rows = append(t.Rows, []any{rp.Region})
		}
		row := &t.Rows[len(t.Rows)-1]
		*row = append(*row, Share{queries.Share(rp.Yes, rp.Answered)})
	}
	return t
}

// OrganizingFunnel is the groups that reached each stage and their share
// of all groups.
func OrganizingFunnel(l *locale.Locale, org queries.OrganizingSummary) Table {
	t := Table{Columns: []string{l.T("col.stage"), l.T("col.groups_reached"), l.T("export.share_of_groups")}}
	for _, sc := range org.Funnel {
		t.Rows = append(t.Rows, []any{StageName(l, sc.Stage), sc.Groups, Share{queries.Share(sc.Groups, org.Groups)}})
	}
	return t
}

// groupFormed is the stage Pembentukan Kelompok.
const groupFormed = 4

// GroupsFormed is the number of groups that reached stage 4, Pembentukan
// Kelompok, or beyond.
func GroupsFormed(org queries.OrganizingSummary) int {
	for _, sc := range org.Funnel {
		if sc.Stage == groupFormed {
			return sc.Groups
		}
	}
	return 0
}

// RegionsCovered are the regions with a facilitator, a respondent or a
// group, sorted.
func RegionsCovered(fac queries.FacilitatorSummary, rs queries.RespondentSummary, groups []queries.RegionOrganizing) []string {
	var names []string
	for _, r := range fac.ByRegion {
		names = append(names, r.Region)
	}
	for _, r := range rs.ByRegion {
		names = append(names, r.Region)
	}
	for _, r := range groups {
		names = append(names, r.Region)
	}
	names = slices.DeleteFunc(names, func(n string) bool { return n == "" })
	slices.Sort(names)
	return slices.Compact(names)
}
