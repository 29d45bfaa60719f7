package dashboard

import (
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"pantau/dashboard/echarts"
	"pantau/dashboard/locale"
	"pantau/dashboard/report"
)

// Every literal key the templates and the Go code ask for exists; keys built
// at run time (chart ids, genders, stages, months) are checked by asking.
func TestEveryUsedKeyExists(t *testing.T) {
	literal := regexp.MustCompile(`\.T "([a-z_.]+)"|\b(?:T|Msg|Wrap)\("([a-z_.\-]+)"[,)]|\b(?:failure|httpError)\([\w.]+, "([a-z_.\-]+)"[,)]`)
	var used []string
	for _, dir := range []string{"templates", ".", "echarts", "report", "uploads", "../cmd/pantau"} {
		entries, _ := os.ReadDir(dir)
		for _, e := range entries {
			name := filepath.Join(dir, e.Name())
			if e.IsDir() || !(strings.HasSuffix(name, ".html") || strings.HasSuffix(name, ".go")) || strings.HasSuffix(name, "_test.go") {
				continue
			}
			body, err := os.ReadFile(name)
			if err != nil {
				t.Fatal(err)
			}
			for _, m := range literal.FindAllStringSubmatch(string(body), -1) {
				used = append(used, m[1]+m[2]+m[3])
			}
		}
	}
	if len(used) < 50 {
		t.Fatalf("found only %d keys in use: the pattern is broken", len(used))
	}
	for _, def := range chartDefs {
		used = append(used, "chart."+def.id)
	}
	for _, k := range []string{"gender.P", "gender.L", "work_type.POS", "work_type.SE", "role.viewer", "role.uploader", "role.admin",
		"users.done_added", "users.done_disabled", "users.done_enabled", "users.done_reset"} {
		used = append(used, k)
	}
	for i := 1; i <= 12; i++ {
		used = append(used, "month."+itoa(i))
	}
	for i := 1; i <= 6; i++ {
		used = append(used, "stage."+itoa(i))
	}
	for _, code := range []string{"a", "b", "c", "d", "e", "f", "g", "h", "i"} {
		used = append(used, "problem."+code)
	}
	for _, s := range echarts.TargetStatuses {
		used = append(used, "status."+s)
	}
	for _, sec := range sections {
		used = append(used, "nav."+sec.Key, "page."+sec.Key)
	}
	slices.Sort(used)
	for _, k := range slices.Compact(used) {
		for _, lang := range locale.Languages {
			if l, _ := locale.Get(lang); !l.Has(k) {
				t.Errorf("%s catalog lacks %q", l.Lang, k)
			}
		}
	}
}

func itoa(i int) string { return strconv.Itoa(i) }

// Table cells as pages show them.
func TestCellText(t *testing.T) {
	half := 0.4531
	id := locale.Default()
	tests := []struct{ got, want string }{
		{cellText(id, report.Rupiah(1250000)), "Rp 1.250.000"},
		{cellText(id, report.Share{P: &half}), "45,3%"},
		{cellText(id, report.Share{}), "–"},
		{cellText(id, 1234), "1.234"},
		{cellText(id, "<b>"), "<b>"}, // escaping is the template's job
	}
	for _, tt := range tests {
		if tt.got != tt.want {
			t.Errorf("got %q, want %q", tt.got, tt.want)
		}
	}
}
