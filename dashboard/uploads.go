package dashboard

import (
	"bytes"
	"crypto/subtle"
	"errors"
	"io"
	"io/fs"
	"mime"
	"net/http"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"pantau/dashboard/locale"
	"pantau/dashboard/uploads"
	"pantau/ingest"
	"pantau/queries"
)

// uploadLimits are the upload page's limits: the largest file and the
// uploads one user may send in an hour.
type uploadLimits struct {
	MaxUpload int64
	PerHour   int
}

// maxFilesPerUpload bounds the files of one POST /uploads (the page sends
// one per request; a form without script may send several).
const maxFilesPerUpload = 10

// isUploadPost is true for a multipart POST /uploads, whose body is files
// streamed to disk under the upload limit rather than a form held in memory.
func isUploadPost(c echo.Context) bool {
	return c.Request().Method == http.MethodPost && c.Path() == "/uploads" && isMultipart(c.Request())
}

func isMultipart(r *http.Request) bool {
	mt, _, _ := mime.ParseMediaType(r.Header.Get(echo.HeaderContentType))
	return mt == "multipart/form-data"
}

// wantsJSON is true for the page's script, which sends files itself to show
// their progress and reads the answer as JSON.
func wantsJSON(c echo.Context) bool {
	return strings.Contains(c.Request().Header.Get(echo.HeaderAccept), echo.MIMEApplicationJSON)
}

type uploadsPage struct {
	pageBase
	Uploads   []uploads.Upload
	MaxUpload string
	MaxBytes  int64
	PerHour   int
}

// handleUploadsPage answers GET /uploads: the upload form and the user's uploads.
func handleUploadsPage(pages *pageTemplates, store *uploads.Store, limits uploadLimits) echo.HandlerFunc {
	return func(c echo.Context) error {
		u := currentUser(c)
		return pages.render(c, http.StatusOK, "uploads", &uploadsPage{pageBase: newPageBase(c, "uploads"),
			Uploads:   store.List(u.Username),
			MaxUpload: ingest.ByteSize(limits.MaxUpload), MaxBytes: limits.MaxUpload, PerHour: limits.PerHour})
	}
}

// handleUpload answers POST /uploads: each part named "file" is streamed
// into the uploads folder, within the size limit, and its check starts. The
// request is all or nothing: a refused file removes the ones before it.
func handleUpload(store *uploads.Store, limits uploadLimits) echo.HandlerFunc {
	return func(c echo.Context) error {
		req := c.Request()
		if !isMultipart(req) {
			return httpError(http.StatusBadRequest, "upload.not_multipart")
		}
		// A big file on a slow link takes longer than the server's usual
		// request timeouts.
		rc := http.NewResponseController(c.Response())
		rc.SetReadDeadline(time.Now().Add(uploadTimeout))
		rc.SetWriteDeadline(time.Now().Add(uploadTimeout))
		// One request carries at most MaxUpload of files, and a little form
		// around them; each file is also counted as it streams in. A request
		// that says it is bigger is refused before a byte is stored.
		limit := limits.MaxUpload + 1<<20
		if req.ContentLength > limit {
			return httpError(http.StatusRequestEntityTooLarge, "upload.body_too_large", ingest.ByteSize(limits.MaxUpload))
		}
		req.Body = http.MaxBytesReader(c.Response(), req.Body, limit)
		stored, err := receiveUploads(c, store, limits)
		if err != nil {
			store.Remove(stored)
			// Read what the browser is still sending (within the limit
			// above), or it may see a broken connection instead of why.
			io.Copy(io.Discard, req.Body)
			return err
		}
		if err := store.Add(stored); err != nil {
			return err
		}
		type created struct {
			ID   string `json:"id"`
			File string `json:"file"`
			URL  string `json:"url"`
		}
		var list []created
		for _, u := range stored {
			list = append(list, created{u.ID, u.FileName, "/uploads/" + u.ID})
		}
		if wantsJSON(c) {
			return c.JSON(http.StatusAccepted, map[string]any{"uploads": list})
		}
		if len(list) == 1 {
			return c.Redirect(http.StatusSeeOther, list[0].URL)
		}
		return c.Redirect(http.StatusSeeOther, "/uploads")
	}
}

// uploadTimeout is how long one upload request may take.
const uploadTimeout = 30 * time.Minute

// receiveUploads reads the multipart body: the CSRF token first unless the
// header carried it, then the files, each stored as it streams in. On an
// error it returns the files stored so far, for the caller to remove.
func receiveUploads(c echo.Context, store *uploads.Store, limits uploadLimits) (stored []*uploads.Upload, err error) {
	req, l, user := c.Request(), localeFor(c), currentUser(c)
	mr, err := req.MultipartReader()
	if err != nil {
		return nil, httpError(http.StatusBadRequest, "upload.not_multipart")
	}
	csrfChecked := req.Header.Get(csrfHeader) != "" // the middleware compared it
	for {
		part, err := mr.NextPart()
		if err == io.EOF {
			break
		}
		if err != nil {
			return stored, uploadReadError(err, l, limits.MaxUpload)
		}
		if !csrfChecked {
			// A form without script sends the token as its first field.
			if part.FormName() != csrfField || !sameToken(part, csrfToken(c)) {
				return stored, httpError(http.StatusForbidden, "error.csrf")
			}
			csrfChecked = true
			continue
		}
		if part.FormName() != "file" || part.FileName() == "" {
			part.Close()
			continue
		}
		if len(stored) == maxFilesPerUpload {
			return stored, httpError(http.StatusBadRequest, "upload.too_many", maxFilesPerUpload)
		}
		if ok, retry := store.Allow(user.Username); !ok {
			return stored, httpError(http.StatusTooManyRequests, "upload.rate_limited", limits.PerHour, l.Time(retry))
		}
		u, err := store.Receive(part, user.Username, uploadName(part.FileName()))
		if err != nil {
			return stored, uploadReadError(err, l, limits.MaxUpload)
		}
		u.Regions = user.Regions
		stored = append(stored, u)
	}
	if !csrfChecked {
		return stored, httpError(http.StatusForbidden, "error.csrf")
	}
	if len(stored) == 0 {
		return nil, httpError(http.StatusBadRequest, "upload.no_file")
	}
	return stored, nil
}

// uploadName is the name a browser sent for a file, made fit to show.
func uploadName(sent string) string {
	// Only the name: a browser may send a Windows path.
	name := filepath.Base(strings.ReplaceAll(sent, `\`, "/"))
	if r := []rune(name); len(r) > 200 { // it is shown in lists and kept in the history
		name = string(r[:200])
	}
	return name
}

// uploadReadError says why a file could not be received. A failure to
// write it (a full disk) is pantau's, an internal error.
func uploadReadError(err error, l *locale.Locale, limit int64) error {
	var tl *uploads.TooLargeError
	var mb *http.MaxBytesError
	var pe *fs.PathError
	switch {
	case errors.As(err, &pe):
		return err
	case errors.As(err, &tl):
		return httpError(http.StatusRequestEntityTooLarge, "upload.too_large", tl.Name, ingest.ByteSize(limit))
	case errors.As(err, &mb):
		return httpError(http.StatusRequestEntityTooLarge, "upload.body_too_large", ingest.ByteSize(limit))
	}
	return httpError(http.StatusBadRequest, "upload.broken", err.Error())
}

// sameToken reads a small form field and compares it with the CSRF token.
func sameToken(part io.Reader, token string) bool {
	sent, err := io.ReadAll(io.LimitReader(part, 256))
	return err == nil && token != "" && subtle.ConstantTimeCompare(bytes.TrimSpace(sent), []byte(token)) == 1
}

// errorsPerPage is how many errors the preview lists at once.
const errorsPerPage = 100

type uploadPage struct {
	pageBase
	U            uploads.Upload
	Errors       []ingest.Problem // this page of them
	Warnings     []ingest.Problem
	Listed       int  // errors the report kept (the first 1,000)
	Annotatable  bool // some error is in a sheet: the workbook opened
	First        int  // the number of the first error on this page
	PageNo       int  // which page of errors (pageBase.Page is the navigation entry)
	Pages        []int
	Percent      int
	ProgressText string
}

// handleUploadPage answers GET /uploads/{id}: the check's progress, then
// its preview, then what the commit did.
func handleUploadPage(pages *pageTemplates, store *uploads.Store) echo.HandlerFunc {
	return func(c echo.Context) error {
		u, err := requestedUpload(c, store)
		if err != nil {
			return err
		}
		if u.Report != nil {
			u.Report = localized(u.Report, localeFor(c).Lang)
		}
		p := &uploadPage{pageBase: newPageBase(c, "uploads"), U: u,
			Percent: progressPercent(u.Progress), ProgressText: progressText(u.Progress, localeFor(c))}
		if u.Report != nil {
			var errs []ingest.Problem
			for _, pr := range u.Report.Problems {
				if pr.Severity == ingest.SeverityError {
					errs = append(errs, pr)
					p.Annotatable = p.Annotatable || pr.Sheet != ""
				} else {
					p.Warnings = append(p.Warnings, pr)
				}
			}
			p.Listed = len(errs)
			pages := (len(errs) + errorsPerPage - 1) / errorsPerPage
			p.PageNo, _ = strconv.Atoi(c.QueryParam("page"))
			p.PageNo = min(max(p.PageNo, 1), max(pages, 1))
			for i := 1; i <= pages && pages > 1; i++ {
				p.Pages = append(p.Pages, i)
			}
			from := (p.PageNo - 1) * errorsPerPage
			p.Errors, p.First = errs[from:min(from+errorsPerPage, len(errs))], from+1
		}
		return pages.render(c, http.StatusOK, "upload", p)
	}
}

// localized is a copy of the report with its messages in lang: the
// upload's own report is shared by every request that shows it.
func localized(r *ingest.Report, lang string) *ingest.Report {
	c := *r
	c.Problems, c.Flags = slices.Clone(r.Problems), slices.Clone(r.Flags)
	c.Localize(lang)
	return &c
}

// progressPercent is how far the check has read the sheet at hand.
func progressPercent(p ingest.Progress) int {
	switch {
	case p.Stage == "committing":
		return 100
	case p.Rows <= 0:
		return 0
	}
	return min(100, p.Row*100/p.Rows)
}

// progressText is "Sheet Responden: row 2,048 of 100,001".
func progressText(p ingest.Progress, l *locale.Locale) string {
	switch {
	case p.Stage == "committing":
		return l.T("upload.storing")
	case p.Sheet == "":
		return ""
	case p.Rows <= 0:
		return l.T("upload.reading_rows", p.Sheet, l.Num(p.Row))
	}
	return l.T("upload.reading", p.Sheet, l.Num(p.Row), l.Num(p.Rows))
}

// handleUploadStatus answers GET /uploads/{id}/status for the page's script,
// which follows the check and reloads the page when it is done.
func handleUploadStatus(store *uploads.Store) echo.HandlerFunc {
	return func(c echo.Context) error {
		u, err := requestedUpload(c, store)
		if err != nil {
			return err
		}
		c.Response().Header().Set("Cache-Control", "no-store")
		return c.JSON(http.StatusOK, map[string]any{"state": u.State, "busy": u.State.Busy(),
			"progress": u.Progress, "percent": progressPercent(u.Progress), "text": progressText(u.Progress, localeFor(c))})
	}
}

// handleAnnotated answers GET /uploads/{id}/annotated.xlsx: the uploaded
// workbook with its bad cells marked and a first sheet listing the errors.
func handleAnnotated(store *uploads.Store) echo.HandlerFunc {
	return func(c echo.Context) error {
		u, err := requestedUpload(c, store)
		if err != nil {
			return err
		}
		var buf bytes.Buffer
		if err := store.Annotate(c.Request().Context(), &buf, u, localeFor(c).Lang); err != nil {
			var le *uploads.LimitError
			if errors.As(err, &le) { // annotations count as uploads in the hourly limit
				return httpError(http.StatusTooManyRequests, "upload.rate_limited", le.PerHour, localeFor(c).Time(le.Retry))
			}
			return err
		}
		return sendWorkbook(c, annotatedName(u.FileName), buf.Bytes())
	}
}

// annotatedName is "survei (kesalahan).xlsx" for "survei.xlsx".
func annotatedName(name string) string {
	return strings.TrimSuffix(name, filepath.Ext(name)) + " (kesalahan).xlsx"
}

// handleUploadCommit answers POST /uploads/{id}/commit: the commit starts
// in the background and the page follows it.
func handleUploadCommit(store *uploads.Store) echo.HandlerFunc {
	return func(c echo.Context) error {
		u, err := requestedUpload(c, store)
		if err != nil {
			return err
		}
		if err := store.Commit(u.ID, currentUser(c).Username); err != nil {
			return err
		}
		return c.Redirect(http.StatusSeeOther, "/uploads/"+u.ID)
	}
}

// handleUploadDiscard answers POST /uploads/{id}/discard.
func handleUploadDiscard(store *uploads.Store) echo.HandlerFunc {
	return func(c echo.Context) error {
		u, err := requestedUpload(c, store)
		if err != nil {
			return err
		}
		if err := store.Discard(u.ID); err != nil {
			return err
		}
		return c.Redirect(http.StatusSeeOther, "/uploads/"+u.ID)
	}
}

// requestedUpload is the upload {id}, if the user may see it. Another
// user's upload is not found, like one that never was.
func requestedUpload(c echo.Context, store *uploads.Store) (uploads.Upload, error) {
	u, ok := store.Get(c.Param("id"), currentUser(c))
	if !ok {
		return uploads.Upload{}, failure(queries.ENOTFOUND, "upload.not_found")
	}
	return u, nil
}

// sendWorkbook answers with an .xlsx to save under name.
func sendWorkbook(c echo.Context, name string, data []byte) error {
	h := c.Response().Header()
	h.Set("Cache-Control", "no-store")
	disposition := mime.FormatMediaType("attachment", map[string]string{"filename": name})
	if disposition == "" { // a name it cannot encode (control characters)
		disposition = "attachment; filename=pantau.xlsx"
	}
	h.Set(echo.HeaderContentDisposition, disposition)
	return c.Blob(http.StatusOK, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", data)
}
