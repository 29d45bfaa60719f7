package rdchk

import (
	"os"
	"testing"
	"time"

	"pantau/ingest/xlsx"
)

func TestRead(t *testing.T) {
	f, _ := os.Open("/tmp/pantau-bench-survei-100k-seed7.xlsx")
	st, _ := f.Stat()
	start := time.Now()
	wb, err := xlsx.OpenAt(f, st.Size())
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range wb.GetSheetList() {
		rows, err := wb.Rows(s)
		if err != nil {
			t.Fatal(err)
		}
		n, cells := 0, 0
		for rows.Next() {
			c, err := rows.Columns()
			if err != nil {
				t.Fatal(err)
			}
			n++
			cells += len(c)
		}
		t.Logf("%s: %d rows %d cells, excelize=%v total=%d", s, n, cells, rows.ByExcelize(), rows.Total())
		rows.Close()
	}
	t.Logf("%v", time.Since(start))
}
