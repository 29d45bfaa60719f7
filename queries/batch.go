package queries

import (
	"cmp"
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"fmt"
	"strings"
	"sync"
	"time"

	"github.com/duckdb/duckdb-go/v2"
)

// Batch is the rows of one upload, staged as a pending batch: they are
// appended straight to the versions tables under a negative import id,
// which no query but the batch's own reads, so staging holds no copy of
// them in memory and takes no lock (several uploads can be checked at
// once). Commit takes the write lock and, in one transaction, classifies
// the pending rows against the current state, gives them the new import's
// id and refreshes the current-state tables and rollups: no row is copied.
// A batch neither committed nor closed (a crash, a killed process) is
// removed when the database is next opened.
type Batch struct {
	db    *DB
	id    int64 // the pending id, < 0
	stamp int   // how many commits and undos the database had seen when staging began

	conn      *sql.Conn // while staging; staging ends at Counts, Commit or Close
	appenders map[Kind]*duckdb.Appender
	rows      int // appended in all
	unflushed int
	staged    int

	committed bool
	closed    bool
}

// flushEvery is how many staged rows the appenders hold before they are
// written out, and checkpointEvery how many are written before they are
// folded into the database file, when the database has no memory limit:
// the memory staging takes does not grow with the file. Under a memory
// limit DuckDB itself spills what does not fit, and the rows are folded in
// once, when staging ends: under a limit each checkpoint takes longer the
// bigger the table, and folding every 65,536 rows made a 1,000,000-row
// ingest take about twice as long.
const (
	flushEvery      = 16 * 1024
	checkpointEvery = 4 * flushEvery
)

// Counts says what committing a kind's staged rows does.
type Counts struct {
	New, Updated, Unchanged int
}

// ImportMeta describes the uploaded file of a batch.
type ImportMeta struct {
	FileName  string
	SHA256    string
	Size      int64
	By        string // who uploaded the file
	Committer string // who committed it; By when empty
	At        time.Time
}

// SheetCounts is what one sheet of an import did, as recorded in the history.
type SheetCounts struct {
	Sheet     string `json:"sheet"`
	Kind      string `json:"kind"`
	Rows      int    `json:"rows"`
	New       int    `json:"new"`
	Updated   int    `json:"updated"`
	Unchanged int    `json:"unchanged"`
	Skipped   int    `json:"skipped"`
}

// IdenticalError says the file of a batch is already committed, as ImportID.
type IdenticalError struct{ ImportID int64 }

func (e *IdenticalError) Error() string {
	return fmt.Sprintf("the same file is already committed as import %d", e.ImportID)
}

// ErrChanged is CommitIfCurrent's refusal: since the batch was staged, a
// commit or undo changed what checking it read (regions, participants) or
// the rows it would update. Nothing was stored; the batch is still pending.
var ErrChanged = errors.New("the data changed since the batch was staged")

// NewBatch starts an empty pending batch on a connection of its own.
func (db *DB) NewBatch(ctx context.Context) (*Batch, error) {
	conn, err := db.sql.Conn(ctx)
	if err != nil {
		return nil, err
	}
	b := &Batch{db: db, id: -db.pendingIDs.Add(1), stamp: db.changeCount(), conn: conn, appenders: map[Kind]*duckdb.Appender{}}
	for _, k := range Kinds {
		err := rawConn(conn, func(dc driver.Conn) error {
			a, err := duckdb.NewAppender(dc, "", "main", k.versions())
			b.appenders[k] = a
			return err
		})
		if err != nil {
			b.Close()
			return nil, fmt.Errorf("appender for %s: %w", k, err)
		}
	}
	return b, nil
}

// Close ends staging and removes the batch's rows unless it was committed.
// It is safe to call after Commit and more than once.
func (b *Batch) Close() error {
	err := b.endStaging(false)
	if b.committed || b.closed {
		return err
	}
	b.closed = true
	if b.rows == 0 {
		return err
	}
	return errors.Join(err, b.db.removePending(context.Background(), b.id))
}

// endStaging writes out what the appenders hold and gives the connection
// back: a staged batch waiting for its commit holds no connection. With
// fold, a big batch's rows are also folded into the database file now
// (while a preview is read), not by the commit, which then holds in memory
// only what it changes itself.
func (b *Batch) endStaging(fold bool) error {
	var errs []error
	for k, a := range b.appenders {
		if err := a.Close(); err != nil { // Close flushes
			errs = append(errs, fmt.Errorf("staging %s: %w", k, err))
		}
		delete(b.appenders, k)
	}
	if b.conn != nil {
		errs = append(errs, b.conn.Close())
		b.conn = nil
		if fold && b.rows >= flushEvery {
			b.db.checkpoint(context.Background())
		}
	}
	return errors.Join(errs...)
}

// removePending deletes the rows of pending batch id, or with id 0 of every
// pending batch (at open, when none can be staging).
func (db *DB) removePending(ctx context.Context, id int64) error {
	cond := fmt.Sprintf("import_id = %d", id)
	if id == 0 {
		cond = "import_id < 0"
	}
	tx, err := db.sql.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("remove pending: %w", err)
	}
	defer tx.Rollback()
	for _, k := range Kinds {
		if _, err := tx.ExecContext(ctx, `DELETE FROM `+k.versions()+` WHERE `+cond); err != nil {
			return fmt.Errorf("remove pending %s: %w", k, err)
		}
	}
	return tx.Commit()
}

func (b *Batch) append(k Kind, row ...driver.Value) error {
	a := b.appenders[k]
	if a == nil {
		return errors.New("staging: the batch is no longer staging")
	}
	if err := a.AppendRow(append([]driver.Value{b.id}, row...)...); err != nil {
		return err
	}
	b.rows++
	if b.unflushed++; b.unflushed >= flushEvery {
		return b.flush()
	}
	return nil
}

func (b *Batch) flush() error {
	for k, a := range b.appenders {
		if err := a.Flush(); err != nil {
			return fmt.Errorf("staging %s: %w", k, err)
		}
	}
	b.staged += b.unflushed
	b.unflushed = 0
	if b.staged >= checkpointEvery && b.db.limits.Memory == 0 {
		b.staged = 0
		b.db.checkpoint(context.Background())
	}
	return nil
}

// AddParticipant stages a participant.
func (b *Batch) AddParticipant(p Participant) error {
	return b.append(Participants, int32(p.Row), p.Key, null(p.ID), p.Name, null(p.Gender),
		p.Role, p.FieldFacilitator, null(p.Region), null(p.Training), nullDate(p.TrainingDate), null(p.Location), null(p.RegionCode))
}

// AddRespondent stages a respondent.
func (b *Batch) AddRespondent(r Respondent) error {
	row := make([]driver.Value, 0, 25)
	row = append(row, int32(r.Row), r.Key, r.ID, r.SurveyDate, r.Region, null(r.District), null(r.Village),
		null(r.Facilitator), null(r.Gender), nullPositive(int64(r.Age)), r.WorkType, null(r.Product), nullAmount(r.MonthlyWage))
	for _, a := range r.Problems {
		row = append(row, a.value())
	}
	row = append(row, null(r.RegionCode), null(r.DistrictCode), null(r.VillageCode))
	return b.append(Respondents, row...)
}

// AddGroupStage stages one row of the organizing log.
func (b *Batch) AddGroupStage(g GroupStage) error {
	return b.append(GroupStages, int32(g.Row), g.Key, g.Code, null(g.Name), g.Region,
		null(g.Facilitator), int32(g.Stage), g.ReachedOn, nullCount(g.Members), null(g.RegionCode))
}

// AddRegion stages a region of a Wilayah sheet.
func (b *Batch) AddRegion(r RegionWage) error {
	return b.append(Regions, int32(r.Row), r.Key, r.Region, r.Added, r.Province, nullPositive(int64(r.Year)), nullAmount(r.UMK), null(r.RegionCode))
}

// AddTarget stages a target of a Target sheet.
func (b *Batch) AddTarget(t Target) error {
	return b.append(Targets, int32(t.Row), t.Key, t.Indicator, null(t.Region), t.Period,
		t.Start, t.End, t.Value, null(t.Note), null(t.RegionCode))
}

// Counts ends staging and classifies the staged rows against the current
// state without changing anything: what a commit now would do. The batch
// stays pending, for Commit or CommitIfCurrent later, until Close.
func (b *Batch) Counts(ctx context.Context) (map[Kind]Counts, error) {
	if err := b.endStaging(true); err != nil {
		return nil, err
	}
	return classify(ctx, b.db.sql, b.id)
}

// querier is what queries run on: the database, a connection, or a transaction.
type querier interface {
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
}

// classify counts the rows of batch id against the current state.
func classify(ctx context.Context, q querier, id int64) (map[Kind]Counts, error) {
	counts := map[Kind]Counts{}
	for _, k := range Kinds {
		same, err := sameRow(ctx, q, k, "s", "c")
		if err != nil {
			return nil, err
		}
		var c Counts
		err = q.QueryRowContext(ctx, fmt.Sprintf(`SELECT
			count(*) FILTER (WHERE c.key IS NULL),
			count(*) FILTER (WHERE c.key IS NOT NULL AND NOT (%[1]s)),
			count(*) FILTER (WHERE c.key IS NOT NULL AND (%[1]s))
			FROM %[2]s s LEFT JOIN %[3]s c ON c.key = s.key WHERE s.import_id = ?`, same, k.versions(), k), id).Scan(&c.New, &c.Updated, &c.Unchanged)
		if err != nil {
			return nil, fmt.Errorf("classify %s: %w", k, err)
		}
		counts[k] = c
	}
	return counts, nil
}

// sameRow is the SQL condition "row a holds the same data as row b" for rows
// of kind k: every column but the bookkeeping ones, NULL equal to NULL. The
// column names come from the catalog, never from user input.
func sameRow(ctx context.Context, q querier, k Kind, a, b string) (string, error) {
	var cols string
	err := q.QueryRowContext(ctx, `SELECT string_agg(column_name, ',' ORDER BY column_index) FROM duckdb_columns()
		WHERE table_name = ? AND schema_name = 'main' AND column_name NOT IN ('import_id', 'row_number', 'key')`,
		string(k)).Scan(&cols)
	if err != nil {
		return "", fmt.Errorf("columns of %s: %w", k, err)
	}
	var conds []string
	for _, c := range strings.Split(cols, ",") {
		conds = append(conds, fmt.Sprintf("%[2]s.%[1]s IS NOT DISTINCT FROM %[3]s.%[1]s", c, a, b))
	}
	return strings.Join(conds, " AND "), nil
}

// Commit stores the staged rows as a new import and returns its id and what
// it did per kind. The file's record, its rows and the refreshed current
// state appear together or not at all; once they have, DataVersion goes up.
func (b *Batch) Commit(ctx context.Context, meta ImportMeta, sheets func(map[Kind]Counts) []SheetCounts) (int64, map[Kind]Counts, error) {
	return b.commit(ctx, meta, sheets, false)
}

// CommitIfCurrent is Commit of a batch staged a while ago (an upload's
// check, then its Impor): it is refused with ErrChanged, and the batch kept
// pending, when a commit or undo since staging began brought regions or
// participants (what checking the rows read) or rows of the keys the batch
// holds (what its preview counted).
func (b *Batch) CommitIfCurrent(ctx context.Context, meta ImportMeta, sheets func(map[Kind]Counts) []SheetCounts) (int64, map[Kind]Counts, error) {
	return b.commit(ctx, meta, sheets, true)
}

func (b *Batch) commit(ctx context.Context, meta ImportMeta, sheets func(map[Kind]Counts) []SheetCounts, ifCurrent bool) (int64, map[Kind]Counts, error) {
	if err := b.endStaging(true); err != nil {
		return 0, nil, err
	}
	if b.committed || b.closed {
		return 0, nil, errors.New("commit: the batch is no longer pending")
	}
	b.db.writes.Lock()
	defer b.db.writes.Unlock()
	id, counts, err := b.commitTx(ctx, meta, sheets, ifCurrent)
	if err != nil && b.db.limits.Memory > 0 && isOutOfMemory(err) {
		// The memory limit is for the common case. A commit that needs
		// more (its transaction rolled back, nothing half done) is let
		// have DuckDB's default rather than fail the upload.
		if b.db.setMemoryLimit(ctx, 0) == nil {
			id, counts, err = b.commitTx(ctx, meta, sheets, ifCurrent)
			b.db.setMemoryLimit(context.WithoutCancel(ctx), b.db.limits.Memory)
		}
	}
	return id, counts, err
}

// commitTx is commit's transaction; the caller holds the write lock.
func (b *Batch) commitTx(ctx context.Context, meta ImportMeta, sheets func(map[Kind]Counts) []SheetCounts, ifCurrent bool) (int64, map[Kind]Counts, error) {
	tx, err := b.db.sql.BeginTx(ctx, nil)
	if err != nil {
		return 0, nil, err
	}
	defer tx.Rollback()

	// Checked again under the lock: two uploads of one file at once commit once.
	if prior, err := committedImportWithHash(ctx, tx, meta.SHA256); err != nil {
		return 0, nil, err
	} else if prior != 0 {
		return 0, nil, &IdenticalError{ImportID: prior}
	}
	if ifCurrent {
		if changed, err := b.changedSinceStaging(ctx, tx); err != nil {
			return 0, nil, err
		} else if changed {
			return 0, nil, ErrChanged
		}
	}
	counts, err := classify(ctx, tx, b.id)
	if err != nil {
		return 0, nil, err
	}
	var id int64
	if err := tx.QueryRowContext(ctx, `INSERT INTO imports (id, file_name, sha256, size, uploaded_by, committed_by, uploaded_at, status)
		VALUES (nextval('import_ids'), ?, ?, ?, ?, ?, ?, 'committed') RETURNING id`,
		meta.FileName, meta.SHA256, meta.Size, meta.By, cmp.Or(meta.Committer, meta.By), meta.At).Scan(&id); err != nil {
		return 0, nil, fmt.Errorf("record import: %w", err)
	}
	for i, s := range sheets(counts) {
		if _, err := tx.ExecContext(ctx, `INSERT INTO import_sheets VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
			id, i, s.Sheet, s.Kind, s.Rows, s.New, s.Updated, s.Unchanged, s.Skipped); err != nil {
			return 0, nil, fmt.Errorf("record import sheets: %w", err)
		}
	}
	// The pending rows become the import's versions where they lie: only
	// their import id changes. Every row becomes a version, unchanged ones
	// too: the file brought them, and undoing an earlier import must not
	// take them away. The import id is given now, not at staging, so that
	// ids follow the order imports were committed in, which undo relies on.
	for _, k := range Kinds {
		if _, err := tx.ExecContext(ctx, `UPDATE `+k.versions()+` SET import_id = ? WHERE import_id = ?`, id, b.id); err != nil {
			return 0, nil, fmt.Errorf("store %s: %w", k, err)
		}
	}
	mine := fmt.Sprintf(`WHERE import_id = %d`, id)
	// Only regions whose rows this batch adds or changes can change a
	// UMK: a survey's Wilayah sheet sent again unchanged rebuilds nothing.
	sameRegion, err := sameRow(ctx, tx, Regions, "s", "c")
	if err != nil {
		return 0, nil, err
	}
	if _, err := tx.ExecContext(ctx, `CREATE OR REPLACE TEMP TABLE commit_regions AS SELECT s.region FROM region_versions s
		LEFT JOIN regions c ON c.key = s.key `+strings.Replace(mine, "import_id", "s.import_id", 1)+` AND (c.key IS NULL OR NOT (`+sameRegion+`))`); err != nil {
		return 0, nil, fmt.Errorf("changed regions: %w", err)
	}
	change := rollupChange{
		respondents: `SELECT key FROM respondent_versions ` + mine,
		groups:      `SELECT lower(group_code) FROM group_stage_versions ` + mine,
		regions:     `SELECT region FROM temp.commit_regions`,
		// This batch's rows become the current rows of their keys.
		current: `SELECT * FROM respondent_versions ` + mine,
	}
	if err := change.before(ctx, tx); err != nil {
		return 0, nil, err
	}
	for _, k := range Kinds {
		// This batch's versions are the newest of their keys: they replace
		// the current rows directly, with no need for refresh's window.
		if _, err := tx.ExecContext(ctx, fmt.Sprintf(`DELETE FROM %s WHERE key IN (SELECT key FROM %s %s)`, k, k.versions(), mine)); err != nil {
			return 0, nil, fmt.Errorf("refresh %s: %w", k, err)
		}
		if _, err := tx.ExecContext(ctx, fmt.Sprintf(`INSERT INTO %s SELECT * FROM %s %s`, k, k.versions(), mine)); err != nil {
			return 0, nil, fmt.Errorf("refresh %s: %w", k, err)
		}
	}
	if err := change.after(ctx, tx); err != nil {
		return 0, nil, err
	}
	if _, err := tx.ExecContext(ctx, `DROP TABLE temp.commit_regions`); err != nil {
		return 0, nil, fmt.Errorf("changed regions: %w", err)
	}
	if err := b.db.commitData(tx, id); err != nil {
		return 0, nil, fmt.Errorf("commit import: %w", err)
	}
	b.committed = true
	// The person who clicked Impor need not wait for it.
	go b.db.checkpoint(context.WithoutCancel(ctx))
	return id, counts, nil
}

// changedSinceStaging reports whether a commit or undo since the batch's
// staging began brought regions, participants, or a row of a key the
// batch holds. The caller holds the write lock.
func (b *Batch) changedSinceStaging(ctx context.Context, q querier) (bool, error) {
	ids := b.db.changesSince(b.stamp)
	if len(ids) == 0 {
		return false, nil
	}
	list := joinIDs(ids, ", ")
	parts := []string{
		`SELECT 1 FROM region_versions WHERE import_id IN (` + list + `)`,
		`SELECT 1 FROM participant_versions WHERE import_id IN (` + list + `)`,
	}
	for _, k := range Kinds {
		parts = append(parts, fmt.Sprintf(`SELECT 1 FROM %[1]s theirs SEMI JOIN (SELECT key FROM %[1]s WHERE import_id = %[2]d) mine ON mine.key = theirs.key
			WHERE theirs.import_id IN (%[3]s)`, k.versions(), b.id, list))
	}
	var changed bool
	if err := q.QueryRowContext(ctx, `SELECT EXISTS (`+strings.Join(parts, " UNION ALL ")+`)`).Scan(&changed); err != nil {
		return false, fmt.Errorf("changes since staging: %w", err)
	}
	return changed, nil
}

// changeLog is, in order, the imports this process committed or undid:
// what a batch staged earlier compares itself with. It grows by one id per
// commit or undo.
type changeLog struct {
	mu  sync.Mutex
	ids []int64
}

func (db *DB) changeCount() int {
	db.changes.mu.Lock()
	defer db.changes.mu.Unlock()
	return len(db.changes.ids)
}

func (db *DB) changesSince(n int) []int64 {
	db.changes.mu.Lock()
	defer db.changes.mu.Unlock()
	return append([]int64(nil), db.changes.ids[n:]...)
}

// refresh recomputes the current rows of every key that batch id touched:
// the newest version from a batch that is still committed, or none.
func refresh(ctx context.Context, q querier, k Kind, id int64) error {
	touched := fmt.Sprintf(`SELECT key FROM %s WHERE import_id = %d`, k.versions(), id)
	if _, err := q.ExecContext(ctx, fmt.Sprintf(`DELETE FROM %s WHERE key IN (%s)`, k, touched)); err != nil {
		return fmt.Errorf("refresh %s: %w", k, err)
	}
	_, err := q.ExecContext(ctx, fmt.Sprintf(`INSERT INTO %s SELECT v.* FROM %s v JOIN imports i ON i.id = v.import_id
		WHERE i.status = 'committed' AND v.key IN (%s)
		QUALIFY row_number() OVER (PARTITION BY v.key ORDER BY v.import_id DESC) = 1`, k, k.versions(), touched))
	if err != nil {
		return fmt.Errorf("refresh %s: %w", k, err)
	}
	return nil
}

// checkpoint folds the write-ahead log into the database file after a big
// write, so the next open does not replay it. A failure only costs time.
func (db *DB) checkpoint(ctx context.Context) {
	db.sql.ExecContext(ctx, `CHECKPOINT`)
}
func (a Answer) value() driver.Value {
	switch a {
	case Yes:
		return true
	case No:
		return false
	}
	return nil
}

func null(s string) driver.Value {
	if s == "" {
		return nil
	}
	return s
}

func nullDate(t time.Time) driver.Value {
	if t.IsZero() {
		return nil
	}
	return t
}

func nullPositive(n int64) driver.Value {
	if n <= 0 {
		return nil
	}
	return int32(n)
}

func nullCount(n int) driver.Value {
	if n < 0 {
		return nil
	}
	return int32(n)
}

func nullAmount(n int64) driver.Value {
	if n < 0 {
		return nil
	}
	return n
}
