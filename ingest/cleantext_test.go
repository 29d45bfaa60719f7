package ingest

import (
	"strings"
	"testing"
)

// cleanText's shortcut for text already clean gives what the long way gives.
func TestCleanTextShortcut(t *testing.T) {
	for _, s := range []string{"", " ", "a", "a b", "a  b", " a", "a ", "a\tb", "a\nb", "a\vb", "a\fb", "a\rb",
		"a\u00a0b", "a\u0085b", "a\u2003b", "Kab. Malang", "Rifa'i", "ñ", "a b c d", "x  ", "  x"} {
		if got, want := cleanText(s), strings.Join(strings.Fields(s), " "); got != want {
			t.Errorf("cleanText(%q) = %q, want %q", s, got, want)
		}
	}
}

// parseNumeric's shortcut takes only what the full pattern takes.
func TestNumericShortcut(t *testing.T) {
	for _, s := range []string{"", "0", "42", "0042", "4.5", "-3", "+3", "1e5", "١٢", "12a", " 1", "99999999999999999999"} {
		if allDigits(s) && !reNumeric.MatchString(s) {
			t.Errorf("allDigits(%q) but the pattern refuses it", s)
		}
		got, ok := parseNumeric(s)
		if wantOK := reNumeric.MatchString(s); ok != wantOK {
			t.Errorf("parseNumeric(%q) = %v, %v; the pattern says %v", s, got, ok, wantOK)
		}
	}
}
