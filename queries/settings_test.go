package queries_test

import (
	"context"
	"slices"
	"testing"

	"pantau/queries"
	"pantau/queries/querytest"
)

// Migration 008 leaves the regions stored before it without codes;
// FillRegionCodes codes them once, and only them.
func TestFillRegionCodes(t *testing.T) {
	ctx := context.Background()
	db := querytest.Open(t)
	commit(t, db, "one", respondent("R-1", "Kab. Jember", 1), respondent("R-2", "Kab. Atlantis", 2))
	coded := respondent("R-3", "Kota Batu", 3)
	coded.RegionCode = "35.79"
	commit(t, db, "two", coded)
	codes := map[string]string{"Kab. Jember": "35.09", "Kota Batu": "99.99"}
	if err := db.FillRegionCodes(ctx, func(r string) string { return codes[r] }); err != nil {
		t.Fatal(err)
	}
	want := []string{"R-1|35.09", "R-2|NULL", "R-3|35.79"} // Kota Batu had its code: kept
	for _, table := range []string{"respondents", "respondent_versions"} {
		if got := querytest.Rows(t, db, table, "respondent_id", "region_code"); !slices.Equal(got, want) {
			t.Errorf("%s: %q, want %q", table, got, want)
		}
	}
	// Once only: a second call changes nothing.
	codes["Kab. Atlantis"] = "00.00"
	if err := db.FillRegionCodes(ctx, func(r string) string { return codes[r] }); err != nil {
		t.Fatal(err)
	}
	if got := querytest.Rows(t, db, "respondents", "respondent_id", "region_code"); !slices.Equal(got, want) {
		t.Errorf("after a second fill: %q, want %q", got, want)
	}
}

func TestSettings(t *testing.T) {
	ctx := context.Background()
	db := querytest.Open(t)
	if v, ok, err := db.Setting(ctx, queries.SettingProvinces); v != "" || ok || err != nil {
		t.Errorf("never set: %q, %v, %v", v, ok, err)
	}
	for _, v := range []string{"Jawa Timur", "Jawa Timur,Jawa Tengah"} {
		if err := db.SetSetting(ctx, queries.SettingProvinces, v, "admin"); err != nil {
			t.Fatal(err)
		}
	}
	if v, ok, err := db.Setting(ctx, queries.SettingProvinces); v != "Jawa Timur,Jawa Tengah" || !ok || err != nil {
		t.Errorf("after set: %q, %v, %v", v, ok, err)
	}
	list, err := db.Settings(ctx)
	if err != nil || len(list) != 1 || list[0].UpdatedBy != "admin" || list[0].UpdatedAt.IsZero() {
		t.Errorf("Settings = %+v, %v", list, err)
	}
}
