package ingest_test

// Re-uploads, dry runs, the import history and undo: an undo restores
// exactly the state before the import, in all four current tables.

import (
	"fmt"
	"maps"
	"slices"
	"strings"
	"testing"

	"pantau/ingest"
	"pantau/queries"
)

var (
	fullRespHeader = []any{"ID Responden", "Tanggal Survei", "Wilayah", "Kecamatan", "Fasilitator", "Jenis Kelamin", "Umur",
		"Jenis Pekerjaan", "Upah per Bulan", "Tanpa Kontrak Tertulis", "Upah di Bawah UMR"}
	groupHeader   = []any{"Kode Kelompok", "Nama Kelompok", "Wilayah", "Fasilitator", "Tahap", "Tanggal", "Jumlah Anggota"}
	wilayahHeader = []any{"Wilayah", "Provinsi", "Tahun", "UMK"}
	fullPeserta   = []any{"Nama", "Jenis Kelamin", "Jabatan", "Wilayah", "Kegiatan", "Tanggal Kegiatan"}
)

// The files of a small history: A the participants, B a survey, C B's next
// version, which changes some rows, adds some and leaves the others.
func fileA(t *testing.T) []byte {
	return book(t, map[string][][]any{"Peserta": rows(fullPeserta,
		[]any{"Ani", "P", "Faslap", "Kab. Jember", "ToT", "11/09/2014"},
		[]any{"Budi", "L", "Staff", nil, "ToT", "11/09/2014"})})
}

func fileB(t *testing.T) []byte {
	return book(t, map[string][][]any{
		"Responden": rows(fullRespHeader,
			[]any{"R1", "01/10/2014", "Kab. Jember", "Sumbersari", "Ani", "P", 30, "POS", 600000, "Ya", "Ya"},
			[]any{"R2", "02/10/2014", "Kab. Jember", "Patrang", "Ani", "P", 41, "SE", 800000, "Tidak", nil},
			[]any{"R3", "03/10/2014", "Kab. Wanareja", nil, nil, nil, nil, "POS", nil, "Ya", "Tidak"},
			[]any{"R4", "04/10/2014", "Kota Batu", "Junrejo", "Ani", "L", 25, "POS", "Rp 1.000.000", nil, "Ya"},
			[]any{"R5", "05/10/2014", "Kota Batu", "Bumiaji", "Ani", "P", 52, "SE", 0, "Tidak", "Tidak"}),
		"Kelompok": rows(groupHeader,
			[]any{"G1", "Mawar", "Kab. Jember", "Ani", 1, "01/10/2014", nil},
			[]any{"G1", "Mawar", "Kab. Jember", "Ani", 2, "15/10/2014", 8}),
		"Wilayah": rows(wilayahHeader,
			[]any{"Kab. Wanareja", "Jawa Timur", 2014, 2242240},
			[]any{"Kota Batu", nil, 2014, 1580037}),
	})
}

func fileC(t *testing.T) []byte {
	return book(t, map[string][][]any{
		"Responden": rows(fullRespHeader,
			[]any{"R1", "01/10/2014", "Kab. Jember", "Sumbersari", "Ani", "P", 30, "POS", 600000, "Ya", "Ya"},                 // unchanged
			[]any{"R2", "02/10/2014", "Kab. Jember", "Patrang", "Ani", "P", 41, "SE", 850000, "Tidak", nil},                   // wage
			[]any{"R3", "03/10/2014", "Kab. Wanareja", nil, nil, nil, nil, "POS", nil, nil, "Tidak"},                          // Ya → blank
			[]any{" r5 ", "5 Oktober 2014", "kota batu", "Bumiaji", "ani", "Perempuan", "52", "Self-Employed", "0", "T", "N"}, // R5 respelled: id
			[]any{"R6", "06/10/2014", "Kab. Jember", "Kaliwates", "Citra", "P", 35, "POS", 700000, "Ya", "Ya"}),               // new
		"Kelompok": rows(groupHeader,
			[]any{"G1", "Mawar", "Kab. Jember", "Ani", 1, "01/10/2014", nil}, // unchanged
			[]any{"G1", "Mawar", "Kab. Jember", "Ani", 2, "15/10/2014", 10},  // members
			[]any{"G1", "Mawar", "Kab. Jember", "Ani", 3, "01/11/2014", 10}), // new
		"Wilayah": rows(wilayahHeader,
			[]any{"Kab. Wanareja", "Jawa Timur", 2014, 2242240}, // unchanged
			[]any{"Kota Batu", nil, 2014, 1600000}),             // UMK
		"Peserta": rows(fullPeserta,
			[]any{"Ani", "P", "Faslap", "Kab. Jember", "ToT 2", "11/09/2014"}, // training
			[]any{"Citra", "P", "Faslap", "Kab. Jember", "ToT 2", "12/09/2014"}),
	})
}

// counts renders a report's sheets as kind:new/updated/unchanged, sorted.
func counts(r *ingest.Report) []string {
	var out []string
	for _, s := range r.Sheets {
		out = append(out, fmt.Sprintf("%s:%d/%d/%d", s.Kind, s.New, s.Updated, s.Unchanged))
	}
	slices.Sort(out)
	return out
}

var wantCountsC = []string{"group_stages:1/1/1", "participants:1/1/0", "regions:0/1/1", "respondents:1/3/1"}

func equalSnapshot(t *testing.T, what string, got, want map[string][]string) {
	t.Helper()
	for _, name := range currentTables {
		if !slices.Equal(got[name], want[name]) {
			t.Errorf("%s: table %s differs\n got  %q\n want %q", what, name, got[name], want[name])
		}
	}
}

func TestDryRun(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.commit("a.xlsx", fileA(t))
	e.commit("b.xlsx", fileB(t))
	before, files := e.snapshot(), e.dataFiles()

	dry := e.upload("c.xlsx", fileC(t), ingest.Options{DryRun: true})
	if !dry.OK || !dry.DryRun || dry.ImportID != nil || dry.IdenticalTo != 0 {
		t.Fatalf("dry run: OK=%v DryRun=%v ImportID=%v IdenticalTo=%d\n%s", dry.OK, dry.DryRun, dry.ImportID, dry.IdenticalTo, problems(dry))
	}
	equalList(t, "dry-run counts", counts(dry), wantCountsC)
	equalSnapshot(t, "after the dry run", e.snapshot(), before)
	equal(t, "imports", e.count("imports"), 2)
	equalList(t, "data folder", e.dataFiles(), files)

	// A dry run of a refused file reports its problems and stores nothing either.
	bad := e.upload("bad.xlsx", book(t, map[string][][]any{"Responden": rows(respHeader, resp("R9", "Kab. Malng"))}), ingest.Options{DryRun: true})
	if bad.OK || bad.ErrorCount != 1 || bad.ImportID != nil {
		t.Errorf("dry run of a bad file\n%s", problems(bad))
	}

	// The commit does what the dry run said.
	c := e.commit("c.xlsx", fileC(t))
	equalList(t, "commit counts", counts(c), wantCountsC)
	for i := range c.Sheets {
		equal(t, c.Sheets[i].Sheet+" rows", c.Sheets[i].Rows, dry.Sheets[i].Rows)
	}
}

func TestReupload(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.commit("a.xlsx", fileA(t))
	b := e.commit("b.xlsx", fileB(t))
	equalList(t, "B counts", counts(b), []string{"group_stages:2/0/0", "regions:2/0/0", "respondents:5/0/0"})
	c := e.commit("c.xlsx", fileC(t))
	equalList(t, "C counts", counts(c), wantCountsC)

	// The current tables hold C's values, and B's rows C left out.
	equalList(t, "respondents", e.rowsBy("respondents", []string{"key"}, "respondent_id", "survey_date", "region", "district", "facilitator", "gender", "age", "work_type", "monthly_wage", "p_a", "p_h"), []string{
		"R1|2014-10-01|Kab. Jember|Sumbersari|Ani|P|30|POS|600000|true|true",
		"R2|2014-10-02|Kab. Jember|Patrang|Ani|P|41|SE|850000|false|NULL",
		"R3|2014-10-03|Kab. Wanareja|NULL|NULL|NULL|NULL|POS|NULL|NULL|false",
		"R4|2014-10-04|Kota Batu|Junrejo|Ani|L|25|POS|1000000|NULL|true",
		"r5|2014-10-05|Kota Batu|Bumiaji|ani|P|52|SE|0|false|false",
		"R6|2014-10-06|Kab. Jember|Kaliwates|Citra|P|35|POS|700000|true|true",
	})
	equalList(t, "group stages", e.rowsBy("group_stages", []string{"stage"}, "group_code", "stage", "reached_on", "members"), []string{
		"G1|1|2014-10-01|NULL", "G1|2|2014-10-15|10", "G1|3|2014-11-01|10"})
	equalList(t, "regions", e.rows("regions", "region", "province", "year", "umk"), []string{
		"Kab. Wanareja|Jawa Timur|2014|2242240", "Kota Batu|Jawa Timur|2014|1600000"})
	equalList(t, "participants", e.rows("participants", "name", "training", "training_date"), []string{
		"Ani|ToT 2|2014-09-11", "Budi|ToT|2014-09-11", "Citra|ToT 2|2014-09-12"})

	// The same bytes again, under any name: nothing changes, and the report says so.
	before := e.snapshot()
	for _, name := range []string{"c.xlsx", "salinan c.xlsx"} {
		for _, dry := range []bool{false, true} {
			r := e.upload(name, fileC(t), ingest.Options{DryRun: dry})
			if !r.OK || r.ImportID != nil || r.IdenticalTo != *c.ImportID {
				t.Errorf("%s (dry %v): want IdenticalTo %d and no import, got OK=%v ImportID=%v IdenticalTo=%d", name, dry, *c.ImportID, r.OK, r.ImportID, r.IdenticalTo)
			}
		}
	}
	equal(t, "imports", e.count("imports"), 3)
	equalSnapshot(t, "after the identical uploads", e.snapshot(), before)
	equal(t, "files kept", len(e.dataFiles()), 3)

	// A file with the same rows but other bytes is a new import that changes nothing.
	same := book(t, map[string][][]any{"Wilayah": rows(wilayahHeader, []any{"Kab. Wanareja", "Jawa Timur", 2014, "Rp 2.242.240"})})
	r := e.commit("wanareja.xlsx", same)
	equalList(t, "unchanged counts", counts(r), []string{"regions:0/0/1"})
	equalSnapshot(t, "after an unchanged import", e.snapshot(), before)
}

func TestUndo(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	s0 := e.snapshot()
	a := e.commit("a.xlsx", fileA(t))
	s1 := e.snapshot()
	b := e.commit("b.xlsx", fileB(t))
	s2 := e.snapshot()
	c := e.commit("c.xlsx", fileC(t))
	s3 := e.snapshot()
	for i, pair := range [][2]map[string][]string{{s0, s1}, {s1, s2}, {s2, s3}} {
		if equalSnapshots(pair[0], pair[1]) {
			t.Fatalf("the state after import %d is the state before it", i+1)
		}
	}

	// Undoing C, which updated rows, restores B's state exactly.
	if err := e.db.Undo(e.ctx, *c.ImportID, "tester"); err != nil {
		t.Fatal(err)
	}
	equalSnapshot(t, "after undoing C", e.snapshot(), s2)
	history(t, e, "undone C", "c.xlsx:undone", "b.xlsx:committed", "a.xlsx:committed")

	// An undone file can be uploaded again: a new import.
	d := e.commit("c lagi.xlsx", fileC(t))
	equalList(t, "D counts", counts(d), wantCountsC)
	equalSnapshot(t, "after D", e.snapshot(), s3)

	// B and A cannot be undone while D, which changed their rows, is committed.
	for _, im := range []*ingest.Report{b, a} {
		err := e.db.Undo(e.ctx, *im.ImportID, "tester")
		if err == nil {
			t.Fatalf("undo %d under D: want a refusal", *im.ImportID)
		}
		if queries.ErrorCode(err) != queries.ECONFLICT || !strings.Contains(err.Error(), fmt.Sprintf("later import %d ", *d.ImportID)) {
			t.Errorf("undo %d: want a conflict naming import %d, got %v (%s)", *im.ImportID, *d.ImportID, err, queries.ErrorCode(err))
		}
	}
	equalSnapshot(t, "after the refused undos", e.snapshot(), s3)
	history(t, e, "refused undos", "c lagi.xlsx:committed", "c.xlsx:undone", "b.xlsx:committed", "a.xlsx:committed")

	versions := map[string]int{}
	for _, v := range []string{"participant_versions", "respondent_versions", "group_stage_versions", "region_versions"} {
		versions[v] = e.count(v)
	}

	// Undone in order, every state comes back, down to the empty one.
	steps := []struct {
		id   int64
		want map[string][]string
	}{{*d.ImportID, s2}, {*b.ImportID, s1}, {*a.ImportID, s0}}
	for _, st := range steps {
		if err := e.db.Undo(e.ctx, st.id, "tester"); err != nil {
			t.Fatalf("undo %d: %v", st.id, err)
		}
		equalSnapshot(t, fmt.Sprintf("after undoing %d", st.id), e.snapshot(), st.want)
	}
	for _, name := range currentTables {
		equal(t, name+" rows", e.count(name), 0)
	}
	history(t, e, "all undone", "c lagi.xlsx:undone", "c.xlsx:undone", "b.xlsx:undone", "a.xlsx:undone")

	// Nothing is lost: the versions and the files are kept.
	for v, n := range versions {
		equal(t, v, e.count(v), n)
	}
	equal(t, "files kept", len(e.dataFiles()), 3)

	// Twice, or an import that does not exist, is an error.
	if err := e.db.Undo(e.ctx, *a.ImportID, "tester"); queries.ErrorCode(err) != queries.ECONFLICT {
		t.Errorf("undo twice: %v", err)
	}
	if err := e.db.Undo(e.ctx, 999, "tester"); queries.ErrorCode(err) != queries.ENOTFOUND {
		t.Errorf("undo 999: %v", err)
	}
}

func equalSnapshots(a, b map[string][]string) bool {
	return maps.EqualFunc(a, b, func(x, y []string) bool { return slices.Equal(x, y) })
}

// history checks the import history, newest first, as file:status.
func history(t *testing.T, e *env, what string, want ...string) {
	t.Helper()
	list, err := e.db.Imports(e.ctx)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, im := range list {
		got = append(got, im.FileName+":"+im.Status)
		if im.Status == "undone" && (im.UndoneAt == nil || im.UndoneBy != "tester") {
			t.Errorf("%s: import %d undone without when and by whom: %+v", what, im.ID, im)
		}
		if im.Status == "committed" && im.UndoneAt != nil {
			t.Errorf("%s: committed import %d has undone_at", what, im.ID)
		}
	}
	equalList(t, what, got, want)
}

func TestUndoOnlyImport(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	b := e.commit("b.xlsx", fileB(t))
	if err := e.db.Undo(e.ctx, *b.ImportID, "tester"); err != nil {
		t.Fatal(err)
	}
	for _, name := range currentTables {
		equal(t, name+" rows", e.count(name), 0)
	}
	history(t, e, "history", "b.xlsx:undone")

	// The regions its Wilayah sheet added are gone with it.
	r := e.refused("wanareja.xlsx", book(t, map[string][][]any{"Responden": rows(respHeader, resp("R9", "Kab. Wanareja"))}))
	if p, ok := problemAt(r, "Responden", "C2"); !ok || !strings.HasPrefix(p.Message, `Wilayah "Kab. Wanareja" tidak dikenal`) {
		t.Errorf("want Kab. Wanareja unknown after the undo\n%s", problems(r))
	}
	// The same file can be committed again.
	e.commit("b.xlsx", fileB(t))
	equal(t, "respondents", e.count("respondents"), 5)
}

func TestImportHistory(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	a := e.commit("a.xlsx", fileA(t))
	b := e.commit("b.xlsx", fileB(t))
	list, err := e.db.Imports(e.ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(list) != 2 {
		t.Fatalf("history has %d imports, want 2", len(list))
	}
	for i, r := range []*ingest.Report{b, a} {
		im := list[i]
		equal(t, "id", im.ID, *r.ImportID)
		equal(t, "file", im.FileName, r.File)
		equal(t, "sha256", im.SHA256, r.SHA256)
		equal(t, "size", im.Size, r.Size)
		equal(t, "by", im.By, "test")
		equal(t, "status", im.Status, "committed")
		if im.At.IsZero() {
			t.Errorf("import %d has no time", im.ID)
		}
		var want []queries.SheetCounts
		for _, s := range r.Sheets {
			want = append(want, s.SheetCounts)
		}
		if !slices.Equal(im.Sheets, want) {
			t.Errorf("import %d sheets:\n got  %+v\n want %+v", im.ID, im.Sheets, want)
		}
	}
}

// An undo must not lose rows a later committed import still holds: a later
// import that re-sent a row unchanged stores no version of it, yet its file
// has the row. Undoing the earlier import either keeps the row or is refused.
func TestUndoKeepsRowsOfLaterImports(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	first := e.commit("bulan1.xlsx", book(t, map[string][][]any{"Responden": rows(respHeader, resp("R1", "Kab. Jember"))}))
	second := e.commit("bulan2.xlsx", book(t, map[string][][]any{"Responden": rows(respHeader, resp("R1", "Kab. Jember"), resp("R2", "Kab. Jember"))}))
	equalList(t, "second", counts(second), []string{"respondents:1/0/1"})
	err := e.db.Undo(e.ctx, *first.ImportID, "tester")
	got := e.rows("respondents", "respondent_id")
	switch {
	case err != nil && strings.Contains(err.Error(), fmt.Sprint(*second.ImportID)):
		// refused, naming the later import: fine
	case err == nil && slices.Equal(got, []string{"R1", "R2"}):
		// kept: fine
	default:
		t.Errorf("undo of the first import: err %v, respondents now %q; the committed second file holds R1 and R2", err, got)
	}
}

// Undoing the import that added a region is refused while rows of a later
// import use that region: they would be left with a region pantau no longer knows.
func TestUndoRefusedWhenAddedRegionInUse(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	regions := e.commit("wilayah.xlsx", book(t, map[string][][]any{
		"Wilayah": rows([]any{"Wilayah", "Provinsi", "Tahun", "UMK"}, []any{"Kab. Wanareja", "Jawa Timur", 2014, 2242240}, []any{"Kab. Jember", nil, 2014, 1270000}),
	}))
	survey := e.commit("survei.xlsx", book(t, map[string][][]any{"Responden": rows(respHeader, resp("R1", "Kab. Wanareja"), resp("R2", "Kab. Jember"))}))

	err := e.db.Undo(e.ctx, *regions.ImportID, "tester")
	if err == nil || !strings.Contains(err.Error(), `"Kab. Wanareja"`) || strings.Contains(err.Error(), "Jember") {
		t.Fatalf("undo of the import that added Kab. Wanareja: got %v, want a refusal naming Kab. Wanareja only (Kab. Jember is built in)", err)
	}
	equal(t, "respondents", e.count("respondents"), 2)
	if err := e.db.Undo(e.ctx, *survey.ImportID, "tester"); err != nil {
		t.Fatal(err)
	}
	if err := e.db.Undo(e.ctx, *regions.ImportID, "tester"); err != nil {
		t.Fatalf("once the survey is undone: %v", err)
	}
	equal(t, "regions", e.count("regions"), 0)
}
