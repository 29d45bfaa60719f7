package ingest

import (
	"context"
	"errors"
	"fmt"
	"os"
	"slices"

	"pantau/queries"
)

// ErrChanged is Checked.Commit's refusal: since the check, a commit or undo
// brought regions or participants (what the check read) or rows of the
// keys the file holds (what its preview counted). Nothing was stored; the
// file must be checked again.
var ErrChanged = queries.ErrChanged

// Checked is the outcome of a dry run with Options.Keep on a file without
// errors: its rows, staged as a pending batch, wait for Commit or Discard.
// It is for one goroutine at a time.
type Checked struct {
	batch  *queries.Batch
	report *Report // the dry run's
}

// Commit commits the checked rows without reading the workbook again,
// unless the data they were checked against changed since (ErrChanged).
// file is the checked workbook itself (the same bytes), kept under
// opt.DataDir like every committed file. The report is the dry run's, with
// the commit's counts and import id.
func (c *Checked) Commit(ctx context.Context, file string, opt Options) (*Report, error) {
	r := *c.report
	r.DryRun, r.Kept = false, nil
	r.Sheets, r.Problems = slices.Clone(r.Sheets), slices.Clone(r.Problems)
	keep := func() (string, bool, error) { return keepFileFrom(opt.DataDir, r.SHA256, file) }
	if err := commit(ctx, c.batch.CommitIfCurrent, &r, keep, opt); err != nil {
		if errors.Is(err, ErrChanged) {
			return nil, err
		}
		return nil, fmt.Errorf("ingest %s: %w", r.File, err)
	}
	return &r, nil
}

// Discard removes the checked rows; after a Commit it does nothing.
func (c *Checked) Discard() error {
	return c.batch.Close()
}

// keepFileFrom keeps the file at from as DIR/<sha256>.xlsx, as keepFile
// does, by a hard link when it can (no copy of the bytes), else a copy.
func keepFileFrom(dir, sum, from string) (path string, created bool, err error) {
	return keep(dir, sum, func(path string) error {
		if os.Link(from, path) == nil {
			return nil
		}
		src, err := os.Open(from)
		if err != nil {
			return err
		}
		defer src.Close()
		return writeAtomically(dir, path, src)
	})
}
