package areas

import "testing"

// BenchmarkParse is what the first use of the catalogue costs a process:
// unpacking and indexing every province, regency, district and village.
func BenchmarkParse(b *testing.B) {
	for b.Loop() {
		if _, err := parse(packed); err != nil {
			b.Fatal(err)
		}
	}
}
