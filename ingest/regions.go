package ingest

import (
	"fmt"
	"regexp"
	"slices"
	"sort"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"

	"pantau/ingest/areas"
	"pantau/queries"
)

// DefaultProvinces are the program's provinces until an admin sets them.
var DefaultProvinces = []string{"Jawa Timur"}

// region is a kabupaten or kota pantau knows: one of the official
// catalogue's, or one a Wilayah sheet added.
type region struct {
	name     string // canonical: "Kab. Jember", "Kota Surabaya"
	code     string // official code, "35.09"; "" for an added region
	province string // the province's name
	regency  *areas.Regency
}

// regionIndex finds regions by key and by bare name.
type regionIndex struct {
	all    []*region
	byKey  map[string]*region   // regionKey(name) → region
	byBare map[string][]*region // the name part's key → regions, Kab. first
}

func newRegionIndex() *regionIndex {
	return &regionIndex{byKey: map[string]*region{}, byBare: map[string][]*region{}}
}

func (x *regionIndex) add(r *region) {
	x.all = append(x.all, r)
	x.byKey[regionKey(r.name)] = r
	bare := bareKey(r.name)
	x.byBare[bare] = append(x.byBare[bare], r)
	sort.SliceStable(x.byBare[bare], func(i, j int) bool { return regionLess(x.byBare[bare][i].name, x.byBare[bare][j].name) })
}

// catalogueRegions indexes the catalogue's 514 kabupaten/kota, once.
var catalogueRegions = sync.OnceValue(func() *regionIndex {
	x := newRegionIndex()
	for _, r := range areas.Load().Regencies {
		if !strings.HasPrefix(r.Name, "Kabupaten ") && !strings.HasPrefix(r.Name, "Kota ") {
			panic("ingest: catalogue region without Kabupaten/Kota: " + r.Name)
		}
		x.add(&region{name: officialRegion(r.Name), code: r.Code, province: r.Province.Name, regency: r})
	}
	return x
})

// officialRegion writes a catalogue name in the canonical form without
// changing its capitals: "Kabupaten Administrasi Kepulauan Seribu" →
// "Kab. Kepulauan Seribu".
func officialRegion(name string) string {
	prefix, rest := "Kota ", strings.TrimPrefix(name, "Kota ")
	if r, ok := strings.CutPrefix(name, "Kabupaten "); ok {
		prefix, rest = "Kab. ", r
	}
	return prefix + strings.TrimPrefix(rest, "Administrasi ")
}

// Regions resolves region names against the official catalogue of all
// Indonesia and the regions Wilayah sheets added; the program's provinces
// say which regions are accepted without a warning and what a bare name
// ("Jember") means. Not safe for concurrent use: one per file.
type Regions struct {
	program map[string]bool // province keys
	names   []string        // the program's provinces, as the catalogue writes them
	added   *regionIndex
	cache   map[string]resolved // raw cell → result, cleared by Add
}

type resolved struct {
	r   *region
	err error
}

// NewRegions knows the catalogue, with the given provinces as the
// program's (DefaultProvinces when none).
func NewRegions(provinces ...string) *Regions {
	if len(provinces) == 0 {
		provinces = DefaultProvinces
	}
	r := &Regions{program: map[string]bool{}, added: newRegionIndex(), cache: map[string]resolved{}}
	for _, p := range provinces {
		r.program[areas.Key(p)] = true
		if cp, ok := areas.Load().Province(p); ok {
			p = cp.Name
		}
		r.names = append(r.names, p)
	}
	return r
}

// inProgram tells a region of one of the program's provinces.
func (r *Regions) inProgram(reg *region) bool { return r.program[areas.Key(reg.province)] }

// Add makes name known as a region of province, as a Wilayah sheet does.
// It should be canonical ("Kab. X"/"Kota X"); other spellings of the
// prefix are canonicalised, and a name without prefix is kept as written.
func (r *Regions) Add(name, province string) {
	canon, ok := canonicalRegion(name)
	if !ok {
		canon = cleanText(name)
	}
	if canon == "" || r.lookup(regionKey(canon)) != nil {
		return
	}
	r.added.add(&region{name: canon, province: cleanText(province)})
	clear(r.cache)
}

func (r *Regions) lookup(key string) *region {
	if reg := catalogueRegions().byKey[key]; reg != nil {
		return reg
	}
	return r.added.byKey[key]
}

// Known reports whether name, in any accepted spelling of its prefix, is a known region.
func (r *Regions) Known(name string) bool {
	if canon, ok := canonicalRegion(name); ok {
		name = canon
	}
	return r.lookup(regionKey(cleanText(name))) != nil
}

// Code returns the official code of a known region ("" when it has none).
func (r *Regions) Code(name string) string {
	if reg, err := r.resolve(name); err == nil {
		return reg.code
	}
	return ""
}

// Names returns the regions of the program's provinces and those added,
// sorted for drop-down lists: every "Kab." first, then every "Kota", then
// any added without a prefix; alphabetical within each group.
func (r *Regions) Names() []string {
	var names []string
	for _, x := range []*regionIndex{catalogueRegions(), r.added} {
		for _, reg := range x.all {
			if x == r.added || r.inProgram(reg) {
				names = append(names, reg.name)
			}
		}
	}
	sort.Slice(names, func(i, j int) bool { return regionLess(names[i], names[j]) })
	return names
}

// regionLess orders Kab. before Kota before unprefixed names, then alphabetically.
func regionLess(a, b string) bool {
	ra, rb := prefixRank(a), prefixRank(b)
	if ra != rb {
		return ra < rb
	}
	return strings.ToLower(a) < strings.ToLower(b)
}

func prefixRank(name string) int {
	switch {
	case strings.HasPrefix(name, "Kab. "):
		return 0
	case strings.HasPrefix(name, "Kota "):
		return 1
	}
	return 2
}

// splitPrefix returns the name part of a canonical region name.
func splitPrefix(canon string) string {
	for _, p := range []string{"Kab. ", "Kota "} {
		if rest, ok := strings.CutPrefix(canon, p); ok {
			return rest
		}
	}
	return canon
}

// bareKey is the key of a name's part after the prefix, ignoring an
// "Administrasi" (Jakarta's kota are "Kota Administrasi ...").
func bareKey(canon string) string {
	k := lettersOnly(splitPrefix(canon))
	if rest, ok := strings.CutPrefix(k, "administrasi"); ok && rest != "" {
		return rest
	}
	return k
}

// regionKey is the lookup key of a canonical name: prefix plus the name
// part's letters and digits, lowercased, so "Kab. Tulung Agung" is "Kab. Tulungagung".
func regionKey(canon string) string {
	return canon[:len(canon)-len(splitPrefix(canon))] + bareKey(canon)
}

// Normalize returns the canonical known region that raw means, or a message:
// unknown (with suggestions) or ambiguous (a bare name that fits two).
func (r *Regions) Normalize(raw string) (string, error) {
	reg, err := r.resolve(raw)
	if err != nil {
		return "", err
	}
	return reg.name, nil
}

// resolve finds the region raw means, as WORKBOOKS.md says: a name with its
// Kab./Kota prefix anywhere in Indonesia; a bare name, the one region of
// that name in the program's provinces, else the one in all Indonesia.
func (r *Regions) resolve(raw string) (*region, error) {
	if res, ok := r.cache[raw]; ok {
		return res.r, res.err
	}
	reg, err := r.resolveUncached(raw)
	r.cache[raw] = resolved{reg, err}
	return reg, err
}

func (r *Regions) resolveUncached(raw string) (*region, error) {
	s := cleanText(raw)
	if canon, ok := canonicalRegion(s); ok {
		if reg := r.lookup(regionKey(canon)); reg != nil {
			return reg, nil
		}
		return nil, r.unknown(canon)
	}
	if reg := r.added.byKey[regionKey(s)]; reg != nil { // an added name without prefix
		return reg, nil
	}
	all := append(slices.Clip(catalogueRegions().byBare[lettersOnly(s)]), r.added.byBare[lettersOnly(s)]...)
	var mine []*region
	for _, reg := range all {
		if r.inProgram(reg) {
			mine = append(mine, reg)
		}
	}
	if len(mine) == 0 {
		mine = all
	}
	switch len(mine) {
	case 0:
		return nil, r.unknown(s)
	case 1:
		return mine[0], nil
	}
	return nil, refuse(
		"ambigu: tulis "+r.quoteRegions(mine, "atau"),
		"is ambiguous: write "+r.quoteRegions(mine, "or"))
}

// quoteRegions quotes regions, naming the province of those outside the program's.
func (r *Regions) quoteRegions(regs []*region, and string) string {
	q := make([]string, len(regs))
	for i, reg := range regs {
		q[i] = fmt.Sprintf("%q", reg.name)
		if !r.inProgram(reg) && reg.province != "" {
			q[i] += " (" + reg.province + ")"
		}
	}
	return joinAnd(q, and)
}

// elsewhere is the warning for a known region outside the program's provinces, or nil.
func (r *Regions) elsewhere(reg *region) *queries.Message {
	if r.inProgram(reg) {
		return nil
	}
	return &queries.Message{
		ID: fmt.Sprintf("%q ada di provinsi %s, di luar provinsi program (%s)", reg.name, reg.province, strings.Join(r.names, ", ")),
		EN: fmt.Sprintf("%q is in %s, outside the program's provinces (%s)", reg.name, reg.province, strings.Join(r.names, ", "))}
}

// unknown builds the refusal for a name that is not known, suggesting up
// to three of the nearest known names.
func (r *Regions) unknown(name string) error {
	if s := r.suggest(name, 3); len(s) > 0 {
		return refuse(
			"tidak dikenal; maksud Anda "+quoteList(s, "atau")+"?",
			"unknown; did you mean "+quoteList(s, "or")+"?")
	}
	return refuse(
		"tidak dikenal; tulis \"Kab. X\" atau \"Kota X\" untuk kabupaten/kota di katalog wilayah resmi Kemendagri, atau tambahkan lewat sheet Wilayah",
		"unknown; write \"Kab. X\" or \"Kota X\" for a kabupaten/kota of the official Kemendagri catalogue, or add it through the Wilayah sheet")
}

// suggest returns up to n known names whose name part is within a few edits
// of name's, or starts with it ("Kab. Tulung" → "Kab. Tulungagung"),
// nearest first: those of the program's provinces, and of the rest of
// Indonesia only those nearer than any of the program's. When a prefix was typed, names with that prefix win: one with
// the other prefix is offered only when it is nearer than all of them, so
// "Kab. Malng" gives "Kab. Malang" but "Kab. Surabaya" gives "Kota Surabaya".
func (r *Regions) suggest(name string, n int) []string {
	typed := bareKey(name)
	typedRank := prefixRank(name)
	// A third of the length, at least 1 and at most 3, so that short names
	// do not match everything and long ones still forgive two or three slips.
	limit := min(max(utf8.RuneCountInString(typed)/3, 1), 3)
	type cand struct {
		name    string
		dist    int
		program bool
	}
	var cands []cand
	bestSame := limit + 1 // nearest distance among names with the typed prefix
	for _, x := range []*regionIndex{catalogueRegions(), r.added} {
		for _, reg := range x.all {
			part := bareKey(reg.name)
			if abs(len(part)-len(typed)) > limit && !strings.HasPrefix(part, typed) {
				continue // too long or short to be near: skip the edit distance
			}
			d := editDistance(typed, part)
			if d > limit && utf8.RuneCountInString(typed) >= 4 && strings.HasPrefix(part, typed) {
				d = limit
			}
			if d > limit {
				continue
			}
			if prefixRank(reg.name) == typedRank {
				bestSame = min(bestSame, d)
			}
			cands = append(cands, cand{reg.name, d, x == r.added || r.inProgram(reg)})
		}
	}
	// A region of another province only when none of the program's is as near.
	bestProgram := limit + 1
	for _, c := range cands {
		if c.program && (typedRank == 2 || prefixRank(c.name) == typedRank || c.dist < bestSame) {
			bestProgram = min(bestProgram, c.dist)
		}
	}
	var kept []cand
	for _, c := range cands {
		if (typedRank == 2 || prefixRank(c.name) == typedRank || c.dist < bestSame) && (c.program || c.dist < bestProgram) {
			kept = append(kept, c)
		}
	}
	sort.SliceStable(kept, func(i, j int) bool {
		a, b := kept[i], kept[j]
		if a.program != b.program {
			return a.program
		}
		if a.dist != b.dist {
			return a.dist < b.dist
		}
		return regionLess(a.name, b.name)
	})
	var out []string
	for i := 0; i < len(kept) && i < n; i++ {
		out = append(out, kept[i].name)
	}
	return out
}

func abs(n int) int { return max(n, -n) }

// quoteList renders ["A", "B", "C"] as `"A", "B" atau "C"`.
func quoteList(names []string, and string) string {
	q := make([]string, len(names))
	for i, n := range names {
		q[i] = fmt.Sprintf("%q", n)
	}
	return joinAnd(q, and)
}

// editDistance is the optimal-string-alignment Damerau–Levenshtein distance:
// insertions, deletions, substitutions and swaps of adjacent letters each cost 1.
func editDistance(a, b string) int {
	x, y := []rune(a), []rune(b)
	d := make([][]int, len(x)+1)
	for i := range d {
		d[i] = make([]int, len(y)+1)
		d[i][0] = i
	}
	for j := range d[0] {
		d[0][j] = j
	}
	for i := 1; i <= len(x); i++ {
		for j := 1; j <= len(y); j++ {
			cost := 1
			if x[i-1] == y[j-1] {
				cost = 0
			}
			d[i][j] = min(d[i-1][j]+1, d[i][j-1]+1, d[i-1][j-1]+cost)
			if i > 1 && j > 1 && x[i-1] == y[j-2] && x[i-2] == y[j-1] {
				d[i][j] = min(d[i][j], d[i-2][j-2]+1)
			}
		}
	}
	return d[len(x)][len(y)]
}

// rePrefix matches the accepted spellings of the Kab./Kota prefix. The
// separator after it is a dot, spaces, or both; "Kota Madya" is tried before
// "Kota" so that it is not read as a Kota named "Madya ...".
var rePrefix = regexp.MustCompile(`(?i)^(kabupaten|kab|kota\s*madya|kodya|kota)(?:\s*\.\s*|\s+)(\S.*)$`)

// canonicalRegion rewrites the spelling of a region name to "Kab. X" or
// "Kota X", with the name part title-cased. ok is false when there is no
// Kab./Kota prefix. It does not check that the region exists.
func canonicalRegion(raw string) (string, bool) {
	m := rePrefix.FindStringSubmatch(cleanText(raw))
	if m == nil {
		return "", false
	}
	prefix := "Kota "
	if strings.HasPrefix(strings.ToLower(m[1]), "kab") {
		prefix = "Kab. "
	}
	return prefix + titleCase(m[2]), true
}

// titleCase capitalises the first letter of every word and lowercases the
// rest: "BANYUWANGI" → "Banyuwangi", "tulung agung" → "Tulung Agung".
func titleCase(s string) string {
	words := strings.Fields(s)
	for i, w := range words {
		r := []rune(strings.ToLower(w))
		r[0] = unicode.ToUpper(r[0])
		words[i] = string(r)
	}
	return strings.Join(words, " ")
}

// Kecamatan and desa/kelurahan (WORKBOOKS.md): checked against the
// catalogue within the row's region and kecamatan, never refused.

// place is what a kecamatan or desa cell resolved to: the official name and
// code when the catalogue has it, else the cell as written and, for the
// upload report, a warning (with the nearest official names, if any).
type place struct {
	name, code string
	district   *areas.District // the kecamatan matched, for its desa
	warn       *queries.Message
	suggest    []string
}

// The leading words a kecamatan or desa cell may carry.
var (
	reKecamatan = regexp.MustCompile(`(?i)^(kecamatan|kec)(\s*\.\s*|\s+)`)
	reDesa      = regexp.MustCompile(`(?i)^(desa|kelurahan|kel)(\s*\.\s*|\s+)`)
)

// areaKeys are the keys a cell may match by: as written, then without its leading word.
func areaKeys(text string, lead *regexp.Regexp) []string {
	keys := []string{areas.Key(text)}
	if rest := lead.ReplaceAllString(text, ""); rest != text && rest != "" {
		keys = append(keys, areas.Key(rest))
	}
	return keys
}

// placeKey is a cell resolved within a region (a kecamatan) or a kecamatan (a desa).
type placeKey struct{ within, text string }

// district resolves a kecamatan cell within region reg, caching by region and cell.
func (f *fileCheck) district(reg *areas.Regency, regionName, text string) place {
	ck := placeKey{reg.Code, text}
	if p, ok := f.places[ck]; ok {
		return p
	}
	p := findDistrict(reg, regionName, text)
	f.keepPlace(ck, p)
	return p
}

// village resolves a desa cell within kecamatan d, caching by kecamatan and cell.
func (f *fileCheck) village(d *areas.District, regionName, text string) place {
	ck := placeKey{d.Code, text}
	if p, ok := f.places[ck]; ok {
		return p
	}
	p := findVillage(d, regionName, text)
	f.keepPlace(ck, p)
	return p
}

// findDistrict resolves a kecamatan cell within region reg (named regionName).
func findDistrict(reg *areas.Regency, regionName, text string) place {
	keys := areaKeys(text, reKecamatan)
	for _, k := range keys {
		if d, ok := reg.District(k); ok {
			return place{name: d.Name, code: d.Code, district: d}
		}
	}
	names := make([]string, len(reg.Districts))
	for i, d := range reg.Districts {
		names[i] = d.Name
	}
	p := place{name: text, suggest: nearestAreas(keys[len(keys)-1], names, 3)}
	p.warn = areaWarning("Kecamatan", text, regionName, p.suggest)
	return p
}

// findVillage resolves a desa cell within kecamatan d of the region named regionName.
func findVillage(d *areas.District, regionName, text string) place {
	keys := areaKeys(text, reDesa)
	for _, k := range keys {
		if v, ok := d.Village(k); ok {
			return place{name: v.Name, code: v.Code}
		}
	}
	names := make([]string, len(d.Villages))
	for i, v := range d.Villages {
		names[i] = v.Name
	}
	p := place{name: text, suggest: nearestAreas(keys[len(keys)-1], names, 3)}
	p.warn = areaWarning("Desa/Kelurahan", text, "Kecamatan "+d.Name+", "+regionName, p.suggest)
	return p
}

// UnknownArea is the quality report's area check (queries.AreaCheck): the
// kecamatan, or else the desa, of a stored respondent that the official
// catalogue does not have under its region, with the upload's warning
// sentence (and its suggestion). A region the catalogue lacks has nothing
// to check against.
func UnknownArea(regionCode, region, district, village string) (string, queries.Message) {
	reg, ok := areas.Load().Regency(regionCode)
	if !ok || district == "" {
		return "", queries.Message{}
	}
	k := findDistrict(reg, region, district)
	if k.warn != nil {
		return district, *k.warn
	}
	if village == "" {
		return "", queries.Message{}
	}
	if d := findVillage(k.district, region, village); d.warn != nil {
		return village, *d.warn
	}
	return "", queries.Message{}
}

// keepPlace caches a result, up to a bound: a hostile file of distinct
// names costs time, not memory.
func (f *fileCheck) keepPlace(key placeKey, p place) {
	if f.places == nil {
		f.places = map[placeKey]place{}
	}
	if len(f.places) < 100_000 {
		f.places[key] = p
	}
}

func areaWarning(header, text, where string, near []string) *queries.Message {
	if len(near) > 0 {
		return &queries.Message{
			ID: fmt.Sprintf("%s %q tidak ada di %s menurut katalog wilayah resmi; maksud Anda %s?", header, clip(text), where, quoteList(near, "atau")),
			EN: fmt.Sprintf("%s %q is not in %s in the official area catalogue; did you mean %s?", header, clip(text), where, quoteList(near, "or"))}
	}
	return &queries.Message{
		ID: fmt.Sprintf("%s %q tidak ada di %s menurut katalog wilayah resmi", header, clip(text), where),
		EN: fmt.Sprintf("%s %q is not in %s in the official area catalogue", header, clip(text), where)}
}

// nearestAreas returns up to n names whose key is within a few edits of
// key (a third of its length, 1 to 3), nearest first.
func nearestAreas(key string, names []string, n int) []string {
	limit := min(max(utf8.RuneCountInString(key)/3, 1), 3)
	type cand struct {
		name string
		dist int
	}
	var cands []cand
	for _, name := range names {
		k := areas.Key(name)
		if abs(len(k)-len(key)) > limit {
			continue
		}
		if d := editDistance(key, k); d <= limit {
			cands = append(cands, cand{name, d})
		}
	}
	sort.SliceStable(cands, func(i, j int) bool { return cands[i].dist < cands[j].dist })
	var out []string
	for i := 0; i < len(cands) && i < n; i++ {
		out = append(out, cands[i].name)
	}
	return out
}

// checkPlaces is false only in the benchmark of ingest without kecamatan
// and desa checks, the path before the catalogue, to measure their cost.
var checkPlaces = true

// checkPlaces checks a respondent's kecamatan against the catalogue's of
// its region, and its desa against its kecamatan's: a match is stored under
// its official name and code, anything else as written, with a warning
// once per name. A region the catalogue lacks has nothing to check against.
func (c *rowCheck) checkPlaces(r *queries.Respondent) {
	if !checkPlaces || r.RegionCode == "" || r.District == "" {
		return
	}
	reg, ok := areas.Load().Regency(r.RegionCode)
	if !ok {
		return
	}
	k := c.district(reg, r.Region, r.District)
	if k.warn != nil {
		c.warnOnce("k\x00"+reg.Code+"\x00"+r.District, "Kecamatan", r.District, *k.warn, k.suggest)
	}
	r.District, r.DistrictCode = k.name, k.code
	if k.district == nil || r.Village == "" {
		return
	}
	d := c.village(k.district, r.Region, r.Village)
	if d.warn != nil {
		c.warnOnce("d\x00"+k.code+"\x00"+r.Village, "Desa/Kelurahan", r.Village, *d.warn, d.suggest)
	}
	r.Village, r.VillageCode = d.name, d.code
}
