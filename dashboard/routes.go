package dashboard

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"pantau/ingest"
	"pantau/queries"
)

// routes lists every route the server answers. Each handler is made with
// exactly what it uses.
func (s *Server) routes() {
	e, db, pages, fig, store, sessions := s.echo, s.db, s.pages, s.figures, s.uploads, s.sessions
	viewer, uploader, admin := requireRole(queries.Viewer), requireRole(queries.Uploader), requireRole(queries.Admin)
	limits := uploadLimits{MaxUpload: s.cfg.MaxUpload, PerHour: s.cfg.UploadsPerHour}

	e.GET("/healthz", handleHealth(db))
	e.GET("/static/:hash/*", s.static.handle())

	e.GET("/login", handleLoginForm(pages))
	e.POST("/login", handleLogin(pages, s.logins, sessions, s.log))
	e.POST("/logout", handleLogout(sessions))

	for _, sec := range sections {
		e.GET(sec.Path, handleDashboard(pages, fig, sec, s.cfg.Now), viewer)
	}
	e.GET("/targets", handleTargetsPage(pages, fig, s.cfg.Now), viewer)
	e.GET("/quality", handleQualityPage(pages, fig), viewer)
	e.POST("/quality/check", handleFlagCheck(db, s.log, s.cfg.Now), uploader)
	e.GET("/help", handleHelp(pages), viewer)

	e.GET("/shares", handleShares(pages, db), viewer)
	e.POST("/shares", handleShareCreate(pages, db, s.cfg.Now), viewer)
	e.POST("/shares/:id/revoke", handleShareRevoke(db, s.cfg.Now), viewer)
	link := shareLink(db, pages, s.csrfKey, s.logins, s.cfg.Now)
	e.GET("/s/:token", handleSharedPage(pages, fig, s.cfg.Now), link)
	e.POST("/s/:token", func(c echo.Context) error { return c.Redirect(http.StatusSeeOther, c.Request().URL.Path) }, link) // the password, which link checks
	e.GET("/s/:token/charts/:id", handleChart(fig), link)
	e.GET("/s/:token/charts/:id/csv", handleChartCSV(fig), link)
	e.GET("/s/:token/summary.xlsx", handleSummaryWorkbook(fig, s.cfg.Now), link)

	e.GET("/account", handleAccount(pages, sessions), viewer)
	e.POST("/account/password", handleOwnPassword(pages, sessions, s.logins), viewer)
	e.POST("/account/sessions/:id/end", handleEndSession(sessions), viewer)
	e.POST("/account/sessions/end-others", handleEndOtherSessions(sessions), viewer)

	e.GET("/api/v1/summary", handleSummary(fig), viewer, noStore)
	e.GET("/api/v1/targets", handleTargets(fig, s.cfg.Now), viewer, noStore)
	e.GET("/api/v1/targets/charts/:indicator", handleTargetChart(fig, s.cfg.Now), viewer, noStore)
	e.GET("/api/v1/targets/charts/:indicator/csv", handleTargetChartCSV(fig, s.cfg.Now), viewer, noStore)
	e.GET("/api/v1/quality", handleQuality(fig), viewer, noStore)
	e.GET("/api/v1/quality/charts/:id", handleQualityChart(fig), viewer, noStore)
	e.GET("/api/v1/quality/charts/:id/csv", handleQualityChartCSV(fig), viewer, noStore)
	e.GET("/api/v1/charts/:id", handleChart(fig), viewer, noStore)
	e.GET("/api/v1/charts/:id/csv", handleChartCSV(fig), viewer, noStore)
	e.GET("/exports/summary.xlsx", handleSummaryWorkbook(fig, s.cfg.Now), viewer)

	e.GET("/templates/peserta.xlsx", handleTemplate("peserta"), viewer)
	e.GET("/templates/survei.xlsx", handleTemplate("survei"), viewer)
	e.GET("/templates/target.xlsx", handleTemplate("target"), viewer)

	e.GET("/uploads", handleUploadsPage(pages, store, limits), uploader)
	e.POST("/uploads", handleUpload(store, limits), uploader)
	e.GET("/uploads/:id", handleUploadPage(pages, store), uploader)
	e.GET("/uploads/:id/status", handleUploadStatus(store), uploader)
	e.GET("/uploads/:id/annotated.xlsx", handleAnnotated(store), uploader)
	e.POST("/uploads/:id/commit", handleUploadCommit(store), uploader)
	e.POST("/uploads/:id/discard", handleUploadDiscard(store), uploader)

	e.GET("/imports", handleImports(pages, db), uploader)
	e.GET("/imports/:id/file", handleImportFile(db, s.cfg.DataDir), uploader)
	e.GET("/imports/:id/flagged.xlsx", handleFlaggedFile(db, s.cfg.DataDir), uploader)
	e.GET("/imports/:id/undo", handleUndoConfirm(pages, db), uploader)
	e.POST("/imports/:id/undo", handleUndo(db), uploader)

	acc := &accounts{db: db, sessions: sessions, logins: s.logins}
	e.GET("/admin/users", handleUsers(pages, acc), admin)
	e.POST("/admin/users", handleUserAdd(pages, acc), admin)
	e.POST("/admin/users/:name/disable", handleUserDisable(pages, acc), admin)
	e.POST("/admin/users/:name/enable", handleUserEnable(pages, acc), admin)
	e.POST("/admin/users/:name/password", handlePasswordReset(pages, acc), admin)
	e.POST("/admin/users/:name/scope", handleUserScope(pages, acc), admin)
	e.GET("/admin/users/:name/remove", handleUserRemoveConfirm(pages, db), admin)
	e.POST("/admin/users/:name/remove", handleUserRemove(pages, acc), admin)
	e.POST("/admin/logins/lift", handleLoginLift(s.logins), admin)
	e.GET("/admin/audit", handleAudit(pages, db), admin)
	e.POST("/admin/settings/provinces", handleSetting(pages, acc, queries.SettingProvinces, ingest.ParseProvinces), admin)
	e.POST("/admin/settings/late_after_days", handleSetting(pages, acc, queries.SettingLateAfterDays, queries.ParseLateAfterDays), admin)
	e.GET("/admin/backup", handleBackup(db, s.cfg.Now), admin)
}
