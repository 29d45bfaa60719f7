package dashboard_test

import (
	"bytes"
	"context"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"pantau/dashboard"
	"pantau/ingest"
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
//     run, the status polls the page makes (every 50 ms here) and GET of the
//     preview page, through the real server on a loopback port;
//   - ingest-dry-run: ingest.Bytes with DryRun on the same bytes, the floor
//     the server adds its overhead to.
//
// Both check against a database holding the participants, as the survey's
// facilitators are checked against them. A preview is a dry run, so the
// same bytes can be uploaded every iteration; each must end "ready".
func BenchmarkUploadPreview(b *testing.B) {
	data := ubWorkbook(b)
	env := newTestEnv(b, envOptions{config: func(c *dashboard.Config) { c.MaxUpload, c.UploadsPerHour = 1<<30, 1000 }})
	ingestBytes(b, env.DB, env.dataDir, "peserta.xlsx", participantBytes(b))
	fileMB := float64(len(data)) / 1e6

	b.Run("http", func(b *testing.B) {
		c := env.login("uploader")
		token := env.csrfFrom(c, "/uploads")
		b.SetBytes(int64(len(data)))
		b.ResetTimer()
		for i := 0; i < b.N; i++ {
			page, err := uploadPage(c, env.URL, token, uploadFile{"survei.xlsx", data})
			if err != nil {
				b.Fatal(err)
			}
			if st, err := pollUpload(c, env.URL+page, 50*time.Millisecond); err != nil || st != "ready" {
				b.Fatalf("upload %d: state %q, want ready (%v)", i, st, err)
			}
			if preview := env.get(c, page, http.StatusOK); !strings.Contains(preview, `id="commit"`) {
				b.Fatalf("upload %d: the preview offers no Impor: %.500s", i, preview)
			}
			b.StopTimer()
			if resp := env.post(c, page+"/discard", url.Values{"_csrf": {token}}); resp.StatusCode != http.StatusSeeOther {
				b.Fatalf("discard: status %d", resp.StatusCode)
			}
			b.StartTimer()
		}
		b.ReportMetric(fileMB, "file-MB")
	})

	b.Run("ingest-dry-run", func(b *testing.B) {
		b.SetBytes(int64(len(data)))
		for i := 0; i < b.N; i++ {
			r, err := ingest.Bytes(context.Background(), env.DB, "survei.xlsx", data,
				ingest.Options{DryRun: true, By: "uploader", DataDir: env.dataDir, MaxUpload: 1 << 30})
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

// BenchmarkCommitAfterPreview measures what a person waits for between
// clicking Impor on the preview of a 100,000-respondent workbook and seeing
// it committed, when nothing changed since the check (untimed: the upload,
// its check, and undoing the import for the next round):
//
//   - http: POST /uploads/{id}/commit and the status polls (every 10 ms)
//     until it is committed, through the real server;
//   - ingest: ingest.Checked.Commit of a kept dry run, the floor.
func BenchmarkCommitAfterPreview(b *testing.B) {
	data := ubWorkbook(b)
	env := newTestEnv(b, envOptions{config: func(c *dashboard.Config) { c.MaxUpload, c.UploadsPerHour = 1<<30, 1000 }})
	ingestBytes(b, env.DB, env.dataDir, "peserta.xlsx", participantBytes(b))
	ctx := context.Background()
	undo := func(id int64) {
		if err := env.DB.Undo(ctx, id, "bench"); err != nil {
			b.Fatal(err)
		}
	}

	b.Run("http", func(b *testing.B) {
		c := env.login("uploader")
		token := env.csrfFrom(c, "/uploads")
		for i := 0; i < b.N; i++ {
			b.StopTimer()
			page, err := uploadPage(c, env.URL, token, uploadFile{"survei.xlsx", data})
			if err != nil {
				b.Fatal(err)
			}
			if st, err := pollUpload(c, env.URL+page, 50*time.Millisecond); err != nil || st != "ready" {
				b.Fatalf("upload %d: state %q, want ready (%v)", i, st, err)
			}
			b.StartTimer()
			if resp := env.post(c, page+"/commit", url.Values{"_csrf": {token}}); resp.StatusCode != http.StatusSeeOther {
				b.Fatalf("Impor: status %d", resp.StatusCode)
			}
			if st, err := pollUpload(c, env.URL+page, 10*time.Millisecond); err != nil || st != "committed" {
				b.Fatalf("Impor %d: state %q, want committed (%v)", i, st, err)
			}
			b.StopTimer()
			if done := env.get(c, page, http.StatusOK); strings.Contains(done, `id="upload-rechecked"`) {
				b.Fatal("Impor checked the file again")
			}
			imports, err := env.DB.Imports(ctx)
			if err != nil {
				b.Fatal(err)
			}
			undo(imports[0].ID)
			b.StartTimer()
		}
	})

	b.Run("ingest", func(b *testing.B) {
		path := filepath.Join(b.TempDir(), "survei.xlsx")
		if err := os.WriteFile(path, data, 0o600); err != nil {
			b.Fatal(err)
		}
		opt := ingest.Options{By: "uploader", DataDir: env.dataDir, MaxUpload: 1 << 30}
		for i := 0; i < b.N; i++ {
			b.StopTimer()
			check := opt
			check.DryRun, check.Keep = true, true
			r, err := ingest.Bytes(ctx, env.DB, "survei.xlsx", data, check)
			if err != nil || r.Kept == nil {
				b.Fatalf("check: %v, kept %v", err, r.Kept != nil)
			}
			b.StartTimer()
			done, err := r.Kept.Commit(ctx, path, opt)
			if err != nil {
				b.Fatal(err)
			}
			b.StopTimer()
			if done.ImportID == nil || done.Sheets[0].New+done.Sheets[0].Updated+done.Sheets[0].Unchanged == 0 {
				b.Fatalf("commit: %+v", done)
			}
			undo(*done.ImportID)
			b.StartTimer()
		}
	})
}
