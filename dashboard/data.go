package dashboard

import (
	"context"
	"slices"
	"time"

	"pantau/dashboard/locale"
	"pantau/dashboard/report"
	"pantau/ingest"
	"pantau/queries"
)

// figures reads what the dashboards show: the database's named queries
// through the result cache, and the charts built from them.
type figures struct {
	db    *queries.DB
	cache *resultCache // per filter: bounded, starts over when full
	// reference holds what every filter's page reads alike (the regions
	// with data, the program's provinces, the regions Wilayah sheets
	// added), apart from cache so that many distinct filters filling it
	// do not drop them: a filter never seen before reads only its figures.
	reference *resultCache
}

func newFigures(db *queries.DB) *figures {
	return &figures{db: db, cache: newResultCache(db, 4096), reference: newResultCache(db, 16)}
}

// cached runs one named query for f through the result cache. The query
// runs without the request's cancellation: other requests may be waiting on
// the same result.
func cached[T any](ctx context.Context, cache *resultCache, name string, f queries.Filter, query func(context.Context, queries.Filter) (T, error)) (T, error) {
	return get(cache, name+"|"+filterKey(f), func() (T, error) {
		return query(context.WithoutCancel(ctx), f)
	})
}

// consistently runs build, which reads the data through several queries,
// until the data stood still the whole time: then every query saw the same
// state, and a page never shows part of it from before an import and part
// from after. A commit lands in an instant (the version is odd meanwhile,
// and build waits it out, up to a second); a retry is rare, and after a few
// the last build stands.
func (fig *figures) consistently(build func() error) error {
	for attempt := 1; ; attempt++ {
		v := fig.db.DataVersion()
		for wait := 0; !queries.Settled(v) && wait < 200; wait++ {
			time.Sleep(5 * time.Millisecond)
			v = fig.db.DataVersion()
		}
		err := build()
		if err != nil || (queries.Settled(v) && fig.db.DataVersion() == v) || attempt == 5 {
			return err
		}
	}
}

// kpis reads the overview's key figures for f, with the targets judged at
// asOf, from the same cached queries as the overview's charts
// (facilitators, respondent figures, funnel), so a page load runs each query once;
// the whole Summary is only for the API.
func (fig *figures) kpis(ctx context.Context, f queries.Filter, asOf time.Time) (report.KPIs, error) {
	w, err := fig.whereData(ctx, f)
	if err != nil {
		return report.KPIs{}, err
	}
	rf, err := fig.respondentFigures(ctx, f)
	if err != nil {
		return report.KPIs{}, err
	}
	funnel, err := fig.organizingFunnel(ctx, f)
	if err != nil {
		return report.KPIs{}, err
	}
	targets, err := fig.targets(ctx, f, asOf)
	if err != nil {
		return report.KPIs{}, err
	}
	return report.KPIsOf(w.facilitators, w.respondents, w.groups, rf.Prevalence(), funnel, targets), nil
}

// today is now's calendar date, the targets' default as-of date.
func today(now time.Time) time.Time {
	return time.Date(now.Year(), now.Month(), now.Day(), 0, 0, 0, 0, time.UTC)
}

// respondentFigures are the cached respondent figures of f, from which
// every respondent chart and tile of a page is added up.
func (fig *figures) respondentFigures(ctx context.Context, f queries.Filter) (*queries.RespondentFigures, error) {
	return cached(ctx, fig.cache, "respondent-figures", f, fig.db.RespondentFigures)
}

// organizingFunnel adds up the cached groups per region (what
// OrganizingFunnel gives), rather than reduce the organizing log to groups
// a second time.
func (fig *figures) organizingFunnel(ctx context.Context, f queries.Filter) (queries.OrganizingSummary, error) {
	regions, err := cached(ctx, fig.cache, "organizing-by-region", f, fig.db.OrganizingByRegion)
	return queries.FunnelOf(regions), err
}

// dataByRegion is where there are facilitators, respondents and groups.
type dataByRegion struct {
	facilitators queries.FacilitatorSummary
	respondents  queries.RespondentSummary
	groups       []queries.RegionOrganizing
}

func (fig *figures) whereData(ctx context.Context, f queries.Filter) (w dataByRegion, err error) {
	if w.facilitators, err = cached(ctx, fig.cache, "facilitators-by-region", f, fig.db.FacilitatorsByRegion); err != nil {
		return w, err
	}
	rf, err := fig.respondentFigures(ctx, f)
	if err != nil {
		return w, err
	}
	w.respondents = rf.Counts()
	w.groups, err = cached(ctx, fig.cache, "organizing-by-region", f, fig.db.OrganizingByRegion)
	return w, err
}

// cachedWhereData is whereData for f when the cache holds all of it.
func (fig *figures) cachedWhereData(f queries.Filter) (w dataByRegion, ok bool) {
	key := filterKey(f)
	var rf *queries.RespondentFigures
	if w.facilitators, ok = peek[queries.FacilitatorSummary](fig.cache, "facilitators-by-region|"+key); !ok {
		return w, false
	}
	if rf, ok = peek[*queries.RespondentFigures](fig.cache, "respondent-figures|"+key); !ok {
		return w, false
	}
	w.respondents = rf.Counts()
	w.groups, ok = peek[[]queries.RegionOrganizing](fig.cache, "organizing-by-region|"+key)
	return w, ok
}

// filterRegions are the regions the filter form offers: every region with
// data, whatever the current filter, plus any the filter names.
func (fig *figures) filterRegions(ctx context.Context, f queries.Filter) ([]string, error) {
	regions, err := get(fig.reference, "regions-with-data", func() ([]string, error) {
		// The page of all data has just read the figures that name them.
		if w, ok := fig.cachedWhereData(queries.Filter{}); ok {
			return report.RegionsCovered(w.facilitators, w.respondents, w.groups), nil
		}
		return fig.db.RegionsWithData(context.WithoutCancel(ctx))
	})
	if err != nil {
		return nil, err
	}
	names := append(slices.Clone(regions), f.Regions...)
	slices.Sort(names)
	return slices.Compact(names), nil
}

// regionGroups groups the filter's regions by province as
// ingest.GroupByProvince does, with the program's provinces and the regions
// the Wilayah sheets added read once per data version (an import, an undo
// or a setting).
func (fig *figures) regionGroups(ctx context.Context, regions []string) ([]ingest.RegionGroup, error) {
	program, err := get(fig.reference, "program-provinces", func() ([]string, error) {
		return ingest.ProgramProvinces(context.WithoutCancel(ctx), fig.db)
	})
	if err != nil {
		return nil, err
	}
	added, err := get(fig.reference, "added-regions", func() ([]queries.RegionOption, error) {
		return fig.db.AddedRegions(context.WithoutCancel(ctx))
	})
	if err != nil {
		return nil, err
	}
	return ingest.GroupRegions(program, added, regions), nil
}

// tiles are the overview's key figures for f, each with its change since
// the earlier period when mode compares; the on-track tile leads to the
// targets of the same filter. The earlier period's targets are judged as
// of its last day (or asOf, if that comes first).
func (fig *figures) tiles(ctx context.Context, f queries.Filter, mode string, asOf time.Time, l *locale.Locale) ([]report.Tile, error) {
	k, err := fig.kpis(ctx, f, asOf)
	if err != nil {
		return nil, err
	}
	var before *report.KPIs
	if mode != "" {
		earlier, err := queries.EarlierFilter(f, mode)
		if err != nil {
			return nil, err
		}
		k, err := fig.kpis(ctx, earlier, queries.EarlierAsOf(earlier, asOf))
		if err != nil {
			return nil, err
		}
		before = &k
	}
	return report.Tiles(l, k, before, withQuery("/targets", filterQuery(f).Encode())), nil
}
