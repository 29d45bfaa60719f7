package ingest

import "hash/maphash"

// rowKeys remembers which row of a sheet first held each key, for the
// duplicate check, in memory that does not depend on how long the keys are:
// a key is kept as a fingerprint of two keyed hashes in one map entry of 16
// bytes (about 25 MB for a sheet of a million rows, where the keys
// themselves in a map of strings took about three times that). The first
// hash is the map key; the entry holds 43 bits of the second and the row.
//
// Two different keys share a fingerprint (64 + 43 bits) with probability
// 2^-107 per pair: for the largest sheet Excel allows (2^20 rows, about 2^39
// pairs) that is below 10^-20. The seeds are random per sheet, so a file
// cannot be made to collide on purpose. Keys whose first hashes alone
// collide (about one sheet in 30 million) both stay: the second takes the
// next free map key.
type rowKeys struct {
	seeds [2]maphash.Seed
	first map[uint64]uint64
}

// rowBits hold a row number in a map entry: 2^21 > xlsx.MaxRows.
const rowBits = 21

func newRowKeys() *rowKeys {
	return &rowKeys{seeds: [2]maphash.Seed{maphash.MakeSeed(), maphash.MakeSeed()}, first: map[uint64]uint64{}}
}

// add records that row (at most xlsx.MaxRows) holds key, and returns the
// earlier row that held it first, if any.
func (k *rowKeys) add(key string, row int) (first int, dup bool) {
	slot, check := maphash.String(k.seeds[0], key), maphash.String(k.seeds[1], key)>>rowBits
	for {
		entry, taken := k.first[slot]
		if !taken {
			k.first[slot] = check<<rowBits | uint64(row)
			return 0, false
		}
		if entry>>rowBits == check {
			return int(entry & (1<<rowBits - 1)), true
		}
		slot++ // another key whose first hash is this one
	}
}
