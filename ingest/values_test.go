package ingest

import (
	"errors"
	"math"
	"strings"
	"testing"
	"time"

	"pantau/queries"
)

// checkReason fails unless err is a *message with both texts set and an ID
// text that contains idHas, the part saying what was expected.
func checkReason(t *testing.T, input string, err error, idHas string) {
	t.Helper()
	var r *queries.Message
	if !errors.As(err, &r) {
		t.Errorf("%q: want a *queries.Message, got %v", input, err)
		return
	}
	if r.ID == "" || r.EN == "" {
		t.Errorf("%q: queries.Message has an empty text: %+v", input, r)
	}
	if !strings.Contains(r.ID, idHas) {
		t.Errorf("%q: queries.Message ID %q does not contain %q", input, r.ID, idHas)
	}
	if r.Error() != r.EN {
		t.Errorf("%q: Error() = %q, want the EN text", input, r.Error())
	}
}

func TestCleanText(t *testing.T) {
	tests := []struct{ in, want string }{
		{"Kab. Malang", "Kab. Malang"},
		{"  Kab.   Malang  ", "Kab. Malang"},
		{"Kab.\tMalang", "Kab. Malang"},
		{"Kab.\u00a0Malang", "Kab. Malang"},
		{"Kab.\u00a0 \n\r\nMalang\n", "Kab. Malang"},
		{"", ""},
		{" \u00a0\t", ""},
	}
	for _, tt := range tests {
		if got := cleanText(tt.in); got != tt.want {
			t.Errorf("cleanText(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func utcDay(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, time.UTC) }

func TestParseDate(t *testing.T) {
	sep11 := utcDay(2014, 9, 11)
	tests := []struct {
		in       string
		date1904 bool
		want     time.Time
	}{
		// Excel serials.
		{"41893", false, sep11},
		{"41893.5", false, sep11},
		{"41893.999", false, sep11},
		{"4.1893E4", false, sep11},
		{"4.1893e+4", false, sep11},
		{"41893", true, utcDay(2018, 9, 12)},
		{"40431", true, sep11},
		{"29221", false, utcDay(1980, 1, 1)},
		{"73415", false, utcDay(2100, 12, 31)},
		// ISO.
		{"2014-09-11", false, sep11},
		{"2014-9-1", false, utcDay(2014, 9, 1)},
		{"2014-09-11 00:00:00", false, sep11},
		{"2014-09-11T00:00:00", false, sep11},
		{"2014-09-11 13:45", false, sep11},
		{"2014/09/11", false, sep11},
		// Day first.
		{"11/09/2014", false, sep11},
		{"11-09-2014", false, sep11},
		{"11.09.2014", false, sep11},
		{"1/9/2014", false, utcDay(2014, 9, 1)},
		{"11/09/2014 00:00", false, sep11},
		{"29/02/2016", false, utcDay(2016, 2, 29)},
		// Month names.
		{"11 September 2014", false, sep11},
		{"11 september 2014", false, sep11},
		{"11 SEPTEMBER 2014", false, sep11},
		{"11 Sep 2014", false, sep11},
		{"11 Sept 2014", false, sep11},
		{"11 Sept. 2014", false, sep11},
		{"11-Sep-2014", false, sep11},
		{"11-sep-2014", false, sep11},
		{"11 Agustus 2014", false, utcDay(2014, 8, 11)},
		{"11 Agt 2014", false, utcDay(2014, 8, 11)},
		{"11 Agu 2014", false, utcDay(2014, 8, 11)},
		{"11 Ags 2014", false, utcDay(2014, 8, 11)},
		{"11 Aug 2014", false, utcDay(2014, 8, 11)},
		{"11 August 2014", false, utcDay(2014, 8, 11)},
		{"  11   September\u00a02014 ", false, sep11},
		{"September 11, 2014", false, sep11},
		{"Kamis, 11 September 2014", false, sep11},
		{"Thursday, 11 September 2014", false, sep11},
		{"Jum'at 12 September 2014", false, utcDay(2014, 9, 12)},
	}
	// Every Indonesian and English month name and abbreviation.
	for name, m := range monthNumbers {
		tests = append(tests, struct {
			in       string
			date1904 bool
			want     time.Time
		}{"5 " + name + " 2015", false, utcDay(2015, m, 5)})
	}
	for _, tt := range tests {
		got, err := parseDate(tt.in, tt.date1904)
		if err != nil || !got.Equal(tt.want) || got.Location() != time.UTC {
			t.Errorf("parseDate(%q, %v) = %v, %v; want %v", tt.in, tt.date1904, got, err, tt.want)
		}
	}
}

func TestParseDateRefused(t *testing.T) {
	tests := []struct {
		in, idHas string
	}{
		{"abc", "contoh: 11/09/2014, 2014-09-11 atau 11 September 2014"},
		{"September 2014", "contoh"},
		{"11 Foo 2014", "contoh"},
		{"11/09-2014", "contoh"},
		{"Inf", "contoh"},
		{"0x1p4", "contoh"},
		{"31/02/2014", "Februari 2014 hanya punya 28 hari"},
		{"29/02/2015", "tidak ada"},
		{"31 April 2014", "April 2014 hanya punya 30 hari"},
		{"0/09/2014", "tidak ada"},
		{"2014-02-30", "tidak ada"},
		{"11/13/2014", "tidak ada bulan 13"},
		{"09/25/2014", "hari/bulan/tahun"},
		{"11/09/14", "4 angka"},
		{"11 September 14", "4 angka"},
		{"11/09/214", "4 angka"},
		{"31/12/1979", "01/01/1980 dan 31/12/2100"},
		{"01/01/2101", "01/01/1980 dan 31/12/2100"},
		{"1900-03-01", "01/01/1980 dan 31/12/2100"},
		{"2014", "01/01/1980 dan 31/12/2100"}, // a year alone is a serial in 1905
		{"60", "kalender"},
		{"0", "kalender"},
		{"-1", "kalender"},
		{"1e9", "kalender"},
		{"20140911", "kalender"},
	}
	for _, tt := range tests {
		got, err := parseDate(tt.in, false)
		if err == nil {
			t.Errorf("parseDate(%q) = %v, want a refusal", tt.in, got)
			continue
		}
		checkReason(t, tt.in, err, tt.idHas)
	}
	// Serial 0 exists in the 1904 system but is out of range.
	_, err := parseDate("0", true)
	checkReason(t, "0 (1904)", err, "1904")
}

func TestParseDateExcelSerial(t *testing.T) {
	tests := []struct {
		serial   float64
		date1904 bool
		want     time.Time
		ok       bool
	}{
		{1, false, utcDay(1900, 1, 1), true},
		{59, false, utcDay(1900, 2, 28), true},
		{60, false, time.Time{}, false}, // Excel's fictitious 1900-02-29
		{61, false, utcDay(1900, 3, 1), true},
		{0, false, time.Time{}, false},
		{41893, false, utcDay(2014, 9, 11), true},
		{41893.75, false, utcDay(2014, 9, 11), true},
		{2958465, false, utcDay(9999, 12, 31), true},
		{2958466, false, time.Time{}, false},
		{0, true, utcDay(1904, 1, 1), true},
		{60, true, utcDay(1904, 3, 1), true},
		{41893, true, utcDay(2018, 9, 12), true},
		{-1, true, time.Time{}, false},
	}
	for _, tt := range tests {
		got, ok := excelSerialDate(tt.serial, tt.date1904)
		if ok != tt.ok || !got.Equal(tt.want) {
			t.Errorf("excelSerialDate(%v, %v) = %v, %v; want %v, %v", tt.serial, tt.date1904, got, ok, tt.want, tt.ok)
		}
	}
}

func TestParseYesNo(t *testing.T) {
	yes := []string{"Ya", "ya", "YA", "Y", "y", "Yes", "YES", "Iya", "1", "1.0", "TRUE", "true", "True",
		"✓", "✔", "√", "v", "V", "x", "X", " Ya ", "Ya."}
	no := []string{"Tidak", "tidak", "TIDAK", "Tdk", "tdk.", "T", "t", "No", "NO", "N", "n", "0", "0.0",
		"FALSE", "false", " Tidak\u00a0"}
	for _, in := range yes {
		if got, err := parseYesNo(in); err != nil || !got {
			t.Errorf("parseYesNo(%q) = %v, %v; want true", in, got, err)
		}
	}
	for _, in := range no {
		if got, err := parseYesNo(in); err != nil || got {
			t.Errorf("parseYesNo(%q) = %v, %v; want false", in, got, err)
		}
	}
	for _, in := range []string{"mungkin", "2", "0.5", "-", "?", "Ya Tidak", "yess"} {
		_, err := parseYesNo(in)
		checkReason(t, in, err, "Ya, Y, Yes, 1, TRUE, ✓, x untuk ya; Tidak, Tdk, T, No, N, 0, FALSE untuk tidak")
	}
}

func TestParseGender(t *testing.T) {
	tests := []struct{ in, want string }{
		{"P", "P"}, {"p", "P"}, {"Perempuan", "P"}, {"PEREMPUAN", "P"}, {"W", "P"}, {"Wanita", "P"},
		{"F", "P"}, {"Female", "P"}, {"female", "P"}, {"Pr", "P"},
		{"L", "L"}, {"l", "L"}, {"Laki-laki", "L"}, {"LAKI-LAKI", "L"}, {"Laki laki", "L"},
		{"Lakilaki", "L"}, {"Laki", "L"}, {"Pria", "L"}, {"M", "L"}, {"Male", "L"}, {"male", "L"},
		{"Lk", "L"}, {" L ", "L"}, {"L.", "L"},
	}
	for _, tt := range tests {
		if got, err := parseGender(tt.in); err != nil || got != tt.want {
			t.Errorf("parseGender(%q) = %q, %v; want %q", tt.in, got, err, tt.want)
		}
	}
	for _, in := range []string{"X", "Lainnya", "1", "PL", "L/P"} {
		_, err := parseGender(in)
		checkReason(t, in, err, "P (perempuan")
	}
}

func TestParseMoney(t *testing.T) {
	tests := []struct {
		in   string
		want int64
	}{
		{"1250000", 1250000},
		{"Rp 1.250.000", 1250000},
		{"Rp1.250.000", 1250000},
		{"rp 1.250.000", 1250000},
		{"Rp. 1.250.000,-", 1250000},
		{"Rp 1.250.000,-", 1250000},
		{"1.250.000,-", 1250000},
		{"1.250.000.-", 1250000},
		{"IDR 1,250,000", 1250000},
		{"1.250.000", 1250000},
		{"1,250,000", 1250000},
		{"1.250.000,50", 1250001},
		{"1.250.000,49", 1250000},
		{"1,250,000.50", 1250001},
		{"1.250.000,00", 1250000},
		{"1250000,5", 1250001},
		{"1250000.4", 1250000},
		{"1.250", 1250},
		{"1,250", 1250},
		{"1587036.9999999998", 1587037},
		{"1.587E6", 1587000},
		{"1.25e6", 1250000},
		{"2.2E+6", 2200000},
		{"0", 0},
		{"Rp 0,-", 0},
		{"45", 45},
		{"1.250.000.000", 1250000000},
		{" Rp\u00a01.250.000 ", 1250000},
	}
	for _, tt := range tests {
		if got, err := parseMoney(tt.in); err != nil || got != tt.want {
			t.Errorf("parseMoney(%q) = %d, %v; want %d", tt.in, got, err, tt.want)
		}
	}
	refused := []struct{ in, idHas string }{
		{"1.25", "contoh: 1250000, 1.250.000 atau Rp 1.250.000"},
		{"1,5", "contoh"},
		{"12.5", "contoh"},
		{"1,5 juta", "contoh"},
		{"1.5 jt", "contoh"},
		{"satu juta", "contoh"},
		{"1.2.3", "contoh"},
		{"1.25.000", "contoh"},
		{"1250.000", "contoh"},
		{"1.250,000.5", "contoh"},
		{"1 250 000", "contoh"},
		{"Rp", "contoh"},
		{".5", "contoh"},
		{"Inf", "contoh"},
		{"-1250000", "tidak boleh negatif"},
		{"-Rp 1.250.000", "tidak boleh negatif"},
		{"Rp -1.250.000", "tidak boleh negatif"},
		{"99999999999999999999", "terlalu besar"},
		{"9.3e18", "terlalu besar"},
		{"1e400", "terlalu besar"},
	}
	for _, tt := range refused {
		got, err := parseMoney(tt.in)
		if err == nil {
			t.Errorf("parseMoney(%q) = %d, want a refusal", tt.in, got)
			continue
		}
		checkReason(t, tt.in, err, tt.idHas)
	}
}

func TestParseWholeNumber(t *testing.T) {
	tests := []struct {
		in       string
		min, max int
		want     int
	}{
		{"45", 10, 100, 45},
		{"45.0", 10, 100, 45},
		{"4.5E1", 10, 100, 45},
		{"44.99999999999999", 10, 100, 45},
		{" 45 ", 10, 100, 45},
		{"10", 10, 100, 10},
		{"100", 10, 100, 100},
		{"0", 0, math.MaxInt, 0},
		{"1.000", 0, math.MaxInt, 1000},
		{"1,200", 0, math.MaxInt, 1200},
		{"2014", 1980, 2100, 2014},
	}
	for _, tt := range tests {
		if got, err := parseWholeNumber(tt.in, tt.min, tt.max); err != nil || got != tt.want {
			t.Errorf("parseWholeNumber(%q, %d, %d) = %d, %v; want %d", tt.in, tt.min, tt.max, got, err, tt.want)
		}
	}
	refused := []struct {
		in       string
		min, max int
		idHas    string
	}{
		{"45.5", 10, 100, "harus bilangan bulat 10–100"},
		{"empat", 10, 100, "harus bilangan bulat 10–100"},
		{"9", 10, 100, "harus bilangan bulat 10–100"},
		{"101", 10, 100, "harus bilangan bulat 10–100"},
		{"45 tahun", 10, 100, "harus bilangan bulat 10–100"},
		{"1e30", 10, 100, "harus bilangan bulat 10–100"},
		{"-1", 0, math.MaxInt, "harus bilangan bulat 0 atau lebih"},
		{"x", math.MinInt, 5, "harus bilangan bulat paling banyak 5"},
		{"x", math.MinInt, math.MaxInt, "harus bilangan bulat"},
	}
	for _, tt := range refused {
		got, err := parseWholeNumber(tt.in, tt.min, tt.max)
		if err == nil {
			t.Errorf("parseWholeNumber(%q, %d, %d) = %d, want a refusal", tt.in, tt.min, tt.max, got)
			continue
		}
		checkReason(t, tt.in, err, tt.idHas)
	}
}

func TestParseWorkType(t *testing.T) {
	tests := []struct{ in, want string }{
		{"POS", "POS"}, {"pos", "POS"}, {"P.O.S.", "POS"}, {"Putting Out System", "POS"},
		{"Putting-Out System", "POS"}, {"putting-out", "POS"}, {"Putting Out", "POS"},
		{"PUTTING OUT SYSTEM", "POS"}, {"PuttingOutSystem", "POS"},
		{"SE", "SE"}, {"se", "SE"}, {"S.E.", "SE"}, {"Self Employed", "SE"}, {"Self-Employed", "SE"},
		{"self employed", "SE"}, {"Mandiri", "SE"}, {"MANDIRI", "SE"},
	}
	for _, tt := range tests {
		if got, err := parseWorkType(tt.in); err != nil || got != tt.want {
			t.Errorf("parseWorkType(%q) = %q, %v; want %q", tt.in, got, err, tt.want)
		}
	}
	for _, in := range []string{"Borongan", "P", "Pekerja Rumahan", "POS/SE"} {
		_, err := parseWorkType(in)
		checkReason(t, in, err, "harus POS (Putting-Out System) atau SE")
	}
}

func TestParseStage(t *testing.T) {
	tests := []struct {
		in   string
		want int
	}{
		{"3", 3}, {"3.0", 3}, {"1", 1}, {"6", 6}, {" 3 ", 3},
		{"Pertemuan Kelompok", 3}, {"pertemuan kelompok", 3}, {"PERTEMUAN  KELOMPOK", 3},
		{"PertemuanKelompok", 3},
		{"3. Pertemuan Kelompok", 3}, {"3 - Pertemuan Kelompok", 3}, {"3 Pertemuan Kelompok", 3},
		{"3: Pertemuan Kelompok", 3}, {"3) Pertemuan Kelompok", 3}, {"3.Pertemuan Kelompok", 3},
		{"Tahap 3", 3}, {"tahap 3", 3}, {"Tahap3", 3}, {"Tahap ke-3", 3}, {"Stage 3", 3},
		{"Tahap 3: Pertemuan Kelompok", 3}, {"Tahap Pertemuan Kelompok", 3},
	}
	for i := 1; i < len(stageNames); i++ {
		tests = append(tests, struct {
			in   string
			want int
		}{stageNames[i], i})
	}
	for _, tt := range tests {
		if got, err := parseStage(tt.in); err != nil || got != tt.want {
			t.Errorf("parseStage(%q) = %d, %v; want %d", tt.in, got, err, tt.want)
		}
	}
	list := "1 Pemetaan, 2 Pendekatan, 3 Pertemuan Kelompok, 4 Pembentukan Kelompok, 5 Pemilihan Pengurus, 6 Organisasi Berjalan"
	refused := []struct{ in, idHas string }{
		{"3. Pemetaan", `tahap 3 adalah "Pertemuan Kelompok", sedangkan "Pemetaan" adalah tahap 1`},
		{"Tahap 6 Pemetaan", "tidak cocok"},
		{"0", list},
		{"7", list},
		{"3.5", list},
		{"Rapat", list},
		{"Tahap", list},
		{"7. Pemetaan", list},
		{"3. Rapat", list},
	}
	for _, tt := range refused {
		got, err := parseStage(tt.in)
		if err == nil {
			t.Errorf("parseStage(%q) = %d, want a refusal", tt.in, got)
			continue
		}
		checkReason(t, tt.in, err, tt.idHas)
	}
}

func TestRoleFieldFacilitator(t *testing.T) {
	tests := []struct {
		in   string
		want bool
	}{
		{"Fasilitator Lapang", true}, {"fasilitator lapang", true}, {"FASILITATOR LAPANG", true},
		{"Fasilitator  Lapang", true}, {"Fasilitator Lapangan", true}, {"Faslap", true},
		{"FASLAP", true}, {"Fas. Lap.", true}, {"Field Facilitator", true}, {"field facilitator", true},
		{"Manager Program MAMPU", false}, {"Div. Data dan Informasi", false},
		{"Fasilitator", false}, {"Staff Keuangan Program MAMPU", false}, {"", false},
	}
	for _, tt := range tests {
		if got := isFieldFacilitator(tt.in); got != tt.want {
			t.Errorf("isFieldFacilitator(%q) = %v, want %v", tt.in, got, tt.want)
		}
	}
}
