package ingest

import (
	"context"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strings"

	"pantau/queries"
)

// keptName is the name of a kept original: its SHA-256 and .xlsx.
var keptName = regexp.MustCompile(`^[0-9a-f]{64}\.xlsx$`)

// TidyDataDir is run when a database is opened with its data folder,
// before any ingest: it makes the folder private to its user (0700) and
// every kept original 0600 (they are personal data), and removes what a
// crash left behind, a kept file that no import names (written, then the
// commit never happened) or a half-written temporary one. It returns the
// names it removed. A missing folder is no error: nothing was kept yet.
func TidyDataDir(ctx context.Context, db *queries.DB, dir string) (removed []string, err error) {
	if dir == "" {
		return nil, nil
	}
	entries, err := os.ReadDir(dir)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	} else if err != nil {
		return nil, err
	}
	if err := os.Chmod(dir, 0o700); err != nil {
		return nil, err
	}
	imports, err := db.Imports(ctx)
	if err != nil {
		return nil, err
	}
	named := map[string]bool{}
	for _, im := range imports {
		named[im.SHA256+".xlsx"] = true
	}
	for _, e := range entries {
		name, path := e.Name(), filepath.Join(dir, e.Name())
		switch {
		case !e.Type().IsRegular():
		case strings.HasPrefix(name, tempPrefix) || keptName.MatchString(name) && !named[name]:
			if err := os.Remove(path); err != nil {
				return removed, err
			}
			removed = append(removed, name)
		case keptName.MatchString(name):
			if err := os.Chmod(path, 0o600); err != nil {
				return removed, err
			}
		}
	}
	return removed, nil
}
