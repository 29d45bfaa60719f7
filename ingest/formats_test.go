package ingest_test

import (
	"errors"
	"flag"
	"io/fs"
	"os"
	"strings"
	"testing"

	"pantau/ingest"
)

var update = flag.Bool("update", false, "rewrite the format tables in ../README.md")

const (
	readmePath   = "../README.md"
	formatsStart = "<!-- formats:start -->"
	formatsEnd   = "<!-- formats:end -->"
	updateHint   = "go test ./ingest -run TestReadmeHasFormatTables -update"
)

// TestReadmeHasFormatTables keeps the README's workbook formats generated
// from the specs: between the markers it must hold FormatTables() exactly.
// With -update it rewrites that part; it never creates the README or the markers.
func TestReadmeHasFormatTables(t *testing.T) {
	data, err := os.ReadFile(readmePath)
	if errors.Is(err, fs.ErrNotExist) {
		t.Fatalf("%s does not exist: write it with the lines %s and %s where the workbook formats go, then run %s",
			readmePath, formatsStart, formatsEnd, updateHint)
	}
	if err != nil {
		t.Fatal(err)
	}
	readme := string(data)
	i, j := strings.Index(readme, formatsStart), strings.Index(readme, formatsEnd)
	if i < 0 || j < i {
		t.Fatalf("%s lacks the lines %s and %s (in that order) around the workbook formats; add them, then run %s",
			readmePath, formatsStart, formatsEnd, updateHint)
	}
	want := formatsStart + "\n\n" + ingest.FormatTables() + "\n" + formatsEnd
	if readme[i:j+len(formatsEnd)] == want {
		return
	}
	if !*update {
		t.Fatalf("the workbook formats in %s are not FormatTables(); run %s", readmePath, updateHint)
	}
	updated := readme[:i] + want + readme[j+len(formatsEnd):]
	if err := os.WriteFile(readmePath, []byte(updated), 0o644); err != nil {
		t.Fatal(err)
	}
	t.Logf("updated the workbook formats in %s", readmePath)
}

// TestFormatTablesCoverSpecs checks every sheet and column is documented,
// with its aliases and whether it is required.
func TestFormatTablesCoverSpecs(t *testing.T) {
	doc := ingest.FormatTables()
	for _, heading := range []string{"### Peserta (participants workbook)", "### Survei (field-survey workbook)"} {
		if !strings.Contains(doc, heading+"\n") {
			t.Errorf("no heading %q", heading)
		}
	}
	for _, s := range ingest.Sheets() {
		at := strings.Index(doc, "#### Sheet `"+s.Name+"`\n")
		if at < 0 {
			t.Errorf("sheet %s is not documented", s.Name)
			continue
		}
		section := doc[at:]
		if next := strings.Index(section[1:], "\n#"); next >= 0 {
			section = section[:next+1]
		}
		for _, a := range s.Aliases {
			if !strings.Contains(section, "`"+a+"`") {
				t.Errorf("sheet %s: alias %s missing", s.Name, a)
			}
		}
		if !strings.Contains(section, s.Help) {
			t.Errorf("sheet %s: help missing", s.Name)
		}
		for _, c := range s.Columns {
			required := "no"
			switch {
			case c.Required:
				required = "**yes**"
			case strings.Contains(c.Help, "wajib"):
				required = "conditional" // e.g. Wilayah, for field facilitators
			}
			row := "| " + c.Header + " | " + strings.Join(c.Aliases, ", ") + " | " + required + " | "
			if !strings.Contains(section, "\n"+row) {
				t.Errorf("sheet %s: no row starting %q", s.Name, row)
			}
		}
	}
	if doc != ingest.FormatTables() {
		t.Error("FormatTables is not deterministic")
	}
}
