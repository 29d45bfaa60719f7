package dashboard

import (
	"cmp"
	"encoding/json"
	"net/http"
	"net/url"
	"slices"
	"strings"

	"github.com/labstack/echo/v4"

	"pantau/dashboard/locale"
	"pantau/ingest"
	"pantau/queries"
)

// filterFrom reads the filter parameters of a page or API request: region
// (repeatable), gender, work_type, from, to, written any way the workbooks
// accept (ParseFilter sorts and deduplicates the regions), and limits it to
// the scope of the user signed in. Every page, chart, download and API
// answer takes its filter from here: this is where a scope is enforced,
// and where a share link's filter replaces the request's.
func filterFrom(c echo.Context) (queries.Filter, error) {
	if l := sharedLink(c); l != nil {
		return linkFilter(c, l)
	}
	q := c.QueryParams()
	f, err := ingest.ParseFilter(q["region"], q.Get("gender"), q.Get("work_type"), q.Get("from"), q.Get("to"))
	if err != nil {
		why, ok := queries.MessageOf(err)
		if !ok {
			return f, err
		}
		return f, queries.Fail(queries.EINVALID, locale.Wrap("filter.invalid", why))
	}
	return scoped(c, f)
}

// scoped limits f to the regions the signed-in user may see: no region
// asked is every region of the scope, and a region outside it is refused
// (403, naming the regions allowed).
func scoped(c echo.Context, f queries.Filter) (queries.Filter, error) {
	scope := userScope(c)
	if scope == nil {
		return f, nil
	}
	if len(f.Regions) == 0 {
		f.Regions = slices.Clone(scope)
		return f, nil
	}
	for _, r := range f.Regions {
		if !scope.Allows(r) {
			audit(c, "scope_refused", r+" at "+c.Request().URL.Path)
			return f, httpError(http.StatusForbidden, "scope.outside", r, strings.Join(scope, ", "))
		}
	}
	return f, nil
}

// userScope is the scope of the user signed in: nil for every region.
func userScope(c echo.Context) queries.Scope {
	if u := currentUser(c); u != nil {
		return u.Regions
	}
	return nil
}

// filterKey is a filter's canonical form, for cache keys.
func filterKey(f queries.Filter) string {
	b, _ := json.Marshal(f)
	return string(b)
}

// filterQuery writes f back as the query string a shared link carries.
func filterQuery(f queries.Filter) url.Values {
	v := url.Values{}
	for _, r := range f.Regions {
		v.Add("region", r)
	}
	set := func(k, val string) {
		if val != "" {
			v.Set(k, val)
		}
	}
	set("gender", f.Gender)
	set("work_type", f.WorkType)
	if !f.From.IsZero() {
		v.Set("from", f.From.Format("2006-01-02"))
	}
	if !f.To.IsZero() {
		v.Set("to", f.To.Format("2006-01-02"))
	}
	return v
}

// pageQuery is the query string of a page's canonical URL for f: a scoped
// user who asked for no region sees the scope without it being written.
func pageQuery(c echo.Context, f queries.Filter) url.Values {
	q := filterQuery(f)
	if userScope(c) != nil && len(c.QueryParams()["region"]) == 0 {
		q.Del("region")
	}
	return q
}

// compareFrom reads the comparison an API request asks for:
// compare=previous|year, none or blank for none. One without a whole
// period is refused.
func compareFrom(c echo.Context, f queries.Filter) (string, error) {
	mode, err := queries.ParseCompare(c.QueryParam("compare"))
	if err == nil && mode != "" {
		_, err = queries.EarlierFilter(f, mode)
	}
	if why, ok := queries.MessageOf(err); ok {
		return "", queries.Fail(queries.EINVALID, locale.Wrap("filter.invalid", why))
	}
	return mode, err
}

// pageCompare is a page's comparison: with a whole period, the previous
// period unless the URL says compare=year or compare=none; without one,
// none. canonical is the URL's compare value ("" for the default).
func pageCompare(c echo.Context, f queries.Filter) (mode, canonical string, err error) {
	if f.From.IsZero() || f.To.IsZero() {
		return "", "", nil
	}
	if c.QueryParam("compare") == "" {
		return queries.ComparePrevious, "", nil
	}
	if mode, err = compareFrom(c, f); err != nil {
		return "", "", err
	}
	switch mode {
	case "":
		return "", "none", nil
	case queries.ComparePrevious:
		return mode, "", nil
	}
	return mode, mode, nil
}

// compare offers the comparison in a dashboard's filter form, and says in
// the filter's summary which earlier period is shown. Without a whole
// period the form keeps the default, which applies once there is one.
func (v *filterView) compare(f queries.Filter, mode string, l *locale.Locale) {
	v.CompareOptions = []choice{{queries.ComparePrevious, l.T("compare.previous")}, {queries.CompareYear, l.T("compare.year")}, {"none", l.T("compare.none")}}
	earlier, err := queries.EarlierFilter(f, cmp.Or(mode, queries.ComparePrevious))
	switch {
	case err != nil:
		v.Compare = queries.ComparePrevious
	case mode == "":
		v.Compare = "none"
	default:
		v.Compare = mode
		v.Summary = append(v.Summary, l.T("filter.compare_is", l.Date(earlier.From), l.Date(earlier.To)))
	}
}
