package ingest_test

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"pantau/queries"
	"pantau/sampledata"
)

// A survey whose sheets are named "Sheet1", "Sheet2" and "Lembar1" is read
// by their headers: the same figures as with the recommended names, and one
// warning per sheet naming the kind it was read as.
func TestSheetsFoundByColumns(t *testing.T) {
	t.Parallel()
	var named bytes.Buffer
	if err := sampledata.WriteSurvey(&named, sampledata.SurveyOptions{Respondents: 150, Groups: 15, Seed: 3}); err != nil {
		t.Fatal(err)
	}
	wb, err := excelize.OpenReader(bytes.NewReader(named.Bytes()))
	if err != nil {
		t.Fatal(err)
	}
	for old, new := range map[string]string{"Responden": "Sheet1", "Kelompok": "Sheet2", "Wilayah": "Lembar1"} {
		if err := wb.SetSheetName(old, new); err != nil {
			t.Fatal(err)
		}
	}
	var unnamed bytes.Buffer
	if err := wb.Write(&unnamed); err != nil {
		t.Fatal(err)
	}
	wb.Close()

	a, b := newEnv(t), newEnv(t)
	ra := a.commit("named.xlsx", named.Bytes())
	rb := b.commit("unnamed.xlsx", unnamed.Bytes())
	sa, err := a.db.Summary(a.ctx, queries.Filter{})
	if err != nil {
		t.Fatal(err)
	}
	sb, err := b.db.Summary(b.ctx, queries.Filter{})
	if err != nil {
		t.Fatal(err)
	}
	ja, _ := json.Marshal(sa)
	jb, _ := json.Marshal(sb)
	if !bytes.Equal(ja, jb) || sa.Respondents.Total != 150 {
		t.Errorf("summaries differ:\n named   %s\n unnamed %s", ja, jb)
	}
	for _, table := range []string{"respondents", "group_stages", "regions"} {
		equalList(t, table, b.table(table), a.table(table))
	}
	if rb.ProblemCount != ra.ProblemCount+3 || len(rb.IgnoredSheets) != 0 {
		t.Fatalf("unnamed: %d problems, ignored %q; want the named file's %d and three more, none ignored\n%s",
			rb.ProblemCount, rb.IgnoredSheets, ra.ProblemCount, problems(rb))
	}
	for sheet, kind := range map[string]string{"Sheet1": "Responden", "Sheet2": "Kelompok", "Lembar1": "Wilayah"} {
		p, ok := problemAt(rb, sheet, "")
		want := `sheet "` + sheet + `" dibaca sebagai sheet ` + kind + ` menurut judul kolomnya; sebaiknya beri nama "` + kind + `"`
		if !ok || p.Severity != "warning" || p.Message != want {
			t.Errorf("%s: %+v, want the warning %q", sheet, p, want)
		}
	}
	for _, s := range rb.Sheets {
		if s.Sheet == "Sheet1" && (s.Kind != "respondents" || s.New != 150) {
			t.Errorf("Sheet1: %+v", s)
		}
	}
}

// A sheet that fits two kinds equally is ignored, with a warning saying
// why; one that fits none is ignored as before; a sheet missing a required
// column of its best kind is not guessed.
func TestSheetKindTieIgnored(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	r := e.commit("tie.xlsx", book(t, map[string][][]any{
		"Data":      rows([]any{"Nama", "Jabatan", "Wilayah", "Provinsi", "Tahun"}, []any{"Sari", "Faslap", "Kab. Jember", "Jawa Timur", 2014}),
		"Catatan":   rows([]any{"Apa saja", "Lain"}, []any{"x", "y"}),
		"Lembar1":   rows([]any{"ID Responden", "Wilayah", "Jenis Pekerjaan"}, []any{"R9", "Kab. Jember", "POS"}), // no Tanggal Survei
		"Responden": rows(respHeader, resp("R1", "Kab. Jember")),
	}))
	if !strings.Contains(strings.Join(r.IgnoredSheets, ","), "Data") || len(r.IgnoredSheets) != 3 {
		t.Errorf("ignored %q, want Data, Catatan and Lembar1", r.IgnoredSheets)
	}
	p, ok := problemAt(r, "Data", "")
	if !ok || p.Severity != "warning" || p.Message != `sheet "Data" diabaikan: judul kolomnya cocok sama baiknya untuk sheet Wilayah dan Peserta (3 kolom masing-masing); beri nama sheet itu sesuai isinya` {
		t.Errorf("Data: %+v", p)
	}
	r.Localize("en")
	if p, _ := problemAt(r, "Data", ""); p.Message != `sheet "Data" is ignored: its column headers fit a Wilayah and Peserta sheet equally well (3 columns each); name the sheet for what it holds` {
		t.Errorf("English: %q", p.Message)
	}
	if r.ProblemCount != 1 || e.count("respondents") != 1 {
		t.Errorf("want the one warning and R1 stored\n%s", problems(r))
	}
}
