package dashboard

import (
	"net/http"
	"strconv"

	"github.com/labstack/echo/v4"

	"pantau/queries"
)

// auditor writes the audit trail: each entry to the log and to the audit
// table an admin reads at /admin/audit.
type auditor struct {
	s *Server
}

const auditKey = "audit"

// withAudit lets handlers below record what people do with access.
func (s *Server) withAudit() echo.MiddlewareFunc {
	a := &auditor{s: s}
	return func(next echo.HandlerFunc) echo.HandlerFunc {
		return func(c echo.Context) error {
			c.Set(auditKey, a)
			return next(c)
		}
	}
}

// audit records that the request's user (none: a link's visitor) did
// action; a failure to record is logged, never the request's failure.
func audit(c echo.Context, action, detail string) {
	a, _ := c.Get(auditKey).(*auditor)
	if a == nil {
		return
	}
	who := ""
	if u := currentUser(c); u != nil {
		who = u.Username
	}
	a.s.log.Info("audit", "action", action, "detail", detail, "user", who, "remote", c.RealIP())
	e := queries.AuditEntry{At: a.s.cfg.Now(), Who: who, Action: action, Detail: detail, Remote: c.RealIP()}
	if err := a.s.db.Audit(c.Request().Context(), e); err != nil {
		a.s.log.Error("audit not recorded", "action", action, "error", err)
	}
}

// auditPerPage is how many entries /admin/audit shows at a time.
const auditPerPage = 100

type auditPage struct {
	pageBase
	Entries          []queries.AuditEntry
	Total            int
	PrevURL, NextURL string
}

// handleAudit answers GET /admin/audit?page=N: the audit trail, newest first.
func handleAudit(pages *pageTemplates, db *queries.DB) echo.HandlerFunc {
	return func(c echo.Context) error {
		n, err := strconv.Atoi(c.QueryParam("page"))
		if c.QueryParam("page") == "" {
			n, err = 1, nil
		}
		if err != nil || n < 1 {
			return failure(queries.EINVALID, "quality.bad_page", c.QueryParam("page"))
		}
		entries, total, err := db.AuditLog(c.Request().Context(), (n-1)*auditPerPage, auditPerPage)
		if err != nil {
			return err
		}
		p := &auditPage{pageBase: newPageBase(c, "audit"), Entries: entries, Total: total}
		if n > 1 {
			p.PrevURL = "/admin/audit?page=" + strconv.Itoa(n-1)
		}
		if n*auditPerPage < total {
			p.NextURL = "/admin/audit?page=" + strconv.Itoa(n+1)
		}
		return pages.render(c, http.StatusOK, "audit", p)
	}
}
