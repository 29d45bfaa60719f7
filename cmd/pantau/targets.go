package main

import (
	"context"
	"fmt"
	"io"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"pantau/ingest"
	"pantau/queries"
)

// targets prints every target of the filter judged at the as-of date: the
// same JSON as GET /api/v1/targets, or a table for people.
func (env *environment) targets(ctx context.Context, args []string) error {
	f := env.newFlags("targets", "[--json] [--as-of YYYY-MM-DD] [--lang id|en] "+filterUsage).withDB(env).withJSON()
	asOf := f.String("as-of", "", "the last day of data counted, YYYY-MM-DD (default today)")
	lang := f.String("lang", "id", "language of the table: id (Bahasa Indonesia) or en")
	ff := f.withFilter()
	if _, err := f.parse(args); err != nil {
		return err
	}
	if *lang != "id" && *lang != "en" {
		return usageError("targets: --lang must be id or en, not %q", *lang)
	}
	filter, err := ff.filter("targets")
	if err != nil {
		return err
	}
	day, err := ingest.ParseAsOf(*asOf, time.Now())
	if err != nil {
		return usageError("targets: %v", err)
	}
	db, done, err := env.openDB(ctx, f)
	if err != nil {
		return err
	}
	defer done()
	r, err := db.Targets(ctx, filter, day)
	if err != nil {
		return exitError{code: 2, msg: err.Error()}
	}
	if f.json {
		return env.printJSON(r)
	}
	printTargets(env.stdout, r, *lang)
	return nil
}

// targetHeaders head the table's columns.
var targetHeaders = []queries.Message{
	{ID: "Indikator", EN: "Indicator"}, {ID: "Wilayah", EN: "Region"}, {ID: "Periode", EN: "Period"},
	{ID: "Target", EN: "Target"}, {ID: "Capaian", EN: "Actual"}, {ID: "Seharusnya", EN: "Expected"},
	{ID: "% target", EN: "% of target"}, {ID: "Status", EN: "Status"},
}

func printTargets(w io.Writer, r *queries.TargetReport, lang string) {
	fmt.Fprintln(w, queries.Msgf("Target per %s (data sampai tanggal itu)", "Targets as of %s (data up to that day)", r.AsOf).In(lang))
	if len(r.Targets) == 0 {
		fmt.Fprintln(w, queries.Message{ID: "Tidak ada target untuk saringan ini.", EN: "No target for this filter."}.In(lang))
		return
	}
	tw := tabwriter.NewWriter(w, 2, 4, 2, ' ', 0)
	var head []string
	for _, h := range targetHeaders {
		head = append(head, h.In(lang))
	}
	fmt.Fprintln(tw, strings.Join(head, "\t"))
	everywhere := queries.Message{ID: "seluruh program", EN: "whole program"}.In(lang)
	for _, t := range r.Targets {
		region := everywhere
		if t.Region != nil {
			region = *t.Region
		}
		share := t.Kind == queries.ShareKind
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n", t.Indicator, region, t.Period,
			figure(&t.Target, share, lang), figure(t.Actual, share, lang), figure(t.Expected, share, lang),
			figure(t.Achievement, true, lang), queries.StatusWords[t.Status].In(lang))
	}
	tw.Flush()
}

// figure writes a number for people ("-" when there is none): a share as a
// percentage, with a decimal comma in Indonesian.
func figure(v *float64, share bool, lang string) string {
	if v == nil {
		return "-"
	}
	s := strconv.FormatFloat(*v, 'f', -1, 64)
	if share {
		s = strconv.FormatFloat(100**v, 'f', 1, 64) + "%"
	}
	if lang != "en" {
		s = strings.Replace(s, ".", ",", 1)
	}
	return s
}
