package ingest

import (
	"fmt"
	"hash/maphash"
	"runtime"
	"testing"
)

// TestRowKeys: the duplicate check's memory of keys finds every repeated
// key with the row that first held it, and no key it never saw.
func TestRowKeys(t *testing.T) {
	k := newRowKeys()
	const n = 200_000
	for row := 2; row < n+2; row++ {
		if first, dup := k.add(fmt.Sprintf("r-%07d", row), row); dup {
			t.Fatalf("row %d: a new key taken for a duplicate of row %d", row, first)
		}
	}
	for _, c := range []struct {
		key  string
		want int
	}{{"r-0000002", 2}, {"r-0123456", 123456}, {fmt.Sprintf("r-%07d", n+1), n + 1}} {
		if first, dup := k.add(c.key, n+100); !dup || first != c.want {
			t.Errorf("add(%q) = %d, %v; want %d, true", c.key, first, dup, c.want)
		}
	}
	// A repeat of a repeat still names the first row, not the second.
	if first, dup := k.add("r-0000002", n+200); !dup || first != 2 {
		t.Errorf("third r-0000002: %d, %v; want 2, true", first, dup)
	}
	for _, key := range []string{"", "r-0000001", "R-0000002", "r-0000002 ", fmt.Sprintf("r-%07d", n+2)} {
		if first, dup := k.add(key, n+300); dup {
			t.Errorf("add(%q): a duplicate of row %d, though never seen", key, first)
		}
	}
}

// TestRowKeysSameFirstHash: keys whose first hashes collide are told
// apart by the second and both kept, each with its own first row.
func TestRowKeysSameFirstHash(t *testing.T) {
	k := newRowKeys()
	slot := maphash.String(k.seeds[0], "r-1")
	other := ^(maphash.String(k.seeds[1], "r-1") >> rowBits) // a check r-1 does not have
	k.first[slot] = other<<rowBits | 7                       // another key at row 7, same first hash
	if first, dup := k.add("r-1", 9); dup {
		t.Fatalf("r-1 taken for a duplicate of row %d, the other key's", first)
	}
	if first, dup := k.add("r-1", 12); !dup || first != 9 {
		t.Errorf("second r-1: %d, %v; want 9, true", first, dup)
	}
	if len(k.first) != 2 || k.first[slot] != other<<rowBits|7 {
		t.Errorf("the other key's entry changed: %v", k.first)
	}
}

// TestRowKeysMemory: what the duplicate check keeps per row does not depend
// on how long the keys are: 100,000 keys of 1,000 characters take under
// 48 bytes a row (the keys themselves are 100 MB).
func TestRowKeysMemory(t *testing.T) {
	const n = 100_000
	key := make([]byte, 1000)
	for i := range key {
		key[i] = 'a' + byte(i%26)
	}
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	k := newRowKeys()
	for row := 0; row < n; row++ {
		copy(key, fmt.Sprintf("%09d", row))
		k.add(string(key), row+2) // a new string each row, as a sheet's cells are
	}
	runtime.GC()
	runtime.ReadMemStats(&after)
	perRow := float64(after.HeapAlloc-before.HeapAlloc) / n
	t.Logf("%.1f bytes a row", perRow)
	if perRow > 48 {
		t.Errorf("the key set keeps %.1f bytes a row; want under 48", perRow)
	}
	runtime.KeepAlive(k)
}
