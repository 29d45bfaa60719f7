package dashboard

import (
	"context"
	"net/http"
	"net/url"
	"time"

	"github.com/labstack/echo/v4"

	"pantau/dashboard/echarts"
	"pantau/dashboard/locale"
	"pantau/dashboard/report"
	"pantau/ingest"
	"pantau/queries"
)

// handleTargets answers GET /api/v1/targets?<filter>&as_of=YYYY-MM-DD: byte
// for byte what `pantau targets --json` prints for the same filter and
// date. Without as_of the date is today.
func handleTargets(fig *figures, now func() time.Time) echo.HandlerFunc {
	return func(c echo.Context) error {
		f, asOf, err := targetsRequest(c, now)
		if err != nil {
			return err
		}
		r, err := fig.targets(c.Request().Context(), f, asOf)
		if err != nil {
			return err
		}
		return indentedJSON(c, r)
	}
}

// targetsRequest reads the filter and the as-of date of a targets request.
func targetsRequest(c echo.Context, now func() time.Time) (queries.Filter, time.Time, error) {
	f, err := filterFrom(c)
	if err != nil {
		return f, time.Time{}, err
	}
	asOf, err := ingest.ParseAsOf(c.QueryParam("as_of"), now())
	if err != nil {
		why, _ := queries.MessageOf(err)
		return f, asOf, queries.Fail(queries.EINVALID, locale.Wrap("filter.invalid", why))
	}
	return f, asOf, nil
}

func (fig *figures) targets(ctx context.Context, f queries.Filter, asOf time.Time) (*queries.TargetReport, error) {
	key := "targets|" + asOf.Format(time.DateOnly)
	return cached(ctx, fig.cache, key, f, func(ctx context.Context, f queries.Filter) (*queries.TargetReport, error) {
		return fig.db.Targets(ctx, f, asOf)
	})
}

// targetCharts are the targets' charts for f at asOf in l's language, built
// once per data version: the page and each chart's JSON and CSV share them.
func (fig *figures) targetCharts(ctx context.Context, f queries.Filter, asOf time.Time, l *locale.Locale) ([]*echarts.Chart, error) {
	key := "target-charts|" + asOf.Format(time.DateOnly) + "|" + l.Lang + "|" + filterKey(f)
	return get(fig.cache, key, func() ([]*echarts.Chart, error) {
		r, err := fig.targets(ctx, f, asOf)
		if err != nil {
			return nil, err
		}
		return echarts.TargetCharts(l, r)
	})
}

// requestedTargetChart is the targets chart of indicator {indicator} for the
// request's filter, as-of date and language.
func requestedTargetChart(c echo.Context, fig *figures, now func() time.Time) (*echarts.Chart, error) {
	f, asOf, err := targetsRequest(c, now)
	if err != nil {
		return nil, err
	}
	list, err := fig.targetCharts(c.Request().Context(), f, asOf, localeFor(c))
	if err != nil {
		return nil, err
	}
	id := echarts.TargetChartID(c.Param("indicator"))
	for _, ch := range list {
		if ch.ID == id {
			return ch, nil
		}
	}
	return nil, failure(queries.ENOTFOUND, "chart.not_found", id)
}

// handleTargetChart answers GET /api/v1/targets/charts/{indicator}: the
// indicator's chart, as GET /api/v1/charts/{id} answers the others.
func handleTargetChart(fig *figures, now func() time.Time) echo.HandlerFunc {
	return func(c echo.Context) error {
		ch, err := requestedTargetChart(c, fig, now)
		if err != nil {
			return err
		}
		return c.JSON(http.StatusOK, ch)
	}
}

// handleTargetChartCSV answers GET /api/v1/targets/charts/{indicator}/csv.
func handleTargetChartCSV(fig *figures, now func() time.Time) echo.HandlerFunc {
	return func(c echo.Context) error {
		ch, err := requestedTargetChart(c, fig, now)
		if err != nil {
			return err
		}
		return sendChartCSV(c, ch)
	}
}

// targetsSection is the targets page as the filter form needs it.
var targetsSection = section{Key: "targets", Path: "/targets"}

type targetsPage struct {
	pageBase
	Section    section
	Filter     filterView
	NotApplied string // the set filter parts targets cannot apply
	AsOf       string // the as-of date in words
	Charts     []chartView
	Groups     []echarts.TargetGroup
}

// handleTargetsPage answers GET /targets: per indicator a chart of actual
// against target, and every target in a table, judged at the as-of date.
func handleTargetsPage(pages *pageTemplates, fig *figures, now func() time.Time) echo.HandlerFunc {
	return func(c echo.Context) error {
		f, asOf, err := targetsRequest(c, now)
		if err != nil {
			return err
		}
		// One view, one URL: the date is always in it, so that a shared
		// link shows the day it was taken on.
		q := pageQuery(c, f)
		q.Set("as_of", asOf.Format(time.DateOnly))
		query := q.Encode()
		if url.Values(c.QueryParams()).Encode() != query {
			return c.Redirect(http.StatusSeeOther, withQuery(targetsSection.Path, query))
		}
		page := &targetsPage{pageBase: newPageBase(c, "targets"), Section: targetsSection}
		l := page.L
		err = fig.consistently(func() error {
			if page.Filter, err = newFilterView(c, fig, f, l); err != nil {
				return err
			}
			ctx := c.Request().Context()
			r, err := fig.targets(ctx, f, asOf)
			if err != nil {
				return err
			}
			list, err := fig.targetCharts(ctx, f, asOf, l)
			if err != nil {
				return err
			}
			page.Charts = nil
			for _, ch := range list {
				code := ch.ID[len("targets-"):]
				page.Charts = append(page.Charts, chartView{Chart: ch,
					DataURL: withQuery("/api/v1/targets/charts/"+code, query), CSVURL: withQuery("/api/v1/targets/charts/"+code+"/csv", query)})
			}
			page.Groups = echarts.TargetTable(l, r)
			return nil
		})
		if err != nil {
			return err
		}
		page.Filter.AsOf = asOf.Format(time.DateOnly)
		page.AsOf = l.Date(asOf)
		page.NotApplied = report.NotApplied(f, report.NotForTargets, l)
		return pages.render(c, http.StatusOK, "targets", page)
	}
}
