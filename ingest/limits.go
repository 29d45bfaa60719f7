package ingest

import (
	"path/filepath"
	"runtime/debug"

	"pantau/queries"
)

// DefaultMemoryLimit is DuckDB's memory limit in a process that ingests
// files (the command line's `pantau ingest`): enough for a commit's
// queries, small enough that the process stays within a small server's
// memory whatever the size of the file (what does not fit is spilled; a
// commit that needs more than the limit is let have DuckDB's default
// rather than fail).
const DefaultMemoryLimit = 40 << 20

// MinMemoryLimit is the least memory limit an ingest is let run with:
// below about 24 MiB DuckDB cannot append the staged rows (16 MiB fails).
const MinMemoryLimit = 32 << 20

// DatabaseLimits are the limits a process that ingests files opens the
// database with: DuckDB's memory limited to memory bytes (0: DuckDB's
// default), one thread (the reading of the workbook already keeps both
// cores of a small server busy, and every DuckDB thread holds buffers of
// its own), and the spill folder inside the data folder, beside the files.
func DatabaseLimits(dataDir string, memory int64) queries.Limits {
	l := queries.Limits{Memory: memory, Threads: 1}
	if dataDir != "" {
		l.TempDir = filepath.Join(dataDir, spillDir)
	}
	return l
}

// spillDir is the folder, inside the data folder, that DuckDB spills to.
const spillDir = ".spill"

// BoundMemory makes the Go heap of a process that ingests files, whose
// reading makes much short-lived garbage, collected when it has grown by
// half its live size rather than doubled (a few percent more CPU for tens
// of MB less), and returns what restores the setting.
func BoundMemory() (undo func()) {
	gc := debug.SetGCPercent(50)
	return func() { debug.SetGCPercent(gc) }
}
