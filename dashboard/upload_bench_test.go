package dashboard_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"mime/multipart"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"pantau/dashboard"
	"pantau/ingest"
	"pantau/queries"
	"pantau/sampledata"
)

// The benchmark upload: a 100,000-respondent, 5,000-group survey from the
// generator, built once per process (some seconds).
var (
	ubOnce sync.Once
	ubData []byte
	ubErr  error
)

func ubWorkbook(b *testing.B) []byte {
	b.Helper()
	ubOnce.Do(func() {
		var buf bytes.Buffer
		ubErr = sampledata.WriteSurvey(&buf, sampledata.SurveyOptions{Respondents: 100_000, Groups: 5_000, Seed: 3})
		ubData = buf.Bytes()
	})
	if ubErr != nil {
		b.Fatal(ubErr)
	}
	return ubData
}

// BenchmarkUploadPreview measures what a person waits for between choosing
// a 100,000-respondent workbook and seeing its preview:
//
//   - http: POST /uploads (multipart, streamed to disk), the background dry
//     run, the status polls the page makes (every 20 ms here) and GET of the
//     preview page, through the real server on a loopback port;
//   - ingest-dry-run: ingest.Bytes with DryRun on the same bytes, the floor
//     the server adds its overhead to.
//
// Both check against a database holding the participants, as the survey's
// facilitators are checked against them. A preview is a dry run, so the
// same bytes can be uploaded every iteration; each must end "ready".
func BenchmarkUploadPreview(b *testing.B) {
	data := ubWorkbook(b)
	ctx := context.Background()
	dir := b.TempDir()
	db, err := queries.Open(ctx, filepath.Join(dir, "pantau.duckdb"))
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { db.Close() })
	dataDir := filepath.Join(dir, "data")
	var peserta bytes.Buffer
	if err := sampledata.WriteParticipants(&peserta); err != nil {
		b.Fatal(err)
	}
	if r, err := ingest.Bytes(ctx, db, "peserta.xlsx", peserta.Bytes(), ingest.Options{By: "bench", DataDir: dataDir}); err != nil || !r.OK {
		b.Fatalf("participants: %v %+v", err, r)
	}
	if err := db.AddUser(ctx, "uploader", queries.Uploader, testPassword); err != nil {
		b.Fatal(err)
	}
	fileMB := float64(len(data)) / 1e6

	b.Run("http", func(b *testing.B) {
		srv, err := dashboard.New(dashboard.Config{DB: db, DataDir: dataDir,
			Logger:    slog.New(slog.NewTextHandler(io.Discard, nil)),
			MaxUpload: 1 << 30, UploadsPerHour: 1000})
		if err != nil {
			b.Fatal(err)
		}
		b.Cleanup(srv.Close)
		hs := httptest.NewServer(srv) // 127.0.0.1
		b.Cleanup(hs.Close)
		c, token := ubLogin(b, hs.URL, "uploader")
		b.SetBytes(int64(len(data)))
		b.ResetTimer()
		for i := 0; i < b.N; i++ {
			page := ubUpload(b, c, hs.URL, token, data)
			if st := ubWait(b, c, hs.URL+page); st != "ready" {
				b.Fatalf("upload %d: state %q, want ready", i, st)
			}
			if preview := ubGet(b, c, hs.URL+page); !strings.Contains(preview, `id="commit"`) {
				b.Fatalf("upload %d: the preview offers no Impor: %.500s", i, preview)
			}
			b.StopTimer()
			resp, err := c.PostForm(hs.URL+page+"/discard", url.Values{"_csrf": {token}})
			if err != nil {
				b.Fatal(err)
			}
			resp.Body.Close()
			if resp.StatusCode != http.StatusSeeOther {
				b.Fatalf("discard: status %d", resp.StatusCode)
			}
			b.StartTimer()
		}
		b.ReportMetric(fileMB, "file-MB")
	})

	b.Run("ingest-dry-run", func(b *testing.B) {
		b.SetBytes(int64(len(data)))
		for i := 0; i < b.N; i++ {
			r, err := ingest.Bytes(ctx, db, "survei.xlsx", data, ingest.Options{DryRun: true, By: "uploader", DataDir: dataDir, MaxUpload: 1 << 30})
			if err != nil {
				b.Fatal(err)
			}
			if !r.OK || r.IdenticalTo != 0 {
				b.Fatalf("dry run: ok %v, identical to %d: %+v", r.OK, r.IdenticalTo, r.Problems)
			}
		}
		b.ReportMetric(fileMB, "file-MB")
	})
}

// ubClient is a browser-like client: cookies, no redirects followed.
func ubClient() *http.Client {
	jar, _ := cookiejar.New(nil)
	return &http.Client{Jar: jar, Timeout: 5 * time.Minute,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
}

// ubLogin logs in through the form and returns the client and the CSRF
// token of the upload page.
func ubLogin(b *testing.B, base, user string) (*http.Client, string) {
	b.Helper()
	c := ubClient()
	m := csrfInput.FindStringSubmatch(ubGet(b, c, base+"/login"))
	if m == nil {
		b.Fatal("no _csrf field on /login")
	}
	resp, err := c.PostForm(base+"/login", url.Values{"username": {user}, "password": {testPassword}, "_csrf": {m[1]}})
	if err != nil {
		b.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusSeeOther {
		b.Fatalf("login: status %d", resp.StatusCode)
	}
	m = csrfInput.FindStringSubmatch(ubGet(b, c, base+"/uploads"))
	if m == nil {
		b.Fatal("no _csrf field on /uploads")
	}
	return c, m[1]
}

func ubGet(b *testing.B, c *http.Client, u string) string {
	b.Helper()
	resp, err := c.Get(u)
	if err != nil {
		b.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != http.StatusOK {
		b.Fatalf("GET %s: status %d: %.300s", u, resp.StatusCode, body)
	}
	return string(body)
}

// ubUpload posts the file as the form does without script and returns the
// upload's page.
func ubUpload(b *testing.B, c *http.Client, base, token string, data []byte) string {
	b.Helper()
	pr, pw := io.Pipe()
	mw := multipart.NewWriter(pw)
	go func() {
		mw.WriteField("_csrf", token)
		w, err := mw.CreateFormFile("file", "survei.xlsx")
		if err == nil {
			_, err = w.Write(data)
		}
		if err == nil {
			err = mw.Close()
		}
		pw.CloseWithError(err)
	}()
	resp, err := c.Post(base+"/uploads", mw.FormDataContentType(), pr)
	if err != nil {
		b.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	page := resp.Header.Get("Location")
	if resp.StatusCode != http.StatusSeeOther || !strings.HasPrefix(page, "/uploads/") {
		b.Fatalf("upload: status %d, Location %q: %.300s", resp.StatusCode, page, body)
	}
	return page
}

// ubWait polls the upload's status until its job is done.
func ubWait(b *testing.B, c *http.Client, page string) string {
	b.Helper()
	deadline := time.Now().Add(5 * time.Minute)
	for time.Now().Before(deadline) {
		var s uploadStatus
		if err := json.Unmarshal([]byte(ubGet(b, c, page+"/status")), &s); err != nil {
			b.Fatal(err)
		}
		if !s.Busy {
			return s.State
		}
		time.Sleep(20 * time.Millisecond)
	}
	b.Fatalf("%s: still busy after 5 minutes", page)
	return ""
}
