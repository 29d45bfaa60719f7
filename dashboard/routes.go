package dashboard

import "pantau/queries"

// routes lists every route the server answers.
func (s *Server) routes() {
	e := s.echo
	viewer, admin := requireRole(queries.Viewer), requireRole(queries.Admin)

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

	e.GET("/admin/users", s.handleUsers(), admin)
	e.POST("/admin/users", s.handleUserChange("add"), admin)
	e.POST("/admin/users/:name/disable", s.handleUserChange("disable"), admin)
	e.POST("/admin/users/:name/enable", s.handleUserChange("enable"), admin)
	e.POST("/admin/users/:name/password", s.handleUserChange("reset"), admin)
}
