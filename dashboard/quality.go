package dashboard

import (
	"context"
	"slices"
	"strings"

	"github.com/labstack/echo/v4"

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
		kinds := c.QueryParams()["kind"]
		r, err := fig.quality(c.Request().Context(), f, kinds, localeFor(c).Lang)
		if err != nil {
			return err
		}
		if u := currentUser(c); !u.Role.Allows(queries.Uploader) {
			counted := *r
			counted.Flags = []queries.QualityFlag{}
			r = &counted
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
