package ingest_test

// The Target sheet: every form of its cells, its errors, and that it is
// stored, updated and undone like every other sheet.

import (
	"slices"
	"strings"
	"testing"

	"pantau/ingest"
)

var targetHeader = []any{"Indikator", "Wilayah", "Periode", "Target", "Catatan"}

func targetBook(t *testing.T, sheet string, data ...[]any) []byte {
	return book(t, map[string][][]any{sheet: rows(targetHeader, data...)})
}

const targetColumns = "indicator,region,period,start_date,end_date,target,note"

func (e *env) targets() []string {
	e.t.Helper()
	return e.rows("targets", strings.Split(targetColumns, ",")...)
}

func TestTargetSheetStored(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	r := e.commit("target.xlsx", targetBook(t, "Sasaran", // an alias
		[]any{"responden", "Kab. Jember", "2014-Q4", 120, "dari rencana kerja"},
		[]any{"Respondents surveyed", nil, "2015", "1.250"}, // by English name; program-wide
		[]any{"Kelompok terbentuk", "jember", "Semester I 2015", 10},
		[]any{"KELOMPOK_TAHAP_6", "Kota Surabaya", "TW IV 2014", 0},
		[]any{"anggota", "Kab. Malang", "Oktober 2014", "12,5"},
		[]any{"masalah_h", "Kab. Jember", "Q1 2015", "80%"},
		[]any{"Masalah H", "Kab. Malang", "Q1 2015", 80},
		[]any{"masalah_h", "Kota Batu", "Q1 2015", "0,8"},
		[]any{"masalah_h", nil, "Q1 2015", 0.75},
		[]any{"masalah_a", nil, "2015-H2", 1}, // a number <= 1 is a fraction: 100%
	))
	equalList(t, "counts", counts(r), []string{"targets:10/0/0"})
	equalList(t, "targets", e.targets(), []string{
		"anggota|Kab. Malang|2014-10|2014-10-01|2014-10-31|12.5|NULL",
		"kelompok_tahap_6|Kota Surabaya|2014-Q4|2014-10-01|2014-12-31|0|NULL",
		"kelompok_terbentuk|Kab. Jember|2015-H1|2015-01-01|2015-06-30|10|NULL",
		"masalah_a|NULL|2015-H2|2015-07-01|2015-12-31|1|NULL",
		"masalah_h|Kab. Jember|2015-Q1|2015-01-01|2015-03-31|0.8|NULL",
		"masalah_h|Kab. Malang|2015-Q1|2015-01-01|2015-03-31|0.8|NULL",
		"masalah_h|Kota Batu|2015-Q1|2015-01-01|2015-03-31|0.8|NULL",
		"masalah_h|NULL|2015-Q1|2015-01-01|2015-03-31|0.75|NULL",
		"responden|Kab. Jember|2014-Q4|2014-10-01|2014-12-31|120|dari rencana kerja",
		"responden|NULL|2015|2015-01-01|2015-12-31|1250|NULL",
	})
	// A Target sheet may sit in a survey workbook.
	both := book(t, map[string][][]any{
		"Responden": rows(respHeader, resp("R1", "Kab. Jember")),
		"Target":    rows(targetHeader, []any{"responden", "Kab. Jember", "2014-09", 5}),
	})
	r = e.commit("survei.xlsx", both)
	equalList(t, "counts", counts(r), []string{"respondents:1/0/0", "targets:1/0/0"})
}

func TestTargetSheetErrors(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	r := e.refused("bad.xlsx", targetBook(t, "Target",
		[]any{"respondn", "Kab. Jember", "2014-Q4", 120},         // row 2
		[]any{"responden", "Kab. Jember", "2014-Q5", 120},        // 3
		[]any{"responden", "Kab. Jember", "Triwulan V", 120},     // 4
		[]any{"responden", "Kab. Jember", "13/2014", 120},        // 5
		[]any{"responden", "Kab. Jembr", "2014-10", 120},         // 6
		[]any{"responden", "Kab. Jember", "2014-11", "80%"},      // 7: a count as a percentage
		[]any{"masalah_h", "Kab. Jember", "2014-11", 120},        // 8: over 100%
		[]any{"responden", "Kab. Jember", "2014-12", -3},         // 9
		[]any{"responden", "Kab. Jember", nil, 5},                // 10
		[]any{"responden", "Kab. Jember", "Oktober 2014", 10},    // 11
		[]any{"Responden disurvei", "jember", "2014-10", 12},     // 12: the key of row 11
		[]any{"responden", nil, "2014-10", 30},                   // 13: program-wide: another key
		[]any{"kelompok_terbentuk", "Kab. Jember", "2015", "10"}, // 14: fine
	))
	want := map[string]string{
		"A2":  `Indikator "respondn" tidak dikenal; maksud Anda "responden"`,
		"C3":  `Periode "2014-Q5" tidak ada triwulan 5: triwulan 1–4 (I–IV); contoh: 2014-Q4`,
		"C4":  `Periode "Triwulan V" tidak ada triwulan V`,
		"C5":  `Periode "13/2014" tidak ada bulan 13`,
		"B6":  `Wilayah "Kab. Jembr" tidak dikenal; maksud Anda "Kab. Jember"?`,
		"D7":  `Target "80%" adalah persentase, tetapi responden dihitung dalam jumlah`,
		"D8":  `Target "120" terlalu besar untuk persentase (masalah_h)`,
		"D9":  `Target "-3" tidak boleh negatif`,
		"C10": `Periode wajib diisi`,
		"A12": `kunci baris ini sama dengan baris 11 (Target!A11)`,
	}
	var got []string
	for _, p := range r.Problems {
		got = append(got, p.Cell+": "+p.Message)
	}
	for cell, msg := range want {
		if p, ok := problemAt(r, "Target", cell); !ok || !strings.Contains(p.Message, msg) {
			t.Errorf("%s: want %q, got %+v", cell, msg, p)
		}
	}
	if r.ErrorCount != len(want) {
		t.Errorf("%d errors, want %d:\n%s", r.ErrorCount, len(want), strings.Join(got, "\n"))
	}
	equal(t, "targets stored", e.count("targets"), 0)
	// English too.
	r.Localize("en")
	if p, _ := problemAt(r, "Target", "C3"); !strings.Contains(p.Message, `Periode "2014-Q5" has no quarter 5`) {
		t.Errorf("English: %q", p.Message)
	}
}

// Targets are updated by a later file, a dry run counts without storing, the
// same file again changes nothing, and an undo restores the previous
// targets exactly.
func TestTargetUpdatesAndUndo(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	first := targetBook(t, "Target",
		[]any{"responden", "Kab. Jember", "2014-Q4", 120},
		[]any{"responden", nil, "2014-Q4", 500, "seluruh program"},
		[]any{"masalah_h", "Kab. Jember", "2014-Q4", "60%"})
	a := e.commit("target 1.xlsx", first)
	s1 := e.snapshot()
	before := e.targets()

	second := targetBook(t, "Plan",
		[]any{"Responden", "jember", "Q4 2014", 150},                      // updated
		[]any{"responden", nil, "2014-Q4", 500, "seluruh program"},        // unchanged
		[]any{"masalah_h", "Kab. Jember", "2014-Q4", 0.6},                 // unchanged: 60% again
		[]any{"kelompok_terbentuk", "Kab. Jember", "Semester I 2015", 12}) // new
	dry := e.upload("target 2.xlsx", second, ingest.Options{DryRun: true})
	equalList(t, "dry-run counts", counts(dry), []string{"targets:1/1/2"})
	equalList(t, "after the dry run", e.targets(), before)

	b := e.commit("target 2.xlsx", second)
	equalList(t, "counts", counts(b), []string{"targets:1/1/2"})
	equalList(t, "targets", e.targets(), []string{
		"kelompok_terbentuk|Kab. Jember|2015-H1|2015-01-01|2015-06-30|12|NULL",
		"masalah_h|Kab. Jember|2014-Q4|2014-10-01|2014-12-31|0.6|NULL",
		"responden|Kab. Jember|2014-Q4|2014-10-01|2014-12-31|150|NULL",
		"responden|NULL|2014-Q4|2014-10-01|2014-12-31|500|seluruh program",
	})
	s2 := e.snapshot()

	again := e.upload("lagi.xlsx", second, ingest.Options{})
	if !again.OK || again.ImportID != nil || again.IdenticalTo != *b.ImportID {
		t.Errorf("identical file: ImportID=%v IdenticalTo=%d", again.ImportID, again.IdenticalTo)
	}
	equalSnapshot(t, "after the identical file", e.snapshot(), s2)

	if err := e.db.Undo(e.ctx, *b.ImportID, "tester"); err != nil {
		t.Fatal(err)
	}
	equalSnapshot(t, "after undoing the second file", e.snapshot(), s1)
	equalList(t, "targets after undo", e.targets(), before)
	history(t, e, "undone", "target 2.xlsx:undone", "target 1.xlsx:committed")

	if err := e.db.Undo(e.ctx, *a.ImportID, "tester"); err != nil {
		t.Fatal(err)
	}
	equal(t, "targets after undoing both", e.count("targets"), 0)
	if !slices.Equal(e.rows("target_versions", "indicator"), []string{"kelompok_terbentuk", "masalah_h", "masalah_h", "responden", "responden", "responden", "responden"}) {
		t.Errorf("versions kept: %q", e.rows("target_versions", "indicator"))
	}
}

// A region added by a Wilayah sheet cannot be undone while a later import's
// target uses it.
func TestTargetKeepsAddedRegion(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	w := e.commit("wilayah.xlsx", book(t, map[string][][]any{"Wilayah": rows(wilayahHeader, []any{"Kab. Wanareja", "Jawa Timur", 2014, 2242240})}))
	e.commit("target.xlsx", targetBook(t, "Target", []any{"responden", "Kab. Wanareja", "2014", 10}))
	err := e.db.Undo(e.ctx, *w.ImportID, "tester")
	if err == nil || !strings.Contains(err.Error(), `"Kab. Wanareja"`) {
		t.Errorf("undo of the region's import: %v, want a refusal naming Kab. Wanareja", err)
	}
}
