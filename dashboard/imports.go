package dashboard

import (
	"bytes"
	"errors"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"

	"pantau/dashboard/locale"
	"pantau/ingest"
	"pantau/queries"
)

type importsPage struct {
	pageBase
	Imports []queries.Import
	Done    string
}

// handleImports answers GET /imports: the import history, newest first.
func handleImports(pages *pageTemplates, db *queries.DB) echo.HandlerFunc {
	return func(c echo.Context) error {
		list, err := db.Imports(c.Request().Context())
		if err != nil {
			return err
		}
		list = slices.DeleteFunc(list, func(im queries.Import) bool { return !inScope(c, im) })
		p := &importsPage{pageBase: newPageBase(c, "imports"), Imports: list}
		if id, err := strconv.ParseInt(c.QueryParam("undone"), 10, 64); err == nil {
			for _, im := range list {
				if im.ID == id && im.Status == "undone" {
					p.Done = p.L.T("imports.undone_done", id)
				}
			}
		}
		return pages.render(c, http.StatusOK, "imports", p)
	}
}

// requestedImport is the import {id} of the history.
func requestedImport(c echo.Context, db *queries.DB) (queries.Import, error) {
	// Only the id as pantau writes it: "01" or "+1" is no import's address.
	id, err := strconv.ParseInt(c.Param("id"), 10, 64)
	if err != nil || strconv.FormatInt(id, 10) != c.Param("id") {
		return queries.Import{}, failure(queries.ENOTFOUND, "imports.not_found")
	}
	im, err := db.Import(c.Request().Context(), id)
	switch {
	case queries.ErrorCode(err) == queries.ENOTFOUND || err == nil && !inScope(c, im):
		return queries.Import{}, failure(queries.ENOTFOUND, "imports.not_found")
	case err != nil:
		return queries.Import{}, err
	}
	return im, nil
}

// inScope reports whether the user may see (and undo) an import: one
// limited to regions sees only the imports whose rows all name them.
func inScope(c echo.Context, im queries.Import) bool {
	scope := userScope(c)
	return !slices.ContainsFunc(im.Regions, func(r string) bool { return !scope.Allows(r) })
}

// keptFile is the file of import im as ingest kept it in dataDir.
func keptFile(dataDir string, im queries.Import) ([]byte, error) {
	// The name is the hash the database holds, never a name a user typed.
	data, err := os.ReadFile(filepath.Join(dataDir, im.SHA256+".xlsx"))
	if os.IsNotExist(err) {
		return nil, failure(queries.ENOTFOUND, "imports.file_missing")
	}
	return data, err
}

// handleImportFile answers GET /imports/{id}/file: the file as uploaded.
func handleImportFile(db *queries.DB, dataDir string) echo.HandlerFunc {
	return func(c echo.Context) error {
		im, err := requestedImport(c, db)
		if err != nil {
			return err
		}
		data, err := keptFile(dataDir, im)
		if err != nil {
			return err
		}
		return sendWorkbook(c, strings.TrimSuffix(im.FileName, filepath.Ext(im.FileName))+".xlsx", data) // the bytes are a workbook whatever the name said
	}
}

type undoPage struct {
	pageBase
	Import  queries.Import
	Effects []queries.UndoEffect
	Refusal string // why the undo cannot be done; then there is no button
}

// Changes is true when the undo changes some current row.
func (p *undoPage) Changes() bool {
	for _, e := range p.Effects {
		if e.Removed > 0 || e.Reverted > 0 {
			return true
		}
	}
	return false
}

// handleUndoConfirm answers GET /imports/{id}/undo: what undoing the import
// would change, or why it cannot be undone, and the button to do it.
func handleUndoConfirm(pages *pageTemplates, db *queries.DB) echo.HandlerFunc {
	return func(c echo.Context) error {
		im, err := requestedImport(c, db)
		if err != nil {
			return err
		}
		p := &undoPage{pageBase: newPageBase(c, "imports"), Import: im}
		p.Effects, err = db.UndoPreview(c.Request().Context(), im.ID)
		if why, ok := undoRefusal(err); ok {
			p.Refusal, err = why.In(p.L.Lang), nil
		}
		if err != nil {
			return err
		}
		return pages.render(c, http.StatusOK, "undo", p)
	}
}

// handleUndo answers POST /imports/{id}/undo, as `pantau undo ID` does.
func handleUndo(db *queries.DB) echo.HandlerFunc {
	return func(c echo.Context) error {
		im, err := requestedImport(c, db)
		if err != nil {
			return err
		}
		if err := db.Undo(c.Request().Context(), im.ID, currentUser(c).Username); err != nil {
			if why, ok := undoRefusal(err); ok {
				return queries.Fail(queries.ECONFLICT, locale.Wrap("undo.refused", why))
			}
			return err
		}
		return c.Redirect(http.StatusSeeOther, "/imports?undone="+strconv.FormatInt(im.ID, 10))
	}
}

// undoRefusal words why an undo was refused, the pages' way.
func undoRefusal(err error) (queries.Message, bool) {
	var e *queries.Error
	if !errors.As(err, &e) {
		return queries.Message{}, false
	}
	why, ok := e.Detail.(queries.UndoRefusal)
	switch {
	case !ok:
		return queries.Message{}, false
	case why.AlreadyUndone:
		return locale.Msg("undo.already"), true
	case len(why.Later) > 0:
		ids := make([]string, len(why.Later))
		for i, id := range why.Later {
			ids[i] = "#" + strconv.FormatInt(id, 10)
		}
		return locale.Msg("undo.later", strings.Join(ids, ", ")), true
	}
	return locale.Msg("undo.regions", strings.Join(why.Regions, ", ")), true
}

// handleTemplate answers GET /templates/{kind}.xlsx: the blank workbook of
// `pantau template`.
func handleTemplate(kind string) echo.HandlerFunc {
	return func(c echo.Context) error {
		var buf bytes.Buffer
		if err := ingest.WriteTemplate(&buf, kind); err != nil {
			return err
		}
		return sendWorkbook(c, kind+".xlsx", buf.Bytes())
	}
}
