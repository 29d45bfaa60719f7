package ingest

import (
	"io"

	"pantau/queries"
)

// ShowWorkbooks has f shown every workbook ingest reads.
func ShowWorkbooks(f func(r io.ReaderAt, size int64)) { workbookSeen = f }

// SetCheckPlaces turns the kecamatan and desa checks off or on, for the
// benchmark that compares ingest with and without them.
func SetCheckPlaces(on bool) { checkPlaces = on }

// CheckAreas resolves each row's region and, with places, its kecamatan and
// desa, as ingest does for one file (one file's caches), and returns how
// many kecamatan matched the catalogue.
func CheckAreas(rows [][3]string, places bool) (matched int) {
	f := &fileCheck{regions: NewRegions(), names: map[string]bool{}}
	c := &rowCheck{fileCheck: f, sheet: "Responden", headers: respondentSheet.headers(), cells: make([]string, len(respondentSheet.columns))}
	for i, r := range rows {
		c.row = i + 2
		reg, err := f.regions.resolve(r[0])
		if err != nil {
			continue
		}
		rec := queries.Respondent{Region: reg.name, RegionCode: reg.code, District: r[1], Village: r[2]}
		if places {
			c.checkPlaces(&rec)
		}
		if rec.DistrictCode != "" {
			matched++
		}
	}
	return matched
}
