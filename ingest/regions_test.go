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

// The 38 kabupaten and kota of Jawa Timur, as WORKBOOKS.md lists them.
var (
	jatimKabupaten = []string{"Bangkalan", "Banyuwangi", "Blitar", "Bojonegoro", "Bondowoso",
		"Gresik", "Jember", "Jombang", "Kediri", "Lamongan", "Lumajang", "Madiun", "Magetan",
		"Malang", "Mojokerto", "Nganjuk", "Ngawi", "Pacitan", "Pamekasan", "Pasuruan",
		"Ponorogo", "Probolinggo", "Sampang", "Sidoarjo", "Situbondo", "Sumenep",
		"Trenggalek", "Tuban", "Tulungagung"}
	jatimKota = []string{"Batu", "Blitar", "Kediri", "Madiun", "Malang", "Mojokerto",
		"Pasuruan", "Probolinggo", "Surabaya"}
)

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
		{"Kab. Atlantis",
			`tidak dikenal; tulis "Kab. X" atau "Kota X" untuk kabupaten/kota di katalog wilayah resmi Kemendagri, atau tambahkan lewat sheet Wilayah`,
			`unknown; write "Kab. X" or "Kota X" for a kabupaten/kota of the official Kemendagri catalogue, or add it through the Wilayah sheet`},
		// Near names of other provinces too, when the program has none.
		{"Kab. Jakarta", `tidak dikenal; maksud Anda "Kota Jakarta Barat", "Kota Jakarta Pusat" atau "Kota Jakarta Selatan"?`,
			`unknown; did you mean "Kota Jakarta Barat", "Kota Jakarta Pusat" or "Kota Jakarta Selatan"?`},
		{"Kota Semarng", `tidak dikenal; maksud Anda "Kota Semarang" atau "Kota Serang"?`, `unknown; did you mean "Kota Semarang" or "Kota Serang"?`},
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
		// The program's regions first, then the rest of Indonesia.
		{"Malnag", []string{"Kab. Malang", "Kota Malang"}},
		{"Kab. Jembr", []string{"Kab. Jember"}}, // not Kab. Jembrana (Bali): the program's are as near
		{"Kab. Jembrna", []string{"Kab. Jembrana"}},
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
		r.Add(n, "Jawa Timur")
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
	if r.Known("Kab. Sukamaju") {
		t.Fatal("Kab. Sukamaju known before Add")
	}
	r.Add("Kab. Sukamaju", "Jawa Timur")
	r.Add("Kab. Sukamaju", "Jawa Timur") // twice is harmless
	r.Add("Kota Sukamakmur", "Jawa Timur")
	r.Add("KABUPATEN SUKAMAKMUR", "Jawa Timur") // not canonical: canonicalised
	r.Add("Kota Jember", "Jawa Timur")          // a name the catalogue lacks, however near
	for _, tt := range []struct{ in, want string }{
		{"Kab. Sukamaju", "Kab. Sukamaju"},
		{"KAB SUKAMAJU", "Kab. Sukamaju"},
		{"Sukamaju", "Kab. Sukamaju"},
		{"Kotamadya Sukamakmur", "Kota Sukamakmur"},
		{"Kabupaten Sukamakmur", "Kab. Sukamakmur"},
	} {
		if got, err := r.Normalize(tt.in); err != nil || got != tt.want {
			t.Errorf("Normalize(%q) = %q, %v; want %q", tt.in, got, err, tt.want)
		}
	}
	_, err := r.Normalize("Sukamakmur")
	var reason *queries.Message
	if !errors.As(err, &reason) || reason.ID != `ambigu: tulis "Kab. Sukamakmur" atau "Kota Sukamakmur"` {
		t.Errorf("Normalize(Sukamakmur) = %v; want ambiguous", err)
	}
	_, err = r.Normalize("Jember") // now both a Kab. and an added Kota
	if !errors.As(err, &reason) || reason.ID != `ambigu: tulis "Kab. Jember" atau "Kota Jember"` {
		t.Errorf("Normalize(Jember) = %v; want ambiguous", err)
	}
	_, err = r.Normalize("Kab. Sukamajuu")
	if !errors.As(err, &reason) || !strings.Contains(reason.ID, `maksud Anda "Kab. Sukamaju"`) {
		t.Errorf("Normalize(Kab. Sukamajuu) = %v; want a suggestion of Kab. Sukamaju", err)
	}
	for _, n := range []string{"Kab. Sukamaju", "Kota Sukamakmur", "Kab. Sukamakmur", "KAB SUKAMAJU"} {
		if !r.Known(n) || r.Code(n) != "" {
			t.Errorf("Known(%q), Code = %v, %q after Add; want true and no code", n, r.Known(n), r.Code(n))
		}
	}
	if n := len(r.Names()); n != 42 {
		t.Errorf("len(Names()) = %d after four Adds, want 42", n)
	}
	if NewRegions().Known("Kab. Sukamaju") {
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

// Resolution against the catalogue of all Indonesia, with the program's
// provinces deciding warnings and what a bare name means (WORKBOOKS.md).
func TestRegionResolveProvinces(t *testing.T) {
	jatim, both, jateng := []string{"Jawa Timur"}, []string{"Jawa Timur", "Jawa Tengah"}, []string{"jawa tengah"}
	tests := []struct {
		program  []string
		in       string
		name     string // "" when refused
		code     string
		warnProv string // the province a warning names; "" for none
		refusal  string // the start of the refusal
	}{
		{jatim, "Kab. Jember", "Kab. Jember", "35.09", "", ""},
		{jatim, "Jember", "Kab. Jember", "35.09", "", ""},     // bare, within the program
		{jatim, "SURABAYA", "Kota Surabaya", "35.78", "", ""}, // bare, within the program
		{jatim, "Kab. Kudus", "Kab. Kudus", "33.19", "Jawa Tengah", ""},
		{jatim, "Kudus", "Kab. Kudus", "33.19", "Jawa Tengah", ""}, // bare, national: the one of all Indonesia
		{both, "Kudus", "Kab. Kudus", "33.19", "", ""},
		{jateng, "Jember", "Kab. Jember", "35.09", "Jawa Timur", ""},
		{jatim, "Kotamadya Semarang", "Kota Semarang", "33.74", "Jawa Tengah", ""},
		{jatim, "Kota Administrasi Jakarta Pusat", "Kota Jakarta Pusat", "31.71", "Daerah Khusus Ibukota Jakarta", ""},
		{jatim, "Jakarta Pusat", "Kota Jakarta Pusat", "31.71", "Daerah Khusus Ibukota Jakarta", ""},
		{jatim, "Kab. Pangkajene Dan Kepulauan", "Kab. Pangkajene dan Kepulauan", "73.10", "Sulawesi Selatan", ""},
		// Two of that name in the program, or none in it and two in Indonesia.
		{jatim, "Malang", "", "", "", `ambigu: tulis "Kab. Malang" atau "Kota Malang"`},
		{jateng, "Malang", "", "", "", `ambigu: tulis "Kab. Malang" (Jawa Timur) atau "Kota Malang" (Jawa Timur)`},
		{jatim, "Bandung", "", "", "", `ambigu: tulis "Kab. Bandung" (Jawa Barat) atau "Kota Bandung" (Jawa Barat)`},
		{jatim, "Banjar", "", "", "", `ambigu: tulis "Kab. Banjar" (Kalimantan Selatan) atau "Kota Banjar" (Jawa Barat)`},
		// Semarang is one Kab. and one Kota of Jawa Tengah: bare, ambiguous inside the program.
		{both, "Semarang", "", "", "", `ambigu: tulis "Kab. Semarang" atau "Kota Semarang"`},
		{jatim, "Kab. Jembr", "", "", "", `tidak dikenal; maksud Anda "Kab. Jember"?`},
		{jateng, "Kab. Kuduss", "", "", "", `tidak dikenal; maksud Anda "Kab. Kudus"?`},
	}
	for _, tt := range tests {
		r := NewRegions(tt.program...)
		reg, err := r.resolve(tt.in)
		if tt.refusal != "" {
			var m *queries.Message
			if !errors.As(err, &m) || !strings.HasPrefix(m.ID, tt.refusal) {
				t.Errorf("%v: resolve(%q) = %v, %v; want refusal %q", tt.program, tt.in, reg, err, tt.refusal)
			}
			continue
		}
		if err != nil || reg.name != tt.name || reg.code != tt.code {
			t.Errorf("%v: resolve(%q) = %+v, %v; want %q %q", tt.program, tt.in, reg, err, tt.name, tt.code)
			continue
		}
		warn := r.elsewhere(reg)
		switch {
		case tt.warnProv == "" && warn != nil:
			t.Errorf("%v: %q warns %q", tt.program, tt.in, warn.ID)
		case tt.warnProv != "" && (warn == nil || !strings.Contains(warn.ID, "ada di provinsi "+tt.warnProv+",") || !strings.Contains(warn.EN, "is in "+tt.warnProv+",")):
			t.Errorf("%v: %q warning = %v, want one naming %s", tt.program, tt.in, warn, tt.warnProv)
		}
	}
}

// Names lists the program's regions: Jawa Timur's 29 kabupaten and 9 kota by
// default, and the regions of every province the program has.
func TestRegionNamesOfProgram(t *testing.T) {
	if n := len(NewRegions("Jawa Timur", "Jawa Tengah").Names()); n != 38+35 {
		t.Errorf("Jawa Timur and Jawa Tengah: %d regions, want 73", n)
	}
	want := []string{}
	for _, n := range jatimKabupaten {
		want = append(want, "Kab. "+n)
	}
	for _, n := range jatimKota {
		want = append(want, "Kota "+n)
	}
	if got := NewRegions().Names(); !slices.Equal(got, want) {
		t.Errorf("Names() = %q\nwant %q", got, want)
	}
}
