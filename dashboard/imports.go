package dashboard

import (
	"bytes"
	"net/http"
	"os"
	"path/filepath"
	"strconv"

	"github.com/labstack/echo/v4"

	"pantau/ingest"
	"pantau/queries"
)

type importsPage struct {
	pageBase
	Imports []queries.Import
	Done    string
}

// handleImports answers GET /imports: the import history, newest first.
func (s *Server) handleImports() echo.HandlerFunc {
	return func(c echo.Context) error {
		list, err := s.db.Imports(c.Request().Context())
		if err != nil {
			return err
		}
		p := &importsPage{pageBase: s.base(c, "imports"), Imports: list}
		if id := c.QueryParam("undone"); id != "" {
			p.Done = p.L.T("imports.undone_done", id)
		}
		return s.render(c, http.StatusOK, "imports", p)
	}
}

// requestedImport is the import {id} of the history.
func (s *Server) requestedImport(c echo.Context) (queries.Import, error) {
	id, err := strconv.ParseInt(c.Param("id"), 10, 64)
	if err != nil {
		return queries.Import{}, queries.Errorf(queries.ENOTFOUND, "imports.not_found")
	}
	list, err := s.db.Imports(c.Request().Context())
	if err != nil {
		return queries.Import{}, err
	}
	for _, im := range list {
		if im.ID == id {
			return im, nil
		}
	}
	return queries.Import{}, queries.Errorf(queries.ENOTFOUND, "imports.not_found")
}

// handleImportFile answers GET /imports/{id}/file: the file as uploaded.
func (s *Server) handleImportFile() echo.HandlerFunc {
	return func(c echo.Context) error {
		im, err := s.requestedImport(c)
		if err != nil {
			return err
		}
		// The name is the hash the database holds, never a name a user typed.
		data, err := os.ReadFile(filepath.Join(s.cfg.DataDir, im.SHA256+".xlsx"))
		if os.IsNotExist(err) {
			return queries.Errorf(queries.ENOTFOUND, "imports.file_missing")
		} else if err != nil {
			return err
		}
		return sendWorkbook(c, im.FileName, data)
	}
}

type undoPage struct {
	pageBase
	Import  queries.Import
	Effects []queries.UndoEffect
	Refusal string // why the undo cannot be done; then there is no button
}

// handleUndoConfirm answers GET /imports/{id}/undo: what undoing the import
// would change, or why it cannot be undone, and the button to do it.
func (s *Server) handleUndoConfirm() echo.HandlerFunc {
	return func(c echo.Context) error {
		im, err := s.requestedImport(c)
		if err != nil {
			return err
		}
		p := &undoPage{pageBase: s.base(c, "imports"), Import: im}
		p.Effects, err = s.db.UndoPreview(c.Request().Context(), im.ID)
		if queries.ErrorCode(err) == queries.ECONFLICT {
			p.Refusal, err = err.Error(), nil
		}
		if err != nil {
			return err
		}
		return s.render(c, http.StatusOK, "undo", p)
	}
}

// handleUndo answers POST /imports/{id}/undo, as `pantau undo ID` does.
func (s *Server) handleUndo() echo.HandlerFunc {
	return func(c echo.Context) error {
		im, err := s.requestedImport(c)
		if err != nil {
			return err
		}
		if err := s.db.Undo(c.Request().Context(), im.ID, currentUser(c).Username); err != nil {
			return err
		}
		return c.Redirect(http.StatusSeeOther, "/imports?undone="+strconv.FormatInt(im.ID, 10))
	}
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
