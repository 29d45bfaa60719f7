package dashboard

import (
	"bytes"
	"embed"
	"fmt"
	"html/template"
	"io/fs"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"pantau/dashboard/echarts"
	"pantau/dashboard/locale"
	"pantau/dashboard/report"
	"pantau/ingest"
	"pantau/queries"
)

//go:embed templates/*.html
var templateFS embed.FS

// pageTemplates holds one template set per page: the layout plus the page.
type pageTemplates struct {
	sets map[string]*template.Template
}

func loadTemplates(static *staticFiles) (*pageTemplates, error) {
	funcs := template.FuncMap{
		"asset":    static.url,
		"add":      func(a, b int) int { return a + b },
		"size":     ingest.ByteSize,
		"cell":     func(l *locale.Locale, v any) string { return cellText(l, v) },
		"flagName": func(l *locale.Locale, kind string) string { return queries.FlagNames[kind].In(l.Lang) },
		"chartArgs": func(l *locale.Locale, cv chartView) chartArgs {
			return chartArgs{L: l, chartView: cv}
		},
	}
	names, err := fs.Glob(templateFS, "templates/*.html")
	if err != nil {
		return nil, err
	}
	pt := &pageTemplates{sets: map[string]*template.Template{}}
	for _, name := range names {
		base := strings.TrimSuffix(strings.TrimPrefix(name, "templates/"), ".html")
		if base == "layout" || strings.HasPrefix(base, "_") {
			continue
		}
		t, err := template.New("layout.html").Funcs(funcs).ParseFS(templateFS, "templates/layout.html", "templates/_*.html", name)
		if err != nil {
			return nil, fmt.Errorf("dashboard: template %s: %w", base, err)
		}
		pt.sets[base] = t
	}
	return pt, nil
}

// pageBase is what the layout needs on every page.
type pageBase struct {
	L        *locale.Locale
	Page     string // the navigation entry to highlight
	User     *queries.User
	CSRF     string
	LangURLs []langURL
}

type langURL struct {
	Lang, URL string
	Current   bool
}

func newPageBase(c echo.Context, page string) pageBase {
	l := localeFor(c)
	b := pageBase{L: l, Page: page, User: currentUser(c), CSRF: csrfToken(c)}
	for _, lang := range locale.Languages {
		// Relative to the page, never to a path a link chose ("//elsewhere").
		q := c.Request().URL.Query()
		q.Set("lang", lang)
		b.LangURLs = append(b.LangURLs, langURL{Lang: lang, URL: "?" + q.Encode(), Current: lang == l.Lang})
	}
	return b
}

// render executes a page into a buffer first, so that a template error is
// a clean 500 and never half a page.
func (pt *pageTemplates) render(c echo.Context, status int, page string, data any) error {
	t, ok := pt.sets[page]
	if !ok {
		return fmt.Errorf("dashboard: no template %q", page)
	}
	var buf bytes.Buffer
	if err := t.Execute(&buf, data); err != nil {
		return fmt.Errorf("dashboard: render %s: %w", page, err)
	}
	c.Response().Header().Set("Cache-Control", "no-store")
	return c.HTMLBlob(status, buf.Bytes())
}

// cellText formats one table cell for a page.
func cellText(l *locale.Locale, v any) string {
	switch x := v.(type) {
	case string:
		return x
	case report.Share:
		return l.Pct(x.P)
	case report.Rupiah:
		return "Rp " + l.Num(int64(x))
	default:
		return l.Num(v)
	}
}

// section is one dashboard page: its charts, in order.
type section struct {
	Key    string
	Path   string
	Charts []string
}

var sections = []section{
	{"overview", "/", []string{"facilitators-by-region", "problem-prevalence", "organizing-funnel", "respondents-by-month"}},
	{"facilitators", "/facilitators", []string{"facilitators-by-region", "staff-by-role"}},
	{"problems", "/problems", []string{"problem-prevalence", "problems-by-region", "problems-by-work-type",
		"problems-by-gender", "respondents-by-product", "wage-vs-umk"}},
	{"organizing", "/organizing", []string{"organizing-funnel", "groups-by-region-stage", "groups-formed-by-month", "members-by-region"}},
}

type dashboardPage struct {
	pageBase
	Section  section
	Filter   filterView
	Tiles    []report.Tile // the overview's key figures
	Charts   []chartView
	Roster   []queries.RosterEntry
	AllEmpty bool // no chart on the page has data

	// The set filter parts that figures of people (the roster, the
	// facilitator tile) and of groups (the group tiles) cannot apply.
	PeopleNotApplied, GroupsNotApplied string

	ExportURL string      // the summary workbook for the page's filter
	ShareURL  string      // the form that shares this page with its filter
	Shared    *sharedView // set when the page is seen through a share link
}

type chartView struct {
	*echarts.Chart
	DataURL, CSVURL string
	NotApplied      string // the set filter parts this chart cannot apply
}

// chartArgs is what the chart partial needs: the chart and the language.
type chartArgs struct {
	L *locale.Locale
	chartView
}

// filterView is the filter form and the line saying what is filtered.
type filterView struct {
	Regions          []regionOption
	RegionGroups     []regionGroup // the same, by province, when there is more than one
	Gender, WorkType string
	From, To         string
	AsOf             string   // the targets' as-of date, YYYY-MM-DD; only the targets page has one
	Summary          []string // what is filtered; empty when nothing is
	ResetURL         string
	GenderOptions    []choice
	WorkTypeOptions  []choice
	Compare          string   // previous, year or none; "" on a page without the choice
	CompareOptions   []choice // only on the dashboards
}

type regionOption struct {
	Name     string
	Selected bool
}

// regionGroup is the filter's regions of one province, shown as such when
// the data spans more than one.
type regionGroup struct {
	Province string
	Regions  []regionOption
}

type choice struct{ Value, Label string }

func handleDashboard(pages *pageTemplates, fig *figures, sec section, now func() time.Time) echo.HandlerFunc {
	return func(c echo.Context) error {
		f, err := filterFrom(c)
		if err != nil {
			return err
		}
		mode, canonical, err := pageCompare(c, f)
		if err != nil {
			return err
		}
		// One view, one URL: a link shared by mail opens exactly this page.
		q := pageQuery(c, f)
		if canonical != "" {
			q.Set("compare", canonical)
		}
		if url.Values(c.QueryParams()).Encode() != q.Encode() {
			return c.Redirect(http.StatusSeeOther, withQuery(sec.Path, q.Encode()))
		}
		// The charts and the download are asked for the comparison outright.
		if q.Del("compare"); mode != "" {
			q.Set("compare", mode)
		}
		var page *dashboardPage
		err = fig.consistently(func() (err error) {
			page, err = dashboardPageFor(c, fig, sec, f, mode, q.Encode(), today(now()))
			return err
		})
		if err != nil {
			return err
		}
		return pages.render(c, http.StatusOK, "dashboard", page)
	}
}

// dashboardPage gathers what section sec shows for filter f compared as
// mode says, with the targets judged at asOf.
func dashboardPageFor(c echo.Context, fig *figures, sec section, f queries.Filter, mode, query string, asOf time.Time) (*dashboardPage, error) {
	ctx := c.Request().Context()
	page := &dashboardPage{pageBase: newPageBase(c, sec.Key), Section: sec, AllEmpty: true,
		ExportURL: withQuery("/exports/summary.xlsx", query),
		ShareURL:  "/shares?" + url.Values{"page": {sec.Path}, "query": {query}}.Encode()}
	l := page.L
	var err error
	if sec.Key == "overview" {
		if page.Tiles, err = fig.tiles(ctx, f, mode, asOf, l); err != nil {
			return nil, err
		}
	}
	if sec.Key == "facilitators" {
		if page.Roster, err = cached(ctx, fig.cache, "facilitator-roster", f, fig.db.FacilitatorRoster); err != nil {
			return nil, err
		}
	}
	for _, id := range sec.Charts {
		ch, err := fig.chart(ctx, id, f, mode, l)
		if err != nil {
			return nil, err
		}
		page.AllEmpty = page.AllEmpty && ch.Empty
		page.Charts = append(page.Charts, chartView{Chart: ch, NotApplied: report.NotApplied(f, chartByID[id].ignores, l),
			DataURL: withQuery("/api/v1/charts/"+id, query), CSVURL: withQuery("/api/v1/charts/"+id+"/csv", query)})
	}
	// The filter form last: with no filter, its regions are those of the
	// figures just read.
	if page.Filter, err = newFilterView(c, fig, f, l); err != nil {
		return nil, err
	}
	page.Filter.compare(f, mode, l)
	page.PeopleNotApplied, page.GroupsNotApplied = report.NotApplied(f, report.NotForPeople, l), report.NotApplied(f, report.NotForGroups, l)
	return page, nil
}

func withQuery(path, query string) string {
	if query == "" {
		return path
	}
	return path + "?" + query
}

func newFilterView(c echo.Context, fig *figures, f queries.Filter, l *locale.Locale) (filterView, error) {
	regions, err := fig.filterRegions(c.Request().Context(), f)
	if err != nil {
		return filterView{}, err
	}
	scope := userScope(c)
	regions = slices.DeleteFunc(regions, func(r string) bool { return !scope.Allows(r) })
	v := filterView{Gender: f.Gender, WorkType: f.WorkType, ResetURL: c.Request().URL.Path}
	selected := map[string]bool{}
	for _, r := range f.Regions {
		selected[r] = true
	}
	for _, r := range regions {
		v.Regions = append(v.Regions, regionOption{Name: r, Selected: selected[r]})
	}
	groups, err := fig.regionGroups(c.Request().Context(), regions)
	if err != nil {
		return filterView{}, err
	}
	for _, g := range groups {
		if len(groups) < 2 {
			break
		}
		rg := regionGroup{Province: g.Province}
		for _, r := range g.Regions {
			rg.Regions = append(rg.Regions, regionOption{Name: r, Selected: selected[r]})
		}
		v.RegionGroups = append(v.RegionGroups, rg)
	}
	v.GenderOptions = []choice{{"", l.T("filter.all")}, {"P", l.T("gender.P")}, {"L", l.T("gender.L")}}
	v.WorkTypeOptions = []choice{{"", l.T("filter.all")}, {"POS", l.T("work_type.POS")}, {"SE", l.T("work_type.SE")}}
	if len(f.Regions) > 0 {
		v.Summary = append(v.Summary, l.T("filter.regions_are", strings.Join(f.Regions, ", ")))
	}
	if f.Gender != "" {
		v.Summary = append(v.Summary, l.T("gender."+f.Gender))
	}
	if f.WorkType != "" {
		v.Summary = append(v.Summary, l.T("work_type."+f.WorkType))
	}
	if !f.From.IsZero() {
		v.From = f.From.Format(time.DateOnly)
		v.Summary = append(v.Summary, l.T("filter.from_is", l.Date(f.From)))
	}
	if !f.To.IsZero() {
		v.To = f.To.Format(time.DateOnly)
		v.Summary = append(v.Summary, l.T("filter.to_is", l.Date(f.To)))
	}
	return v, nil
}

type helpPage struct {
	pageBase
	Sheets []ingest.SheetInfo
}

func handleHelp(pages *pageTemplates) echo.HandlerFunc {
	return func(c echo.Context) error {
		return pages.render(c, http.StatusOK, "help", &helpPage{pageBase: newPageBase(c, "help"), Sheets: ingest.Sheets()})
	}
}

func handleHealth(db *queries.DB) echo.HandlerFunc {
	return func(c echo.Context) error {
		if err := db.Ping(c.Request().Context()); err != nil {
			return err
		}
		return c.JSON(http.StatusOK, map[string]string{"status": "ok"})
	}
}
