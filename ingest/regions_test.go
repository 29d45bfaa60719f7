package ingest

import (
	"errors"
	"slices"
	"strings"
	"testing"

	"pantau/queries"
)

func TestRegionCanonical(t *testing.T) {
	tests := []struct {
		in, want string
		ok       bool
	}{
		{"Kab. Malang", "Kab. Malang", true},
		{"KAB MALANG", "Kab. Malang", true},
		{"Kabupaten Malang", "Kab. Malang", true},
		{"kabupaten  malang", "Kab. Malang", true},
		{"Kab Malang", "Kab. Malang", true},
		{"Kab.Malang", "Kab. Malang", true},
		{"Kab . Malang", "Kab. Malang", true},
		{"KAB. BANYUWANGI", "Kab. Banyuwangi", true},
		{" Kab.\u00a0Tulung   agung ", "Kab. Tulung Agung", true},
		{"Kota Malang", "Kota Malang", true},
		{"KOTA MALANG", "Kota Malang", true},
		{"Kotamadya Malang", "Kota Malang", true},
		{"Kota Madya Malang", "Kota Malang", true},
		{"Kodya Malang", "Kota Malang", true},
		{"Kodya. Malang", "Kota Malang", true},
		{"Kota Madiun", "Kota Madiun", true},
		{"kota.batu", "Kota Batu", true},
		{"Malang", "", false},
		{"Kab.", "", false},
		{"Kota", "", false},
		{"Kabmalang", "", false},
		{"Kotabaru", "", false},
		{"", "", false},
	}
	for _, tt := range tests {
		got, ok := canonicalRegion(tt.in)
		if got != tt.want || ok != tt.ok {
			t.Errorf("canonicalRegion(%q) = %q, %v; want %q, %v", tt.in, got, ok, tt.want, tt.ok)
		}
	}
}

// ambiguousBareNames are the names that are both a kabupaten and a kota.
var ambiguousBareNames = []string{"Blitar", "Kediri", "Madiun", "Malang", "Mojokerto", "Pasuruan", "Probolinggo"}

func TestRegionBuiltinsResolve(t *testing.T) {
	r := NewRegions()
	check := func(in, want string) {
		t.Helper()
		if got, err := r.Normalize(in); err != nil || got != want {
			t.Errorf("Normalize(%q) = %q, %v; want %q", in, got, err, want)
		}
	}
	for _, n := range jatimKabupaten {
		want := "Kab. " + n
		for _, in := range []string{want, "KAB " + strings.ToUpper(n), "Kabupaten " + n,
			"kab " + strings.ToLower(n), "Kab." + n, "Kabupaten  " + n, " kab. " + n + " "} {
			check(in, want)
		}
		if !slices.Contains(ambiguousBareNames, n) {
			check(n, want)
			check(strings.ToUpper(n), want)
		}
	}
	for _, n := range jatimKota {
		want := "Kota " + n
		for _, in := range []string{want, "KOTA " + strings.ToUpper(n), "Kotamadya " + n,
			"Kota Madya " + n, "Kodya " + n, "kota " + strings.ToLower(n), "Kota." + n} {
			check(in, want)
		}
		if !slices.Contains(ambiguousBareNames, n) {
			check(n, want)
			check(strings.ToLower(n), want)
		}
	}
	// Spacing inside the name part is not a typo.
	check("Kab. Tulung Agung", "Kab. Tulungagung")
	check("Kab. Bojo Negoro", "Kab. Bojonegoro")
}

func TestRegionAmbiguous(t *testing.T) {
	r := NewRegions()
	for _, n := range ambiguousBareNames {
		for _, in := range []string{n, strings.ToUpper(n), " " + strings.ToLower(n) + " "} {
			got, err := r.Normalize(in)
			var reason *queries.Message
			if !errors.As(err, &reason) {
				t.Errorf("Normalize(%q) = %q, %v; want an ambiguity queries.Message", in, got, err)
				continue
			}
			wantID := `ambigu: tulis "Kab. ` + n + `" atau "Kota ` + n + `"`
			wantEN := `is ambiguous: write "Kab. ` + n + `" or "Kota ` + n + `"`
			if reason.ID != wantID || reason.EN != wantEN {
				t.Errorf("Normalize(%q) = %+v; want ID %q, EN %q", in, reason, wantID, wantEN)
			}
		}
	}
}

func TestRegionUnknown(t *testing.T) {
	r := NewRegions()
	tests := []struct {
		in, wantID, wantEN string
	}{
		{"Kab. Malng", `tidak dikenal; maksud Anda "Kab. Malang"?`,
			`unknown; did you mean "Kab. Malang"?`},
		{"Kota Malng", `tidak dikenal; maksud Anda "Kota Malang"?`,
			`unknown; did you mean "Kota Malang"?`},
		{"Malng", `tidak dikenal; maksud Anda "Kab. Malang" atau "Kota Malang"?`,
			`unknown; did you mean "Kab. Malang" or "Kota Malang"?`},
		{"Blitr", `tidak dikenal; maksud Anda "Kab. Blitar" atau "Kota Blitar"?`,
			`unknown; did you mean "Kab. Blitar" or "Kota Blitar"?`},
		{"Kab. Bayuwangi", `tidak dikenal; maksud Anda "Kab. Banyuwangi"?`,
			`unknown; did you mean "Kab. Banyuwangi"?`},
		{"Kab. Sidaorjo", `tidak dikenal; maksud Anda "Kab. Sidoarjo"?`, // swapped letters
			`unknown; did you mean "Kab. Sidoarjo"?`},
		{"Surabya", `tidak dikenal; maksud Anda "Kota Surabaya"?`,
			`unknown; did you mean "Kota Surabaya"?`},
		{"Kab. Surabaya", `tidak dikenal; maksud Anda "Kota Surabaya"?`, // wrong prefix
			`unknown; did you mean "Kota Surabaya"?`},
		{"Kota Jember", `tidak dikenal; maksud Anda "Kab. Jember"?`,
			`unknown; did you mean "Kab. Jember"?`},
		{"Kab. Jakarta",
			`tidak dikenal; tulis "Kab. X" atau "Kota X" untuk salah satu dari 38 kabupaten/kota Jawa Timur, atau tambahkan lewat sheet Wilayah`,
			`unknown; write "Kab. X" or "Kota X" for one of the 38 kabupaten/kota of Jawa Timur, or add it through the Wilayah sheet`},
		{"-", `tidak dikenal; tulis "Kab. X"`, `unknown; write`},
		{"Kab.", `tidak dikenal; tulis "Kab. X"`, `unknown; write`},
	}
	for _, tt := range tests {
		got, err := r.Normalize(tt.in)
		var reason *queries.Message
		if !errors.As(err, &reason) {
			t.Errorf("Normalize(%q) = %q, %v; want a queries.Message", tt.in, got, err)
			continue
		}
		if !strings.HasPrefix(reason.ID, tt.wantID) || !strings.HasPrefix(reason.EN, tt.wantEN) {
			t.Errorf("Normalize(%q) = ID %q, EN %q; want ID %q, EN %q", tt.in, reason.ID, reason.EN, tt.wantID, tt.wantEN)
		}
	}
}

func TestRegionSuggestionOrder(t *testing.T) {
	r := NewRegions()
	tests := []struct {
		in   string
		want []string
	}{
		{"Kab. Malng", []string{"Kab. Malang"}},
		{"Kota Malng", []string{"Kota Malang"}},
		{"Malnag", []string{"Kab. Malang", "Kota Malang"}},
		// The other prefix only when nearer than every name with the typed prefix.
		{"Kab. Surabaya", []string{"Kota Surabaya"}},
		{"Kab. Batu", []string{"Kota Batu"}},
		{"Kota Tuban", []string{"Kab. Tuban"}},
		// A beginning of a name.
		{"Kab. Tulung", []string{"Kab. Tulungagung"}},
		{"Probo", []string{"Kab. Probolinggo", "Kota Probolinggo"}},
		// "Tuban" is 1 edit from "Tubn"; the limit for four letters is 1, so nothing else.
		{"Kab. Tubn", []string{"Kab. Tuban"}},
		// "Madun" is 1 from Madiun (both), 2 from Malang (beyond the limit).
		{"Madun", []string{"Kab. Madiun", "Kota Madiun"}},
		{"Kota Kedir", []string{"Kota Kediri"}},
		{"Kab. Probolingo", []string{"Kab. Probolinggo"}},
		{"Kab. Sampan", []string{"Kab. Sampang"}},
		{"Ngawii", []string{"Kab. Ngawi"}},
		{"Kab. Ngajuk", []string{"Kab. Nganjuk"}},
	}
	for _, tt := range tests {
		if got := r.suggest(tt.in, 3); !slices.Equal(got, tt.want) {
			t.Errorf("suggest(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
	// Nearest first, at most three: added names are suggested like built-ins.
	for _, n := range []string{"Kab. Sidoharjo", "Kab. Sidorejo", "Kab. Sidoarjoa", "Kab. Sidomulyo"} {
		r.Add(n)
	}
	got := r.suggest("Kab. Sidoarjoo", 3)
	want := []string{"Kab. Sidoarjo", "Kab. Sidoarjoa", "Kab. Sidoharjo"} // Sidorejo (3) is fourth, Sidomulyo too far
	if !slices.Equal(got, want) {
		t.Errorf("suggest(Kab. Sidoarjoo) = %q, want %q", got, want)
	}
	for i := 1; i < len(got); i++ {
		prev := editDistance("sidoarjoo", lettersOnly(splitPrefix(got[i-1])))
		if d := editDistance("sidoarjoo", lettersOnly(splitPrefix(got[i]))); d < prev {
			t.Errorf("suggest(Kab. Sidoarjoo) = %q: not nearest first", got)
		}
	}
}

func TestRegionAdd(t *testing.T) {
	r := NewRegions()
	if r.Known("Kab. Kudus") {
		t.Fatal("Kab. Kudus known before Add")
	}
	r.Add("Kab. Kudus")
	r.Add("Kab. Kudus") // twice is harmless
	r.Add("Kota Semarang")
	r.Add("KABUPATEN SEMARANG") // not canonical: canonicalised
	for _, tt := range []struct{ in, want string }{
		{"Kab. Kudus", "Kab. Kudus"},
		{"KAB KUDUS", "Kab. Kudus"},
		{"Kudus", "Kab. Kudus"},
		{"Kotamadya Semarang", "Kota Semarang"},
		{"Kabupaten Semarang", "Kab. Semarang"},
	} {
		if got, err := r.Normalize(tt.in); err != nil || got != tt.want {
			t.Errorf("Normalize(%q) = %q, %v; want %q", tt.in, got, err, tt.want)
		}
	}
	_, err := r.Normalize("Semarang")
	var reason *queries.Message
	if !errors.As(err, &reason) || reason.ID != `ambigu: tulis "Kab. Semarang" atau "Kota Semarang"` {
		t.Errorf("Normalize(Semarang) = %v; want ambiguous", err)
	}
	_, err = r.Normalize("Kab. Kuduss")
	if !errors.As(err, &reason) || !strings.Contains(reason.ID, `maksud Anda "Kab. Kudus"?`) {
		t.Errorf("Normalize(Kab. Kuduss) = %v; want a suggestion of Kab. Kudus", err)
	}
	for _, n := range []string{"Kab. Kudus", "Kota Semarang", "Kab. Semarang", "KAB KUDUS"} {
		if !r.Known(n) {
			t.Errorf("Known(%q) = false after Add", n)
		}
	}
	if n := len(r.Names()); n != 41 {
		t.Errorf("len(Names()) = %d after three Adds, want 41", n)
	}
	// Built-ins are not affected by other Regions values.
	if NewRegions().Known("Kab. Kudus") {
		t.Error("Add leaked into a new Regions")
	}
}

func TestRegionNames(t *testing.T) {
	names := NewRegions().Names()
	if len(names) != 38 {
		t.Fatalf("len(Names()) = %d, want 38", len(names))
	}
	if names[0] != "Kab. Bangkalan" || names[28] != "Kab. Tulungagung" || names[29] != "Kota Batu" || names[37] != "Kota Surabaya" {
		t.Errorf("Names() order: %q", names)
	}
	if !slices.IsSortedFunc(names, func(a, b string) int {
		if regionLess(a, b) {
			return -1
		}
		return 1
	}) {
		t.Errorf("Names() not sorted: %q", names)
	}
	for _, n := range names {
		if !NewRegions().Known(n) {
			t.Errorf("Known(%q) = false", n)
		}
	}
	for _, n := range []string{"Malang", "Kab. Surabaya", "Kota Jember", ""} {
		if NewRegions().Known(n) {
			t.Errorf("Known(%q) = true", n)
		}
	}
}

func TestRegionEditDistance(t *testing.T) {
	tests := []struct {
		a, b string
		want int
	}{
		{"", "", 0}, {"malang", "malang", 0}, {"malng", "malang", 1}, {"mlaang", "malang", 1},
		{"sidaorjo", "sidoarjo", 1}, {"", "batu", 4}, {"batu", "tuban", 4}, {"kitten", "sitting", 3},
	}
	for _, tt := range tests {
		if got := editDistance(tt.a, tt.b); got != tt.want {
			t.Errorf("editDistance(%q, %q) = %d, want %d", tt.a, tt.b, got, tt.want)
		}
	}
}
