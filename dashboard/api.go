package dashboard

import (
	"bytes"
	"compress/gzip"
	"context"
	"encoding/json"
	"net/http"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"pantau/dashboard/echarts"
	"pantau/dashboard/locale"
	"pantau/dashboard/report"
	"pantau/queries"
)

// noStore keeps figures out of shared and browser caches: they are
// personal data, and change with every import.
func noStore(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		c.Response().Header().Set("Cache-Control", "no-store")
		return next(c)
	}
}

// handleSummary answers GET /api/v1/summary: byte for byte what
// `pantau summary --json` prints for the same filter.
func handleSummary(fig *figures) echo.HandlerFunc {
	return func(c echo.Context) error {
		f, err := filterFrom(c)
		if err != nil {
			return err
		}
		mode, err := compareFrom(c, f)
		if err != nil {
			return err
		}
		sum, err := cached(c.Request().Context(), fig.cache, "summary|"+mode, f, func(ctx context.Context, f queries.Filter) (*queries.Summary, error) {
			return fig.db.SummaryCompared(ctx, f, mode)
		})
		if err != nil {
			return err
		}
		return indentedJSON(c, sum)
	}
}

// indentedJSON answers v as the command line prints it with --json:
// indented by two spaces, ending in a newline.
func indentedJSON(c echo.Context, v any) error {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetIndent("", "  ")
	if err := enc.Encode(v); err != nil {
		return err
	}
	return c.JSONBlob(http.StatusOK, buf.Bytes())
}

// handleChart answers GET /api/v1/charts/{id}: the chart's ECharts option,
// its title and whether it has data.
func handleChart(fig *figures) echo.HandlerFunc {
	return func(c echo.Context) error {
		f, mode, err := chartRequest(c)
		if err != nil {
			return err
		}
		enc, err := fig.chartJSON(c.Request().Context(), c.Param("id"), f, mode, localeFor(c))
		if err != nil {
			return err
		}
		c.Response().Header().Add(echo.HeaderVary, echo.HeaderAcceptEncoding)
		if len(enc.plain) >= gzipMinLength && strings.Contains(c.Request().Header.Get(echo.HeaderAcceptEncoding), "gzip") {
			c.Response().Header().Set(echo.HeaderContentEncoding, "gzip")
			return c.Blob(http.StatusOK, echo.MIMEApplicationJSON, enc.gzipped)
		}
		return c.Blob(http.StatusOK, echo.MIMEApplicationJSON, enc.plain)
	}
}

// encodedChart is a chart as the API sends it, plain and gzipped: made once
// per data version, chart, language and filter, so that a cached request
// costs a lookup and a write, not a marshal and a compression.
type encodedChart struct{ plain, gzipped []byte }

func (fig *figures) chartJSON(ctx context.Context, id string, f queries.Filter, mode string, l *locale.Locale) (*encodedChart, error) {
	return get(fig.cache, "chart-json|"+id+"|"+l.Lang+"|"+mode+"|"+filterKey(f), func() (*encodedChart, error) {
		ch, err := fig.chart(ctx, id, f, mode, l)
		if err != nil {
			return nil, err
		}
		plain, err := json.Marshal(ch)
		if err != nil {
			return nil, err
		}
		plain = append(plain, '\n') // as echo's c.JSON writes it
		var buf bytes.Buffer
		zw, _ := gzip.NewWriterLevel(&buf, gzipLevel)
		zw.Write(plain)
		if err := zw.Close(); err != nil {
			return nil, err
		}
		return &encodedChart{plain: plain, gzipped: buf.Bytes()}, nil
	})
}

// chartRequest reads a chart request's filter and comparison.
func chartRequest(c echo.Context) (queries.Filter, string, error) {
	f, err := filterFrom(c)
	if err != nil {
		return f, "", err
	}
	mode, err := compareFrom(c, f)
	return f, mode, err
}

// requestedChart is the chart {id} for the request's filter, comparison and language.
func requestedChart(c echo.Context, fig *figures) (*echarts.Chart, error) {
	f, mode, err := chartRequest(c)
	if err != nil {
		return nil, err
	}
	return fig.chart(c.Request().Context(), c.Param("id"), f, mode, localeFor(c))
}

// handleChartCSV answers GET /api/v1/charts/{id}/csv: the chart's table.
func handleChartCSV(fig *figures) echo.HandlerFunc {
	return func(c echo.Context) error {
		ch, err := requestedChart(c, fig)
		if err != nil {
			return err
		}
		return sendChartCSV(c, ch)
	}
}

// sendChartCSV answers a chart's table as a CSV download.
func sendChartCSV(c echo.Context, ch *echarts.Chart) error {
	body, err := report.CSV(ch.Table)
	if err != nil {
		return err
	}
	c.Response().Header().Set("Content-Disposition", `attachment; filename="pantau-`+ch.ID+`.csv"`)
	return c.Blob(http.StatusOK, "text/csv; charset=utf-8", body)
}

// handleSummaryWorkbook answers GET /exports/summary.xlsx: the summary
// workbook for the request's filter, in the request's language, from one
// snapshot of the data. It is built in memory first, so that an error is a
// clean error response and never half a file.
func handleSummaryWorkbook(fig *figures, now func() time.Time) echo.HandlerFunc {
	return func(c echo.Context) error {
		f, mode, err := chartRequest(c)
		if err != nil {
			return err
		}
		now := now()
		o := queries.ReportOptions{Compare: mode, AsOf: today(now)}
		r, err := cached(c.Request().Context(), fig.cache, "report|"+mode+"|"+o.AsOf.Format(time.DateOnly), f, func(ctx context.Context, f queries.Filter) (*queries.Report, error) {
			return fig.db.Report(ctx, f, o)
		})
		if err != nil {
			return err
		}
		var buf bytes.Buffer
		if err := report.WriteWorkbook(&buf, r, localeFor(c), now); err != nil {
			return err
		}
		return sendWorkbook(c, "pantau-ringkasan-"+now.Format(time.DateOnly)+".xlsx", buf.Bytes())
	}
}
