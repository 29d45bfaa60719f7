package dashboard_test

import (
	"context"
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"pantau/ingest"
	"pantau/ingest/xlsx/xlsxtest"
)

// An import, and its undo, show at once on every cached view: the cache is
// keyed on the database's data version.
func TestImportAndUndoReachTheCache(t *testing.T) {
	env := newTestEnv(t, envOptions{samples: true})
	c := env.login("viewer")
	type view struct {
		total int
		chart string
		tile  string
	}
	look := func() view {
		var sum struct {
			Facilitators struct{ Total int } `json:"facilitators"`
		}
		if err := json.Unmarshal([]byte(env.get(c, "/api/v1/summary", http.StatusOK)), &sum); err != nil {
			t.Fatal(err)
		}
		page := env.get(c, "/", http.StatusOK)
		i := strings.Index(page, `data-kpi="facilitators"`)
		if i < 0 {
			t.Fatal("no facilitators tile")
		}
		return view{sum.Facilitators.Total, env.get(c, "/api/v1/charts/facilitators-by-region", http.StatusOK), page[i : i+80]}
	}
	before := look()
	if again := look(); again != before {
		t.Fatalf("two looks without an import differ: %+v / %+v", before, again)
	}

	data := xlsxtest.Workbook(t, xlsxtest.Tab{Name: "Peserta", Rows: [][]any{
		{"Nama", "Jenis Kelamin", "Jabatan", "Wilayah"},
		{"Sari Wulandari", "P", "Fasilitator Lapang", "Kab. Jember"},
	}})
	r, err := ingest.Bytes(context.Background(), env.DB, "tambahan.xlsx", data, ingest.Options{By: "test", DataDir: t.TempDir()})
	if err != nil || !r.OK || r.ImportID == nil {
		t.Fatalf("ingest: %v %+v", err, r)
	}
	after := look()
	if after.total != before.total+1 {
		t.Errorf("facilitators after the import: %d, want %d", after.total, before.total+1)
	}
	if after.chart == before.chart || after.tile == before.tile {
		t.Errorf("the chart or the tile did not change with the import:\n%s\n%s", after.chart, after.tile)
	}

	if err := env.DB.Undo(context.Background(), *r.ImportID, "test"); err != nil {
		t.Fatal(err)
	}
	if undone := look(); undone != before {
		t.Errorf("after the undo: %+v, want what was before the import: %+v", undone, before)
	}
}
