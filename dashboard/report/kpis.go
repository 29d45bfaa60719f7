package report

import (
	"math"

	"pantau/dashboard/locale"
	"pantau/queries"
)

// KPIs are the overview's key figures for one filter.
type KPIs struct {
	Facilitators   int
	RegionsCovered int
	Respondents    int
	POSShare       *float64
	BelowMinimum   *float64 // share answering Ya to problem h among those who answered it
	GroupsFormed   int      // as GroupsFormed
	Members        int
	OnTrack        int // targets met or on track
	Judged         int // targets with data: neither not started nor without answers
}

const belowMinimumWage = "h" // the problem "Upah di Bawah UMR"

// KPIsOf reads the key figures from the queries' answers for one filter;
// targets may be nil (then nobody counted any).
func KPIsOf(fac queries.FacilitatorSummary, rs queries.RespondentSummary, groups []queries.RegionOrganizing,
	problems []queries.ProblemShare, funnel queries.OrganizingSummary, targets *queries.TargetReport) KPIs {
	k := KPIs{
		Facilitators:   fac.Total,
		RegionsCovered: len(RegionsCovered(fac, rs, groups)),
		Respondents:    rs.Total,
		POSShare:       queries.Share(rs.ByWorkType.POS, rs.Total),
		GroupsFormed:   GroupsFormed(funnel),
		Members:        funnel.Members,
	}
	for _, p := range problems {
		if p.Code == belowMinimumWage {
			k.BelowMinimum = p.Share
		}
	}
	k.OnTrack, k.Judged = OnTrack(targets)
	return k
}

// OnTrack counts the targets met or on track, and those with data (every
// status but not started and no data).
func OnTrack(r *queries.TargetReport) (ok, counted int) {
	if r == nil {
		return 0, 0
	}
	for _, t := range r.Targets {
		if onTrack(t.Status) {
			ok++
		}
		if judged(t.Status) {
			counted++
		}
	}
	return ok, counted
}

// onTrack says a status is good: met, or on track in a period in progress.
func onTrack(status string) bool {
	return status == queries.StatusMet || status == queries.StatusOnTrack
}

// judged says a target has data to judge: it has started, and for a share
// somebody answered.
func judged(status string) bool {
	return status != queries.StatusNotStarted && status != queries.StatusNoData
}

// Tile is one KPI tile: the figure in words and, with a comparison, the
// earlier period's figure and the change.
type Tile struct {
	Key, Label, Value string
	URL               string // where the tile leads; "" for nowhere
	Earlier           *Change
}

// Change is a figure against the earlier period's: the earlier figure, and
// the change as a direction (an arrow for the eye, a word for screen
// readers), absolute and, where the earlier figure is not 0, relative.
type Change struct {
	Value     string // the earlier figure
	Direction string // "up", "down", "same", or "" when either figure is missing
	Arrow     string
	Words     string
	Abs, Rel  string
}

// Tiles are k's tiles in the overview's order; with earlier, each carries
// its change. targetsURL is where the on-track tile leads.
func Tiles(l *locale.Locale, k KPIs, earlier *KPIs, targetsURL string) []Tile {
	count := func(key, label string, v func(KPIs) int) Tile {
		t := Tile{Key: key, Label: l.T(label), Value: l.Num(v(k))}
		if earlier != nil {
			c := CountChange(l, v(k), v(*earlier))
			t.Earlier = &c
		}
		return t
	}
	share := func(key, label string, v func(KPIs) *float64) Tile {
		t := Tile{Key: key, Label: l.T(label), Value: l.Pct(v(k))}
		if earlier != nil {
			c := ShareChange(l, v(k), v(*earlier))
			t.Earlier = &c
		}
		return t
	}
	tiles := []Tile{
		count("facilitators", "kpi.facilitators", func(k KPIs) int { return k.Facilitators }),
		count("regions", "kpi.regions", func(k KPIs) int { return k.RegionsCovered }),
		count("respondents", "kpi.respondents", func(k KPIs) int { return k.Respondents }),
		share("pos", "kpi.pos", func(k KPIs) *float64 { return k.POSShare }),
		share("below-minimum", "kpi.below_minimum", func(k KPIs) *float64 { return k.BelowMinimum }),
		count("groups", "kpi.groups", func(k KPIs) int { return k.GroupsFormed }),
		count("members", "kpi.members", func(k KPIs) int { return k.Members }),
		count("on-track", "kpi.on_track", func(k KPIs) int { return k.OnTrack }),
	}
	// The periods need not hold as many targets (the 91 days before a
	// quarter touch two quarters): the share on track is what compares.
	onTrack := &tiles[len(tiles)-1]
	onTrack.URL = targetsURL
	onTrack.Value = l.T("kpi.of", l.Num(k.OnTrack), l.Num(k.Judged))
	if earlier != nil {
		c := ShareChange(l, queries.Share(k.OnTrack, k.Judged), queries.Share(earlier.OnTrack, earlier.Judged))
		c.Value = l.T("kpi.of", l.Num(earlier.OnTrack), l.Num(earlier.Judged))
		onTrack.Earlier = &c
	}
	return tiles
}

// CountChange is a count against the earlier period's.
func CountChange(l *locale.Locale, now, before int) Change {
	c := direction(l, float64(now-before))
	c.Value = l.Num(before)
	c.Abs = signed(l.Num(now - before))
	if before != 0 {
		rel := float64(now-before) / float64(before)
		c.Rel = signed(l.Pct(&rel))
	}
	return c
}

// ShareChange is a share against the earlier period's: the absolute change
// in percentage points, the relative one in percent.
func ShareChange(l *locale.Locale, now, before *float64) Change {
	if now == nil || before == nil {
		return Change{Value: l.Pct(before), Abs: "–"}
	}
	diff := math.Round((*now-*before)*1000) / 1000 // in tenths of a point, as shown
	if diff == 0 {
		diff = 0 // not -0, which prints as "-0,0"
	}
	c := direction(l, diff)
	c.Value = l.Pct(before)
	c.Abs = l.T("kpi.points", signed(l.Num(100*diff)))
	if *before != 0 {
		rel := (*now - *before) / *before
		c.Rel = signed(l.Pct(&rel))
	}
	return c
}

func direction(l *locale.Locale, diff float64) Change {
	switch {
	case diff > 0:
		return Change{Direction: "up", Arrow: "▲", Words: l.T("change.up")}
	case diff < 0:
		return Change{Direction: "down", Arrow: "▼", Words: l.T("change.down")}
	}
	return Change{Direction: "same", Arrow: "=", Words: l.T("change.same")}
}

// signed puts a plus before a positive figure ("+12"); a negative one has
// its minus already, and 0 stays 0.
func signed(s string) string {
	if s == "" || s[0] == '-' || s == "0" || s == "0,0" || s == "0.0" || s == "0,0%" || s == "0.0%" {
		return s
	}
	return "+" + s
}
