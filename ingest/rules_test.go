package ingest_test

// Tests of the input contract, /work/shared/WORKBOOKS.md: each builds small
// workbooks in memory, ingests them into a fresh database and checks the
// report and the stored rows.

import (
	"archive/zip"
	"bytes"
	"context"
	"fmt"
	"maps"
	"os"
	"slices"
	"sort"
	"strings"
	"testing"
	"time"

	"pantau/ingest"
	"pantau/ingest/xlsx/xlsxtest"
	"pantau/queries"
	"pantau/queries/querytest"
)

// ---------------------------------------------------------------- workbooks

// book writes sheets (name → rows; a nil row is left empty, a nil cell
// too) to .xlsx bytes, in the order of their names.
func book(t testing.TB, sheets map[string][][]any) []byte {
	t.Helper()
	var tabs []xlsxtest.Tab
	for _, name := range slices.Sorted(maps.Keys(sheets)) {
		tabs = append(tabs, xlsxtest.Tab{Name: name, Rows: sheets[name]})
	}
	return xlsxtest.Workbook(t, tabs...)
}

// rows builds a sheet: a header, then data rows.
func rows(header []any, data ...[]any) [][]any { return append([][]any{header}, data...) }

// A minimal survey: the four required columns, A to D.
var respHeader = []any{"ID Responden", "Tanggal Survei", "Wilayah", "Jenis Pekerjaan"}

func resp(id string, region any) []any { return []any{id, "11/09/2014", region, "POS"} }

// goodResp is n valid respondent rows R001...
func goodResp(n int) [][]any {
	var out [][]any
	for i := 1; i <= n; i++ {
		out = append(out, resp(fmt.Sprintf("R%03d", i), "Kab. Jember"))
	}
	return out
}

var pesertaHeader = []any{"Nama", "Jenis Kelamin", "Jabatan", "Wilayah"}

// ---------------------------------------------------------------- ingesting

type env struct {
	t       *testing.T
	ctx     context.Context
	db      *queries.DB
	dataDir string
}

// newEnv opens a fresh database; committed files go to a folder of their own.
func newEnv(t *testing.T) *env {
	t.Helper()
	return &env{t: t, ctx: context.Background(), db: querytest.Open(t), dataDir: t.TempDir()}
}

func (e *env) upload(name string, data []byte, opt ingest.Options) *ingest.Report {
	e.t.Helper()
	opt.DataDir = e.dataDir
	if opt.By == "" {
		opt.By = "test"
	}
	r, err := ingest.Bytes(e.ctx, e.db, name, data, opt)
	if err != nil {
		e.t.Fatalf("ingest %s: %v", name, err)
	}
	return r
}

// commit uploads a file that must be accepted and stored as a new import.
func (e *env) commit(name string, data []byte) *ingest.Report {
	e.t.Helper()
	r := e.upload(name, data, ingest.Options{})
	if !r.OK || r.ImportID == nil {
		e.t.Fatalf("%s: want a committed import, got OK=%v ImportID=%v IdenticalTo=%d\n%s", name, r.OK, r.ImportID, r.IdenticalTo, problems(r))
	}
	return r
}

// refused uploads a file that must be refused.
func (e *env) refused(name string, data []byte) *ingest.Report {
	e.t.Helper()
	r := e.upload(name, data, ingest.Options{})
	if r.OK || r.ImportID != nil {
		e.t.Fatalf("%s: want a refusal, got OK=%v ImportID=%v\n%s", name, r.OK, r.ImportID, problems(r))
	}
	return r
}

// rows returns each row of table as its columns joined by "|" (NULL as
// "NULL", dates as 2006-01-02), sorted by the columns, first column first.
func (e *env) rows(table string, columns ...string) []string {
	e.t.Helper()
	return querytest.Rows(e.t, e.db, table, columns...)
}

// rowsBy is rows sorted by the columns by first, which are not shown.
func (e *env) rowsBy(table string, by []string, columns ...string) []string {
	e.t.Helper()
	out := []string{}
	for _, row := range querytest.Stored(e.t, e.db, table, append(slices.Clone(by), columns...)...) {
		out = append(out, querytest.Line(row[len(by):]...))
	}
	return out
}

func (e *env) count(table string) int {
	e.t.Helper()
	return querytest.Count(e.t, e.db, table)
}

// currentTables are the current-state tables.
var currentTables = []string{"participants", "respondents", "group_stages", "regions", "targets"}

// table dumps a whole current table, every column but the bookkeeping ones,
// each row as {'column': value, ...}, sorted.
func (e *env) table(name string) []string {
	e.t.Helper()
	columns := slices.DeleteFunc(querytest.Columns(e.t, e.db, name), func(c string) bool { return c == "import_id" || c == "row_number" })
	out := []string{}
	for _, row := range querytest.Stored(e.t, e.db, name, columns...) {
		fields := make([]string, len(row))
		for i, v := range row {
			fields[i] = "'" + columns[i] + "': " + querytest.Text(v)
		}
		out = append(out, "{"+strings.Join(fields, ", ")+"}")
	}
	slices.Sort(out)
	return out
}

// snapshot is the full current state.
func (e *env) snapshot() map[string][]string {
	e.t.Helper()
	s := map[string][]string{}
	for _, name := range currentTables {
		s[name] = e.table(name)
	}
	return s
}

// dataFiles lists the data folder.
func (e *env) dataFiles() []string {
	e.t.Helper()
	entries, err := os.ReadDir(e.dataDir)
	if err != nil && !os.IsNotExist(err) {
		e.t.Fatal(err)
	}
	var names []string
	for _, d := range entries {
		names = append(names, d.Name())
	}
	return names
}

// ---------------------------------------------------------------- reports

// prob is the exported part of a Problem, for comparing.
type prob struct {
	Severity, Sheet, Cell string
	Row                   int
	Column, Value         string
	Message               string
}

func asProb(p ingest.Problem) prob {
	return prob{p.Severity, p.Sheet, p.Cell, p.Row, p.Column, p.Value, p.Message}
}

func problems(r *ingest.Report) string {
	var b strings.Builder
	fmt.Fprintf(&b, "  %d problems, %d errors:\n", r.ProblemCount, r.ErrorCount)
	for _, p := range r.Problems {
		fmt.Fprintf(&b, "  %+v\n", asProb(p))
	}
	return b.String()
}

// problemAt finds the problem at cell ("" for a sheet's problem) of sheet.
func problemAt(r *ingest.Report, sheet, cell string) (ingest.Problem, bool) {
	for _, p := range r.Problems {
		if p.Sheet == sheet && p.Cell == cell {
			return p, true
		}
	}
	return ingest.Problem{}, false
}

func sheetReport(t *testing.T, r *ingest.Report, sheet string) ingest.SheetReport {
	t.Helper()
	for _, s := range r.Sheets {
		if s.Sheet == sheet {
			return s
		}
	}
	t.Fatalf("no report of sheet %q in %+v", sheet, r.Sheets)
	return ingest.SheetReport{}
}

func equal[T comparable](t *testing.T, what string, got, want T) {
	t.Helper()
	if got != want {
		t.Errorf("%s = %v, want %v", what, got, want)
	}
}

func equalList(t *testing.T, what string, got, want []string) {
	t.Helper()
	if got == nil {
		got = []string{}
	}
	if want == nil {
		want = []string{}
	}
	if !slices.Equal(got, want) {
		t.Errorf("%s:\n got  %q\n want %q", what, got, want)
	}
}

// ---------------------------------------------------------------- header and sheets

func TestHeaderBelowTitleRows(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	sheet := [][]any{
		{"Data Survei Pekerja Rumahan"}, // merged A1:D1
		nil,
		nil,
		respHeader,
		resp("R1", "Kab. Jember"),
		resp("R2", "Kota Batu"),
	}
	data := xlsxtest.Workbook(t, xlsxtest.Tab{Name: "Responden", Rows: sheet, Merge: []string{"A1:D1"}})
	r := e.commit("judul.xlsx", data)
	s := sheetReport(t, r, "Responden")
	equal(t, "rows", s.Rows, 2)
	equal(t, "new", s.New, 2)
	equalList(t, "stored", e.rows("respondents", "respondent_id", "region"), []string{"R1|Kab. Jember", "R2|Kota Batu"})

	// A problem of the data is located by the sheet's own row numbers.
	sheet = append(sheet, resp("R3", "Kab. Malng"))
	r = e.refused("judul2.xlsx", xlsxtest.Workbook(t, xlsxtest.Tab{Name: "Responden", Rows: sheet, Merge: []string{"A1:D1"}}))
	if _, ok := problemAt(r, "Responden", "C7"); !ok {
		t.Errorf("want a problem at Responden!C7\n%s", problems(r))
	}
}

func TestHeaderWithinTwentyRows(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		headerRow int
		ok        bool
	}{{1, true}, {20, true}, {21, false}} {
		t.Run(fmt.Sprint(tc.headerRow), func(t *testing.T) {
			e := newEnv(t)
			sheet := make([][]any, tc.headerRow-1)
			if tc.headerRow > 1 {
				sheet[0] = []any{"Rekap survei"}
				// A title row naming one known column is not a header.
				sheet[len(sheet)-1] = []any{"Wilayah", nil, "Kab. Jember"}
			}
			sheet = append(sheet, respHeader, resp("R1", "Kab. Jember"))
			r := e.upload("x.xlsx", book(t, map[string][][]any{"Responden": sheet}), ingest.Options{})
			if r.OK != tc.ok {
				t.Fatalf("OK = %v, want %v\n%s", r.OK, tc.ok, problems(r))
			}
			if tc.ok {
				equal(t, "rows", sheetReport(t, r, "Responden").Rows, 1)
				return
			}
			p, ok := problemAt(r, "Responden", "")
			if !ok {
				t.Fatalf("want a problem of the whole sheet\n%s", problems(r))
			}
			want := prob{Severity: "error", Sheet: "Responden",
				Message: "baris judul kolom tidak ditemukan di 20 baris pertama; diharapkan kolom seperti ID Responden, Tanggal Survei, Wilayah, Jenis Pekerjaan"}
			equal(t, "problem", asProb(p), want)
			equal(t, "count", r.ErrorCount, 1)
			r.Localize("en")
			equal(t, "EN", r.Problems[0].Message, "no header row found in the first 20 rows; expected columns such as ID Responden, Tanggal Survei, Wilayah, Jenis Pekerjaan")
		})
	}
}

func TestSheetNamesAndColumns(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	data := xlsxtest.Workbook(t,
		xlsxtest.Tab{Name: "Catatan", Rows: [][]any{{"hanya catatan"}}},
		xlsxtest.Tab{Name: "  daftar PESERTA ", Rows: [][]any{
			// English names, another order, a unit, an unknown column.
			{"role", "GENDER", "full_name?", "Region", "Name", "Participant_ID", "Date (hari pertama)"},
			{"Faslap", "L", "x", "KAB MALANG", "Budi", "P-1", "11/09/2014"},
		}},
		xlsxtest.Tab{Name: "SURVEY", Rows: [][]any{
			{"Respondent ID", "catatan petugas", "Monthly Wage (Rp)", "type", "kab/kota", "Survey Date", "Umur (tahun)", "masalah_a", "No. HP"},
			{"R1", "ramah", "Rp 1.250.000", "self-employed", "Kota Malang", "2014-09-12", 41, "ya", "0812"},
		}},
		xlsxtest.Tab{Name: "Sheet3"},
	)
	r := e.commit("alias.xlsx", data)
	equalList(t, "ignored sheets", r.IgnoredSheets, []string{"Catatan", "Sheet3"})
	equal(t, "sheets", len(r.Sheets), 2)
	p := sheetReport(t, r, "  daftar PESERTA ")
	equal(t, "peserta kind", p.Kind, "participants")
	equalList(t, "peserta ignored columns", p.IgnoredColumns, []string{"full_name?"})
	s := sheetReport(t, r, "SURVEY")
	equal(t, "survey kind", s.Kind, "respondents")
	equalList(t, "survey ignored columns", s.IgnoredColumns, []string{"catatan petugas", "No. HP"})

	equalList(t, "participants", e.rows("participants", "participant_id", "name", "gender", "role", "field_facilitator", "region", "training_date"),
		[]string{"P-1|Budi|L|Fasilitator Lapang|true|Kab. Malang|2014-09-11"})
	equalList(t, "respondents", e.rows("respondents", "respondent_id", "survey_date", "region", "work_type", "age", "monthly_wage", "p_a", "p_b"),
		[]string{"R1|2014-09-12|Kota Malang|SE|41|1250000|true|NULL"})
}

func TestSheetAliases(t *testing.T) {
	t.Parallel()
	tests := []struct{ sheet, kind string }{
		{"Peserta", "participants"}, {"Participants", "participants"}, {"Daftar Peserta", "participants"},
		{"Responden", "respondents"}, {"Survei", "respondents"}, {"survey", "respondents"},
		{"RESPONDENTS", "respondents"}, {"Pekerja  Rumahan", "respondents"}, {"PekerjaRumahan", "respondents"},
		{"Kelompok", "group_stages"}, {"Groups", "group_stages"}, {"Pengorganisasian", "group_stages"}, {"organizing", "group_stages"},
		{"Wilayah", "regions"}, {"Regions", "regions"}, {"umk", "regions"},
	}
	sheets := map[string][][]any{
		"participants": rows(pesertaHeader, []any{"Ani", "P", "Staff", nil}),
		"respondents":  rows(respHeader, resp("R1", "Kab. Jember")),
		"group_stages": rows([]any{"Kode Kelompok", "Wilayah", "Tahap", "Tanggal"}, []any{"G1", "Kab. Jember", 1, "11/09/2014"}),
		"regions":      rows([]any{"Wilayah", "Tahun", "UMK"}, []any{"Kab. Jember", 2014, 1270000}),
	}
	// One sheet of each kind per file.
	var files []map[string]string // sheet name → kind
	n := map[string]int{}
	for _, tc := range tests {
		i := n[tc.kind]
		n[tc.kind]++
		if i == len(files) {
			files = append(files, map[string]string{})
		}
		files[i][tc.sheet] = tc.kind
	}
	e := newEnv(t)
	for _, file := range files {
		named := map[string][][]any{}
		for name, kind := range file {
			named[name] = sheets[kind]
		}
		r := e.upload("x.xlsx", book(t, named), ingest.Options{DryRun: true})
		got := map[string]string{}
		for _, s := range r.Sheets {
			got[s.Sheet] = s.Kind
		}
		if !r.OK || !maps.Equal(got, file) || len(r.IgnoredSheets) != 0 {
			t.Errorf("want sheets %v, got OK=%v sheets=%v ignored=%q\n%s", file, r.OK, got, r.IgnoredSheets, problems(r))
		}
	}
}

func TestColumnAliases(t *testing.T) {
	t.Parallel()
	// Every alias of WORKBOOKS.md, in odd spellings that the header key rules allow.
	tests := []struct {
		sheet, header string
		column        string // the stored column it fills
		value         any
		want          string
	}{
		{"Peserta", "participant id", "participant_id", "X1", "X1"},
		{"Peserta", "ID", "participant_id", "X1", "X1"},
		{"Peserta", "Nama Lengkap", "name", "Ani", "Ani"},
		{"Peserta", "Name", "name", "Ani", "Ani"},
		{"Peserta", "Peran", "role", "Staff", "Staff"},
		{"Peserta", "Posisi", "role", "Staff", "Staff"},
		{"Peserta", "Position", "role", "Staff", "Staff"},
		{"Peserta", "JK", "gender", "Wanita", "P"},
		{"Peserta", "l/p", "gender", "Pria", "L"},
		{"Peserta", "Sex", "gender", "Female", "P"},
		{"Peserta", "Kab/Kota", "region", "Kabupaten Jember", "Kab. Jember"},
		{"Peserta", "Kabupaten/Kota", "region", "Jember", "Kab. Jember"},
		{"Peserta", "Wilayah Kerja", "region", "Kotamadya Malang", "Kota Malang"},
		{"Peserta", "Pelatihan", "training", "ToT", "ToT"},
		{"Peserta", "Training", "training", "ToT", "ToT"},
		{"Peserta", "Event", "training", "ToT", "ToT"},
		{"Peserta", "Tanggal", "training_date", "11 Agt 2014", "2014-08-11"},
		{"Peserta", "Date", "training_date", "2014-09-11", "2014-09-11"},
		{"Peserta", "Tempat", "location", "Kota Malang", "Kota Malang"},
		{"Peserta", "Location", "location", "Batu", "Batu"},
		{"Responden", "Tanggal", "survey_date", "11 Aug 2014", "2014-08-11"},
		{"Responden", "Date", "survey_date", "11 Aug 2014", "2014-08-11"},
		{"Responden", "Kab/Kota", "region", "Jember", "Kab. Jember"},
		{"Responden", "Kabupaten / Kota", "region", "Jember", "Kab. Jember"},
		{"Responden", "Work Type", "work_type", "Putting-Out", "POS"},
		{"Responden", "Type", "work_type", "Self Employed", "SE"},
		{"Responden", "District", "district", "Sukun", "Sukun"},
		{"Responden", "Desa", "village", "Bandulan", "Bandulan"},
		{"Responden", "Kelurahan", "village", "Bandulan", "Bandulan"},
		{"Responden", "Village", "village", "Bandulan", "Bandulan"},
		{"Responden", "Facilitator", "facilitator", "Ani", "Ani"},
		{"Responden", "Faslap", "facilitator", "Ani", "Ani"},
		{"Responden", "Gender", "gender", "M", "L"},
		{"Responden", "Age", "age", 33, "33"},
		{"Responden", "Usia", "age", 33, "33"},
		{"Responden", "Jenis Produk", "product", "Batik", "Batik"},
		{"Responden", "Sektor", "product", "Batik", "Batik"},
		{"Responden", "Product", "product", "Batik", "Batik"},
		{"Responden", "Sector", "product", "Batik", "Batik"},
		{"Responden", "Upah", "monthly_wage", "1,250,000", "1250000"},
		{"Responden", "Pendapatan per Bulan", "monthly_wage", "1.250.000", "1250000"},
		{"Responden", "Monthly_Wage", "monthly_wage", "Rp 750.000", "750000"},
		{"Responden", "Income (IDR)", "monthly_wage", 900000, "900000"},
		{"Responden", "No Written Contract", "p_a", "Y", "true"},
		{"Responden", "Masalah A", "p_a", "Y", "true"},
		{"Responden", "Not Recognised as Worker", "p_b", "Tdk", "false"},
		{"Responden", "Masalah B", "p_b", "Tdk", "false"},
		{"Responden", "No Legal Protection", "p_c", "yes", "true"},
		{"Responden", "MASALAH C", "p_c", "yes", "true"},
		{"Responden", "No Health Insurance", "p_d", "N", "false"},
		{"Responden", "masalah.d", "p_d", "N", "false"},
		{"Responden", "No Old-Age Security", "p_e", "x", "true"},
		{"Responden", "masalah_e", "p_e", "x", "true"},
		{"Responden", "Own Work Tools", "p_f", "0", "false"},
		{"Responden", "Masalah F", "p_f", "0", "false"},
		{"Responden", "No Bargaining Power", "p_g", "TRUE", "true"},
		{"Responden", "Masalah G", "p_g", "TRUE", "true"},
		{"Responden", "Upah di Bawah UMK", "p_h", "✓", "true"},
		{"Responden", "Wage Below Minimum", "p_h", "No", "false"},
		{"Responden", "Masalah H", "p_h", "No", "false"},
		{"Responden", "Employer Unknown", "p_i", "T", "false"},
		{"Responden", "Masalah I", "p_i", "T", "false"},
		{"Kelompok", "Group Code", "group_code", "G1", "G1"},
		{"Kelompok", "Kode", "group_code", "G1", "G1"},
		{"Kelompok", "Group Name", "group_name", "Mawar", "Mawar"},
		{"Kelompok", "Region", "region", "Surabaya", "Kota Surabaya"},
		{"Kelompok", "Facilitator", "facilitator", "Ani", "Ani"},
		{"Kelompok", "Faslap", "facilitator", "Ani", "Ani"},
		{"Kelompok", "Stage", "stage", "3. Pertemuan Kelompok", "3"},
		{"Kelompok", "Date", "reached_on", "11-09-2014", "2014-09-11"},
		{"Kelompok", "Tanggal Capai", "reached_on", "11-09-2014", "2014-09-11"},
		{"Kelompok", "Anggota", "members", 12, "12"},
		{"Kelompok", "Members", "members", "0", "0"},
		{"Wilayah", "Kabupaten/Kota", "region", "Kab. Jember", "Kab. Jember"},
		{"Wilayah", "Province", "province", "Jawa Timur", "Jawa Timur"},
		{"Wilayah", "Year", "year", 2014, "2014"},
		{"Wilayah", "UMR", "umk", "Rp 1.270.000", "1270000"},
		{"Wilayah", "Upah Minimum", "umk", "1.270.000", "1270000"},
		{"Wilayah", "Minimum Wage", "umk", 1270000, "1270000"},
	}
	// The canonical columns and a valid row of each sheet; an alias replaces its column.
	type base struct {
		table   string
		columns []string // stored columns
		header  []any
		row     []any
	}
	bases := map[string]base{
		"Peserta": {"participants", []string{"name", "role"}, []any{"Nama", "Jabatan"}, []any{"Ani", "Staff"}},
		"Responden": {"respondents", []string{"respondent_id", "survey_date", "region", "work_type"},
			[]any{"ID Responden", "Tanggal Survei", "Wilayah", "Jenis Pekerjaan"}, []any{"R1", "11 Aug 2014", "Jember", "Putting-Out"}},
		"Kelompok": {"group_stages", []string{"group_code", "region", "stage", "reached_on"},
			[]any{"Kode Kelompok", "Wilayah", "Tahap", "Tanggal"}, []any{"G1", "Surabaya", "3. Pertemuan Kelompok", "11-09-2014"}},
		"Wilayah": {"regions", []string{"region", "year", "umk"}, []any{"Wilayah", "Tahun", "UMK"}, []any{"Kab. Jember", 2014, "Rp 1.270.000"}},
	}
	// Aliases of one column go to different files; each file holds one of each.
	type round struct {
		sheets map[string][][]any
		cases  []int
	}
	var rounds []*round
	used := map[string]int{} // sheet|column → rounds using it
	for i, tc := range tests {
		k := tc.sheet + "|" + tc.column
		n := used[k]
		used[k]++
		for len(rounds) <= n {
			sheets := map[string][][]any{}
			for name, b := range bases {
				sheets[name] = [][]any{slices.Clone(b.header), slices.Clone(b.row)}
			}
			rounds = append(rounds, &round{sheets: sheets})
		}
		r, b := rounds[n], bases[tc.sheet]
		sheet := r.sheets[tc.sheet]
		if j := slices.Index(b.columns, tc.column); j >= 0 {
			sheet[0][j], sheet[1][j] = tc.header, tc.value
		} else {
			sheet[0], sheet[1] = append(sheet[0], tc.header), append(sheet[1], tc.value)
		}
		r.sheets[tc.sheet] = sheet
		r.cases = append(r.cases, i)
	}
	e := newEnv(t)
	for n, rd := range rounds {
		r := e.upload(fmt.Sprintf("alias%d.xlsx", n), book(t, rd.sheets), ingest.Options{})
		if !r.OK || r.ImportID == nil {
			t.Errorf("round %d refused\n%s", n, problems(r))
			continue
		}
		for _, s := range r.Sheets {
			if len(s.IgnoredColumns) != 0 {
				t.Errorf("round %d: %s ignored columns %q", n, s.Sheet, s.IgnoredColumns)
			}
		}
		for _, i := range rd.cases {
			tc := tests[i]
			got := e.rows(bases[tc.sheet].table, tc.column)
			if !slices.Equal(got, []string{tc.want}) {
				t.Errorf("%s %q = %v: stored %s %q, want %q", tc.sheet, tc.header, tc.value, tc.column, got, tc.want)
			}
		}
		if err := e.db.Undo(e.ctx, *r.ImportID, "test"); err != nil {
			t.Fatal(err)
		}
	}
}

func TestTwoSheetsOfOneKind(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	r := e.refused("dua.xlsx", xlsxtest.Workbook(t,
		xlsxtest.Tab{Name: "Responden", Rows: rows(respHeader, resp("R1", "Kab. Jember"))},
		xlsxtest.Tab{Name: "Survey", Rows: rows(respHeader, resp("R2", "Kab. Jember"))},
	))
	p, ok := problemAt(r, "Survey", "")
	if !ok {
		t.Fatalf("want a problem of sheet Survey\n%s", problems(r))
	}
	equal(t, "problem", asProb(p), prob{Severity: "error", Sheet: "Survey",
		Message: `sheet "Responden" dan "Survey" sama-sama sheet Responden; hapus atau ganti nama salah satunya`})
	equal(t, "imports", e.count("imports"), 0)
	equal(t, "respondents", e.count("respondents"), 0)
}

func TestNoKnownSheet(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	// A header that fits no kind (one that does is read: TestSheetsFoundByColumns).
	r := e.refused("lain.xlsx", book(t, map[string][][]any{"Data": rows([]any{"Judul", "Isi"}, []any{"Rapat", "Kab. Jember"})}))
	if len(r.Problems) != 1 || !strings.Contains(r.Problems[0].Message, "tidak ada sheet yang dikenal (ada: Data)") {
		t.Errorf("want one problem naming the sheets found\n%s", problems(r))
	}
	equalList(t, "ignored", r.IgnoredSheets, []string{"Data"})
}

// ---------------------------------------------------------------- rows and text

func TestTotalsAndBlankRows(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	header := []any{"No", "ID Responden", "Tanggal Survei", "Wilayah", "Jenis Pekerjaan", "Upah per Bulan"}
	sheet := [][]any{
		header,
		{1, "R1", "11/09/2014", "Kab. Jember", "POS", 1000000}, // row 2
		nil,                      // row 3: blank
		{nil, " ", nil, "", nil}, // row 4: blank but for spaces
		{4, "R2", "11/09/2014", "Kab. Jember", "SE", 500000}, // row 5
		{"keterangan saja"},                     // row 6: only an unknown column
		{nil, "Total", nil, nil, nil, 1500000},  // row 7
		{"JUMLAH", nil, nil, nil, nil, 1500000}, // row 8
	}
	r := e.commit("total.xlsx", book(t, map[string][][]any{"Responden": sheet}))
	s := sheetReport(t, r, "Responden")
	equal(t, "rows", s.Rows, 2)
	equal(t, "new", s.New, 2)
	if s.Skipped < 2 {
		t.Errorf("skipped = %d, want at least the 2 totals rows", s.Skipped)
	}
	equalList(t, "ignored columns", s.IgnoredColumns, []string{"No"})
	var got []prob
	for _, p := range r.Problems {
		got = append(got, asProb(p))
	}
	want := []prob{
		// The cell of the label: B7, the cell holding the value quoted (A7 is empty).
		{Severity: "warning", Sheet: "Responden", Cell: "B7", Row: 7, Value: "Total", Message: "baris total dilewati"},
		{Severity: "warning", Sheet: "Responden", Cell: "A8", Row: 8, Value: "JUMLAH", Message: "baris total dilewati"},
	}
	if !slices.Equal(got, want) {
		t.Errorf("problems:\n got  %+v\n want %+v", got, want)
	}
	equalList(t, "stored", e.rows("respondents", "respondent_id", "monthly_wage"), []string{"R1|1000000", "R2|500000"})

	// Above the first data row a "Total" is data, and here a bad one.
	r = e.refused("total2.xlsx", book(t, map[string][][]any{"Responden": {header, {nil, "Total", "11/09/2014", "Kab. Jember", "POS"}, {nil, "R1", "kemarin", "Kab. Jember", "POS"}}}))
	if _, ok := problemAt(r, "Responden", "C3"); !ok || r.ErrorCount != 1 {
		t.Errorf("want one error at C3\n%s", problems(r))
	}
}

func TestTextTrimmedAndFolded(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.commit("peserta.xlsx", book(t, map[string][][]any{
		"Peserta": rows([]any{"Nama", "Jabatan", "Wilayah", "Kegiatan", "Lokasi"},
			[]any{"  Siti   Aminah ", " Fasilitator   Lapang ", "  kab.   jember ", "ToT\u00a0 Organisasi\tdan  Pengorganisasian", " Kota\n Malang "}),
	}))
	equalList(t, "participants", e.rows("participants", "name", "role", "region", "training", "location"),
		[]string{"Siti Aminah|Fasilitator Lapang|Kab. Jember|ToT Organisasi dan Pengorganisasian|Kota Malang"})

	// The key is the normalised text: the same person spelled with other spaces is unchanged.
	r := e.commit("peserta2.xlsx", book(t, map[string][][]any{
		"Peserta": rows([]any{"Nama", "Jabatan", "Wilayah", "Kegiatan", "Lokasi"},
			[]any{"Siti Aminah", "faslap", "Kab. Jember", "ToT Organisasi dan Pengorganisasian", "Kota Malang"}),
	}))
	s := sheetReport(t, r, "Peserta")
	equal(t, "unchanged", s.Unchanged, 1)
	equal(t, "participants", e.count("participants"), 1)
}

// A text column holds what the cell shows: an ID typed as a number with the
// format "000" is "007", not 7 (which would also collide with an ID "7").
func TestRowNumbersStored(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.commit("baris.xlsx", book(t, map[string][][]any{
		"Responden": {{"Judul"}, respHeader, resp("R1", "Kab. Jember"), nil, resp("R2", "Kab. Jember")},
		"Peserta":   rows(pesertaHeader, []any{"Ani", "P", "Staff", nil}),
		"Kelompok":  rows([]any{"Kode Kelompok", "Wilayah", "Tahap", "Tanggal"}, nil, []any{"G1", "Kab. Jember", 1, "11/09/2014"}),
		"Wilayah":   rows([]any{"Wilayah", "Tahun", "UMK"}, []any{"Kab. Jember", 2014, 1270000}),
	}))
	equalList(t, "respondents", e.rows("respondents", "respondent_id", "row_number"), []string{"R1|3", "R2|5"})
	equalList(t, "participants", e.rows("participants", "name", "row_number"), []string{"Ani|2"})
	equalList(t, "group_stages", e.rows("group_stages", "group_code", "row_number"), []string{"G1|3"})
	equalList(t, "regions", e.rows("regions", "region", "row_number"), []string{"Kab. Jember|2"})
}

// ---------------------------------------------------------------- values

func TestDatesStored(t *testing.T) {
	t.Parallel()
	type form struct {
		cell any
		want string
	}
	text := []form{
		{"2014-09-11", "2014-09-11"}, {"11/09/2014", "2014-09-11"}, {"11-09-2014", "2014-09-11"},
		{"1/9/2014", "2014-09-01"}, {"01-10-2014", "2014-10-01"},
		{"11 September 2014", "2014-09-11"}, {"11 september 2014", "2014-09-11"}, {" 11  Sept  2014 ", "2014-09-11"},
		{"11 Agustus 2014", "2014-08-11"}, {"11 Agt 2014", "2014-08-11"}, {"11 Aug 2014", "2014-08-11"},
		{"11 August 2014", "2014-08-11"}, {"3 Mei 2014", "2014-05-03"}, {"3 Okt 2014", "2014-10-03"},
		{"29/02/2016", "2016-02-29"},
	}
	tests := map[bool][]form{
		false: append(slices.Clone(text),
			form{xlsxtest.Serial(41893), "2014-09-11"}, form{xlsxtest.Serial(41893.75), "2014-09-11"}, form{41893, "2014-09-11"},
			form{"41893", "2014-09-11"}, form{xlsxtest.Serial(42429), "2016-02-29"},
			form{time.Date(2014, 9, 11, 0, 0, 0, 0, time.UTC), "2014-09-11"}),
		// In the 1904 system the same day is 1462 lower.
		true: append(slices.Clone(text),
			form{xlsxtest.Serial(40431), "2014-09-11"}, form{xlsxtest.Serial(40431.75), "2014-09-11"}, form{40431, "2014-09-11"},
			form{"40431", "2014-09-11"}, form{xlsxtest.Serial(40967), "2016-02-29"},
			form{time.Date(2014, 9, 11, 0, 0, 0, 0, time.UTC), "2014-09-11"}),
	}
	for _, date1904 := range []bool{false, true} {
		t.Run(fmt.Sprintf("date1904=%v", date1904), func(t *testing.T) {
			e := newEnv(t)
			sheet := [][]any{respHeader}
			for i, f := range tests[date1904] {
				sheet = append(sheet, []any{fmt.Sprintf("R%02d", i), f.cell, "Kab. Jember", "POS"})
			}
			e.commit("tanggal.xlsx", xlsxtest.WorkbookWith(t, xlsxtest.Options{Date1904: date1904}, xlsxtest.Tab{Name: "Responden", Rows: sheet}))
			got := e.rowsBy("respondents", []string{"respondent_id"}, "survey_date")
			for i, f := range tests[date1904] {
				if i >= len(got) || got[i] != f.want {
					t.Errorf("%v (%T): want %s, got %v", f.cell, f.cell, f.want, got[min(i, len(got)-1)])
				}
			}
			// Stored as a date, not as text: the driver gives a time.Time.
			dates := querytest.Stored(t, e.db, "respondents", "survey_date")
			if len(dates) == 0 {
				t.Fatal("no survey date stored")
			}
			if _, ok := dates[0][0].(time.Time); !ok {
				t.Errorf("survey_date %v is stored as %T, want DATE (time.Time)", dates[0][0], dates[0][0])
			}
		})
	}
}

func TestYesNoStored(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	header := []any{"ID Responden", "Tanggal Survei", "Wilayah", "Jenis Pekerjaan", "Tanpa Kontrak Tertulis", "Tanpa Jaminan Kesehatan"}
	tests := []struct {
		cell any
		want string
	}{
		{"Ya", "true"}, {"Y", "true"}, {"Yes", "true"}, {"1", "true"}, {"TRUE", "true"}, {"✓", "true"}, {"x", "true"},
		{1, "true"}, {true, "true"},
		{"Tidak", "false"}, {"Tdk", "false"}, {"T", "false"}, {"No", "false"}, {"N", "false"}, {"0", "false"}, {"FALSE", "false"},
		{0, "false"}, {false, "false"}, {" tidak ", "false"},
		{nil, "NULL"}, {"", "NULL"}, {"   ", "NULL"},
	}
	sheet := [][]any{header}
	var want []string
	for i, tc := range tests {
		id := fmt.Sprintf("R%02d", i)
		sheet = append(sheet, []any{id, "11/09/2014", "Kab. Jember", "POS", tc.cell, "Ya"})
		want = append(want, fmt.Sprintf("%s|%s|true", id, tc.want))
	}
	e.commit("yatidak.xlsx", book(t, map[string][][]any{"Responden": sheet}))
	got := e.rows("respondents", "respondent_id", "p_a", "p_d")
	for i := range want {
		if i >= len(got) || got[i] != want[i] {
			t.Errorf("%q: want %s, got %v", tests[i].cell, want[i], got)
		}
	}
	// Blank and Tidak stay apart: three unanswered, the rest answered.
	var answered, blank, no int
	for _, row := range querytest.Stored(t, e.db, "respondents", "p_a") {
		switch row[0] {
		case nil:
			blank++
		case false:
			answered++
			no++
		default:
			answered++
		}
	}
	equalList(t, "answered", []string{fmt.Sprintf("%d|%d|%d", answered, blank, no)}, []string{"19|3|10"})
}

func TestMoneyStored(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	header := append(slices.Clone(respHeader), "Upah per Bulan (Rp)")
	tests := []struct {
		cell any
		want string
	}{
		{"Rp 1.250.000", "1250000"}, {"Rp1.250.000", "1250000"}, {"rp. 1.250.000,-", "1250000"},
		{"1.250.000", "1250000"}, {"1,250,000", "1250000"}, {"1250000", "1250000"},
		{1250000, "1250000"}, {1250000.0, "1250000"}, {"IDR 750.000", "750000"}, {"0", "0"},
		{"1.580.037", "1580037"}, {2200000, "2200000"}, {"", "NULL"}, {nil, "NULL"}, {"-", "NULL"},
	}
	sheet := [][]any{header}
	for i, tc := range tests {
		sheet = append(sheet, append(resp(fmt.Sprintf("R%02d", i), "Kab. Jember"), tc.cell))
	}
	e.commit("upah.xlsx", book(t, map[string][][]any{"Responden": sheet}))
	got := e.rowsBy("respondents", []string{"respondent_id"}, "monthly_wage")
	for i, tc := range tests {
		if i >= len(got) || got[i] != tc.want {
			t.Errorf("%q: want %s, got %v", tc.cell, tc.want, got)
		}
	}
	// Stored as a BIGINT, which the driver gives as an int64 (an INTEGER as an int32).
	wages := querytest.Stored(t, e.db, "respondents", "monthly_wage")
	if len(wages) == 0 {
		t.Error("no wage stored")
	}
	for _, w := range wages {
		if _, ok := w[0].(int64); !ok && w[0] != nil {
			t.Errorf("monthly_wage %v is stored as %T, want BIGINT (int64)", w[0], w[0])
		}
	}
}

func TestOtherValuesStored(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.commit("lain.xlsx", book(t, map[string][][]any{
		"Responden": rows([]any{"ID Responden", "Tanggal Survei", "Wilayah", "Jenis Kelamin", "Umur", "Jenis Pekerjaan"},
			[]any{"R1", "11/09/2014", "surabaya", "Perempuan", 10, "Putting Out System"},
			[]any{"R2", "11/09/2014", "KOTA  BATU", "laki-laki", "100", "Mandiri"},
			[]any{"R3", "11/09/2014", "Kabupaten Jember", nil, nil, "SE"},
			[]any{"R4", "11/09/2014", "Jember", "W", 45.0, "pos"}),
		"Kelompok": rows([]any{"Kode Kelompok", "Wilayah", "Tahap", "Tanggal", "Jumlah Anggota"},
			[]any{"G1", "Kab. Jember", "Pemetaan", "11/09/2014", nil},
			[]any{"G1", "Kab. Jember", "2", "12/09/2014", 0},
			[]any{"G1", "Kab. Jember", "3. Pertemuan Kelompok", "13/09/2014", 12},
			[]any{"G1", "Kab. Jember", "pembentukan kelompok", "14/09/2014", 15}),
	}))
	equalList(t, "respondents", e.rows("respondents", "respondent_id", "region", "gender", "age", "work_type"), []string{
		"R1|Kota Surabaya|P|10|POS", "R2|Kota Batu|L|100|SE", "R3|Kab. Jember|NULL|NULL|SE", "R4|Kab. Jember|P|45|POS"})
	equalList(t, "group stages", e.rowsBy("group_stages", []string{"stage"}, "group_code", "stage", "reached_on", "members"), []string{
		"G1|1|2014-09-11|NULL", "G1|2|2014-09-12|0", "G1|3|2014-09-13|12", "G1|4|2014-09-14|15"})
}

func TestFormsStored(t *testing.T) {
	t.Parallel()
	// Each form in a row of its own; the stored column must hold want.
	type form struct {
		cell any
		want string
	}
	regions := []form{
		{"Kab. Malang", "Kab. Malang"}, {"Kabupaten Malang", "Kab. Malang"}, {"KAB MALANG", "Kab. Malang"},
		{"kab.malang", "Kab. Malang"}, {"Kota Malang", "Kota Malang"}, {"Kotamadya Malang", "Kota Malang"},
		{"Kodya Malang", "Kota Malang"}, {"KOTA MALANG", "Kota Malang"}, {"Jember", "Kab. Jember"},
		{"Surabaya", "Kota Surabaya"}, {"batu", "Kota Batu"}, {"Kab. Tulung Agung", "Kab. Tulungagung"},
	}
	genders := []form{
		{"P", "P"}, {"Perempuan", "P"}, {"W", "P"}, {"Wanita", "P"}, {"F", "P"}, {"Female", "P"}, {"p", "P"},
		{"L", "L"}, {"Laki-laki", "L"}, {"Laki", "L"}, {"Pria", "L"}, {"M", "L"}, {"Male", "L"}, {"LAKI LAKI", "L"},
		{nil, "NULL"},
	}
	workTypes := []form{
		{"POS", "POS"}, {"Putting Out System", "POS"}, {"Putting-Out", "POS"}, {"putting-out system", "POS"},
		{"SE", "SE"}, {"Self Employed", "SE"}, {"Self-Employed", "SE"}, {"Mandiri", "SE"}, {"se", "SE"},
	}
	stageForms := []form{
		{1, "1"}, {"2", "2"}, {"Pertemuan Kelompok", "3"}, {"4. Pembentukan Kelompok", "4"}, {"Tahap 5", "5"},
		{"organisasi berjalan", "6"},
	}
	roles := []form{
		{"Fasilitator Lapang", "Fasilitator Lapang|true"}, {"Faslap", "Fasilitator Lapang|true"},
		{"Field Facilitator", "Fasilitator Lapang|true"}, {"FASILITATOR LAPANG", "Fasilitator Lapang|true"},
		{"Manager Program MAMPU", "Manager Program MAMPU|false"}, {"Staff Keuangan", "Staff Keuangan|false"},
	}
	n := max(len(regions), len(genders), len(workTypes))
	at := func(list []form, i int, def any) any {
		if i < len(list) {
			return list[i].cell
		}
		return def
	}
	resp := [][]any{{"ID Responden", "Tanggal Survei", "Wilayah", "Jenis Kelamin", "Jenis Pekerjaan"}}
	for i := range n {
		resp = append(resp, []any{fmt.Sprintf("R%02d", i), "11/09/2014", at(regions, i, "Kab. Jember"), at(genders, i, nil), at(workTypes, i, "POS")})
	}
	groups := [][]any{{"Kode Kelompok", "Wilayah", "Tahap", "Tanggal"}}
	for i, f := range stageForms {
		groups = append(groups, []any{fmt.Sprintf("G%d", i), "Kab. Jember", f.cell, "11/09/2014"})
	}
	peserta := [][]any{{"Nama", "Jabatan", "Wilayah"}}
	for i, f := range roles {
		peserta = append(peserta, []any{fmt.Sprintf("Orang %d", i), f.cell, "Kab. Jember"})
	}
	e := newEnv(t)
	e.commit("bentuk.xlsx", book(t, map[string][][]any{"Responden": resp, "Kelompok": groups, "Peserta": peserta}))
	check := func(what string, forms []form, got []string) {
		t.Helper()
		for i, f := range forms {
			if i >= len(got) || got[i] != f.want {
				t.Errorf("%s %v: want %s, got %q", what, f.cell, f.want, got)
			}
		}
	}
	check("region", regions, e.rowsBy("respondents", []string{"respondent_id"}, "region"))
	check("gender", genders, e.rowsBy("respondents", []string{"respondent_id"}, "gender"))
	check("work type", workTypes, e.rowsBy("respondents", []string{"respondent_id"}, "work_type"))
	check("stage", stageForms, e.rowsBy("group_stages", []string{"group_code"}, "stage"))
	check("role", roles, e.rowsBy("participants", []string{"name"}, "role", "field_facilitator"))
}

// The key of a participant is ID Peserta when given, else name, role and region.
func TestParticipantKeys(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	header := []any{"ID Peserta", "Nama", "Jabatan", "Wilayah"}
	e.commit("1.xlsx", book(t, map[string][][]any{"Peserta": rows(header,
		[]any{"P1", "Ani", "Faslap", "Kab. Jember"}, []any{nil, "Budi", "Faslap", "Kab. Jember"})}))
	r := e.commit("2.xlsx", book(t, map[string][][]any{"Peserta": rows(header,
		[]any{"p1", "Ani Rahayu", "Faslap", "Kota Batu"}, // same ID: an update
		[]any{nil, "Budi", "Faslap", "Kota Batu"},        // another region: another person
		[]any{nil, "budi", "faslap", "jember"})}))        // the same person
	equalList(t, "counts", counts(r), []string{"participants:1/2/0"})
	equalList(t, "participants", e.rowsBy("participants", []string{"name", "region"}, "participant_id", "name", "region"), []string{
		"p1|Ani Rahayu|Kota Batu", "NULL|Budi|Kota Batu", "NULL|budi|Kab. Jember"})
	var budi []string
	for _, row := range querytest.Stored(t, e.db, "participants", "key", "name") {
		if strings.HasPrefix(row[0].(string), "budi|") {
			budi = append(budi, row[1].(string))
		}
	}
	equalList(t, "budi", budi, []string{"budi", "Budi"})
}

// ---------------------------------------------------------------- problems

func TestProblems(t *testing.T) {
	t.Parallel()
	kelompok := []any{"Kode Kelompok", "Wilayah", "Tahap", "Tanggal", "Jumlah Anggota"}
	tests := []struct {
		name   string
		sheets map[string][][]any
		want   prob
		en     string
	}{
		{"unknown region", map[string][][]any{"Responden": append(rows(respHeader, goodResp(4)...), resp("R9", "Kab. Malng"))},
			prob{"error", "Responden", "C6", 6, "Wilayah", "Kab. Malng", `Wilayah "Kab. Malng" tidak dikenal; maksud Anda "Kab. Malang"?`},
			`Wilayah "Kab. Malng" unknown; did you mean "Kab. Malang"?`},
		{"ambiguous region", map[string][][]any{"Responden": rows(respHeader, resp("R1", "Kab. Jember"), resp("R2", " Malang"))},
			prob{"error", "Responden", "C3", 3, "Wilayah", "Malang", `Wilayah "Malang" ambigu: tulis "Kab. Malang" atau "Kota Malang"`},
			`Wilayah "Malang" is ambiguous: write "Kab. Malang" or "Kota Malang"`},
		{"bad date", map[string][][]any{"Responden": rows(respHeader, []any{"R1", "kemarin", "Kab. Jember", "POS"})},
			prob{"error", "Responden", "B2", 2, "Tanggal Survei", "kemarin", `Tanggal Survei "kemarin" bukan tanggal; contoh: 11/09/2014, 2014-09-11 atau 11 September 2014`},
			`Tanggal Survei "kemarin" is not a date; examples: 11/09/2014, 2014-09-11 or 11 September 2014`},
		{"invalid calendar date", map[string][][]any{"Responden": rows(respHeader, []any{"R1", "31/02/2014", "Kab. Jember", "POS"})},
			prob{"error", "Responden", "B2", 2, "Tanggal Survei", "31/02/2014", `Tanggal Survei "31/02/2014" tidak ada di kalender: Februari 2014 hanya punya 28 hari`},
			`Tanggal Survei "31/02/2014" is not a real date: February 2014 has only 28 days`},
		{"bad yes/no", map[string][][]any{"Responden": rows(append(slices.Clone(respHeader), "Tanpa Kontrak Tertulis"), append(resp("R1", "Kab. Jember"), "mungkin"))},
			prob{"error", "Responden", "E2", 2, "Tanpa Kontrak Tertulis", "mungkin", `Tanpa Kontrak Tertulis "mungkin" harus ya atau tidak: Ya, Y, Yes, 1, TRUE, ✓, x untuk ya; Tidak, Tdk, T, No, N, 0, FALSE untuk tidak`},
			`Tanpa Kontrak Tertulis "mungkin" must be yes or no: Ya, Y, Yes, 1, TRUE, ✓, x for yes; Tidak, Tdk, T, No, N, 0, FALSE for no`},
		{"age over", map[string][][]any{"Responden": rows(append(slices.Clone(respHeader), "Umur"), append(resp("R1", "Kab. Jember"), 101))},
			prob{"error", "Responden", "E2", 2, "Umur", "101", `Umur "101" harus bilangan bulat 10–100`},
			`Umur "101" must be a whole number 10–100`},
		{"age under", map[string][][]any{"Responden": rows(append(slices.Clone(respHeader), "Usia"), append(resp("R1", "Kab. Jember"), "9"))},
			prob{"error", "Responden", "E2", 2, "Umur", "9", `Umur "9" harus bilangan bulat 10–100`},
			`Umur "9" must be a whole number 10–100`},
		{"age fraction", map[string][][]any{"Responden": rows(append(slices.Clone(respHeader), "Umur"), append(resp("R1", "Kab. Jember"), 30.5))},
			prob{"error", "Responden", "E2", 2, "Umur", "30.5", `Umur "30.5" harus bilangan bulat 10–100`},
			`Umur "30.5" must be a whole number 10–100`},
		{"bad work type", map[string][][]any{"Responden": rows(respHeader, []any{"R1", "11/09/2014", "Kab. Jember", "Borongan"})},
			prob{"error", "Responden", "D2", 2, "Jenis Pekerjaan", "Borongan", `Jenis Pekerjaan "Borongan" harus POS (Putting-Out System) atau SE (Self-Employed, Mandiri)`},
			`Jenis Pekerjaan "Borongan" must be POS (Putting-Out System) or SE (Self-Employed, Mandiri)`},
		{"bad gender", map[string][][]any{"Responden": rows(append(slices.Clone(respHeader), "JK"), append(resp("R1", "Kab. Jember"), "X"))},
			prob{"error", "Responden", "E2", 2, "Jenis Kelamin", "X", `Jenis Kelamin "X" harus P (perempuan: P, Perempuan, W, Wanita, F, Female) atau L (laki-laki: L, Laki-laki, Laki, Pria, M, Male)`},
			`Jenis Kelamin "X" must be P (female: P, Perempuan, W, Wanita, F, Female) or L (male: L, Laki-laki, Laki, Pria, M, Male)`},
		{"bad money", map[string][][]any{"Responden": rows(append(slices.Clone(respHeader), "Upah"), append(resp("R1", "Kab. Jember"), "sejuta"))},
			prob{"error", "Responden", "E2", 2, "Upah per Bulan", "sejuta", `Upah per Bulan "sejuta" bukan jumlah rupiah; tulis rupiah penuh, contoh: 1250000, 1.250.000 atau Rp 1.250.000`},
			`Upah per Bulan "sejuta" is not an amount in rupiah; write whole rupiah, e.g. 1250000, 1.250.000 or Rp 1.250.000`},
		{"bad stage", map[string][][]any{"Kelompok": rows(kelompok, []any{"G1", "Kab. Jember", "7", "11/09/2014", 10})},
			prob{"error", "Kelompok", "C2", 2, "Tahap", "7", `Tahap "7" harus salah satu tahap: 1 Pemetaan, 2 Pendekatan, 3 Pertemuan Kelompok, 4 Pembentukan Kelompok, 5 Pemilihan Pengurus, 6 Organisasi Berjalan`},
			`Tahap "7" must be one of the stages: 1 Pemetaan, 2 Pendekatan, 3 Pertemuan Kelompok, 4 Pembentukan Kelompok, 5 Pemilihan Pengurus, 6 Organisasi Berjalan`},
		{"negative members", map[string][][]any{"Kelompok": rows(kelompok, []any{"G1", "Kab. Jember", 1, "11/09/2014", -3})},
			prob{"error", "Kelompok", "E2", 2, "Jumlah Anggota", "-3", `Jumlah Anggota "-3" harus bilangan bulat 0–100000`},
			`Jumlah Anggota "-3" must be a whole number 0–100000`},
		{"missing value", map[string][][]any{"Responden": rows(respHeader, resp("R1", "Kab. Jember"), []any{"R2", nil, "Kab. Jember", "POS"})},
			prob{"error", "Responden", "B3", 3, "Tanggal Survei", "", `Tanggal Survei wajib diisi`},
			`Tanggal Survei is required`},
		{"missing value: dash", map[string][][]any{"Responden": rows(respHeader, []any{"R1", "11/09/2014", "Kab. Jember", " - "})},
			prob{"error", "Responden", "D2", 2, "Jenis Pekerjaan", "", `Jenis Pekerjaan wajib diisi`},
			`Jenis Pekerjaan is required`},
		{"missing column", map[string][][]any{"Responden": {{"Survei 2014"}, nil, {"ID Responden", "Tanggal Survei", "Wilayah", "Produk"}, {"R1", "11/09/2014", "Kab. Jember", "Batik"}}},
			prob{"error", "Responden", "A3", 3, "Jenis Pekerjaan", "", `kolom wajib "Jenis Pekerjaan" tidak ada di baris judul 3`},
			`required column "Jenis Pekerjaan" is missing from header row 3`},
		{"field facilitator without region", map[string][][]any{"Peserta": rows(pesertaHeader, []any{"Ani", "P", "Staff", nil}, []any{"Budi", "L", "Fasilitator Lapang", nil})},
			prob{"error", "Peserta", "D3", 3, "Wilayah", "", `Wilayah wajib diisi untuk fasilitator lapang`},
			`Wilayah is required for a field facilitator`},
		{"field facilitator without region column", map[string][][]any{"Peserta": rows([]any{"Nama", "Jabatan", "Lokasi"}, []any{"Budi", "Field Facilitator", "Kota Malang"})},
			prob{"error", "Peserta", "A2", 2, "Wilayah", "", `Wilayah wajib diisi untuk fasilitator lapang`},
			`Wilayah is required for a field facilitator`},
		{"field facilitator with an unknown region", map[string][][]any{"Peserta": rows(pesertaHeader, []any{"Budi", "L", "Faslap", "Kab. Jembr"})},
			prob{"error", "Peserta", "D2", 2, "Wilayah", "Kab. Jembr", `Wilayah "Kab. Jembr" tidak dikenal; maksud Anda "Kab. Jember"?`},
			`Wilayah "Kab. Jembr" unknown; did you mean "Kab. Jember"?`},
		{"duplicate ID", map[string][][]any{"Responden": rows(respHeader, resp("R-001", "Kab. Jember"), resp("R-002", "Kab. Jember"), resp(" r-001", "Kota Batu"))},
			prob{"error", "Responden", "A4", 4, "ID Responden", "r-001", `kunci baris ini sama dengan baris 2 (Responden!A2); setiap baris harus unik`},
			`this row's key duplicates row 2 (Responden!A2); every row must be unique`},
		{"duplicate participant ID", map[string][][]any{"Peserta": rows([]any{"Nama", "Jabatan", "ID Peserta"}, []any{"Ani", "Staff", "P1"}, []any{"Budi", "Staff", "p1"})},
			prob{"error", "Peserta", "C3", 3, "ID Peserta", "p1", `kunci baris ini sama dengan baris 2 (Peserta!C2); setiap baris harus unik`},
			`this row's key duplicates row 2 (Peserta!C2); every row must be unique`},
		{"duplicate header", map[string][][]any{"Responden": rows(append(slices.Clone(respHeader), "Region"), append(resp("R1", "Kab. Jember"), "Kota Batu"))},
			prob{"error", "Responden", "E1", 1, "Wilayah", "Region", `kolom Wilayah muncul dua kali (juga di C1)`},
			`column Wilayah appears twice (also at C1)`},
		{"UMK without year", map[string][][]any{"Wilayah": rows([]any{"Wilayah", "Tahun", "UMK"}, []any{"Kab. Jember", 2014, 1270000}, []any{"Kota Batu", nil, "Rp 1.580.037"})},
			prob{"error", "Wilayah", "B3", 3, "Tahun", "", `Tahun wajib diisi bila UMK diisi`},
			`Tahun is required when UMK is given`},
		{"UMK with a bad year", map[string][][]any{"Wilayah": rows([]any{"Wilayah", "Tahun", "UMK"}, []any{"Kota Batu", "2014/15", 1580037})},
			prob{"error", "Wilayah", "B2", 2, "Tahun", "2014/15", `Tahun "2014/15" harus bilangan bulat 1990–2100`},
			`Tahun "2014/15" must be a whole number 1990–2100`},
		{"ambiguous new region", map[string][][]any{"Wilayah": rows([]any{"Wilayah", "Tahun", "UMK"}, []any{"Malang", 2014, 1587000})},
			prob{"error", "Wilayah", "A2", 2, "Wilayah", "Malang", `Wilayah "Malang" ambigu: tulis "Kab. Malang" atau "Kota Malang"`},
			`Wilayah "Malang" is ambiguous: write "Kab. Malang" or "Kota Malang"`},
		{"new region without prefix", map[string][][]any{"Wilayah": rows([]any{"Wilayah", "Provinsi"}, []any{"Wanareja", "Jawa Timur"})},
			prob{"error", "Wilayah", "A2", 2, "Wilayah", "Wanareja", `Wilayah "Wanareja" bukan nama wilayah; tulis "Kab. X" atau "Kota X"`},
			`Wilayah "Wanareja" is not a region name; write "Kab. X" or "Kota X"`},
	}
	shared := newEnv(t) // a refused file stores nothing
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			e := &env{t: t, ctx: shared.ctx, db: shared.db, dataDir: shared.dataDir}
			r := e.refused("salah.xlsx", book(t, tc.sheets))
			if r.ErrorCount != 1 || r.ProblemCount != 1 || len(r.Problems) != 1 {
				t.Errorf("want exactly one problem\n%s", problems(r))
			}
			p, ok := problemAt(r, tc.want.Sheet, tc.want.Cell)
			if !ok {
				t.Fatalf("no problem at %s!%s\n%s", tc.want.Sheet, tc.want.Cell, problems(r))
			}
			equal(t, "problem", asProb(p), tc.want)
			if tc.want.Cell != "" {
				equal(t, "where", p.Where(), tc.want.Sheet+"!"+tc.want.Cell)
			}
			r.Localize("en")
			p, _ = problemAt(r, tc.want.Sheet, tc.want.Cell)
			equal(t, "English", p.Message, tc.en)
			r.Localize("id")
			p, _ = problemAt(r, tc.want.Sheet, tc.want.Cell)
			equal(t, "Indonesian again", p.Message, tc.want.Message)
			equal(t, "imports", e.count("imports"), 0)
		})
	}
}

// A cell is reported once: a refused or missing key does not also make a
// duplicate, and a refused value is not also "required".
func TestNoDoubleReports(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name   string
		sheets map[string][][]any
		want   []string
	}{
		{"blank IDs", map[string][][]any{"Responden": rows(respHeader, resp("", "Kab. Jember"), resp(" ", "Kab. Jember"), resp("R1", "Kab. Jember"))},
			[]string{"Responden!A2 ID Responden wajib diisi", "Responden!A3 ID Responden wajib diisi"}},
		{"refused stages", map[string][][]any{"Kelompok": rows([]any{"Kode Kelompok", "Wilayah", "Tahap", "Tanggal"},
			[]any{"G1", "Kab. Jember", "x", "11/09/2014"}, []any{"G1", "Kab. Jember", "y", "11/09/2014"}, []any{"G1", "Kab. Jember", nil, "11/09/2014"})},
			[]string{`Kelompok!C2 Tahap "x" harus salah satu tahap: ` + stages, `Kelompok!C3 Tahap "y" harus salah satu tahap: ` + stages, "Kelompok!C4 Tahap wajib diisi"}},
		{"refused regions", map[string][][]any{"Peserta": rows(pesertaHeader, []any{"Ani", nil, "Staff", "Kab. Malng"}, []any{"Ani", nil, "Staff", "Kab Malng"})},
			[]string{`Peserta!D2 Wilayah "Kab. Malng" tidak dikenal; maksud Anda "Kab. Malang"?`, `Peserta!D3 Wilayah "Kab Malng" tidak dikenal; maksud Anda "Kab. Malang"?`}},
		{"refused years", map[string][][]any{"Wilayah": rows([]any{"Wilayah", "Tahun", "UMK"}, []any{"Kota Batu", "x", 1}, []any{"Kota Batu", "y", 2})},
			[]string{`Wilayah!B2 Tahun "x" harus bilangan bulat 1990–2100`, `Wilayah!B3 Tahun "y" harus bilangan bulat 1990–2100`}},
		{"duplicate group stage", map[string][][]any{"Kelompok": rows([]any{"Kode Kelompok", "Wilayah", "Tahap", "Tanggal"},
			[]any{"G1", "Kab. Jember", 1, "11/09/2014"}, []any{"G1", "Kab. Jember", 2, "12/09/2014"}, []any{"g1", "Kab. Jember", "Pemetaan", "13/09/2014"})},
			[]string{"Kelompok!A4 kunci baris ini sama dengan baris 2 (Kelompok!A2); setiap baris harus unik"}},
		{"duplicate person", map[string][][]any{"Peserta": rows(pesertaHeader, []any{"Ani", "P", "Faslap", "Kab. Jember"}, []any{"ANI", "P", "Fasilitator Lapang", "Jember"})},
			[]string{"Peserta!A3 kunci baris ini sama dengan baris 2 (Peserta!A2); setiap baris harus unik"}},
		{"duplicate region year", map[string][][]any{"Wilayah": rows([]any{"Wilayah", "Tahun", "UMK"}, []any{"Kota Batu", 2014, 1}, []any{"Kota Batu", 2015, 2}, []any{"kota batu", 2014, 3})},
			[]string{"Wilayah!A4 kunci baris ini sama dengan baris 2 (Wilayah!A2); setiap baris harus unik"}},
	}
	e := newEnv(t)
	for _, tc := range tests {
		r := e.upload(tc.name+".xlsx", book(t, tc.sheets), ingest.Options{DryRun: true})
		var got []string
		for _, p := range r.Problems {
			got = append(got, p.Where()+" "+p.Message)
		}
		equalList(t, tc.name, got, tc.want)
	}
}

const stages = "1 Pemetaan, 2 Pendekatan, 3 Pertemuan Kelompok, 4 Pembentukan Kelompok, 5 Pemilihan Pengurus, 6 Organisasi Berjalan"

func TestUnknownFacilitatorWarns(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.commit("peserta.xlsx", book(t, map[string][][]any{"Peserta": rows(pesertaHeader, []any{"Siti Aminah", "P", "Faslap", "Kab. Jember"})}))
	header := append(slices.Clone(respHeader), "Fasilitator")
	r := e.upload("survei.xlsx", book(t, map[string][][]any{
		"Responden": rows(header,
			append(resp("R1", "Kab. Jember"), "siti  aminah"),
			append(resp("R2", "Kab. Jember"), "Sity Aminah"),
			append(resp("R3", "Kab. Jember"), "sity aminah"),
			append(resp("R4", "Kab. Jember"), "Budi")),
		"Kelompok": rows([]any{"Kode Kelompok", "Wilayah", "Tahap", "Tanggal", "Faslap"}, []any{"G1", "Kab. Jember", 1, "11/09/2014", "Budi"}),
	}), ingest.Options{})
	if !r.OK || r.ImportID == nil || r.ErrorCount != 0 {
		t.Fatalf("warnings must not block\n%s", problems(r))
	}
	var got []prob
	for _, p := range r.Problems {
		got = append(got, asProb(p))
	}
	want := []prob{
		{"warning", "Responden", "E3", 3, "Fasilitator", "Sity Aminah", `Fasilitator "Sity Aminah" tidak ada di daftar peserta (di 2 baris)`},
		{"warning", "Responden", "E5", 5, "Fasilitator", "Budi", `Fasilitator "Budi" tidak ada di daftar peserta`},
		{"warning", "Kelompok", "E2", 2, "Fasilitator", "Budi", `Fasilitator "Budi" tidak ada di daftar peserta`},
	}
	sort.Slice(got, func(i, j int) bool {
		return got[i].Sheet > got[j].Sheet || got[i].Sheet == got[j].Sheet && got[i].Row < got[j].Row
	})
	if !slices.Equal(got, want) {
		t.Errorf("problems:\n got  %+v\n want %+v", got, want)
	}
	equal(t, "problem count", r.ProblemCount, 3)
	equal(t, "respondents", e.count("respondents"), 4)
	equal(t, "group stages", e.count("group_stages"), 1)
	r.Localize("en")
	if p, _ := problemAt(r, "Responden", "E3"); p.Message != `Fasilitator "Sity Aminah" matches no participant (in 2 rows)` {
		t.Errorf("English: %q", p.Message)
	}

	// A participant of the same file is known to its survey sheets.
	r = e.upload("keduanya.xlsx", book(t, map[string][][]any{
		"Responden": rows(header, append(resp("R9", "Kab. Jember"), "Budi")),
		"Peserta":   rows(pesertaHeader, []any{"Budi", "L", "Faslap", "Kab. Jember"}),
	}), ingest.Options{})
	if !r.OK || r.ProblemCount != 0 {
		t.Errorf("want no warning for a participant of the same file\n%s", problems(r))
	}
}

// ---------------------------------------------------------------- Wilayah

func TestNewRegion(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	wilayah := []any{"Wilayah", "Provinsi", "Tahun", "UMK"}
	r := e.commit("wanareja.xlsx", book(t, map[string][][]any{
		"Wilayah":   rows(wilayah, []any{"Kabupaten WANAREJA", "Jawa Timur", 2014, "Rp 2.242.240"}, []any{"Kota Batu", nil, 2014, 1580037}),
		"Responden": rows(respHeader, resp("R1", "Kab. Wanareja"), resp("R2", "wanareja"), resp("R3", "Kota Batu")),
	}))
	if r.ProblemCount != 0 {
		t.Errorf("want no problem\n%s", problems(r))
	}
	equalList(t, "regions", e.table("regions"), []string{
		"{'key': kab. wanareja|2014, 'region': Kab. Wanareja, 'added': true, 'province': Jawa Timur, 'year': 2014, 'umk': 2242240, 'region_code': NULL}",
		"{'key': kota batu|2014, 'region': Kota Batu, 'added': false, 'province': Jawa Timur, 'year': 2014, 'umk': 1580037, 'region_code': 35.79}",
	})
	equalList(t, "respondents", e.rows("respondents", "respondent_id", "region"), []string{"R1|Kab. Wanareja", "R2|Kab. Wanareja", "R3|Kota Batu"})

	// A new name near a known one is added, with a warning that does not block.
	r = e.commit("typo.xlsx", book(t, map[string][][]any{
		"Wilayah":   rows(wilayah, []any{"Kab. Malng", nil, 2014, 1635000}),
		"Responden": rows(respHeader, resp("R9", "Kab. Malng")),
	}))
	if len(r.Problems) != 1 {
		t.Fatalf("want one warning\n%s", problems(r))
	}
	equal(t, "warning", asProb(r.Problems[0]), prob{"warning", "Wilayah", "A2", 2, "Wilayah", "Kab. Malng",
		`Wilayah "Kab. Malng" ditambahkan sebagai wilayah baru; salah ketik "Kab. Malang"?`})
	r.Localize("en")
	equal(t, "warning in English", r.Problems[0].Message, `Wilayah "Kab. Malng" is added as a new region; a typo of "Kab. Malang"?`)

	// A later file knows it without a Wilayah sheet.
	e.commit("wanareja2.xlsx", book(t, map[string][][]any{"Responden": rows(respHeader, resp("R4", "KAB. WANAREJA"))}))
	var later []string
	for _, row := range querytest.Stored(t, e.db, "respondents", "respondent_id", "region") {
		if row[0] == "R4" {
			later = append(later, querytest.Text(row[1]))
		}
	}
	equalList(t, "later", later, []string{"Kab. Wanareja"})

	// Without it, a fresh database does not know Kab. Wanareja.
	e2 := newEnv(t)
	r = e2.refused("wanareja2.xlsx", book(t, map[string][][]any{"Responden": rows(respHeader, resp("R4", "Kab. Wanareja"))}))
	if p, ok := problemAt(r, "Responden", "C2"); !ok || !strings.HasPrefix(p.Message, `Wilayah "Kab. Wanareja" tidak dikenal`) {
		t.Errorf("want Kab. Wanareja unknown\n%s", problems(r))
	}
}

// ---------------------------------------------------------------- all or nothing

func TestAllOrNothing(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	sheet := rows(respHeader, goodResp(50)...)
	sheet = slices.Insert(sheet, 26, resp("R-BAD", "Kab. Malng"))
	sheet = append(sheet, []any{"R-BAD2", "31/13/2014", "Malang", "POS"})
	r := e.upload("campur.xlsx", book(t, map[string][][]any{
		"Peserta":   rows(pesertaHeader, []any{"Ani", "P", "Faslap", "Kab. Jember"}),
		"Responden": sheet,
		"Kelompok":  rows([]any{"Kode Kelompok", "Wilayah", "Tahap", "Tanggal"}, []any{"G1", "Kab. Jember", 1, "11/09/2014"}),
		"Wilayah":   rows([]any{"Wilayah", "Tahun", "UMK"}, []any{"Kab. Wanareja", 2014, 2242240}),
	}), ingest.Options{})
	if r.OK || r.ImportID != nil {
		t.Fatalf("want a refusal\n%s", problems(r))
	}
	var where []string
	for _, p := range r.Problems {
		where = append(where, p.Where())
	}
	equalList(t, "problems", where, []string{"Responden!C27", "Responden!B53", "Responden!C53"})
	equal(t, "errors", r.ErrorCount, 3)
	equal(t, "imports", e.count("imports"), 0)
	equal(t, "import sheets", e.count("import_sheets"), 0)
	for _, tbl := range append(slices.Clone(currentTables), "participant_versions", "respondent_versions", "group_stage_versions", "region_versions") {
		equal(t, tbl, e.count(tbl), 0)
	}
	equalList(t, "data folder", e.dataFiles(), nil)
	equal(t, "respondent rows read", sheetReport(t, r, "Responden").Rows, 52)
}

func TestProblemLimit(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	sheet := [][]any{respHeader}
	for i := range 1200 {
		sheet = append(sheet, []any{fmt.Sprintf("R%04d", i), "kemarin", "Kab. Jember", "POS"})
	}
	r := e.refused("banyak.xlsx", book(t, map[string][][]any{"Responden": sheet}))
	equal(t, "listed", len(r.Problems), 1000)
	equal(t, "count", r.ProblemCount, 1200)
	equal(t, "errors", r.ErrorCount, 1200)
	equal(t, "first", r.Problems[0].Where(), "Responden!B2")
	equal(t, "last listed", r.Problems[999].Where(), "Responden!B1001")
	equal(t, "imports", e.count("imports"), 0)
}

// ---------------------------------------------------------------- formats

func TestNotAnXLSX(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	var ods, other bytes.Buffer
	zw := zip.NewWriter(&ods)
	w, _ := zw.Create("mimetype")
	w.Write([]byte("application/vnd.oasis.opendocument.spreadsheet"))
	w, _ = zw.Create("content.xml")
	w.Write([]byte("<office:document-content/>"))
	zw.Close()
	zw = zip.NewWriter(&other)
	w, _ = zw.Create("foto.jpg")
	w.Write([]byte("JFIF"))
	zw.Close()
	good := book(t, map[string][][]any{"Responden": rows(respHeader, resp("R1", "Kab. Jember"))})
	tests := []struct {
		name string
		data []byte
		says string
	}{
		{"data.csv", []byte("ID Responden,Tanggal Survei\nR1,11/09/2014\n"), "CSV"},
		{"lama.xls", append([]byte("\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1"), make([]byte, 512)...), ".xls)"},
		{"laporan.xlsx", []byte("%PDF-1.4 ..."), "PDF"},
		{"kosong.xlsx", []byte{}, "kosong"},
		{"survei.ods", ods.Bytes(), ".ods"},
		{"foto.zip", other.Bytes(), "bukan buku kerja Excel"},
		{"terpotong.xlsx", good[:len(good)/2], "rusak atau terpotong"},
	}
	for _, tc := range tests {
		r := e.upload(tc.name, tc.data, ingest.Options{})
		if r.OK || r.ImportID != nil || len(r.Problems) != 1 || r.Problems[0].Sheet != "" ||
			!strings.Contains(r.Problems[0].Message, tc.says) || !strings.Contains(r.Problems[0].Message, ".xlsx") {
			t.Errorf("%s: want one problem of the file, saying %q and naming .xlsx\n%s", tc.name, tc.says, problems(r))
		}
		if len(r.Sheets) != 0 {
			t.Errorf("%s: sheets read: %+v", tc.name, r.Sheets)
		}
	}
	r := e.upload("besar.xlsx", good, ingest.Options{MaxUpload: 100})
	if r.OK || len(r.Problems) != 1 || !strings.Contains(r.Problems[0].Message, "batas unggah") {
		t.Errorf("over the upload limit\n%s", problems(r))
	}
	equal(t, "imports", e.count("imports"), 0)
	equalList(t, "data folder", e.dataFiles(), nil)
}
