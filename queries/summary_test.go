package queries_test

import (
	"context"
	"encoding/json"
	"fmt"
	"reflect"
	"sort"
	"strings"
	"testing"
	"time"

	"pantau/queries"
	"pantau/queries/querytest"
)

// commitBatch stages what add stages and commits it as one import.
func commitBatch(t testing.TB, db *queries.DB, add func(b *queries.Batch) error) {
	t.Helper()
	queries.MustCommit(t, db, "summary.xlsx", add)
}

func day(s string) time.Time {
	d, err := time.Parse(time.DateOnly, s)
	if err != nil {
		panic(err)
	}
	return d
}

func person(name, role, region, gender string, facilitator bool) queries.Participant {
	return queries.Participant{Row: 2, Key: strings.ToLower(name + "|" + role + "|" + region), Name: name,
		Gender: gender, Role: role, FieldFacilitator: facilitator, Region: region}
}

// surveyed is a respondent; answers holds problems a..i as Y (Ya), N (Tidak) or - (blank).
func surveyed(id, date, region, gender, workType, answers string) queries.Respondent {
	r := queries.Respondent{Row: 2, Key: strings.ToLower(id), ID: id, SurveyDate: day(date), Region: region,
		Gender: gender, WorkType: workType, MonthlyWage: -1}
	for i, c := range answers {
		switch c {
		case 'Y':
			r.Problems[i] = queries.Yes
		case 'N':
			r.Problems[i] = queries.No
		}
	}
	return r
}

// logged is a row of the organizing log; members -1 is "not reported".
func logged(code, region string, stage int, date string, members int) queries.GroupStage {
	return queries.GroupStage{Row: 2, Key: strings.ToLower(fmt.Sprintf("%s|%d", code, stage)), Code: code,
		Region: region, Stage: stage, ReachedOn: day(date), Members: members}
}

// summaryDB holds a small data set whose figures the tests below know by hand.
func summaryDB(t testing.TB) *queries.DB {
	db := querytest.Open(t)
	commitBatch(t, db, func(b *queries.Batch) error {
		for _, p := range []queries.Participant{
			person("Ani", "Fasilitator Lapang", "Kota Malang", "P", true),
			person("Bea", "Fasilitator Lapang", "Kota Malang", "P", true),
			person("Cici", "Fasilitator Lapang", "Kab. Malang", "P", true),
			person("Dodi", "Fasilitator Lapang", "Kab. Jember", "L", true),
			person("Eka", "Fasilitator Lapang", "Kab. Jember", "", true), // gender not stated
			person("Fajar", "Fasilitator Lapang", "Kab. Sidoarjo", "L", true),
			person("Sarno", "Manager Program", "", "", false),
			person("Veronica", "Staff Keuangan", "Kota Malang", "P", false), // not a facilitator, in a region
		} {
			if err := b.AddParticipant(p); err != nil {
				return err
			}
		}
		for _, r := range []queries.Respondent{
			//                                                          abcdefghi
			surveyed("R1", "2014-10-01", "Kota Malang", "P", "POS", "YYN------"),
			surveyed("R2", "2014-10-15", "Kota Malang", "L", "SE", "YNNY-----"),
			surveyed("R3", "2014-11-01", "Kab. Malang", "P", "POS", "NY-YY-YY-"),
			surveyed("R4", "2014-11-30", "Kab. Jember", "", "SE", "---------"),
			surveyed("R5", "2014-12-05", "Kab. Jember", "P", "POS", "Y-NNYYY--"),
			surveyed("R6", "2015-01-10", "Kota Batu", "L", "POS", "N--Y-NYYY"),
		} {
			if err := b.AddRespondent(r); err != nil {
				return err
			}
		}
		for _, g := range []queries.GroupStage{
			logged("K-01", "Kota Malang", 1, "2014-10-01", -1),
			logged("K-01", "Kota Malang", 2, "2014-10-20", 12),
			logged("K-01", "Kota Malang", 3, "2014-11-15", 15),
			logged("k-01", "Kota Malang", 4, "2014-12-10", -1), // same group, other spelling; latest row without members
			logged("K-02", "Kab. Malang", 1, "2014-10-05", 8),
			logged("K-02", "Kab. Malang", 2, "2014-10-15", -1), // on the first day of the period test
			logged("J-01", "Kab. Jember", 1, "2014-10-10", -1),
			logged("J-01", "Kab. Jember", 2, "2014-10-25", -1),
			logged("J-01", "Kab. Jember", 3, "2014-11-05", -1),
			logged("J-01", "Kab. Jember", 4, "2014-11-30", 20), // on the last day of the period test
			logged("J-01", "Kab. Jember", 5, "2015-01-15", 22), // same day as stage 6, which is the latest
			logged("J-01", "Kab. Jember", 6, "2015-01-15", 25),
			logged("B-01", "Kota Batu", 1, "2014-12-01", -1),    // never reports members
			logged("S-01", "Kab. Sidoarjo", 2, "2014-11-10", 9), // same day as stage 1: the higher stage is the latest
			logged("S-01", "Kab. Sidoarjo", 1, "2014-11-10", 5),
			logged("S-02", "Kab. Sidoarjo", 2, "2015-01-20", 28),
			logged("S-02", "Kab. Sidoarjo", 1, "2015-02-01", 30), // reported after stage 2: the latest members
		} {
			if err := b.AddGroupStage(g); err != nil {
				return err
			}
		}
		return nil
	})
	return db
}

func facilitators(regions ...queries.FacilitatorRegion) queries.FacilitatorSummary {
	s := queries.FacilitatorSummary{ByRegion: append([]queries.FacilitatorRegion{}, regions...)}
	for _, r := range regions {
		s.Female += r.Female
		s.Male += r.Male
		s.Unknown += r.Unknown
		s.Total += r.Total
	}
	return s
}

func fr(region string, female, male, unknown int) queries.FacilitatorRegion {
	return queries.FacilitatorRegion{Region: region, GenderCounts: queries.GenderCounts{Female: female, Male: male, Unknown: unknown},
		Total: female + male + unknown}
}

// respondents builds the expected counts; byRegion alternates region and count.
func respondents(total, pos, se, female, male, unknown int, byRegion ...any) queries.RespondentSummary {
	s := queries.RespondentSummary{Total: total, ByRegion: []queries.RegionCount{},
		ByWorkType: queries.WorkTypeCounts{POS: pos, SE: se},
		ByGender:   queries.GenderCounts{Female: female, Male: male, Unknown: unknown}}
	for i := 0; i < len(byRegion); i += 2 {
		s.ByRegion = append(s.ByRegion, queries.RegionCount{Region: byRegion[i].(string), Total: byRegion[i+1].(int)})
	}
	return s
}

func organizing(groups, members int, funnel ...int) queries.OrganizingSummary {
	s := queries.OrganizingSummary{Groups: groups, Members: members, Funnel: []queries.StageCount{}}
	for i, n := range funnel {
		s.Funnel = append(s.Funnel, queries.StageCount{Stage: i + 1, Name: queries.StageNames[i+1], Groups: n})
	}
	return s
}

// problemsText writes problems as "a 3/5 b 3/4 ...": code, yes / answered.
func problemsText(ps []queries.ProblemShare) string {
	var parts []string
	for _, p := range ps {
		parts = append(parts, fmt.Sprintf("%s %d/%d", p.Code, p.Yes, p.Answered))
	}
	return strings.Join(parts, " ")
}

// regionProblemsText writes one line per run of entries of a region:
// "Kab. Jember: a 1/1 b 1/1 ...".
func regionProblemsText(ps []queries.RegionProblem) []string {
	lines := []string{}
	for i, p := range ps {
		if i == 0 || ps[i-1].Region != p.Region {
			lines = append(lines, p.Region+":")
		}
		lines[len(lines)-1] += fmt.Sprintf(" %s %d/%d", p.Code, p.Yes, p.Answered)
	}
	return lines
}

// checkShares checks what every problem list must hold whatever the data:
// nine problems a..i with their labels, and share = yes/answered or null.
func checkShares(t *testing.T, ps []queries.ProblemShare) {
	t.Helper()
	if len(ps) != 9 {
		t.Fatalf("got %d problems, want 9", len(ps))
	}
	for i, p := range ps {
		if p.Code != queries.ProblemCodes[i] || p.Label != queries.ProblemLabels[i] {
			t.Errorf("problem %d: code %q label %q", i, p.Code, p.Label)
		}
		switch {
		case p.Answered == 0 && p.Share != nil:
			t.Errorf("problem %s: share %v with nobody answering, want nil", p.Code, *p.Share)
		case p.Answered > 0 && (p.Share == nil || *p.Share != float64(p.Yes)/float64(p.Answered)):
			t.Errorf("problem %s: share %v, want %d/%d", p.Code, p.Share, p.Yes, p.Answered)
		}
	}
}

var (
	allFacilitators = facilitators(fr("Kab. Jember", 0, 1, 1), fr("Kab. Malang", 1, 0, 0), fr("Kab. Sidoarjo", 0, 1, 0), fr("Kota Malang", 2, 0, 0))
	allOrganizing   = organizing(6, 15+8+25+0+9+30, 6, 5, 2, 2, 1, 1)
)

func TestSummary(t *testing.T) {
	db := summaryDB(t)
	tests := []struct {
		name             string
		filter           queries.Filter
		facilitators     queries.FacilitatorSummary
		respondents      queries.RespondentSummary
		problems         string
		problemsByRegion []string
		organizing       queries.OrganizingSummary
	}{{
		name:         "everything",
		facilitators: allFacilitators,
		respondents: respondents(6, 4, 2, 3, 2, 1,
			"Kab. Jember", 2, "Kab. Malang", 1, "Kota Batu", 1, "Kota Malang", 2),
		problems: "a 3/5 b 2/3 c 0/3 d 3/4 e 2/2 f 1/2 g 3/3 h 2/2 i 1/1",
		problemsByRegion: []string{
			"Kab. Jember: a 1/1 b 0/0 c 0/1 d 0/1 e 1/1 f 1/1 g 1/1 h 0/0 i 0/0",
			"Kab. Malang: a 0/1 b 1/1 c 0/0 d 1/1 e 1/1 f 0/0 g 1/1 h 1/1 i 0/0",
			"Kota Batu: a 0/1 b 0/0 c 0/0 d 1/1 e 0/0 f 0/1 g 1/1 h 1/1 i 1/1",
			"Kota Malang: a 2/2 b 1/2 c 0/2 d 1/1 e 0/0 f 0/0 g 0/0 h 0/0 i 0/0",
		},
		organizing: allOrganizing,
	}, {
		name:         "two regions",
		filter:       queries.Filter{Regions: []string{"Kota Malang", "Kab. Jember"}},
		facilitators: facilitators(fr("Kab. Jember", 0, 1, 1), fr("Kota Malang", 2, 0, 0)),
		respondents:  respondents(4, 2, 2, 2, 1, 1, "Kab. Jember", 2, "Kota Malang", 2),
		problems:     "a 3/3 b 1/2 c 0/3 d 1/2 e 1/1 f 1/1 g 1/1 h 0/0 i 0/0",
		problemsByRegion: []string{
			"Kab. Jember: a 1/1 b 0/0 c 0/1 d 0/1 e 1/1 f 1/1 g 1/1 h 0/0 i 0/0",
			"Kota Malang: a 2/2 b 1/2 c 0/2 d 1/1 e 0/0 f 0/0 g 0/0 h 0/0 i 0/0",
		},
		// K-01 at stage 4 (15 members, its stage-4 row reports none), J-01 at 6 (25).
		organizing: organizing(2, 40, 2, 2, 2, 2, 1, 1),
	}, {
		name:         "women",
		filter:       queries.Filter{Gender: "P"},
		facilitators: facilitators(fr("Kab. Malang", 1, 0, 0), fr("Kota Malang", 2, 0, 0)),
		respondents:  respondents(3, 3, 0, 3, 0, 0, "Kab. Jember", 1, "Kab. Malang", 1, "Kota Malang", 1),
		problems:     "a 2/3 b 2/2 c 0/2 d 1/2 e 2/2 f 1/1 g 2/2 h 1/1 i 0/0",
		problemsByRegion: []string{
			"Kab. Jember: a 1/1 b 0/0 c 0/1 d 0/1 e 1/1 f 1/1 g 1/1 h 0/0 i 0/0",
			"Kab. Malang: a 0/1 b 1/1 c 0/0 d 1/1 e 1/1 f 0/0 g 1/1 h 1/1 i 0/0",
			"Kota Malang: a 1/1 b 1/1 c 0/1 d 0/0 e 0/0 f 0/0 g 0/0 h 0/0 i 0/0",
		},
		organizing: allOrganizing, // gender does not apply to groups
	}, {
		name:         "self-employed",
		filter:       queries.Filter{WorkType: "SE"},
		facilitators: allFacilitators, // work type does not apply to facilitators
		respondents:  respondents(2, 0, 2, 0, 1, 1, "Kab. Jember", 1, "Kota Malang", 1),
		problems:     "a 1/1 b 0/1 c 0/1 d 1/1 e 0/0 f 0/0 g 0/0 h 0/0 i 0/0",
		problemsByRegion: []string{
			"Kab. Jember: a 0/0 b 0/0 c 0/0 d 0/0 e 0/0 f 0/0 g 0/0 h 0/0 i 0/0",
			"Kota Malang: a 1/1 b 0/1 c 0/1 d 1/1 e 0/0 f 0/0 g 0/0 h 0/0 i 0/0",
		},
		organizing: allOrganizing,
	}, {
		name:         "period",
		filter:       queries.Filter{From: day("2014-10-15"), To: day("2014-11-30")},
		facilitators: allFacilitators, // the period does not apply to facilitators
		// R2 on the first day and R4 on the last count; R1, R5, R6 fall outside.
		respondents: respondents(3, 1, 2, 1, 1, 1, "Kab. Jember", 1, "Kab. Malang", 1, "Kota Malang", 1),
		problems:    "a 1/2 b 1/2 c 0/1 d 2/2 e 1/1 f 0/0 g 1/1 h 1/1 i 0/0",
		problemsByRegion: []string{
			"Kab. Jember: a 0/0 b 0/0 c 0/0 d 0/0 e 0/0 f 0/0 g 0/0 h 0/0 i 0/0",
			"Kab. Malang: a 0/1 b 1/1 c 0/0 d 1/1 e 1/1 f 0/0 g 1/1 h 1/1 i 0/0",
			"Kota Malang: a 1/1 b 0/1 c 0/1 d 1/1 e 0/0 f 0/0 g 0/0 h 0/0 i 0/0",
		},
		// In the period: K-01 stages 2-3 (15), K-02 stage 2 only, which reports
		// no members (0), J-01 stages 2-4 (20), S-01 stages 1-2 (9); B-01 none.
		organizing: organizing(4, 15+0+20+9, 4, 4, 2, 1, 0, 0),
	}, {
		name: "combined",
		filter: queries.Filter{Regions: []string{"Kota Malang", "Kab. Jember", "Kota Batu"}, Gender: "L", WorkType: "POS",
			From: day("2014-11-01")},
		facilitators: facilitators(fr("Kab. Jember", 0, 1, 0)),
		respondents:  respondents(1, 1, 0, 0, 1, 0, "Kota Batu", 1),
		problems:     "a 0/1 b 0/0 c 0/0 d 1/1 e 0/0 f 0/1 g 1/1 h 1/1 i 1/1",
		problemsByRegion: []string{
			"Kota Batu: a 0/1 b 0/0 c 0/0 d 1/1 e 0/0 f 0/1 g 1/1 h 1/1 i 1/1",
		},
		// K-01 stages 3-4 (15), J-01 stages 3-6 (25), B-01 stage 1 (0).
		organizing: organizing(3, 40, 3, 2, 2, 2, 1, 1),
	}, {
		name:             "nothing",
		filter:           queries.Filter{Regions: []string{"Kota Surabaya"}},
		facilitators:     facilitators(),
		respondents:      respondents(0, 0, 0, 0, 0, 0),
		problems:         "a 0/0 b 0/0 c 0/0 d 0/0 e 0/0 f 0/0 g 0/0 h 0/0 i 0/0",
		problemsByRegion: []string{},
		organizing:       organizing(0, 0, 0, 0, 0, 0, 0, 0),
	}}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, err := db.Summary(context.Background(), tt.filter)
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(s.Facilitators, tt.facilitators) {
				t.Errorf("facilitators:\n got %+v\nwant %+v", s.Facilitators, tt.facilitators)
			}
			if !reflect.DeepEqual(s.Respondents, tt.respondents) {
				t.Errorf("respondents:\n got %+v\nwant %+v", s.Respondents, tt.respondents)
			}
			if got := problemsText(s.Problems); got != tt.problems {
				t.Errorf("problems:\n got %s\nwant %s", got, tt.problems)
			}
			checkShares(t, s.Problems)
			if got := regionProblemsText(s.ProblemsByRegion); !reflect.DeepEqual(got, tt.problemsByRegion) {
				t.Errorf("problems by region:\n got %q\nwant %q", got, tt.problemsByRegion)
			}
			if !reflect.DeepEqual(s.Organizing, tt.organizing) {
				t.Errorf("organizing:\n got %+v\nwant %+v", s.Organizing, tt.organizing)
			}
			if !reflect.DeepEqual(s.Filter.Regions, append([]string{}, tt.filter.Regions...)) || s.Filter.Gender != tt.filter.Gender ||
				s.Filter.WorkType != tt.filter.WorkType || !s.Filter.From.Equal(tt.filter.From) || !s.Filter.To.Equal(tt.filter.To) {
				t.Errorf("filter echoed as %+v, want %+v", s.Filter, tt.filter)
			}
		})
	}
}

func TestProblemShareValues(t *testing.T) {
	db := summaryDB(t)
	ps, err := db.ProblemPrevalence(context.Background(), queries.Filter{WorkType: "SE"})
	if err != nil {
		t.Fatal(err)
	}
	labels := []string{"Tanpa Kontrak Tertulis", "Tidak Diakui sebagai Pekerja", "Tanpa Perlindungan Hukum",
		"Tanpa Jaminan Kesehatan", "Tanpa Jaminan Hari Tua", "Alat Kerja Sendiri", "Tanpa Nilai Tawar",
		"Upah di Bawah UMR", "Pemberi Kerja Tidak Diketahui"}
	for i, p := range ps {
		if p.Code != string(rune('a'+i)) || p.Label != labels[i] {
			t.Errorf("problem %d: %s %q, want %c %q", i, p.Code, p.Label, 'a'+i, labels[i])
		}
	}
	// a: 1 Ya of 1 answered; b: 0 of 1; e: nobody answered.
	if ps[0].Share == nil || *ps[0].Share != 1 || ps[1].Share == nil || *ps[1].Share != 0 || ps[4].Share != nil {
		t.Errorf("shares a, b, e: %v %v %v", ps[0].Share, ps[1].Share, ps[4].Share)
	}
	ps, err = db.ProblemPrevalence(context.Background(), queries.Filter{})
	if err != nil {
		t.Fatal(err)
	}
	if ps[0].Share == nil || *ps[0].Share != 0.6 { // 3 Ya of 5 answered; R4's blank counts neither way
		t.Errorf("share of a over everyone: %v, want 0.6", ps[0].Share)
	}
}

// The metric functions answer alone what Summary gathers.
func TestMetricsAlone(t *testing.T) {
	db := summaryDB(t)
	ctx := context.Background()
	f := queries.Filter{Regions: []string{"Kota Malang", "Kab. Jember"}, From: day("2014-10-15")}
	s, err := db.Summary(ctx, f)
	if err != nil {
		t.Fatal(err)
	}
	fac, err := db.FacilitatorsByRegion(ctx, f)
	if err != nil || !reflect.DeepEqual(fac, s.Facilitators) {
		t.Errorf("FacilitatorsByRegion: %+v, %v; Summary has %+v", fac, err, s.Facilitators)
	}
	res, err := db.RespondentCounts(ctx, f)
	if err != nil || !reflect.DeepEqual(res, s.Respondents) {
		t.Errorf("RespondentCounts: %+v, %v; Summary has %+v", res, err, s.Respondents)
	}
	pr, err := db.ProblemPrevalence(ctx, f)
	if err != nil || !reflect.DeepEqual(pr, s.Problems) {
		t.Errorf("ProblemPrevalence: %+v, %v; Summary has %+v", pr, err, s.Problems)
	}
	pbr, err := db.ProblemsByRegion(ctx, f)
	if err != nil || !reflect.DeepEqual(pbr, s.ProblemsByRegion) {
		t.Errorf("ProblemsByRegion: %+v, %v; Summary has %+v", pbr, err, s.ProblemsByRegion)
	}
	org, err := db.OrganizingFunnel(ctx, f)
	if err != nil || !reflect.DeepEqual(org, s.Organizing) {
		t.Errorf("OrganizingFunnel: %+v, %v; Summary has %+v", org, err, s.Organizing)
	}
	// R2, R4 and R5 (R1 is before the period); K-01 stages 2-4, J-01 stages 2-6.
	if s.Respondents.Total != 3 || s.Organizing.Groups != 2 || s.Organizing.Members != 15+25 {
		t.Errorf("respondents %d, groups %d, members %d; want 3, 2, 40", s.Respondents.Total, s.Organizing.Groups, s.Organizing.Members)
	}
	if got, want := problemsText(s.Problems), "a 2/2 b 0/1 c 0/2 d 1/2 e 1/1 f 1/1 g 1/1 h 0/0 i 0/0"; got != want {
		t.Errorf("problems:\n got %s\nwant %s", got, want)
	}
}

func TestSummaryRefusesInvalidFilter(t *testing.T) {
	db := querytest.Open(t)
	for _, f := range []queries.Filter{
		{Gender: "X"},
		{Gender: "p"},
		{WorkType: "Mandiri"},
		{From: day("2014-12-01"), To: day("2014-11-30")},
	} {
		if _, err := db.Summary(context.Background(), f); queries.ErrorCode(err) != queries.EINVALID {
			t.Errorf("filter %+v: got %v, want an %s error", f, err, queries.EINVALID)
		}
		if _, err := db.ProblemPrevalence(context.Background(), f); queries.ErrorCode(err) != queries.EINVALID {
			t.Errorf("ProblemPrevalence with filter %+v: got %v, want an %s error", f, err, queries.EINVALID)
		}
	}
	// A one-day period is valid.
	if _, err := db.Summary(context.Background(), queries.Filter{From: day("2014-11-30"), To: day("2014-11-30")}); err != nil {
		t.Errorf("one-day period: %v", err)
	}
}

func TestFilterJSON(t *testing.T) {
	wib := time.FixedZone("WIB", 7*3600)
	for _, tt := range []struct {
		filter queries.Filter
		want   string
	}{
		{queries.Filter{}, `{"regions":[],"gender":"","work_type":"","from":"","to":""}`},
		{queries.Filter{Regions: []string{}}, `{"regions":[],"gender":"","work_type":"","from":"","to":""}`},
		{queries.Filter{Regions: []string{"Kota Malang", "Kab. Jember"}, Gender: "P", WorkType: "SE",
			From: day("2014-10-15"), To: time.Date(2014, 11, 30, 23, 30, 0, 0, wib)},
			`{"regions":["Kota Malang","Kab. Jember"],"gender":"P","work_type":"SE","from":"2014-10-15","to":"2014-11-30"}`},
		{queries.Filter{To: day("2015-01-31")}, `{"regions":[],"gender":"","work_type":"","from":"","to":"2015-01-31"}`},
	} {
		got, err := json.Marshal(tt.filter)
		if err != nil {
			t.Fatal(err)
		}
		if string(got) != tt.want {
			t.Errorf("marshal %+v:\n got %s\nwant %s", tt.filter, got, tt.want)
		}
		var back queries.Filter
		if err := json.Unmarshal(got, &back); err != nil {
			t.Fatal(err)
		}
		if again, _ := json.Marshal(back); string(again) != tt.want {
			t.Errorf("round trip of %s gave %s", tt.want, again)
		}
	}
}

// keys lists the keys of a JSON object, and of the first element of each
// array of objects, as paths: "respondents.by_region[].region".
func keys(prefix string, v any, out *[]string) {
	switch v := v.(type) {
	case map[string]any:
		for k, x := range v {
			*out = append(*out, prefix+k)
			keys(prefix+k+".", x, out)
		}
	case []any:
		if len(v) > 0 {
			keys(strings.TrimSuffix(prefix, ".")+"[].", v[0], out)
		}
	}
}

func TestSummaryJSONShape(t *testing.T) {
	db := summaryDB(t)
	s, err := db.Summary(context.Background(), queries.Filter{Gender: "P", From: day("2014-10-01")})
	if err != nil {
		t.Fatal(err)
	}
	data, err := json.Marshal(s)
	if err != nil {
		t.Fatal(err)
	}
	var v map[string]any
	if err := json.Unmarshal(data, &v); err != nil {
		t.Fatal(err)
	}
	var got []string
	keys("", v, &got)
	sort.Strings(got)
	want := []string{
		"facilitators", "facilitators.by_region", "facilitators.by_region[].female", "facilitators.by_region[].male",
		"facilitators.by_region[].region", "facilitators.by_region[].total", "facilitators.by_region[].unknown",
		"facilitators.female", "facilitators.male", "facilitators.total", "facilitators.unknown",
		"filter", "filter.from", "filter.gender", "filter.regions", "filter.to", "filter.work_type",
		"organizing", "organizing.funnel", "organizing.funnel[].groups", "organizing.funnel[].name", "organizing.funnel[].stage",
		"organizing.groups", "organizing.members",
		"problems", "problems[].answered", "problems[].code", "problems[].label", "problems[].share", "problems[].yes",
		"problems_by_region", "problems_by_region[].answered", "problems_by_region[].code", "problems_by_region[].region",
		"problems_by_region[].yes",
		"respondents", "respondents.by_gender", "respondents.by_gender.female", "respondents.by_gender.male",
		"respondents.by_gender.unknown", "respondents.by_region", "respondents.by_region[].region", "respondents.by_region[].total",
		"respondents.by_work_type", "respondents.by_work_type.POS", "respondents.by_work_type.SE", "respondents.total",
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("keys:\n got %q\nwant %q", got, want)
	}
	if !strings.HasPrefix(string(data), `{"filter":{"regions":[],"gender":"P","work_type":"","from":"2014-10-01","to":""},"facilitators":{"total":3,"female":3,"male":0,"unknown":0,"by_region":[{"region":"Kab. Malang","female":1,"male":0,"unknown":0,"total":1},`) {
		t.Errorf("JSON starts:\n%s", data)
	}
}

// A filter matching nothing still gives every key, nine problems with null
// shares, six funnel stages, and empty arrays rather than nulls.
func TestSummaryJSONOfNothing(t *testing.T) {
	db := summaryDB(t)
	s, err := db.Summary(context.Background(), queries.Filter{Regions: []string{"Kota Surabaya"}})
	if err != nil {
		t.Fatal(err)
	}
	data, err := json.Marshal(s)
	if err != nil {
		t.Fatal(err)
	}
	var problems []string
	for _, c := range queries.ProblemCodes {
		problems = append(problems, fmt.Sprintf(`{"code":%q,"label":%q,"yes":0,"answered":0,"share":null}`,
			c, queries.ProblemLabels[c[0]-'a']))
	}
	want := `{"filter":{"regions":["Kota Surabaya"],"gender":"","work_type":"","from":"","to":""},` +
		`"facilitators":{"total":0,"female":0,"male":0,"unknown":0,"by_region":[]},` +
		`"respondents":{"total":0,"by_region":[],"by_work_type":{"POS":0,"SE":0},"by_gender":{"female":0,"male":0,"unknown":0}},` +
		`"problems":[` + strings.Join(problems, ",") + `],` +
		`"problems_by_region":[],` +
		`"organizing":{"groups":0,"members":0,"funnel":[` +
		`{"stage":1,"name":"Pemetaan","groups":0},{"stage":2,"name":"Pendekatan","groups":0},` +
		`{"stage":3,"name":"Pertemuan Kelompok","groups":0},{"stage":4,"name":"Pembentukan Kelompok","groups":0},` +
		`{"stage":5,"name":"Pemilihan Pengurus","groups":0},{"stage":6,"name":"Organisasi Berjalan","groups":0}]}}`
	if string(data) != want {
		t.Errorf("JSON:\n got %s\nwant %s", data, want)
	}
	// An empty database gives the same figures.
	empty, err := querytest.Open(t).Summary(context.Background(), queries.Filter{Regions: []string{"Kota Surabaya"}})
	if err != nil {
		t.Fatal(err)
	}
	if again, _ := json.Marshal(empty); string(again) != want {
		t.Errorf("JSON of an empty database:\n got %s\nwant %s", again, want)
	}
}
