package sampledata_test

import (
	"bytes"
	"flag"
	"fmt"
	"io"
	"os"
	"slices"
	"strconv"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"pantau/sampledata"
)

var update = flag.Bool("update", false, "rewrite the committed sample workbooks")

func participants(t testing.TB) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := sampledata.WriteParticipants(&buf); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func survey(t testing.TB, opt sampledata.SurveyOptions) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := sampledata.WriteSurvey(&buf, opt); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func targets(t testing.TB) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := sampledata.WriteTargets(&buf); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func open(t *testing.T, b []byte) *excelize.File {
	t.Helper()
	f, err := excelize.OpenReader(bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { f.Close() })
	return f
}

// rows reads a sheet with raw cell values (date serials, plain numbers),
// padding every row to the header's width.
func rows(t *testing.T, f *excelize.File, sheet string, headerRow int, want []string) [][]string {
	t.Helper()
	all, err := f.GetRows(sheet, excelize.Options{RawCellValue: true})
	if err != nil {
		t.Fatal(err)
	}
	if len(all) < headerRow {
		t.Fatalf("%s: only %d rows", sheet, len(all))
	}
	if got := all[headerRow-1]; !slices.Equal(got, want) {
		t.Fatalf("%s header = %q, want %q", sheet, got, want)
	}
	data := all[headerRow:]
	for i, r := range data {
		data[i] = append(r, make([]string, len(want)-len(r))...)
	}
	return data
}

func serialDate(t *testing.T, where, s string) time.Time {
	t.Helper()
	v, err := strconv.ParseFloat(s, 64)
	if err != nil {
		t.Fatalf("%s: date %q is not a date serial: %v", where, s, err)
	}
	d, err := excelize.ExcelDateToTime(v, false)
	if err != nil {
		t.Fatalf("%s: %v", where, err)
	}
	return d
}

func date(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, time.UTC) }

type regionGender struct{ region, gender string }

// The field facilitators by region and gender, as WORKBOOKS.md gives them.
var wantFaslap = map[regionGender]int{
	{"Kota Malang", "P"}: 2, {"Kab. Malang", "P"}: 2, {"Kota Batu", "P"}: 1,
	{"Kota Surabaya", "P"}: 2, {"Kab. Sidoarjo", "L"}: 1, {"Kota Mojokerto", "P"}: 1,
	{"Kab. Mojokerto", "L"}: 1, {"Kab. Probolinggo", "P"}: 2,
	{"Kab. Jember", "P"}: 1, {"Kab. Jember", "L"}: 1,
}

func TestFacilitators(t *testing.T) {
	got := map[regionGender]int{}
	names := map[string]bool{}
	for _, fc := range sampledata.Facilitators() {
		got[regionGender{fc.Region, fc.Gender}]++
		if names[fc.Name] {
			t.Errorf("facilitator name %q repeats", fc.Name)
		}
		names[fc.Name] = true
	}
	if len(got) != len(wantFaslap) {
		t.Errorf("facilitators by region and gender = %v, want %v", got, wantFaslap)
	}
	for k, n := range wantFaslap {
		if got[k] != n {
			t.Errorf("%v: %d facilitators, want %d", k, got[k], n)
		}
	}
	if !names["Cahyono Agus Rifa'i"] {
		t.Error("Cahyono Agus Rifa'i is missing")
	}
	regions := map[string]bool{}
	for _, rg := range sampledata.Regions2014() {
		regions[rg.Name] = true
	}
	for _, fc := range sampledata.Facilitators() {
		if !regions[fc.Region] {
			t.Errorf("%s works in %s, which is not a program region", fc.Name, fc.Region)
		}
	}
}

func TestRegions2014(t *testing.T) {
	want := map[string]int{
		"Kota Surabaya": 2200000, "Kab. Sidoarjo": 2190000, "Kab. Mojokerto": 2050000,
		"Kab. Malang": 1635000, "Kota Malang": 1587000, "Kota Batu": 1580037,
		"Kab. Probolinggo": 1353750, "Kab. Jember": 1270000, "Kota Mojokerto": 1250000,
	}
	got := sampledata.Regions2014()
	if len(got) != len(want) {
		t.Fatalf("%d regions, want %d", len(got), len(want))
	}
	for _, rg := range got {
		if want[rg.Name] != rg.UMK || rg.Year != 2014 || rg.Province != "Jawa Timur" {
			t.Errorf("region %+v, want UMK %d in 2014, Jawa Timur", rg, want[rg.Name])
		}
	}
}

var participantHeader = []string{"Nama", "Jenis Kelamin", "Jabatan", "Wilayah", "Kegiatan", "Tanggal Kegiatan", "Lokasi"}

func TestParticipants(t *testing.T) {
	f := open(t, participants(t))
	if got := f.GetSheetList(); len(got) != 1 || got[0] != "Peserta" {
		t.Fatalf("sheets = %q, want [Peserta]", got)
	}
	title, _ := f.GetCellValue("Peserta", "A1")
	if title != "Daftar Peserta Training of Trainers Organisasi dan Pengorganisasian, 11-13 September 2014, Kota Malang" {
		t.Errorf("title = %q", title)
	}
	merged, err := f.GetMergeCells("Peserta")
	if err != nil || len(merged) != 1 || merged[0].GetStartAxis() != "A1" {
		t.Errorf("merged cells = %v, %v; want the title in A1", merged, err)
	}

	data := rows(t, f, "Peserta", 3, participantHeader)
	if len(data) != 20 {
		t.Fatalf("%d participants, want 20", len(data))
	}
	staff := map[string]string{
		"Cecilia Susiloretno": "Manager Program MAMPU",
		"Dardiri":             "Vice Manager Program MAMPU",
		"Ali Maxoem":          "Div. Data dan Informasi",
		"Sarno":               "Div. Pengorganisasian dan Training",
		"Veronica Yuniar M":   "Staff Keuangan Program MAMPU",
		"Taufan":              "Staff Administrasi Program MAMPU",
	}
	got := map[regionGender]int{}
	keys := map[[3]string]bool{}
	var p, l int
	for i, r := range data {
		name, gender, role, region := r[0], r[1], r[2], r[3]
		key := [3]string{name, role, region}
		if keys[key] {
			t.Errorf("row %d: key %q repeats", i+4, key)
		}
		keys[key] = true
		if r[4] != "TOT Organisasi dan Pengorganisasian" || r[6] != "Kota Malang" {
			t.Errorf("row %d: event %q at %q", i+4, r[4], r[6])
		}
		if d := serialDate(t, "Peserta row "+strconv.Itoa(i+4), r[5]); !d.Equal(date(2014, 9, 11)) {
			t.Errorf("row %d: date %v, want 2014-09-11", i+4, d)
		}
		if role != "Fasilitator Lapang" {
			if staff[name] != role || gender != "" || region != "" {
				t.Errorf("row %d: staff %q", i+4, r)
			}
			delete(staff, name)
			continue
		}
		got[regionGender{region, gender}]++
		switch gender {
		case "P":
			p++
		case "L":
			l++
		}
		if name == "Cahyono Agus Rifa'i" && (region != "Kab. Mojokerto" || gender != "L") {
			t.Errorf("Cahyono Agus Rifa'i: %q", r)
		}
	}
	if len(staff) != 0 {
		t.Errorf("staff missing: %v", staff)
	}
	if p != 11 || l != 3 {
		t.Errorf("facilitators %d P, %d L; want 11 P, 3 L", p, l)
	}
	for k, n := range wantFaslap {
		if got[k] != n {
			t.Errorf("%v: %d facilitators, want %d", k, got[k], n)
		}
	}
	if len(got) != len(wantFaslap) {
		t.Errorf("facilitators by region and gender = %v, want %v", got, wantFaslap)
	}
	if !keys[[3]string{"Cahyono Agus Rifa'i", "Fasilitator Lapang", "Kab. Mojokerto"}] {
		t.Error("Cahyono Agus Rifa'i is missing")
	}

	// The date is shown as a date, not as its serial number.
	shown, _ := f.GetCellValue("Peserta", "F4")
	if shown != "2014-09-11" {
		t.Errorf("F4 shows %q, want 2014-09-11", shown)
	}
}

var (
	respondentHeader = []string{
		"ID Responden", "Tanggal Survei", "Wilayah", "Kecamatan", "Desa/Kelurahan",
		"Fasilitator", "Jenis Kelamin", "Umur", "Jenis Pekerjaan", "Produk", "Upah per Bulan",
		"Tanpa Kontrak Tertulis", "Tidak Diakui sebagai Pekerja", "Tanpa Perlindungan Hukum",
		"Tanpa Jaminan Kesehatan", "Tanpa Jaminan Hari Tua", "Alat Kerja Sendiri",
		"Tanpa Nilai Tawar", "Upah di Bawah UMR", "Pemberi Kerja Tidak Diketahui",
	}
	groupHeader = []string{"Kode Kelompok", "Nama Kelompok", "Wilayah", "Fasilitator", "Tahap", "Tanggal", "Jumlah Anggota"}
	stages      = []string{"1. Pemetaan", "2. Pendekatan", "3. Pertemuan Kelompok",
		"4. Pembentukan Kelompok", "5. Pemilihan Pengurus", "6. Organisasi Berjalan"}
)

func TestSurvey(t *testing.T) {
	opt := sampledata.SurveyOptions{Respondents: 3000, Groups: 200, Seed: 7}
	f := open(t, survey(t, opt))
	if got := f.GetSheetList(); !slices.Equal(got, []string{"Responden", "Kelompok", "Wilayah"}) {
		t.Fatalf("sheets = %q", got)
	}
	umk := map[string]int{}
	for _, rg := range sampledata.Regions2014() {
		umk[rg.Name] = rg.UMK
	}
	faslap := map[[2]string]bool{} // name, region
	for _, fc := range sampledata.Facilitators() {
		faslap[[2]string{fc.Name, fc.Region}] = true
	}

	t.Run("Responden", func(t *testing.T) {
		data := rows(t, f, "Responden", 1, respondentHeader)
		if len(data) != opt.Respondents {
			t.Fatalf("%d respondents, want %d", len(data), opt.Respondents)
		}
		ids := map[string]bool{}
		var pos, women, blankWage, below, posBelow int
		for i, r := range data {
			at := "Responden row " + strconv.Itoa(i+2)
			if r[0] == "" || ids[r[0]] {
				t.Fatalf("%s: ID %q empty or repeated", at, r[0])
			}
			ids[r[0]] = true
			if d := serialDate(t, at, r[1]); d.Before(date(2014, 9, 15)) || d.After(date(2015, 12, 31)) {
				t.Errorf("%s: survey date %v out of range", at, d)
			}
			region := r[2]
			if _, ok := umk[region]; !ok {
				t.Fatalf("%s: region %q is not a program region", at, region)
			}
			if r[3] == "" || r[4] == "" || r[9] == "" {
				t.Errorf("%s: kecamatan, desa or product blank: %q", at, r)
			}
			if !faslap[[2]string{r[5], region}] {
				t.Errorf("%s: facilitator %q does not work in %s", at, r[5], region)
			}
			switch r[6] {
			case "P":
				women++
			case "L", "":
			default:
				t.Errorf("%s: gender %q", at, r[6])
			}
			if r[7] != "" {
				if a, err := strconv.Atoi(r[7]); err != nil || a < 16 || a > 75 {
					t.Errorf("%s: age %q", at, r[7])
				}
			}
			switch r[8] {
			case "POS":
				pos++
			case "SE":
			default:
				t.Errorf("%s: work type %q", at, r[8])
			}
			for c := 11; c < 20; c++ {
				if v := r[c]; v != "Ya" && v != "Tidak" && v != "" {
					t.Errorf("%s: %s = %q", at, respondentHeader[c], v)
				}
			}
			if r[10] == "" {
				blankWage++
				continue
			}
			wage, err := strconv.Atoi(r[10])
			if err != nil || wage <= 0 {
				t.Fatalf("%s: wage %q", at, r[10])
			}
			if want := yesNo(wage < umk[region]); r[18] != want {
				t.Errorf("%s: wage %d in %s (UMK %d) but Upah di Bawah UMR = %q", at, wage, region, umk[region], r[18])
			}
			if wage < umk[region] {
				below++
				if r[8] == "POS" {
					posBelow++
				}
			}
		}
		// Loose checks on the mix, so that the data stays realistic.
		n := float64(opt.Respondents)
		within(t, "POS share", float64(pos)/n, 0.55, 0.65)
		within(t, "women share", float64(women)/n, 0.84, 0.92)
		within(t, "blank wage share", float64(blankWage)/n, 0.03, 0.07)
		within(t, "POS below UMK among wages below UMK", float64(posBelow)/float64(below), 0.6, 0.9)
	})

	t.Run("Kelompok", func(t *testing.T) {
		data := rows(t, f, "Kelompok", 1, groupHeader)
		type group struct {
			name, region, faslap string
			stage, members       int
			date                 time.Time
		}
		groups := map[string]*group{}
		var order []string
		for i, r := range data {
			at := "Kelompok row " + strconv.Itoa(i+2)
			d := serialDate(t, at, r[5])
			if d.Before(date(2014, 10, 1)) || d.After(date(2016, 12, 31)) {
				t.Errorf("%s: date %v out of range", at, d)
			}
			if !faslap[[2]string{r[3], r[2]}] {
				t.Errorf("%s: facilitator %q does not work in %q", at, r[3], r[2])
			}
			g := groups[r[0]]
			if g == nil {
				g = &group{name: r[1], region: r[2], faslap: r[3]}
				groups[r[0]] = g
				order = append(order, r[0])
			} else if g.name != r[1] || g.region != r[2] || g.faslap != r[3] {
				t.Errorf("%s: group %s changed name, region or facilitator", at, r[0])
			}
			if g.stage >= len(stages) || r[4] != stages[g.stage] {
				t.Fatalf("%s: group %s stage %q after stage %d", at, r[0], r[4], g.stage)
			}
			g.stage++
			if d.Before(g.date) {
				t.Errorf("%s: group %s date %v before its previous stage's %v", at, r[0], d, g.date)
			}
			g.date = d
			switch {
			case g.stage <= 2 && r[6] != "":
				t.Errorf("%s: members %q before the group meets", at, r[6])
			case g.stage >= 3:
				m, err := strconv.Atoi(r[6])
				if err != nil || m < 5 || m > 40 || m < g.members {
					t.Errorf("%s: members %q after %d", at, r[6], g.members)
				}
				g.members = m
			}
		}
		if len(groups) != opt.Groups {
			t.Fatalf("%d groups, want %d", len(groups), opt.Groups)
		}
		for i, code := range order {
			if want := fmt.Sprintf("KLP-%04d", i+1); code != want {
				t.Fatalf("group %d is %s, want %s", i+1, code, want)
			}
		}
		// The funnel narrows: stage 1 is everyone, stage 6 a few.
		reached := make([]int, len(stages)+1)
		for _, g := range groups {
			for s := 1; s <= g.stage; s++ {
				reached[s]++
			}
		}
		for s := 2; s <= len(stages); s++ {
			if reached[s] >= reached[s-1] {
				t.Errorf("funnel does not narrow at stage %d: %v", s, reached[1:])
			}
		}
		if reached[6] == 0 || reached[6] > opt.Groups/4 {
			t.Errorf("%d of %d groups reach stage 6", reached[6], opt.Groups)
		}
	})

	t.Run("Wilayah", func(t *testing.T) {
		data := rows(t, f, "Wilayah", 1, []string{"Wilayah", "Provinsi", "Tahun", "UMK"})
		if len(data) != len(umk) {
			t.Fatalf("%d regions, want %d", len(data), len(umk))
		}
		for _, r := range data {
			if r[1] != "Jawa Timur" || r[2] != "2014" || r[3] != strconv.Itoa(umk[r[0]]) {
				t.Errorf("region row %q", r)
			}
		}
		shown, _ := f.GetCellValue("Wilayah", "D2")
		if shown != "1,587,000" {
			t.Errorf("UMK of Kota Malang shows %q, want 1,587,000", shown)
		}
	})
}

func within(t *testing.T, what string, v, lo, hi float64) {
	t.Helper()
	if v < lo || v > hi {
		t.Errorf("%s = %.3f, want %.2f-%.2f", what, v, lo, hi)
	}
}

func yesNo(b bool) string {
	if b {
		return "Ya"
	}
	return "Tidak"
}

func TestSurveyEmpty(t *testing.T) {
	f := open(t, survey(t, sampledata.SurveyOptions{Seed: 3}))
	if data := rows(t, f, "Responden", 1, respondentHeader); len(data) != 0 {
		t.Errorf("%d respondents, want none", len(data))
	}
	for _, opt := range []sampledata.SurveyOptions{{Respondents: -1}, {Groups: -1}, {Respondents: excelize.TotalRows}} {
		if err := sampledata.WriteSurvey(io.Discard, opt); err == nil {
			t.Errorf("WriteSurvey accepted %+v", opt)
		}
	}
}

func TestDeterministic(t *testing.T) {
	if !bytes.Equal(participants(t), participants(t)) {
		t.Error("two runs of WriteParticipants differ")
	}
	if !bytes.Equal(targets(t), targets(t)) {
		t.Error("two runs of WriteTargets differ")
	}
	// Several runs: a part written in map order differs only now and then.
	opt := sampledata.SurveyOptions{Respondents: 200, Groups: 20, Seed: 42}
	a := survey(t, opt)
	for i := range 10 {
		if !bytes.Equal(a, survey(t, opt)) {
			t.Fatalf("run %d of WriteSurvey with the same options differs from the first", i+2)
		}
	}
	opt.Seed++
	if bytes.Equal(a, survey(t, opt)) {
		t.Error("a different seed gives the same survey")
	}
}

// TestCommittedSamplesAreCurrent keeps peserta.xlsx, survei.xlsx and target.xlsx equal to
// the generator's output. Regenerate them with
//
//	go test ./sampledata -run TestCommittedSamplesAreCurrent -update
func TestCommittedSamplesAreCurrent(t *testing.T) {
	for _, c := range []struct {
		file string
		gen  func() []byte
	}{
		{"peserta.xlsx", func() []byte { return participants(t) }},
		{"survei.xlsx", func() []byte { return survey(t, sampledata.DefaultSurveyOptions()) }},
		{"target.xlsx", func() []byte { return targets(t) }},
	} {
		want := c.gen()
		if *update {
			if err := os.WriteFile(c.file, want, 0o644); err != nil {
				t.Fatal(err)
			}
			continue
		}
		got, err := os.ReadFile(c.file)
		if err != nil {
			t.Fatalf("%v (run with -update to create it)", err)
		}
		if !bytes.Equal(got, want) {
			t.Errorf("%s is not the generator's output; run go test ./sampledata -run TestCommittedSamplesAreCurrent -update", c.file)
		}
	}
}

func TestTargets(t *testing.T) {
	f := open(t, targets(t))
	if got := f.GetSheetList(); !slices.Equal(got, []string{"Target"}) {
		t.Fatalf("sheets = %q, want [Target]", got)
	}
	data := rows(t, f, "Target", 1, []string{"Indikator", "Wilayah", "Periode", "Target", "Catatan"})
	regions := map[string]bool{}
	for _, rg := range sampledata.Regions2014() {
		regions[rg.Name] = true
	}
	indicators := map[string]bool{"responden": true, "kelompok_terbentuk": true, "anggota": true, "masalah_h": true}
	periods := map[string]bool{"2014-Q4": true, "2015-Q1": true, "2015-Q2": true, "2015-Q3": true, "2015-Q4": true}
	keys := map[[3]string]bool{}
	for i, r := range data {
		at := "Target row " + strconv.Itoa(i+2)
		key := [3]string{r[0], r[1], r[2]}
		if !indicators[r[0]] || !regions[r[1]] || !periods[r[2]] || keys[key] {
			t.Errorf("%s: key %q unknown or repeated", at, key)
		}
		keys[key] = true
		v, err := strconv.ParseFloat(r[3], 64)
		switch {
		case err != nil || v <= 0:
			t.Errorf("%s: target %q", at, r[3])
		case r[0] == "masalah_h" && v > 1:
			t.Errorf("%s: share %q is not a fraction", at, r[3])
		case r[0] != "masalah_h" && v != float64(int(v)):
			t.Errorf("%s: count %q is not whole", at, r[3])
		}
	}
	if len(keys) != len(indicators)*len(regions)*len(periods) {
		t.Errorf("%d targets, want one per indicator, region and quarter (%d)", len(keys), len(indicators)*len(regions)*len(periods))
	}
	// A share shows as a percentage.
	for i, r := range data {
		if r[0] == "masalah_h" {
			cell := "D" + strconv.Itoa(i+2)
			if shown, _ := f.GetCellValue("Target", cell); shown != "85%" {
				t.Errorf("%s shows %q, want 85%%", cell, shown)
			}
			break
		}
	}
}

func TestDefaultSurveyOptions(t *testing.T) {
	if got := sampledata.DefaultSurveyOptions(); got != (sampledata.SurveyOptions{Respondents: 2000, Groups: 120, Seed: 1, Flaws: true}) {
		t.Errorf("DefaultSurveyOptions() = %+v", got)
	}
}

func BenchmarkWriteSurvey(b *testing.B) {
	opt := sampledata.SurveyOptions{Respondents: 100_000, Groups: 5_000, Seed: 1}
	for b.Loop() {
		if err := sampledata.WriteSurvey(io.Discard, opt); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(opt.Respondents)*float64(b.N)/b.Elapsed().Seconds(), "respondents/s")
}

// The flaws are planted into the clean survey's rows: the flawed survey
// differs from the clean one of the same seed in the planted cells only
// (so that the figures of everything else stay), and each kind is there.
// pantau's ingest tests prove that they raise the quality flags.
func TestFlaws(t *testing.T) {
	opt := sampledata.DefaultSurveyOptions()
	flawed := open(t, survey(t, opt))
	opt.Flaws = false
	clean := open(t, survey(t, opt))

	every := func(i, n, first int) bool { return i >= first && (i-first)%n == 0 }
	got := map[string]int{}
	fr := rows(t, flawed, "Responden", 1, respondentHeader)
	cr := rows(t, clean, "Responden", 1, respondentHeader)
	region := map[string]string{}
	for _, fc := range sampledata.Facilitators() {
		region[fc.Name] = fc.Region
	}
	burstDays := map[[2]string]int{}
	for i := range fr {
		n, at := i+1, "Responden row "+strconv.Itoa(i+2)
		burstDays[[2]string{fr[i][5], fr[i][1]}]++
		for c := range respondentHeader {
			if fr[i][c] == cr[i][c] {
				continue
			}
			switch col := respondentHeader[c]; {
			case c == 10 && every(n, 500, 123):
				if w, _ := strconv.Atoi(fr[i][c]); w < 20_000_000 {
					t.Errorf("%s: outlier wage %d", at, w)
				}
				got["wage"]++
			case c == 18 && every(n, 500, 123) && fr[i][c] == "Tidak": // follows the wage
			case c == 5 && every(n, 400, 77):
				if region[fr[i][c]] == fr[i][2] {
					t.Errorf("%s: facilitator %s works in %s", at, fr[i][c], fr[i][2])
				}
				got["facilitator"]++
			case c >= 11 && every(n, 450, 200):
				if !slices.Equal(fr[i][11:20], make([]string, 9)) {
					t.Errorf("%s: problems %q, want all blank", at, fr[i][11:20])
				}
				got["unanswered"]++
			case c == 3 && every(n, 300, 50):
				if fr[i][c] != "Kec. "+cr[i][c] {
					t.Errorf("%s: kecamatan %q from %q", at, fr[i][c], cr[i][c])
				}
				got["kec"]++
			case c == 3 && every(n, 300, 150):
				got["capitals"]++
			case c == 3 && every(n, 700, 320), c == 4 && every(n, 700, 600):
				got["misspelt"]++
			case c == 1:
				got["burst"]++
			default:
				t.Errorf("%s: %s %q in the clean survey, %q in the flawed one", at, col, cr[i][c], fr[i][c])
			}
		}
	}
	bursts := 0
	for _, n := range burstDays {
		if n > 15 {
			bursts++
		}
	}
	if bursts != 2 || got["burst"] < 30 {
		t.Errorf("%d facilitator days with more than 15 respondents (%d dates moved), want 2", bursts, got["burst"])
	}
	want := map[string]int{"wage": 4, "facilitator": 5, "kec": 7, "capitals": 7, "misspelt": 6}
	for k, n := range want {
		if got[k] != n {
			t.Errorf("%s: %d rows planted, want %d", k, got[k], n)
		}
	}
	if got["unanswered"] < 5 {
		t.Errorf("%d problem cells blanked, want some in each of 5 rows", got["unanswered"])
	}

	// Kelompok: the flawed log has the clean one's rows but the stage 2 rows
	// left out, one date moved and some members dropped.
	fg := rows(t, flawed, "Kelompok", 1, groupHeader)
	cg := rows(t, clean, "Kelompok", 1, groupHeader)
	changed := map[string]int{}
	j := 0
	for _, c := range cg {
		if j < len(fg) && fg[j][0] == c[0] && fg[j][4] == c[4] {
			f := fg[j]
			j++
			switch {
			case slices.Equal(f, c):
			case f[5] != c[5] && c[4] == stages[2]:
				changed["stage_order"]++
			case f[6] != c[6] && c[4] == stages[3]:
				changed["members_drop"]++
			default:
				t.Errorf("group %s changed: %q from %q", c[0], f, c)
			}
			continue
		}
		if c[4] != stages[1] {
			t.Errorf("group %s: %s left out", c[0], c[4])
		}
		changed["stage_skipped"]++
	}
	if j != len(fg) {
		t.Errorf("%d rows of the flawed log are not the clean one's", len(fg)-j)
	}
	for _, kind := range []string{"stage_order", "stage_skipped", "members_drop"} {
		if changed[kind] == 0 || changed[kind] > 6 {
			t.Errorf("%s planted in %d groups, want a handful", kind, changed[kind])
		}
	}
}
