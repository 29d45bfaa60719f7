// Package ingest turns the bytes of an uploaded .xlsx into validated records
// and, when nothing is wrong, one import batch in the database. The sheets it
// knows are declared once, as column specs, in spec.go.
package ingest

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime/debug"
	"slices"
	"strings"
	"sync"
	"time"

	"pantau/ingest/xlsx"
	"pantau/queries"
)

// DefaultMaxUpload is the largest file accepted unless configured otherwise.
const DefaultMaxUpload = 50 << 20

// Options say how to ingest one file.
type Options struct {
	DryRun    bool   // validate and count, store nothing
	By        string // who uploads: "cli" or a user name
	Committer string // who commits, when not the uploader (an admin's Impor)
	DataDir   string // where committed files are kept, named by their SHA-256
	MaxUpload int64  // bytes; 0 means DefaultMaxUpload
	Dir       string // the folder File reads a relative path from; "" is the working folder
	Name      string // the file name File records; "" is the path's last element

	// Regions is the uploader's scope: nil for every region, else a row
	// naming another region, or none (a program-wide row), is an error at
	// its Wilayah cell.
	Regions queries.Scope

	// Keep, with DryRun, keeps the staged rows of a file without errors
	// pending in the database, as the report's Kept, so that committing
	// them later does not read the file again.
	Keep bool

	// Progress, when set, is told how far the ingest is: after every few
	// hundred rows read and when the commit starts. It is called on the
	// goroutine that called File or Bytes.
	Progress func(Progress)
}

// Progress is how far one ingest has come.
type Progress struct {
	Stage string `json:"stage"` // "reading" or "committing"
	Sheet string `json:"sheet"` // the sheet being read
	Row   int    `json:"row"`   // rows of that sheet read so far
	Rows  int    `json:"rows"`  // the sheet's last row number as its dimension declares it, else estimated from the part read; exact once read
}

func (o Options) progress(p Progress) {
	if o.Progress != nil {
		o.Progress(p)
	}
}

// Report is the outcome of ingesting one file.
type Report struct {
	File          string        `json:"file"`
	OK            bool          `json:"ok"`
	DryRun        bool          `json:"dry_run"`
	ImportID      *int64        `json:"import_id"`              // the new import; nil for a dry run or a refused file
	IdenticalTo   int64         `json:"identical_to,omitempty"` // an earlier committed import of the same bytes
	SHA256        string        `json:"sha256"`
	Size          int64         `json:"size"`
	Sheets        []SheetReport `json:"sheets"`
	IgnoredSheets []string      `json:"ignored_sheets"`
	Problems      []Problem     `json:"problems"`      // the first 1,000
	ProblemCount  int           `json:"problem_count"` // all of them
	ErrorCount    int           `json:"error_count"`

	// Flags are the quality flags committing a dry run's file would raise
	// (queries.Batch.Flags), the first 1,000 of FlagCount; for a dry run
	// without errors only.
	Flags     []queries.QualityFlag `json:"flags,omitempty"`
	FlagCount int                   `json:"flag_count,omitempty"`

	// Kept is a dry run's pending batch, with Options.Keep; nil otherwise.
	Kept *Checked `json:"-"`
}

// SheetReport is what one sheet held and what committing it does (or did).
type SheetReport struct {
	queries.SheetCounts
	IgnoredColumns []string `json:"ignored_columns"`
}

// Localize sets every problem's Message in lang ("id" or "en").
func (r *Report) Localize(lang string) {
	for i := range r.Problems {
		r.Problems[i].Message = r.Problems[i].text.In(lang)
	}
	for i := range r.Flags {
		r.Flags[i].Message = r.Flags[i].Text.In(lang)
	}
}

// sheetKinds lists the known sheets in the order they are validated: Wilayah
// first, since it adds regions the others may use, then Peserta, whose names
// the survey's facilitator columns are checked against.
var sheetKinds = []sheetKind{regionSheet, participantSheet, respondentSheet, groupSheet, targetSheet}

// File ingests the workbook at path, reading it from the disk as it goes:
// it is hashed and its sheets read in a stream, never held whole. A file
// that is missing or cannot be read is refused like a bad one, so that a
// list of files reports on all.
func File(ctx context.Context, db *queries.DB, path string, opt Options) (*Report, error) {
	name, full := filepath.Base(path), path
	if opt.Name != "" {
		name = opt.Name
	}
	if opt.Dir != "" && !filepath.IsAbs(path) {
		full = filepath.Join(opt.Dir, path)
	}
	file, err := os.Open(full)
	var st os.FileInfo
	if err == nil {
		defer file.Close()
		if st, err = file.Stat(); err == nil && !st.Mode().IsRegular() {
			err = errors.New("not a regular file")
		}
	}
	if err != nil {
		r, f := newReport(name, opt), &fileCheck{}
		if errors.Is(err, os.ErrNotExist) {
			f.fileError("", queries.Message{ID: "file tidak ada: " + path, EN: "no such file: " + path})
		} else {
			f.fileError("", queries.Message{ID: "file tidak dapat dibaca: " + err.Error(), EN: "the file cannot be read: " + err.Error()})
		}
		r.finish(f)
		return r, nil
	}
	return ingest(ctx, db, name, source{file, st.Size()}, opt)
}

// workbookSeen, set by tests, is shown every workbook read.
var workbookSeen func(r io.ReaderAt, size int64)

// source is an uploaded file's bytes, on disk or in memory.
type source struct {
	r    io.ReaderAt
	size int64
}

func (s source) reader() io.Reader { return io.NewSectionReader(s.r, 0, s.size) }

func tooLarge(name string, size int64, opt Options) *Report {
	limit := opt.MaxUpload
	if limit <= 0 {
		limit = DefaultMaxUpload
	}
	if size <= limit {
		return nil
	}
	r := newReport(name, opt)
	r.Size = size
	f := &fileCheck{}
	f.fileError("", queries.Message{
		ID: fmt.Sprintf("file berukuran %s, melebihi batas unggah %s", ByteSize(size), ByteSize(limit)),
		EN: fmt.Sprintf("the file is %s, over the upload limit of %s", ByteSize(size), ByteSize(limit))})
	r.finish(f)
	return r
}

// ByteSize writes a size for people: "50 MiB", "52.4 MiB", "900 KiB", "12 bytes".
func ByteSize(n int64) string {
	switch {
	case n >= 1<<20 && n%(1<<20) == 0:
		return fmt.Sprintf("%d MiB", n>>20)
	case n >= 1<<20:
		return fmt.Sprintf("%.1f MiB", float64(n)/(1<<20))
	case n >= 1<<10:
		return fmt.Sprintf("%d KiB", n>>10)
	}
	return fmt.Sprintf("%d bytes", n)
}

func newReport(name string, opt Options) *Report {
	return &Report{File: name, DryRun: opt.DryRun, Sheets: []SheetReport{}, IgnoredSheets: []string{}, Problems: []Problem{}}
}

// Bytes ingests a workbook held in memory; name is the file name to record.
// The returned error is a failure of pantau or its database; everything wrong
// with the file itself is in the report, which then has OK false.
func Bytes(ctx context.Context, db *queries.DB, name string, data []byte, opt Options) (*Report, error) {
	return ingest(ctx, db, name, source{bytes.NewReader(data), int64(len(data))}, opt)
}

func ingest(ctx context.Context, db *queries.DB, name string, src source, opt Options) (*Report, error) {
	if r := tooLarge(name, src.size, opt); r != nil {
		return r, nil
	}
	r := newReport(name, opt)
	sum := sha256.New()
	if _, err := io.Copy(sum, src.reader()); err != nil {
		f := &fileCheck{}
		f.fileError("", queries.Message{ID: "file tidak dapat dibaca: " + err.Error(), EN: "the file cannot be read: " + err.Error()})
		r.finish(f)
		return r, nil
	}
	r.SHA256, r.Size = hex.EncodeToString(sum.Sum(nil)), src.size
	f := &fileCheck{regions: NewRegions(), names: map[string]bool{}, progress: opt.progress, scope: opt.Regions}

	if reason := sniff(src); reason != nil {
		f.fileError("", *reason)
		r.finish(f)
		return r, nil
	}
	if id, err := db.CommittedImportWithHash(ctx, r.SHA256); err != nil {
		return nil, fmt.Errorf("ingest %s: %w", name, err)
	} else if id != 0 {
		r.IdenticalTo = id
		r.finish(f)
		return r, nil
	}
	// The batch first: a commit of it after a preview compares what changed
	// since it began, so it must begin before the reference data is read.
	batch, err := db.NewBatch(ctx)
	if err != nil {
		return nil, fmt.Errorf("ingest %s: %w", name, err)
	}
	kept := false
	defer func() {
		if !kept {
			batch.Close()
		}
	}()
	f.batch = batch
	if err := f.loadReference(ctx, db); err != nil {
		return nil, fmt.Errorf("ingest %s: %w", name, err)
	}

	if err := f.readWorkbook(src, r); err != nil {
		return nil, fmt.Errorf("ingest %s: %w", name, err)
	}
	if f.errors > 0 {
		r.finish(f)
		return r, nil
	}
	if opt.DryRun {
		counts, err := batch.Counts(ctx)
		if err != nil {
			return nil, fmt.Errorf("ingest %s: %w", name, err)
		}
		r.applyCounts(counts)
		if err := r.addFlags(ctx, batch, opt.Regions); err != nil {
			return nil, fmt.Errorf("ingest %s: %w", name, err)
		}
		r.finish(f)
		if opt.Keep {
			r.Kept, kept = &Checked{batch: batch, report: r}, true
		}
		return r, nil
	}
	// What reading the workbook left on the heap goes back to the system
	// before the database's commit takes memory of its own: the peak is
	// the larger of the two, not their sum.
	debug.FreeOSMemory()
	keep := func() (string, bool, error) { return keepFile(opt.DataDir, r.SHA256, src) }
	if err := commit(ctx, batch.Commit, r, keep, opt); err != nil {
		return nil, fmt.Errorf("ingest %s: %w", name, err)
	}
	r.finish(f)
	return r, nil
}

func (f *fileCheck) loadReference(ctx context.Context, db *queries.DB) error {
	provinces, err := ProgramProvinces(ctx, db)
	if err != nil {
		return err
	}
	f.regions = NewRegions(provinces...)
	regions, err := db.AddedRegions(ctx)
	if err != nil {
		return err
	}
	for _, r := range regions {
		f.regions.Add(r.Name, r.Province)
	}
	names, err := db.ParticipantNames(ctx)
	for _, n := range names {
		f.names[strings.ToLower(n)] = true
	}
	return err
}

// readWorkbook validates every known sheet of the workbook, staging rows in
// f.batch until the first error. Only a failure of pantau is returned.
func (f *fileCheck) readWorkbook(src source, r *Report) error {
	if workbookSeen != nil {
		workbookSeen(src.r, src.size)
	}
	defer func() {
		// The last guard: whatever excelize does with a corrupt file, it is the file's error.
		if p := recover(); p != nil {
			f.fileError("", queries.Message{ID: fmt.Sprintf("buku kerja rusak: %v", p), EN: fmt.Sprintf("the workbook is corrupt: %v", p)})
		}
	}()
	wb, err := xlsx.OpenAt(src.r, src.size)
	if err != nil {
		f.fileError("", refusal("buku kerja tidak dapat dibuka: "+openError(err).ID, "the workbook cannot be opened: "+openError(err).EN))
		return nil
	}
	defer wb.Close()
	if props, err := wb.GetWorkbookProps(); err == nil && props.Date1904 != nil {
		f.date1904 = *props.Date1904
	}

	names := wb.GetSheetList()
	found := map[sheetKind]string{}
	for _, name := range names {
		k := kindOfSheet(name)
		if k == nil {
			k = f.kindByHeader(wb, name)
		}
		if k == nil {
			r.IgnoredSheets = append(r.IgnoredSheets, name)
			continue
		}
		if other, dup := found[k]; dup {
			f.fileError(name, queries.Message{
				ID: fmt.Sprintf("sheet %q dan %q sama-sama sheet %s; hapus atau ganti nama salah satunya", other, name, k.info().Name),
				EN: fmt.Sprintf("sheets %q and %q are both a %s sheet; delete or rename one", other, name, k.info().Name)})
			continue
		}
		found[k] = name
	}
	if len(found) == 0 {
		f.fileError("", queries.Message{
			ID: fmt.Sprintf("tidak ada sheet yang dikenal (ada: %s); diharapkan Peserta, Responden, Kelompok, Wilayah atau Target", strings.Join(names, ", ")),
			EN: fmt.Sprintf("no known sheet (found: %s); expected Peserta, Responden, Kelompok, Wilayah or Target", strings.Join(names, ", "))})
		return nil
	}
	for _, k := range sheetKinds {
		name, ok := found[k]
		if !ok {
			continue
		}
		rows, err := wb.Rows(name)
		if err != nil {
			f.fileError(name, sheetReadError(err))
			continue
		}
		fetched := prefetch(rows)
		fetched.progress = func(n, total int) {
			f.progress(Progress{Stage: "reading", Sheet: name, Row: n, Rows: total})
		}
		report, err := readRecovering(f, k, name, fetched)
		fetched.progress(fetched.handed, fetched.total) // the sheet read to its end
		fetched.stop()
		rows.Close()
		if err != nil {
			f.fileError(name, queries.Message{ID: "sheet rusak: " + err.Error(), EN: "the sheet is corrupt: " + err.Error()})
		}
		r.Sheets = append(r.Sheets, report)
		if f.internal != nil {
			return f.internal
		}
	}
	// Report the sheets in the order the workbook has them.
	slices.SortStableFunc(r.Sheets, func(a, b SheetReport) int {
		return slices.Index(names, a.Sheet) - slices.Index(names, b.Sheet)
	})
	return nil
}

// readRecovering reads one sheet, turning a panic inside excelize into an error.
func readRecovering(f *fileCheck, k sheetKind, name string, rows rowIterator) (report SheetReport, err error) {
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("%v", p)
		}
	}()
	return k.read(f, name, rows), nil
}

// kindOfSheet finds the sheet kind a sheet name means, or nil.
func kindOfSheet(name string) sheetKind {
	key := strings.ToLower(strings.Join(strings.Fields(name), ""))
	for _, k := range sheetKinds {
		info := k.info()
		for _, n := range append([]string{info.Name}, info.Aliases...) {
			if strings.ToLower(strings.ReplaceAll(n, " ", "")) == key {
				return k
			}
		}
	}
	return nil
}

// commitFunc is Batch.Commit or Batch.CommitIfCurrent.
type commitFunc func(context.Context, queries.ImportMeta, func(map[queries.Kind]queries.Counts) []queries.SheetCounts) (int64, map[queries.Kind]queries.Counts, error)

// commit keeps the file under the data folder (keep) and commits the batch.
// The file is kept first: if the commit then fails, a file kept by this
// call is removed again, and a committed import always has its file.
func commit(ctx context.Context, commitBatch commitFunc, r *Report, keep func() (path string, created bool, err error), opt Options) error {
	opt.progress(Progress{Stage: "committing"})
	// One commit of a file at a time: else a commit that fails (or finds
	// the file committed meanwhile) could remove the kept file another
	// commit of the same bytes counts on.
	lock, _ := committingFiles.LoadOrStore(r.SHA256, &sync.Mutex{})
	lock.(*sync.Mutex).Lock()
	defer lock.(*sync.Mutex).Unlock()
	path, created, err := keep()
	if err != nil {
		return err
	}
	meta := queries.ImportMeta{FileName: r.File, SHA256: r.SHA256, Size: r.Size, By: opt.By, Committer: opt.Committer, At: time.Now().UTC()}
	id, counts, err := commitBatch(ctx, meta, func(counts map[queries.Kind]queries.Counts) []queries.SheetCounts {
		r.applyCounts(counts)
		var sheets []queries.SheetCounts
		for _, s := range r.Sheets {
			sheets = append(sheets, s.SheetCounts)
		}
		return sheets
	})
	if err != nil {
		if created {
			os.Remove(path)
		}
		if identical := (*queries.IdenticalError)(nil); errors.As(err, &identical) {
			r.IdenticalTo = identical.ImportID // committed meanwhile by another upload
			return nil
		}
		return err
	}
	r.applyCounts(counts)
	r.ImportID = &id
	return nil
}

// committingFiles holds a mutex per SHA-256 of a file being committed. It
// only grows by one small entry per distinct file this process commits.
var committingFiles sync.Map

// keepFile stores the file as DIR/<sha256>.xlsx, atomically.
func keepFile(dir, sum string, src source) (path string, created bool, err error) {
	return keep(dir, sum, func(path string) error { return writeAtomically(dir, path, src.reader()) })
}

// keep stores a file as DIR/<sha256>.xlsx with store, unless it is there.
func keep(dir, sum string, store func(path string) error) (path string, created bool, err error) {
	if dir == "" {
		return "", false, errors.New("no data folder configured")
	}
	path = filepath.Join(dir, sum+".xlsx")
	if _, err := os.Stat(path); err == nil {
		return path, false, nil
	}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return "", false, err
	}
	if err := store(path); err != nil {
		return "", false, err
	}
	return path, true, nil
}

// writeAtomically writes r to path through a temporary file in dir, so that
// path is whole or absent. CreateTemp makes it 0600: the original stays
// private to pantau's user.
func writeAtomically(dir, path string, r io.Reader) error {
	tmp, err := os.CreateTemp(dir, tempPrefix+"*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	_, err = io.Copy(tmp, r)
	if err == nil {
		err = tmp.Sync()
	}
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return err
	}
	return os.Rename(tmp.Name(), path)
}

// tempPrefix names a kept file while it is written.
const tempPrefix = ".upload-"

// addFlags adds the quality flags committing the batch would raise within
// the uploader's scope, those on its own rows named by this file's sheets.
func (r *Report) addFlags(ctx context.Context, batch *queries.Batch, scope queries.Scope) error {
	flags, count, err := batch.Flags(ctx, queries.Filter{Regions: scope}, "id", maxProblems)
	if err != nil {
		return err
	}
	for i := range flags {
		if flags[i].ImportID != 0 {
			continue
		}
		for _, s := range r.Sheets {
			if s.Kind == string(flags[i].Of) {
				flags[i].Sheet = s.Sheet
			}
		}
	}
	r.Flags, r.FlagCount = flags, count
	return nil
}

func (r *Report) applyCounts(counts map[queries.Kind]queries.Counts) {
	for i := range r.Sheets {
		c := counts[queries.Kind(r.Sheets[i].Kind)]
		r.Sheets[i].New, r.Sheets[i].Updated, r.Sheets[i].Unchanged = c.New, c.Updated, c.Unchanged
	}
}

func (r *Report) finish(f *fileCheck) {
	r.Problems = append(r.Problems, f.problems...)
	r.ProblemCount, r.ErrorCount = f.counts, f.errors
	r.OK = f.errors == 0
	r.Localize("id")
}

// SheetInfo describes a known sheet for templates and documentation.
type SheetInfo struct {
	Kind     queries.Kind
	Name     string
	Aliases  []string
	Workbook string // "peserta", "survei" or "target"
	Help     string
	Columns  []ColumnInfo
}

// ColumnInfo describes one column of a known sheet.
type ColumnInfo struct {
	Header   string
	Aliases  []string
	Required bool
	Kind     ValueKind
	Min, Max int
	Help     string
}

// Sheets describes every known sheet, in validation order.
func Sheets() []SheetInfo {
	var list []SheetInfo
	for _, k := range sheetKinds {
		list = append(list, k.info())
	}
	return list
}

func (s *sheetSpec[T]) info() SheetInfo {
	info := SheetInfo{Kind: s.kind, Name: s.name, Aliases: s.aliases, Workbook: s.workbook, Help: s.help}
	for _, c := range s.columns {
		info.Columns = append(info.Columns, ColumnInfo{Header: c.header, Aliases: c.aliases, Required: c.required,
			Kind: c.kind, Min: c.min, Max: c.max, Help: c.help})
	}
	return info
}
