package queries

import (
	"fmt"
	"strings"
)

// IndicatorKind says how an indicator's actual is counted and judged.
type IndicatorKind string

const (
	// FlowKind counts what happened within the period (up to the as-of date).
	FlowKind IndicatorKind = "flow"
	// StockKind is a level at the period's last day (or the as-of date).
	StockKind IndicatorKind = "stock"
	// ShareKind is a fraction 0..1 among the respondents of the period; lower is better.
	ShareKind IndicatorKind = "share"
)

// Indicator is one entry of the fixed catalogue of what targets are set for
// (WORKBOOKS.md, "Targets workbook"). The catalogue is declared once, here,
// and drives the Target sheet's validation, the template's drop-down list
// and instructions, the README and the targets query.
type Indicator struct {
	Code   string
	Name   Message // "Responden disurvei" / "Respondents surveyed"
	Kind   IndicatorKind
	Actual Message // what its actual is, for a region (or all) and a period

	// What the targets query counts; one of these is set.
	gender  string // a flow of respondents: "" all, "P" women
	stage   int    // a stock of groups at this stage or a later one
	members bool   // a stock of group members
	problem int    // a share: 1 + the index of the problem in ProblemCodes
}

// Indicators is the catalogue, in the order reports list targets.
var Indicators = buildIndicators()

func buildIndicators() []Indicator {
	flowActual := Message{
		ID: "responden yang Tanggal Survei-nya dalam periode",
		EN: "respondents whose Tanggal Survei falls in the period"}
	list := []Indicator{
		{Code: "responden", Name: Message{ID: "Responden disurvei", EN: "Respondents surveyed"}, Kind: FlowKind, Actual: flowActual},
		{Code: "responden_perempuan", Name: Message{ID: "Responden perempuan", EN: "Women respondents"}, Kind: FlowKind, gender: "P",
			Actual: Message{ID: flowActual.ID + ", Jenis Kelamin P", EN: flowActual.EN + ", Jenis Kelamin P"}},
	}
	stageActual := func(n int) Message {
		return Message{
			ID: fmt.Sprintf("kelompok yang telah mencapai tahap %d atau lebih pada atau sebelum hari terakhir periode", n),
			EN: fmt.Sprintf("groups that had reached stage %d or a later one on or before the period's last day", n)}
	}
	for n := 1; n <= 6; n++ {
		list = append(list, Indicator{Code: fmt.Sprintf("kelompok_tahap_%d", n),
			Name:  Message{ID: fmt.Sprintf("Kelompok mencapai tahap %d", n), EN: fmt.Sprintf("Groups at stage %d", n)},
			Kind:  StockKind,
			stage: n, Actual: stageActual(n)})
	}
	list = append(list,
		Indicator{Code: "kelompok_terbentuk", Name: Message{ID: "Kelompok terbentuk", EN: "Groups formed"}, Kind: StockKind,
			stage: 4, Actual: Message{ID: "sama dengan kelompok_tahap_4", EN: "the same as kelompok_tahap_4"}},
		Indicator{Code: "anggota", Name: Message{ID: "Anggota kelompok", EN: "Group members"}, Kind: StockKind, members: true,
			Actual: Message{
				ID: "jumlah, atas semua kelompok, Jumlah Anggota terakhir yang dilaporkan pada atau sebelum hari terakhir periode",
				EN: "over the groups, the latest Jumlah Anggota reported on or before the period's last day"}})
	for i, code := range ProblemCodes {
		list = append(list, Indicator{Code: "masalah_" + code,
			Name: Message{
				ID: fmt.Sprintf("Persentase melaporkan masalah %s (%s)", code, ProblemLabels[i]),
				EN: fmt.Sprintf("Share reporting problem %s (%s)", code, problemNamesEN[i])},
			Kind: ShareKind, problem: i + 1,
			Actual: Message{
				ID: "Ya / (Ya + Tidak) di antara responden yang disurvei dalam periode; makin rendah makin baik",
				EN: "Ya / (Ya + Tidak) among the respondents surveyed in the period; lower is better"}})
	}
	return list
}

// problemNamesEN are the nine problems in English, in the order of ProblemCodes.
var problemNamesEN = [9]string{"no written contract", "not recognised as workers", "no legal protection",
	"no health insurance", "no old-age security", "own work tools", "no bargaining power",
	"wage below the minimum", "employer unknown"}

// IndicatorByCode finds an indicator by its code, case-insensitively.
func IndicatorByCode(code string) (Indicator, bool) {
	for _, in := range Indicators {
		if strings.EqualFold(in.Code, code) {
			return in, true
		}
	}
	return Indicator{}, false
}

// KindName is the indicator kind in words.
func (k IndicatorKind) KindName() Message {
	switch k {
	case FlowKind:
		return Message{ID: "arus (dihitung dalam periode)", EN: "flow (counted within the period)"}
	case StockKind:
		return Message{ID: "stok (posisi pada akhir periode)", EN: "stock (the level at the period's end)"}
	}
	return Message{ID: "persentase, makin rendah makin baik", EN: "share, lower is better"}
}
