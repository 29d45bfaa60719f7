package dashboard

import "pantau/queries"

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
		e.GET(sec.Path, handleDashboard(pages, fig, sec), viewer)
	}
	e.GET("/targets", handleTargetsPage(pages, fig, s.cfg.Now), viewer)
	e.GET("/help", handleHelp(pages), viewer)

	e.GET("/account", handleAccount(pages, sessions), viewer)
	e.POST("/account/password", handleOwnPassword(pages, sessions, s.logins), viewer)
	e.POST("/account/sessions/:id/end", handleEndSession(sessions), viewer)
	e.POST("/account/sessions/end-others", handleEndOtherSessions(sessions), viewer)

	e.GET("/api/v1/summary", handleSummary(fig), viewer, noStore)
	e.GET("/api/v1/targets", handleTargets(fig, s.cfg.Now), viewer, noStore)
	e.GET("/api/v1/targets/charts/:indicator", handleTargetChart(fig, s.cfg.Now), viewer, noStore)
	e.GET("/api/v1/targets/charts/:indicator/csv", handleTargetChartCSV(fig, s.cfg.Now), viewer, noStore)
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
	e.GET("/imports/:id/undo", handleUndoConfirm(pages, db), uploader)
	e.POST("/imports/:id/undo", handleUndo(db), uploader)

	acc := &accounts{db: db, sessions: sessions, logins: s.logins}
	e.GET("/admin/users", handleUsers(pages, acc), admin)
	e.POST("/admin/users", handleUserAdd(pages, acc), admin)
	e.POST("/admin/users/:name/disable", handleUserDisable(pages, acc), admin)
	e.POST("/admin/users/:name/enable", handleUserEnable(pages, acc), admin)
	e.POST("/admin/users/:name/password", handlePasswordReset(pages, acc), admin)
	e.GET("/admin/users/:name/remove", handleUserRemoveConfirm(pages, db), admin)
	e.POST("/admin/users/:name/remove", handleUserRemove(pages, acc), admin)
	e.POST("/admin/logins/lift", handleLoginLift(s.logins), admin)
	e.POST("/admin/settings/provinces", handleProvinces(pages, acc), admin)
	e.GET("/admin/backup", handleBackup(db, s.cfg.Now), admin)
}
