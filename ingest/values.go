package ingest

import (
	"errors"
	"fmt"
	"math"
	"regexp"
	"strconv"
	"strings"
	"time"
	"unicode"

	"pantau/queries"
)

// refuse says why a cell value was refused, as an error. The message reads
// after the column name and the quoted value: `Wilayah "Kab. Malng" tidak
// dikenal; maksud Anda "Kab. Malang"?`. Callers return it directly so that
// a successful parse always returns a plain nil error.
func refuse(id, en string) error { return &queries.Message{ID: id, EN: en} }

// cleanText trims s and folds every run of whitespace (including NBSP and
// newlines, which unicode.IsSpace covers) to a single space.
func cleanText(s string) string {
	if isClean(s) {
		return s // most cells: nothing to do, nothing to allocate
	}
	return strings.Join(strings.Fields(s), " ")
}

// isClean tells ASCII text that cleanText leaves as it is: single spaces
// between words, none at either end, no other white space.
func isClean(s string) bool {
	if s == "" || s[0] == ' ' || s[len(s)-1] == ' ' {
		return s == ""
	}
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c >= 0x80, c == '\t', c == '\n', c == '\v', c == '\f', c == '\r':
			return false
		case c == ' ' && s[i+1] == ' ':
			return false
		}
	}
	return true
}

// lettersOnly lowercases s and keeps only letters and digits, so that
// "Putting-Out System", "putting out system" and "PuttingOutSystem" compare equal.
func lettersOnly(s string) string {
	var b strings.Builder
	for _, r := range strings.ToLower(s) {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			b.WriteRune(r)
		}
	}
	return b.String()
}

// reNumeric is a plain decimal number as excelize returns a numeric cell
// ("45", "41893.5", "4.1893E4"). strconv.ParseFloat alone would also take
// "Inf", "NaN", hex floats and underscores, none of which are cell values.
var reNumeric = regexp.MustCompile(`^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$`)

// parseNumeric parses s when it is a plain decimal number.
func parseNumeric(s string) (float64, bool) {
	if !allDigits(s) && !reNumeric.MatchString(s) { // most numbers are plain integers
		return 0, false
	}
	f, err := strconv.ParseFloat(s, 64)
	return f, err == nil
}

// allDigits tells a non-empty run of ASCII digits, which reNumeric matches.
func allDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return s != ""
}

// nearInteger tolerates the binary noise of Excel floats ("44.99999999999999").
func nearInteger(f float64) bool { return math.Abs(f-math.Round(f)) < 1e-9 }

// ---------------------------------------------------------------- dates

var (
	minDate = time.Date(1980, 1, 1, 0, 0, 0, 0, time.UTC)
	maxDate = time.Date(2100, 12, 31, 0, 0, 0, 0, time.UTC)
)

const (
	dateExamplesID = "contoh: 11/09/2014, 2014-09-11 atau 11 September 2014"
	dateExamplesEN = "examples: 11/09/2014, 2014-09-11 or 11 September 2014"
)

var monthNamesID = [...]string{"", "Januari", "Februari", "Maret", "April", "Mei", "Juni",
	"Juli", "Agustus", "September", "Oktober", "November", "Desember"}

// monthNumbers maps lowercased Indonesian and English month names and abbreviations
// (including the old spellings Pebruari and Nopember) to their number.
var monthNumbers = map[string]time.Month{
	"januari": 1, "january": 1, "jan": 1,
	"februari": 2, "february": 2, "pebruari": 2, "feb": 2, "peb": 2,
	"maret": 3, "march": 3, "mar": 3,
	"april": 4, "apr": 4,
	"mei": 5, "may": 5,
	"juni": 6, "june": 6, "jun": 6,
	"juli": 7, "july": 7, "jul": 7,
	"agustus": 8, "august": 8, "agu": 8, "agt": 8, "ags": 8, "aug": 8,
	"september": 9, "sep": 9, "sept": 9,
	"oktober": 10, "october": 10, "okt": 10, "oct": 10,
	"november": 11, "nopember": 11, "nov": 11, "nop": 11,
	"desember": 12, "december": 12, "des": 12, "dec": 12,
}

var weekdayNames = map[string]bool{
	"senin": true, "selasa": true, "rabu": true, "kamis": true, "jumat": true,
	"jum'at": true, "jum’at": true, "sabtu": true, "minggu": true, "ahad": true,
	"monday": true, "tuesday": true, "wednesday": true, "thursday": true,
	"friday": true, "saturday": true, "sunday": true,
	"mon": true, "tue": true, "wed": true, "thu": true, "fri": true, "sat": true, "sun": true,
}

var (
	// A time of day after a text date is ignored, as with serial fractions.
	timeOfDay = `(?:[ t]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?`
	reWeekday = regexp.MustCompile(`^([a-z'’]+),?\s+(.+)$`)
	reISO     = regexp.MustCompile(`^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})` + timeOfDay + `$`)
	reDMY     = regexp.MustCompile(`^(\d{1,2})([-/.])(\d{1,2})([-/.])(\d+)` + timeOfDay + `$`)
	reDMonY   = regexp.MustCompile(`^(\d{1,2})[\s./-]*([a-z]+)\.?[\s.,/-]*(\d+)$`)
	reMonDY   = regexp.MustCompile(`^([a-z]+)\.?\s*(\d{1,2}),?\s*(\d+)$`)
)

// parseDate reads an Excel serial date (in the 1900 or 1904 system, per
// date1904) or a text date, day first. Times of day are dropped.
func parseDate(raw string, date1904 bool) (time.Time, error) {
	s := strings.ToLower(cleanText(raw))
	if f, ok := parseNumeric(s); ok {
		return serialDate(f, date1904)
	}
	if m := reWeekday.FindStringSubmatch(s); m != nil && weekdayNames[m[1]] {
		s = m[2]
	}
	if m := reISO.FindStringSubmatch(s); m != nil {
		return makeDate(m[1], atoiDigits(m[2]), atoiDigits(m[3]))
	}
	if m := reDMY.FindStringSubmatch(s); m != nil && m[2] == m[4] {
		return makeDate(m[5], atoiDigits(m[3]), atoiDigits(m[1]))
	}
	if m := reDMonY.FindStringSubmatch(s); m != nil {
		if mon, ok := monthNumbers[m[2]]; ok {
			return makeDate(m[3], int(mon), atoiDigits(m[1]))
		}
	}
	if m := reMonDY.FindStringSubmatch(s); m != nil {
		if mon, ok := monthNumbers[m[1]]; ok {
			return makeDate(m[3], int(mon), atoiDigits(m[2]))
		}
	}
	return time.Time{}, refuse("bukan tanggal; "+dateExamplesID, "is not a date; "+dateExamplesEN)
}

// atoiDigits is only used on strings the regexps already restricted to digits.
func atoiDigits(s string) int {
	n, _ := strconv.Atoi(s)
	return n
}

// serialDate converts an Excel serial number and checks it is in range.
func serialDate(f float64, date1904 bool) (time.Time, error) {
	t, ok := excelSerialDate(f, date1904)
	if !ok {
		return time.Time{}, refuse("bukan tanggal yang ada di kalender; "+dateExamplesID,
			"is not a real calendar date; "+dateExamplesEN)
	}
	if t.Before(minDate) || t.After(maxDate) {
		shown := t.Format("02/01/2006")
		return time.Time{}, refuse(
			fmt.Sprintf("dibaca sebagai tanggal Excel %s; harus antara 01/01/1980 dan 31/12/2100, %s", shown, dateExamplesID),
			fmt.Sprintf("reads as the Excel date %s; it must be between 01/01/1980 and 31/12/2100, %s", shown, dateExamplesEN))
	}
	return t, nil
}

// excelSerialDate converts a serial to a date without any range check; the
// fraction (time of day) is dropped. In the 1900 system serial 1 is
// 1900-01-01 and serial 60 is Excel's fictitious 1900-02-29, so it is
// refused and later serials are one day ahead. In the 1904 system serial 0
// is 1904-01-01. Serials past Excel's last date, 9999-12-31, are refused.
func excelSerialDate(f float64, date1904 bool) (time.Time, bool) {
	n := math.Floor(f)
	if n < 0 || n > 2958465 {
		return time.Time{}, false
	}
	days := int(n)
	switch {
	case date1904:
		return time.Date(1904, 1, 1+days, 0, 0, 0, 0, time.UTC), true
	case days == 0 || days == 60:
		return time.Time{}, false
	case days < 60:
		return time.Date(1899, 12, 31+days, 0, 0, 0, 0, time.UTC), true
	default:
		return time.Date(1899, 12, 30+days, 0, 0, 0, 0, time.UTC), true
	}
}

// makeDate checks a year (as typed), month and day, and the allowed range.
func makeDate(year string, month, day int) (time.Time, error) {
	if len(year) != 4 {
		if len(year) == 2 {
			return time.Time{}, refuse(
				"tahun 2 angka ambigu; tulis tahun dengan 4 angka, contoh: 11/09/2014",
				"has an ambiguous two-digit year; write the year with four digits, e.g. 11/09/2014")
		}
		return time.Time{}, refuse(
			"tahun harus 4 angka; contoh: 11/09/2014",
			"has a year without four digits; write e.g. 11/09/2014")
	}
	y := atoiDigits(year)
	if month < 1 || month > 12 {
		return time.Time{}, refuse(
			fmt.Sprintf("bukan tanggal yang benar: tidak ada bulan %d; tulis hari/bulan/tahun, contoh: 11/09/2014", month),
			fmt.Sprintf("is not a real date: there is no month %d; write day/month/year, e.g. 11/09/2014", month))
	}
	t := time.Date(y, time.Month(month), day, 0, 0, 0, 0, time.UTC)
	if day < 1 || t.Day() != day { // time.Date normalised an impossible day into another month
		last := time.Date(y, time.Month(month)+1, 0, 0, 0, 0, 0, time.UTC).Day()
		return time.Time{}, refuse(
			fmt.Sprintf("tidak ada di kalender: %s %d hanya punya %d hari", monthNamesID[month], y, last),
			fmt.Sprintf("is not a real date: %s %d has only %d days", time.Month(month), y, last))
	}
	if t.Before(minDate) || t.After(maxDate) {
		return time.Time{}, refuse(
			"di luar rentang: harus antara 01/01/1980 dan 31/12/2100; periksa tahunnya",
			"is out of range: it must be between 01/01/1980 and 31/12/2100; check the year")
	}
	return t, nil
}

// ---------------------------------------------------------------- yes/no

// yesNoForms holds the accepted forms, lowercased. "x" means ticked, hence yes;
// "√" is the tick people often type in Indonesian spreadsheets.
var yesNoForms = map[string]bool{
	"ya": true, "y": true, "yes": true, "iya": true, "1": true, "true": true,
	"✓": true, "✔": true, "√": true, "v": true, "x": true,
	"tidak": false, "tdk": false, "t": false, "no": false, "n": false, "0": false, "false": false,
}

func parseYesNo(raw string) (bool, error) {
	s := strings.TrimSuffix(strings.ToLower(cleanText(raw)), ".")
	if v, ok := yesNoForms[s]; ok {
		return v, nil
	}
	if f, ok := parseNumeric(s); ok && (f == 0 || f == 1) { // raw numeric "1.0"
		return f == 1, nil
	}
	return false, refuse(
		"harus ya atau tidak: Ya, Y, Yes, 1, TRUE, ✓, x untuk ya; Tidak, Tdk, T, No, N, 0, FALSE untuk tidak",
		"must be yes or no: Ya, Y, Yes, 1, TRUE, ✓, x for yes; Tidak, Tdk, T, No, N, 0, FALSE for no")
}

// ---------------------------------------------------------------- gender

// genderForms is keyed by lettersOnly, so "Laki-laki", "Laki laki" and
// "Lakilaki" are one entry. Lk/Pr are common Indonesian abbreviations.
var genderForms = map[string]string{
	"p": "P", "perempuan": "P", "pr": "P", "w": "P", "wanita": "P", "f": "P", "female": "P",
	"l": "L", "lakilaki": "L", "laki": "L", "lk": "L", "pria": "L", "m": "L", "male": "L",
}

func parseGender(raw string) (string, error) {
	if g, ok := genderForms[lettersOnly(raw)]; ok {
		return g, nil
	}
	return "", refuse(
		"harus P (perempuan: P, Perempuan, W, Wanita, F, Female) atau L (laki-laki: L, Laki-laki, Laki, Pria, M, Male)",
		"must be P (female: P, Perempuan, W, Wanita, F, Female) or L (male: L, Laki-laki, Laki, Pria, M, Male)")
}

// ---------------------------------------------------------------- money

var (
	reMoneyPrefix = regexp.MustCompile(`^(?:rp\.?|idr)\s*`)
	reMoneySuffix = regexp.MustCompile(`[.,]?-$`) // "1.250.000,-"
	reExponent    = regexp.MustCompile(`^\d+(?:\.\d+)?e[+-]?\d+$`)
	reDigits      = regexp.MustCompile(`^\d+$`)
)

func parseMoney(raw string) (int64, error) {
	bad := refuse(
		"bukan jumlah rupiah; tulis rupiah penuh, contoh: 1250000, 1.250.000 atau Rp 1.250.000",
		"is not an amount in rupiah; write whole rupiah, e.g. 1250000, 1.250.000 or Rp 1.250.000")
	s := strings.ToLower(cleanText(raw))
	negative := strings.HasPrefix(s, "-")
	s = strings.TrimSpace(strings.TrimPrefix(s, "-"))
	s = reMoneyPrefix.ReplaceAllString(s, "")
	if strings.HasPrefix(s, "-") { // "Rp -1.000"
		negative = true
		s = strings.TrimSpace(s[1:])
	}
	s = reMoneySuffix.ReplaceAllString(s, "")
	v, ok := parseAmount(s)
	if !ok {
		return 0, bad
	}
	v = math.Round(v)
	if negative && v != 0 {
		return 0, refuse("tidak boleh negatif; tulis jumlah rupiah 0 atau lebih, contoh: 1.250.000",
			"must not be negative; write an amount of 0 or more, e.g. 1.250.000")
	}
	if v >= math.MaxInt64 { // the float constant is 2^63
		return 0, refuse("terlalu besar untuk jumlah rupiah; contoh: 1.250.000",
			"is too large for an amount in rupiah; e.g. 1.250.000")
	}
	return int64(v), nil
}

// parseAmount reads digits with thousands separators and an optional decimal
// part, either convention: "1.250.000,50" or "1,250,000.50". When both '.'
// and ',' occur, the last one is the decimal separator. A separator that
// occurs once is a thousands separator when exactly three digits follow it
// ("1.250" = 1250), else a decimal one. A decimal part is only accepted on
// amounts of at least 1000, because "1.25" or "1,5" are most likely
// shorthand for millions, not fractions of a rupiah.
func parseAmount(s string) (float64, bool) {
	if reExponent.MatchString(s) { // raw Excel float such as "1.25E6"
		return parseFloat(s)
	}
	intPart, frac, hasDecimal := s, "", false
	group := "" // the thousands separator, if any
	dot, comma := strings.LastIndex(s, "."), strings.LastIndex(s, ",")
	switch {
	case dot >= 0 && comma >= 0:
		dec := max(dot, comma)
		intPart, frac, hasDecimal = s[:dec], s[dec+1:], true
		group = s[min(dot, comma) : min(dot, comma)+1]
	case dot >= 0 || comma >= 0:
		last := max(dot, comma)
		sep := s[last : last+1]
		if strings.Count(s, sep) > 1 || len(s)-last-1 == 3 {
			group = sep
		} else {
			intPart, frac, hasDecimal = s[:last], s[last+1:], true
		}
	}
	grouped := group != "" && strings.Contains(intPart, group)
	if grouped {
		parts := strings.Split(intPart, group)
		for i, p := range parts {
			if !reDigits.MatchString(p) || (i == 0 && len(p) > 3) || (i > 0 && len(p) != 3) {
				return 0, false
			}
		}
		intPart = strings.Join(parts, "")
	}
	if !reDigits.MatchString(intPart) {
		return 0, false
	}
	if hasDecimal {
		if !reDigits.MatchString(frac) || (!grouped && len(strings.TrimLeft(intPart, "0")) < 4) {
			return 0, false
		}
		intPart += "." + frac
	}
	return parseFloat(intPart)
}

// parseFloat keeps out-of-range values as ±Inf so that they are refused as
// too large rather than as not a number.
func parseFloat(s string) (float64, bool) {
	f, err := strconv.ParseFloat(s, 64)
	return f, err == nil || errors.Is(err, strconv.ErrRange)
}

// ---------------------------------------------------------------- whole numbers

// reGrouped is an integer with thousands separators, "1.000" or "1,000",
// read as in parseMoney: a separator followed by three digits groups thousands.
var reGrouped = regexp.MustCompile(`^-?\d{1,3}(?:[.,]\d{3})+$`)

func parseWholeNumber(raw string, min, max int) (int, error) {
	s := cleanText(raw)
	var f float64
	var ok bool
	if reGrouped.MatchString(s) {
		f, ok = parseNumeric(strings.NewReplacer(".", "", ",", "").Replace(s))
	} else {
		f, ok = parseNumeric(s)
	}
	if !ok || !nearInteger(f) || f < float64(min) || f > float64(max) {
		id, en := "harus bilangan bulat", "must be a whole number"
		switch {
		case min != math.MinInt && max != math.MaxInt:
			id += fmt.Sprintf(" %d–%d", min, max)
			en += fmt.Sprintf(" %d–%d", min, max)
		case min != math.MinInt:
			id += fmt.Sprintf(" %d atau lebih", min)
			en += fmt.Sprintf(" %d or more", min)
		case max != math.MaxInt:
			id += fmt.Sprintf(" paling banyak %d", max)
			en += fmt.Sprintf(" of at most %d", max)
		}
		return 0, refuse(id, en)
	}
	return int(math.Round(f)), nil
}

// ---------------------------------------------------------------- work type

// workTypeForms is keyed by lettersOnly, which makes it punctuation- and space-insensitive.
var workTypeForms = map[string]string{
	"pos": "POS", "puttingoutsystem": "POS", "puttingout": "POS",
	"se": "SE", "selfemployed": "SE", "selfemployment": "SE", "mandiri": "SE",
}

func parseWorkType(raw string) (string, error) {
	if w, ok := workTypeForms[lettersOnly(raw)]; ok {
		return w, nil
	}
	return "", refuse(
		"harus POS (Putting-Out System) atau SE (Self-Employed, Mandiri)",
		"must be POS (Putting-Out System) or SE (Self-Employed, Mandiri)")
}

// ---------------------------------------------------------------- stages

var stageNames = [...]string{"", "Pemetaan", "Pendekatan", "Pertemuan Kelompok", "Pembentukan Kelompok", "Pemilihan Pengurus", "Organisasi Berjalan"}

var (
	reStagePrefix = regexp.MustCompile(`^(?:tahapan|tahap|stage)(?:\s*ke)?[\s-]*`)
	reStageBoth   = regexp.MustCompile(`^(\d+)\s*[.:)\-–]?\s*(.*\pL.*)$`)
)

// stageList is appended to every stage refusal so the user sees the choices.
func stageList() string {
	var parts []string
	for i := 1; i < len(stageNames); i++ {
		parts = append(parts, fmt.Sprintf("%d %s", i, stageNames[i]))
	}
	return strings.Join(parts, ", ")
}

// stageByName finds a stage by its name, ignoring case, spaces and punctuation.
func stageByName(name string) int {
	key := lettersOnly(name)
	for i := 1; i < len(stageNames); i++ {
		if lettersOnly(stageNames[i]) == key {
			return i
		}
	}
	return 0
}

// parseStage reads a stage by number ("3", "Tahap 3"), by name, or both
// ("3. Pertemuan Kelompok"); when both are given they must agree.
func parseStage(raw string) (int, error) {
	bad := refuse("harus salah satu tahap: "+stageList(), "must be one of the stages: "+stageList())
	s := strings.ToLower(cleanText(raw))
	if rest := reStagePrefix.ReplaceAllString(s, ""); rest != "" {
		s = rest
	}
	if f, ok := parseNumeric(s); ok {
		if !nearInteger(f) || f < 1 || f >= float64(len(stageNames)) {
			return 0, bad
		}
		return int(math.Round(f)), nil
	}
	if m := reStageBoth.FindStringSubmatch(s); m != nil {
		n, byName := atoiDigits(m[1]), stageByName(m[2])
		if n < 1 || n >= len(stageNames) || byName == 0 {
			return 0, bad
		}
		if n != byName {
			return 0, refuse(
				fmt.Sprintf("nomor dan nama tahap tidak cocok: tahap %d adalah %q, sedangkan %q adalah tahap %d; tulis salah satu saja atau perbaiki",
					n, stageNames[n], stageNames[byName], byName),
				fmt.Sprintf("has a stage number and name that disagree: stage %d is %q, while %q is stage %d; write only one or fix it",
					n, stageNames[n], stageNames[byName], byName))
		}
		return n, nil
	}
	if n := stageByName(s); n != 0 {
		return n, nil
	}
	return 0, bad
}

// ---------------------------------------------------------------- roles

var fieldFacilitatorRoles = map[string]bool{
	"fasilitatorlapang": true, "fasilitatorlapangan": true, "faslap": true, "fieldfacilitator": true,
}

// isFieldFacilitator reports whether a Jabatan means field facilitator,
// ignoring case, spaces and dots.
func isFieldFacilitator(role string) bool {
	return fieldFacilitatorRoles[lettersOnly(role)]
}

// ---------------------------------------------------------------- targets: periods, numbers, indicators

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
