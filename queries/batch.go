package queries

import (
	"cmp"
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/duckdb/duckdb-go/v2"
)

// Batch stages the rows of one upload in temporary tables on its own
// connection. Staging takes no lock, so several uploads can be validated at
// once; Commit takes the write lock and, in one transaction, classifies the
// staged rows against the current state, stores the new and changed ones as a
// batch of versions and refreshes the current-state tables.
type Batch struct {
	db        *DB
	conn      *sql.Conn
	appenders map[Kind]*duckdb.Appender
	flushed   bool
}

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

// NewBatch opens a connection with an empty staging table per kind.
func (db *DB) NewBatch(ctx context.Context) (*Batch, error) {
	conn, err := db.sql.Conn(ctx)
	if err != nil {
		return nil, err
	}
	b := &Batch{db: db, conn: conn, appenders: map[Kind]*duckdb.Appender{}}
	for _, k := range Kinds {
		// The staging table is the versions table without import_id.
		q := fmt.Sprintf(`CREATE OR REPLACE TEMP TABLE %s AS SELECT * EXCLUDE (import_id) FROM %s LIMIT 0`, stage(k), k.versions())
		if _, err := conn.ExecContext(ctx, q); err != nil {
			b.Close()
			return nil, fmt.Errorf("staging %s: %w", k, err)
		}
		err := rawConn(conn, func(dc driver.Conn) error {
			a, err := duckdb.NewAppender(dc, "temp", "main", stage(k))
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

func stage(k Kind) string { return "stage_" + string(k) }

// Close discards whatever is staged and returns the connection. It is safe
// to call after Commit and more than once.
func (b *Batch) Close() error {
	var errs []error
	for k, a := range b.appenders {
		errs = append(errs, a.Close())
		delete(b.appenders, k)
	}
	if b.conn != nil {
		for _, k := range Kinds {
			_, err := b.conn.ExecContext(context.Background(), `DROP TABLE IF EXISTS temp.`+stage(k))
			errs = append(errs, err)
		}
		errs = append(errs, b.conn.Close())
		b.conn = nil
	}
	return errors.Join(errs...)
}

// AddParticipant stages a participant.
func (b *Batch) AddParticipant(p Participant) error {
	return b.appenders[Participants].AppendRow(int32(p.Row), p.Key, null(p.ID), p.Name, null(p.Gender),
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
	return b.appenders[Respondents].AppendRow(row...)
}

// AddGroupStage stages one row of the organizing log.
func (b *Batch) AddGroupStage(g GroupStage) error {
	return b.appenders[GroupStages].AppendRow(int32(g.Row), g.Key, g.Code, null(g.Name), g.Region,
		null(g.Facilitator), int32(g.Stage), g.ReachedOn, nullCount(g.Members), null(g.RegionCode))
}

// AddRegion stages a region of a Wilayah sheet.
func (b *Batch) AddRegion(r RegionWage) error {
	return b.appenders[Regions].AppendRow(int32(r.Row), r.Key, r.Region, r.Added, r.Province, nullPositive(int64(r.Year)), nullAmount(r.UMK), null(r.RegionCode))
}

// AddTarget stages a target of a Target sheet.
func (b *Batch) AddTarget(t Target) error {
	return b.appenders[Targets].AppendRow(int32(t.Row), t.Key, t.Indicator, null(t.Region), t.Period,
		t.Start, t.End, t.Value, null(t.Note), null(t.RegionCode))
}

// Counts classifies the staged rows against the current state without
// changing anything: what a commit now would do.
func (b *Batch) Counts(ctx context.Context) (map[Kind]Counts, error) {
	if err := b.flush(); err != nil {
		return nil, err
	}
	return classify(ctx, b.conn)
}

func (b *Batch) flush() error {
	if b.flushed {
		return nil
	}
	for k, a := range b.appenders {
		if err := a.Flush(); err != nil {
			return fmt.Errorf("staging %s: %w", k, err)
		}
	}
	b.flushed = true
	return nil
}

// querier is what queries run on: the database, a connection, or a transaction.
type querier interface {
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
}

func classify(ctx context.Context, q querier) (map[Kind]Counts, error) {
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
			FROM temp.%[2]s s LEFT JOIN %[3]s c ON c.key = s.key`, same, stage(k), k)).Scan(&c.New, &c.Updated, &c.Unchanged)
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
// it did per kind. The file's record, its new and changed rows and the
// refreshed current state appear together or not at all; once they have,
// DataVersion goes up.
func (b *Batch) Commit(ctx context.Context, meta ImportMeta, sheets func(map[Kind]Counts) []SheetCounts) (int64, map[Kind]Counts, error) {
	if err := b.flush(); err != nil {
		return 0, nil, err
	}
	b.db.writes.Lock()
	defer b.db.writes.Unlock()

	tx, err := b.conn.BeginTx(ctx, nil)
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
	counts, err := classify(ctx, tx)
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
	change := rollupChange{
		respondents: `SELECT key FROM temp.` + stage(Respondents),
		regions:     `SELECT region FROM temp.` + stage(Regions),
		// This batch's rows become the current rows of their keys.
		current: `SELECT * FROM temp.` + stage(Respondents),
	}
	if err := change.before(ctx, tx); err != nil {
		return 0, nil, err
	}
	for _, k := range Kinds {
		// Every row becomes a version, unchanged ones too: the file brought
		// them, and undoing an earlier import must not take them away.
		if _, err := tx.ExecContext(ctx, fmt.Sprintf(`INSERT INTO %s SELECT ?, * FROM temp.%s`, k.versions(), stage(k)), id); err != nil {
			return 0, nil, fmt.Errorf("store %s: %w", k, err)
		}
		// This batch's versions are the newest of their keys: they replace the
		// current rows directly, with no need for refresh's window, and are
		// read from the small stage table rather than the growing versions one.
		if _, err := tx.ExecContext(ctx, fmt.Sprintf(`DELETE FROM %s WHERE key IN (SELECT key FROM temp.%s)`, k, stage(k))); err != nil {
			return 0, nil, fmt.Errorf("refresh %s: %w", k, err)
		}
		if _, err := tx.ExecContext(ctx, fmt.Sprintf(`INSERT INTO %s SELECT ?, * FROM temp.%s`, k, stage(k)), id); err != nil {
			return 0, nil, fmt.Errorf("refresh %s: %w", k, err)
		}
	}
	if err := change.after(ctx, tx); err != nil {
		return 0, nil, err
	}
	if err := b.db.commitData(tx); err != nil {
		return 0, nil, fmt.Errorf("commit import: %w", err)
	}
	b.db.checkpoint(ctx)
	return id, counts, nil
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
