package ingest

import (
	"fmt"
	"math"
	"regexp"
	"strconv"
	"strings"
	"time"
	"unicode"

	"pantau/queries"
)

// period is a month, a quarter, a half year or a year of a Target sheet.
type period struct {
	name       string // canonical: "2014-10", "2014-Q4", "2015-H1", "2015"
	start, end time.Time
}

const (
	periodExamplesID = "tulis bulan (2014-10, Oktober 2014, Okt 2014), triwulan (2014-Q4, Q4 2014, Triwulan IV 2014, TW 4 2014), semester (2015-H1, Semester I 2015) atau tahun (2015)"
	periodExamplesEN = "write a month (2014-10, Oktober 2014, Oct 2014), a quarter (2014-Q4, Q4 2014, Triwulan IV 2014, TW 4 2014), a half year (2015-H1, Semester 1 2015) or a year (2015)"
)

// periodMarkers name quarters and halves, in the forms WORKBOOKS.md lists
// and their usual variants (kuartal, smt, quarter, half).
var periodMarkers = map[string]string{
	"q": "Q", "tw": "Q", "triwulan": "Q", "kuartal": "Q", "quarter": "Q", "qtr": "Q",
	"h": "H", "semester": "H", "smt": "H", "sem": "H", "half": "H",
}

var romanNumerals = map[string]int{"i": 1, "ii": 2, "iii": 3, "iv": 4, "v": 5, "vi": 6, "vii": 7, "viii": 8, "ix": 9, "x": 10}

var roman = [...]string{"", "I", "II", "III", "IV"}

// rePeriodDate is a full date, which is not a period: the message says which month it is in.
var rePeriodDate = regexp.MustCompile(`^\d{1,2}[-/.]\d{1,2}[-/.]\d{4}$|^\d{4}[-/.]\d{1,2}[-/.]\d{1,2}$`)

// periodTokens splits a period into words and numbers: "2014-Q4" and
// "TW IV/2014" become [2014 q 4] and [tw iv 2014].
func periodTokens(s string) []string {
	var tokens []string
	var cur strings.Builder
	var last rune
	flush := func() {
		if cur.Len() > 0 {
			tokens = append(tokens, cur.String())
			cur.Reset()
		}
	}
	for _, r := range strings.ToLower(s) {
		switch {
		case unicode.IsLetter(r) || unicode.IsDigit(r):
			if cur.Len() > 0 && unicode.IsDigit(r) != unicode.IsDigit(last) {
				flush()
			}
			cur.WriteRune(r)
			last = r
		default:
			flush()
		}
	}
	flush()
	return tokens
}

// parsePeriod reads a period cell. A number is a year (1980-2100) or, when
// Excel turned a typed "Okt 2014" into a date, the month of a date on its
// first day.
func parsePeriod(raw string, date1904 bool) (period, error) {
	s := cleanText(raw)
	if f, ok := parseNumeric(s); ok {
		if nearInteger(f) && f >= float64(minDate.Year()) && f <= float64(maxDate.Year()) {
			return yearPeriod(int(math.Round(f))), nil
		}
		if nearInteger(f) && f >= 1000 && f <= 9999 {
			return period{}, yearOutOfRange()
		}
		if d, err := serialDate(f, date1904); err == nil {
			if d.Day() == 1 {
				return monthPeriod(d.Year(), d.Month()), nil
			}
			return period{}, dateNotPeriod(d)
		}
		return period{}, refuse("bukan periode; "+periodExamplesID, "is not a period; "+periodExamplesEN)
	}
	if rePeriodDate.MatchString(s) {
		if d, err := parseDate(s, date1904); err == nil {
			return period{}, dateNotPeriod(d)
		}
	}
	tokens := periodTokens(s)
	var years []int
	var rest []string
	for _, t := range tokens {
		if len(t) == 4 && isDigits(t) {
			years = append(years, atoiDigits(t))
		} else {
			rest = append(rest, t)
		}
	}
	if len(years) > 1 {
		return period{}, refuse("menyebut lebih dari satu tahun; "+periodExamplesID, "names more than one year; "+periodExamplesEN)
	}
	year := 0
	if len(years) == 1 {
		year = years[0]
	}
	var p period
	var err error
	switch {
	case len(rest) == 0 && year != 0:
		p = yearPeriod(year)
	case len(rest) == 1 && isDigits(rest[0]):
		p, err = numberedMonth(year, rest[0])
	case len(rest) == 1:
		p, err = namedMonth(year, rest[0])
	case len(rest) == 2 && periodMarkers[rest[0]] != "":
		p, err = partOfYear(year, periodMarkers[rest[0]], rest[1], raw)
	default:
		return period{}, refuse("bukan periode; "+periodExamplesID, "is not a period; "+periodExamplesEN)
	}
	if err != nil {
		return period{}, err
	}
	if year < minDate.Year() || year > maxDate.Year() {
		return period{}, yearOutOfRange()
	}
	return p, nil
}

func yearOutOfRange() error {
	return refuse(
		fmt.Sprintf("di luar rentang: tahun harus %d–%d", minDate.Year(), maxDate.Year()),
		fmt.Sprintf("is out of range: the year must be %d–%d", minDate.Year(), maxDate.Year()))
}

func isDigits(s string) bool { return s != "" && reDigits.MatchString(s) }

func dateNotPeriod(d time.Time) error {
	month := fmt.Sprintf("%d-%02d", d.Year(), d.Month())
	return refuse(
		fmt.Sprintf("adalah tanggal, bukan periode; untuk bulannya tulis %s atau %s %d", month, monthNamesID[d.Month()], d.Year()),
		fmt.Sprintf("is a date, not a period; for its month write %s or %s %d", month, d.Month(), d.Year()))
}

func noYear(example string) error {
	return refuse("tidak menyebut tahun (4 angka); contoh: "+example, "has no year (four digits); e.g. "+example)
}

// numberedMonth reads "10" of "2014-10" or "10/2014".
func numberedMonth(year int, num string) (period, error) {
	m := atoiDigits(num)
	if len(num) > 2 || m < 1 || m > 12 {
		return period{}, refuse(
			fmt.Sprintf("tidak ada bulan %s: bulan 1–12; contoh: 10/2014, 2014-10 atau Oktober 2014", num),
			fmt.Sprintf("has no month %s: months are 1–12; e.g. 10/2014, 2014-10 or October 2014", num))
	}
	if year == 0 {
		return period{}, noYear(fmt.Sprintf("2014-%02d", m))
	}
	return monthPeriod(year, time.Month(m)), nil
}

// namedMonth reads "Oktober", "okt" or "oct", suggesting the nearest name for a typo.
func namedMonth(year int, name string) (period, error) {
	m, ok := monthNumbers[name]
	if !ok {
		best, dist := "", 3
		for _, full := range monthNamesID[1:] {
			if d := editDistance(name, strings.ToLower(full)); d < dist {
				best, dist = full, d
			}
		}
		y := "2014"
		if year != 0 {
			y = strconv.Itoa(year)
		}
		if best != "" {
			return period{}, refuse(
				fmt.Sprintf("bukan periode; maksud Anda %q?", best+" "+y),
				fmt.Sprintf("is not a period; did you mean %q?", best+" "+y))
		}
		return period{}, refuse("bukan periode; "+periodExamplesID, "is not a period; "+periodExamplesEN)
	}
	if year == 0 {
		return period{}, noYear(monthNamesID[m] + " 2014")
	}
	return monthPeriod(year, m), nil
}

// partOfYear reads the number of a quarter ("Q", 1–4) or a half ("H", 1–2),
// in digits or Roman numerals.
func partOfYear(year int, marker, num, raw string) (period, error) {
	n, ok := romanNumerals[num]
	if isDigits(num) {
		n, ok = atoiDigits(num), len(num) <= 2
	}
	parts, nameID, nameEN, example := 4, "triwulan", "quarter", "2014-Q4, Q4 2014 atau Triwulan IV 2014"
	exampleEN := "2014-Q4, Q4 2014 or Triwulan IV 2014"
	if marker == "H" {
		parts, nameID, nameEN, example, exampleEN = 2, "semester", "half year", "2015-H1 atau Semester I 2015", "2015-H1 or Semester 1 2015"
	}
	if !ok || n < 1 || n > parts {
		missing := ""
		missingEN := ""
		if year == 0 {
			missing, missingEN = ", dan tahunnya tidak ada", ", and it has no year"
		}
		return period{}, refuse(
			fmt.Sprintf("tidak ada %s %s: %s 1–%d (I–%s)%s; contoh: %s", nameID, strings.ToUpper(num), nameID, parts, roman[parts], missing, example),
			fmt.Sprintf("has no %s %s: %ss are 1–%d (I–%s)%s; e.g. %s", nameEN, strings.ToUpper(num), nameEN, parts, roman[parts], missingEN, exampleEN))
	}
	if year == 0 {
		return period{}, noYear(fmt.Sprintf("2014-%s%d", marker, n))
	}
	months := 12 / parts
	start := time.Date(year, time.Month((n-1)*months+1), 1, 0, 0, 0, 0, time.UTC)
	return period{name: fmt.Sprintf("%d-%s%d", year, marker, n), start: start, end: start.AddDate(0, months, -1)}, nil
}

func monthPeriod(year int, m time.Month) period {
	start := time.Date(year, m, 1, 0, 0, 0, 0, time.UTC)
	return period{name: fmt.Sprintf("%d-%02d", year, m), start: start, end: start.AddDate(0, 1, -1)}
}

func yearPeriod(year int) period {
	start := time.Date(year, 1, 1, 0, 0, 0, 0, time.UTC)
	return period{name: strconv.Itoa(year), start: start, end: start.AddDate(1, 0, -1)}
}

// parseTargetNumber reads a target: a number >= 0 written with a decimal
// comma or point ("0,8", "12.5"), thousands grouped ("1.250"), or a
// percentage ("80%"). Whether it is a share is for the row to say.
func parseTargetNumber(raw string) (f float64, percent bool, err error) {
	s := strings.ReplaceAll(cleanText(raw), " ", "")
	if strings.HasSuffix(s, "%") {
		s, percent = strings.TrimSuffix(s, "%"), true
	}
	bad := refuse("bukan angka; contoh: 120, 1.250, 0,8 atau 80%", "is not a number; e.g. 120, 1.250, 0.8 or 80%")
	if strings.HasPrefix(s, "-") {
		if _, ok := parseNumeric(strings.Replace(s, ",", ".", 1)); ok {
			return 0, false, refuse("tidak boleh negatif; target 0 atau lebih", "must not be negative; a target is 0 or more")
		}
		return 0, false, bad
	}
	dot, comma := strings.Contains(s, "."), strings.Contains(s, ",")
	switch {
	case reGrouped.MatchString(s) && !strings.HasPrefix(s, "0"):
		s = strings.NewReplacer(".", "", ",", "").Replace(s) // "1.250": thousands
	case dot && comma:
		if strings.LastIndex(s, ",") > strings.LastIndex(s, ".") { // "1.250,5"
			s = strings.ReplaceAll(s, ".", "")
			s = strings.Replace(s, ",", ".", 1)
		} else { // "1,250.5"
			s = strings.ReplaceAll(s, ",", "")
		}
	case comma:
		s = strings.Replace(s, ",", ".", 1) // "0,8"
	}
	f, ok := parseNumeric(s)
	if !ok || math.IsInf(f, 0) {
		return 0, false, bad
	}
	return f, percent, nil
}

// parseIndicator finds an indicator by its code or its Indonesian or English
// name, ignoring case, spaces and punctuation, and suggests the nearest
// codes for an unknown one.
func parseIndicator(raw string) (string, error) {
	key := lettersOnly(raw)
	for _, in := range queries.Indicators {
		if key == lettersOnly(in.Code) || key == lettersOnly(in.Name.ID) || key == lettersOnly(in.Name.EN) {
			return in.Code, nil
		}
	}
	type cand struct {
		code string
		dist int
	}
	var near []cand
	limit := min(max(len([]rune(key))/3, 1), 4)
	for _, in := range queries.Indicators {
		d := min(editDistance(key, lettersOnly(in.Code)), editDistance(key, lettersOnly(in.Name.ID)), editDistance(key, lettersOnly(in.Name.EN)))
		if d <= limit {
			near = append(near, cand{in.Code, d})
		}
	}
	for i := 1; i < len(near); i++ { // insertion sort, stable: nearest first, then catalogue order
		for j := i; j > 0 && near[j].dist < near[j-1].dist; j-- {
			near[j], near[j-1] = near[j-1], near[j]
		}
	}
	if len(near) > 0 {
		var codes []string
		for i := 0; i < len(near) && i < 3; i++ {
			codes = append(codes, near[i].code)
		}
		return "", refuse("tidak dikenal; maksud Anda "+quoteList(codes, "atau")+"?", "unknown; did you mean "+quoteList(codes, "or")+"?")
	}
	return "", refuse("tidak dikenal; pilih kode dari daftar indikator (lihat sheet Petunjuk), mis. responden, kelompok_terbentuk, masalah_h",
		"unknown; choose a code from the list of indicators (see the Petunjuk sheet), e.g. responden, kelompok_terbentuk, masalah_h")
}
