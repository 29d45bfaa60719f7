package dashboard_test

import (
	"context"
	"net/http"
	"regexp"
	"slices"
	"testing"

	"pantau/ingest/xlsx/xlsxtest"
	"pantau/queries"
)

var provinceLegend = regexp.MustCompile(`<fieldset class="province"><legend>([^<]*)</legend>`)

// The region filter lists the regions with data; when they lie in more than
// one province, grouped by province, the program's first.
func TestRegionFilterGroupedByProvince(t *testing.T) {
	env := newTestEnv(t, envOptions{})
	viewer := env.login("viewer")
	survey := func(rows ...[]any) []byte {
		return xlsxtest.Workbook(t, xlsxtest.Tab{Name: "Responden", Rows: append([][]any{{"ID Responden", "Tanggal Survei", "Wilayah", "Jenis Pekerjaan"}}, rows...)})
	}
	ingestBytes(t, env.DB, env.dataDir, "jatim.xlsx", survey([]any{"R1", "11/09/2014", "Kab. Jember", "POS"}, []any{"R2", "11/09/2014", "Kota Malang", "SE"}))
	if got := provinceLegend.FindAllStringSubmatch(env.get(viewer, "/", http.StatusOK), -1); len(got) != 0 {
		t.Errorf("one province: grouped as %q", got)
	}
	ingestBytes(t, env.DB, env.dataDir, "more.xlsx", survey([]any{"R3", "12/09/2014", "Kab. Kudus", "POS"}, []any{"R4", "12/09/2014", "Kab. Bantul", "POS"}))
	page := env.get(viewer, "/", http.StatusOK)
	var legends []string
	for _, m := range provinceLegend.FindAllStringSubmatch(page, -1) {
		legends = append(legends, m[1])
	}
	if want := []string{"Jawa Timur", "Daerah Istimewa Yogyakarta", "Jawa Tengah"}; !slices.Equal(legends, want) {
		t.Errorf("province groups %q, want %q", legends, want)
	}
	jateng := regexp.MustCompile(`(?s)<legend>Jawa Tengah</legend>\s*<label><input type="checkbox" name="region" value="Kab. Kudus"`)
	if !jateng.MatchString(page) {
		t.Error("Kab. Kudus is not under Jawa Tengah")
	}

	// The program's provinces come first, in the setting's order: a new
	// setting regroups the form at once (the grouping is cached per data
	// version, and setting it is a new one).
	if err := env.DB.SetSetting(context.Background(), queries.SettingProvinces, "Jawa Tengah,Jawa Timur", "test"); err != nil {
		t.Fatal(err)
	}
	legends = nil
	for _, m := range provinceLegend.FindAllStringSubmatch(env.get(viewer, "/", http.StatusOK), -1) {
		legends = append(legends, m[1])
	}
	if want := []string{"Jawa Tengah", "Jawa Timur", "Daerah Istimewa Yogyakarta"}; !slices.Equal(legends, want) {
		t.Errorf("after the setting, province groups %q, want %q", legends, want)
	}
}
