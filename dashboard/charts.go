package dashboard

import (
	"context"

	"pantau/dashboard/echarts"
	"pantau/dashboard/locale"
	"pantau/dashboard/report"
	"pantau/queries"
)

// chartDef declares one chart: its stable id (the API's {id}) and how it is
// built from the named queries.
type chartDef struct {
	id      string
	build   func(ctx context.Context, fig *figures, f queries.Filter, l *locale.Locale) (*echarts.Chart, error)
	ignores []report.FilterPart // what its data cannot be filtered by
}

var chartDefs = []chartDef{
	{"facilitators-by-region", from("facilitators-by-region", (*queries.DB).FacilitatorsByRegion, echarts.FacilitatorsByRegion), report.NotForPeople},
	{"staff-by-role", from("staff-by-role", (*queries.DB).StaffByRole, echarts.StaffByRole), report.NotForPeople},
	{"problem-prevalence", fromFigures((*queries.RespondentFigures).Prevalence, echarts.ProblemPrevalence), nil},
	{"problems-by-region", fromFigures((*queries.RespondentFigures).ByRegion, echarts.ProblemsByRegion), nil},
	{"problems-by-work-type", fromFigures((*queries.RespondentFigures).ByWorkType, echarts.ProblemsByWorkType), nil},
	{"problems-by-gender", fromFigures((*queries.RespondentFigures).ByGender, echarts.ProblemsByGender), nil},
	{"respondents-by-product", from("respondents-by-product", (*queries.DB).RespondentsByProduct, echarts.RespondentsByProduct), nil},
	{"wage-vs-umk", fromFigures((*queries.RespondentFigures).Wages, echarts.WageVsUMK), nil},
	{"organizing-funnel", funnelChart, report.NotForGroups},
	{"groups-by-region-stage", from("organizing-by-region", (*queries.DB).OrganizingByRegion, echarts.GroupsByRegionStage), report.NotForGroups},
	{"groups-formed-by-month", from("groups-formed-by-month", (*queries.DB).GroupsFormedByMonth, echarts.GroupsFormedByMonth), report.NotForGroups},
	{"members-by-region", from("organizing-by-region", (*queries.DB).OrganizingByRegion, echarts.MembersByRegion), report.NotForGroups},
	{"respondents-by-month", fromFigures((*queries.RespondentFigures).ByMonth, echarts.RespondentsByMonth), nil},
}

// comparedCharts are the time charts, which draw an earlier period beside
// their own when the page compares periods.
var comparedCharts = map[string]func(context.Context, *figures, echarts.Periods, *locale.Locale) (*echarts.Chart, error){
	"groups-formed-by-month": fromBoth(cachedQuery("groups-formed-by-month", (*queries.DB).GroupsFormedByMonth), echarts.GroupsFormedByMonthCompared),
	"respondents-by-month":   fromBoth(figureOf((*queries.RespondentFigures).ByMonth), echarts.RespondentsByMonthCompared),
}

var chartByID = func() map[string]chartDef {
	m := map[string]chartDef{}
	for _, d := range chartDefs {
		m[d.id] = d
	}
	return m
}()

// chart builds (or takes from the cache) one chart for a filter, a
// comparison (ignored by a chart without time) and a language.
func (fig *figures) chart(ctx context.Context, id string, f queries.Filter, mode string, l *locale.Locale) (*echarts.Chart, error) {
	def, ok := chartByID[id]
	if !ok {
		return nil, failure(queries.ENOTFOUND, "chart.not_found", id)
	}
	if compared, ok := comparedCharts[id]; ok && mode != "" {
		earlier, err := queries.EarlierFilter(f, mode)
		if err != nil {
			return nil, err
		}
		return get(fig.cache, "chart|"+id+"|"+l.Lang+"|"+mode+"|"+filterKey(f), func() (*echarts.Chart, error) {
			return compared(context.WithoutCancel(ctx), fig, echarts.Periods{Now: f, Earlier: earlier}, l)
		})
	}
	return get(fig.cache, "chart|"+id+"|"+l.Lang+"|"+filterKey(f), func() (*echarts.Chart, error) {
		return def.build(context.WithoutCancel(ctx), fig, f, l)
	})
}

// from builds a chart by running the named query through the result cache
// (the name shared with the pages' other uses of that query) and drawing
// its figures.
func from[T any](name string, query func(*queries.DB, context.Context, queries.Filter) (T, error),
	draw func(*locale.Locale, T) (*echarts.Chart, error)) func(context.Context, *figures, queries.Filter, *locale.Locale) (*echarts.Chart, error) {
	return drawn(cachedQuery(name, query), draw)
}

// drawn builds a chart by drawing what read reads.
func drawn[T any](read func(context.Context, *figures, queries.Filter) (T, error),
	draw func(*locale.Locale, T) (*echarts.Chart, error)) func(context.Context, *figures, queries.Filter, *locale.Locale) (*echarts.Chart, error) {
	return func(ctx context.Context, fig *figures, f queries.Filter, l *locale.Locale) (*echarts.Chart, error) {
		v, err := read(ctx, fig, f)
		if err != nil {
			return nil, err
		}
		return draw(l, v)
	}
}

// cachedQuery reads the named query through the result cache.
func cachedQuery[T any](name string, query func(*queries.DB, context.Context, queries.Filter) (T, error)) func(context.Context, *figures, queries.Filter) (T, error) {
	return func(ctx context.Context, fig *figures, f queries.Filter) (T, error) {
		return cached(ctx, fig.cache, name, f, func(ctx context.Context, f queries.Filter) (T, error) { return query(fig.db, ctx, f) })
	}
}

// fromFigures builds a chart from one figure of the filter's respondent
// figures, which the page's other respondent charts and tiles share: one
// query for all of them.
func fromFigures[T any](figure func(*queries.RespondentFigures) T,
	draw func(*locale.Locale, T) (*echarts.Chart, error)) func(context.Context, *figures, queries.Filter, *locale.Locale) (*echarts.Chart, error) {
	return drawn(figureOf(figure), draw)
}

// figureOf reads one figure of the cached respondent figures.
func figureOf[T any](figure func(*queries.RespondentFigures) T) func(context.Context, *figures, queries.Filter) (T, error) {
	return func(ctx context.Context, fig *figures, f queries.Filter) (T, error) {
		rf, err := fig.respondentFigures(ctx, f)
		if err != nil {
			var zero T
			return zero, err
		}
		return figure(rf), nil
	}
}

// funnelChart draws the funnel from the groups per region, which the page's
// other organizing charts read too: one pass over the organizing log.
func funnelChart(ctx context.Context, fig *figures, f queries.Filter, l *locale.Locale) (*echarts.Chart, error) {
	org, err := fig.organizingFunnel(ctx, f)
	if err != nil {
		return nil, err
	}
	return echarts.OrganizingFunnel(l, org)
}

// fromBoth builds a time chart of two periods from the figures read (through
// the result cache) for each.
func fromBoth[T any](read func(context.Context, *figures, queries.Filter) (T, error),
	draw func(*locale.Locale, T, T, echarts.Periods) (*echarts.Chart, error)) func(context.Context, *figures, echarts.Periods, *locale.Locale) (*echarts.Chart, error) {
	return func(ctx context.Context, fig *figures, p echarts.Periods, l *locale.Locale) (*echarts.Chart, error) {
		now, err := read(ctx, fig, p.Now)
		if err != nil {
			return nil, err
		}
		before, err := read(ctx, fig, p.Earlier)
		if err != nil {
			return nil, err
		}
		return draw(l, now, before, p)
	}
}
