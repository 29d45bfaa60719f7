package ingest

import (
	"fmt"
	"regexp"
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"
)

// The 38 kabupaten and kota of Jawa Timur.
var (
	jatimKabupaten = []string{"Bangkalan", "Banyuwangi", "Blitar", "Bojonegoro", "Bondowoso",
		"Gresik", "Jember", "Jombang", "Kediri", "Lamongan", "Lumajang", "Madiun", "Magetan",
		"Malang", "Mojokerto", "Nganjuk", "Ngawi", "Pacitan", "Pamekasan", "Pasuruan",
		"Ponorogo", "Probolinggo", "Sampang", "Sidoarjo", "Situbondo", "Sumenep",
		"Trenggalek", "Tuban", "Tulungagung"}
	jatimKota = []string{"Batu", "Blitar", "Kediri", "Madiun", "Malang", "Mojokerto",
		"Pasuruan", "Probolinggo", "Surabaya"}
)

// Regions is the set of known kabupaten/kota: the 38 of Jawa Timur plus those added through a Wilayah sheet.
//
// Names are compared on their key: the prefix and the name part lowercased
// with only letters and digits kept, so "Kab. Tulung Agung" is "Kab. Tulungagung".
type Regions struct {
	byKey  map[string]string   // regionKey → canonical name
	byBare map[string][]string // name key without prefix → canonical names, Kab. first
}

func NewRegions() *Regions {
	r := &Regions{byKey: map[string]string{}, byBare: map[string][]string{}}
	for _, n := range jatimKabupaten {
		r.Add("Kab. " + n)
	}
	for _, n := range jatimKota {
		r.Add("Kota " + n)
	}
	return r
}

// Add makes name known. It should be canonical ("Kab. X"/"Kota X"); other
// spellings of the prefix are canonicalised, and a name without prefix is
// kept as written (cleaned) so that it can still be matched exactly.
func (r *Regions) Add(name string) {
	canon, ok := canonicalRegion(name)
	if !ok {
		canon = cleanText(name)
	}
	key := regionKey(canon)
	if _, dup := r.byKey[key]; dup || canon == "" {
		return
	}
	r.byKey[key] = canon
	bare := lettersOnly(splitPrefix(canon))
	r.byBare[bare] = append(r.byBare[bare], canon)
	sort.Slice(r.byBare[bare], func(i, j int) bool { return regionLess(r.byBare[bare][i], r.byBare[bare][j]) })
}

// Known reports whether name, in any accepted spelling of its prefix, is a known region.
func (r *Regions) Known(name string) bool {
	if canon, ok := canonicalRegion(name); ok {
		name = canon
	}
	_, ok := r.byKey[regionKey(cleanText(name))]
	return ok
}

// Names returns the known regions sorted for drop-down lists: every "Kab."
// first, then every "Kota", then any added without a prefix; alphabetical
// within each group.
func (r *Regions) Names() []string {
	names := make([]string, 0, len(r.byKey))
	for _, n := range r.byKey {
		names = append(names, n)
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

// regionKey is the lookup key of a canonical name: prefix plus the name
// part's letters and digits, lowercased.
func regionKey(canon string) string {
	return canon[:len(canon)-len(splitPrefix(canon))] + lettersOnly(splitPrefix(canon))
}

// Normalize returns the canonical known region that raw means, or a message:
// unknown (with suggestions) or ambiguous (a bare name that is both a Kab. and a Kota).
func (r *Regions) Normalize(raw string) (string, error) {
	s := cleanText(raw)
	if canon, ok := canonicalRegion(s); ok {
		if known, ok := r.byKey[regionKey(canon)]; ok {
			return known, nil
		}
		return "", r.unknown(canon)
	}
	if known, ok := r.byKey[regionKey(s)]; ok { // an added name without prefix
		return known, nil
	}
	switch matches := r.byBare[lettersOnly(s)]; len(matches) {
	case 0:
		return "", r.unknown(s)
	case 1:
		return matches[0], nil
	default:
		return "", refuse(
			"ambigu: tulis "+quoteList(matches, "atau"),
			"is ambiguous: write "+quoteList(matches, "or"))
	}
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
		"tidak dikenal; tulis \"Kab. X\" atau \"Kota X\" untuk salah satu dari 38 kabupaten/kota Jawa Timur, atau tambahkan lewat sheet Wilayah",
		"unknown; write \"Kab. X\" or \"Kota X\" for one of the 38 kabupaten/kota of Jawa Timur, or add it through the Wilayah sheet")
}

// suggest returns up to n known names whose name part is within a few edits
// of name's, or starts with it ("Kab. Tulung" → "Kab. Tulungagung"); nearest
// first, then in Names order. When a prefix was typed, names with that prefix
// win: one with the other prefix is offered only when it is nearer than all
// of them, so "Kab. Malng" gives "Kab. Malang" but "Kab. Surabaya" gives "Kota Surabaya".
func (r *Regions) suggest(name string, n int) []string {
	typed := lettersOnly(splitPrefix(name))
	typedRank := prefixRank(name)
	// A third of the length, at least 1 and at most 3, so that short names
	// do not match everything and long ones still forgive two or three slips.
	limit := min(max(utf8.RuneCountInString(typed)/3, 1), 3)
	type cand struct {
		name string
		dist int
	}
	var cands []cand
	bestSame := limit + 1 // nearest distance among names with the typed prefix
	for _, known := range r.Names() {
		part := lettersOnly(splitPrefix(known))
		d := editDistance(typed, part)
		if d > limit && utf8.RuneCountInString(typed) >= 4 && strings.HasPrefix(part, typed) {
			d = limit
		}
		if d > limit {
			continue
		}
		if prefixRank(known) == typedRank {
			bestSame = min(bestSame, d)
		}
		cands = append(cands, cand{known, d})
	}
	var kept []cand
	for _, c := range cands {
		if typedRank == 2 || prefixRank(c.name) == typedRank || c.dist < bestSame {
			kept = append(kept, c)
		}
	}
	sort.SliceStable(kept, func(i, j int) bool { return kept[i].dist < kept[j].dist })
	var out []string
	for i := 0; i < len(kept) && i < n; i++ {
		out = append(out, kept[i].name)
	}
	return out
}

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
