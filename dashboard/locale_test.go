package dashboard

import (
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"
)

func TestCatalogsHaveTheSameKeys(t *testing.T) {
	id, en := locales["id"], locales["en"]
	for k := range id.msgs {
		if _, ok := en.msgs[k]; !ok {
			t.Errorf("key %q is in id.json, not in en.json", k)
		}
	}
	for k := range en.msgs {
		if _, ok := id.msgs[k]; !ok {
			t.Errorf("key %q is in en.json, not in id.json", k)
		}
	}
}

// Every literal key the templates and the Go code ask for exists; keys built
// at run time (chart ids, genders, stages, months) are checked by asking.
func TestEveryUsedKeyExists(t *testing.T) {
	literal := regexp.MustCompile(`\.T "([a-z_.]+)"|\bT\("([a-z_.\-]+)"[,)]`)
	var used []string
	for _, dir := range []string{"templates", "."} {
		entries, _ := os.ReadDir(dir)
		for _, e := range entries {
			name := filepath.Join(dir, e.Name())
			if e.IsDir() || !(strings.HasSuffix(name, ".html") || strings.HasSuffix(name, ".go")) || strings.HasSuffix(name, "_test.go") {
				continue
			}
			body, err := fs.ReadFile(os.DirFS("."), name)
			if err != nil {
				t.Fatal(err)
			}
			for _, m := range literal.FindAllStringSubmatch(string(body), -1) {
				used = append(used, m[1]+m[2])
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
	for _, sec := range sections {
		used = append(used, "nav."+sec.Key, "page."+sec.Key)
	}
	slices.Sort(used)
	for _, k := range slices.Compact(used) {
		for _, l := range locales {
			if _, ok := l.msgs[k]; !ok {
				t.Errorf("%s catalog lacks %q", l.Lang, k)
			}
		}
	}
}

func itoa(i int) string { return strconv.Itoa(i) }

func TestNumberAndDateFormats(t *testing.T) {
	half := 0.4531
	tests := []struct {
		lang string
		got  string
		want string
	}{
		{"id", locales["id"].Num(1234), "1.234"},
		{"id", locales["id"].Num(1234.5), "1.234,5"},
		{"id", locales["id"].Num(int64(1250000)), "1.250.000"},
		{"id", locales["id"].Pct(&half), "45,3%"},
		{"id", locales["id"].Pct(nil), "–"},
		{"id", locales["id"].Date(time.Date(2014, 9, 11, 0, 0, 0, 0, time.UTC)), "11 September 2014"},
		{"id", locales["id"].Date(time.Date(2014, 8, 1, 0, 0, 0, 0, time.UTC)), "1 Agustus 2014"},
		{"id", locales["id"].Month("2014-12"), "Desember 2014"},
		{"en", locales["en"].Num(1234.5), "1,234.5"},
		{"en", locales["en"].Pct(&half), "45.3%"},
		{"en", locales["en"].Date(time.Date(2014, 9, 11, 0, 0, 0, 0, time.UTC)), "11 September 2014"},
		{"id", locales["id"].Cell(rupiah(1250000)), "Rp 1.250.000"},
		{"id", locales["id"].Cell(share{&half}), "45,3%"},
		{"id", locales["id"].Cell("<b>"), "<b>"}, // escaping is the template's job
	}
	for _, tt := range tests {
		if tt.got != tt.want {
			t.Errorf("%s: got %q, want %q", tt.lang, tt.got, tt.want)
		}
	}
}
