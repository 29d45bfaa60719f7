package areas_test

import (
	"strings"
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
	if !ok || v != &d.Villages[0] || !strings.HasPrefix(v.Code, d.Code+".") || len(v.Code) != len("35.09.01.2001") {
		t.Errorf("Village(%s) = %+v, %v", d.Villages[0].Name, v, ok)
	}
	if areas.Load() != c {
		t.Error("Load unpacked the catalogue twice")
	}
}

// Every village is found by its name's key in its kecamatan; of two with
// one name, the first in code order answers for both.
func TestEveryVillageFound(t *testing.T) {
	twins := 0
	for _, r := range areas.Load().Regencies {
		for _, d := range r.Districts {
			first := map[string]*areas.Village{}
			for i := range d.Villages {
				v := &d.Villages[i]
				k := areas.Key(v.Name)
				if first[k] == nil {
					first[k] = v
				} else {
					twins++
				}
				if got, ok := d.Village(k); !ok || got != first[k] {
					t.Fatalf("%s %s: Village(%q) = %+v, %v; want %+v", d.Code, d.Name, k, got, ok, first[k])
				}
			}
		}
	}
	if twins == 0 {
		t.Error("no kecamatan has two villages of one name: the rule is not exercised")
	}
	t.Logf("%d villages share a name with an earlier one of their kecamatan", twins)
}
