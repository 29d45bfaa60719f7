package locale

import (
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
	}
	for _, tt := range tests {
		if tt.got != tt.want {
			t.Errorf("%s: got %q, want %q", tt.lang, tt.got, tt.want)
		}
	}
}
