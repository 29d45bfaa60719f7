package main

import (
	"archive/tar"
	"bufio"
	"bytes"
	"compress/gzip"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"time"

	"pantau/queries"
)

// archiveDB is the database's name inside a backup archive; the kept
// originals are under archiveData.
const (
	archiveDB   = "pantau.duckdb"
	archiveData = "data/"
)

// keptFile is the name ingest keeps a committed workbook under.
var keptFile = regexp.MustCompile(`^[0-9a-f]{64}\.xlsx$`)

// backup writes a consistent copy of the database, or with --with-files a
// tar of that copy and the kept original workbooks.
func (env *environment) backup(ctx context.Context, args []string) error {
	f := env.newFlags("backup", "--out FILE [--with-files] [--quiet]").withDB(env)
	out := f.String("out", "", "the file to write: a DuckDB database, or with --with-files a tar (gzip-compressed when FILE ends in .gz or .tgz)")
	withFiles := f.Bool("with-files", false, "write a tar of the database and the kept original workbooks of the data folder")
	quiet := f.Bool("quiet", false, "show no progress (it is drawn on stderr only when that is a terminal)")
	if _, err := f.parse(args); err != nil {
		return err
	}
	if *out == "" {
		f.Usage()
		return usageError("backup: --out FILE is required")
	}
	db, done, err := env.openDB(ctx, f)
	if err != nil {
		return err
	}
	defer done()
	step := func(desc string, size int64) *stepProgress { return startStep(env.stderr, desc, size, *quiet) }
	if *withFiles {
		err = writeArchive(ctx, db, env.path(*out), f.data, step)
	} else {
		copying := step("copying the database", 0)
		err = db.Backup(ctx, env.path(*out))
		copying.Done()
	}
	if err != nil {
		return exitError{code: 2, msg: err.Error()}
	}
	fmt.Fprintf(env.stdout, "wrote %s\n", *out)
	return nil
}

// writeArchive writes path as a tar of a backup of db (archiveDB) and the
// kept originals of dataDir (archiveData + name). The database is copied
// first: every import it holds has its file in the folder by then. step
// shows each stage's progress.
func writeArchive(ctx context.Context, db *queries.DB, path, dataDir string, step func(desc string, size int64) *stepProgress) error {
	tmp, err := os.MkdirTemp(filepath.Dir(path), ".pantau-backup-*")
	if err != nil {
		return err
	}
	defer os.RemoveAll(tmp)
	copyPath := filepath.Join(tmp, archiveDB)
	copying := step("copying the database", 0)
	err = db.Backup(ctx, copyPath)
	copying.Done()
	if err != nil {
		return err
	}
	entries, err := os.ReadDir(dataDir)
	if err != nil && !errors.Is(err, os.ErrNotExist) {
		return err
	}
	files := []string{copyPath}
	for _, e := range entries {
		if e.Type().IsRegular() && keptFile.MatchString(e.Name()) {
			files = append(files, filepath.Join(dataDir, e.Name()))
		}
	}
	sort.Strings(files[1:])
	var size int64
	for _, file := range files {
		if st, err := os.Stat(file); err == nil {
			size += st.Size()
		}
	}
	archiving := step("writing "+filepath.Base(path), size)
	defer archiving.Done()
	return writeFile(path, 0o600, func(w io.Writer) error {
		var zw *gzip.Writer
		if strings.HasSuffix(path, ".gz") || strings.HasSuffix(path, ".tgz") {
			zw = gzip.NewWriter(w)
			w = zw
		}
		tw := tar.NewWriter(w)
		for i, file := range files {
			name := archiveData + filepath.Base(file)
			if i == 0 {
				name = archiveDB
			}
			if err := addToTar(tw, name, file, archiving); err != nil {
				return err
			}
		}
		if err := tw.Close(); err != nil {
			return err
		}
		if zw != nil {
			return zw.Close()
		}
		return nil
	})
}

// addToTar adds file to tw as name, telling progress the bytes it copies.
func addToTar(tw *tar.Writer, name, file string, progress io.Writer) error {
	f, err := os.Open(file)
	if err != nil {
		return err
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return err
	}
	hdr := &tar.Header{Name: name, Mode: 0o600, Size: st.Size(), ModTime: st.ModTime().UTC().Truncate(time.Second), Typeflag: tar.TypeReg}
	if err := tw.WriteHeader(hdr); err != nil {
		return err
	}
	_, err = io.Copy(tw, io.TeeReader(f, progress))
	return err
}

// restore replaces the database with a backup: a DuckDB file that `pantau
// backup` wrote, or its tar (--with-files), whose kept originals then go
// into the data folder too.
func (env *environment) restore(ctx context.Context, args []string) error {
	f := env.newFlags("restore", "[--force] [--quiet] FILE").withDB(env)
	force := f.Bool("force", false, "replace an existing database")
	quiet := f.Bool("quiet", false, "show no progress (it is drawn on stderr only when that is a terminal)")
	given, err := f.parseOne(args, "backup FILE")
	if err != nil {
		return err
	}
	from := given
	archive, err := isArchive(from)
	if err != nil {
		return exitError{code: 1, msg: "restore: " + err.Error()}
	}
	if archive {
		tmp, err := os.MkdirTemp(filepath.Dir(f.db), ".pantau-restore-*")
		if err != nil {
			return exitError{code: 2, msg: err.Error()}
		}
		defer os.RemoveAll(tmp)
		extracted := filepath.Join(tmp, archiveDB)
		if err := extractArchive(from, extracted, "", env.readStep("reading "+filepath.Base(from), from, *quiet)); err != nil {
			return exitError{code: 1, msg: "restore: " + err.Error()}
		}
		from = extracted
	}
	restoring := startStep(env.stderr, "restoring the database", 0, *quiet)
	err = queries.Restore(ctx, from, f.db, *force)
	restoring.Done()
	switch {
	case errors.Is(err, queries.ErrLocked):
		return exitError{code: 2, msg: fmt.Sprintf("restore: %s is in use by a running pantau server (or another pantau command): "+
			"stop the server first, then restore", f.db)}
	case queries.ErrorCode(err) == queries.ECONFLICT || queries.ErrorCode(err) == queries.EINVALID:
		return exitError{code: 1, msg: err.Error()}
	case err != nil:
		return exitError{code: 2, msg: err.Error()}
	}
	if archive {
		if err := extractArchive(given, "", f.data, env.readStep("restoring the kept files", given, *quiet)); err != nil {
			return exitError{code: 2, msg: "restore: the database is restored, but not all kept files: " + err.Error()}
		}
	}
	fmt.Fprintf(env.stdout, "restored %s from %s\n", f.db, given)
	return nil
}

// isArchive reports whether the file at path is a tar, or a gzip-compressed
// one, rather than a database.
func isArchive(path string) (bool, error) {
	f, err := os.Open(path)
	if err != nil {
		return false, err
	}
	defer f.Close()
	head := make([]byte, 512)
	n, _ := io.ReadFull(f, head)
	head = head[:n]
	return bytes.HasPrefix(head, []byte{0x1f, 0x8b}) || (n >= 262 && string(head[257:262]) == "ustar"), nil
}

// readStep shows, as a step, the reading of the file at path.
func (env *environment) readStep(desc, path string, quiet bool) *stepProgress {
	var size int64
	if st, err := os.Stat(path); err == nil {
		size = st.Size()
	}
	return startStep(env.stderr, desc, size, quiet)
}

// extractArchive reads the backup archive at path: its database into dbPath
// when that is set, its kept originals into dataDir when that is set. A kept
// file must be named by its content's SHA-256; one already there is left.
// progress is told the archive's bytes as they are read, and ended.
func extractArchive(path, dbPath, dataDir string, progress *stepProgress) error {
	defer progress.Done()
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	br := bufio.NewReader(io.TeeReader(f, progress))
	var r io.Reader = br
	if head, _ := br.Peek(2); bytes.Equal(head, []byte{0x1f, 0x8b}) {
		zr, err := gzip.NewReader(br)
		if err != nil {
			return err
		}
		defer zr.Close()
		r = zr
	}
	tr := tar.NewReader(r)
	foundDB := false
	for {
		hdr, err := tr.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			return fmt.Errorf("%s: %w", path, err)
		}
		switch name := hdr.Name; {
		case hdr.Typeflag != tar.TypeReg:
			continue
		case name == archiveDB:
			foundDB = true
			if dbPath != "" {
				if err := writeFile(dbPath, 0o600, func(w io.Writer) error { _, err := io.Copy(w, tr); return err }); err != nil {
					return err
				}
			}
		case dataDir != "" && strings.HasPrefix(name, archiveData) && keptFile.MatchString(strings.TrimPrefix(name, archiveData)):
			if err := restoreKept(tr, dataDir, strings.TrimPrefix(name, archiveData)); err != nil {
				return err
			}
		}
	}
	if !foundDB {
		return fmt.Errorf("%s holds no %s", path, archiveDB)
	}
	return nil
}

// restoreKept writes one kept original into dataDir unless it is there.
func restoreKept(r io.Reader, dataDir, name string) error {
	dst := filepath.Join(dataDir, name)
	if _, err := os.Stat(dst); err == nil {
		return nil
	}
	if err := os.MkdirAll(dataDir, 0o700); err != nil {
		return err
	}
	return writeFile(dst, 0o600, func(w io.Writer) error {
		h := sha256.New()
		if _, err := io.Copy(io.MultiWriter(w, h), r); err != nil {
			return err
		}
		if sum := hex.EncodeToString(h.Sum(nil)) + ".xlsx"; sum != name {
			return fmt.Errorf("%s does not hold what its name says", name)
		}
		return nil
	})
}
