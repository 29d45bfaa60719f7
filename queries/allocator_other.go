//go:build !linux || !cgo

package queries

// returnFreedMemory does nothing where DuckDB does not bundle jemalloc.
func returnFreedMemory() bool { return false }
