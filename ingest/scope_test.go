package ingest_test

import (
	"strings"
	"testing"

	"pantau/ingest"
	"pantau/queries"
)

// TestScopedUploader: an uploader limited to regions imports rows of those
// regions; one row of another region, or a program-wide row without a
// region, is an error at its Wilayah cell, and nothing of the file is
// stored.
func TestScopedUploader(t *testing.T) {
	e := newEnv(t)
	scope := ingest.Options{Regions: queries.Scope{"Kab. Jember", "Kota Malang"}}
	before := e.snapshot()

	survey := book(t, map[string][][]any{"Responden": rows(respHeader,
		resp("R001", "Kab. Jember"), resp("R002", "kota malang"), resp("R003", "Kota Batu"), resp("R004", "Kab. Jember"))})
	r := e.upload("survei.xlsx", survey, scope)
	if r.OK || r.ImportID != nil {
		t.Fatalf("a row outside the scope was accepted:\n%s", problems(r))
	}
	r.Localize("en")
	if p, _ := problemAt(r, "Responden", "C4"); !strings.Contains(p.Message, `Wilayah "Kota Batu" is outside your regions: Kab. Jember, Kota Malang`) {
		t.Errorf("Responden!C4: %+v\nall: %s", p, problems(r))
	}
	if r.ProblemCount != 1 {
		t.Errorf("%d problems, want the one row:\n%s", r.ProblemCount, problems(r))
	}
	if after := e.snapshot(); !equalSnapshots(before, after) {
		t.Error("the refused file changed the database")
	}

	// A participant without a region is program-wide: outside any scope.
	staff := book(t, map[string][][]any{"Peserta": rows(pesertaHeader,
		[]any{"Ani", "P", "Fasilitator Lapang", "Kab. Jember"}, []any{"Budi", "L", "Staf Program", nil})})
	r = e.upload("peserta.xlsx", staff, scope)
	r.Localize("en")
	if p, ok := problemAt(r, "Peserta", "D3"); r.OK || !ok || !strings.Contains(p.Message, "blank means the whole program") {
		t.Errorf("a program-wide row: %+v\n%s", p, problems(r))
	}

	// In scope, it is stored; unscoped, the same file with Kota Batu is too.
	good := book(t, map[string][][]any{"Responden": rows(respHeader, resp("R001", "Kab. Jember"), resp("R002", "Kota Malang"))})
	if r := e.upload("good.xlsx", good, scope); !r.OK || r.ImportID == nil {
		t.Errorf("in scope: %s", problems(r))
	}
	e.commit("all.xlsx", survey)
}
