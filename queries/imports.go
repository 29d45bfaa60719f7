package queries

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"
)

// Import is one entry of the import history.
type Import struct {
	ID          int64         `json:"id"`
	FileName    string        `json:"file"`
	SHA256      string        `json:"sha256"`
	Size        int64         `json:"size"`
	By          string        `json:"by"`           // who uploaded the file
	CommittedBy string        `json:"committed_by"` // who committed it: an admin may for another user
	At          time.Time     `json:"at"`
	Status      string        `json:"status"`
	UndoneAt    *time.Time    `json:"undone_at,omitempty"`
	UndoneBy    string        `json:"undone_by,omitempty"`
	Sheets      []SheetCounts `json:"sheets"`
	// Regions are the regions its rows name, sorted; "" for rows of no
	// region (program staff, program-wide targets).
	Regions []string `json:"regions"`
}

// importRegionsSQL lists, per import, the regions its row versions name.
const importRegionsSQL = `
SELECT import_id, list(DISTINCT coalesce(region, '') ORDER BY coalesce(region, ''))
FROM (
	SELECT import_id, region FROM participant_versions
	UNION ALL SELECT import_id, region FROM respondent_versions
	UNION ALL SELECT import_id, region FROM group_stage_versions
	UNION ALL SELECT import_id, region FROM region_versions
	UNION ALL SELECT import_id, region FROM target_versions
)
WHERE $1 = 0 OR import_id = $1
GROUP BY import_id`

// Imports returns the import history, newest first.
func (db *DB) Imports(ctx context.Context) ([]Import, error) {
	return db.imports(ctx, 0)
}

// Import returns import id, or ENOTFOUND: one import's page need not read
// the whole history's regions.
func (db *DB) Import(ctx context.Context, id int64) (Import, error) {
	list, err := db.imports(ctx, id)
	switch {
	case err != nil:
		return Import{}, err
	case len(list) == 0 || id == 0:
		return Import{}, Errorf(ENOTFOUND, "impor %d tidak ada", "import %d does not exist", id)
	}
	return list[0], nil
}

// imports reads import only, or with only 0 every import, newest first.
func (db *DB) imports(ctx context.Context, only int64) ([]Import, error) {
	rows, err := db.sql.QueryContext(ctx, `SELECT id, file_name, sha256, size, uploaded_by, coalesce(committed_by, uploaded_by), uploaded_at, status, undone_at, coalesce(undone_by, '')
		FROM imports WHERE $1 = 0 OR id = $1 ORDER BY id DESC`, only)
	if err != nil {
		return nil, fmt.Errorf("imports: %w", err)
	}
	defer rows.Close()
	var list []Import
	byID := map[int64]int{}
	for rows.Next() {
		var im Import
		var undoneAt sql.NullTime
		if err := rows.Scan(&im.ID, &im.FileName, &im.SHA256, &im.Size, &im.By, &im.CommittedBy, &im.At, &im.Status, &undoneAt, &im.UndoneBy); err != nil {
			return nil, fmt.Errorf("imports: %w", err)
		}
		if undoneAt.Valid {
			im.UndoneAt = &undoneAt.Time
		}
		im.Sheets, im.Regions = []SheetCounts{}, []string{}
		byID[im.ID] = len(list)
		list = append(list, im)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("imports: %w", err)
	}
	sheets, err := db.sql.QueryContext(ctx, `SELECT import_id, sheet, kind, rows, new, updated, unchanged, skipped
		FROM import_sheets WHERE $1 = 0 OR import_id = $1 ORDER BY import_id, position`, only)
	if err != nil {
		return nil, fmt.Errorf("import sheets: %w", err)
	}
	defer sheets.Close()
	for sheets.Next() {
		var id int64
		var s SheetCounts
		if err := sheets.Scan(&id, &s.Sheet, &s.Kind, &s.Rows, &s.New, &s.Updated, &s.Unchanged, &s.Skipped); err != nil {
			return nil, fmt.Errorf("import sheets: %w", err)
		}
		if i, ok := byID[id]; ok {
			list[i].Sheets = append(list[i].Sheets, s)
		}
	}
	if err := sheets.Err(); err != nil {
		return nil, fmt.Errorf("import sheets: %w", err)
	}
	regions, err := db.sql.QueryContext(ctx, importRegionsSQL, only)
	if err != nil {
		return nil, fmt.Errorf("import regions: %w", err)
	}
	defer regions.Close()
	for regions.Next() {
		var id int64
		var names Scope
		if err := regions.Scan(&id, &names); err != nil {
			return nil, fmt.Errorf("import regions: %w", err)
		}
		if i, ok := byID[id]; ok {
			list[i].Regions = names
		}
	}
	return list, regions.Err()
}

// CommittedImportWithHash returns the id of a committed import of the file
// with this SHA-256, or 0: uploading the same file again changes nothing.
func (db *DB) CommittedImportWithHash(ctx context.Context, sha256 string) (int64, error) {
	return committedImportWithHash(ctx, db.sql, sha256)
}

func committedImportWithHash(ctx context.Context, q querier, sha256 string) (int64, error) {
	var id int64
	err := q.QueryRowContext(ctx, `SELECT coalesce(min(id), 0) FROM imports WHERE sha256 = ? AND status = 'committed'`, sha256).Scan(&id)
	return id, err
}

// Undo marks import id undone and recomputes every row it brought from the
// imports still committed: the version before it, or a later import's copy of
// the same row. It is refused when a later import that is still committed
// changed one of its rows: undo that first. Once done, DataVersion goes up.
func (db *DB) Undo(ctx context.Context, id int64, by string) error {
	_, err := db.undo(ctx, id, by, true)
	return err
}

// UndoRefusal is why an undo is refused: the Detail of its ECONFLICT error.
type UndoRefusal struct {
	AlreadyUndone bool
	Later         []int64  // later committed imports that changed the same rows
	Regions       []string // regions the import added that later rows use
}

// UndoEffect is what undoing an import would change in the current data.
type UndoEffect struct {
	Kind     Kind `json:"kind"`
	Removed  int  `json:"removed"`  // rows that go away: no other import holds them
	Reverted int  `json:"reverted"` // rows that go back to another import's different version
}

// UndoPreview says what Undo would change, or why it would be refused,
// without changing anything: the undo runs and is rolled back.
func (db *DB) UndoPreview(ctx context.Context, id int64) ([]UndoEffect, error) {
	return db.undo(ctx, id, "", false)
}

func (db *DB) undo(ctx context.Context, id int64, by string, keep bool) ([]UndoEffect, error) {
	db.writes.Lock()
	defer db.writes.Unlock()

	tx, err := db.sql.BeginTx(ctx, nil)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()

	var status string
	err = tx.QueryRowContext(ctx, `SELECT status FROM imports WHERE id = ?`, id).Scan(&status)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, Errorf(ENOTFOUND, "impor %d tidak ada", "import %d does not exist", id)
	} else if err != nil {
		return nil, fmt.Errorf("undo %d: %w", id, err)
	}
	if status == "undone" {
		e := Errorf(ECONFLICT, "impor %d sudah dibatalkan", "import %d is already undone", id)
		e.Detail = UndoRefusal{AlreadyUndone: true}
		return nil, e
	}
	later, err := laterDependents(ctx, tx, id)
	if err != nil {
		return nil, err
	}
	if len(later) > 0 {
		e := Fail(ECONFLICT, Message{
			ID: fmt.Sprintf("impor %d tidak dapat dibatalkan: impor yang lebih baru %s mengubah baris yang sama; batalkan %s dulu",
				id, joinIDs(later, ", "), joinIDs(later, " dan ")),
			EN: fmt.Sprintf("import %d cannot be undone: later import %s changed the same rows; undo %s first",
				id, joinIDs(later, ", "), joinIDs(later, " and "))})
		e.Detail = UndoRefusal{Later: later}
		return nil, e
	}
	if regions, err := orphanedRegions(ctx, tx, id); err != nil {
		return nil, err
	} else if len(regions) > 0 {
		e := Errorf(ECONFLICT, "impor %d tidak dapat dibatalkan: impor ini menambahkan wilayah %s, yang dipakai baris dari impor yang lebih baru; batalkan impor itu dulu",
			"import %d cannot be undone: it added region %s, which rows of later imports use; undo those imports first",
			id, quoteAll(regions))
		e.Detail = UndoRefusal{Regions: regions}
		return nil, e
	}
	if !keep {
		// Keep the rows the undo touches as they are now, to compare after.
		for _, k := range Kinds {
			if _, err := tx.ExecContext(ctx, fmt.Sprintf(`CREATE TEMP TABLE before_%[1]s AS
				SELECT * FROM %[1]s WHERE key IN (SELECT key FROM %[2]s WHERE import_id = %[3]d)`, k, k.versions(), id)); err != nil {
				return nil, fmt.Errorf("undo preview %d: %w", id, err)
			}
		}
	}
	// A preview is rolled back: it need not keep the rollups in step.
	change := rollupChange{
		respondents: fmt.Sprintf(`SELECT key FROM respondent_versions WHERE import_id = %d`, id),
		groups:      fmt.Sprintf(`SELECT lower(group_code) FROM group_stage_versions WHERE import_id = %d`, id),
		regions:     fmt.Sprintf(`SELECT region FROM region_versions WHERE import_id = %d`, id),
	}
	if keep {
		if err := change.before(ctx, tx); err != nil {
			return nil, err
		}
	}
	if _, err := tx.ExecContext(ctx, `UPDATE imports SET status = 'undone', undone_at = ?, undone_by = ? WHERE id = ?`,
		time.Now().UTC(), by, id); err != nil {
		return nil, fmt.Errorf("undo %d: %w", id, err)
	}
	for _, k := range Kinds {
		if err := refresh(ctx, tx, k, id); err != nil {
			return nil, err
		}
	}
	if !keep {
		return undoEffects(ctx, tx)
	}
	if err := change.after(ctx, tx); err != nil {
		return nil, err
	}
	if err := db.commitData(tx, id); err != nil {
		return nil, fmt.Errorf("undo %d: %w", id, err)
	}
	db.checkpoint(ctx)
	return nil, nil
}

// undoEffects compares the rows an undo touched (before_<kind>) with the
// current rows after it, inside the undo's transaction.
func undoEffects(ctx context.Context, tx *sql.Tx) ([]UndoEffect, error) {
	var effects []UndoEffect
	for _, k := range Kinds {
		same, err := sameRow(ctx, tx, k, "b", "c")
		if err != nil {
			return nil, err
		}
		e := UndoEffect{Kind: k}
		err = tx.QueryRowContext(ctx, fmt.Sprintf(`SELECT
			count(*) FILTER (WHERE c.key IS NULL),
			count(*) FILTER (WHERE c.key IS NOT NULL AND NOT (%[2]s))
			FROM before_%[1]s b LEFT JOIN %[1]s c ON c.key = b.key`, k, same)).Scan(&e.Removed, &e.Reverted)
		if err != nil {
			return nil, fmt.Errorf("undo preview: %w", err)
		}
		effects = append(effects, e)
	}
	return effects, nil
}

// laterDependents lists the committed imports after id that hold a different
// version of a row that id holds, oldest first.
func laterDependents(ctx context.Context, tx *sql.Tx, id int64) ([]int64, error) {
	var parts []string
	for _, k := range Kinds {
		same, err := sameRow(ctx, tx, k, "mine", "later")
		if err != nil {
			return nil, err
		}
		parts = append(parts, fmt.Sprintf(`SELECT later.import_id FROM %[1]s mine JOIN %[1]s later ON later.key = mine.key
			WHERE mine.import_id = $1 AND later.import_id > $1 AND NOT (%[2]s)`, k.versions(), same))
	}
	ids, err := scanColumn[int64](ctx, tx, `SELECT DISTINCT d.import_id FROM (`+strings.Join(parts, " UNION ALL ")+`) d
		JOIN imports i ON i.id = d.import_id WHERE i.status = 'committed' ORDER BY 1`, id)
	if err != nil {
		return nil, fmt.Errorf("dependents of import %d: %w", id, err)
	}
	return ids, nil
}

// orphanedRegions lists the regions import id added (not built in) that no
// other committed import adds and that current rows of other imports use:
// undoing id would leave those rows with a region pantau no longer knows.
func orphanedRegions(ctx context.Context, tx *sql.Tx, id int64) ([]string, error) {
	regions, err := scanColumn[string](ctx, tx, `SELECT DISTINCT mine.region FROM region_versions mine
		WHERE mine.import_id = $1 AND mine.added
		  AND NOT EXISTS (SELECT 1 FROM region_versions other JOIN imports i ON i.id = other.import_id
		                  WHERE other.region = mine.region AND other.import_id <> $1 AND i.status = 'committed')
		  AND (mine.region IN (SELECT region FROM respondents WHERE import_id <> $1)
		    OR mine.region IN (SELECT region FROM group_stages WHERE import_id <> $1)
		    OR mine.region IN (SELECT region FROM participants WHERE import_id <> $1 AND region IS NOT NULL)
		    OR mine.region IN (SELECT region FROM targets WHERE import_id <> $1 AND region IS NOT NULL))
		ORDER BY 1`, id)
	if err != nil {
		return nil, fmt.Errorf("regions of import %d: %w", id, err)
	}
	return regions, nil
}

func quoteAll(list []string) string {
	q := make([]string, len(list))
	for i, s := range list {
		q[i] = fmt.Sprintf("%q", s)
	}
	return strings.Join(q, ", ")
}

func joinIDs(ids []int64, sep string) string {
	s := make([]string, len(ids))
	for i, id := range ids {
		s[i] = fmt.Sprint(id)
	}
	return strings.Join(s, sep)
}
