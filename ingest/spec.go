package ingest

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"pantau/queries"
)

// A column spec and a sheet spec declare, once, everything pantau knows of a
// sheet: names, aliases, which columns are required, how each value is read,
// help text. Header matching, validation, error messages, the blank template
// and the README's format tables all come from these declarations.

// ValueKind says how a column's cells are read.
type ValueKind int

const (
	Text ValueKind = iota
	Date
	YesNo
	Gender
	Region
	NewRegion // a Wilayah sheet's region: known, or a new "Kab. X"/"Kota X"
	Money
	WholeNumber
	WorkType
	Stage
	Indicator    // a code of queries.Indicators, or its name
	Period       // a month, quarter, half year or year
	TargetNumber // a number >= 0, or a percentage
)

// value is one cell after normalisation; which field holds it depends on the kind.
type value struct {
	text    string
	code    string           // a region's official code
	note    *queries.Message // a warning on an accepted value (a region of another province)
	date    time.Time
	end     time.Time // a period's last day (date is its first)
	num     int64
	real    float64 // a TargetNumber
	percent bool    // a TargetNumber written with "%"
	yes     bool
}

// column declares one column of a sheet whose rows become records of type T.
type column[T any] struct {
	header   string // the canonical Indonesian name
	aliases  []string
	required bool
	kind     ValueKind
	min, max int    // bounds of a WholeNumber
	help     string // Indonesian, shown in the template's header comments and the README
	set      func(r *T, v value)
}

// sheetSpec declares one sheet kind.
type sheetSpec[T any] struct {
	kind     queries.Kind
	name     string
	aliases  []string
	workbook string // "peserta", "survei" or "target": the template that holds this sheet
	help     string
	blank    T // the record before any cell is set: unknown numbers are -1
	columns  []column[T]
	// finish sets the record's key and checks what spans several columns.
	finish func(r *T, c *rowCheck) (key string)
	stage  func(b *queries.Batch, r T) error
}

var participantSheet = &sheetSpec[queries.Participant]{
	kind: queries.Participants, name: "Peserta", aliases: []string{"Participants", "Daftar Peserta"}, workbook: "peserta",
	help: "Satu baris per orang. Kunci: ID Peserta bila diisi, selain itu Nama + Jabatan + Wilayah.",
	columns: []column[queries.Participant]{
		{header: "ID Peserta", aliases: []string{"Participant ID", "ID"}, help: "Kode unik peserta; bila diisi, menjadi kunci baris.",
			set: func(p *queries.Participant, v value) { p.ID = v.text }},
		{header: "Nama", aliases: []string{"Nama Lengkap", "Name"}, required: true, help: "Nama lengkap.",
			set: func(p *queries.Participant, v value) { p.Name = v.text }},
		{header: "Jenis Kelamin", aliases: []string{"JK", "L/P", "Gender", "Sex"}, kind: Gender, help: "P (perempuan) atau L (laki-laki); kosong bila tidak diketahui.",
			set: func(p *queries.Participant, v value) { p.Gender = v.text }},
		{header: "Jabatan", aliases: []string{"Peran", "Posisi", "Role", "Position"}, required: true, help: `Peran dalam program; "Fasilitator Lapang" atau "Faslap" untuk fasilitator lapang.`,
			set: func(p *queries.Participant, v value) { p.Role = v.text }},
		{header: "Wilayah", aliases: []string{"Kabupaten/Kota", "Kab/Kota", "Wilayah Kerja", "Region"}, kind: Region, help: `Kabupaten/kota, mis. "Kab. Malang" atau "Kota Malang"; wajib untuk fasilitator lapang.`,
			set: func(p *queries.Participant, v value) { p.Region, p.RegionCode = v.text, v.code }},
		{header: "Kegiatan", aliases: []string{"Pelatihan", "Training", "Event"}, help: "Nama pelatihan yang diikuti.",
			set: func(p *queries.Participant, v value) { p.Training = v.text }},
		{header: "Tanggal Kegiatan", aliases: []string{"Tanggal", "Date"}, kind: Date, help: "Hari pertama kegiatan, mis. 11/09/2014.",
			set: func(p *queries.Participant, v value) { p.TrainingDate = v.date }},
		{header: "Lokasi", aliases: []string{"Tempat", "Location"}, help: "Tempat kegiatan.",
			set: func(p *queries.Participant, v value) { p.Location = v.text }},
	},
	finish: func(p *queries.Participant, c *rowCheck) string {
		p.FieldFacilitator = isFieldFacilitator(p.Role)
		if p.FieldFacilitator {
			p.Role = "Fasilitator Lapang"
			if p.Region == "" {
				c.requireFor("Wilayah", queries.Message{
					ID: "wajib diisi untuk fasilitator lapang",
					EN: "is required for a field facilitator"})
			}
		}
		p.Row = c.row
		if p.Name != "" {
			c.names[strings.ToLower(p.Name)] = true
		}
		switch {
		case p.ID != "":
			p.Key = c.key("ID Peserta", p.ID, strings.ToLower(p.ID))
		case p.Name == "" || c.failed("Wilayah"):
			p.Key = c.noKey()
		default:
			p.Key = c.key("Nama", p.Name, strings.ToLower(p.Name+"|"+p.Role+"|"+p.Region))
		}
		return p.Key
	},
	stage: (*queries.Batch).AddParticipant,
}

// problemHelp is the help text shared by the nine yes/no problem columns.
const problemHelp = "Ya atau Tidak; kosong bila tidak ditanyakan/dijawab."

func problemColumn(i int, header string, aliases ...string) column[queries.Respondent] {
	return column[queries.Respondent]{header: header, aliases: aliases, kind: YesNo,
		help: "Masalah " + strings.ToUpper(queries.ProblemCodes[i]) + ": " + problemHelp,
		set: func(r *queries.Respondent, v value) {
			r.Problems[i] = queries.No
			if v.yes {
				r.Problems[i] = queries.Yes
			}
		}}
}

var respondentSheet = &sheetSpec[queries.Respondent]{
	kind: queries.Respondents, name: "Responden", aliases: []string{"Survei", "Survey", "Respondents", "Pekerja Rumahan"}, workbook: "survei",
	help:  "Satu baris per pekerja rumahan yang disurvei. Kunci: ID Responden.",
	blank: queries.Respondent{MonthlyWage: -1},
	columns: []column[queries.Respondent]{
		{header: "ID Responden", aliases: []string{"Respondent ID", "ID"}, required: true, help: "Kode unik responden; kunci baris.",
			set: func(r *queries.Respondent, v value) { r.ID = v.text }},
		{header: "Tanggal Survei", aliases: []string{"Tanggal", "Survey Date", "Date"}, required: true, kind: Date, help: "Tanggal wawancara, mis. 11/09/2014.",
			set: func(r *queries.Respondent, v value) { r.SurveyDate = v.date }},
		{header: "Wilayah", aliases: []string{"Kabupaten/Kota", "Kab/Kota", "Region"}, required: true, kind: Region, help: `Kabupaten/kota, mis. "Kab. Malang" atau "Kota Malang".`,
			set: func(r *queries.Respondent, v value) { r.Region, r.RegionCode = v.text, v.code }},
		{header: "Kecamatan", aliases: []string{"District"}, help: "Kecamatan di Wilayah itu, seperti di katalog wilayah resmi Kemendagri; nama lain hanya diberi peringatan.",
			set: func(r *queries.Respondent, v value) { r.District = v.text }},
		{header: "Desa/Kelurahan", aliases: []string{"Desa", "Kelurahan", "Village"}, help: "Desa atau kelurahan di Kecamatan itu, seperti di katalog wilayah resmi; nama lain hanya diberi peringatan.",
			set: func(r *queries.Respondent, v value) { r.Village = v.text }},
		{header: "Fasilitator", aliases: []string{"Faslap", "Facilitator"}, help: "Nama fasilitator lapang, seperti di daftar peserta.",
			set: func(r *queries.Respondent, v value) { r.Facilitator = v.text }},
		{header: "Jenis Kelamin", aliases: []string{"JK", "L/P", "Gender"}, kind: Gender, help: "P atau L; kosong bila tidak diketahui.",
			set: func(r *queries.Respondent, v value) { r.Gender = v.text }},
		{header: "Umur", aliases: []string{"Usia", "Age"}, kind: WholeNumber, min: 10, max: 100, help: "Umur dalam tahun, 10–100.",
			set: func(r *queries.Respondent, v value) { r.Age = int(v.num) }},
		{header: "Jenis Pekerjaan", aliases: []string{"Tipe Pekerja", "Work Type", "Type"}, required: true, kind: WorkType, help: "POS (Putting-Out System, borongan dari pemberi kerja) atau SE (Self-Employed, mandiri).",
			set: func(r *queries.Respondent, v value) { r.WorkType = v.text }},
		{header: "Produk", aliases: []string{"Jenis Produk", "Sektor", "Product", "Sector"}, help: "Produk atau sektor pekerjaan, mis. batik, alas kaki.",
			set: func(r *queries.Respondent, v value) { r.Product = v.text }},
		{header: "Upah per Bulan", aliases: []string{"Upah", "Pendapatan per Bulan", "Monthly Wage", "Income"}, kind: Money, help: "Upah sebulan dalam rupiah, mis. 1.250.000.",
			set: func(r *queries.Respondent, v value) { r.MonthlyWage = v.num }},
		problemColumn(0, "Tanpa Kontrak Tertulis", "No Written Contract", "Masalah A"),
		problemColumn(1, "Tidak Diakui sebagai Pekerja", "Not Recognised as Worker", "Masalah B"),
		problemColumn(2, "Tanpa Perlindungan Hukum", "No Legal Protection", "Masalah C"),
		problemColumn(3, "Tanpa Jaminan Kesehatan", "No Health Insurance", "Masalah D"),
		problemColumn(4, "Tanpa Jaminan Hari Tua", "No Old-Age Security", "Masalah E"),
		problemColumn(5, "Alat Kerja Sendiri", "Own Work Tools", "Masalah F"),
		problemColumn(6, "Tanpa Nilai Tawar", "No Bargaining Power", "Masalah G"),
		problemColumn(7, "Upah di Bawah UMR", "Upah di Bawah UMK", "Wage Below Minimum", "Masalah H"),
		problemColumn(8, "Pemberi Kerja Tidak Diketahui", "Employer Unknown", "Masalah I"),
	},
	finish: func(r *queries.Respondent, c *rowCheck) string {
		c.knownFacilitator("Fasilitator", r.Facilitator)
		c.checkPlaces(r)
		r.Row = c.row
		if r.ID == "" {
			r.Key = c.noKey()
		} else {
			r.Key = c.key("ID Responden", r.ID, strings.ToLower(r.ID))
		}
		return r.Key
	},
	stage: (*queries.Batch).AddRespondent,
}

var groupSheet = &sheetSpec[queries.GroupStage]{
	kind: queries.GroupStages, name: "Kelompok", aliases: []string{"Groups", "Pengorganisasian", "Organizing"}, workbook: "survei",
	help:  "Satu baris per kelompok dan tahap yang dicapai. Kunci: Kode Kelompok + Tahap.",
	blank: queries.GroupStage{Members: -1},
	columns: []column[queries.GroupStage]{
		{header: "Kode Kelompok", aliases: []string{"Group Code", "Kode"}, required: true, help: "Kode unik kelompok; dengan Tahap menjadi kunci baris.",
			set: func(g *queries.GroupStage, v value) { g.Code = v.text }},
		{header: "Nama Kelompok", aliases: []string{"Group Name"}, help: "Nama kelompok.",
			set: func(g *queries.GroupStage, v value) { g.Name = v.text }},
		{header: "Wilayah", aliases: []string{"Kabupaten/Kota", "Region"}, required: true, kind: Region, help: `Kabupaten/kota, mis. "Kab. Jember".`,
			set: func(g *queries.GroupStage, v value) { g.Region, g.RegionCode = v.text, v.code }},
		{header: "Fasilitator", aliases: []string{"Faslap", "Facilitator"}, help: "Nama fasilitator lapang, seperti di daftar peserta.",
			set: func(g *queries.GroupStage, v value) { g.Facilitator = v.text }},
		{header: "Tahap", aliases: []string{"Stage"}, required: true, kind: Stage, help: `Tahap yang dicapai: nomor, nama, atau keduanya, mis. "3. Pertemuan Kelompok".`,
			set: func(g *queries.GroupStage, v value) { g.Stage = int(v.num) }},
		{header: "Tanggal", aliases: []string{"Tanggal Capai", "Date"}, required: true, kind: Date, help: "Tanggal tahap tercapai, mis. 11/09/2014.",
			set: func(g *queries.GroupStage, v value) { g.ReachedOn = v.date }},
		{header: "Jumlah Anggota", aliases: []string{"Anggota", "Members"}, kind: WholeNumber, min: 0, max: 100000, help: "Jumlah anggota saat itu; bilangan bulat 0 atau lebih.",
			set: func(g *queries.GroupStage, v value) { g.Members = int(v.num) }},
	},
	finish: func(g *queries.GroupStage, c *rowCheck) string {
		c.knownFacilitator("Fasilitator", g.Facilitator)
		g.Row = c.row
		if g.Code == "" || g.Stage == 0 {
			g.Key = c.noKey()
		} else {
			g.Key = c.key("Kode Kelompok", g.Code, strings.ToLower(g.Code)+"|"+strconv.Itoa(g.Stage))
		}
		return g.Key
	},
	stage: (*queries.Batch).AddGroupStage,
}

var regionSheet = &sheetSpec[queries.RegionWage]{
	kind: queries.Regions, name: "Wilayah", aliases: []string{"Regions", "UMK"}, workbook: "survei",
	help:  "Opsional. Menambah wilayah dan upah minimum (UMK). Kunci: Wilayah + Tahun.",
	blank: queries.RegionWage{UMK: -1},
	columns: []column[queries.RegionWage]{
		{header: "Wilayah", aliases: []string{"Kabupaten/Kota", "Region"}, required: true, kind: NewRegion, help: `"Kab. X" atau "Kota X"; nama baru ditambahkan sebagai wilayah.`,
			set: func(r *queries.RegionWage, v value) { r.Region, r.RegionCode = v.text, v.code }},
		{header: "Provinsi", aliases: []string{"Province"}, help: "Provinsi; bila kosong: Jawa Timur.",
			set: func(r *queries.RegionWage, v value) { r.Province = v.text }},
		{header: "Tahun", aliases: []string{"Year"}, kind: WholeNumber, min: 1990, max: 2100, help: "Tahun berlakunya UMK; wajib bila UMK diisi.",
			set: func(r *queries.RegionWage, v value) { r.Year = int(v.num) }},
		{header: "UMK", aliases: []string{"UMR", "Upah Minimum", "Minimum Wage"}, kind: Money, help: "Upah minimum kabupaten/kota dalam rupiah.",
			set: func(r *queries.RegionWage, v value) { r.UMK = v.num }},
	},
	finish: func(r *queries.RegionWage, c *rowCheck) string {
		if reg, err := c.regions.resolve(r.Region); err == nil && reg.code != "" {
			r.Province = reg.province // the catalogue knows it
		} else if r.Province == "" {
			r.Province = "Jawa Timur"
		}
		if r.UMK >= 0 && r.Year == 0 {
			c.requireFor("Tahun", queries.Message{ID: "wajib diisi bila UMK diisi", EN: "is required when UMK is given"})
		}
		r.Added = r.RegionCode == ""
		if r.Region != "" && !c.regions.Known(r.Region) {
			if near := c.regions.suggest(r.Region, 3); len(near) > 0 {
				c.warn("Wilayah", r.Region, queries.Message{
					ID: fmt.Sprintf("Wilayah %q ditambahkan sebagai wilayah baru; salah ketik %s?", r.Region, quoteList(near, "atau")),
					EN: fmt.Sprintf("Wilayah %q is added as a new region; a typo of %s?", r.Region, quoteList(near, "or"))})
			}
			c.regions.Add(r.Region, r.Province)
		}
		r.Row = c.row
		if r.Region == "" || c.failed("Tahun") {
			r.Key = c.noKey()
		} else {
			r.Key = c.key("Wilayah", r.Region, strings.ToLower(r.Region)+"|"+strconv.Itoa(r.Year))
		}
		return r.Key
	},
	stage: (*queries.Batch).AddRegion,
}

// targetRow is a Target sheet's row while it is checked: the target, and how
// its Target cell was written, which only the row's indicator can judge.
type targetRow struct {
	queries.Target
	valueText string // the Target cell; "" when blank or refused
	percent   bool
}

var targetSheet = &sheetSpec[targetRow]{
	kind: queries.Targets, name: "Target", aliases: []string{"Targets", "Sasaran", "Rencana", "Plan"}, workbook: "target",
	help: "Satu baris per indikator, wilayah dan periode. Kunci: Indikator + Wilayah + Periode. Target untuk seluruh program (Wilayah kosong) berdiri sendiri: bukan jumlah target wilayah.",
	columns: []column[targetRow]{
		{header: "Indikator", aliases: []string{"Indicator", "Kode Indikator"}, required: true, kind: Indicator, help: "Kode indikator (lihat daftar indikator di sheet Petunjuk), atau namanya.",
			set: func(t *targetRow, v value) { t.Indicator = v.text }},
		{header: "Wilayah", aliases: []string{"Kabupaten/Kota", "Kab/Kota", "Region"}, kind: Region, help: `Kabupaten/kota, mis. "Kab. Jember"; kosong = seluruh program.`,
			set: func(t *targetRow, v value) { t.Region, t.RegionCode = v.text, v.code }},
		{header: "Periode", aliases: []string{"Period"}, required: true, kind: Period, help: "Bulan (2014-10, Oktober 2014), triwulan (2014-Q4, Triwulan IV 2014), semester (2015-H1, Semester I 2015) atau tahun (2015).",
			set: func(t *targetRow, v value) { t.Period, t.Start, t.End = v.text, v.date, v.end }},
		{header: "Target", aliases: []string{"Sasaran", "Nilai Target"}, required: true, kind: TargetNumber, help: "Angka 0 atau lebih; untuk persentase: 80%, 80 atau 0,8 (angka <= 1 adalah pecahan).",
			set: func(t *targetRow, v value) { t.Value, t.valueText, t.percent = v.real, v.text, v.percent }},
		{header: "Catatan", aliases: []string{"Keterangan", "Note"}, help: "Catatan bebas.",
			set: func(t *targetRow, v value) { t.Note = v.text }},
	},
	finish: func(t *targetRow, c *rowCheck) string {
		t.Row = c.row
		if in, ok := queries.IndicatorByCode(t.Indicator); ok && t.valueText != "" {
			switch {
			case in.Kind == queries.ShareKind && (t.percent || t.Value > 1):
				if t.Value > 100 {
					c.refuseValue("Target", t.valueText, queries.Message{
						ID: fmt.Sprintf("terlalu besar untuk persentase (%s); tulis 0–100%%, mis. 80%%, 80 atau 0,8", in.Code),
						EN: fmt.Sprintf("is too large for a share (%s); write 0–100%%, e.g. 80%%, 80 or 0.8", in.Code)})
				}
				t.Value /= 100
			case in.Kind != queries.ShareKind && t.percent:
				c.refuseValue("Target", t.valueText, queries.Message{
					ID: fmt.Sprintf("adalah persentase, tetapi %s dihitung dalam jumlah; tulis angkanya, mis. 120", in.Code),
					EN: fmt.Sprintf("is a percentage, but %s is a count; write the number, e.g. 120", in.Code)})
			}
		}
		if t.Indicator == "" || t.Period == "" || c.failed("Wilayah") {
			return c.noKey()
		}
		t.Key = c.key("Indikator", t.Indicator, strings.ToLower(t.Indicator+"|"+t.Region+"|"+t.Period))
		return t.Key
	},
	stage: func(b *queries.Batch, t targetRow) error { return b.AddTarget(t.Target) },
}
