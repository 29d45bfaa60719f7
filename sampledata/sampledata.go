// Package sampledata generates the sample workbooks of pantau: the participant
// list of the 2014 Training of Trainers (peserta.xlsx), a synthetic field
// survey (survei.xlsx) and the program's targets for it (target.xlsx), all in
// the input format of /work/shared/WORKBOOKS.md.
//
// The output is deterministic: the same options give byte-identical files, so
// the committed samples can be checked against the generator.
package sampledata

import (
	"io"
	"time"

	"github.com/xuri/excelize/v2"
)

// Facilitator is a field facilitator (fasilitator lapang) of the participant list.
type Facilitator struct {
	Name   string
	Region string // "Kab. X" or "Kota X"
	Gender string // "P" or "L"
}

// Region is a program region with its minimum wage (UMK) for a year.
type Region struct {
	Name     string // "Kab. X" or "Kota X"
	Province string
	Year     int
	UMK      int // rupiah per month
}

// The source names only one field facilitator; the others get placeholder
// names that nobody could mistake for real people.
var facilitators = []Facilitator{
	{"Faslap Kota Malang 1", "Kota Malang", "P"},
	{"Faslap Kota Malang 2", "Kota Malang", "P"},
	{"Faslap Kab. Malang 1", "Kab. Malang", "P"},
	{"Faslap Kab. Malang 2", "Kab. Malang", "P"},
	{"Faslap Kota Batu 1", "Kota Batu", "P"},
	{"Faslap Kota Surabaya 1", "Kota Surabaya", "P"},
	{"Faslap Kota Surabaya 2", "Kota Surabaya", "P"},
	{"Faslap Kab. Sidoarjo 1", "Kab. Sidoarjo", "L"},
	{"Faslap Kota Mojokerto 1", "Kota Mojokerto", "P"},
	{"Cahyono Agus Rifa'i", "Kab. Mojokerto", "L"},
	{"Faslap Kab. Probolinggo 1", "Kab. Probolinggo", "P"},
	{"Faslap Kab. Probolinggo 2", "Kab. Probolinggo", "P"},
	{"Faslap Kab. Jember 1", "Kab. Jember", "P"},
	{"Faslap Kab. Jember 2", "Kab. Jember", "L"},
}

// 2014 UMK from Pergub Jatim 78/2013, in the order of the facilitator list.
var regions2014 = []Region{
	{"Kota Malang", "Jawa Timur", 2014, 1587000},
	{"Kab. Malang", "Jawa Timur", 2014, 1635000},
	{"Kota Batu", "Jawa Timur", 2014, 1580037},
	{"Kota Surabaya", "Jawa Timur", 2014, 2200000},
	{"Kab. Sidoarjo", "Jawa Timur", 2014, 2190000},
	{"Kota Mojokerto", "Jawa Timur", 2014, 1250000},
	{"Kab. Mojokerto", "Jawa Timur", 2014, 2050000},
	{"Kab. Probolinggo", "Jawa Timur", 2014, 1353750},
	{"Kab. Jember", "Jawa Timur", 2014, 1270000},
}

// Facilitators returns the 14 field facilitators of the participant list.
func Facilitators() []Facilitator {
	return append([]Facilitator(nil), facilitators...)
}

// Regions2014 returns the nine program regions with their 2014 UMK.
func Regions2014() []Region {
	return append([]Region(nil), regions2014...)
}

// The staff of the program; the source does not state their gender or region.
var staff = []struct{ name, role string }{
	{"Cecilia Susiloretno", "Manager Program MAMPU"},
	{"Dardiri", "Vice Manager Program MAMPU"},
	{"Ali Maxoem", "Div. Data dan Informasi"},
	{"Sarno", "Div. Pengorganisasian dan Training"},
	{"Veronica Yuniar M", "Staff Keuangan Program MAMPU"},
	{"Taufan", "Staff Administrasi Program MAMPU"},
}

const (
	totTitle    = "Daftar Peserta Training of Trainers Organisasi dan Pengorganisasian, 11-13 September 2014, Kota Malang"
	totEvent    = "TOT Organisasi dan Pengorganisasian"
	totLocation = "Kota Malang"
	roleFaslap  = "Fasilitator Lapang"
)

var totDate = time.Date(2014, time.September, 11, 0, 0, 0, 0, time.UTC)

// WriteParticipants writes peserta.xlsx: the 2014 TOT participant list exactly
// as WORKBOOKS.md gives it. There is no ID Peserta column, so the key of a row
// is its name, role and region.
func WriteParticipants(w io.Writer) error {
	f := excelize.NewFile()
	defer f.Close()
	const sheet = "Peserta"
	if err := f.SetSheetName("Sheet1", sheet); err != nil {
		return err
	}
	st, err := newStyles(f)
	if err != nil {
		return err
	}
	header := []string{"Nama", "Jenis Kelamin", "Jabatan", "Wilayah", "Kegiatan", "Tanggal Kegiatan", "Lokasi"}
	widths := []float64{26, 14, 36, 18, 36, 17, 14}
	for i, wd := range widths {
		col, _ := excelize.ColumnNumberToName(i + 1)
		if err := f.SetColWidth(sheet, col, col, wd); err != nil {
			return err
		}
	}
	last, _ := excelize.ColumnNumberToName(len(header))

	// Row 1: merged title; row 2 blank; row 3 header.
	steps := []func() error{
		func() error { return f.SetCellValue(sheet, "A1", totTitle) },
		func() error { return f.MergeCell(sheet, "A1", last+"1") },
		func() error { return f.SetCellStyle(sheet, "A1", last+"1", st.title) },
		func() error { return f.SetRowHeight(sheet, 1, 22) },
		func() error { return f.SetSheetRow(sheet, "A3", &header) },
		func() error { return f.SetCellStyle(sheet, "A3", last+"3", st.header) },
	}
	for _, step := range steps {
		if err := step(); err != nil {
			return err
		}
	}

	var rows [][]any
	for _, s := range staff {
		rows = append(rows, []any{s.name, nil, s.role, nil, totEvent, totDate, totLocation})
	}
	for _, fc := range facilitators {
		rows = append(rows, []any{fc.Name, fc.Gender, roleFaslap, fc.Region, totEvent, totDate, totLocation})
	}
	for i, row := range rows {
		r := 4 + i
		cell, _ := excelize.CoordinatesToCellName(1, r)
		if err := f.SetSheetRow(sheet, cell, &row); err != nil {
			return err
		}
		date, _ := excelize.CoordinatesToCellName(6, r)
		if err := f.SetCellStyle(sheet, date, date, st.date); err != nil {
			return err
		}
	}
	if err := f.SetPanes(sheet, freezeRows(3)); err != nil {
		return err
	}
	if err := setDocProps(f, "Daftar Peserta TOT 2014"); err != nil {
		return err
	}
	return writeWorkbook(f, w)
}
