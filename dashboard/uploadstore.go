package dashboard

import (
	"context"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"sync"
	"time"

	"github.com/labstack/echo/v4"

	"pantau/ingest"
	"pantau/queries"
)

// An upload is one file sent through the upload page, from the moment it is
// stored until it is committed, discarded or expired. Its file waits under
// the data folder's "uploads" folder; a committed file is kept by ingest as
// DATA/<sha256>.xlsx like one from the command line.
type upload struct {
	ID       string
	Owner    string
	FileName string
	Size     int64
	Created  time.Time
	path     string // the waiting file; removed when the upload ends

	// Guarded by uploadStore.mu.
	State    uploadState
	Progress ingest.Progress
	Report   *ingest.Report // the dry run, then the commit's report
	ImportID int64          // the committed import
	Checked  time.Time      // when it began waiting for Impor or Batal; the hour counts from here
	Ended    time.Time      // committed, discarded, expired, identical or failed
}

type uploadState string

const (
	uploadQueued     uploadState = "queued"     // waiting for a free checker
	uploadChecking   uploadState = "checking"   // the dry run is reading it
	uploadReady      uploadState = "ready"      // no errors: may be committed
	uploadInvalid    uploadState = "invalid"    // errors: may be downloaded annotated
	uploadIdentical  uploadState = "identical"  // the same file was committed before: nothing to do
	uploadCommitting uploadState = "committing" // the commit is running
	uploadCommitted  uploadState = "committed"
	uploadDiscarded  uploadState = "discarded"
	uploadExpired    uploadState = "expired"
	uploadFailed     uploadState = "failed"
)

// Waiting is true while the upload's file is kept for a decision.
func (st uploadState) Waiting() bool {
	return st == uploadReady || st == uploadInvalid
}

// Busy is true while a job works on the upload.
func (st uploadState) Busy() bool {
	return st == uploadQueued || st == uploadChecking || st == uploadCommitting
}

// uploadStore keeps the uploads of this process in memory and runs their
// checks and commits in the background, a few at a time. A restart forgets
// them: the files left from a previous process are removed at start, and
// their users upload again (nothing was committed).
type uploadStore struct {
	dir string // DATA/uploads
	cfg Config

	mu      sync.Mutex
	closed  bool
	byID    map[string]*upload
	sent    map[string][]time.Time // per user, the uploads of the last hour
	workers chan struct{}          // a token per running job

	ctx  context.Context // cancelled by Close: jobs stop, nothing half-committed
	stop context.CancelFunc
	jobs sync.WaitGroup
}

// uploadKeep is how long an ended upload stays listed on its owner's page.
const uploadKeep = 24 * time.Hour

func newUploadStore(cfg Config) (*uploadStore, error) {
	dir := filepath.Join(cfg.DataDir, "uploads")
	if err := os.RemoveAll(dir); err != nil {
		return nil, fmt.Errorf("dashboard: clearing %s: %w", dir, err)
	}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, fmt.Errorf("dashboard: %w", err)
	}
	ctx, stop := context.WithCancel(context.Background())
	return &uploadStore{dir: dir, cfg: cfg,
		byID: map[string]*upload{}, sent: map[string][]time.Time{},
		workers: make(chan struct{}, cfg.UploadWorkers), ctx: ctx, stop: stop}, nil
}

// Close stops the jobs, waits for them and removes the waiting files.
func (us *uploadStore) Close() {
	us.mu.Lock()
	us.closed = true // an upload still being received is refused
	us.mu.Unlock()
	us.stop()
	us.jobs.Wait()
	os.RemoveAll(us.dir)
}

// allow counts one upload of user against the hourly limit. When the limit
// is reached it returns the time the next upload will be allowed.
func (us *uploadStore) allow(user string, now time.Time) (ok bool, retry time.Time) {
	us.mu.Lock()
	defer us.mu.Unlock()
	recent := slices.DeleteFunc(us.sent[user], func(t time.Time) bool { return !t.After(now.Add(-time.Hour)) })
	if len(recent) >= us.cfg.UploadsPerHour {
		us.sent[user] = recent
		return false, recent[0].Add(time.Hour)
	}
	us.sent[user] = append(recent, now)
	return true, time.Time{}
}

// add registers stored files and starts their dry runs; once the server
// is closing it refuses them, and removes their files.
func (us *uploadStore) add(list []*upload) error {
	us.mu.Lock()
	defer us.mu.Unlock()
	if us.closed {
		for _, u := range list {
			os.Remove(u.path)
		}
		return echo.NewHTTPError(http.StatusServiceUnavailable, "upload.closing")
	}
	for _, u := range list {
		u.State = uploadQueued
		us.byID[u.ID] = u
		us.run(u, true)
	}
	return nil
}

// get returns a copy of the upload id if user may see it: its owner, or an admin.
func (us *uploadStore) get(id string, user *queries.User, now time.Time) (upload, bool) {
	us.mu.Lock()
	defer us.mu.Unlock()
	us.expireLocked(now)
	u, ok := us.byID[id]
	if !ok || (u.Owner != user.Username && user.Role != queries.Admin) {
		return upload{}, false
	}
	return *u, true
}

// list returns user's uploads, newest first.
func (us *uploadStore) list(user string, now time.Time) []upload {
	us.mu.Lock()
	defer us.mu.Unlock()
	us.expireLocked(now)
	var list []upload
	for _, u := range us.byID {
		if u.Owner == user {
			list = append(list, *u)
		}
	}
	slices.SortFunc(list, func(a, b upload) int { return b.Created.Compare(a.Created) })
	return list
}

// commit starts committing a checked upload without errors.
func (us *uploadStore) commit(id string, now time.Time) error {
	u, err := us.decide(id, now, uploadCommitting)
	if err != nil {
		return err
	}
	us.run(u, false)
	return nil
}

// discard ends a waiting upload and removes its file.
func (us *uploadStore) discard(id string, now time.Time) error {
	u, err := us.decide(id, now, uploadDiscarded)
	if err != nil {
		return err
	}
	os.Remove(u.path)
	return nil
}

// decide moves a waiting upload to next (committing or discarded), once:
// a second click, or a click on an expired preview, is a conflict.
func (us *uploadStore) decide(id string, now time.Time, next uploadState) (*upload, error) {
	us.mu.Lock()
	defer us.mu.Unlock()
	us.expireLocked(now)
	u := us.byID[id]
	switch {
	case u == nil:
		return nil, queries.Errorf(queries.ENOTFOUND, "upload.not_found")
	case next == uploadCommitting && u.State != uploadReady:
		return nil, queries.Errorf(queries.ECONFLICT, "upload.not_ready")
	case !u.State.Waiting():
		return nil, queries.Errorf(queries.ECONFLICT, "upload.not_waiting")
	}
	u.State = next
	if next == uploadDiscarded {
		u.Ended = now
	}
	return u, nil
}

// expireLocked ends the uploads that waited longer than the configured time
// and forgets the ones ended long ago. The caller holds us.mu.
func (us *uploadStore) expireLocked(now time.Time) {
	for id, u := range us.byID {
		switch {
		case u.State.Waiting() && now.Sub(u.Checked) > us.cfg.UploadTTL:
			u.State, u.Ended = uploadExpired, now
			os.Remove(u.path)
		case !u.Ended.IsZero() && now.Sub(u.Ended) > uploadKeep:
			delete(us.byID, id)
		}
	}
}

// sweep expires uploads; the server calls it every minute.
func (us *uploadStore) sweep(now time.Time) {
	us.mu.Lock()
	defer us.mu.Unlock()
	us.expireLocked(now)
}

// worker waits for a free upload worker; release gives it back.
func (us *uploadStore) worker(ctx context.Context) (release func(), err error) {
	select {
	case us.workers <- struct{}{}:
		return func() { <-us.workers }, nil
	case <-ctx.Done():
		return nil, ctx.Err()
	case <-us.ctx.Done():
		return nil, echo.NewHTTPError(http.StatusServiceUnavailable, "upload.closing")
	}
}

// run starts the upload's dry run (check) or commit in the background,
// once one of the workers is free.
func (us *uploadStore) run(u *upload, check bool) {
	us.jobs.Add(1)
	go func() {
		defer us.jobs.Done()
		release, err := us.worker(us.ctx)
		if err != nil {
			us.fail(u, err)
			return
		}
		defer release()
		us.update(u, func() {
			if check {
				u.State = uploadChecking
			}
		})
		report, err := us.ingest(u, check)
		us.finish(u, check, report, err)
	}()
}

// ingest runs the same ingest as `pantau ingest` on the waiting file.
func (us *uploadStore) ingest(u *upload, dryRun bool) (report *ingest.Report, err error) {
	defer func() {
		if p := recover(); p != nil { // a bug must not take the server down
			err = fmt.Errorf("ingest panicked: %v", p)
		}
	}()
	data, err := os.ReadFile(u.path)
	if err != nil {
		return nil, err
	}
	return ingest.Bytes(us.ctx, us.cfg.DB, u.FileName, data, ingest.Options{
		DryRun: dryRun, By: u.Owner, DataDir: us.cfg.DataDir, MaxUpload: us.cfg.MaxUpload,
		Progress: func(p ingest.Progress) { us.update(u, func() { u.Progress = p }) },
	})
}

func (us *uploadStore) finish(u *upload, check bool, report *ingest.Report, err error) {
	if err != nil {
		us.fail(u, err)
		return
	}
	now, ended := us.cfg.Now(), false
	us.update(u, func() {
		u.Report = report
		switch {
		case !report.OK:
			u.State = uploadInvalid // a commit re-checks: it can meet new errors
		case report.IdenticalTo != 0:
			u.State, u.Ended = uploadIdentical, now
		case check:
			u.State = uploadReady
		default:
			u.State, u.ImportID, u.Ended = uploadCommitted, *report.ImportID, now
		}
		if u.State.Waiting() && u.Checked.IsZero() {
			u.Checked = now
		}
		ended = !u.Ended.IsZero()
	})
	if ended {
		os.Remove(u.path) // a committed file is kept by ingest under the data folder
	}
}

func (us *uploadStore) fail(u *upload, err error) {
	us.cfg.Logger.Error("upload failed", "upload", u.ID, "file", u.FileName, "user", u.Owner, "error", err)
	us.update(u, func() { u.State, u.Ended = uploadFailed, us.cfg.Now() })
	os.Remove(u.path)
}

func (us *uploadStore) update(u *upload, change func()) {
	us.mu.Lock()
	defer us.mu.Unlock()
	change()
}
