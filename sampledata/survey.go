package sampledata

import (
	"fmt"
	"io"
	"math"
	"math/rand/v2"
	"strconv"
	"time"

	"github.com/xuri/excelize/v2"
)

// SurveyOptions sizes the synthetic survey.
type SurveyOptions struct {
	Respondents, Groups int
	Seed                int64
	// Flaws plants what the data division must act on (flaws.go): a
	// handful of rows of each kind of data quality flag, and kecamatan and
	// desa written as clerks do. Without it the survey is clean, as the
	// benchmarks' big workbooks are.
	Flaws bool
}

// DefaultSurveyOptions gives the size of the committed survei.xlsx, flaws and all.
func DefaultSurveyOptions() SurveyOptions {
	return SurveyOptions{Respondents: 2000, Groups: 120, Seed: 1, Flaws: true}
}

// Canonical column names (WORKBOOKS.md), in its order.
var (
	respondentHeader = []string{
		"ID Responden", "Tanggal Survei", "Wilayah", "Kecamatan", "Desa/Kelurahan",
		"Fasilitator", "Jenis Kelamin", "Umur", "Jenis Pekerjaan", "Produk", "Upah per Bulan",
		"Tanpa Kontrak Tertulis", "Tidak Diakui sebagai Pekerja", "Tanpa Perlindungan Hukum",
		"Tanpa Jaminan Kesehatan", "Tanpa Jaminan Hari Tua", "Alat Kerja Sendiri",
		"Tanpa Nilai Tawar", "Upah di Bawah UMR", "Pemberi Kerja Tidak Diketahui",
	}
	groupHeader  = []string{"Kode Kelompok", "Nama Kelompok", "Wilayah", "Fasilitator", "Tahap", "Tanggal", "Jumlah Anggota"}
	regionHeader = []string{"Wilayah", "Provinsi", "Tahun", "UMK"}
)

// Stages of organizing a group, in order.
var stages = []string{
	"Pemetaan", "Pendekatan", "Pertemuan Kelompok",
	"Pembentukan Kelompok", "Pemilihan Pengurus", "Organisasi Berjalan",
}

// place is what the survey draws from for a region: a few real kecamatan
// and the home-work products the region is known for (repeats weight the draw).
type place struct {
	kecamatan []string
	products  []string
}

var places = map[string]place{
	"Kota Malang": {
		[]string{"Klojen", "Blimbing", "Kedungkandang", "Lowokwaru", "Sukun"},
		[]string{"Makanan Olahan", "Makanan Olahan", "Garmen/Konveksi", "Kerajinan Anyaman", "Manik-manik"},
	},
	"Kab. Malang": {
		[]string{"Kepanjen", "Singosari", "Lawang", "Pakis", "Turen", "Karangploso", "Bululawang"},
		[]string{"Rokok", "Rokok", "Garmen/Konveksi", "Makanan Olahan", "Kerajinan Anyaman"},
	},
	"Kota Batu": {
		[]string{"Batu", "Bumiaji", "Junrejo"},
		[]string{"Makanan Olahan", "Makanan Olahan", "Garmen/Konveksi", "Kerajinan Anyaman"},
	},
	"Kota Surabaya": {
		[]string{"Tegalsari", "Wonokromo", "Rungkut", "Tambaksari", "Sukolilo", "Sawahan", "Kenjeran", "Semampir"},
		[]string{"Garmen/Konveksi", "Garmen/Konveksi", "Manik-manik", "Alas Kaki/Sandal", "Makanan Olahan"},
	},
	"Kab. Sidoarjo": {
		[]string{"Tanggulangin", "Candi", "Sidoarjo", "Waru", "Porong", "Krian", "Buduran", "Taman"},
		[]string{"Tas dan Koper", "Tas dan Koper", "Alas Kaki/Sandal", "Garmen/Konveksi", "Makanan Olahan"},
	},
	"Kota Mojokerto": {
		[]string{"Prajurit Kulon", "Magersari"},
		[]string{"Alas Kaki/Sandal", "Alas Kaki/Sandal", "Garmen/Konveksi", "Makanan Olahan"},
	},
	"Kab. Mojokerto": {
		[]string{"Sooko", "Puri", "Trowulan", "Mojosari", "Bangsal", "Jetis", "Mojoanyar"},
		[]string{"Alas Kaki/Sandal", "Alas Kaki/Sandal", "Batik", "Garmen/Konveksi", "Kerajinan Anyaman"},
	},
	"Kab. Probolinggo": {
		[]string{"Kraksaan", "Leces", "Dringu", "Gending", "Pajarakan", "Tongas", "Paiton"},
		[]string{"Batik", "Batik", "Rokok", "Makanan Olahan", "Kerajinan Anyaman"},
	},
	"Kab. Jember": {
		[]string{"Kaliwates", "Patrang", "Sumbersari", "Ambulu", "Balung", "Puger", "Tanggul", "Rambipuji"},
		[]string{"Rokok", "Rokok", "Batik", "Kerajinan Anyaman", "Manik-manik"},
	},
}

// villages are real desa/kelurahan of each kecamatan of places, a few
// each, from the official area catalogue (idn-area-data 4.0.1), so that
// the sample matches it.
var villages = map[string][]string{
	"Kota Malang|Klojen":            {"Klojen", "Rampalcelaket", "Samaan", "Kiduldalem", "Sukoharjo", "Kasin"},
	"Kota Malang|Blimbing":          {"Balearjosari", "Arjosari", "Polowijen", "Purwodadi", "Blimbing", "Pandanwangi"},
	"Kota Malang|Kedungkandang":     {"Kotalama", "Bumiayu", "Buring", "Lesanpuro", "Madyopuro", "Arjowinangun"},
	"Kota Malang|Lowokwaru":         {"Tunggulwulung", "Tlogomas", "Sumbersari", "Jatimulyo", "Mojolangu", "Lowokwaru"},
	"Kota Malang|Sukun":             {"Ciptomulyo", "Gadang", "Kebonsari", "Bandungrejosari", "Sukun", "Tanjungrejo"},
	"Kab. Malang|Kepanjen":          {"Penarukan", "Ardirejo", "Mangunrejo", "Tegalsari", "Dilem", "Jatirejoyoso"},
	"Kab. Malang|Singosari":         {"Pagentan", "Candirenggo", "Dengkol", "Watugede", "Tunjungtirto", "Purwoasri"},
	"Kab. Malang|Lawang":            {"Kalirejo", "Sidoluhur", "Sidodadi", "Mulyoarjo", "Sumberporong", "Ketindan"},
	"Kab. Malang|Pakis":             {"Kedungrejo", "Pucangsongo", "Sumberpasir", "Sumberkradenan", "Sekarpuro", "Tirtomoyo"},
	"Kab. Malang|Turen":             {"Sedayu", "Tawangrejeni", "Sawahan", "Gedok Kulon", "Talok", "Jeru"},
	"Kab. Malang|Karangploso":       {"Tegalgondo", "Kepuharjo", "Ngenep", "Ngijo", "Ampeldento", "Girimoyo"},
	"Kab. Malang|Bululawang":        {"Sudimoro", "Bakalan", "Gading", "Lumbangsari", "Sempalwadak", "Krebet Senggrong"},
	"Kota Batu|Batu":                {"Temas", "Ngaglik", "Songgokerto", "Sisir", "Sumberejo", "Oro-oro Ombo"},
	"Kota Batu|Bumiaji":             {"Punten", "Gunungsari", "Tulungrejo", "Sumbergondo", "Pandanrejo", "Bumiaji"},
	"Kota Batu|Junrejo":             {"Dadaprejo", "Beji", "Junrejo", "Tlekung", "Mojorejo", "Pendem"},
	"Kota Surabaya|Tegalsari":       {"Tegalsari", "Dr. Soetomo", "Kedungdoro", "Keputran", "Wonorejo"},
	"Kota Surabaya|Wonokromo":       {"Wonokromo", "Jagir", "Ngagel", "Ngagel Rejo", "Darmo", "Sawunggaling"},
	"Kota Surabaya|Rungkut":         {"Kalirungkut", "Rungkut Kidul", "Kedung Baruk", "Penjaringansari", "Wonorejo", "Medokan Ayu"},
	"Kota Surabaya|Tambaksari":      {"Tambaksari", "Ploso", "Gading", "Pacarkembang", "Rangkah", "Pacarkeling"},
	"Kota Surabaya|Sukolilo":        {"Keputih", "Gebang Putih", "Klampis Ngasem", "Menur Pumpungan", "Nginden Jangkungan", "Semolowaru"},
	"Kota Surabaya|Sawahan":         {"Petemon", "Sawahan", "Banyu Urip", "Putat Jaya", "Kupang Krajan", "Pakis"},
	"Kota Surabaya|Kenjeran":        {"Tanah Kali Kedinding", "Sidotopo Wetan", "Bulak Banteng", "Tambak Wedi"},
	"Kota Surabaya|Semampir":        {"Ampel", "Pegirian", "Wonokusumo", "Ujung", "Sidotopo"},
	"Kab. Sidoarjo|Tanggulangin":    {"Kalisampurno", "Gempolsari", "Banjarasri", "Kalidawir", "Kludan", "Ketegan"},
	"Kab. Sidoarjo|Candi":           {"Karangtanjung", "Balongdowo", "Klurak", "Sugihwaras", "Jambangan", "Tenggulunan"},
	"Kab. Sidoarjo|Sidoarjo":        {"Sidokare", "Bulusidokare", "Sidokumpul", "Cemengkalang", "Banjarbendo", "Jati"},
	"Kab. Sidoarjo|Waru":            {"Pepelegi", "Kureksari", "Tropodo", "Tambakrejo", "Tambaksumur", "Kepuhkiriman"},
	"Kab. Sidoarjo|Porong":          {"Porong", "Gedang", "Kedungsolo", "Kebakalan", "Kedungboto", "Pamotan"},
	"Kab. Sidoarjo|Krian":           {"Kemasan", "Tropodo", "Jerukgamping", "Junwangi", "Jatikalang", "Sidomojo"},
	"Kab. Sidoarjo|Buduran":         {"Entalsewu", "Sidokerto", "Siwalanpanji", "Prasung", "Damarsi", "Banjarsari"},
	"Kab. Sidoarjo|Taman":           {"Taman", "Sepanjang", "Bohar", "Sadang", "Kramatjegu", "Gilang"},
	"Kota Mojokerto|Prajurit Kulon": {"Mentikan", "Kauman", "Pulorejo", "Prajuritkulon", "Surodinawan", "Blooto"},
	"Kota Mojokerto|Magersari":      {"Gununggedangan", "Magersari", "Gedongan", "Balongsari", "Kedundung", "Wates"},
	"Kab. Mojokerto|Sooko":          {"Gemekan", "Brangkal", "Klinterejo", "Sambiroto", "Japan", "Wringinrejo"},
	"Kab. Mojokerto|Puri":           {"Tampungrejo", "Kintelan", "Ketemasdungus", "Tangunan", "Sumbergirang", "Medali"},
	"Kab. Mojokerto|Trowulan":       {"Jambuwok", "Beloh", "Pakis", "Trowulan", "Kejagan", "Watesumpak"},
	"Kab. Mojokerto|Mojosari":       {"Kauman", "Mojosari", "Belahantengah", "Mojosulur", "Menanggal", "Kebondalem"},
	"Kab. Mojokerto|Bangsal":        {"Pacing", "Kedunguneng", "Ngastemi", "Bangsal", "Sidomulyo", "Tinggarbuntut"},
	"Kab. Mojokerto|Jetis":          {"Mlirip", "Canggu", "Banjarsari", "Mojorejo", "Kupang", "Mojolebak"},
	"Kab. Mojokerto|Mojoanyar":      {"Sadartengah", "Kepuhanyar", "Gebangmalang", "Ngarjo", "Kwedenkembar", "Kwatu"},
	"Kab. Probolinggo|Kraksaan":     {"Semampir", "Kandangjati Kulon", "Rondokuning", "Kandang Jati Wetan", "Tamansari", "Sidopekso"},
	"Kab. Probolinggo|Leces":        {"Malasankulon", "Tigasan Wetan", "Tigasan Kulon", "Pondok Wuluh", "Leces", "Sumberkedawung"},
	"Kab. Probolinggo|Dringu":       {"Watuwungkuk", "Sumberagung", "Mrangonlawang", "Tamansari", "Kalirejo", "Kalisalam"},
	"Kab. Probolinggo|Gending":      {"Brumbungan Lor", "Klaseman", "Bulang", "Pikatan", "Sumberkerang", "Curahsawo"},
	"Kab. Probolinggo|Pajarakan":    {"Selogudig Kulon", "Ketompen", "Karangpranti", "Karanggeger", "Pejarakan Kulon", "Sukomulyo"},
	"Kab. Probolinggo|Tongas":       {"Sumberrejo", "Bayeman", "Curahdringu", "Sumberkramat", "Pamatan", "Tongas Kulon"},
	"Kab. Probolinggo|Paiton":       {"Jabungsisir", "Kalikajar Kulon", "Alastengah", "Randutatah", "Petunjungan", "Sukodadi"},
	"Kab. Jember|Kaliwates":         {"Mangli", "Sempusari", "Kebonagung", "Kaliwates", "Jemberkidul", "Kepatihan"},
	"Kab. Jember|Patrang":           {"Banjarsengon", "Jumerto", "Gebang", "Slawu", "Bintoro", "Jemberlor"},
	"Kab. Jember|Sumbersari":        {"Kebonsari", "Sumbersari", "Kranjingan", "Karangrejo", "Tegalgede", "Wirolegi"},
	"Kab. Jember|Ambulu":            {"Tegalsari", "Sabrang", "Sumberejo", "Ambulu", "Karanganyar", "Andongsari"},
	"Kab. Jember|Balung":            {"Karangduren", "Karang Semanding", "Tutul", "Balungkulon", "Balunglor", "Balungkidul"},
	"Kab. Jember|Puger":             {"Mlokorejo", "Mojosari", "Wringintelu", "Bagon", "Wonosari", "Grenden"},
	"Kab. Jember|Tanggul":           {"Tanggulkulon", "Tanggulwetan", "Patemon", "Darungan", "Manggisan", "Selodakon"},
	"Kab. Jember|Rambipuji":         {"Nogosari", "Curahmalang", "Rowotamtu", "Kaliwining", "Pecoro", "Rambipuji"},
}

var groupNames = []string{
	"Mawar", "Melati", "Anggrek", "Kenanga", "Dahlia", "Cempaka", "Teratai", "Seruni",
	"Kamboja", "Flamboyan", "Sekar Arum", "Maju Bersama", "Sejahtera", "Srikandi",
	"Harapan Baru", "Mekar Sari", "Sido Rukun", "Rukun Makmur",
}

// Chance of "Ya" for problems a..i, for POS and SE workers. Problem h is
// only drawn when the wage is missing; otherwise it follows from the wage.
// Self-employed workers own their tools (f) more often, the rest is worse for POS.
var (
	problemPOS = [9]float64{0.92, 0.85, 0.88, 0.78, 0.90, 0.70, 0.82, 0.85, 0.45}
	problemSE  = [9]float64{0.55, 0.60, 0.70, 0.65, 0.80, 0.88, 0.45, 0.55, 0.10}
)

// Survey dates: the survey starts after the September 2014 TOT.
var (
	surveyStart = time.Date(2014, time.September, 15, 0, 0, 0, 0, time.UTC)
	surveyEnd   = time.Date(2015, time.December, 31, 0, 0, 0, 0, time.UTC)
	groupStart  = time.Date(2014, time.October, 1, 0, 0, 0, 0, time.UTC)
)

// reach[s-1] is the share of groups that reach at least stage s: a funnel.
var reach = [6]float64{1, 0.8, 0.6, 0.4, 0.22, 0.1}

// WriteSurvey writes survei.xlsx: a synthetic field survey with sheets
// Responden, Kelompok and Wilayah, deterministic for opt.Seed. The two large
// sheets are streamed, so memory stays bounded for millions of rows.
func WriteSurvey(w io.Writer, opt SurveyOptions) error {
	if opt.Respondents < 0 || opt.Groups < 0 {
		return fmt.Errorf("sampledata: negative survey size %+v", opt)
	}
	if opt.Respondents > excelize.TotalRows-1 { // one row is the header
		return fmt.Errorf("sampledata: %d respondents do not fit in a sheet of %d rows", opt.Respondents, excelize.TotalRows)
	}
	f := excelize.NewFile()
	defer f.Close()
	if err := f.SetSheetName("Sheet1", "Responden"); err != nil {
		return err
	}
	for _, s := range []string{"Kelompok", "Wilayah"} {
		if _, err := f.NewSheet(s); err != nil {
			return err
		}
	}
	st, err := newStyles(f)
	if err != nil {
		return err
	}
	r := rand.New(rand.NewPCG(uint64(opt.Seed), 0x70616e746175)) // "pantau"
	g := &gen{r: r, st: st}
	if opt.Flaws {
		g.flaws = newFlaws(opt.Respondents, st.money)
	}

	if err := g.respondents(f, opt.Respondents); err != nil {
		return err
	}
	if err := g.groups(f, opt.Groups); err != nil {
		return err
	}
	if err := g.regions(f); err != nil {
		return err
	}
	if err := setDocProps(f, "Survei Pekerja Rumahan (data sintetis)"); err != nil {
		return err
	}
	return writeWorkbook(f, w)
}

type gen struct {
	r     *rand.Rand
	st    styles
	flaws *flaws // nil for a clean survey
}

func (g *gen) pick(s []string) string { return s[g.r.IntN(len(s))] }

// facilitator picks a facilitator at random, and so a region weighted by
// the number of facilitators working there.
func (g *gen) facilitator() Facilitator { return facilitators[g.r.IntN(len(facilitators))] }

// chance reports true with probability p.
func (g *gen) chance(p float64) bool { return g.r.Float64() < p }

// stream starts a streamed sheet with its header row, column widths and a
// frozen header.
func (g *gen) stream(f *excelize.File, sheet string, header []string, widths []float64) (*excelize.StreamWriter, error) {
	sw, err := f.NewStreamWriter(sheet)
	if err != nil {
		return nil, err
	}
	// The stream writer emits the <cols> in reverse order of the calls; set
	// them from the last column so the file lists them ascending, as Excel writes.
	for i := len(widths) - 1; i >= 0; i-- {
		if err := sw.SetColWidth(i+1, i+1, widths[i]); err != nil {
			return nil, err
		}
	}
	if err := sw.SetPanes(freezeRows(1)); err != nil {
		return nil, err
	}
	row := make([]any, len(header))
	for i, h := range header {
		row[i] = excelize.Cell{StyleID: g.st.header, Value: h}
	}
	return sw, sw.SetRow("A1", row)
}

func (g *gen) respondents(f *excelize.File, n int) error {
	sw, err := g.stream(f, "Responden", respondentHeader,
		[]float64{13, 15, 18, 16, 16, 26, 14, 8, 16, 20, 16, 12, 12, 12, 12, 12, 12, 12, 12, 12})
	if err != nil {
		return err
	}
	umk := make(map[string]int, len(regions2014))
	for _, rg := range regions2014 {
		umk[rg.Name] = rg.UMK
	}
	surveyDays := int(surveyEnd.Sub(surveyStart).Hours()/24) + 1
	row := make([]any, len(respondentHeader)) // reused: SetRow encodes it at once
	for i := 1; i <= n; i++ {
		fc := g.facilitator()
		pl := places[fc.Region]
		pos := g.chance(0.6)
		clear(row)
		row[0] = fmt.Sprintf("R-%07d", i)
		row[1] = excelize.Cell{StyleID: g.st.date, Value: surveyStart.AddDate(0, 0, g.r.IntN(surveyDays))}
		row[2] = fc.Region
		kecamatan := g.pick(pl.kecamatan)
		row[3] = kecamatan
		row[4] = g.pick(villages[fc.Region+"|"+kecamatan])
		row[5] = fc.Name
		switch u := g.r.Float64(); {
		case u < 0.02: // not recorded
		case u < 0.12:
			row[6] = "L"
		default:
			row[6] = "P"
		}
		if !g.chance(0.03) {
			row[7] = g.age()
		}
		row[8] = "SE"
		if pos {
			row[8] = "POS"
		}
		row[9] = g.pick(pl.products)
		wage := -1
		if !g.chance(0.05) {
			wage = g.wage(umk[fc.Region], pos)
			row[10] = excelize.Cell{StyleID: g.st.money, Value: wage}
		}
		probs := &problemSE
		if pos {
			probs = &problemPOS
		}
		for p, prob := range probs {
			const h = 7
			switch {
			case p == h && wage >= 0:
				row[11+p] = yesNo(wage < umk[fc.Region])
			case g.chance(0.03): // not answered
			default:
				row[11+p] = yesNo(g.chance(prob))
			}
		}
		if g.flaws != nil {
			g.flaws.respondent(i, row, fc, umk[fc.Region])
		}
		if err := sw.SetRow("A"+strconv.Itoa(i+1), row); err != nil {
			return err
		}
	}
	return sw.Flush()
}

// age draws a working age around 38, redrawn rather than clamped into 16-75
// so the ends do not pile up.
func (g *gen) age() int {
	for {
		if a := int(math.Round(38 + 11*g.r.NormFloat64())); a >= 16 && a <= 75 {
			return a
		}
	}
}

// wage draws a monthly wage, rounded to Rp 5,000. Piece rates of POS workers
// are mostly well below the UMK; self-employed earnings spread widely.
func (g *gen) wage(umk int, pos bool) int {
	var share float64
	switch {
	case pos && g.chance(0.1):
		share = 0.95 + 0.35*g.r.Float64()
	case pos:
		share = 0.2 + 0.75*g.r.Float64()
	default:
		share = math.Exp(-0.15 + 0.55*g.r.NormFloat64())
	}
	return max(100_000, int(math.Round(float64(umk)*share/5000))*5000)
}

func yesNo(b bool) string {
	if b {
		return "Ya"
	}
	return "Tidak"
}

// groups writes the Kelompok sheet: one row per group and stage reached.
func (g *gen) groups(f *excelize.File, n int) error {
	sw, err := g.stream(f, "Kelompok", groupHeader, []float64{14, 24, 18, 26, 26, 13, 16})
	if err != nil {
		return err
	}
	row := make([]any, len(groupHeader))
	line := 1
	for i := 1; i <= n; i++ {
		fc := g.facilitator()
		code := fmt.Sprintf("KLP-%04d", i)
		name := "Kelompok " + g.pick(groupNames)
		u, k := g.r.Float64(), 1
		for k < len(reach) && u < reach[k] {
			k++
		}
		// Stage 1 by mid-2015, each later stage 3 weeks to 3 months on: by late 2016.
		date := groupStart.AddDate(0, 0, g.r.IntN(273))
		members := 0
		flaw := g.flaws.group(i, k)
		for s := 1; s <= k; s++ {
			if s > 1 {
				date = date.AddDate(0, 0, 21+g.r.IntN(70))
			}
			clear(row)
			row[0], row[1], row[2], row[3] = code, name, fc.Region, fc.Name
			row[4] = fmt.Sprintf("%d. %s", s, stages[s-1])
			row[5] = excelize.Cell{StyleID: g.st.date, Value: date}
			// Members are counted once the group meets (stage 3) and only grow.
			switch {
			case s == 3:
				members = 5 + g.r.IntN(21)
			case s > 3:
				members = min(40, members+g.r.IntN(7))
			}
			if s >= 3 {
				row[6] = members
			}
			if flaw.stage(s, row, date) {
				continue // the stage left out
			}
			line++
			if err := sw.SetRow("A"+strconv.Itoa(line), row); err != nil {
				return err
			}
		}
	}
	return sw.Flush()
}

// regions writes the small Wilayah sheet with the 2014 UMK.
func (g *gen) regions(f *excelize.File) error {
	const sheet = "Wilayah"
	for i, wd := range []float64{20, 14, 8, 14} {
		col, _ := excelize.ColumnNumberToName(i + 1)
		if err := f.SetColWidth(sheet, col, col, wd); err != nil {
			return err
		}
	}
	if err := f.SetSheetRow(sheet, "A1", &regionHeader); err != nil {
		return err
	}
	if err := f.SetCellStyle(sheet, "A1", "D1", g.st.header); err != nil {
		return err
	}
	for i, rg := range regions2014 {
		row := []any{rg.Name, rg.Province, rg.Year, rg.UMK}
		if err := f.SetSheetRow(sheet, "A"+strconv.Itoa(i+2), &row); err != nil {
			return err
		}
	}
	last := "D" + strconv.Itoa(len(regions2014)+1)
	if err := f.SetCellStyle(sheet, "D2", last, g.st.money); err != nil {
		return err
	}
	return f.SetPanes(sheet, freezeRows(1))
}
