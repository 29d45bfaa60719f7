//go:build linux && cgo

package queries

/*
#cgo LDFLAGS: -ldl
#include <dlfcn.h>
#include <stdio.h>
#include <sys/types.h>

typedef int (*mallctl_fn)(const char *, void *, size_t *, void *, size_t);

// no_decay sets the dirty and muzzy decay of DuckDB's bundled jemalloc to
// zero, for the arenas it has and those it will make. It returns 0, or -1
// when the binary holds no such allocator (a DuckDB linked another way).
static int no_decay(void) {
	mallctl_fn mallctl = (mallctl_fn)dlsym(RTLD_DEFAULT, "duckdb_je_mallctl");
	if (mallctl == NULL) {
		return -1;
	}
	ssize_t zero = 0;
	int err = mallctl("arenas.dirty_decay_ms", NULL, NULL, &zero, sizeof zero);
	err |= mallctl("arenas.muzzy_decay_ms", NULL, NULL, &zero, sizeof zero);
	unsigned narenas = 0;
	size_t len = sizeof narenas;
	if (mallctl("arenas.narenas", &narenas, &len, NULL, 0) != 0) {
		return -1;
	}
	char name[64];
	for (unsigned i = 0; i < narenas; i++) {
		// An arena not made yet refuses; it will take the defaults above.
		snprintf(name, sizeof name, "arena.%u.dirty_decay_ms", i);
		mallctl(name, NULL, NULL, &zero, sizeof zero);
		snprintf(name, sizeof name, "arena.%u.muzzy_decay_ms", i);
		mallctl(name, NULL, NULL, &zero, sizeof zero);
	}
	return err == 0 ? 0 : -1;
}
*/
import "C"

// returnFreedMemory makes DuckDB's allocator (the jemalloc it bundles on
// Linux) give the pages DuckDB frees back to the system at once, rather
// than keep them for a second or more in case they are wanted again: a
// process bounded in memory should hold what it uses, not what it used.
// It acts on the whole process and reports whether it could.
func returnFreedMemory() bool { return C.no_decay() == 0 }
