package ingest

import (
	"strings"
	"testing"
)

func TestParsePeriod(t *testing.T) {
	tests := []struct{ in, name, start, end string }{
		// months
		{"2014-10", "2014-10", "2014-10-01", "2014-10-31"},
		{"2014/10", "2014-10", "2014-10-01", "2014-10-31"},
		{"10/2014", "2014-10", "2014-10-01", "2014-10-31"},
		{"Oktober 2014", "2014-10", "2014-10-01", "2014-10-31"},
		{"oktober 2014", "2014-10", "2014-10-01", "2014-10-31"},
		{"Okt 2014", "2014-10", "2014-10-01", "2014-10-31"},
		{"Okt. 2014", "2014-10", "2014-10-01", "2014-10-31"},
		{"Oct 2014", "2014-10", "2014-10-01", "2014-10-31"},
		{"October 2014", "2014-10", "2014-10-01", "2014-10-31"},
		{"Februari 2016", "2016-02", "2016-02-01", "2016-02-29"},
		{"Feb 2015", "2015-02", "2015-02-01", "2015-02-28"},
		{"Agt 2014", "2014-08", "2014-08-01", "2014-08-31"},
		{"Desember 2014", "2014-12", "2014-12-01", "2014-12-31"},
		{"Dec 2014", "2014-12", "2014-12-01", "2014-12-31"},
		{"41913", "2014-10", "2014-10-01", "2014-10-31"}, // Excel made "Okt 2014" a date: 1 Oct 2014
		// quarters
		{"2014-Q4", "2014-Q4", "2014-10-01", "2014-12-31"},
		{"2014 Q4", "2014-Q4", "2014-10-01", "2014-12-31"},
		{"2014Q4", "2014-Q4", "2014-10-01", "2014-12-31"},
		{"Q4 2014", "2014-Q4", "2014-10-01", "2014-12-31"},
		{"q1 2015", "2015-Q1", "2015-01-01", "2015-03-31"},
		{"Triwulan IV 2014", "2014-Q4", "2014-10-01", "2014-12-31"},
		{"Triwulan 2 2015", "2015-Q2", "2015-04-01", "2015-06-30"},
		{"TW 4 2014", "2014-Q4", "2014-10-01", "2014-12-31"},
		{"TW IV 2014", "2014-Q4", "2014-10-01", "2014-12-31"},
		{"TW3 2015", "2015-Q3", "2015-07-01", "2015-09-30"},
		{"Quarter 3 2015", "2015-Q3", "2015-07-01", "2015-09-30"},
		{"Kuartal I 2015", "2015-Q1", "2015-01-01", "2015-03-31"},
		// half years
		{"2015-H1", "2015-H1", "2015-01-01", "2015-06-30"},
		{"2015-H2", "2015-H2", "2015-07-01", "2015-12-31"},
		{"H2 2015", "2015-H2", "2015-07-01", "2015-12-31"},
		{"Semester 1 2015", "2015-H1", "2015-01-01", "2015-06-30"},
		{"Semester I 2015", "2015-H1", "2015-01-01", "2015-06-30"},
		{"Semester II 2015", "2015-H2", "2015-07-01", "2015-12-31"},
		{"semester  ii  2015", "2015-H2", "2015-07-01", "2015-12-31"},
		// years
		{"2015", "2015", "2015-01-01", "2015-12-31"},
		{"2016", "2016", "2016-01-01", "2016-12-31"},
		{" 2015 ", "2015", "2015-01-01", "2015-12-31"},
	}
	for _, tt := range tests {
		p, err := parsePeriod(tt.in, false)
		if err != nil {
			t.Errorf("%q: %v", tt.in, err)
			continue
		}
		got := p.name + " " + p.start.Format("2006-01-02") + " " + p.end.Format("2006-01-02")
		if want := tt.name + " " + tt.start + " " + tt.end; got != want {
			t.Errorf("%q = %s, want %s", tt.in, got, want)
		}
	}
}

func TestParsePeriodErrors(t *testing.T) {
	tests := []struct{ in, idHas, enHas string }{
		{"2014-Q5", "tidak ada triwulan 5: triwulan 1–4 (I–IV); contoh: 2014-Q4", "has no quarter 5"},
		{"Triwulan V", "tidak ada triwulan V: triwulan 1–4 (I–IV), dan tahunnya tidak ada", "and it has no year"},
		{"Q0 2014", "tidak ada triwulan 0", "has no quarter 0"},
		{"13/2014", "tidak ada bulan 13: bulan 1–12; contoh: 10/2014", "has no month 13"},
		{"2014-00", "tidak ada bulan 00", "has no month 00"},
		{"Semester 3 2015", "tidak ada semester 3: semester 1–2 (I–II)", "has no half year 3"},
		{"H3 2015", "tidak ada semester 3", "has no half year 3"},
		{"Oktber 2014", `maksud Anda "Oktober 2014"?`, `did you mean "Oktober 2014"?`},
		{"Triwulan IV", "tidak menyebut tahun (4 angka); contoh: 2014-Q4", "has no year"},
		{"Oktober", "tidak menyebut tahun (4 angka); contoh: Oktober 2014", "has no year"},
		{"11/09/2014", "adalah tanggal, bukan periode; untuk bulannya tulis 2014-09 atau September 2014", "is a date, not a period"},
		{"2014-09-11", "adalah tanggal, bukan periode", "is a date, not a period"},
		{"41893", "adalah tanggal, bukan periode; untuk bulannya tulis 2014-09", "is a date, not a period"}, // 11 Sep 2014
		{"1970", "di luar rentang: tahun harus 1980–2100", "out of range"},
		{"2014 2015", "lebih dari satu tahun", "more than one year"},
		{"triwulan empat 2014", "tidak ada triwulan EMPAT: triwulan 1–4 (I–IV)", "has no quarter EMPAT"},
		{"minggu 3 2014", "bukan periode; tulis bulan (2014-10", "is not a period; write a month"},
		{"kapan saja", "bukan periode", "is not a period"},
		{"2014.5", "bukan periode", "is not a period"},
	}
	for _, tt := range tests {
		_, err := parsePeriod(tt.in, false)
		checkReason(t, tt.in, err, tt.idHas)
		if err != nil && !strings.Contains(err.Error(), tt.enHas) {
			t.Errorf("%q: English %q does not contain %q", tt.in, err.Error(), tt.enHas)
		}
	}
}

func TestParseTargetNumber(t *testing.T) {
	tests := []struct {
		in      string
		want    float64
		percent bool
	}{
		{"80%", 80, true}, {"80 %", 80, true}, {"12,5%", 12.5, true},
		{"80", 80, false}, {"0,8", 0.8, false}, {"0.8", 0.8, false}, {"0,800", 0.8, false},
		{"1.250", 1250, false}, {"1,250", 1250, false}, {"1.250.000", 1250000, false},
		{"12.5", 12.5, false}, {"1.250,5", 1250.5, false}, {"1,250.5", 1250.5, false},
		{"0", 0, false}, {"120", 120, false}, {"2.5E2", 250, false},
	}
	for _, tt := range tests {
		got, percent, err := parseTargetNumber(tt.in)
		if err != nil || got != tt.want || percent != tt.percent {
			t.Errorf("%q = %v, %v, %v; want %v, %v", tt.in, got, percent, err, tt.want, tt.percent)
		}
	}
	for _, tt := range []struct{ in, idHas string }{
		{"-5", "tidak boleh negatif"}, {"banyak", "bukan angka"}, {"80%%", "bukan angka"}, {"Inf", "bukan angka"},
	} {
		_, _, err := parseTargetNumber(tt.in)
		checkReason(t, tt.in, err, tt.idHas)
	}
}

func TestParseIndicator(t *testing.T) {
	for in, want := range map[string]string{
		"responden": "responden", "RESPONDEN": "responden", "Responden disurvei": "responden",
		"Respondents surveyed": "responden", "women respondents": "responden_perempuan",
		"kelompok_terbentuk": "kelompok_terbentuk", "Kelompok Terbentuk": "kelompok_terbentuk", "Groups formed": "kelompok_terbentuk",
		"kelompok tahap 3": "kelompok_tahap_3", "Groups at stage 6": "kelompok_tahap_6", "Anggota": "anggota",
		"masalah_h": "masalah_h", "Masalah H": "masalah_h",
	} {
		if got, err := parseIndicator(in); err != nil || got != want {
			t.Errorf("%q = %q, %v; want %q", in, got, err, want)
		}
	}
	_, err := parseIndicator("respondn")
	checkReason(t, "respondn", err, `tidak dikenal; maksud Anda "responden"`)
	_, err = parseIndicator("kelompok_tahap_7")
	checkReason(t, "kelompok_tahap_7", err, `maksud Anda "kelompok_tahap_1"`)
	_, err = parseIndicator("zzz")
	checkReason(t, "zzz", err, "pilih kode dari daftar indikator")
}
