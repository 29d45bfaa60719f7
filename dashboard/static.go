package dashboard

import (
	"bytes"
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"fmt"
	"io/fs"
	"mime"
	"net/http"
	"path"
	"time"

	"github.com/labstack/echo/v4"
)

// static holds our script and styles and, in static/vendor, the files
// `make assets` copies out of the npm packages (not committed).
//
//go:embed all:static
var staticFS embed.FS

// staticFiles serves each file under a URL holding its content hash
// (/static/<hash>/<name>), so that browsers may keep it forever and a new
// build is fetched at once.
type staticFiles struct {
	files map[string]staticFile // by name, e.g. "app.js", "vendor/echarts.min.js"
}

type staticFile struct {
	body []byte
	hash string
	mime string
}

// required are the files a page cannot work without.
var required = []string{"app.js", "app.css", "vendor/echarts.min.js"}

func loadStatic() (*staticFiles, error) {
	sf := &staticFiles{files: map[string]staticFile{}}
	err := fs.WalkDir(staticFS, "static", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		body, err := staticFS.ReadFile(p)
		if err != nil {
			return err
		}
		sum := sha256.Sum256(body)
		name := p[len("static/"):]
		sf.files[name] = staticFile{body: body, hash: hex.EncodeToString(sum[:6]), mime: mime.TypeByExtension(path.Ext(name))}
		return nil
	})
	if err != nil {
		return nil, err
	}
	for _, name := range required {
		if _, ok := sf.files[name]; !ok {
			return nil, fmt.Errorf("dashboard: static/%s is missing from the build: run `make assets` (npm) before building", name)
		}
	}
	return sf, nil
}

// url is the address a page links a static file by.
func (sf *staticFiles) url(name string) (string, error) {
	f, ok := sf.files[name]
	if !ok {
		return "", fmt.Errorf("no static file %q", name)
	}
	return "/static/" + f.hash + "/" + name, nil
}

var startTime = time.Now()

func (sf *staticFiles) handle() echo.HandlerFunc {
	return func(c echo.Context) error {
		f, ok := sf.files[c.Param("*")]
		if !ok || f.hash != c.Param("hash") {
			return echo.ErrNotFound
		}
		h := c.Response().Header()
		h.Set("Cache-Control", "public, max-age=31536000, immutable")
		h.Set("Content-Type", f.mime)
		http.ServeContent(c.Response(), c.Request(), "", startTime, bytes.NewReader(f.body))
		return nil
	}
}
