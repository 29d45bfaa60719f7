package ingest_test

import (
	"fmt"
	"testing"

	"pantau/ingest"
	"pantau/queries"
)

// Hand-built workbooks for the data quality flags: the survey's columns,
// every respondent answering one problem unless planted otherwise.
var (
	flagSurveyHeader = []any{"ID Responden", "Tanggal Survei", "Wilayah", "Kecamatan", "Fasilitator", "Jenis Pekerjaan", "Upah per Bulan", "Tanpa Kontrak Tertulis"}
	flagGroupHeader  = []any{"Kode Kelompok", "Wilayah", "Tahap", "Tanggal", "Jumlah Anggota"}
)

func surveyRow(id, date, region, kecamatan, facilitator string, wage any) []any {
	return []any{id, date, region, kecamatan, facilitator, "POS", wage, "Ya"}
}

// sameDay is n respondents of facilitator on one day, ids prefix1...
func sameDay(n int, prefix, date, facilitator string) [][]any {
	var out [][]any
	for i := 1; i <= n; i++ {
		out = append(out, surveyRow(fmt.Sprintf("%s%d", prefix, i), date, "Kota Surabaya", "", facilitator, ""))
	}
	return out
}

// batuWages are eleven ordinary wages of Kota Batu, 1,000,000 to 2,000,000.
func batuWages() [][]any {
	var out [][]any
	for i := range 11 {
		out = append(out, surveyRow(fmt.Sprintf("B%02d", i+1), "15/09/2014", "Kota Batu", "", "", 1_000_000+100_000*i))
	}
	return out
}

// TestQualityFlagsFromWorkbooks: each flag kind, planted in a workbook
// beside near misses, is raised exactly where planted, in the upload's
// preview (this file's rows) and in the quality report once stored; a
// clean workbook of the same near misses raises none.
func TestQualityFlagsFromWorkbooks(t *testing.T) {
	t.Parallel()
	// Ani works in Kota Malang, Bea in both Malangs.
	peserta := book(t, map[string][][]any{"Peserta": rows(pesertaHeader,
		[]any{"Ani", "P", "Fasilitator Lapang", "Kota Malang"},
		[]any{"Bea", "P", "Fasilitator Lapang", "Kota Malang"},
		[]any{"Bea", "P", "Fasilitator Lapang", "Kab. Malang"})})
	survey := func(data ...[]any) map[string][][]any {
		return map[string][][]any{"Responden": rows(flagSurveyHeader, data...)}
	}
	groups := func(data ...[]any) map[string][][]any {
		return map[string][][]any{"Kelompok": rows(flagGroupHeader, data...)}
	}
	unanswered := surveyRow("U1", "05/11/2014", "Kota Surabaya", "", "", "")
	unanswered[7] = ""
	for _, tt := range []struct {
		kind   string
		sheets map[string][][]any
		want   []string
	}{
		{queries.FlagWageOutlier, survey(append(batuWages(), surveyRow("B12", "16/09/2014", "Kota Batu", "", "", 9_000_000))...),
			[]string{"wage_outlier b12 Responden!13 9000000"}},
		{queries.FlagFacilitatorRegion, survey(
			surveyRow("F1", "01/10/2014", "Kab. Malang", "", "ani", ""),
			surveyRow("F2", "01/10/2014", "Kota Malang", "", "Ani", ""),
			surveyRow("F3", "01/10/2014", "Kab. Malang", "", "Bea", "")),
			[]string{"facilitator_region f1 Responden!2 ani"}},
		{queries.FlagSurveyBurst, survey(append(sameDay(16, "S", "03/11/2014", "Cici"), sameDay(15, "T", "04/11/2014", "Cici")...)...),
			[]string{"survey_burst cici|2014-11-03 Responden!2 16"}},
		{queries.FlagUnanswered, survey(surveyRow("U0", "05/11/2014", "Kota Surabaya", "", "", ""), unanswered),
			[]string{"unanswered u1 Responden!3 U1"}},
		{queries.FlagStageOrder, groups(
			[]any{"G1", "Kota Malang", 1, "10/10/2014", ""},
			[]any{"G1", "Kota Malang", 2, "05/10/2014", ""}),
			[]string{"stage_order g1|2 Kelompok!3 2 (2014-10-05)"}},
		{queries.FlagStageSkipped, groups(
			[]any{"G2", "Kota Malang", 1, "01/10/2014", ""},
			[]any{"G2", "Kota Malang", 3, "01/11/2014", ""}),
			[]string{"stage_skipped g2|3 Kelompok!3 3"}},
		{queries.FlagMembersDrop, groups(
			[]any{"G3", "Kab. Malang", 1, "01/10/2014", 20},
			[]any{"G3", "Kab. Malang", 2, "15/10/2014", 9},
			[]any{"G4", "Kab. Malang", 1, "01/10/2014", 20},
			[]any{"G4", "Kab. Malang", 2, "15/10/2014", 10}),
			[]string{"members_drop g3|2 Kelompok!3 9"}},
		{queries.FlagAreaUnknown, survey(
			surveyRow("A1", "15/09/2014", "Kab. Jember", "Sumbersar", "", ""),
			surveyRow("A2", "15/09/2014", "Kab. Jember", "Kec. Sumbersari", "", "")),
			[]string{"area_unknown a1 Responden!2 Sumbersar"}},
		{"clean", map[string][][]any{
			"Responden": rows(flagSurveyHeader, append(append(batuWages(), sameDay(15, "T", "04/11/2014", "Cici")...),
				surveyRow("F2", "01/10/2014", "Kota Malang", "", "Ani", ""),
				surveyRow("A2", "15/09/2014", "Kab. Jember", "Kec. Sumbersari", "", ""))...),
			"Kelompok": rows(flagGroupHeader,
				[]any{"G4", "Kab. Malang", 1, "01/10/2014", 20},
				[]any{"G4", "Kab. Malang", 2, "15/10/2014", 10},
				[]any{"G4", "Kab. Malang", 3, "15/10/2014", 12}),
		}, nil},
	} {
		t.Run(tt.kind, func(t *testing.T) {
			t.Parallel()
			e := newEnv(t)
			e.db.CheckAreasWith(ingest.UnknownArea)
			e.commit("peserta.xlsx", peserta)
			data := book(t, tt.sheets)
			listed := func(flags []queries.QualityFlag, importID int64) []string {
				var out []string
				for _, f := range flags {
					out = append(out, fmt.Sprintf("%s %s %s!%d %s", f.Kind, f.Key, f.Sheet, f.Row, f.Value))
					if f.ImportID != importID {
						t.Errorf("%s %s: import %d, want %d", f.Kind, f.Key, f.ImportID, importID)
					}
				}
				return out
			}
			preview := e.upload("planted.xlsx", data, ingest.Options{DryRun: true})
			if !preview.OK {
				t.Fatalf("refused:\n%s", problems(preview))
			}
			equalList(t, "the preview's flags", listed(preview.Flags, 0), tt.want)
			id := *e.commit("planted.xlsx", data).ImportID
			report, err := e.db.Quality(e.ctx, queries.Filter{}, nil, "en")
			if err != nil {
				t.Fatal(err)
			}
			equalList(t, "the report's flags", listed(report.Flags, id), tt.want)
		})
	}
}
