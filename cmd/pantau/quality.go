package main

import (
	"context"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"
	"time"

	"pantau/queries"
)

// quality prints the data quality report of a filter: the same JSON as
// GET /api/v1/quality, or counts and the open flags for people. `quality
// check KIND KEY --note TEXT` marks one flag checked.
func (env *environment) quality(ctx context.Context, args []string) error {
	if len(args) > 0 && args[0] == "check" {
		return env.checkFlag(ctx, args[1:])
	}
	f := env.newFlags("quality", "[--json] [--kind K]... [--lang id|en] "+filterUsage+"\n       pantau quality check KIND KEY --note TEXT").withDB(env).withJSON()
	var kinds stringList
	f.Var(&kinds, "kind", "list only flags of this kind (repeatable): "+strings.Join(queries.FlagKinds, ", "))
	lang := f.String("lang", "id", "language of the messages: id (Bahasa Indonesia) or en")
	ff := f.withFilter()
	if _, err := f.parse(args); err != nil {
		return err
	}
	if *lang != "id" && *lang != "en" {
		return usageError("quality: --lang must be id or en, not %q", *lang)
	}
	filter, err := ff.filter("quality")
	if err != nil {
		return err
	}
	db, done, err := env.openDB(ctx, f)
	if err != nil {
		return err
	}
	defer done()
	r, err := db.Quality(ctx, filter, kinds, *lang)
	if m, ok := queries.MessageOf(err); ok && queries.ErrorCode(err) == queries.EINVALID {
		return usageError("quality: %s", m.In(*lang))
	} else if err != nil {
		return exitError{code: 2, msg: err.Error()}
	}
	if f.json {
		return env.printJSON(r)
	}
	printQuality(env.stdout, r, *lang)
	return nil
}

func (env *environment) checkFlag(ctx context.Context, args []string) error {
	f := env.newFlags("quality check", "KIND KEY --note TEXT").withDB(env)
	note := f.String("note", "", "what was checked (required)")
	positional, err := f.parse(args)
	if err != nil {
		return err
	}
	if len(positional) != 2 {
		return usageError("quality check: give KIND and KEY (the flag's key, as `pantau quality` prints it)")
	}
	db, done, err := env.openDB(ctx, f)
	if err != nil {
		return err
	}
	defer done()
	err = db.CheckFlag(ctx, queries.Filter{}, positional[0], positional[1], *note, "cli", time.Now())
	if m, ok := queries.MessageOf(err); ok {
		return exitError{code: 1, msg: "quality check: " + m.EN}
	} else if err != nil {
		return exitError{code: 2, msg: err.Error()}
	}
	fmt.Fprintf(env.stdout, "%s %s checked\n", positional[0], positional[1])
	return nil
}

var qualityHeaders = []queries.Message{
	{ID: "Jenis", EN: "Kind"}, {ID: "Wilayah", EN: "Region"}, {ID: "Kunci", EN: "Key"},
	{ID: "Sel", EN: "Cell"}, {ID: "Impor", EN: "Import"}, {ID: "Keterangan", EN: "Why"},
}

func printQuality(w io.Writer, r *queries.QualityReport, lang string) {
	fmt.Fprintln(w, queries.Message{ID: "Temuan terbuka per jenis:", EN: "Open flags per kind:"}.In(lang))
	for _, kind := range queries.FlagKinds {
		fmt.Fprintf(w, "  %-20s %d\n", kind, r.Counts[kind])
	}
	tw := tabwriter.NewWriter(w, 2, 4, 2, ' ', 0)
	var head []string
	for _, h := range qualityHeaders {
		head = append(head, h.In(lang))
	}
	fmt.Fprintln(tw, strings.Join(head, "\t"))
	for _, fl := range r.Flags {
		if fl.Checked {
			continue
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s!%d\t#%d\t%s\n", fl.Kind, fl.Region, fl.Key, fl.Sheet, fl.Row, fl.ImportID, fl.Message)
	}
	tw.Flush()
	t := r.Timeliness
	fmt.Fprintln(w, queries.Msgf("Terlambat (diimpor lebih dari %d hari setelah bulan survei): %d dari %d baris",
		"Late (imported more than %d days after the survey month): %d of %d rows", t.LateAfterDays, t.Late, t.Rows).In(lang))
}
