package dashboard_test

import (
	"bytes"
	"net/http"
	"net/url"
	"path"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"
)

// Uploaded file names and the values an upload's errors quote are shown on
// the upload pages and the history: they must stay inert text there too.
func TestHostileUploadIsInert(t *testing.T) {
	env := newTestEnv(t, envOptions{})
	c := env.login("uploader")
	token := env.csrfFrom(c, "/uploads")
	good := htHostileBook(t)

	// The same workbook with a payload in every survey date: errors quoting them.
	f, err := excelize.OpenReader(bytes.NewReader(good))
	if err != nil {
		t.Fatal(err)
	}
	for i, p := range htPayloads {
		cell, _ := excelize.CoordinatesToCellName(2, i+2)
		f.SetCellStr("Responden", cell, p)
	}
	var bad bytes.Buffer
	if _, err := f.WriteTo(&bad); err != nil {
		t.Fatal(err)
	}
	f.Close()

	var pages []string
	for i, p := range htPayloads[:4] {
		data := good
		if i%2 == 1 {
			data = bad.Bytes()
		}
		status, page, body := env.upload(c, token, uploadFile{p + ".xlsx", data})
		if status != http.StatusSeeOther {
			t.Fatalf("upload %q: status %d: %.300s", p, status, body)
		}
		env.waitUpload(c, page)
		pages = append(pages, page)
	}
	// The first (good) one committed, for the history and its undo page.
	env.post(c, pages[0]+"/commit", url.Values{"_csrf": {token}})
	if st := env.waitUpload(c, pages[0]); st != "committed" {
		t.Fatalf("hostile workbook: %q", st)
	}

	text := ""
	for _, page := range append(pages, "/uploads", "/imports", "/imports/1/undo") {
		text += htCheckHTML(t, page, env.get(c, page, http.StatusOK))
	}
	for _, p := range htPayloads[:4] {
		name := path.Base(p + ".xlsx") // a name is what follows the last slash
		if !strings.Contains(text, name) {
			t.Errorf("the file name %q is not shown as text", name)
		}
	}
	errorPage := htCheckHTML(t, pages[1], env.get(c, pages[1], http.StatusOK))
	for _, p := range htPayloads {
		if !strings.Contains(errorPage, p) {
			t.Errorf("the error page does not quote the value %q", p)
		}
	}
}
