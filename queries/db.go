// Package queries owns the DuckDB database: opening, migrating, writing import
// batches, and every read query the dashboards and the CLI use.
package queries

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"net/url"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/duckdb/duckdb-go/v2"
)

//go:embed migrations/*.sql
var migrations embed.FS

// DB is the pantau database: one DuckDB file.
type DB struct {
	sql       *sql.DB
	connector *duckdb.Connector

	// writes serialises imports and undos: DuckDB takes one writer well, and a
	// batch must see the current state it classifies against unchanged.
	writes sync.Mutex

	// accounts serialises the small writes to users and sessions, apart from
	// writes so that signing in never waits behind a long import.
	accounts sync.Mutex

	// version is DataVersion: 2 after Open, odd while a commit or undo
	// lands, two more after each.
	version atomic.Uint64

	// pendingIDs numbers the pending batches of this process: batch n's
	// rows carry import id -n until its commit gives them the real one.
	pendingIDs atomic.Int64
	changes    changeLog

	areas  atomic.Pointer[AreaCheck] // see CheckAreasWith
	limits Limits                    // what it was opened with
}

// Open opens (creating if needed) the DuckDB file at path and applies any
// migrations it lacks.
func Open(ctx context.Context, path string) (*DB, error) {
	return OpenLimited(ctx, path, Limits{})
}

// Limits bound what DuckDB takes of the machine; the zero value leaves
// DuckDB's defaults (a memory limit of 80 % of the RAM, a thread per core).
type Limits struct {
	// Memory is DuckDB's memory limit in bytes: its buffer pool, which
	// holds cached blocks of the file, temp tables, hash tables and sorts,
	// and a transaction's uncommitted rows. What does not fit is written
	// to TempDir. DuckDB needs a few tens of MB of it for pantau's commit.
	Memory int64
	// Threads is how many threads DuckDB runs a query on.
	Threads int
	// TempDir is where DuckDB spills; "" is beside the database file
	// (its name plus ".tmp").
	TempDir string
}

// dsn is the database's path with the limits as DuckDB configuration,
// which applies from the moment the database is opened.
func (l Limits) dsn(path string) string {
	v := url.Values{}
	if l.Memory > 0 {
		v.Set("memory_limit", fmt.Sprintf("%dKiB", l.Memory>>10))
	}
	if l.Threads > 0 {
		v.Set("threads", strconv.Itoa(l.Threads))
	}
	if l.TempDir != "" {
		v.Set("temp_directory", l.TempDir)
	}
	if len(v) == 0 {
		return path
	}
	return path + "?" + v.Encode()
}

// setMemoryLimit sets DuckDB's memory limit to bytes, or with 0 back to
// DuckDB's default (80 % of the RAM). RESET alone shows the default but
// leaves the buffer pool at the old limit, so the default is set by value.
func (db *DB) setMemoryLimit(ctx context.Context, bytes int64) error {
	limit := fmt.Sprintf("%dKiB", bytes>>10)
	if bytes <= 0 {
		if _, err := db.sql.ExecContext(ctx, `RESET GLOBAL memory_limit`); err != nil {
			return err
		}
		if err := db.sql.QueryRowContext(ctx, `SELECT current_setting('memory_limit')`).Scan(&limit); err != nil {
			return err
		}
	}
	_, err := db.sql.ExecContext(ctx, `SET GLOBAL memory_limit = '`+strings.ReplaceAll(limit, "'", "")+`'`)
	return err
}

// isOutOfMemory tells DuckDB's refusals of a query that needs more memory
// than its limit allows.
func isOutOfMemory(err error) bool {
	var de *duckdb.Error
	if errors.As(err, &de) && de.Type == duckdb.ErrorTypeOutOfMemory {
		return true
	}
	msg := strings.ToLower(fmt.Sprint(err))
	return strings.Contains(msg, "out of memory") || strings.Contains(msg, "failed to pin block") || strings.Contains(msg, "could not allocate block")
}

// OpenLimited is Open with DuckDB's memory, threads and spill folder
// bounded: what a process that ingests a big file uses, so that its memory
// does not grow with the file.
func OpenLimited(ctx context.Context, path string, limits Limits) (*DB, error) {
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return nil, fmt.Errorf("open database %s: %w", path, err)
	}
	if limits.Memory > 0 {
		returnFreedMemory()
	}
	// Every read orders its own results, so DuckDB need not keep insertion
	// order, which costs memory on big inserts. pantau checkpoints itself
	// (while staging, at the end of a check, after each commit and undo),
	// so that committing a big batch does not wait for the checkpoint
	// DuckDB would otherwise start inside it.
	connector, err := duckdb.NewConnector(limits.dsn(path), func(c driver.ExecerContext) error {
		// Not Open's ctx: connections are made long after Open returns.
		_, err := c.ExecContext(context.Background(), `SET preserve_insertion_order = false; SET checkpoint_threshold = '1GB'`, nil)
		return err
	})
	if isLockError(err) {
		return nil, fmt.Errorf("open database %s: %w", path, ErrLocked)
	}
	if err != nil {
		return nil, fmt.Errorf("open database %s: %w", path, err)
	}
	db := &DB{sql: sql.OpenDB(connector), connector: connector, limits: limits}
	if err := db.migrate(ctx); err != nil {
		db.Close()
		return nil, fmt.Errorf("migrate database %s: %w", path, err)
	}
	if err := db.registerFunctions(ctx); err != nil {
		db.Close()
		return nil, fmt.Errorf("open database %s: %w", path, err)
	}
	// A batch staged but never committed by an earlier process (killed,
	// crashed) is removed: none of this process can be staging yet.
	if err := db.removePending(ctx, 0); err != nil {
		db.Close()
		return nil, fmt.Errorf("open database %s: %w", path, err)
	}
	db.version.Store(2)
	// Personal data: the file and its write-ahead log are for pantau's user
	// only, also when an older pantau made them readable by all.
	for _, p := range []string{path, path + ".wal"} {
		if err := os.Chmod(p, 0o600); err != nil && !errors.Is(err, fs.ErrNotExist) {
			db.Close()
			return nil, fmt.Errorf("open database %s: %w", path, err)
		}
	}
	return db, nil
}

// DataVersion changes whenever the data the dashboards read does, like a
// sequence lock: it is even (2 after Open) while the data stands still, odd
// during the instant a commit or undo lands, and two more after each
// successful Batch.Commit and Undo (not after a commit refused as identical,
// or one that failed). Reads made while it is even and unchanged all saw the
// same state; caches key on it and store nothing read while it is odd. It is
// kept in memory only: a reopened database starts again at 2, which is safe
// because a cache does not outlive the process that opened it.
func (db *DB) DataVersion() uint64 { return db.version.Load() }

// Settled reports whether reads made at data version v saw one state.
func Settled(v uint64) bool { return v%2 == 0 }

// commitData commits a transaction that changes what the dashboards read
// (the commit or undo of import id; 0 for a change of no import, such as a
// checked quality flag), with DataVersion odd around the instant it becomes
// visible, and notes id in the change log.
func (db *DB) commitData(tx *sql.Tx, id int64) error {
	db.version.Add(1)
	err := tx.Commit()
	if err != nil {
		db.version.Add(1) // even again, and never back: a cache may have seen the odd one
		return err
	}
	if id != 0 {
		db.changes.mu.Lock()
		db.changes.ids = append(db.changes.ids, id)
		db.changes.mu.Unlock()
	}
	db.version.Add(1)
	return nil
}

// Close closes the database.
func (db *DB) Close() error {
	err := db.sql.Close()
	if cerr := db.connector.Close(); err == nil {
		err = cerr
	}
	return err
}

// migrate applies the embedded migrations/NNN_name.sql files in order, each in
// its own transaction, recording each in schema_migrations.
func (db *DB) migrate(ctx context.Context) error {
	if _, err := db.sql.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS schema_migrations (
		version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TIMESTAMPTZ NOT NULL DEFAULT now())`); err != nil {
		return err
	}
	names, err := fs.Glob(migrations, "migrations/*.sql")
	if err != nil {
		return err
	}
	sort.Strings(names)
	for _, name := range names {
		base := strings.TrimPrefix(name, "migrations/")
		version, err := strconv.Atoi(strings.SplitN(base, "_", 2)[0])
		if err != nil {
			return fmt.Errorf("migration %s: name must start with a number", base)
		}
		if err := db.applyMigration(ctx, version, base, name); err != nil {
			return fmt.Errorf("migration %s: %w", base, err)
		}
	}
	return nil
}

// migrationFills are the steps of a migration that SQL alone does not say
// well, run after its file in its transaction: filling new tables from the
// rows an existing database holds.
var migrationFills = map[int]func(context.Context, querier) error{
	3:  fill(respondentRollups...),
	10: fill(groupRollups...),
	15: fill(targetRollups...),
	16: fill(spanRollups...),
}

func (db *DB) applyMigration(ctx context.Context, version int, base, name string) error {
	tx, err := db.sql.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	var n int
	if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM schema_migrations WHERE version = ?`, version).Scan(&n); err != nil {
		return err
	}
	if n > 0 {
		return nil
	}
	body, err := migrations.ReadFile(name)
	if err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, string(body)); err != nil {
		return err
	}
	if fill := migrationFills[version]; fill != nil {
		if err := fill(ctx, tx); err != nil {
			return err
		}
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO schema_migrations (version, name) VALUES (?, ?)`, version, base); err != nil {
		return err
	}
	return tx.Commit()
}

// rawConn runs fn with the driver connection underneath c, which the Appender needs.
func rawConn(c *sql.Conn, fn func(driver.Conn) error) error {
	return c.Raw(func(dc any) error { return fn(dc.(driver.Conn)) })
}
