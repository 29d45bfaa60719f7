package sampledata

import (
	"io"
	"math"
	"strconv"

	"github.com/xuri/excelize/v2"
)

// targetHeader is the Target sheet's canonical columns (WORKBOOKS.md,
// "Targets workbook").
var targetHeader = []string{"Indikator", "Wilayah", "Periode", "Target", "Catatan"}

// targetPeriods are the quarters of the sample survey.
var targetPeriods = []string{"2014-Q4", "2015-Q1", "2015-Q2", "2015-Q3", "2015-Q4"}

// targetPlan is the program's plan for one indicator: a target per
// quarter, per field facilitator of a region (counts) or for every region
// (shares), with the note a planner would write beside it.
type targetPlan struct {
	indicator string // a code of the indicator catalogue
	perFaslap bool   // the target is per[q] times the region's facilitators
	share     bool   // a fraction 0..1, lower is better
	per       [5]float64
	note      string
}

// The plan is what the program set out to do before the survey began, so it
// does not follow the survey's numbers: against the sample survey some
// regions meet it, some come near and some fall behind (as of any day after
// 2015). Respondents are a flow per quarter; groups formed and members are
// cumulative stocks at each quarter's end; the share of wages below the UMK
// (problem h) is to come down.
var targetPlans = []targetPlan{
	{indicator: "responden", perFaslap: true, per: [5]float64{25, 30, 30, 30, 30},
		note: "30 responden per fasilitator lapang per triwulan (triwulan pertama: 25)"},
	{indicator: "kelompok_terbentuk", perFaslap: true, per: [5]float64{0.5, 1, 1.5, 2.5, 3},
		note: "kumulatif: kelompok terbentuk (tahap 4) pada akhir triwulan"},
	{indicator: "anggota", perFaslap: true, per: [5]float64{5, 20, 40, 60, 80},
		note: "kumulatif: anggota kelompok pada akhir triwulan"},
	{indicator: "masalah_h", share: true, per: [5]float64{0.85, 0.83, 0.80, 0.78, 0.75},
		note: "turunkan persentase upah di bawah UMK"},
}

// WriteTargets writes target.xlsx: the program's targets for the nine
// regions of the sample survey, quarterly from 2014-Q4 to 2015-Q4, for
// respondents surveyed, groups formed, group members and the share of
// wages below the UMK. Deterministic; it does not depend on the survey's size.
func WriteTargets(w io.Writer) error {
	f := excelize.NewFile()
	defer f.Close()
	const sheet = "Target"
	if err := f.SetSheetName("Sheet1", sheet); err != nil {
		return err
	}
	st, err := newStyles(f)
	if err != nil {
		return err
	}
	percent, err := f.NewStyle(&excelize.Style{NumFmt: 9}) // 0%
	if err != nil {
		return err
	}
	for i, wd := range []float64{22, 18, 10, 10, 60} {
		col, _ := excelize.ColumnNumberToName(i + 1)
		if err := f.SetColWidth(sheet, col, col, wd); err != nil {
			return err
		}
	}
	if err := f.SetSheetRow(sheet, "A1", &targetHeader); err != nil {
		return err
	}
	if err := f.SetCellStyle(sheet, "A1", "E1", st.header); err != nil {
		return err
	}
	faslap := map[string]int{}
	for _, fc := range facilitators {
		faslap[fc.Region]++
	}
	r := 1
	for _, p := range targetPlans {
		for _, rg := range regions2014 {
			for q, period := range targetPeriods {
				r++
				var value any
				switch {
				case p.share:
					value = p.per[q]
				case p.perFaslap:
					value = int(math.Ceil(p.per[q] * float64(faslap[rg.Name])))
				}
				row := []any{p.indicator, rg.Name, period, value, p.note}
				if err := f.SetSheetRow(sheet, "A"+strconv.Itoa(r), &row); err != nil {
					return err
				}
				if p.share {
					cell := "D" + strconv.Itoa(r)
					if err := f.SetCellStyle(sheet, cell, cell, percent); err != nil {
						return err
					}
				}
			}
		}
	}
	if err := f.SetPanes(sheet, freezeRows(1)); err != nil {
		return err
	}
	if err := setDocProps(f, "Target Program (contoh)"); err != nil {
		return err
	}
	return writeWorkbook(f, w)
}
