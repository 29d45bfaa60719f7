package dashboard_test

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"pantau/ingest/xlsx/xlsxtest"
	"pantau/queries"
	"pantau/queries/querytest"
)

// checkUpload uploads f as the uploader and waits for its check to end ready.
func (e *testEnv) checkUpload(c *http.Client, token string, f uploadFile) string {
	e.t.Helper()
	status, page, body := e.upload(c, token, f)
	if status != http.StatusSeeOther {
		e.t.Fatalf("upload %s: status %d: %.300s", f.name, status, body)
	}
	if st := e.waitUpload(c, page); st != "ready" {
		e.t.Fatalf("upload %s: state %q, want ready", f.name, st)
	}
	return page
}

// impor clicks Impor on the preview at page and returns the page once the
// commit has ended committed.
func (e *testEnv) impor(c *http.Client, token, page string) string {
	e.t.Helper()
	if resp := e.post(c, page+"/commit", url.Values{"_csrf": {token}}); resp.StatusCode != http.StatusSeeOther {
		e.t.Fatalf("Impor: status %d", resp.StatusCode)
	}
	if st := e.waitUpload(c, page); st != "committed" {
		e.t.Fatalf("Impor: state %q, want committed", st)
	}
	return e.get(c, page, http.StatusOK)
}

// stored is every stored table of db, as text, for comparing two databases.
func stored(t *testing.T, db *queries.DB) map[string][]string {
	t.Helper()
	out := map[string][]string{}
	for _, k := range queries.Kinds {
		for _, table := range []string{string(k), strings.TrimSuffix(string(k), "s") + "_versions"} {
			out[table] = querytest.Rows(t, db, table)
		}
	}
	out["import_sheets"] = querytest.Rows(t, db, "import_sheets")
	s, err := db.Summary(context.Background(), queries.Filter{})
	if err != nil {
		t.Fatal(err)
	}
	b, _ := json.Marshal(s)
	out["summary"] = []string{string(b)}
	return out
}

// Impor after a check commits the rows the check staged: it does not read
// the file again, and stores exactly what a direct ingest of the file does.
func TestImporCommitsTheCheckedRows(t *testing.T) {
	env := newTestEnv(t, envOptions{})
	ingestBytes(t, env.DB, env.dataDir, "peserta.xlsx", participantBytes(t))
	c := env.login("uploader")
	token := env.csrfFrom(c, "/uploads")
	survey := surveyBytes(t, 300)
	page := env.checkUpload(c, token, uploadFile{"survei.xlsx", survey})

	// The waiting file is replaced by one that is no workbook: an Impor
	// that read it again would find the upload invalid.
	waiting := filepath.Join(env.dataDir, "uploads", strings.TrimPrefix(page, "/uploads/")+".xlsx")
	if err := os.WriteFile(waiting+".tmp", []byte("not a workbook"), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.Rename(waiting+".tmp", waiting); err != nil {
		t.Fatal(err)
	}
	done := env.impor(c, token, page)
	if strings.Contains(done, `id="upload-rechecked"`) {
		t.Error("the page says the file was checked again; nothing changed since the check")
	}
	if !strings.Contains(done, `<td data-count="new">300</td>`) {
		t.Errorf("the committed page does not count 300 new respondents: %.2000s", done)
	}

	// The same file ingested directly into a database of its own.
	direct := newTestEnv(t, envOptions{})
	ingestBytes(t, direct.DB, direct.dataDir, "peserta.xlsx", participantBytes(t))
	ingestBytes(t, direct.DB, direct.dataDir, "survei.xlsx", survey)
	got, want := stored(t, env.DB), stored(t, direct.DB)
	for table := range want {
		if !slices.Equal(got[table], want[table]) {
			t.Errorf("%s after Impor differs from a direct ingest: %d rows, want %d", table, len(got[table]), len(want[table]))
		}
	}
	if pending := pendingRows(t, env.DB); pending != 0 {
		t.Errorf("%d rows of pending batches left after the commit", pending)
	}
}

// pendingRows counts the rows of pending batches, which only the versions
// tables' raw rows show: Stored and Count leave them out.
func pendingRows(t *testing.T, db *queries.DB) int {
	t.Helper()
	n, err := db.PendingRows(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return n
}

// Impor re-checks the file when, since its check, another import brought
// rows of the same keys or a region, and says so on the page, in both
// languages; an import of other rows does not make it read the file again.
func TestImporChecksAgainWhenTheDataChanged(t *testing.T) {
	respondentsOnly := func(id string) []byte {
		return xlsxtest.Workbook(t, xlsxtest.Tab{Name: "Responden", Rows: [][]any{
			{"ID Responden", "Tanggal Survei", "Wilayah", "Jenis Pekerjaan"},
			{id, "2014-10-01", "Kota Malang", "POS"},
		}})
	}
	region := xlsxtest.Workbook(t, xlsxtest.Tab{Name: "Wilayah", Rows: [][]any{
		{"Wilayah", "Provinsi", "Tahun", "UMK"},
		{"Kab. Bogor", "Jawa Barat", 2014, 2242240},
	}})
	cases := []struct {
		name      string
		between   []byte // committed between the check and Impor
		rechecked bool
		new       int // respondents the commit counts as new
		total     int // respondents after it
	}{
		{"another import of one of its respondents", respondentsOnly("R-0000007"), true, 199, 200},
		{"another import adding a region", region, true, 200, 200},
		{"another import of other respondents", respondentsOnly("LAIN-1"), false, 200, 201},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			env := newTestEnv(t, envOptions{})
			ingestBytes(t, env.DB, env.dataDir, "peserta.xlsx", participantBytes(t))
			c := env.login("uploader")
			token := env.csrfFrom(c, "/uploads")
			page := env.checkUpload(c, token, uploadFile{"survei.xlsx", surveyBytes(t, 200)})
			ingestBytes(t, env.DB, env.dataDir, "antara.xlsx", tc.between)

			done := env.impor(c, token, page)
			if got := strings.Contains(done, `id="upload-rechecked"`); got != tc.rechecked {
				t.Errorf("the page says checked again: %v, want %v", got, tc.rechecked)
			}
			if want := `<td data-count="new">` + idNum(tc.new) + `</td>`; !strings.Contains(done, want) {
				t.Errorf("the committed page lacks %s", want)
			}
			if tc.rechecked {
				if !strings.Contains(done, "Data berubah sejak pemeriksaan") {
					t.Errorf("the Indonesian page does not say the file was checked again")
				}
				if en := env.get(c, page+"?lang=en", http.StatusOK); !strings.Contains(en, "The data changed since the check") {
					t.Errorf("the English page does not say the file was checked again")
				}
			}
			if n := respondentTotal(t, env.DB); n != tc.total {
				t.Errorf("%d respondents after Impor, want %d", n, tc.total)
			}
		})
	}
}

// An upload that ends without Impor (Batal, expiry) takes its checked rows
// out of the database.
func TestEndedUploadRemovesItsCheckedRows(t *testing.T) {
	env := newTestEnv(t, envOptions{})
	c := env.login("uploader")
	token := env.csrfFrom(c, "/uploads")
	waitNoPending := func(what string) {
		t.Helper()
		deadline := time.Now().Add(10 * time.Second)
		for pendingRows(t, env.DB) != 0 {
			if time.Now().After(deadline) {
				t.Fatalf("%s: %d rows of its check are still pending", what, pendingRows(t, env.DB))
			}
			time.Sleep(10 * time.Millisecond)
		}
	}

	page := env.checkUpload(c, token, uploadFile{"survei.xlsx", surveyBytes(t, 100)})
	if n := pendingRows(t, env.DB); n < 100 {
		t.Fatalf("a checked upload keeps %d pending rows, want its 100 respondents and more", n)
	}
	if resp := env.post(c, page+"/discard", url.Values{"_csrf": {token}}); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("discard: status %d", resp.StatusCode)
	}
	waitNoPending("after Batal")

	env.checkUpload(c, token, uploadFile{"survei.xlsx", surveyBytes(t, 100)})
	env.Advance(61 * time.Minute)
	env.get(c, "/uploads", http.StatusOK) // the list expires it
	waitNoPending("after expiry")
	if imports, _ := env.DB.Imports(context.Background()); len(imports) != 0 {
		t.Errorf("%d imports after two uploads that ended without Impor", len(imports))
	}
}
