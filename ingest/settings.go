package ingest

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"pantau/ingest/areas"
	"pantau/queries"
)

// ProgramProvinces returns the program's provinces as the database's
// setting has them, or DefaultProvinces when it was never set.
func ProgramProvinces(ctx context.Context, db *queries.DB) ([]string, error) {
	v, ok, err := db.Setting(ctx, queries.SettingProvinces)
	if err != nil || !ok {
		return DefaultProvinces, err
	}
	return strings.Split(v, ","), nil
}

// ParseProvinces reads a list of provinces as a person writes it ("jawa
// timur, JAWA TENGAH"): each must be a province of the catalogue. It returns
// their official names, deduplicated, comma-separated as the setting stores them.
func ParseProvinces(text string) (string, error) {
	var names []string
	for _, part := range strings.Split(text, ",") {
		part = cleanText(part)
		if part == "" {
			continue
		}
		p, ok := areas.Load().Province(part)
		if !ok {
			var all []string
			for _, p := range areas.Load().Provinces {
				all = append(all, p.Name)
			}
			return "", &queries.Message{
				ID: fmt.Sprintf("provinsi %q tidak ada di katalog wilayah resmi; provinsi: %s", clip(part), strings.Join(all, ", ")),
				EN: fmt.Sprintf("province %q is not in the official area catalogue; provinces: %s", clip(part), strings.Join(all, ", "))}
		}
		if !slices.Contains(names, p.Name) {
			names = append(names, p.Name)
		}
	}
	if len(names) == 0 {
		return "", &queries.Message{ID: "tulis sedikitnya satu provinsi, mis. Jawa Timur", EN: "name at least one province, e.g. Jawa Timur"}
	}
	return strings.Join(names, ","), nil
}

// CodeRegions gives the regions a database stored before the catalogue
// their official codes (migration 008); after the first time it does nothing.
func CodeRegions(ctx context.Context, db *queries.DB) error {
	return db.FillRegionCodes(ctx, func(name string) string {
		if canon, ok := canonicalRegion(name); ok { // stored names are canonical: no bare-name guessing
			return catalogueCode(canon)
		}
		return ""
	})
}

func catalogueCode(canon string) string {
	if reg := catalogueRegions().byKey[regionKey(canon)]; reg != nil {
		return reg.code
	}
	return ""
}

// RegionGroup is the regions of one province, for the dashboard's filter.
type RegionGroup struct {
	Province string // "" when neither the catalogue nor a Wilayah sheet names it
	Regions  []string
}

// GroupByProvince groups region names by province: the catalogue's, else
// the one the Wilayah sheet that added the region gave. The program's
// provinces come first, in the setting's order, then the others
// alphabetically, then the regions of no known province; regions keep
// the order they were given in.
func GroupByProvince(ctx context.Context, db *queries.DB, names []string) ([]RegionGroup, error) {
	program, err := ProgramProvinces(ctx, db)
	if err != nil {
		return nil, err
	}
	added, err := db.AddedRegions(ctx)
	if err != nil {
		return nil, err
	}
	return GroupRegions(program, added, names), nil
}

// GroupRegions is GroupByProvince with the program's provinces and the
// regions the Wilayah sheets added already read (the dashboard keeps the
// latter until the next import).
func GroupRegions(program []string, added []queries.RegionOption, names []string) []RegionGroup {
	provinceOf := map[string]string{}
	for _, a := range added {
		provinceOf[a.Name] = a.Province
	}
	var groups []RegionGroup
	for _, n := range names {
		p := provinceOf[n]
		if reg := catalogueRegions().byKey[regionKey(n)]; reg != nil {
			p = reg.province
		}
		i := slices.IndexFunc(groups, func(g RegionGroup) bool { return g.Province == p })
		if i < 0 {
			groups, i = append(groups, RegionGroup{Province: p}), len(groups)
		}
		groups[i].Regions = append(groups[i].Regions, n)
	}
	rank := func(p string) int {
		if p == "" {
			return len(program) + 1
		}
		if i := slices.IndexFunc(program, func(q string) bool { return areas.Key(q) == areas.Key(p) }); i >= 0 {
			return i
		}
		return len(program)
	}
	slices.SortStableFunc(groups, func(a, b RegionGroup) int {
		if ra, rb := rank(a.Province), rank(b.Province); ra != rb {
			return ra - rb
		}
		return strings.Compare(a.Province, b.Province)
	})
	return groups
}
