// Package dashboard is pantau's web server: the dashboards, the JSON API,
// login and roles. Pages are rendered on the server; the browser draws each
// chart from its ECharts option, fetched from the API, with the echarts
// script embedded in the binary.
package dashboard

import (
	"context"
	"errors"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/labstack/echo/v4"
	"github.com/labstack/echo/v4/middleware"

	"pantau/dashboard/logins"
	"pantau/dashboard/uploads"
	"pantau/ingest"
	"pantau/queries"
)

// Config is what the server needs; zero fields take the defaults below.
type Config struct {
	DB     *queries.DB
	Logger *slog.Logger

	SessionTTL  time.Duration    // how long a login lasts; default 12 hours
	SessionIdle time.Duration    // a login unused this long ends; default 2 hours
	Now         func() time.Time // the clock, for tests; default time.Now
	BodyLimit   string           // largest request body, echo notation; default "1M"

	// TrustProxy: the server sits behind a reverse proxy on this host or the
	// private network, whose X-Forwarded-For gives the client address and
	// X-Forwarded-Proto the scheme. Off, no proxy header is read.
	TrustProxy bool

	// Failed logins allowed per user name from one client address and per
	// client address before each further attempt waits (2 s, doubling, up
	// to LoginWindow, after which failures are forgotten); defaults 5, 20
	// and 15 minutes. LoginEntries bounds the counts kept (default 10,000).
	LoginPerUser, LoginPerAddress int
	LoginWindow                   time.Duration
	LoginEntries                  int

	// Uploads: where files are kept (the same data folder as `pantau
	// ingest --data`), the largest file (default ingest.DefaultMaxUpload),
	// uploads allowed per user per hour (default 30), how long a checked
	// upload waits for Impor or Batal (default 1 hour) and how many files
	// are checked or committed at once (default 2).
	DataDir        string
	MaxUpload      int64
	UploadsPerHour int
	UploadTTL      time.Duration
	UploadWorkers  int
}

// Server is the dashboard as an http.Handler.
type Server struct {
	cfg      Config
	echo     *echo.Echo
	db       *queries.DB
	log      *slog.Logger
	figures  *figures
	sessions *sessionCache
	logins   *logins.Limiter
	pages    *pageTemplates
	static   *staticFiles
	uploads  *uploads.Store
	csrfKey  []byte // binds a session's CSRF token to it; new at every start
}

// New builds the server and its routes.
func New(cfg Config) (*Server, error) {
	if cfg.DB == nil {
		return nil, errors.New("dashboard: no database")
	}
	cfg.DB.CheckAreasWith(ingest.UnknownArea) // the quality report's area_unknown flags
	if cfg.Logger == nil {
		cfg.Logger = slog.Default()
	}
	if cfg.SessionTTL <= 0 {
		cfg.SessionTTL = 12 * time.Hour
	}
	if cfg.SessionIdle <= 0 {
		cfg.SessionIdle = 2 * time.Hour
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.BodyLimit == "" {
		cfg.BodyLimit = "1M" // forms and filters; an upload route sets its own
	}
	if cfg.LoginPerUser <= 0 {
		cfg.LoginPerUser = 5
	}
	if cfg.LoginPerAddress <= 0 {
		cfg.LoginPerAddress = 20
	}
	if cfg.LoginWindow <= 0 {
		cfg.LoginWindow = 15 * time.Minute
	}
	if cfg.LoginEntries <= 0 {
		cfg.LoginEntries = 10000
	}
	if cfg.DataDir == "" {
		return nil, errors.New("dashboard: no data folder")
	}
	if cfg.MaxUpload <= 0 {
		cfg.MaxUpload = ingest.DefaultMaxUpload
	}
	if cfg.UploadsPerHour <= 0 {
		cfg.UploadsPerHour = 30
	}
	if cfg.UploadTTL <= 0 {
		cfg.UploadTTL = time.Hour
	}
	if cfg.UploadWorkers <= 0 {
		cfg.UploadWorkers = 2
	}
	static, err := loadStatic()
	if err != nil {
		return nil, err
	}
	pages, err := loadTemplates(static)
	if err != nil {
		return nil, err
	}
	store, err := uploads.New(uploads.Options{DB: cfg.DB, DataDir: cfg.DataDir, MaxUpload: cfg.MaxUpload,
		PerHour: cfg.UploadsPerHour, TTL: cfg.UploadTTL, Workers: cfg.UploadWorkers, Now: cfg.Now, Logger: cfg.Logger})
	if err != nil {
		return nil, err
	}
	s := &Server{
		cfg:      cfg,
		db:       cfg.DB,
		log:      cfg.Logger,
		figures:  newFigures(cfg.DB),
		sessions: newSessionCache(cfg.DB, cfg.Now, cfg.SessionTTL, cfg.SessionIdle),
		logins:   logins.New(cfg.LoginPerUser, cfg.LoginPerAddress, cfg.LoginWindow, cfg.Now, cfg.LoginEntries),
		pages:    pages,
		static:   static,
		uploads:  store,
		csrfKey:  []byte(randomToken()),
	}
	e := echo.New()
	e.HideBanner, e.HidePort = true, true
	// The client address is the connection's, unless the server is told
	// it sits behind a proxy on this host or the private network.
	e.IPExtractor = echo.ExtractIPDirect()
	if cfg.TrustProxy {
		e.IPExtractor = echo.ExtractIPFromXFFHeader() // trusts loopback, link-local and private ranges
	}
	e.HTTPErrorHandler = s.handleError
	e.Use(
		s.requestLog(),
		// A panic becomes an error for the logger above and the error handler.
		middleware.RecoverWithConfig(middleware.RecoverConfig{DisablePrintStack: true, DisableErrorHandler: true}),
		middleware.SecureWithConfig(middleware.SecureConfig{
			XSSProtection:         "0",
			ContentTypeNosniff:    "nosniff",
			XFrameOptions:         "DENY",
			ReferrerPolicy:        "same-origin",
			ContentSecurityPolicy: contentSecurityPolicy,
		}),
		// Pages are not compressed: they carry the CSRF token beside text a
		// link can choose (a filter, a path), which gzip would let an
		// observer guess byte by byte (BREACH). Scripts and JSON carry no secret.
		// Chart JSON comes gzipped from the cache (handleChart).
		middleware.GzipWithConfig(middleware.GzipConfig{Level: gzipLevel, MinLength: gzipMinLength, Skipper: func(c echo.Context) bool {
			p := c.Request().URL.Path
			chartJSON := strings.HasPrefix(p, "/api/v1/charts/") && !strings.HasSuffix(p, "/csv")
			return chartJSON || !strings.HasPrefix(p, "/static/") && !strings.HasPrefix(p, "/api/")
		}}),
		// An upload streams its file to disk under its own limit (uploads.go).
		middleware.BodyLimitWithConfig(middleware.BodyLimitConfig{Limit: cfg.BodyLimit, Skipper: isUploadPost}),
		withLocale,
		withScheme(cfg.TrustProxy),
		strictQuery,
		sameOrigin(),
		loadSession(s.sessions),
		s.withAudit(),
		csrf(s.csrfKey),
	)
	s.echo = e
	s.routes()
	return s, nil
}

// strictQuery refuses a query string Go cannot read whole (a ";" or a bad
// escape): echo would drop the part it cannot read, and a filter with it,
// answering with figures for more than was asked.
func strictQuery(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		if _, err := url.ParseQuery(c.Request().URL.RawQuery); err != nil {
			return failure(queries.EINVALID, "error.bad_query")
		}
		return next(c)
	}
}

// Responses are gzipped at this level from this size on.
const gzipLevel, gzipMinLength = 5, 1024

// contentSecurityPolicy allows our own scripts, styles, images and fetches
// only: no inline script, no other host. echarts draws on a canvas and sets
// element styles through the DOM, which style-src does not restrict; its
// tooltips are rendered as rich text on the canvas, not as HTML.
const contentSecurityPolicy = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:; " +
	"connect-src 'self'; font-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'"

// deleteExpiredSessions keeps the sessions table from growing without end:
// expired and idle sessions go.
func (s *Server) deleteExpiredSessions(ctx context.Context) {
	if n, err := s.db.DeleteExpiredSessions(ctx, s.cfg.Now(), s.cfg.SessionIdle); err != nil {
		if ctx.Err() == nil {
			s.log.Warn("deleting expired sessions", "error", err)
		}
	} else if n > 0 {
		s.log.Info("deleted expired sessions", "count", n)
	}
}

// Close stops the uploads' background checks and commits (a commit cut
// short is rolled back whole) and removes the files waiting for a decision.
func (s *Server) Close() { s.uploads.Close() }

// ServeHTTP answers HEAD like GET, without the body: the routes see a GET,
// and net/http, whose writer belongs to the HEAD request, drops the body.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.Method == http.MethodHead {
		r = r.Clone(r.Context())
		r.Method = http.MethodGet
	}
	s.echo.ServeHTTP(w, r)
}

// Routes lists every route the server answers as "METHOD /path", sorted:
// what routes.go declares, for tests and documentation.
func (s *Server) Routes() []string {
	var list []string
	for _, r := range s.echo.Routes() {
		list = append(list, r.Method+" "+r.Path)
	}
	slices.Sort(list)
	return slices.Compact(list)
}

// requestLog writes one structured line per request.
func (s *Server) requestLog() echo.MiddlewareFunc {
	return middleware.RequestLoggerWithConfig(middleware.RequestLoggerConfig{
		LogStatus: true, LogURIPath: true, LogMethod: true, LogLatency: true, LogRemoteIP: true, LogError: true,
		HandleError: true,
		LogValuesFunc: func(c echo.Context, v middleware.RequestLoggerValues) error {
			attrs := []slog.Attr{
				slog.String("method", v.Method), slog.String("path", redactShare(v.URIPath)), slog.Int("status", v.Status),
				slog.Duration("latency", v.Latency), slog.String("remote", v.RemoteIP),
			}
			if u := currentUser(c); u != nil {
				attrs = append(attrs, slog.String("user", u.Username))
			}
			level := slog.LevelInfo
			if v.Error != nil {
				attrs = append(attrs, slog.String("error", v.Error.Error()))
				if v.Status >= 500 {
					level = slog.LevelError
				}
			}
			s.log.LogAttrs(c.Request().Context(), level, "request", attrs...)
			return nil
		},
	})
}

// Serve answers on ln until ctx is cancelled, then shuts down gracefully:
// it stops accepting, lets requests in flight finish (up to 10 s) and returns.
func (s *Server) Serve(ctx context.Context, ln net.Listener) error {
	hs := &http.Server{
		Handler:           s,
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       5 * time.Minute, // uploads on slow links
		WriteTimeout:      5 * time.Minute,
		IdleTimeout:       2 * time.Minute,
		ErrorLog:          slog.NewLogLogger(s.log.Handler(), slog.LevelWarn),
	}
	errc := make(chan error, 1)
	go func() { errc <- hs.Serve(ln) }()
	s.log.Info("serving", "addr", "http://"+ln.Addr().String())
	defer s.Close()
	sweep := time.NewTicker(time.Minute)
	defer sweep.Stop()
	for i, done := 0, false; !done; i++ {
		if i%60 == 0 {
			s.deleteExpiredSessions(ctx)
		}
		s.uploads.Sweep()
		select {
		case err := <-errc:
			return err
		case <-ctx.Done():
			done = true
		case <-sweep.C:
		}
	}
	s.log.Info("shutting down")
	shutdownCtx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := hs.Shutdown(shutdownCtx); err != nil {
		hs.Close() // requests still running after 10 s are cut off
		return err
	}
	if err := <-errc; !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}
