package ingest

import (
	"fmt"
	"slices"
	"strings"

	"pantau/ingest/areas"
	"pantau/queries"
)

// The README's workbook formats and the template's instructions are both
// generated from the sheet specs; this file holds what they share: the
// workbooks, their sheets in the order a person fills them in, and what each
// kind of column accepts.

// workbookDoc introduces one workbook; the specs only say which sheets it holds.
type workbookDoc struct {
	title   string // the heading, e.g. "Peserta"
	en      string // what it is, in English
	purpose queries.Message
}

var workbookDocs = map[string]workbookDoc{
	"peserta": {title: "Peserta", en: "participants workbook", purpose: queries.Message{
		ID: "Daftar peserta kegiatan program MAMPU: staf program dan fasilitator lapang, dengan kegiatan (pelatihan) yang diikuti.",
		EN: "The participants of the MAMPU program's activities: program staff and field facilitators, with the training they attended."}},
	"survei": {title: "Survei", en: "field-survey workbook", purpose: queries.Message{
		ID: "Hasil survei lapang pekerja rumahan, kemajuan pengorganisasian kelompok, dan (opsional) wilayah tambahan beserta UMK-nya.",
		EN: "The field survey of home workers, the progress of organizing their groups, and (optionally) added regions with their minimum wages."}},
	"target": {title: "Target", en: "targets workbook", purpose: queries.Message{
		ID: "Rencana program: target per indikator, wilayah dan periode, yang dibandingkan pantau dengan capaiannya. Sheet Target juga boleh ada di buku kerja survei.",
		EN: "The program's plan: a target per indicator, region and period, which pantau compares with what was achieved. A Target sheet may also sit in a survey workbook."}},
}

// templateOrder puts each workbook's main data sheet first and reference data
// last; Sheets() is in validation order instead, where Wilayah comes first.
var templateOrder = []queries.Kind{queries.Participants, queries.Respondents, queries.GroupStages, queries.Regions, queries.Targets}

// workbookSheets returns the sheets of workbook in template order.
func workbookSheets(workbook string) []SheetInfo {
	var sheets []SheetInfo
	for _, s := range Sheets() {
		if s.Workbook == workbook {
			sheets = append(sheets, s)
		}
	}
	rank := func(k queries.Kind) int {
		if i := slices.Index(templateOrder, k); i >= 0 {
			return i
		}
		return len(templateOrder) // a kind added later goes last rather than missing
	}
	slices.SortStableFunc(sheets, func(a, b SheetInfo) int { return rank(a.Kind) - rank(b.Kind) })
	return sheets
}

// workbookNames lists the workbooks in the order of their first sheet.
func workbookNames() []string {
	var names []string
	for _, k := range templateOrder {
		for _, s := range Sheets() {
			if s.Kind == k && !slices.Contains(names, s.Workbook) {
				names = append(names, s.Workbook)
			}
		}
	}
	return names
}

// vocabulary is what a closed-vocabulary column's drop-down offers, in the
// canonical form ingest stores; nil for open kinds.
func vocabulary(k ValueKind) []string {
	switch k {
	case Region, NewRegion:
		return NewRegions().Names()
	case Gender:
		return []string{"P", "L"}
	case YesNo:
		return []string{"Ya", "Tidak"}
	case WorkType:
		return []string{"POS", "SE"}
	case Indicator:
		var codes []string
		for _, in := range queries.Indicators {
			codes = append(codes, in.Code)
		}
		return codes
	case Stage:
		var stages []string
		for i := 1; i < len(stageNames); i++ {
			stages = append(stages, stageLabel(i))
		}
		return stages
	}
	return nil
}

// stageLabel is a stage with its number, as parseStage reads it: "3. Pertemuan Kelompok".
func stageLabel(n int) string { return fmt.Sprintf("%d. %s", n, stageNames[n]) }

// conditional reports whether a column that is not always required is
// required in some rows. The spec checks such conditions in finish and
// declares them only in the help text ("wajib untuk fasilitator lapang").
func conditional(c ColumnInfo) bool {
	return !c.Required && strings.Contains(strings.ToLower(c.Help), "wajib")
}

// accepts describes what a column's cells may hold: Indonesian for the
// template, English for the README. The forms listed are those values.go reads.
func accepts(c ColumnInfo) queries.Message {
	switch c.Kind {
	case Text:
		return queries.Message{ID: "teks", EN: "text"}
	case Date:
		return queries.Message{
			ID: fmt.Sprintf("tanggal, hari dulu: 11/09/2014, 11-09-2014, 2014-09-11, 11 September 2014, 11 Agt 2014, atau sel tanggal Excel; tahun %d–%d", minDate.Year(), maxDate.Year()),
			EN: fmt.Sprintf("date, day first: 11/09/2014, 11-09-2014, 2014-09-11, 11 September 2014, 11 Agt 2014, 11 Aug 2014, or an Excel date; years %d–%d", minDate.Year(), maxDate.Year())}
	case YesNo:
		return queries.Message{
			ID: "ya/tidak: Ya, Y, Yes, 1, TRUE, ✓, x atau Tidak, Tdk, T, No, N, 0, FALSE; kosong = tidak dijawab",
			EN: "yes/no: Ya, Y, Yes, 1, TRUE, ✓, x or Tidak, Tdk, T, No, N, 0, FALSE; blank = not answered"}
	case Gender:
		return queries.Message{
			ID: "jenis kelamin: P (Perempuan, W, Wanita, F, Female) atau L (Laki-laki, Laki, Pria, M, Male); kosong = tidak diketahui",
			EN: "gender: P (Perempuan, W, Wanita, F, Female) or L (Laki-laki, Laki, Pria, M, Male); blank = not known"}
	case Region:
		return queries.Message{
			ID: fmt.Sprintf(`wilayah: "Kab. X" atau "Kota X" (juga "Kabupaten X", "KAB X", "Kotamadya X"), salah satu kabupaten/kota di katalog wilayah resmi Kemendagri (wilayah di luar provinsi program diberi peringatan) atau yang ditambahkan lewat sheet %s; nama tanpa awalan ("Jember") bila hanya satu wilayah bernama itu di provinsi program`, regionSheet.name),
			EN: fmt.Sprintf(`region: "Kab. X" or "Kota X" ("Kabupaten X", "KAB X", "Kotamadya X" are read too), any kabupaten/kota of the official Kemendagri catalogue (one outside the program's provinces with a warning) or one added through a %s sheet; a bare name ("Jember") when it is the one region of that name in the program's provinces (else in Indonesia)`, regionSheet.name)}
	case NewRegion:
		return queries.Message{
			ID: `wilayah: yang sudah dikenal, atau "Kab. X"/"Kota X" baru, yang lalu ditambahkan`,
			EN: `region: a known one, or a new "Kab. X" or "Kota X", which is then added`}
	case Money:
		return queries.Message{
			ID: "rupiah penuh: 1250000, 1.250.000, 1,250,000 atau Rp 1.250.000",
			EN: "money, whole rupiah: 1250000, 1.250.000, 1,250,000 or Rp 1.250.000"}
	case WholeNumber:
		return queries.Message{
			ID: fmt.Sprintf("bilangan bulat %d–%d", c.Min, c.Max),
			EN: fmt.Sprintf("whole number %d–%d", c.Min, c.Max)}
	case WorkType:
		return queries.Message{
			ID: "jenis pekerjaan: POS (Putting-Out System, Putting-Out) atau SE (Self-Employed, Mandiri)",
			EN: "work type: POS (Putting-Out System, Putting-Out) or SE (Self-Employed, Mandiri)"}
	case Stage:
		list := strings.Join(vocabulary(Stage), ", ")
		example := fmt.Sprintf("%q, %q, %q", "3", stageNames[3], stageLabel(3))
		return queries.Message{
			ID: "tahap, dengan nomor, nama atau keduanya (" + example + "): " + list,
			EN: "stage, by number, name or both (" + example + "): " + list}
	case Indicator:
		return queries.Message{
			ID: "indikator, dengan kode atau nama Indonesia/Inggrisnya (huruf besar/kecil sama): " + strings.Join(vocabulary(Indicator), ", "),
			EN: "indicator, by code or by its Indonesian or English name, case-insensitive: " + strings.Join(vocabulary(Indicator), ", ")}
	case Period:
		return queries.Message{ID: "periode: " + strings.TrimPrefix(periodExamplesID, "tulis "), EN: "period: " + strings.TrimPrefix(periodExamplesEN, "write ")}
	case TargetNumber:
		return queries.Message{
			ID: "angka 0 atau lebih (1.250 = seribu dua ratus lima puluh; 12,5 atau 12.5); untuk indikator persentase: 80%, 80 atau 0,8 (angka <= 1 adalah pecahan)",
			EN: "a number >= 0 (1.250 = one thousand two hundred and fifty; 12,5 or 12.5); for a share indicator: 80%, 80 or 0,8/0.8 (a number <= 1 is a fraction)"}
	}
	panic(fmt.Sprintf("ingest: unknown value kind %d", c.Kind))
}

// summary is the short English form of accepts, for the README's tables;
// the full list of forms follows the tables once.
func summary(c ColumnInfo) string {
	switch c.Kind {
	case Date:
		return "date: 11/09/2014, 2014-09-11, 11 September 2014, Excel dates"
	case YesNo:
		return "yes/no: Ya/Tidak, Y/T, 1/0, ✓, x…; blank = not answered"
	case Gender:
		return "gender: P/L, Perempuan/Laki-laki…; blank = not known"
	case Region:
		return `region: "Kab. X" or "Kota X", a known one`
	case NewRegion:
		return `region: "Kab. X" or "Kota X"; a new one is added`
	case Money:
		return "rupiah: 1250000, 1.250.000, Rp 1.250.000"
	case WorkType:
		return "work type: POS or SE"
	case Stage:
		return fmt.Sprintf("stage 1–%d: number, name or both, e.g. %s", len(stageNames)-1, stageLabel(3))
	case Indicator:
		return "indicator: a code of the catalogue below, or its name"
	case Period:
		return "period: 2014-10, Oktober 2014, 2014-Q4, Triwulan IV 2014, 2015-H1, 2015"
	case TargetNumber:
		return "number >= 0; a share: 80%, 80 or 0,8"
	}
	return accepts(c).EN
}

// FormatTables documents every workbook, sheet and column in Markdown, for
// the README: it is generated from the same specs that read the uploads.
func FormatTables() string {
	var b strings.Builder
	var kinds []ValueKind // those used, for the list of their forms
	for _, wb := range workbookNames() {
		doc := workbookDocs[wb]
		fmt.Fprintf(&b, "### %s (%s)\n\n%s\n\n", doc.title, doc.en, doc.purpose.EN)
		for _, s := range workbookSheets(wb) {
			fmt.Fprintf(&b, "#### Sheet `%s`\n\n", s.Name)
			if len(s.Aliases) > 0 {
				fmt.Fprintf(&b, "Also read under the names %s. ", codeList(s.Aliases))
			}
			fmt.Fprintf(&b, "%s\n\n", s.Help)
			b.WriteString("| Kolom | Alias | Wajib | Isi |\n|---|---|---|---|\n")
			for _, c := range s.Columns {
				required := "no"
				switch {
				case c.Required:
					required = "**yes**"
				case conditional(c):
					required = "conditional"
				}
				fmt.Fprintf(&b, "| %s | %s | %s | %s — %s |\n", mdCell(c.Header), mdCell(strings.Join(c.Aliases, ", ")),
					required, mdCell(summary(c)), mdCell(c.Help))
				if c.Kind != Text && c.Kind != WholeNumber && !slices.Contains(kinds, c.Kind) {
					kinds = append(kinds, c.Kind)
				}
			}
			b.WriteString("\n")
		}
	}
	slices.Sort(kinds)
	b.WriteString("### Cell values\n\nEvery form each kind of cell accepts:\n\n")
	for _, k := range kinds {
		fmt.Fprintf(&b, "- %s\n", accepts(ColumnInfo{Kind: k}).EN)
	}
	fmt.Fprintf(&b, "\nRegions: any of the %d kabupaten/kota of the official area catalogue of all Indonesia. "+
		"Those of the program's provinces (the `provinces` setting, default %s) are accepted as they are; those of Jawa Timur: %s.\n",
		len(areas.Load().Regencies), strings.Join(DefaultProvinces, ", "), strings.Join(NewRegions().Names(), ", "))
	if slices.Contains(kinds, Indicator) {
		b.WriteString("\n### Indicators\n\nThe catalogue a Target sheet's Indikator names, by code or by either name. " +
			"A flow counts what happened within the period, a stock is the level on the period's last day, " +
			"a share is a fraction where lower is better.\n\n| code | name | kind | actual, for a region (or all) and a period, up to the as-of date |\n|---|---|---|---|\n")
		for _, in := range queries.Indicators {
			fmt.Fprintf(&b, "| `%s` | %s / %s | %s | %s |\n", in.Code, mdCell(in.Name.ID), mdCell(in.Name.EN), in.Kind, mdCell(in.Actual.EN))
		}
	}
	return b.String()
}

// codeList renders names as "`A`, `B` and `C`".
func codeList(names []string) string {
	q := make([]string, len(names))
	for i, n := range names {
		q[i] = "`" + n + "`"
	}
	return joinAnd(q, "and")
}

// joinAnd renders items as "A, B and C" (or "A, B dan C").
func joinAnd(items []string, and string) string {
	if len(items) <= 1 {
		return strings.Join(items, "")
	}
	return strings.Join(items[:len(items)-1], ", ") + " " + and + " " + items[len(items)-1]
}

// mdCell keeps a table cell on one line and its pipes from ending the cell.
func mdCell(s string) string {
	return strings.NewReplacer("|", `\|`, "\n", " ").Replace(s)
}
