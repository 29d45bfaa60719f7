package queries

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
)

// ErrLocked is the error of Open when another process holds the database
// file: DuckDB lets one process at a time open a file for writing.
var ErrLocked = errors.New("the database is in use by another process")

// isLockError reports whether err is DuckDB's refusal to lock a file that
// another process holds.
func isLockError(err error) bool {
	return err != nil && strings.Contains(err.Error(), "Could not set lock on file")
}

// Backup writes a consistent, self-contained copy of the database to path: a
// DuckDB file of its own (no write-ahead log beside it) holding every table
// and sequence as they stood between two writes. It may run while imports,
// undos and account changes land: the copy is one read transaction, begun
// under the write lock so that it starts between two imports, and then read
// from that snapshot while writes go on. The copy is written beside path and
// renamed into place, so path never holds half a backup.
func (db *DB) Backup(ctx context.Context, path string) error {
	if err := db.backup(ctx, path); err != nil {
		return fmt.Errorf("backup to %s: %w", path, err)
	}
	return nil
}

func (db *DB) backup(ctx context.Context, path string) error {
	dir := filepath.Dir(path)
	suffix := make([]byte, 8)
	rand.Read(suffix)
	alias := "pantau_backup_" + hex.EncodeToString(suffix)
	tmp := filepath.Join(dir, "."+alias+".duckdb")
	defer os.Remove(tmp + ".wal")
	defer os.Remove(tmp)

	conn, err := db.sql.Conn(ctx)
	if err != nil {
		return err
	}
	defer conn.Close()
	var source string
	if err := conn.QueryRowContext(ctx, `SELECT current_database()`).Scan(&source); err != nil {
		return err
	}
	if _, err := conn.ExecContext(ctx, fmt.Sprintf(`ATTACH %s AS %s`, sqlString(tmp), alias)); err != nil {
		return err
	}
	attached := true
	defer func() {
		if attached {
			conn.ExecContext(context.WithoutCancel(ctx), `DETACH `+alias)
		}
	}()

	// The snapshot starts under the write lock, so between two imports or
	// undos; the lock is let go before the long part, the copy.
	db.writes.Lock()
	tx, err := conn.BeginTx(ctx, nil)
	if err == nil {
		var n int
		err = tx.QueryRowContext(ctx, `SELECT count(*) FROM imports`).Scan(&n)
	}
	db.writes.Unlock()
	if err != nil {
		if tx != nil {
			tx.Rollback()
		}
		return err
	}
	if _, err := tx.ExecContext(ctx, fmt.Sprintf(`COPY FROM DATABASE %s TO %s`, sqlIdent(source), alias)); err != nil {
		tx.Rollback()
		return err
	}
	// The rows of pending batches (uploads being checked or waiting for
	// Impor) are nobody's data yet: the copy leaves them out.
	for _, k := range Kinds {
		if _, err := tx.ExecContext(ctx, fmt.Sprintf(`DELETE FROM %s.%s WHERE import_id < 0`, alias, k.versions())); err != nil {
			tx.Rollback()
			return err
		}
	}
	if err := tx.Commit(); err != nil {
		return err
	}
	// Fold the copy's log into its file. A plain CHECKPOINT is refused while
	// imports write to the source; FORCE only concerns the copy's own
	// transactions, of which there is none left.
	if _, err := conn.ExecContext(ctx, `FORCE CHECKPOINT `+alias); err != nil {
		return err
	}
	if _, err := conn.ExecContext(ctx, `DETACH `+alias); err != nil {
		return err
	}
	attached = false
	if _, err := os.Stat(tmp + ".wal"); err == nil {
		return errors.New("the copy kept a write-ahead log")
	}
	if err := os.Chmod(tmp, 0o600); err != nil { // personal data
		return err
	}
	if err := syncFile(tmp); err != nil {
		return err
	}
	return os.Rename(tmp, path)
}

// Restore replaces the database at path with the backup at from, after
// checking that a copy of it opens and migrates. An existing database is
// only replaced when replace is set, and never while another process holds
// it (ErrLocked). The copy is made beside path and renamed over it, so path
// holds either the old database or the restored one.
func Restore(ctx context.Context, from, path string, replace bool) error {
	if err := restore(ctx, from, path, replace); err != nil {
		return fmt.Errorf("restore %s: %w", path, err)
	}
	return nil
}

func restore(ctx context.Context, from, path string, replace bool) error {
	if _, err := os.Stat(path); err == nil {
		if !replace {
			return Errorf(ECONFLICT, "basis data sudah ada; --force menimpanya", "the database exists; --force replaces it")
		}
		// Open and close it: this fails when a server holds it, and folds
		// its write-ahead log into the file, which must not outlive it.
		old, err := Open(ctx, path)
		if errors.Is(err, ErrLocked) {
			return err
		}
		if err == nil {
			old.Close()
		}
	} else if !errors.Is(err, os.ErrNotExist) {
		return err
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return err
	}
	tmp, err := os.CreateTemp(filepath.Dir(path), ".pantau-restore-*.duckdb")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name() + ".wal")
	defer os.Remove(tmp.Name())
	err = copyInto(tmp, from)
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return err
	}
	copied, err := Open(ctx, tmp.Name())
	if err != nil {
		return Errorf(EINVALID, "%s bukan cadangan pantau yang dapat dibuka: %v", "%s is not a pantau backup that opens: %v", from, err)
	}
	_, err = copied.Imports(ctx)
	if cerr := copied.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return Errorf(EINVALID, "%s bukan cadangan pantau yang dapat dibaca: %v", "%s is not a pantau backup that reads: %v", from, err)
	}
	if err := syncFile(tmp.Name()); err != nil {
		return err
	}
	os.Remove(path + ".wal") // the old database's, if closing it did not fold it in
	return os.Rename(tmp.Name(), path)
}

func copyInto(dst *os.File, from string) error {
	src, err := os.Open(from)
	if err != nil {
		return err
	}
	defer src.Close()
	_, err = io.Copy(dst, src)
	return err
}

func syncFile(path string) error {
	f, err := os.OpenFile(path, os.O_RDWR, 0)
	if err != nil {
		return err
	}
	err = f.Sync()
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	return err
}

// sqlString quotes s as an SQL string literal (ATTACH takes no parameter).
func sqlString(s string) string { return "'" + strings.ReplaceAll(s, "'", "''") + "'" }

// sqlIdent quotes s as an SQL identifier.
func sqlIdent(s string) string { return `"` + strings.ReplaceAll(s, `"`, `""`) + `"` }
