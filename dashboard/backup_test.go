package dashboard_test

import (
	"context"
	"encoding/json"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"testing"

	"pantau/queries"
)

// An admin downloads a backup: a DuckDB file that opens on its own with
// the server's imports and figures.
func TestAdminBackupDownload(t *testing.T) {
	env := newTestEnv(t, envOptions{samples: true})
	got := env.htDo(env.login("admin"), "GET", "/admin/backup", nil)
	if got.status != http.StatusOK {
		t.Fatalf("GET /admin/backup: status %d", got.status)
	}
	if cd := got.header.Get("Content-Disposition"); !regexp.MustCompile(`^attachment; filename="pantau-\d{8}-\d{6}\.duckdb"$`).MatchString(cd) {
		t.Errorf("Content-Disposition %q", cd)
	}
	if cc := got.header.Get("Cache-Control"); cc != "no-store" {
		t.Errorf("Cache-Control %q, want no-store", cc)
	}
	path := filepath.Join(t.TempDir(), "backup.duckdb")
	if err := os.WriteFile(path, []byte(got.body), 0o600); err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	backup, err := queries.Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer backup.Close()
	for name, read := range map[string]func(*queries.DB) (any, error){
		"imports": func(db *queries.DB) (any, error) { return db.Imports(ctx) },
		"summary": func(db *queries.DB) (any, error) { return db.Summary(ctx, queries.Filter{}) },
		"users":   func(db *queries.DB) (any, error) { return db.Users(ctx) },
	} {
		a, err := read(env.DB)
		if err != nil {
			t.Fatal(err)
		}
		b, err := read(backup)
		if err != nil {
			t.Fatal(err)
		}
		ja, _ := json.Marshal(a)
		jb, _ := json.Marshal(b)
		if string(ja) != string(jb) {
			t.Errorf("%s of the backup differ:\n got %s\nwant %s", name, jb, ja)
		}
	}
}
