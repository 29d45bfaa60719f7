package queries_test

import (
	"context"
	"encoding/json"
	"fmt"
	"reflect"
	"strings"
	"testing"

	"pantau/queries"
	"pantau/queries/querytest"
)

// trained is a participant who attended a training; date "" is undated. An
// id gives the row its own key, as an ID Peserta does.
func trained(p queries.Participant, id, training, date string) queries.Participant {
	if id != "" {
		p.ID, p.Key = id, strings.ToLower(id)
	}
	p.Training = training
	if date != "" {
		p.TrainingDate = day(date)
	}
	return p
}

// earning is a respondent with a product ("" not stated) and a monthly wage (-1 not stated).
func earning(r queries.Respondent, product string, wage int64) queries.Respondent {
	r.Product, r.MonthlyWage = product, wage
	return r
}

// umk is a row of a Wilayah sheet; umk -1 is "not given".
func umk(region string, year int, umk int64) queries.RegionWage {
	return queries.RegionWage{Row: 2, Key: strings.ToLower(fmt.Sprintf("%s|%d", region, year)), Region: region,
		Province: "Jawa Timur", Year: year, UMK: umk}
}

const (
	tot    = "TOT Organisasi dan Pengorganisasian"
	survei = "Pelatihan Survei"
	faslap = "Fasilitator Lapang"
)

// chartsDB holds the 2014 TOT participant list of WORKBOOKS.md (as
// sampledata/peserta.xlsx has it) with a few later rows of the same people,
// a small survey with products and wages, UMKs, and an organizing log whose
// figures the tests below know by hand.
func chartsDB(t testing.TB) *queries.DB {
	db := querytest.Open(t)
	commitBatch(t, db, func(b *queries.Batch) error {
		atTOT := func(name, role, region, gender string) queries.Participant {
			return trained(person(name, role, region, gender, role == faslap), "", tot, "2014-09-11")
		}
		participants := []queries.Participant{
			atTOT("Cecilia Susiloretno", "Manager Program MAMPU", "", ""),
			atTOT("Dardiri", "Vice Manager Program MAMPU", "", ""),
			atTOT("Ali Maxoem", "Div. Data dan Informasi", "", ""),
			atTOT("Sarno", "Div. Pengorganisasian dan Training", "", ""),
			atTOT("Veronica Yuniar M", "Staff Keuangan Program MAMPU", "", ""),
			atTOT("Taufan", "Staff Administrasi Program MAMPU", "", ""),
			atTOT("Faslap Kota Malang 1", faslap, "Kota Malang", "P"),
			atTOT("Faslap Kota Malang 2", faslap, "Kota Malang", "P"),
			atTOT("Faslap Kab. Malang 1", faslap, "Kab. Malang", "P"),
			atTOT("Faslap Kab. Malang 2", faslap, "Kab. Malang", "P"),
			atTOT("Faslap Kota Batu 1", faslap, "Kota Batu", "P"),
			atTOT("Faslap Kota Surabaya 1", faslap, "Kota Surabaya", "P"),
			atTOT("Faslap Kota Surabaya 2", faslap, "Kota Surabaya", "P"),
			atTOT("Faslap Kab. Sidoarjo 1", faslap, "Kab. Sidoarjo", "L"),
			atTOT("Faslap Kota Mojokerto 1", faslap, "Kota Mojokerto", "P"),
			atTOT("Cahyono Agus Rifa'i", faslap, "Kab. Mojokerto", "L"),
			atTOT("Faslap Kab. Probolinggo 1", faslap, "Kab. Probolinggo", "P"),
			atTOT("Faslap Kab. Probolinggo 2", faslap, "Kab. Probolinggo", "P"),
			atTOT("Faslap Kab. Jember 1", faslap, "Kab. Jember", "P"),
			atTOT("Faslap Kab. Jember 2", faslap, "Kab. Jember", "L"),
			// Later rows of the same people under their own IDs: one person each.
			trained(person("Faslap Kota Malang 1", faslap, "Kota Malang", "P", true), "FL-01", survei, "2014-10-20"),
			trained(person("faslap kota malang 1", faslap, "Kota Malang", "", true), "FL-02", "Refleksi Lapangan", ""), // undated, gender blank
			trained(person("Faslap Kab. Jember 2", faslap, "Kab. Jember", "L", true), "FL-03", tot, "2015-03-01"),      // the same training again
			trained(person("Sarno", "Div. Pengorganisasian dan Training", "", "", false), "ST-01", survei, "2014-10-20"),
			// Two more finance staff, spelling the role their own way: the most common spelling.
			trained(person("Dewi", "staff keuangan program mampu", "", "P", false), "ST-02", "", ""),
			trained(person("Rina", "staff keuangan program mampu", "", "P", false), "ST-03", "", ""),
		}
		for _, p := range participants {
			if err := b.AddParticipant(p); err != nil {
				return err
			}
		}
		for _, r := range []queries.RegionWage{
			umk("Kota Malang", 2014, 1_587_000),
			umk("Kota Malang", 2015, 1_882_250),
			umk("Kab. Jember", 2014, 1_270_000), // used for 2015 too: the latest year before
			umk("Kab. Malang", 2015, 1_962_000), // none for 2014
			umk("Kota Batu", 2014, -1),          // a UMK row without the UMK
		} {
			if err := b.AddRegion(r); err != nil {
				return err
			}
		}
		for _, r := range []queries.Respondent{
			//                                                                   abcdefghi
			earning(surveyed("R1", "2014-10-01", "Kota Malang", "P", "POS", "YYN------"), "Batik", 800_000),
			earning(surveyed("R2", "2014-10-15", "Kota Malang", "L", "SE", "YNNY-----"), "batik", 2_000_000),
			earning(surveyed("R3", "2014-11-01", "Kab. Malang", "P", "POS", "NY-YY-YY-"), "Sepatu", 900_000),
			earning(surveyed("R4", "2014-11-30", "Kab. Jember", "", "SE", "---------"), "", -1),
			earning(surveyed("R5", "2014-12-05", "Kab. Jember", "P", "POS", "Y-NNYYY--"), "Batik", 1_000_000),
			earning(surveyed("R6", "2015-01-10", "Kota Batu", "L", "POS", "N--Y-NYYY"), "Sepatu", 700_000),
			earning(surveyed("R7", "2015-02-01", "Kota Malang", "P", "POS", "YYYYYYYYY"), "Batik", 1_500_000),
			earning(surveyed("R8", "2015-03-01", "Kab. Malang", "", "SE", "NNNNNNNNN"), "Makanan", 2_500_000),
			earning(surveyed("R9", "2014-12-20", "Kab. Jember", "L", "POS", "YY-------"), "Sepatu", 1_400_000),
			earning(surveyed("R10", "2015-01-05", "Kab. Jember", "P", "POS", "---------"), "Sepatu", 1_300_000),
		} {
			if err := b.AddRespondent(r); err != nil {
				return err
			}
		}
		for _, g := range []queries.GroupStage{
			logged("K-01", "Kota Malang", 1, "2014-09-15", -1),
			logged("K-01", "Kota Malang", 2, "2014-10-20", 12),
			logged("K-01", "Kota Malang", 3, "2014-11-15", 15),
			logged("k-01", "Kota Malang", 4, "2014-12-10", -1), // formed; other spelling, no members
			logged("K-02", "Kota Malang", 1, "2014-10-05", 8),
			logged("K-02", "Kota Malang", 2, "2014-10-15", -1),
			logged("J-01", "Kab. Jember", 1, "2014-10-10", -1),
			logged("J-01", "Kab. Jember", 4, "2014-11-30", 20), // formed
			logged("J-01", "Kab. Jember", 5, "2015-01-15", 22),
			logged("J-01", "Kab. Jember", 6, "2015-01-15", 25),
			logged("J-02", "Kab. Jember", 5, "2015-02-03", 10), // formed at stage 5: no stage 4 row
			logged("M-01", "Kab. Malang", 1, "2014-09-20", -1),
			logged("M-01", "Kab. Malang", 2, "2014-10-01", 6),
			logged("M-01", "Kab. Sidoarjo", 3, "2014-11-02", 9), // moved: its latest row is in Sidoarjo
			logged("S-01", "Kab. Sidoarjo", 1, "2014-11-10", 5),
			logged("S-01", "Kab. Sidoarjo", 2, "2014-11-10", 9),
			logged("B-01", "Kota Batu", 1, "2014-12-01", -1),
			logged("S-02", "Kab. Sidoarjo", 4, "2014-12-28", 11), // formed
			logged("S-02", "Kab. Sidoarjo", 6, "2015-04-02", 14),
		} {
			if err := b.AddGroupStage(g); err != nil {
				return err
			}
		}
		return nil
	})
	return db
}

// splitText writes problem splits as "POS 7: a 4/6 b 4/4 ...".
func splitText(splits []queries.ProblemSplit) []string {
	lines := []string{}
	for _, s := range splits {
		lines = append(lines, fmt.Sprintf("%s %d: %s", s.Group, s.Respondents, problemsText(s.Problems)))
	}
	return lines
}

const noProblems = "a 0/0 b 0/0 c 0/0 d 0/0 e 0/0 f 0/0 g 0/0 h 0/0 i 0/0"

func TestProblemsByWorkTypeAndGender(t *testing.T) {
	db := chartsDB(t)
	ctx := context.Background()
	tests := []struct {
		name       string
		filter     queries.Filter
		byWorkType []string
		byGender   []string
	}{{
		name: "everything",
		byWorkType: []string{
			"POS 7: a 4/6 b 4/4 c 1/3 d 3/4 e 3/3 f 2/3 g 4/4 h 3/3 i 2/2",
			"SE 3: a 1/2 b 0/2 c 0/2 d 1/2 e 0/1 f 0/1 g 0/1 h 0/1 i 0/1",
		},
		byGender: []string{
			"P 5: a 3/4 b 3/3 c 1/3 d 2/3 e 3/3 f 2/2 g 3/3 h 2/2 i 1/1",
			"L 3: a 2/3 b 1/2 c 0/1 d 2/2 e 0/0 f 0/1 g 1/1 h 1/1 i 1/1",
			" 2: a 0/1 b 0/1 c 0/1 d 0/1 e 0/1 f 0/1 g 0/1 h 0/1 i 0/1", // R4 (all blank) and R8
		},
	}, {
		name:   "a region",
		filter: queries.Filter{Regions: []string{"Kota Malang"}},
		byWorkType: []string{
			"POS 2: a 2/2 b 2/2 c 1/2 d 1/1 e 1/1 f 1/1 g 1/1 h 1/1 i 1/1",
			"SE 1: a 1/1 b 0/1 c 0/1 d 1/1 e 0/0 f 0/0 g 0/0 h 0/0 i 0/0",
		},
		byGender: []string{
			"P 2: a 2/2 b 2/2 c 1/2 d 1/1 e 1/1 f 1/1 g 1/1 h 1/1 i 1/1",
			"L 1: a 1/1 b 0/1 c 0/1 d 1/1 e 0/0 f 0/0 g 0/0 h 0/0 i 0/0",
			" 0: " + noProblems,
		},
	}, {
		name:       "self-employed: POS still there, empty",
		filter:     queries.Filter{WorkType: "SE"},
		byWorkType: []string{"POS 0: " + noProblems, "SE 3: a 1/2 b 0/2 c 0/2 d 1/2 e 0/1 f 0/1 g 0/1 h 0/1 i 0/1"},
		byGender: []string{
			"P 0: " + noProblems,
			"L 1: a 1/1 b 0/1 c 0/1 d 1/1 e 0/0 f 0/0 g 0/0 h 0/0 i 0/0",
			" 2: a 0/1 b 0/1 c 0/1 d 0/1 e 0/1 f 0/1 g 0/1 h 0/1 i 0/1",
		},
	}, {
		name:       "men",
		filter:     queries.Filter{Gender: "L"},
		byWorkType: []string{"POS 2: a 1/2 b 1/1 c 0/0 d 1/1 e 0/0 f 0/1 g 1/1 h 1/1 i 1/1", "SE 1: a 1/1 b 0/1 c 0/1 d 1/1 e 0/0 f 0/0 g 0/0 h 0/0 i 0/0"},
		byGender:   []string{"P 0: " + noProblems, "L 3: a 2/3 b 1/2 c 0/1 d 2/2 e 0/0 f 0/1 g 1/1 h 1/1 i 1/1", " 0: " + noProblems},
	}, {
		name:       "period: R4 on the last day",
		filter:     queries.Filter{From: day("2014-11-01"), To: day("2014-11-30")},
		byWorkType: []string{"POS 1: a 0/1 b 1/1 c 0/0 d 1/1 e 1/1 f 0/0 g 1/1 h 1/1 i 0/0", "SE 1: " + noProblems},
		byGender:   []string{"P 1: a 0/1 b 1/1 c 0/0 d 1/1 e 1/1 f 0/0 g 1/1 h 1/1 i 0/0", "L 0: " + noProblems, " 1: " + noProblems},
	}, {
		name:       "nothing",
		filter:     queries.Filter{Regions: []string{"Kota Surabaya"}},
		byWorkType: []string{"POS 0: " + noProblems, "SE 0: " + noProblems},
		byGender:   []string{"P 0: " + noProblems, "L 0: " + noProblems, " 0: " + noProblems},
	}}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			byWork, err := db.ProblemsByWorkType(ctx, tt.filter)
			if err != nil {
				t.Fatal(err)
			}
			if got := splitText(byWork); !reflect.DeepEqual(got, tt.byWorkType) {
				t.Errorf("by work type:\n got %q\nwant %q", got, tt.byWorkType)
			}
			byGender, err := db.ProblemsByGender(ctx, tt.filter)
			if err != nil {
				t.Fatal(err)
			}
			if got := splitText(byGender); !reflect.DeepEqual(got, tt.byGender) {
				t.Errorf("by gender:\n got %q\nwant %q", got, tt.byGender)
			}
			// Labels and shares as ProblemPrevalence has them; the groups add
			// up to ProblemPrevalence and RespondentCounts.
			all, err := db.ProblemPrevalence(ctx, tt.filter)
			if err != nil {
				t.Fatal(err)
			}
			counts, err := db.RespondentCounts(ctx, tt.filter)
			if err != nil {
				t.Fatal(err)
			}
			for _, splits := range [][]queries.ProblemSplit{byWork, byGender} {
				sum := make([]queries.ProblemShare, 9)
				n := 0
				for _, s := range splits {
					checkShares(t, s.Problems)
					n += s.Respondents
					for i, p := range s.Problems {
						sum[i].Code, sum[i].Yes, sum[i].Answered = p.Code, sum[i].Yes+p.Yes, sum[i].Answered+p.Answered
					}
				}
				if got, want := problemsText(sum), problemsText(all); got != want || n != counts.Total {
					t.Errorf("groups add up to %d respondents, %s; want %d, %s", n, got, counts.Total, want)
				}
			}
		})
	}
}

func TestRespondentsByProduct(t *testing.T) {
	db := chartsDB(t)
	pc := func(product string, pos, se int) queries.ProductCount {
		return queries.ProductCount{Product: product, Total: pos + se, POS: pos, SE: se}
	}
	for _, tt := range []struct {
		name   string
		filter queries.Filter
		want   []queries.ProductCount
	}{
		// "Batik" 3 and "batik" 1 are one product, named by the common
		// spelling; Batik and Sepatu tie at 4 and sort by name, as do "" and
		// Makanan at 1.
		{"everything", queries.Filter{}, []queries.ProductCount{pc("Batik", 3, 1), pc("Sepatu", 4, 0), pc("", 0, 1), pc("Makanan", 0, 1)}},
		{"a region", queries.Filter{Regions: []string{"Kab. Jember"}}, []queries.ProductCount{pc("Sepatu", 2, 0), pc("", 0, 1), pc("Batik", 1, 0)}},
		// Among men only the lower-case spelling is left.
		{"men", queries.Filter{Gender: "L"}, []queries.ProductCount{pc("Sepatu", 2, 0), pc("batik", 0, 1)}},
		{"self-employed", queries.Filter{WorkType: "SE"}, []queries.ProductCount{pc("", 0, 1), pc("Makanan", 0, 1), pc("batik", 0, 1)}},
		{"period", queries.Filter{From: day("2015-01-01")}, []queries.ProductCount{pc("Sepatu", 2, 0), pc("Batik", 1, 0), pc("Makanan", 0, 1)}},
		{"nothing", queries.Filter{Regions: []string{"Kota Surabaya"}}, []queries.ProductCount{}},
	} {
		got, err := db.RespondentsByProduct(context.Background(), tt.filter)
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(got, tt.want) {
			t.Errorf("%s:\n got %+v\nwant %+v", tt.name, got, tt.want)
		}
	}
}

func TestWagesAgainstUMK(t *testing.T) {
	db := chartsDB(t)
	w := func(region string, n int, mean, umk int64, below int) queries.WageAgainstUMK {
		return queries.WageAgainstUMK{Region: region, Respondents: n, MeanWage: mean, UMK: umk, BelowUMK: below}
	}
	for _, tt := range []struct {
		name   string
		filter queries.Filter
		want   []queries.WageAgainstUMK
	}{{
		// Kab. Jember: R5, R9 (2014) and R10 (2015, on the 2014 UMK); R4 states no wage.
		// Kab. Malang: R8 (2015); R3 is of 2014, for which the region has no UMK.
		// Kota Batu: its Wilayah row gives no UMK. Kota Malang: R1, R2 on the
		// 2014 UMK, R7 on the 2015 one, the latest year used.
		name: "everything",
		want: []queries.WageAgainstUMK{
			w("Kab. Jember", 3, 1_233_333, 1_270_000, 1),
			w("Kab. Malang", 1, 2_500_000, 1_962_000, 0),
			w("Kota Malang", 3, 1_433_333, 1_882_250, 2),
		},
	}, {
		name:   "2014",
		filter: queries.Filter{To: day("2014-12-31")},
		want: []queries.WageAgainstUMK{
			w("Kab. Jember", 2, 1_200_000, 1_270_000, 1),
			w("Kota Malang", 2, 1_400_000, 1_587_000, 1),
		},
	}, {
		name:   "putting-out",
		filter: queries.Filter{WorkType: "POS"},
		want: []queries.WageAgainstUMK{
			w("Kab. Jember", 3, 1_233_333, 1_270_000, 1),
			w("Kota Malang", 2, 1_150_000, 1_882_250, 2),
		},
	}, {
		name:   "men in two regions",
		filter: queries.Filter{Regions: []string{"Kab. Jember", "Kota Batu"}, Gender: "L"},
		want:   []queries.WageAgainstUMK{w("Kab. Jember", 1, 1_400_000, 1_270_000, 0)},
	}, {
		name:   "no UMK",
		filter: queries.Filter{Regions: []string{"Kota Batu"}},
		want:   []queries.WageAgainstUMK{},
	}} {
		got, err := db.WagesAgainstUMK(context.Background(), tt.filter)
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(got, tt.want) {
			t.Errorf("%s:\n got %+v\nwant %+v", tt.name, got, tt.want)
		}
	}
}

func TestOrganizingByRegion(t *testing.T) {
	db := chartsDB(t)
	ctx := context.Background()
	ro := func(region string, members int, atStage ...int) queries.RegionOrganizing {
		r := queries.RegionOrganizing{Region: region, Members: members}
		copy(r.AtStage[:], atStage)
		for _, n := range atStage {
			r.Groups += n
		}
		return r
	}
	for _, tt := range []struct {
		name   string
		filter queries.Filter
		want   []queries.RegionOrganizing
	}{{
		// M-01 counts in Kab. Sidoarjo, the region of its latest row; Kab. Malang has no group.
		name: "everything",
		want: []queries.RegionOrganizing{
			ro("Kab. Jember", 25+10, 0, 0, 0, 0, 1, 1),
			ro("Kab. Sidoarjo", 9+9+14, 0, 1, 1, 0, 0, 1),
			ro("Kota Batu", 0, 1),
			ro("Kota Malang", 15+8, 0, 1, 0, 1),
		},
	}, {
		// Only M-01's Kab. Malang rows are in the filter: it is there, at stage 2.
		name:   "two regions",
		filter: queries.Filter{Regions: []string{"Kab. Malang", "Kota Malang"}},
		want:   []queries.RegionOrganizing{ro("Kab. Malang", 6, 0, 1), ro("Kota Malang", 15+8, 0, 1, 0, 1)},
	}, {
		name:   "period",
		filter: queries.Filter{From: day("2014-10-01"), To: day("2014-11-30")},
		want: []queries.RegionOrganizing{
			ro("Kab. Jember", 20, 0, 0, 0, 1),
			ro("Kab. Sidoarjo", 9+9, 0, 1, 1),
			ro("Kota Malang", 15+8, 0, 1, 1),
		},
	}, {
		name:   "gender and work type do not apply",
		filter: queries.Filter{Gender: "L", WorkType: "SE", Regions: []string{"Kota Batu"}},
		want:   []queries.RegionOrganizing{ro("Kota Batu", 0, 1)},
	}, {
		name:   "nothing",
		filter: queries.Filter{Regions: []string{"Kota Surabaya"}},
		want:   []queries.RegionOrganizing{},
	}} {
		got, err := db.OrganizingByRegion(ctx, tt.filter)
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(got, tt.want) {
			t.Errorf("%s:\n got %+v\nwant %+v", tt.name, got, tt.want)
		}
		// The regions add up to the funnel: each group in one region.
		funnel, err := db.OrganizingFunnel(ctx, tt.filter)
		if err != nil {
			t.Fatal(err)
		}
		var groups, members int
		var atLeast [6]int
		for _, r := range got {
			groups += r.Groups
			members += r.Members
			for s, n := range r.AtStage {
				for k := 0; k <= s; k++ {
					atLeast[k] += n
				}
			}
		}
		if groups != funnel.Groups || members != funnel.Members {
			t.Errorf("%s: regions add up to %d groups, %d members; the funnel has %d, %d", tt.name, groups, members, funnel.Groups, funnel.Members)
		}
		for i, st := range funnel.Funnel {
			if atLeast[i] != st.Groups {
				t.Errorf("%s: stage %d: %d groups by region, %d in the funnel", tt.name, st.Stage, atLeast[i], st.Groups)
			}
		}
	}
}

func TestGroupsFormedByMonth(t *testing.T) {
	db := chartsDB(t)
	// months alternates month, formed, cumulative.
	months := func(v ...any) []queries.MonthCount {
		list := []queries.MonthCount{}
		for i := 0; i < len(v); i += 3 {
			list = append(list, queries.MonthCount{Month: v[i].(string), Formed: v[i+1].(int), Cumulative: v[i+2].(int)})
		}
		return list
	}
	for _, tt := range []struct {
		name   string
		filter queries.Filter
		want   []queries.MonthCount
	}{
		// J-01 on 2014-11-30, K-01 (its stage 4 row spelt k-01) and S-02 in
		// December, J-02 at stage 5 in February; January is filled with 0.
		{"everything", queries.Filter{}, months("2014-11", 1, 1, "2014-12", 2, 3, "2015-01", 0, 3, "2015-02", 1, 4)},
		{"a region", queries.Filter{Regions: []string{"Kab. Jember"}}, months("2014-11", 1, 1, "2014-12", 0, 1, "2015-01", 0, 1, "2015-02", 1, 2)},
		// J-01 was formed before the period; its stage 5 and 6 rows within it do not form it again.
		{"from December", queries.Filter{From: day("2014-12-01")}, months("2014-12", 2, 2, "2015-01", 0, 2, "2015-02", 1, 3)},
		{"to the last day of November", queries.Filter{To: day("2014-11-30")}, months("2014-11", 1, 1)},
		{"gender and work type do not apply", queries.Filter{Gender: "P", WorkType: "POS", Regions: []string{"Kab. Sidoarjo"}}, months("2014-12", 1, 1)},
		{"no group formed", queries.Filter{Regions: []string{"Kota Batu"}}, months()},
	} {
		got, err := db.GroupsFormedByMonth(context.Background(), tt.filter)
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(got, tt.want) {
			t.Errorf("%s:\n got %+v\nwant %+v", tt.name, got, tt.want)
		}
	}
}

func TestFacilitatorRoster(t *testing.T) {
	db := chartsDB(t)
	ctx := context.Background()
	entry := func(name, region, gender string, trainings ...string) queries.RosterEntry {
		return queries.RosterEntry{Name: name, Role: faslap, Region: region, Gender: gender, Trainings: append([]string{}, trainings...)}
	}
	all := []queries.RosterEntry{
		entry("Faslap Kab. Jember 1", "Kab. Jember", "P", tot),
		entry("Faslap Kab. Jember 2", "Kab. Jember", "L", tot), // the TOT twice, listed once
		entry("Faslap Kab. Malang 1", "Kab. Malang", "P", tot),
		entry("Faslap Kab. Malang 2", "Kab. Malang", "P", tot),
		entry("Cahyono Agus Rifa'i", "Kab. Mojokerto", "L", tot),
		entry("Faslap Kab. Probolinggo 1", "Kab. Probolinggo", "P", tot),
		entry("Faslap Kab. Probolinggo 2", "Kab. Probolinggo", "P", tot),
		entry("Faslap Kab. Sidoarjo 1", "Kab. Sidoarjo", "L", tot),
		entry("Faslap Kota Batu 1", "Kota Batu", "P", tot),
		// Three rows, three trainings, one person: by date, the undated one last;
		// the name as on the latest row, the gender the latest stated.
		entry("Faslap Kota Malang 1", "Kota Malang", "P", tot, survei, "Refleksi Lapangan"),
		entry("Faslap Kota Malang 2", "Kota Malang", "P", tot),
		entry("Faslap Kota Mojokerto 1", "Kota Mojokerto", "P", tot),
		entry("Faslap Kota Surabaya 1", "Kota Surabaya", "P", tot),
		entry("Faslap Kota Surabaya 2", "Kota Surabaya", "P", tot),
	}
	pick := func(names ...string) []queries.RosterEntry {
		list := []queries.RosterEntry{}
		for _, e := range all {
			for _, n := range names {
				if e.Name == n {
					list = append(list, e)
				}
			}
		}
		return list
	}
	for _, tt := range []struct {
		name   string
		filter queries.Filter
		want   []queries.RosterEntry
	}{
		{"everyone: the 14 of the TOT", queries.Filter{}, all},
		{"men", queries.Filter{Gender: "L"}, pick("Faslap Kab. Jember 2", "Cahyono Agus Rifa'i", "Faslap Kab. Sidoarjo 1")},
		{"a region", queries.Filter{Regions: []string{"Kota Malang"}}, pick("Faslap Kota Malang 1", "Faslap Kota Malang 2")},
		// Work type and period do not apply.
		{"women of two regions", queries.Filter{Regions: []string{"Kab. Jember", "Kota Batu"}, Gender: "P", WorkType: "SE", From: day("2020-01-01")},
			pick("Faslap Kab. Jember 1", "Faslap Kota Batu 1")},
		{"nobody", queries.Filter{Regions: []string{"Kota Malang"}, Gender: "L"}, []queries.RosterEntry{}},
	} {
		got, err := db.FacilitatorRoster(ctx, tt.filter)
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(got, tt.want) {
			t.Errorf("%s:\n got %+v\nwant %+v", tt.name, got, tt.want)
		}
	}
}

func TestStaffByRole(t *testing.T) {
	db := chartsDB(t)
	rc := func(role string, female, male, unknown int) queries.RoleCount {
		return queries.RoleCount{Role: role, GenderCounts: queries.GenderCounts{Female: female, Male: male, Unknown: unknown},
			Total: female + male + unknown}
	}
	for _, tt := range []struct {
		name   string
		filter queries.Filter
		want   []queries.RoleCount
	}{{
		// 14 facilitators (Faslap Kota Malang 1 and Kab. Jember 2 once each);
		// two of three finance staff spell their role in lower case; Sarno's
		// two rows are one person.
		name: "everyone",
		want: []queries.RoleCount{
			rc(faslap, 11, 3, 0),
			rc("staff keuangan program mampu", 2, 0, 1),
			rc("Div. Data dan Informasi", 0, 0, 1),
			rc("Div. Pengorganisasian dan Training", 0, 0, 1),
			rc("Manager Program MAMPU", 0, 0, 1),
			rc("Staff Administrasi Program MAMPU", 0, 0, 1),
			rc("Vice Manager Program MAMPU", 0, 0, 1),
		},
	}, {
		name:   "women",
		filter: queries.Filter{Gender: "P"},
		want:   []queries.RoleCount{rc(faslap, 11, 0, 0), rc("staff keuangan program mampu", 2, 0, 0)},
	}, {
		// People without a region are left out under a region filter.
		name:   "a region",
		filter: queries.Filter{Regions: []string{"Kota Malang", "Kab. Jember"}},
		want:   []queries.RoleCount{rc(faslap, 3, 1, 0)},
	}, {
		name:   "work type and period do not apply",
		filter: queries.Filter{Gender: "L", WorkType: "POS", To: day("2000-01-01")},
		want:   []queries.RoleCount{rc(faslap, 0, 3, 0)},
	}, {
		name:   "nobody",
		filter: queries.Filter{Regions: []string{"Kab. Tuban"}},
		want:   []queries.RoleCount{},
	}} {
		got, err := db.StaffByRole(context.Background(), tt.filter)
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(got, tt.want) {
			t.Errorf("%s:\n got %+v\nwant %+v", tt.name, got, tt.want)
		}
		// The facilitators of StaffByRole are the people of the roster.
		roster, err := db.FacilitatorRoster(context.Background(), tt.filter)
		if err != nil {
			t.Fatal(err)
		}
		facilitators := 0
		for _, r := range got {
			if r.Role == faslap {
				facilitators = r.Total
			}
		}
		if facilitators != len(roster) {
			t.Errorf("%s: %d facilitators by role, %d in the roster", tt.name, facilitators, len(roster))
		}
	}
}

// chartResults runs every chart metric for f and returns their JSON.
func chartResults(t *testing.T, db *queries.DB, f queries.Filter) map[string]string {
	t.Helper()
	ctx := context.Background()
	out := map[string]string{}
	add := func(name string, v any, err error) {
		t.Helper()
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		data, err := json.Marshal(v)
		if err != nil {
			t.Fatal(err)
		}
		out[name] = string(data)
	}
	v1, err := db.ProblemsByWorkType(ctx, f)
	add("ProblemsByWorkType", v1, err)
	v2, err := db.ProblemsByGender(ctx, f)
	add("ProblemsByGender", v2, err)
	v3, err := db.RespondentsByProduct(ctx, f)
	add("RespondentsByProduct", v3, err)
	v4, err := db.WagesAgainstUMK(ctx, f)
	add("WagesAgainstUMK", v4, err)
	v5, err := db.OrganizingByRegion(ctx, f)
	add("OrganizingByRegion", v5, err)
	v6, err := db.GroupsFormedByMonth(ctx, f)
	add("GroupsFormedByMonth", v6, err)
	v7, err := db.FacilitatorRoster(ctx, f)
	add("FacilitatorRoster", v7, err)
	v8, err := db.StaffByRole(ctx, f)
	add("StaffByRole", v8, err)
	return out
}

// An empty database gives empty lists, never null, and the splits keep their groups.
func TestChartsOfAnEmptyDatabase(t *testing.T) {
	var problems []string
	for _, c := range queries.ProblemCodes {
		problems = append(problems, fmt.Sprintf(`{"code":%q,"label":%q,"yes":0,"answered":0,"share":null}`,
			c, queries.ProblemLabels[c[0]-'a']))
	}
	split := func(group string) string {
		return fmt.Sprintf(`{"group":%q,"respondents":0,"problems":[%s]}`, group, strings.Join(problems, ","))
	}
	want := map[string]string{
		"ProblemsByWorkType":   "[" + split("POS") + "," + split("SE") + "]",
		"ProblemsByGender":     "[" + split("P") + "," + split("L") + "," + split("") + "]",
		"RespondentsByProduct": "[]",
		"WagesAgainstUMK":      "[]",
		"OrganizingByRegion":   "[]",
		"GroupsFormedByMonth":  "[]",
		"FacilitatorRoster":    "[]",
		"StaffByRole":          "[]",
	}
	got := chartResults(t, querytest.Open(t), queries.Filter{})
	for name, w := range want {
		if got[name] != w {
			t.Errorf("%s:\n got %s\nwant %s", name, got[name], w)
		}
	}
}

// The JSON of each entry is a contract with the dashboards.
func TestChartsJSON(t *testing.T) {
	got := chartResults(t, chartsDB(t), queries.Filter{Regions: []string{"Kota Malang"}})
	for name, prefix := range map[string]string{
		"ProblemsByWorkType":   `[{"group":"POS","respondents":2,"problems":[{"code":"a","label":"Tanpa Kontrak Tertulis","yes":2,"answered":2,"share":1},`,
		"RespondentsByProduct": `[{"product":"Batik","total":3,"POS":2,"SE":1}]`,
		"WagesAgainstUMK":      `[{"region":"Kota Malang","respondents":3,"mean_wage":1433333,"umk":1882250,"below_umk":2}]`,
		"OrganizingByRegion":   `[{"region":"Kota Malang","groups":2,"at_stage":[0,1,0,1,0,0],"members":23}]`,
		"GroupsFormedByMonth":  `[{"month":"2014-12","formed":1,"cumulative":1}]`,
		"FacilitatorRoster":    `[{"name":"Faslap Kota Malang 1","role":"Fasilitator Lapang","region":"Kota Malang","gender":"P","trainings":["TOT Organisasi dan Pengorganisasian","Pelatihan Survei","Refleksi Lapangan"]},`,
		"StaffByRole":          `[{"role":"Fasilitator Lapang","female":2,"male":0,"unknown":0,"total":2}]`,
	} {
		if !strings.HasPrefix(got[name], prefix) {
			t.Errorf("%s:\n got %s\nwant it to start %s", name, got[name], prefix)
		}
	}
}

func TestChartsRefuseInvalidFilter(t *testing.T) {
	db := querytest.Open(t)
	ctx := context.Background()
	metrics := map[string]func(queries.Filter) error{
		"ProblemsByWorkType":   func(f queries.Filter) error { _, err := db.ProblemsByWorkType(ctx, f); return err },
		"ProblemsByGender":     func(f queries.Filter) error { _, err := db.ProblemsByGender(ctx, f); return err },
		"RespondentsByProduct": func(f queries.Filter) error { _, err := db.RespondentsByProduct(ctx, f); return err },
		"WagesAgainstUMK":      func(f queries.Filter) error { _, err := db.WagesAgainstUMK(ctx, f); return err },
		"OrganizingByRegion":   func(f queries.Filter) error { _, err := db.OrganizingByRegion(ctx, f); return err },
		"GroupsFormedByMonth":  func(f queries.Filter) error { _, err := db.GroupsFormedByMonth(ctx, f); return err },
		"FacilitatorRoster":    func(f queries.Filter) error { _, err := db.FacilitatorRoster(ctx, f); return err },
		"StaffByRole":          func(f queries.Filter) error { _, err := db.StaffByRole(ctx, f); return err },
	}
	for name, metric := range metrics {
		for _, f := range []queries.Filter{{Gender: "X"}, {WorkType: "Mandiri"}, {From: day("2014-12-01"), To: day("2014-11-30")}} {
			if err := metric(f); queries.ErrorCode(err) != queries.EINVALID {
				t.Errorf("%s with filter %+v: got %v, want an %s error", name, f, err, queries.EINVALID)
			}
		}
	}
}
