package uploads_test

import (
	"bytes"
	"context"
	"errors"
	"io"
	"log/slog"
	"path/filepath"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"pantau/dashboard/locale"
	"pantau/dashboard/uploads"
	"pantau/queries"
	"pantau/sampledata"
)

// clock is the store's clock, in Unix nanoseconds; tests move it.
type clock struct{ ns atomic.Int64 }

func (c *clock) Now() time.Time          { return time.Unix(0, c.ns.Load()).UTC() }
func (c *clock) Advance(d time.Duration) { c.ns.Add(int64(d)) }

type env struct {
	t       *testing.T
	store   *uploads.Store
	clock   *clock
	dataDir string
}

const ttl = time.Hour

// newEnv is a store over a real DuckDB file in a temp folder.
func newEnv(t *testing.T, perHour int) *env {
	t.Helper()
	dir := t.TempDir()
	db, err := queries.Open(context.Background(), filepath.Join(dir, "pantau.duckdb"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	c := &clock{}
	c.ns.Store(time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC).UnixNano())
	e := &env{t: t, clock: c, dataDir: filepath.Join(dir, "data")}
	e.store, err = uploads.New(uploads.Options{DB: db, DataDir: e.dataDir, MaxUpload: 16 << 20,
		PerHour: perHour, TTL: ttl, Workers: 2, Now: c.Now, Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(e.store.Close)
	return e
}

var (
	ani   = &queries.User{Username: "ani", Role: queries.Uploader}
	budi  = &queries.User{Username: "budi", Role: queries.Uploader}
	admin = &queries.User{Username: "admin", Role: queries.Admin}
)

// add receives data as ani's upload and starts its check.
func (e *env) add(name string, data []byte) string {
	e.t.Helper()
	u, err := e.store.Receive(bytes.NewReader(data), ani.Username, name)
	if err != nil {
		e.t.Fatal(err)
	}
	if err := e.store.Add([]*uploads.Upload{u}); err != nil {
		e.t.Fatal(err)
	}
	return u.ID
}

// wait returns the upload once no job works on it.
func (e *env) wait(id string) uploads.Upload {
	e.t.Helper()
	for deadline := time.Now().Add(time.Minute); time.Now().Before(deadline); time.Sleep(10 * time.Millisecond) {
		u, ok := e.store.Get(id, ani)
		if !ok {
			e.t.Fatalf("upload %s not found", id)
		}
		if !u.State.Busy() {
			return u
		}
	}
	e.t.Fatalf("upload %s still busy after a minute", id)
	return uploads.Upload{}
}

// waiting lists the files in the uploads folder.
func (e *env) waiting() []string {
	names, _ := filepath.Glob(filepath.Join(e.dataDir, "uploads", "*"))
	return names
}

func participants(t *testing.T) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := sampledata.WriteParticipants(&buf); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// survey is a small synthetic survey; seeds give different files.
func survey(t *testing.T, seed int64) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := sampledata.WriteSurvey(&buf, sampledata.SurveyOptions{Respondents: 30, Groups: 5, Seed: seed}); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// badSurvey is a survey whose first survey date is no date.
func badSurvey(t *testing.T) []byte {
	t.Helper()
	f, err := excelize.OpenReader(bytes.NewReader(survey(t, 1)))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if err := f.SetCellStr("Responden", "B2", "bukan tanggal"); err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if _, err := f.WriteTo(&buf); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// wantError checks err is a queries.Error with code and the message of
// catalog key.
func wantError(t *testing.T, what string, err error, code, key string) {
	t.Helper()
	var qe *queries.Error
	if !errors.As(err, &qe) || qe.Code != code || qe.Message != locale.Msg(key) {
		t.Errorf("%s: error %v, want %s %q", what, err, code, key)
	}
}

func TestCheckCommitAndIdentical(t *testing.T) {
	e := newEnv(t, 30)
	data := participants(t)
	id := e.add("peserta.xlsx", data)
	u := e.wait(id)
	if u.State != uploads.Ready || !u.State.Waiting() || u.Report == nil || !u.Report.OK || u.Checked.IsZero() || !u.Ended.IsZero() {
		t.Fatalf("after the check: state %s, report %v, checked %v, ended %v", u.State, u.Report, u.Checked, u.Ended)
	}
	if u.Size != int64(len(data)) || u.FileName != "peserta.xlsx" || u.Owner != "ani" {
		t.Errorf("upload %+v", u)
	}
	if got := e.waiting(); len(got) != 1 {
		t.Errorf("waiting files %v, want one", got)
	}

	if err := e.store.Commit(id, "owner"); err != nil {
		t.Fatal(err)
	}
	u = e.wait(id)
	if u.State != uploads.Committed || u.ImportID == 0 || u.Ended.IsZero() {
		t.Fatalf("after the commit: state %s, import %d, ended %v", u.State, u.ImportID, u.Ended)
	}
	if got := e.waiting(); len(got) != 0 {
		t.Errorf("files left after the commit: %v", got)
	}
	wantError(t, "second commit", e.store.Commit(id, "owner"), queries.ECONFLICT, "upload.not_ready")
	wantError(t, "discard after commit", e.store.Discard(id), queries.ECONFLICT, "upload.not_waiting")
	wantError(t, "commit of no upload", e.store.Commit("nope", "owner"), queries.ENOTFOUND, "upload.not_found")

	e.clock.Advance(time.Minute)
	again := e.wait(e.add("peserta lagi.xlsx", data))
	if again.State != uploads.Identical || again.Ended.IsZero() {
		t.Errorf("the same file again: state %s, ended %v", again.State, again.Ended)
	}
	if got := e.waiting(); len(got) != 0 {
		t.Errorf("files left after an identical upload: %v", got)
	}
	if list := e.store.List("ani"); len(list) != 2 || list[0].ID != again.ID {
		t.Errorf("List: %d uploads, want 2, newest first", len(list))
	}
}

func TestInvalidIsAnnotatedNotCommitted(t *testing.T) {
	e := newEnv(t, 30)
	id := e.add("survei.xlsx", badSurvey(t))
	u := e.wait(id)
	if u.State != uploads.Invalid || u.Report.OK || u.Report.ErrorCount == 0 {
		t.Fatalf("state %s, report OK %v with %d errors", u.State, u.Report.OK, u.Report.ErrorCount)
	}
	wantError(t, "commit", e.store.Commit(id, "owner"), queries.ECONFLICT, "upload.not_ready")

	before := u.Report.Problems[0].Message
	var buf bytes.Buffer
	if err := e.store.Annotate(context.Background(), &buf, u, "en"); err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenReader(&buf)
	if err != nil {
		t.Fatalf("annotated copy: %v", err)
	}
	f.Close()
	// The upload's report is shared by every reader: Annotate localizes a copy.
	if u, _ := e.store.Get(id, ani); u.Report.Problems[0].Message != before {
		t.Errorf("Annotate changed the upload's report: %q, was %q", u.Report.Problems[0].Message, before)
	}

	if err := e.store.Discard(id); err != nil {
		t.Fatal(err)
	}
	if u, _ := e.store.Get(id, ani); u.State != uploads.Discarded || u.Ended.IsZero() {
		t.Errorf("after discard: state %s", u.State)
	}
	if got := e.waiting(); len(got) != 0 {
		t.Errorf("files left after discard: %v", got)
	}
	wantError(t, "annotate after discard", e.store.Annotate(context.Background(), io.Discard, u, "id"), queries.ECONFLICT, "upload.not_waiting")
	wantError(t, "second discard", e.store.Discard(id), queries.ECONFLICT, "upload.not_waiting")

	ready := e.wait(e.add("peserta.xlsx", participants(t)))
	wantError(t, "annotate without errors", e.store.Annotate(context.Background(), io.Discard, ready, "id"), queries.ECONFLICT, "upload.no_errors")
}

func TestOwnerOrAdminSees(t *testing.T) {
	e := newEnv(t, 30)
	id := e.add("peserta.xlsx", participants(t))
	if _, ok := e.store.Get(id, budi); ok {
		t.Error("another uploader sees ani's upload")
	}
	if _, ok := e.store.Get(id, admin); !ok {
		t.Error("an admin does not see ani's upload")
	}
	if list := e.store.List("budi"); len(list) != 0 {
		t.Errorf("budi's list has %d uploads", len(list))
	}
	e.wait(id)
}

func TestExpiry(t *testing.T) {
	e := newEnv(t, 30)
	id := e.add("peserta.xlsx", participants(t))
	e.wait(id)

	e.clock.Advance(ttl) // the hour counts from the end of the check, and is allowed whole
	if u, _ := e.store.Get(id, ani); u.State != uploads.Ready {
		t.Fatalf("after exactly the TTL: state %s, want ready", u.State)
	}
	e.clock.Advance(time.Second)
	e.store.Sweep()
	if got := e.waiting(); len(got) != 0 {
		t.Errorf("the sweep left %v", got)
	}
	u, _ := e.store.Get(id, ani)
	if u.State != uploads.Expired || !u.Ended.Equal(e.clock.Now()) {
		t.Errorf("after the TTL: state %s, ended %v", u.State, u.Ended)
	}
	wantError(t, "commit after expiry", e.store.Commit(id, "owner"), queries.ECONFLICT, "upload.not_ready")
	wantError(t, "discard after expiry", e.store.Discard(id), queries.ECONFLICT, "upload.not_waiting")

	e.clock.Advance(24 * time.Hour)
	if _, ok := e.store.Get(id, ani); !ok {
		t.Error("an ended upload is forgotten before a day has passed")
	}
	e.clock.Advance(time.Second)
	if list := e.store.List("ani"); len(list) != 0 {
		t.Errorf("a day after it ended the upload is still listed: %+v", list)
	}
}

func TestHourlyLimit(t *testing.T) {
	e := newEnv(t, 2)
	start := e.clock.Now()
	for i := range 2 {
		if ok, _ := e.store.Allow("ani"); !ok {
			t.Fatalf("upload %d refused", i+1)
		}
		e.clock.Advance(10 * time.Minute)
	}
	ok, retry := e.store.Allow("ani")
	if ok || !retry.Equal(start.Add(time.Hour)) {
		t.Fatalf("third upload: ok %v, retry %v, want refused until %v", ok, retry, start.Add(time.Hour))
	}
	if ok, _ := e.store.Allow("budi"); !ok {
		t.Error("the limit is per user: budi refused")
	}
	e.clock.Advance(40 * time.Minute) // the first upload is an hour old
	if ok, _ := e.store.Allow("ani"); !ok {
		t.Error("refused an hour after the first upload")
	}
	ok, retry = e.store.Allow("ani")
	if want := start.Add(10*time.Minute + time.Hour); ok || !retry.Equal(want) {
		t.Errorf("then: ok %v, retry %v, want refused until %v", ok, retry, want)
	}
}

// TestCommitRacesDiscard: Impor and Batal clicked at once; one wins, the
// other is a conflict, and the upload ends as the winner said.
func TestCommitRacesDiscard(t *testing.T) {
	e := newEnv(t, 30)
	for round := range 4 {
		id := e.add("survei.xlsx", survey(t, int64(round+1)))
		if u := e.wait(id); u.State != uploads.Ready {
			t.Fatalf("round %d: state %s, want ready", round, u.State)
		}
		var commitErr, discardErr error
		var wg sync.WaitGroup
		start := make(chan struct{})
		wg.Add(2)
		go func() { defer wg.Done(); <-start; commitErr = e.store.Commit(id, "owner") }()
		go func() { defer wg.Done(); <-start; discardErr = e.store.Discard(id) }()
		close(start)
		wg.Wait()
		u := e.wait(id)
		switch {
		case commitErr == nil && discardErr != nil:
			wantError(t, "discard after the commit", discardErr, queries.ECONFLICT, "upload.not_waiting")
			if u.State != uploads.Committed {
				t.Errorf("round %d: commit won, state %s", round, u.State)
			}
		case discardErr == nil && commitErr != nil:
			wantError(t, "commit after the discard", commitErr, queries.ECONFLICT, "upload.not_ready")
			if u.State != uploads.Discarded {
				t.Errorf("round %d: discard won, state %s", round, u.State)
			}
		default:
			t.Errorf("round %d: commit %v, discard %v: want exactly one to succeed", round, commitErr, discardErr)
		}
		if got := e.waiting(); len(got) != 0 {
			t.Errorf("round %d: files left: %v", round, got)
		}
	}
}

func TestRefusals(t *testing.T) {
	e := newEnv(t, 30)
	big := bytes.Repeat([]byte("x"), 16<<20+1)
	_, err := e.store.Receive(bytes.NewReader(big), "ani", "besar.xlsx")
	var tl *uploads.TooLargeError
	if !errors.As(err, &tl) || tl.Name != "besar.xlsx" {
		t.Errorf("a file over the limit: error %v", err)
	}
	if got := e.waiting(); len(got) != 0 {
		t.Errorf("files left after a refused file: %v", got)
	}

	u, err := e.store.Receive(bytes.NewReader(participants(t)), "ani", "peserta.xlsx")
	if err != nil {
		t.Fatal(err)
	}
	e.store.Close()
	if err := e.store.Add([]*uploads.Upload{u}); !errors.Is(err, uploads.ErrClosing) || queries.ErrorCode(err) != uploads.EUNAVAILABLE {
		t.Errorf("Add after Close: %v, want ErrClosing", err)
	}
	if got := e.waiting(); len(got) != 0 {
		t.Errorf("files left after Close: %v", got)
	}
}

// stalled is a writer that blocks until released: an annotation writing
// to it holds its worker as a very long one would.
type stalled struct {
	started chan struct{}
	once    sync.Once
	release chan struct{}
}

func (s *stalled) Write(b []byte) (int, error) {
	s.once.Do(func() { close(s.started) })
	<-s.release
	return len(b), nil
}

// Checks, commits and annotations each have their workers: with every
// annotation worker busy on a long annotation, a commit and a check still
// run at once, and a further annotation waits.
func TestCommitDoesNotWaitForAnnotations(t *testing.T) {
	e := newEnv(t, 30)
	bad := e.wait(e.add("survei.xlsx", badSurvey(t)))
	ready := e.wait(e.add("peserta.xlsx", participants(t)))
	if bad.State != uploads.Invalid || ready.State != uploads.Ready {
		t.Fatalf("states %s and %s", bad.State, ready.State)
	}
	release := make(chan struct{})
	var running sync.WaitGroup
	errs := make(chan error, 2)
	for range 2 { // Workers: 2
		w := &stalled{started: make(chan struct{}), release: release}
		running.Add(1)
		go func() {
			defer running.Done()
			errs <- e.store.Annotate(context.Background(), w, bad, "id")
		}()
		select {
		case <-w.started:
		case <-time.After(time.Minute):
			t.Fatal("the annotation did not start")
		}
	}
	defer func() {
		close(release)
		running.Wait()
		for range 2 {
			if err := <-errs; err != nil {
				t.Errorf("annotation: %v", err)
			}
		}
	}()

	start := time.Now()
	if err := e.store.Commit(ready.ID, "owner"); err != nil {
		t.Fatal(err)
	}
	checked := e.add("survei 2.xlsx", survey(t, 2))
	if u := e.wait(ready.ID); u.State != uploads.Committed {
		t.Errorf("commit: state %s", u.State)
	}
	if u := e.wait(checked); u.State != uploads.Ready {
		t.Errorf("check: state %s", u.State)
	}
	t.Logf("a commit and a check beside two stalled annotations: %v", time.Since(start))

	ctx, cancel := context.WithTimeout(context.Background(), 200*time.Millisecond)
	defer cancel()
	if err := e.store.Annotate(ctx, io.Discard, bad, "id"); !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("a third annotation: %v, want it to wait for a worker", err)
	}
}

// Annotated copies count in their uploader's hourly limit.
func TestAnnotationsCountInHourlyLimit(t *testing.T) {
	e := newEnv(t, 3)
	bad := e.wait(e.add("survei.xlsx", badSurvey(t)))
	if ok, _ := e.store.Allow("ani"); !ok {
		t.Fatal("first upload refused")
	}
	start := e.clock.Now()
	for i := range 2 {
		if err := e.store.Annotate(context.Background(), io.Discard, bad, "id"); err != nil {
			t.Fatalf("annotation %d: %v", i+1, err)
		}
	}
	var le *uploads.LimitError
	if err := e.store.Annotate(context.Background(), io.Discard, bad, "id"); !errors.As(err, &le) || le.PerHour != 3 || !le.Retry.Equal(start.Add(time.Hour)) {
		t.Errorf("third annotation: %v, want a *LimitError until %v", err, start.Add(time.Hour))
	}
	if ok, _ := e.store.Allow("ani"); ok {
		t.Error("an upload allowed past the limit the annotations reached")
	}
	if ok, _ := e.store.Allow("budi"); !ok {
		t.Error("budi refused: the limit is per user")
	}
}
