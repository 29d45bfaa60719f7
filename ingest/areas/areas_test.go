package areas_test

import (
	"testing"

	"pantau/ingest/areas"
)

// The pinned idn-area-data holds these counts (WORKBOOKS.md, issue 13).
func TestCatalogueCounts(t *testing.T) {
	c := areas.Load()
	if got := len(c.Provinces); got != 38 {
		t.Errorf("provinces = %d, want 38", got)
	}
	if got := len(c.Regencies); got != 514 {
		t.Errorf("regencies = %d, want 514", got)
	}
	jatim, ok := c.Province("JAWA  timur")
	if !ok || jatim.Code != "35" {
		t.Fatalf("Province(Jawa Timur) = %v, %v; want code 35", jatim, ok)
	}
	districts := 0
	for _, r := range jatim.Regencies {
		districts += len(r.Districts)
	}
	if len(jatim.Regencies) != 38 || districts != 666 {
		t.Errorf("Jawa Timur: %d regencies, %d kecamatan; want 38 and 666", len(jatim.Regencies), districts)
	}
	villages := 0
	for _, r := range c.Regencies {
		for _, d := range r.Districts {
			villages += len(d.Villages)
		}
	}
	if villages < 80_000 {
		t.Errorf("villages = %d, want over 80,000", villages)
	}
}

func TestLookups(t *testing.T) {
	c := areas.Load()
	jember, ok := c.Regency("35.09")
	if !ok || jember.Name != "Kabupaten Jember" || jember.Province.Name != "Jawa Timur" {
		t.Fatalf("Regency(35.09) = %+v, %v", jember, ok)
	}
	d, ok := jember.District(areas.Key("SUMBER sari"))
	if !ok || d.Name != "Sumbersari" || d.Regency != jember {
		t.Fatalf("District(sumbersari) = %+v, %v", d, ok)
	}
	if _, ok := jember.District(areas.Key("Klojen")); ok {
		t.Error("Klojen (Kota Malang) found in Kab. Jember")
	}
	if len(d.Villages) == 0 {
		t.Fatal("Sumbersari has no villages")
	}
	v, ok := d.Village(areas.Key(d.Villages[0].Name))
	if !ok || v.District != d || len(v.Code) != len("35.09.01.2001") {
		t.Errorf("Village(%s) = %+v, %v", d.Villages[0].Name, v, ok)
	}
	if areas.Load() != c {
		t.Error("Load unpacked the catalogue twice")
	}
}
