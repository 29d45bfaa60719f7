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
