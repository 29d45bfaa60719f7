package dashboard

import (
	"context"
	"slices"

	"pantau/queries"
)

// cached runs one named query for f through the result cache. The query
// runs without the request's cancellation: other requests may be waiting on
// the same result.
func cached[T any](ctx context.Context, s *Server, name string, f queries.Filter, query func(context.Context, queries.Filter) (T, error)) (T, error) {
	return get(s.cache, name+"|"+filterKey(f), func() (T, error) {
		return query(context.WithoutCancel(ctx), f)
	})
}

const (
	belowMinimumWage = "h" // the problem "Upah di Bawah UMR"
	groupFormed      = 4   // the stage Pembentukan Kelompok
)

// kpis are the overview's tiles.
type kpis struct {
	Facilitators   int
	RegionsCovered int
	Respondents    int
	POSShare       *float64
	BelowMinimum   *float64 // share answering Ya to problem h among those who answered it
	GroupsFormed   int      // groups that reached stage 4, Pembentukan Kelompok, or beyond
	Members        int
}

func (s *Server) kpis(ctx context.Context, f queries.Filter) (kpis, error) {
	sum, err := cached(ctx, s, "summary", f, s.db.Summary)
	if err != nil {
		return kpis{}, err
	}
	org, err := cached(ctx, s, "organizing-by-region", f, s.db.OrganizingByRegion)
	if err != nil {
		return kpis{}, err
	}
	k := kpis{
		Facilitators: sum.Facilitators.Total,
		Respondents:  sum.Respondents.Total,
		Members:      sum.Organizing.Members,
	}
	for _, p := range sum.Problems {
		if p.Code == belowMinimumWage {
			k.BelowMinimum = p.Share
		}
	}
	for _, st := range sum.Organizing.Funnel {
		if st.Stage == groupFormed {
			k.GroupsFormed = st.Groups
		}
	}
	if n := sum.Respondents.Total; n > 0 {
		share := float64(sum.Respondents.ByWorkType.POS) / float64(n)
		k.POSShare = &share
	}
	k.RegionsCovered = len(regionsWithData(sum, org))
	return k, nil
}

// regionsWithData are the regions with a facilitator, a respondent or a group.
func regionsWithData(sum *queries.Summary, org []queries.RegionOrganizing) []string {
	var names []string
	for _, r := range sum.Facilitators.ByRegion {
		names = append(names, r.Region)
	}
	for _, r := range sum.Respondents.ByRegion {
		names = append(names, r.Region)
	}
	for _, r := range org {
		names = append(names, r.Region)
	}
	names = slices.DeleteFunc(names, func(n string) bool { return n == "" })
	slices.Sort(names)
	return slices.Compact(names)
}

// filterRegions are the regions the filter form offers: every region with
// data, whatever the current filter, plus any the filter names.
func (s *Server) filterRegions(ctx context.Context, f queries.Filter) ([]string, error) {
	all := queries.Filter{}
	sum, err := cached(ctx, s, "summary", all, s.db.Summary)
	if err != nil {
		return nil, err
	}
	org, err := cached(ctx, s, "organizing-by-region", all, s.db.OrganizingByRegion)
	if err != nil {
		return nil, err
	}
	names := append(regionsWithData(sum, org), f.Regions...)
	slices.Sort(names)
	return slices.Compact(names), nil
}
