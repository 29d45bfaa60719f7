package main

import (
	"path/filepath"
	"strings"
	"testing"
)

// TestIngestMemoryLimit: --memory-limit refuses a size below 32 MiB by
// name, and an ingest under that least limit still commits every row.
func TestIngestMemoryLimit(t *testing.T) {
	c := newCLI(t)
	samples := filepath.Join(c.dir, "samples")
	c.mustRun("sample", "--out", samples, "--respondents", "2000", "--groups", "50", "--seed", "5")
	survey := filepath.Join(samples, "survei.xlsx")

	for _, limit := range []string{"-1", "1048576"} {
		if _, errs, code := c.run("ingest", "--memory-limit", limit, survey); code != 2 || !strings.Contains(errs, "--memory-limit must be 0") || !strings.Contains(errs, "32 MiB") {
			t.Errorf("ingest --memory-limit %s: exit %d, %q; want 2 naming the flag and the least limit", limit, code, errs)
		}
	}
	out := c.mustRun("ingest", "--lang", "en", "--memory-limit", "33554432", survey)
	if !strings.Contains(out, "imported as import #") {
		t.Errorf("ingest under a 32 MiB limit:\n%s", out)
	}
	if got := c.summary()["respondents"].(map[string]any)["total"]; got != 2000.0 {
		t.Errorf("respondents total %v, want 2000", got)
	}
}
