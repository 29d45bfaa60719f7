package dashboard

import "pantau/queries"

// routes lists every route the server answers.
func (s *Server) routes() {
	e := s.echo
	viewer, uploader, admin := requireRole(queries.Viewer), requireRole(queries.Uploader), requireRole(queries.Admin)

	e.GET("/healthz", s.handleHealth())
	e.HEAD("/healthz", s.handleHealth())
	e.GET("/static/:hash/*", s.static.handle())

	e.GET("/login", s.handleLoginForm())
	e.POST("/login", s.handleLogin())
	e.POST("/logout", s.handleLogout())

	for _, sec := range sections {
		e.GET(sec.Path, s.handleDashboard(sec), viewer)
	}
	e.GET("/help", s.handleHelp(), viewer)

	e.GET("/api/v1/summary", s.handleSummary(), viewer)
	e.GET("/api/v1/charts/:id", s.handleChart(), viewer)
	e.GET("/api/v1/charts/:id/csv", s.handleChartCSV(), viewer)
	e.GET("/exports/summary.xlsx", s.handleSummaryWorkbook(), viewer)

	e.GET("/templates/peserta.xlsx", handleTemplate("peserta"), viewer)
	e.GET("/templates/survei.xlsx", handleTemplate("survei"), viewer)

	e.GET("/uploads", s.handleUploadsPage(), uploader)
	e.POST("/uploads", s.handleUpload(), uploader)
	e.GET("/uploads/:id", s.handleUploadPage(), uploader)
	e.GET("/uploads/:id/status", s.handleUploadStatus(), uploader)
	e.GET("/uploads/:id/annotated.xlsx", s.handleAnnotated(), uploader)
	e.POST("/uploads/:id/commit", s.handleUploadCommit(), uploader)
	e.POST("/uploads/:id/discard", s.handleUploadDiscard(), uploader)

	e.GET("/imports", s.handleImports(), uploader)
	e.GET("/imports/:id/file", s.handleImportFile(), uploader)
	e.GET("/imports/:id/undo", s.handleUndoConfirm(), uploader)
	e.POST("/imports/:id/undo", s.handleUndo(), uploader)

	e.GET("/admin/users", s.handleUsers(), admin)
	e.POST("/admin/users", s.handleUserAdd(), admin)
	e.POST("/admin/users/:name/disable", s.handleUserDisable(), admin)
	e.POST("/admin/users/:name/enable", s.handleUserEnable(), admin)
	e.POST("/admin/users/:name/password", s.handlePasswordReset(), admin)
	e.GET("/admin/backup", handleBackup(s.db, s.cfg.Now), admin)
}
