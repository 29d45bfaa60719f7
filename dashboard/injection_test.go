package dashboard_test

// The HTML-injection test: every text field a workbook can bring, and a
// region added through a Wilayah sheet, holds a hostile payload; every page,
// chart and CSV is then fetched and must show the payload as inert text.

import (
	"encoding/csv"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"golang.org/x/net/html"

	"pantau/ingest/xlsx/xlsxtest"
)

var htPayloads = []string{
	`<script>alert(1)</script>`,
	`"><img src=x onerror=alert(1)>`,
	`</script><script>alert(2)</script>`,
	`'-alert(1)-'`,
	`{{.}}`,
	`javascript:alert(1)`,
	`=HYPERLINK("http://evil.example/","klik")`,
	`+SUM(1,1)`,
	`-2+3`,
	`@SUM(1,1)`,
	`<!-- x --><style>*{}</style>&amp;`,
}

// htRegions are hostile names a Wilayah sheet may add: the normaliser takes
// any "Kab. X"/"Kota X" and title-cases the words of X (so "src=x" becomes
// "Src=x"). These are the names as stored.
var htRegions = []string{
	`Kab. <script>alert(1)</script>`,
	`Kota "><img Src=x Onerror=alert(1)>`,
	`Kab. </script><script>alert(2)</script>`,
	`Kota '-alert(1)-' &amp; {{.}}`,
	`Kab. Javascript:alert(1)`,
}

// htHostileBook is one workbook with the four sheets, a hostile value in
// every text column.
func htHostileBook(t *testing.T) []byte {
	t.Helper()
	var wilayah, peserta, responden, kelompok [][]any
	wilayah = append(wilayah, []any{"Wilayah", "Provinsi", "Tahun", "UMK"})
	for i, r := range htRegions {
		wilayah = append(wilayah, []any{r, htPayloads[i], 2014, 1500000 + i})
	}
	peserta = append(peserta, []any{"Nama", "Jenis Kelamin", "Jabatan", "Wilayah", "Kegiatan", "Tanggal Kegiatan", "Lokasi"})
	responden = append(responden, []any{"ID Responden", "Tanggal Survei", "Wilayah", "Kecamatan", "Desa/Kelurahan",
		"Fasilitator", "Jenis Kelamin", "Umur", "Jenis Pekerjaan", "Produk", "Upah per Bulan",
		"Tanpa Kontrak Tertulis", "Tidak Diakui sebagai Pekerja", "Tanpa Perlindungan Hukum",
		"Tanpa Jaminan Kesehatan", "Tanpa Jaminan Hari Tua", "Alat Kerja Sendiri",
		"Tanpa Nilai Tawar", "Upah di Bawah UMR", "Pemberi Kerja Tidak Diketahui"})
	kelompok = append(kelompok, []any{"Kode Kelompok", "Nama Kelompok", "Wilayah", "Fasilitator", "Tahap", "Tanggal", "Jumlah Anggota"})
	for i, p := range htPayloads {
		region := htRegions[i%len(htRegions)]
		facilitator := p + " F"
		peserta = append(peserta,
			[]any{facilitator, "P", "Fasilitator Lapang", region, p, "11/09/2014", p},
			[]any{p, "L", p, nil, p, "12/09/2014", p}, // staff: Jabatan is free text
		)
		work := []string{"POS", "SE"}[i%2]
		responden = append(responden, []any{p, "11/10/2014", region, p, p, facilitator, "P", 30, work, p, 1000000 + i,
			"Ya", "Tidak", "Ya", "Ya", "Tidak", "Ya", "Ya", "Ya", "Tidak"})
		kelompok = append(kelompok, []any{p, p, region, facilitator, 4, "11/11/2014", 10 + i})
	}
	return xlsxtest.Workbook(t,
		xlsxtest.Tab{Name: "Peserta", Rows: peserta},
		xlsxtest.Tab{Name: "Responden", Rows: responden},
		xlsxtest.Tab{Name: "Kelompok", Rows: kelompok},
		xlsxtest.Tab{Name: "Wilayah", Rows: wilayah},
	)
}

// htTags are the elements pantau's templates write; anything else in a page
// came from data.
var htTags = map[string]bool{}

func init() {
	for _, t := range strings.Fields(`html head meta title link script body header a nav ul li div span form input button
		main footer h1 h2 h3 p section label select option fieldset legend strong figure figcaption details summary
		table caption thead tbody tr th td pre code progress`) {
		htTags[t] = true
	}
}

// htCheckHTML tokenizes a page and fails on anything data could have
// injected: an unknown element, an on* attribute, a link that is not a
// local path, a script that is not an empty /static one, a comment or a
// style element. It returns the page's text and attribute values, decoded.
func htCheckHTML(t *testing.T, where, page string) string {
	t.Helper()
	for _, raw := range []string{"<script>alert", "<img", "<style", "<!--", "</script><script>"} {
		if strings.Contains(strings.ToLower(page), raw) {
			t.Errorf("%s: raw %q in the page", where, raw)
		}
	}
	z := html.NewTokenizer(strings.NewReader(page))
	var text strings.Builder
	inScript := false
	for {
		tt := z.Next()
		if tt == html.ErrorToken {
			break
		}
		tok := z.Token()
		switch tt {
		case html.CommentToken:
			t.Errorf("%s: comment %q", where, tok.Data)
		case html.TextToken:
			if inScript && strings.TrimSpace(tok.Data) != "" {
				t.Errorf("%s: inline script %q", where, tok.Data)
			}
			text.WriteString(tok.Data)
		case html.EndTagToken:
			inScript = false
		case html.StartTagToken, html.SelfClosingTagToken:
			if !htTags[tok.Data] {
				t.Errorf("%s: element <%s> %v", where, tok.Data, tok.Attr)
			}
			inScript = tok.Data == "script"
			for _, a := range tok.Attr {
				text.WriteString("\n" + a.Val + "\n")
				if strings.HasPrefix(a.Key, "on") || a.Key == "style" || a.Key == "srcdoc" || a.Key == "formaction" {
					t.Errorf("%s: <%s %s=%q>", where, tok.Data, a.Key, a.Val)
				}
				switch a.Key {
				case "href", "src", "action", "data-src":
					if tok.Data == "link" && a.Val == "data:," { // the empty favicon
						break
					}
					if !strings.HasPrefix(a.Val, "/") && !strings.HasPrefix(a.Val, "#") && !strings.HasPrefix(a.Val, "?") || strings.HasPrefix(a.Val, "//") {
						t.Errorf("%s: <%s %s=%q> is not a local link", where, tok.Data, a.Key, a.Val)
					}
				}
				if tok.Data == "script" && a.Key == "src" && !strings.HasPrefix(a.Val, "/static/") {
					t.Errorf("%s: script from %q", where, a.Val)
				}
			}
			if tok.Data == "script" && len(tok.Attr) == 0 {
				t.Errorf("%s: inline <script>", where)
			}
		}
		text.WriteString("\n")
	}
	return text.String()
}

// htCheckJSON fails unless body is JSON without a raw < or > (encoding/json
// writes \u003c and \u003e), and returns it decoded.
func htCheckJSON(t *testing.T, where, body string) string {
	t.Helper()
	var v any
	if err := json.Unmarshal([]byte(body), &v); err != nil {
		t.Errorf("%s: not JSON: %v: %.200s", where, err, body)
		return ""
	}
	if strings.ContainsAny(body, "<>") {
		t.Errorf("%s: raw < or > in JSON: %.300s", where, body)
	}
	decoded, _ := json.Marshal(v)
	return strings.NewReplacer(`\u003c`, "<", `\u003e`, ">", `\u0026`, "&", `\"`, `"`).Replace(string(decoded))
}

// htCheckCSV fails when a text cell could run as a formula in a spreadsheet.
func htCheckCSV(t *testing.T, where, body string) [][]string {
	t.Helper()
	recs, err := csv.NewReader(strings.NewReader(strings.TrimPrefix(body, "\ufeff"))).ReadAll()
	if err != nil {
		t.Errorf("%s: %v", where, err)
		return nil
	}
	for i, rec := range recs {
		for j, cell := range rec {
			if cell != "" && strings.ContainsRune("=+-@\t\r\n", rune(cell[0])) {
				t.Errorf("%s: row %d column %d: %q could be read as a formula", where, i+1, j+1, cell)
			}
		}
	}
	return recs
}

func TestHostileTextIsInert(t *testing.T) {
	env := newTestEnv(t, envOptions{})
	ingestBytes(t, env.DB, t.TempDir(), "hostile.xlsx", htHostileBook(t))
	viewer, admin := env.login("viewer"), env.login("admin")

	// The data went in as written: the facilitators' roster names every payload.
	roster := env.get(viewer, "/facilitators", http.StatusOK)
	rosterText := htCheckHTML(t, "/facilitators", roster)
	for _, p := range htPayloads {
		if !strings.Contains(rosterText, p+" F") {
			t.Errorf("/facilitators does not show the facilitator %q", p+" F")
		}
	}
	for _, r := range htRegions {
		if !strings.Contains(rosterText, r) {
			t.Errorf("/facilitators does not show the region %q", r)
		}
	}

	filters := []string{""}
	for _, r := range htRegions {
		filters = append(filters, url.Values{"region": {r}}.Encode())
	}
	filters = append(filters, url.Values{"region": htRegions}.Encode())
	type fetch struct {
		c    *http.Client
		path string
		want int
	}
	var fetches []fetch
	for _, q := range filters {
		for _, page := range []string{"/", "/facilitators", "/problems", "/organizing"} {
			fetches = append(fetches, fetch{viewer, withQ(page, q), 200})
		}
		fetches = append(fetches, fetch{viewer, withQ("/api/v1/summary", q), 200})
		for _, id := range htAllCharts {
			fetches = append(fetches, fetch{viewer, withQ("/api/v1/charts/"+id, q), 200}, fetch{viewer, withQ("/api/v1/charts/"+id+"/csv", q), 200})
		}
	}
	for _, p := range htPayloads {
		q := url.QueryEscape(p)
		fetches = append(fetches,
			fetch{viewer, "/?gender=" + q, 400},
			fetch{viewer, "/api/v1/summary?from=" + q, 400},
			fetch{viewer, "/api/v1/charts/" + url.PathEscape(p), 404},
			fetch{viewer, "/problems?region=" + url.QueryEscape("Kota "+p), 200}, // a filter may name a region without data
			fetch{admin, "/admin/users?done=added&user=" + q, 200},
			fetch{env.client(), "/login?next=" + url.QueryEscape("/"+p), 200},
		)
	}
	fetches = append(fetches, fetch{viewer, "/help", 200}, fetch{admin, "/admin/users", 200})

	seen := map[string]bool{} // payloads and regions found, decoded, in some response
	for _, f := range fetches {
		r := env.htDo(f.c, "GET", f.path, nil)
		if r.status == http.StatusSeeOther { // a page's canonical URL
			r = env.htDo(f.c, "GET", r.location(), nil)
		}
		if r.status != f.want {
			t.Errorf("GET %s: status %d, want %d: %.300s", f.path, r.status, f.want, r.body)
			continue
		}
		var text string
		switch ct := r.header.Get("Content-Type"); {
		case strings.HasPrefix(ct, "text/html"):
			text = htCheckHTML(t, f.path, r.body)
		case strings.HasPrefix(ct, "application/json"):
			text = htCheckJSON(t, f.path, r.body)
		case strings.HasPrefix(ct, "text/csv"):
			for _, rec := range htCheckCSV(t, f.path, r.body) {
				text += strings.Join(rec, "\n") + "\n"
			}
		default:
			t.Errorf("GET %s: Content-Type %q", f.path, ct)
		}
		for _, s := range append(append([]string{}, htPayloads...), htRegions...) {
			if strings.Contains(text, s) {
				seen[s] = true
			}
		}
	}
	for _, s := range append(append([]string{}, htPayloads...), htRegions...) {
		if !seen[s] {
			t.Errorf("%q was not found in any response: the test did not exercise it", s)
		}
	}

	// The CSV guard: text that would be a formula gets a leading apostrophe,
	// and otherwise the cell is the text as uploaded.
	staff := htCheckCSV(t, "staff-by-role csv", env.get(viewer, "/api/v1/charts/staff-by-role/csv", http.StatusOK))
	products := htCheckCSV(t, "respondents-by-product csv", env.get(viewer, "/api/v1/charts/respondents-by-product/csv", http.StatusOK))
	for _, p := range htPayloads {
		want := p
		if strings.ContainsRune("=+-@", rune(p[0])) {
			want = "'" + p
		}
		for name, recs := range map[string][][]string{"staff-by-role": staff, "respondents-by-product": products} {
			found := false
			for _, rec := range recs {
				found = found || rec[0] == want
			}
			if !found {
				t.Errorf("%s CSV: no cell %q", name, want)
			}
		}
	}
	if t.Failed() {
		fmt.Println(strings.Join(staffRows(staff), "\n"))
	}
}

func staffRows(recs [][]string) []string {
	var out []string
	for _, r := range recs {
		out = append(out, strings.Join(r, " | "))
	}
	return out
}
