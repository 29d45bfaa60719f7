// Package uploads keeps the files sent through the dashboard's upload page,
// from the moment they are stored until they are committed, discarded or
// expired: their states, the hourly limit, the background checks and
// commits, and expiry. It knows nothing of HTTP: its expected errors are
// queries.Error values whose messages are catalog keys, and a file over
// the limit is a *TooLargeError, for the caller to word.
package uploads

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"os"
	"path/filepath"
	"slices"
	"sync"
	"time"

	"pantau/dashboard/locale"
	"pantau/ingest"
	"pantau/queries"
)

// EUNAVAILABLE is the code of an upload refused while the store closes.
const EUNAVAILABLE = "unavailable"

// ErrClosing is returned once Close has begun.
var ErrClosing = &queries.Error{Code: EUNAVAILABLE, Message: locale.Msg("upload.closing")}

// TooLargeError is a file over the upload limit, found while it streams in.
type TooLargeError struct{ Name string }

func (e *TooLargeError) Error() string { return "file too large: " + e.Name }

// LimitError is an annotated copy refused because its uploader reached
// the hourly limit (PerHour), which annotations count in: each reads a
// whole workbook. Retry is when the next one will be allowed.
type LimitError struct {
	PerHour int
	Retry   time.Time
}

func (e *LimitError) Error() string {
	return "hourly limit reached until " + e.Retry.Format(time.RFC3339)
}

// An Upload is one file sent through the upload page. Its file waits under
// the data folder's "uploads" folder; a committed file is kept by ingest as
// DATA/<sha256>.xlsx like one from the command line.
type Upload struct {
	ID       string
	Owner    string
	Regions  queries.Scope // the owner's scope: the only regions its rows may name
	FileName string
	Size     int64
	Created  time.Time
	path     string // the waiting file; removed when the upload ends

	// Guarded by Store.mu.
	State     State
	Progress  ingest.Progress
	Report    *ingest.Report // the dry run, then the commit's report
	ImportID  int64          // the committed import
	Committer string         // who clicked Impor: the owner or an admin
	Checked   time.Time      // when it began waiting for Impor or Batal; the hour counts from here
	Ended     time.Time      // committed, discarded, expired, identical or failed
	Rechecked bool           // Impor read the file again: the data had changed since the check

	// kept is the check's staged rows, pending in the database while the
	// upload is Ready: Impor commits them without reading the file again.
	kept *ingest.Checked
}

// State is where an upload is in its life.
type State string

// The states, in the order an upload can meet them.
const (
	Queued     State = "queued"     // waiting for a free checker
	Checking   State = "checking"   // the dry run is reading it
	Ready      State = "ready"      // no errors: may be committed
	Invalid    State = "invalid"    // errors: may be downloaded annotated
	Identical  State = "identical"  // the same file was committed before: nothing to do
	Committing State = "committing" // the commit is running
	Committed  State = "committed"
	Discarded  State = "discarded"
	Expired    State = "expired"
	Failed     State = "failed"
)

// Waiting is true while the upload's file is kept for a decision.
func (st State) Waiting() bool {
	return st == Ready || st == Invalid
}

// Busy is true while a job works on the upload.
func (st State) Busy() bool {
	return st == Queued || st == Checking || st == Committing
}

// Options is what a Store needs; Now and Logger default to time.Now and
// slog.Default, the others must be set.
type Options struct {
	DB        *queries.DB
	DataDir   string        // the files wait in DataDir/uploads; ingest keeps committed ones in DataDir
	MaxUpload int64         // the largest file, in bytes
	PerHour   int           // uploads and annotated copies allowed per user per hour
	TTL       time.Duration // how long a checked upload waits for a decision
	Workers   int           // checks running at once; as many commits, and as many annotations, each in a pool of its own
	Now       func() time.Time
	Logger    *slog.Logger
}

// Store keeps the uploads of this process in memory and runs their checks
// and commits in the background, a few at a time. A restart forgets them:
// the files left from a previous process are removed at start, and their
// users upload again (nothing was committed).
type Store struct {
	dir string // DATA/uploads
	opt Options

	mu     sync.Mutex
	closed bool
	byID   map[string]*Upload
	sent   map[string][]time.Time // per user, the uploads of the last hour
	// A token per running job, one pool per kind of job, so that a commit
	// (a click someone waits on) never queues behind a check of a big file
	// or an annotation: it waits only for other commits.
	checks, commits, annotations chan struct{}

	ctx  context.Context // cancelled by Close: jobs stop, nothing half-committed
	stop context.CancelFunc
	jobs sync.WaitGroup
}

// keep is how long an ended upload stays listed on its owner's page.
const keep = 24 * time.Hour

// New clears the uploads folder under opt.DataDir and returns an empty store.
func New(opt Options) (*Store, error) {
	if opt.DB == nil || opt.DataDir == "" || opt.MaxUpload <= 0 || opt.PerHour <= 0 || opt.TTL <= 0 || opt.Workers <= 0 {
		return nil, errors.New("uploads: incomplete options")
	}
	if opt.Now == nil {
		opt.Now = time.Now
	}
	if opt.Logger == nil {
		opt.Logger = slog.Default()
	}
	dir := filepath.Join(opt.DataDir, "uploads")
	if err := os.RemoveAll(dir); err != nil {
		return nil, fmt.Errorf("uploads: clearing %s: %w", dir, err)
	}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, fmt.Errorf("uploads: %w", err)
	}
	ctx, stop := context.WithCancel(context.Background())
	return &Store{dir: dir, opt: opt,
		byID: map[string]*Upload{}, sent: map[string][]time.Time{},
		checks: make(chan struct{}, opt.Workers), commits: make(chan struct{}, opt.Workers),
		annotations: make(chan struct{}, opt.Workers), ctx: ctx, stop: stop}, nil
}

// Close stops the jobs, waits for them and removes the waiting files.
func (s *Store) Close() {
	s.mu.Lock()
	s.closed = true // an upload still being received is refused
	s.mu.Unlock()
	s.stop()
	s.jobs.Wait()
	s.mu.Lock()
	for _, u := range s.byID {
		s.dropKeptLocked(u)
	}
	s.mu.Unlock()
	os.RemoveAll(s.dir)
}

// Allow counts one upload of user against the hourly limit. When the limit
// is reached it returns the time the next upload will be allowed.
func (s *Store) Allow(user string) (ok bool, retry time.Time) {
	now := s.opt.Now()
	s.mu.Lock()
	defer s.mu.Unlock()
	recent := slices.DeleteFunc(s.sent[user], func(t time.Time) bool { return !t.After(now.Add(-time.Hour)) })
	if len(recent) >= s.opt.PerHour {
		s.sent[user] = recent
		return false, recent[0].Add(time.Hour)
	}
	s.sent[user] = append(recent, now)
	return true, time.Time{}
}

// Receive copies r into the uploads folder as a new upload of owner named
// name, stopping one byte past the limit (a *TooLargeError). Errors are
// returned unwrapped: a reader's error is the sender's, an *fs.PathError
// is the disk's. The upload is not listed until Add.
func (s *Store) Receive(r io.Reader, owner, name string) (*Upload, error) {
	u := &Upload{ID: newID(), Owner: owner, FileName: name, Created: s.opt.Now()}
	u.path = filepath.Join(s.dir, u.ID+".xlsx")
	f, err := os.OpenFile(u.path, os.O_CREATE|os.O_EXCL|os.O_WRONLY, 0o600)
	if err != nil {
		return nil, err
	}
	n, err := io.Copy(f, io.LimitReader(r, s.opt.MaxUpload+1))
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil && n > s.opt.MaxUpload {
		err = &TooLargeError{name}
	}
	if err != nil {
		os.Remove(u.path)
		return nil, err
	}
	u.Size = n
	return u, nil
}

// newID is an upload's unguessable id, safe in a URL and a file name.
func newID() string {
	b := make([]byte, 32)
	rand.Read(b)
	return base64.RawURLEncoding.EncodeToString(b)
}

// Remove removes the files of received uploads that will not be added.
func (s *Store) Remove(list []*Upload) {
	for _, u := range list {
		os.Remove(u.path)
	}
}

// Add registers received uploads and starts their dry runs; once the store
// is closing it refuses them with ErrClosing, and removes their files.
func (s *Store) Add(list []*Upload) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		s.Remove(list)
		return ErrClosing
	}
	for _, u := range list {
		u.State = Queued
		s.byID[u.ID] = u
		s.run(u, true)
	}
	return nil
}

// Get returns a copy of the upload id if user may see it: its owner, or an admin.
func (s *Store) Get(id string, user *queries.User) (Upload, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.expireLocked(s.opt.Now())
	u, ok := s.byID[id]
	if !ok || (u.Owner != user.Username && user.Role != queries.Admin) {
		return Upload{}, false
	}
	return *u, true
}

// List returns user's uploads, newest first.
func (s *Store) List(user string) []Upload {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.expireLocked(s.opt.Now())
	var list []Upload
	for _, u := range s.byID {
		if u.Owner == user {
			list = append(list, *u)
		}
	}
	slices.SortFunc(list, func(a, b Upload) int { return b.Created.Compare(a.Created) })
	return list
}

// Commit starts committing a checked upload without errors.
func (s *Store) Commit(id, by string) error {
	u, err := s.decide(id, Committing)
	if err != nil {
		return err
	}
	s.update(func() { u.Committer = by })
	s.run(u, false)
	return nil
}

// Discard ends a waiting upload and removes its file.
func (s *Store) Discard(id string) error {
	u, err := s.decide(id, Discarded)
	if err != nil {
		return err
	}
	os.Remove(u.path)
	return nil
}

// decide moves a waiting upload to next (committing or discarded), once:
// a second click, or a click on an expired preview, is a conflict.
func (s *Store) decide(id string, next State) (*Upload, error) {
	now := s.opt.Now()
	s.mu.Lock()
	defer s.mu.Unlock()
	s.expireLocked(now)
	u := s.byID[id]
	switch {
	case u == nil:
		return nil, queries.Fail(queries.ENOTFOUND, locale.Msg("upload.not_found"))
	case next == Committing && u.State != Ready:
		return nil, queries.Fail(queries.ECONFLICT, locale.Msg("upload.not_ready"))
	case !u.State.Waiting():
		return nil, queries.Fail(queries.ECONFLICT, locale.Msg("upload.not_waiting"))
	}
	u.State = next
	if next == Discarded {
		u.Ended = now
		s.dropKeptLocked(u)
	}
	return u, nil
}

// Annotate writes u's workbook with its bad cells marked and a first sheet
// listing its errors in lang. It counts in the hourly limit of u's owner
// (a *LimitError past it), and takes one of the annotation workers, so
// that many requests cannot take the time of many workbooks at once nor
// delay the checks and commits, which have workers of their own.
func (s *Store) Annotate(ctx context.Context, w io.Writer, u Upload, lang string) error {
	if u.State != Invalid {
		return queries.Fail(queries.ECONFLICT, locale.Msg("upload.no_errors"))
	}
	if ok, retry := s.Allow(u.Owner); !ok {
		return &LimitError{PerHour: s.opt.PerHour, Retry: retry}
	}
	release, err := s.worker(ctx, s.annotations)
	if err != nil {
		return err
	}
	defer release()
	data, err := os.ReadFile(u.path)
	if errors.Is(err, fs.ErrNotExist) { // discarded or expired meanwhile
		return queries.Fail(queries.ECONFLICT, locale.Msg("upload.not_waiting"))
	} else if err != nil {
		return err
	}
	// u.Report is shared with every reader of the upload: localize a copy.
	r := *u.Report
	r.Problems = slices.Clone(r.Problems)
	r.Localize(lang)
	// A file that cannot be opened is an EINVALID error saying so.
	return ingest.Annotate(w, data, &r, lang)
}

// expireLocked ends the uploads that waited longer than the TTL and
// forgets the ones ended long ago. The caller holds s.mu.
func (s *Store) expireLocked(now time.Time) {
	for id, u := range s.byID {
		switch {
		case u.State.Waiting() && now.Sub(u.Checked) > s.opt.TTL:
			u.State, u.Ended = Expired, now
			os.Remove(u.path)
			s.dropKeptLocked(u)
		case !u.Ended.IsZero() && now.Sub(u.Ended) > keep:
			delete(s.byID, id)
		}
	}
}

// dropKeptLocked removes u's pending rows, if it has any, in the
// background: the caller holds s.mu, which a database write must not hold
// up. Once the store is closing no job may start, and Close, which has
// waited for the jobs, drops them itself.
func (s *Store) dropKeptLocked(u *Upload) {
	kept := u.kept
	if kept == nil {
		return
	}
	u.kept = nil
	discard := func() {
		if err := kept.Discard(); err != nil {
			s.opt.Logger.Error("upload: removing checked rows", "upload", u.ID, "error", err)
		}
	}
	if s.closed {
		discard()
		return
	}
	s.jobs.Add(1)
	go func() {
		defer s.jobs.Done()
		discard()
	}()
}

// Sweep expires uploads; the server calls it every minute, so that files
// nobody looks at do not wait for the next request.
func (s *Store) Sweep() {
	now := s.opt.Now()
	s.mu.Lock()
	defer s.mu.Unlock()
	s.expireLocked(now)
}

// worker waits for a free worker of pool; release gives it back.
func (s *Store) worker(ctx context.Context, pool chan struct{}) (release func(), err error) {
	select {
	case pool <- struct{}{}:
		return func() { <-pool }, nil
	case <-ctx.Done():
		return nil, ctx.Err()
	case <-s.ctx.Done():
		return nil, ErrClosing
	}
}

// run starts the upload's dry run (check) or commit in the background,
// once one of the workers of its kind is free.
func (s *Store) run(u *Upload, check bool) {
	pool := s.commits
	if check {
		pool = s.checks
	}
	s.jobs.Add(1)
	go func() {
		defer s.jobs.Done()
		release, err := s.worker(s.ctx, pool)
		if err != nil {
			s.fail(u, err)
			return
		}
		defer release()
		s.update(func() {
			if check {
				u.State = Checking
			}
		})
		report, err := s.ingest(u, check)
		s.finish(u, check, report, err)
	}()
}

// ingest runs the same ingest as `pantau ingest` on the waiting file: a
// check keeps its staged rows, and a commit commits them without reading
// the file again, unless the data changed since the check; then, and when
// nothing was kept, the commit checks the file again, as `pantau ingest`.
func (s *Store) ingest(u *Upload, dryRun bool) (report *ingest.Report, err error) {
	defer func() {
		if p := recover(); p != nil { // a bug must not take the server down
			err = fmt.Errorf("ingest panicked: %v", p)
		}
	}()
	opt := ingest.Options{
		Name: u.FileName, DryRun: dryRun, Keep: dryRun, By: u.Owner, Committer: u.Committer, DataDir: s.opt.DataDir, MaxUpload: s.opt.MaxUpload,
		Regions:  u.Regions,
		Progress: func(p ingest.Progress) { s.update(func() { u.Progress = p }) },
	}
	var kept *ingest.Checked
	s.update(func() { kept, u.kept = u.kept, nil })
	if kept != nil {
		defer kept.Discard() // after a commit, it does nothing
		report, err := kept.Commit(s.ctx, u.path, opt)
		if !errors.Is(err, ingest.ErrChanged) {
			return report, err
		}
		s.update(func() { u.Rechecked = true })
		kept.Discard()
	}
	// Read from the disk as it goes, the file never held whole.
	return ingest.File(s.ctx, s.opt.DB, u.path, opt)
}

func (s *Store) finish(u *Upload, check bool, report *ingest.Report, err error) {
	if err != nil {
		s.fail(u, err)
		return
	}
	now, ended := s.opt.Now(), false
	s.update(func() {
		u.Report = report
		switch {
		case !report.OK:
			u.State = Invalid // a commit re-checks: it can meet new errors
		case report.IdenticalTo != 0:
			u.State, u.Ended = Identical, now
		case check:
			u.State = Ready
		default:
			u.State, u.ImportID, u.Ended = Committed, *report.ImportID, now
		}
		if u.State.Waiting() && u.Checked.IsZero() {
			u.Checked = now
		}
		if u.State == Ready {
			u.kept = report.Kept
		}
		ended = !u.Ended.IsZero()
	})
	if ended {
		os.Remove(u.path) // a committed file is kept by ingest under the data folder
	}
}

func (s *Store) fail(u *Upload, err error) {
	s.opt.Logger.Error("upload failed", "upload", u.ID, "file", u.FileName, "user", u.Owner, "error", err)
	now := s.opt.Now()
	s.update(func() { u.State, u.Ended = Failed, now })
	os.Remove(u.path)
}

func (s *Store) update(change func()) {
	s.mu.Lock()
	defer s.mu.Unlock()
	change()
}
