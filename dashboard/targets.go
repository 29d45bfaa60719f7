package dashboard

import (
	"context"
	"time"

	"github.com/labstack/echo/v4"

	"pantau/dashboard/locale"
	"pantau/ingest"
	"pantau/queries"
)

// handleTargets answers GET /api/v1/targets?<filter>&as_of=YYYY-MM-DD: byte
// for byte what `pantau targets --json` prints for the same filter and
// date. Without as_of the date is today.
func handleTargets(fig *figures, now func() time.Time) echo.HandlerFunc {
	return func(c echo.Context) error {
		f, err := filterFrom(c)
		if err != nil {
			return err
		}
		asOf, err := ingest.ParseAsOf(c.QueryParam("as_of"), now())
		if err != nil {
			why, _ := queries.MessageOf(err)
			return queries.Fail(queries.EINVALID, locale.Wrap("filter.invalid", why))
		}
		key := "targets|" + asOf.Format(time.DateOnly)
		r, err := cached(c.Request().Context(), fig.cache, key, f, func(ctx context.Context, f queries.Filter) (*queries.TargetReport, error) {
			return fig.db.Targets(ctx, f, asOf)
		})
		if err != nil {
			return err
		}
		return indentedJSON(c, r)
	}
}
