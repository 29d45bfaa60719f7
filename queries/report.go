package queries

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"
)

// Report is what the summary workbook shows.
type Report struct {
	Summary  *Summary           // with the earlier period in Compare when one is asked for
	ByRegion []RegionOrganizing // as OrganizingByRegion
	// EarlierByRegion is ByRegion of the earlier period, with a comparison.
	EarlierByRegion []RegionOrganizing
	Targets         *TargetReport // the filter's targets at the as-of date; nil without one
	Latest          *Import       // the newest import still committed; nil when there is none
	// Quality is the filter's data quality report (its sentences in English:
	// the workbook shows counts, completeness and timeliness).
	Quality *QualityReport
}

// ReportOptions are what a summary workbook shows beside the filter's figures.
type ReportOptions struct {
	Compare string    // a comparison mode (ParseCompare), or "" for none
	AsOf    time.Time // the targets' as-of date; zero leaves the targets out
}

// Report reads the summary workbook's figures for f from one snapshot of
// the data, so that an import committing meanwhile shows in all of them or
// in none. An invalid filter, or a comparison without a whole period, is an
// EINVALID error.
func (db *DB) Report(ctx context.Context, f Filter, o ReportOptions) (*Report, error) {
	if err := f.validate(); err != nil {
		return nil, err
	}
	var earlier Filter
	if o.Compare != "" {
		var err error
		if earlier, err = EarlierFilter(f, o.Compare); err != nil {
			return nil, err
		}
	}
	tx, err := db.sql.BeginTx(ctx, nil) // a snapshot, only read and rolled back
	if err != nil {
		return nil, fmt.Errorf("report: %w", err)
	}
	defer tx.Rollback()
	r := &Report{}
	if r.Summary, err = summary(ctx, tx, f); err != nil {
		return nil, err
	}
	if r.ByRegion, err = organizingByRegion(ctx, tx, f); err != nil {
		return nil, err
	}
	if o.Compare != "" {
		es, err := summary(ctx, tx, earlier)
		if err != nil {
			return nil, err
		}
		r.Summary.Compare = &Comparison{Mode: o.Compare, Filter: es.Filter, Summary: es}
		if r.EarlierByRegion, err = organizingByRegion(ctx, tx, earlier); err != nil {
			return nil, err
		}
	}
	if !o.AsOf.IsZero() {
		if r.Targets, err = targetReport(ctx, tx, f, calendarDay(o.AsOf)); err != nil {
			return nil, err
		}
	}
	if r.Quality, err = quality(ctx, tx, f, nil, false, "en", db.areaCheck()); err != nil {
		return nil, err
	}
	if r.Latest, err = latestImport(ctx, tx); err != nil {
		return nil, err
	}
	return r, nil
}

// latestImport is the newest committed import without its sheet counts,
// or nil.
func latestImport(ctx context.Context, q querier) (*Import, error) {
	im := Import{Sheets: []SheetCounts{}}
	err := q.QueryRowContext(ctx, `SELECT id, file_name, sha256, size, uploaded_by, uploaded_at, status
		FROM imports WHERE status = 'committed' ORDER BY id DESC LIMIT 1`).
		Scan(&im.ID, &im.FileName, &im.SHA256, &im.Size, &im.By, &im.At, &im.Status)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("latest import: %w", err)
	}
	return &im, nil
}
