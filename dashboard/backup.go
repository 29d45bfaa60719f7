package dashboard

import (
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"time"

	"github.com/labstack/echo/v4"

	"pantau/queries"
)

// handleBackup sends an admin a consistent copy of the database (the same
// file `pantau backup` writes), made in a temporary folder and removed
// once sent.
func handleBackup(db *queries.DB, now func() time.Time) echo.HandlerFunc {
	return func(c echo.Context) error {
		dir, err := os.MkdirTemp("", "pantau-backup-*")
		if err != nil {
			return err
		}
		defer os.RemoveAll(dir)
		path := filepath.Join(dir, "pantau.duckdb")
		if err := db.Backup(c.Request().Context(), path); err != nil {
			return err
		}
		name := fmt.Sprintf("pantau-%s.duckdb", now().UTC().Format("20060102-150405"))
		c.Response().Header().Set(echo.HeaderCacheControl, "no-store")
		c.Response().Header().Set(echo.HeaderContentDisposition, fmt.Sprintf(`attachment; filename=%q`, name))
		f, err := os.Open(path)
		if err != nil {
			return err
		}
		defer f.Close()
		return c.Stream(http.StatusOK, "application/octet-stream", f)
	}
}
