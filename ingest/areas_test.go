package ingest_test

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"pantau/ingest"
	"pantau/queries"
)

// Kecamatan and desa are checked against the official catalogue within the
// row's region and kecamatan: a match is stored under its official name
// with its code, a near miss or unknown name is stored as written with a
// warning (once per name), and nothing is refused.
func TestAreasCheckedAgainstCatalogue(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	header := []any{"ID Responden", "Tanggal Survei", "Wilayah", "Kecamatan", "Desa/Kelurahan", "Jenis Pekerjaan"}
	row := func(id, region, kec, desa string) []any { return []any{id, "11/09/2014", region, kec, desa, "POS"} }
	r := e.commit("areas.xlsx", book(t, map[string][][]any{"Responden": rows(header,
		row("R1", "Kab. Jember", "KEC. SUMBER SARI", "Kel. Kranjingan"), // spellings of an official name
		row("R2", "Kab. Jember", "Sumbersar", "Kranjingan"),             // kecamatan near miss: desa not checked
		row("R3", "Kab. Jember", "Sumbersar", ""),                       // the same near miss: one warning, two rows
		row("R4", "Kab. Jember", "Atlantis", ""),                        // unknown: a warning without suggestion
		row("R5", "Kab. Jember", "Kecamatan Sumbersari", "Kranjngan"),   // desa near miss
		row("R6", "Kota Malang", "Sumbersari", ""),                      // Jember's kecamatan, not Kota Malang's
		row("R7", "Kab. Kudus", "Kota Kudus", "Desa Demaan"),            // another province: a warning, codes still
	)}))
	equalList(t, "respondents", e.rows("respondents", "respondent_id", "region_code", "district", "district_code", "village", "village_code"), []string{
		"R1|35.09|Sumbersari|35.09.21|Kranjingan|35.09.21.1003",
		"R2|35.09|Sumbersar|NULL|Kranjingan|NULL",
		"R3|35.09|Sumbersar|NULL|NULL|NULL",
		"R4|35.09|Atlantis|NULL|NULL|NULL",
		"R5|35.09|Sumbersari|35.09.21|Kranjngan|NULL",
		"R6|35.73|Sumbersari|NULL|NULL|NULL",
		"R7|33.19|Kota Kudus|33.19.02|Demaan|33.19.02.2013",
	})
	want := []struct {
		cell, message string
		suggestions   []string
	}{
		{"D3", `Kecamatan "Sumbersar" tidak ada di Kab. Jember menurut katalog wilayah resmi; maksud Anda "Sumbersari" atau "Sumberbaru"? (di 2 baris)`, []string{"Sumbersari", "Sumberbaru"}},
		{"D5", `Kecamatan "Atlantis" tidak ada di Kab. Jember menurut katalog wilayah resmi`, nil},
		{"E6", `Desa/Kelurahan "Kranjngan" tidak ada di Kecamatan Sumbersari, Kab. Jember menurut katalog wilayah resmi; maksud Anda "Kranjingan"?`, []string{"Kranjingan"}},
		{"D7", `Kecamatan "Sumbersari" tidak ada di Kota Malang menurut katalog wilayah resmi`, nil},
		{"C8", `Wilayah "Kab. Kudus" ada di provinsi Jawa Tengah, di luar provinsi program (Jawa Timur)`, nil},
	}
	if !r.OK || r.ErrorCount != 0 || len(r.Problems) != len(want) {
		t.Fatalf("want %d warnings and no error\n%s", len(want), problems(r))
	}
	for _, w := range want {
		p, ok := problemAt(r, "Responden", w.cell)
		if !ok || p.Severity != "warning" || p.Message != w.message || strings.Join(p.Suggestions, ",") != strings.Join(w.suggestions, ",") {
			t.Errorf("%s: got %+v\nwant warning %q with suggestions %q", w.cell, p, w.message, w.suggestions)
		}
	}
	r.Localize("en")
	if p, _ := problemAt(r, "Responden", "E6"); p.Message != `Desa/Kelurahan "Kranjngan" is not in Kecamatan Sumbersari, Kab. Jember in the official area catalogue; did you mean "Kranjingan"?` {
		t.Errorf("English: %q", p.Message)
	}
}

// The program's provinces are a setting: with Jawa Tengah among them, Kab.
// Kudus draws no warning and the bare "Kudus" means it.
func TestProgramProvincesSetting(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	if err := e.db.SetSetting(e.ctx, queries.SettingProvinces, "Jawa Timur,Jawa Tengah", "test"); err != nil {
		t.Fatal(err)
	}
	r := e.commit("kudus.xlsx", book(t, map[string][][]any{"Responden": rows(respHeader,
		resp("R1", "Kudus"), resp("R2", "Jember"), resp("R3", "Kab. Bogor"))}))
	if r.ProblemCount != 1 {
		t.Fatalf("want one warning (Kab. Bogor)\n%s", problems(r))
	}
	if p, _ := problemAt(r, "Responden", "C4"); !strings.Contains(p.Message, "ada di provinsi Jawa Barat, di luar provinsi program (Jawa Timur, Jawa Tengah)") {
		t.Errorf("Kab. Bogor: %+v", p)
	}
	equalList(t, "respondents", e.rows("respondents", "respondent_id", "region", "region_code"),
		[]string{"R1|Kab. Kudus|33.19", "R2|Kab. Jember|35.09", "R3|Kab. Bogor|32.01"})
}

// area_unknown: the kecamatan and desa the catalogue does not have are
// quality flags, in the upload's preview (on this file's rows) and in the
// quality report once stored, with the warning's sentence and suggestion;
// a row stored before the catalogue (no code) is judged by its name.
func TestAreaUnknownFlags(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.db.CheckAreasWith(ingest.UnknownArea)
	header := []any{"ID Responden", "Tanggal Survei", "Wilayah", "Kecamatan", "Desa/Kelurahan", "Jenis Pekerjaan", "Tanpa Kontrak Tertulis"}
	row := func(id, region, kec, desa string) []any {
		return []any{id, "11/09/2014", region, kec, desa, "POS", "Ya"}
	}
	data := book(t, map[string][][]any{"Responden": rows(header,
		row("R1", "Kab. Jember", "KEC. SUMBER SARI", "Kel. Kranjingan"),
		row("R2", "Kab. Jember", "Sumbersar", "Kranjingan"),
		row("R5", "Kab. Jember", "Kecamatan Sumbersari", "Kranjngan"),
		row("R6", "Kota Malang", "Sumbersari", ""),
		row("R7", "Kab. Kudus", "Kota Kudus", "Desa Demaan"),
		row("R8", "Kota Atlantis", "Sumbersar", ""), // a region the catalogue lacks: nothing to check
	), "Wilayah": rows([]any{"Wilayah", "Provinsi", "Tahun", "UMK"}, []any{"Kota Atlantis", "Jawa Timur", 2014, 1500000})})
	flags := func(fl []queries.QualityFlag) []string {
		var out []string
		for _, f := range fl {
			out = append(out, fmt.Sprintf("%s %s %s!%d %s | %s", f.Kind, f.Key, f.Sheet, f.Row, f.Value, f.Message))
		}
		return out
	}
	want := []string{
		`area_unknown r2 Responden!3 Sumbersar | Kecamatan "Sumbersar" is not in Kab. Jember in the official area catalogue; did you mean "Sumbersari" or "Sumberbaru"?`,
		`area_unknown r5 Responden!4 Kranjngan | Desa/Kelurahan "Kranjngan" is not in Kecamatan Sumbersari, Kab. Jember in the official area catalogue; did you mean "Kranjingan"?`,
		`area_unknown r6 Responden!5 Sumbersari | Kecamatan "Sumbersari" is not in Kota Malang in the official area catalogue`,
	}
	preview := e.upload("areas.xlsx", data, ingest.Options{DryRun: true})
	preview.Localize("en")
	if preview.FlagCount != len(want) {
		t.Errorf("the preview counts %d flags, want %d", preview.FlagCount, len(want))
	}
	equalList(t, "the preview's flags", flags(preview.Flags), want)

	id := *e.commit("areas.xlsx", data).ImportID
	// Stored before the catalogue: names as written, no codes.
	b, err := e.db.NewBatch(e.ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	for i, kec := range []string{"sumbersari", "Sumbersar"} {
		r := queries.Respondent{Row: 2 + i, Key: fmt.Sprintf("old%d", i), ID: fmt.Sprintf("OLD%d", i), SurveyDate: time.Date(2014, 9, 1, 0, 0, 0, 0, time.UTC),
			Region: "Kab. Jember", RegionCode: "35.09", District: kec, WorkType: "POS", MonthlyWage: -1}
		r.Problems[0] = queries.Yes
		if err := b.AddRespondent(r); err != nil {
			t.Fatal(err)
		}
	}
	old, _, err := b.Commit(e.ctx, queries.ImportMeta{FileName: "old", SHA256: "old", By: "test", At: time.Now()},
		func(map[queries.Kind]queries.Counts) []queries.SheetCounts {
			return []queries.SheetCounts{{Sheet: "Survei", Kind: string(queries.Respondents)}}
		})
	if err != nil {
		t.Fatal(err)
	}
	report, err := e.db.Quality(e.ctx, queries.Filter{}, []string{queries.FlagAreaUnknown}, "en")
	if err != nil {
		t.Fatal(err)
	}
	stored := append([]string{fmt.Sprintf(`area_unknown old1 Survei!3 Sumbersar | %s`, strings.SplitN(want[0], " | ", 2)[1])}, want...)
	equalList(t, "the report's flags", flags(report.Flags), stored)
	for _, f := range report.Flags {
		if f.ImportID != id && f.ImportID != old {
			t.Errorf("%s: import %d", f.Key, f.ImportID)
		}
	}
	if report.Counts[queries.FlagAreaUnknown] != len(stored) {
		t.Errorf("count %d, want %d", report.Counts[queries.FlagAreaUnknown], len(stored))
	}
}
