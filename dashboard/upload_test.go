package dashboard_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"net/url"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"pantau/dashboard"
	"pantau/ingest"
	"pantau/queries"
	"pantau/sampledata"
)

// uploadFile is one file of a multipart upload.
type uploadFile struct {
	name string
	data []byte
}

// postUpload posts files to base/uploads as the page's form does without
// script: the CSRF token first (none when token is ""), then the files. It
// reports instead of failing the test, for tests that upload from goroutines.
func postUpload(c *http.Client, base, token string, files ...uploadFile) (status int, location, body string, err error) {
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	if token != "" {
		mw.WriteField("_csrf", token)
	}
	for _, f := range files {
		w, err := mw.CreateFormFile("file", f.name)
		if err != nil {
			return 0, "", "", err
		}
		w.Write(f.data)
	}
	mw.Close()
	resp, err := c.Post(base+"/uploads", mw.FormDataContentType(), &buf)
	if err != nil {
		return 0, "", "", err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	return resp.StatusCode, resp.Header.Get("Location"), string(b), err
}

// uploadPage posts one file that must be accepted and returns its preview's path.
func uploadPage(c *http.Client, base, token string, f uploadFile) (string, error) {
	status, page, body, err := postUpload(c, base, token, f)
	if err == nil && (status != http.StatusSeeOther || !strings.HasPrefix(page, "/uploads/")) {
		err = fmt.Errorf("upload %s: status %d, Location %q: %.300s", f.name, status, page, body)
	}
	return page, err
}

// upload is postUpload to the test server, failing the test on a broken request.
func (e *testEnv) upload(c *http.Client, token string, files ...uploadFile) (status int, location, body string) {
	e.t.Helper()
	status, location, body, err := postUpload(c, e.URL, token, files...)
	if err != nil {
		e.t.Fatal(err)
	}
	return status, location, body
}

// uploadStatus is GET /uploads/{id}/status.
type uploadStatus struct {
	State   string `json:"state"`
	Busy    bool   `json:"busy"`
	Percent int    `json:"percent"`
}

// pollUpload polls the status of the upload at url, as the page does, every
// interval until its job is done, and returns the final state.
func pollUpload(c *http.Client, url string, every time.Duration) (string, error) {
	deadline := time.Now().Add(2 * time.Minute)
	for time.Now().Before(deadline) {
		resp, err := c.Get(url + "/status")
		if err != nil {
			return "", err
		}
		body, err := io.ReadAll(resp.Body)
		resp.Body.Close()
		if err != nil {
			return "", err
		}
		if resp.StatusCode != http.StatusOK {
			return "", fmt.Errorf("GET %s/status: %d: %.300s", url, resp.StatusCode, body)
		}
		var s uploadStatus
		if err := json.Unmarshal(body, &s); err != nil {
			return "", err
		}
		if !s.Busy {
			return s.State, nil
		}
		time.Sleep(every)
	}
	return "", fmt.Errorf("%s: still busy after 2 minutes", url)
}

// waitUpload is pollUpload on the test server's page, failing the test on an error.
func (e *testEnv) waitUpload(c *http.Client, page string) string {
	e.t.Helper()
	state, err := pollUpload(c, e.URL+page, 50*time.Millisecond)
	if err != nil {
		e.t.Fatal(err)
	}
	return state
}

func surveyBytes(t testing.TB, respondents int) []byte {
	t.Helper()
	opt := sampledata.DefaultSurveyOptions()
	opt.Respondents = respondents
	var buf bytes.Buffer
	if err := sampledata.WriteSurvey(&buf, opt); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func participantBytes(t testing.TB) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := sampledata.WriteParticipants(&buf); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func respondentTotal(t testing.TB, db *queries.DB) int {
	t.Helper()
	s, err := db.Summary(context.Background(), queries.Filter{})
	if err != nil {
		t.Fatal(err)
	}
	return s.Respondents.Total
}

var cellRow = regexp.MustCompile(`data-cell="([^"]+)"`)

func TestUploadPreviewCommitAndUndo(t *testing.T) {
	env := newTestEnv(t, envOptions{})
	c := env.login("uploader")
	token := env.csrfFrom(c, "/uploads")

	status, page, body := env.upload(c, token, uploadFile{"peserta.xlsx", participantBytes(t)})
	if status != http.StatusSeeOther || !strings.HasPrefix(page, "/uploads/") {
		t.Fatalf("upload: status %d, Location %q: %.300s", status, page, body)
	}
	if st := env.waitUpload(c, page); st != "ready" {
		t.Fatalf("participants: state %q, want ready", st)
	}
	preview := env.get(c, page, http.StatusOK)
	for _, want := range []string{`data-sheet="Peserta"`, `<td data-count="new">20</td>`, `id="commit"`} {
		if !strings.Contains(preview, want) {
			t.Errorf("preview lacks %s", want)
		}
	}
	if n := respondentTotal(t, env.DB); n != 0 {
		t.Fatalf("a preview stored %d respondents", n)
	}
	if resp := env.post(c, page+"/commit", url.Values{"_csrf": {token}}); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("commit: status %d", resp.StatusCode)
	}
	if st := env.waitUpload(c, page); st != "committed" {
		t.Fatalf("commit: state %q", st)
	}
	// A second click is refused, not a second import.
	if resp := env.post(c, page+"/commit", url.Values{"_csrf": {token}}); resp.StatusCode != http.StatusConflict {
		t.Errorf("second commit: status %d, want 409", resp.StatusCode)
	}

	status, page, _ = env.upload(c, token, uploadFile{"survei.xlsx", surveyBytes(t, 300)})
	if status != http.StatusSeeOther || env.waitUpload(c, page) != "ready" {
		t.Fatalf("survey upload: status %d, not ready", status)
	}
	env.post(c, page+"/commit", url.Values{"_csrf": {token}})
	if st := env.waitUpload(c, page); st != "committed" {
		t.Fatalf("survey commit: %q", st)
	}
	if n := respondentTotal(t, env.DB); n != 300 {
		t.Fatalf("after the commit: %d respondents, want 300", n)
	}
	imports, err := env.DB.Imports(context.Background())
	if err != nil || len(imports) != 2 || imports[0].By != "uploader" || imports[0].FileName != "survei.xlsx" {
		t.Fatalf("history: %+v, %v", imports, err)
	}

	history := env.get(c, "/imports", http.StatusOK)
	if !strings.Contains(history, imports[0].SHA256[:12]) || !strings.Contains(history, `href="/imports/2/undo"`) {
		t.Errorf("history page lacks the import's hash or undo link")
	}
	// The original file comes back byte for byte.
	resp, err := c.Get(env.URL + "/imports/2/file")
	if err != nil {
		t.Fatal(err)
	}
	orig, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if !bytes.Equal(orig, surveyBytes(t, 300)) {
		t.Errorf("downloaded original differs from the upload (%d bytes)", len(orig))
	}
	confirm := env.get(c, "/imports/2/undo", http.StatusOK)
	if !strings.Contains(confirm, `data-kind="respondents"`) || !strings.Contains(confirm, "300 baris dihapus") {
		t.Errorf("undo confirmation does not say 300 respondents go: %.2000s", confirm)
	}
	if n := respondentTotal(t, env.DB); n != 300 {
		t.Fatalf("the confirmation page changed the data: %d respondents", n)
	}
	if resp := env.post(c, "/imports/2/undo", url.Values{"_csrf": {token}}); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("undo: status %d", resp.StatusCode)
	}
	if n := respondentTotal(t, env.DB); n != 0 {
		t.Errorf("after the undo: %d respondents, want 0", n)
	}
	if resp := env.post(c, "/imports/2/undo", url.Values{"_csrf": {token}}); resp.StatusCode != http.StatusConflict {
		t.Errorf("second undo: status %d, want 409", resp.StatusCode)
	}
}

func TestUploadWithErrorsCannotBeCommitted(t *testing.T) {
	env := newTestEnv(t, envOptions{})
	c := env.login("uploader")
	token := env.csrfFrom(c, "/uploads")
	_, page, _ := env.upload(c, token, uploadFile{"kosong.xlsx", []byte("not a workbook at all")})
	if st := env.waitUpload(c, page); st != "invalid" {
		t.Fatalf("state %q, want invalid", st)
	}
	preview := env.get(c, page, http.StatusOK)
	if strings.Contains(preview, `id="commit"`) {
		t.Error("a preview with errors offers Impor")
	}
	if strings.Contains(preview, `id="annotated"`) {
		t.Error("a file that is no workbook is offered annotated")
	}
	if status := env.htDo(c, "GET", page+"/annotated.xlsx", nil).status; status != http.StatusBadRequest {
		t.Errorf("annotating a file that is no workbook: status %d, want 400", status)
	}
	if resp := env.post(c, page+"/commit", url.Values{"_csrf": {token}}); resp.StatusCode != http.StatusConflict {
		t.Errorf("commit of an invalid upload: status %d, want 409", resp.StatusCode)
	}
	if imports, _ := env.DB.Imports(context.Background()); len(imports) != 0 {
		t.Errorf("%d imports after a refused upload", len(imports))
	}
	if resp := env.post(c, page+"/discard", url.Values{"_csrf": {token}}); resp.StatusCode != http.StatusSeeOther {
		t.Errorf("discard: status %d", resp.StatusCode)
	}
	if got := waitingFiles(t, env); len(got) != 0 {
		t.Errorf("files left after discard: %v", got)
	}
}

// waitingFiles lists the files of the uploads folder.
func waitingFiles(t *testing.T, env *testEnv) []string {
	t.Helper()
	names, _ := filepath.Glob(filepath.Join(env.dataDir, "uploads", "*"))
	return names
}

func TestUploadRefusals(t *testing.T) {
	env := newTestEnv(t, envOptions{config: func(c *dashboard.Config) { c.MaxUpload, c.UploadsPerHour = 64<<10, 3 }})
	c := env.login("uploader")
	token := env.csrfFrom(c, "/uploads")
	small := uploadFile{"peserta.xlsx", participantBytes(t)}

	// Too large: the message names the file and the limit.
	status, _, body := env.upload(c, token, uploadFile{"besar.xlsx", bytes.Repeat([]byte("x"), 65<<10)})
	if status != http.StatusRequestEntityTooLarge || !strings.Contains(body, "besar.xlsx") || !strings.Contains(body, "64 KiB") {
		t.Errorf("too large: status %d: %.300s", status, body)
	}
	// No CSRF token, a wrong one, a viewer: refused, nothing kept.
	if status, _, _ := env.upload(c, "", small); status != http.StatusForbidden {
		t.Errorf("without a CSRF token: status %d, want 403", status)
	}
	if status, _, _ := env.upload(c, strings.Repeat("a", 43), small); status != http.StatusForbidden {
		t.Errorf("with a wrong CSRF token: status %d, want 403", status)
	}
	viewer := env.login("viewer")
	if status, _, _ := env.upload(viewer, env.csrfFrom(viewer, "/"), small); status != http.StatusForbidden {
		t.Errorf("viewer: status %d, want 403", status)
	}
	if got := waitingFiles(t, env); len(got) != 0 {
		t.Errorf("refused uploads left files: %v", got)
	}
	// The hourly limit counts the attempt above and says when to come back.
	for i := 0; i < 2; i++ {
		if status, _, body := env.upload(c, token, small); status != http.StatusSeeOther {
			t.Fatalf("upload %d: status %d: %.300s", i+2, status, body)
		}
	}
	status, _, body = env.upload(c, token, small)
	if status != http.StatusTooManyRequests || !strings.Contains(body, "3 unggahan per jam") {
		t.Errorf("over the hourly limit: status %d: %.300s", status, body)
	}
	env.Advance(61 * time.Minute)
	if status, _, body := env.upload(c, token, small); status != http.StatusSeeOther {
		t.Errorf("an hour later: status %d: %.300s", status, body)
	}
}

func TestUploadExpiresAfterAnHour(t *testing.T) {
	env := newTestEnv(t, envOptions{})
	c := env.login("uploader")
	token := env.csrfFrom(c, "/uploads")
	_, page, _ := env.upload(c, token, uploadFile{"peserta.xlsx", participantBytes(t)})
	if st := env.waitUpload(c, page); st != "ready" {
		t.Fatalf("state %q", st)
	}
	if len(waitingFiles(t, env)) != 1 {
		t.Fatal("the waiting file is not in the uploads folder")
	}
	// Another uploader does not see it.
	if err := env.DB.AddUser(context.Background(), "other", queries.Uploader, testPassword); err != nil {
		t.Fatal(err)
	}
	other := env.login("other")
	env.get(other, page, http.StatusNotFound)

	env.Advance(59 * time.Minute)
	if st := env.waitUpload(c, page); st != "ready" {
		t.Errorf("after 59 minutes: %q", st)
	}
	env.Advance(2 * time.Minute)
	if st := env.waitUpload(c, page); st != "expired" {
		t.Errorf("after 61 minutes: %q, want expired", st)
	}
	if got := waitingFiles(t, env); len(got) != 0 {
		t.Errorf("expired upload's file is still there: %v", got)
	}
	if resp := env.post(c, page+"/commit", url.Values{"_csrf": {token}}); resp.StatusCode != http.StatusConflict {
		t.Errorf("commit after expiry: status %d, want 409", resp.StatusCode)
	}
}

func TestUndoRefusedWhileALaterImportDependsOnIt(t *testing.T) {
	env := newTestEnv(t, envOptions{})
	c := env.login("uploader")
	token := env.csrfFrom(c, "/uploads")
	commit := func(name string, data []byte) {
		t.Helper()
		_, page, _ := env.upload(c, token, uploadFile{name, data})
		if st := env.waitUpload(c, page); st != "ready" {
			t.Fatalf("%s: %q", name, st)
		}
		env.post(c, page+"/commit", url.Values{"_csrf": {token}})
		if st := env.waitUpload(c, page); st != "committed" {
			t.Fatalf("%s: %q", name, st)
		}
	}
	commit("peserta.xlsx", participantBytes(t))
	commit("survei-a.xlsx", surveyBytes(t, 200))
	// The same respondents with other answers: a later version of import 2's rows.
	opt := sampledata.DefaultSurveyOptions()
	opt.Respondents, opt.Seed = 200, 99
	var buf bytes.Buffer
	if err := sampledata.WriteSurvey(&buf, opt); err != nil {
		t.Fatal(err)
	}
	commit("survei-b.xlsx", buf.Bytes())

	confirm := env.get(c, "/imports/2/undo", http.StatusOK)
	if !strings.Contains(confirm, `id="undo-refused"`) || !strings.Contains(confirm, "impor yang lebih baru (#3) mengubah baris yang sama") || strings.Contains(confirm, `id="undo-confirm"`) {
		t.Errorf("the confirmation of a refused undo: %.1500s", confirm)
	}
	if r := env.htDo(c, "POST", "/imports/2/undo", url.Values{"_csrf": {token}}); r.status != http.StatusConflict ||
		!strings.Contains(r.body, "Impor ini tidak dapat dibatalkan: impor yang lebih baru (#3)") {
		t.Errorf("refused undo: status %d: %.300s", r.status, r.body)
	}
	// Undoing 3 first says what goes back, then 2 may go.
	confirm = env.get(c, "/imports/3/undo", http.StatusOK)
	if !regexp.MustCompile(`0 baris dihapus, [1-9][0-9]* baris kembali ke versi sebelumnya`).MatchString(confirm) {
		t.Errorf("undo of the update does not say rows go back: %.1500s", confirm)
	}
	for _, id := range []string{"3", "2"} {
		if resp := env.post(c, "/imports/"+id+"/undo", url.Values{"_csrf": {token}}); resp.StatusCode != http.StatusSeeOther {
			t.Errorf("undo %s: status %d", id, resp.StatusCode)
		}
	}
	if n := respondentTotal(t, env.DB); n != 0 {
		t.Errorf("%d respondents after undoing both surveys", n)
	}
}

// A big file is checked in the background: the upload answers at once and
// the status reports the rows read while the check runs.
func TestUploadShowsProgress(t *testing.T) {
	env := newTestEnv(t, envOptions{})
	c := env.login("uploader")
	token := env.csrfFrom(c, "/uploads")
	status, page, _ := env.upload(c, token, uploadFile{"besar.xlsx", surveyBytes(t, 30000)})
	if status != http.StatusSeeOther {
		t.Fatalf("upload: status %d", status)
	}
	seen := map[int]bool{}
	deadline := time.Now().Add(time.Minute)
	for time.Now().Before(deadline) {
		var s struct {
			uploadStatus
			Text string `json:"text"`
		}
		json.Unmarshal([]byte(env.get(c, page+"/status", http.StatusOK)), &s)
		if !s.Busy {
			if s.State != "ready" {
				t.Fatalf("state %q", s.State)
			}
			break
		}
		if s.Percent > 0 && s.Percent < 100 {
			seen[s.Percent] = true
			if !regexp.MustCompile(`^Lembar (Responden|Kelompok|Wilayah): baris [0-9.]+ dari [0-9.]+$`).MatchString(s.Text) {
				t.Fatalf("progress text %q does not say the sheet and rows", s.Text)
			}
		}
		time.Sleep(20 * time.Millisecond)
	}
	if len(seen) < 2 {
		t.Errorf("progress seen: %v, want at least two steps between 0 and 100 %%", seen)
	}
}

// An empty dashboard links the blank templates, which are `pantau template`'s.
func TestEmptyDashboardLinksTemplates(t *testing.T) {
	env := newTestEnv(t, envOptions{})
	c := env.login("viewer")
	page := env.get(c, "/", http.StatusOK)
	for _, kind := range []string{"peserta", "survei"} {
		if !strings.Contains(page, `href="/templates/`+kind+`.xlsx"`) {
			t.Errorf("the empty overview does not link the %s template", kind)
		}
		resp, err := c.Get(env.URL + "/templates/" + kind + ".xlsx")
		if err != nil {
			t.Fatal(err)
		}
		got, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		f, err := excelize.OpenReader(bytes.NewReader(got))
		if err != nil {
			t.Fatalf("%s template: %v", kind, err)
		}
		var want bytes.Buffer
		if err := ingest.WriteTemplate(&want, kind); err != nil {
			t.Fatal(err)
		}
		wf, _ := excelize.OpenReader(bytes.NewReader(want.Bytes()))
		if g, w := f.GetSheetList(), wf.GetSheetList(); !slices.Equal(g, w) {
			t.Errorf("%s template sheets %v, want %v", kind, g, w)
		}
		if cd := resp.Header.Get("Content-Disposition"); cd != `attachment; filename=`+kind+`.xlsx` {
			t.Errorf("%s template: Content-Disposition %q", kind, cd)
		}
		f.Close()
		wf.Close()
	}
	if strings.Contains(page, `href="/uploads"`) {
		t.Error("a viewer's empty dashboard links the upload page")
	}
}
