package ingest

import (
	"errors"
	"fmt"
	"strings"

	"pantau/queries"
)

// Severities of a problem: an error blocks the whole file, a warning does not.
const (
	SeverityError   = "error"
	SeverityWarning = "warning"
)

// maxProblems is how many problems a report lists; the count covers all.
const maxProblems = 1000

// Problem is one thing wrong with an uploaded file, as precisely as it can be located.
type Problem struct {
	Severity string `json:"severity"`
	Sheet    string `json:"sheet"`
	Cell     string `json:"cell"` // e.g. "C6"; "" for a problem of the whole file or sheet
	Row      int    `json:"row"`
	Column   string `json:"column"`
	Value    string `json:"value"`
	Message  string `json:"message"` // in the report's language; see Report.Localize
	// Suggestions are the official names a kecamatan or desa that the
	// catalogue lacks may have meant, nearest first.
	Suggestions []string `json:"suggestions,omitempty"`

	text queries.Message
}

// Where is "Responden!C6", "Responden" or "" for the whole file.
func (p Problem) Where() string {
	if p.Cell == "" {
		return p.Sheet
	}
	return p.Sheet + "!" + p.Cell
}

// fileCheck is the state of validating one file: what its sheets have taught
// (regions added, participant names) and the problems found so far.
type fileCheck struct {
	regions  *Regions
	names    map[string]bool // lowercased participant names
	date1904 bool
	batch    *queries.Batch // rows are staged here until the first error
	progress func(Progress)
	scope    queries.Scope // the uploader's regions; nil: every region

	problems       []Problem
	errors, counts int
	internal       error // a failure of pantau itself, not of the file

	// once collects, per sheet, warnings said once per value however many
	// rows hold it (a facilitator matching no participant, a kecamatan the
	// catalogue lacks), with the number of rows.
	once      map[string]*onceWarning
	onceOrder []string

	places map[placeKey]place // kecamatan and desa cells resolved, by region or kecamatan and cell
}

type onceWarning struct {
	first Problem
	rows  int
}

func (f *fileCheck) add(p Problem) {
	if p.Severity == SeverityError {
		f.errors++
	}
	f.counts++
	if len(f.problems) < maxProblems {
		f.problems = append(f.problems, p)
	}
}

// fileError is a problem of a whole sheet (or, with sheet "", of the file).
func (f *fileCheck) fileError(sheet string, r queries.Message) {
	f.add(Problem{Severity: SeverityError, Sheet: sheet, text: r})
}

// parse reads one non-blank cell as its column's kind says.
func (f *fileCheck) parse(kind ValueKind, min, max int, text string) (value, error) {
	switch kind {
	case Text:
		return value{text: text}, nil
	case Date:
		d, err := parseDate(text, f.date1904)
		return value{date: d}, err
	case YesNo:
		y, err := parseYesNo(text)
		return value{yes: y}, err
	case Gender:
		g, err := parseGender(text)
		return value{text: g}, err
	case Region:
		reg, err := f.regions.resolve(text)
		if err != nil {
			return value{}, err
		}
		return value{text: reg.name, code: reg.code, note: f.regions.elsewhere(reg)}, nil
	case NewRegion:
		reg, err := f.regions.resolve(text)
		if err == nil {
			return value{text: reg.name, code: reg.code, note: f.regions.elsewhere(reg)}, nil
		}
		if r, ok := canonicalRegion(text); ok {
			return value{text: r}, nil
		}
		var why *queries.Message
		if errors.As(err, &why) && strings.HasPrefix(why.EN, "is ambiguous") {
			return value{}, err // a bare "Malang": say it is ambiguous
		}
		return value{}, &queries.Message{ID: `bukan nama wilayah; tulis "Kab. X" atau "Kota X"`, EN: `is not a region name; write "Kab. X" or "Kota X"`}
	case Money:
		n, err := parseMoney(text)
		return value{num: n}, err
	case WholeNumber:
		n, err := parseWholeNumber(text, min, max)
		return value{num: int64(n)}, err
	case WorkType:
		w, err := parseWorkType(text)
		return value{text: w}, err
	case Stage:
		n, err := parseStage(text)
		return value{num: int64(n)}, err
	case Indicator:
		code, err := parseIndicator(text)
		return value{text: code}, err
	case Period:
		p, err := parsePeriod(text, f.date1904)
		return value{text: p.name, date: p.start, end: p.end}, err
	case TargetNumber:
		n, percent, err := parseTargetNumber(text)
		return value{text: text, real: n, percent: percent}, err
	}
	panic(fmt.Sprintf("ingest: unknown value kind %d", kind))
}

// flushWarnings adds the warnings said once per value, with their row counts.
func (f *fileCheck) flushWarnings() {
	for _, key := range f.onceOrder {
		u := f.once[key]
		if u.rows > 1 {
			u.first.text.ID += fmt.Sprintf(" (di %d baris)", u.rows)
			u.first.text.EN += fmt.Sprintf(" (in %d rows)", u.rows)
		}
		f.add(u.first)
	}
	f.once, f.onceOrder = nil, nil
}

// rowCheck reports the problems of one row of one sheet.
type rowCheck struct {
	*fileCheck
	sheet   string
	row     int
	headers []string // of the spec's columns
	cells   []string // the header cell of each spec column, "" when absent

	// refusedAt is, per column, the last row whose cell in it was refused:
	// that row's column is then not also reported as missing.
	refusedAt map[string]int
	// keyHeader and keyValue, set by a sheet's finish, say which column and
	// value a duplicate-key error quotes.
	keyHeader, keyValue string
}

// refused records that the cell of header in this row was refused.
func (c *rowCheck) refused(header string) {
	if c.refusedAt == nil {
		c.refusedAt = map[string]int{}
	}
	c.refusedAt[header] = c.row
}

// failed reports whether the cell of header in this row was refused, and so
// its field holds no value although the cell was not blank.
func (c *rowCheck) failed(header string) bool {
	row, ok := c.refusedAt[header]
	return ok && row == c.row
}

// key records the column that identifies this row, and returns its key.
func (c *rowCheck) key(header, value, key string) string {
	c.keyHeader, c.keyValue = header, value
	return key
}

// noKey is a key no other row has, for a row whose key cells are blank or
// refused: those are already reported, and the row is not stored.
func (c *rowCheck) noKey() string {
	c.keyHeader, c.keyValue = "", ""
	return fmt.Sprintf("\x00row %d", c.row)
}

// cellOf is the cell of the named column in this row ("A<row>" when the sheet lacks it).
func (c *rowCheck) cellOf(header string) string { return c.cellIn(header, c.row) }

func (c *rowCheck) cellIn(header string, row int) string {
	for j, h := range c.headers {
		if h == header && c.cells[j] != "" {
			return strings.TrimRight(c.cells[j], "0123456789") + fmt.Sprint(row)
		}
	}
	return cellName(0, row)
}

// invalid reports a value its column refuses: `Wilayah "Kab. Malng" tidak dikenal; ...`.
func (c *rowCheck) invalid(col0 int, header, text string, err error) {
	c.refused(header)
	var r *queries.Message
	if !errors.As(err, &r) {
		r = &queries.Message{ID: err.Error(), EN: err.Error()}
	}
	c.add(Problem{Severity: SeverityError, Sheet: c.sheet, Cell: cellName(col0, c.row), Row: c.row, Column: header, Value: clip(text),
		text: queries.Message{ID: fmt.Sprintf("%s %q %s", header, clip(text), r.ID), EN: fmt.Sprintf("%s %q %s", header, clip(text), r.EN)}})
}

// requireFor reports that a column lacks a value this row needs.
func (c *rowCheck) requireFor(header string, r queries.Message) {
	if c.failed(header) {
		return // the value given is already reported as refused
	}
	c.add(Problem{Severity: SeverityError, Sheet: c.sheet, Cell: c.cellOf(header), Row: c.row, Column: header,
		text: queries.Message{ID: header + " " + r.ID, EN: header + " " + r.EN}})
}

// refuseValue reports, from a sheet's finish, a value its row refuses
// (a check that needs another column of the row).
func (c *rowCheck) refuseValue(header, value string, r queries.Message) {
	c.refused(header)
	c.add(Problem{Severity: SeverityError, Sheet: c.sheet, Cell: c.cellOf(header), Row: c.row, Column: header, Value: clip(value),
		text: queries.Message{ID: fmt.Sprintf("%s %q %s", header, clip(value), r.ID), EN: fmt.Sprintf("%s %q %s", header, clip(value), r.EN)}})
}

// warn reports something worth a look that does not block the upload.
func (c *rowCheck) warn(header, value string, r queries.Message) {
	c.add(Problem{Severity: SeverityWarning, Sheet: c.sheet, Cell: c.cellOf(header), Row: c.row, Column: header, Value: clip(value), text: r})
}

func (c *rowCheck) cellTooLong(col0 int, header, raw string) {
	c.refused(header)
	c.add(Problem{Severity: SeverityError, Sheet: c.sheet, Cell: cellName(col0, c.row), Row: c.row, Column: header, Value: clip(raw),
		text: queries.Message{ID: fmt.Sprintf("sel berisi %d karakter; paling banyak %d", len([]rune(raw)), maxCellLength),
			EN: fmt.Sprintf("cell holds %d characters; at most %d are allowed", len([]rune(raw)), maxCellLength)}})
}

// duplicate reports a key already held by an earlier row of the same sheet.
// Its key column is the one the sheet's finish named with key.
func (c *rowCheck) duplicate(first int) {
	header, earlier := c.keyHeader, c.cellIn(c.keyHeader, first)
	c.add(Problem{Severity: SeverityError, Sheet: c.sheet, Cell: c.cellOf(header), Row: c.row, Column: header, Value: clip(c.keyValue),
		text: queries.Message{ID: fmt.Sprintf("kunci baris ini sama dengan baris %d (%s!%s); setiap baris harus unik", first, c.sheet, earlier),
			EN: fmt.Sprintf("this row's key duplicates row %d (%s!%s); every row must be unique", first, c.sheet, earlier)}})
}

// knownFacilitator warns, once per name, about a facilitator who is no participant.
func (c *rowCheck) knownFacilitator(header, name string) {
	if name == "" || c.names[strings.ToLower(name)] {
		return
	}
	c.warnOnce("f\x00"+strings.ToLower(name), header, name, queries.Message{
		ID: fmt.Sprintf("%s %q tidak ada di daftar peserta", header, clip(name)),
		EN: fmt.Sprintf("%s %q matches no participant", header, clip(name))}, nil)
}

// warnOnce reports a warning once per key in a sheet, at its first row,
// counting the rows that repeat it.
func (c *rowCheck) warnOnce(key, header, value string, r queries.Message, suggestions []string) {
	if u, ok := c.once[key]; ok {
		u.rows++
		return
	}
	if c.once == nil {
		c.once = map[string]*onceWarning{}
	}
	c.once[key] = &onceWarning{rows: 1, first: Problem{Severity: SeverityWarning, Sheet: c.sheet, Cell: c.cellOf(header), Row: c.row,
		Column: header, Value: clip(value), Suggestions: suggestions, text: r}}
	c.onceOrder = append(c.onceOrder, key)
}

// inScope refuses, at its Wilayah cell, a row outside the uploader's
// regions: one naming another region, or none (a program-wide row).
func (c *rowCheck) inScope(rec any) {
	if c.scope == nil || c.failed("Wilayah") {
		return
	}
	var region string
	switch r := rec.(type) {
	case queries.Participant:
		region = r.Region
	case queries.Respondent:
		region = r.Region
	case queries.GroupStage:
		region = r.Region
	case queries.RegionWage:
		region = r.Region
	case targetRow:
		region = r.Region
	}
	if c.scope.Allows(region) {
		return
	}
	allowed := strings.Join(c.scope, ", ")
	if region == "" {
		c.requireFor("Wilayah", queries.Msgf("kosong berarti seluruh program, di luar wilayah Anda: %s", "blank means the whole program, outside your regions: %s", allowed))
		return
	}
	c.refuseValue("Wilayah", region, queries.Msgf("di luar wilayah Anda: %s", "is outside your regions: %s", allowed))
}
