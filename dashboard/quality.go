package dashboard

import (
	"bytes"
	"cmp"
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"pantau/dashboard/echarts"
	"pantau/dashboard/locale"
	"pantau/ingest"
	"pantau/queries"
)

// handleQuality answers GET /api/v1/quality?<filter>[&kind=K...]: the data
// quality report, as `pantau quality --json` prints it, its sentences in
// the request's language. Viewers get the counts, completeness and
// timeliness, not the flags: those name rows and people.
func handleQuality(fig *figures) echo.HandlerFunc {
	return func(c echo.Context) error {
		f, err := filterFrom(c)
		if err != nil {
			return err
		}
		kinds, lang := c.QueryParams()["kind"], localeFor(c).Lang
		if err := queries.KnownFlagKinds(kinds); err != nil {
			return err
		}
		var r *queries.QualityReport
		if currentUser(c).Role.Allows(queries.Uploader) {
			r, err = fig.quality(c.Request().Context(), f, kinds, lang)
		} else {
			r, err = fig.qualitySummary(c.Request().Context(), f, lang)
		}
		if err != nil {
			return err
		}
		return indentedJSON(c, r)
	}
}

// quality is the report through the result cache: a check of a flag is a
// new data version, so a cached report never shows a stale count.
func (fig *figures) quality(ctx context.Context, f queries.Filter, kinds []string, lang string) (*queries.QualityReport, error) {
	kinds = slices.Sorted(slices.Values(kinds))
	key := "quality|" + lang + "|" + strings.Join(kinds, ",")
	return cached(ctx, fig.cache, key, f, func(ctx context.Context, f queries.Filter) (*queries.QualityReport, error) {
		return fig.db.Quality(ctx, f, kinds, lang)
	})
}

// qualitySummary is the report without its flags (the page's tiles and
// charts), through the result cache.
func (fig *figures) qualitySummary(ctx context.Context, f queries.Filter, lang string) (*queries.QualityReport, error) {
	return cached(ctx, fig.cache, "quality-summary|"+lang, f, func(ctx context.Context, f queries.Filter) (*queries.QualityReport, error) {
		return fig.db.QualitySummary(ctx, f, lang)
	})
}

// qualityFlags is a page of the report's flags, through the result cache.
func (fig *figures) qualityFlags(ctx context.Context, f queries.Filter, list queries.FlagList, lang string) (queries.FlagPage, error) {
	key := fmt.Sprintf("quality-flags|%s|%s|%t|%d|%d|%q", lang, list.Kind, list.Checked, list.Offset, list.Limit, list.Facilitator)
	return cached(ctx, fig.cache, key, f, func(ctx context.Context, f queries.Filter) (queries.FlagPage, error) {
		return fig.db.QualityFlags(ctx, f, list, lang)
	})
}

// qualitySection is the quality page as the filter form needs it.
var qualitySection = section{Key: "quality", Path: "/quality"}

// flagsPerPage is how many flags the page lists at a time.
const flagsPerPage = 100

type qualityPage struct {
	pageBase
	Section      section
	Filter       filterView
	Tiles        []qualityTile
	Charts       []chartView
	Flags        []queries.QualityFlag // this page of them
	Kinds        []choice              // the kind filter's options
	Kind         string
	Facilitators []string // the facilitators with a flag, for the facilitator filter
	Facilitator  string
	ShowChecked  bool
	Shown, Total int    // flags on this page, flags listed over every page
	PrevURL      string // "" on the first page
	NextURL      string // "" on the last
	FilterQuery  string // the dashboard filter, carried by the flag forms
	Checked      string // the kind and key just checked, for the confirmation
}

// qualityTile is one kind's count of open flags.
type qualityTile struct {
	Kind, Name, URL string
	Count           int
}

// handleQualityPage answers GET /quality: open flags per kind as tiles,
// completeness and timeliness charts, and for uploaders and admins the
// flags themselves, filterable by kind, region and facilitator, 100 a page,
// each with where it came from and a form to mark it checked.
func handleQualityPage(pages *pageTemplates, fig *figures) echo.HandlerFunc {
	return func(c echo.Context) error {
		f, err := filterFrom(c)
		if err != nil {
			return err
		}
		q := c.QueryParams()
		page := &qualityPage{pageBase: newPageBase(c, "quality"), Section: qualitySection, Kind: q.Get("kind"),
			Facilitator: q.Get("facilitator"), ShowChecked: q.Get("checked") == "1", Checked: q.Get("done"),
			FilterQuery: pageQuery(c, f).Encode()}
		if page.Kind != "" && !slices.Contains(queries.FlagKinds, page.Kind) {
			return failure(queries.EINVALID, "quality.unknown_kind", page.Kind)
		}
		number, err := strconv.Atoi(cmp.Or(q.Get("page"), "1"))
		if err != nil || number < 1 {
			return failure(queries.EINVALID, "quality.bad_page", q.Get("page"))
		}
		l := page.L
		var r *queries.QualityReport
		err = fig.consistently(func() (err error) {
			if page.Filter, err = newFilterView(c, fig, f, l); err != nil {
				return err
			}
			if r, err = fig.qualitySummary(c.Request().Context(), f, l.Lang); err != nil {
				return err
			}
			if page.User.Role.Allows(queries.Uploader) {
				list := queries.FlagList{Kind: page.Kind, Facilitator: page.Facilitator, Checked: page.ShowChecked,
					Offset: (number - 1) * flagsPerPage, Limit: flagsPerPage}
				flags, err := fig.qualityFlags(c.Request().Context(), f, list, l.Lang)
				if err != nil {
					return err
				}
				page.listFlags(flags, number)
			}
			list, err := fig.qualityCharts(c.Request().Context(), f, l)
			page.Charts = nil
			for _, ch := range list {
				page.Charts = append(page.Charts, chartView{Chart: ch,
					DataURL: withQuery("/api/v1/quality/charts/"+ch.ID, page.FilterQuery), CSVURL: withQuery("/api/v1/quality/charts/"+ch.ID+"/csv", page.FilterQuery)})
			}
			return err
		})
		if err != nil {
			return err
		}
		page.Kinds = []choice{{"", l.T("filter.all")}}
		for _, kind := range queries.FlagKinds {
			name := queries.FlagNames[kind].In(l.Lang)
			page.Kinds = append(page.Kinds, choice{kind, name})
			page.Tiles = append(page.Tiles, qualityTile{Kind: kind, Name: name, Count: r.Counts[kind],
				URL: withQuery("/quality", page.FilterQuery+"&kind="+kind+"#flags")})
		}
		return pages.render(c, http.StatusOK, "quality", page)
	}
}

// listFlags shows a page of the flags the page's kind, facilitator and
// checked choices select.
func (p *qualityPage) listFlags(flags queries.FlagPage, number int) {
	p.Flags, p.Facilitators, p.Total, p.Shown = flags.Flags, flags.Facilitators, flags.Total, len(flags.Flags)
	at := func(n int) string {
		q := url.Values{}
		if p.Kind != "" {
			q.Set("kind", p.Kind)
		}
		if p.Facilitator != "" {
			q.Set("facilitator", p.Facilitator)
		}
		if p.ShowChecked {
			q.Set("checked", "1")
		}
		q.Set("page", strconv.Itoa(n))
		return withQuery("/quality", strings.TrimPrefix(p.FilterQuery+"&"+q.Encode(), "&")) + "#flags"
	}
	if number > 1 {
		p.PrevURL = at(number - 1)
	}
	if number*flagsPerPage < p.Total {
		p.NextURL = at(number + 1)
	}
}

// qualityCharts are the report's charts for f in l's language, built once
// per data version.
func (fig *figures) qualityCharts(ctx context.Context, f queries.Filter, l *locale.Locale) ([]*echarts.Chart, error) {
	return get(fig.cache, "quality-charts|"+l.Lang+"|"+filterKey(f), func() ([]*echarts.Chart, error) {
		r, err := fig.qualitySummary(ctx, f, l.Lang)
		if err != nil {
			return nil, err
		}
		return echarts.QualityCharts(l, r)
	})
}

// requestedQualityChart is the quality chart {id} for the request's filter.
func requestedQualityChart(c echo.Context, fig *figures) (*echarts.Chart, error) {
	f, err := filterFrom(c)
	if err != nil {
		return nil, err
	}
	list, err := fig.qualityCharts(c.Request().Context(), f, localeFor(c))
	if err != nil {
		return nil, err
	}
	for _, ch := range list {
		if ch.ID == c.Param("id") {
			return ch, nil
		}
	}
	return nil, failure(queries.ENOTFOUND, "chart.not_found", c.Param("id"))
}

// handleQualityChart answers GET /api/v1/quality/charts/{id}.
func handleQualityChart(fig *figures) echo.HandlerFunc {
	return func(c echo.Context) error {
		ch, err := requestedQualityChart(c, fig)
		if err != nil {
			return err
		}
		return c.JSON(http.StatusOK, ch)
	}
}

// handleQualityChartCSV answers GET /api/v1/quality/charts/{id}/csv.
func handleQualityChartCSV(fig *figures) echo.HandlerFunc {
	return func(c echo.Context) error {
		ch, err := requestedQualityChart(c, fig)
		if err != nil {
			return err
		}
		return sendChartCSV(c, ch)
	}
}

// handleFlagCheck answers POST /quality/check: the flag (kind, key) is
// marked checked by the user, with the note, and the page shows it gone.
func handleFlagCheck(db *queries.DB, log *slog.Logger, now func() time.Time) echo.HandlerFunc {
	return func(c echo.Context) error {
		kind, key, note := c.FormValue("kind"), c.FormValue("key"), strings.TrimSpace(c.FormValue("note"))
		u := currentUser(c)
		if note == "" {
			return failure(queries.EINVALID, "quality.note_required")
		}
		f, err := scoped(c, queries.Filter{}) // a flag of the user's regions only
		if err != nil {
			return err
		}
		if err := db.CheckFlag(c.Request().Context(), f, kind, key, note, u.Username, now()); err != nil {
			return err
		}
		log.Info("quality flag checked", "kind", kind, "key", key, "by", u.Username)
		back := c.FormValue("filter")
		if _, err := url.ParseQuery(back); err != nil {
			back = ""
		}
		return c.Redirect(http.StatusSeeOther, withQuery("/quality", strings.TrimPrefix(back+"&done="+url.QueryEscape(kind+" "+key), "&"))+"#flags")
	}
}

// handleFlaggedFile answers GET /imports/{id}/flagged.xlsx?kind=K&key=KEY:
// the kept original of import id with the row of that flag marked, its
// sentence as the comment.
func handleFlaggedFile(db *queries.DB, dataDir string) echo.HandlerFunc {
	return func(c echo.Context) error {
		im, err := requestedImport(c, db)
		if err != nil {
			return err
		}
		l := localeFor(c)
		kind, key := c.QueryParam("kind"), c.QueryParam("key")
		f, err := scoped(c, queries.Filter{})
		if err != nil {
			return err
		}
		fl, err := db.Flag(c.Request().Context(), f, kind, key, l.Lang)
		if err != nil {
			return err
		}
		if fl.ImportID != im.ID {
			return failure(queries.ENOTFOUND, "quality.no_flag", kind, key)
		}
		data, err := keptFile(dataDir, im)
		if err != nil {
			return err
		}
		var buf bytes.Buffer
		why := queries.Message{ID: fl.Message, EN: fl.Message} // already in the page's language
		if err := ingest.AnnotateRow(&buf, data, im.FileName, fl.Of, fl.Sheet, fl.Row, why, l.Lang); err != nil {
			return err
		}
		name := strings.TrimSuffix(im.FileName, filepath.Ext(im.FileName)) + " (" + kind + ").xlsx"
		return sendWorkbook(c, name, buf.Bytes())
	}
}
