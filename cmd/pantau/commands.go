package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"pantau/dashboard/locale"
	"pantau/dashboard/report"
	"pantau/ingest"
	"pantau/queries"
	"pantau/sampledata"
)

// flags is a command's flag set plus the flags every database command shares.
type flags struct {
	*flag.FlagSet
	db, data string
	json     bool
	limits   queries.Limits // what the database is opened with; the zero value is DuckDB's defaults
}

func (env *environment) newFlags(name, args string) *flags {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(env.stderr)
	fs.Usage = func() {
		fmt.Fprintf(env.stderr, "Usage: pantau %s %s\n", name, args)
		fs.PrintDefaults()
	}
	return &flags{FlagSet: fs}
}

// withDB adds --db and --data, defaulting from PANTAU_DB and PANTAU_DATA.
func (f *flags) withDB(env *environment) *flags {
	f.StringVar(&f.db, "db", envOr(env.getenv, "PANTAU_DB", "pantau.duckdb"), "DuckDB database file (env PANTAU_DB)")
	f.StringVar(&f.data, "data", envOr(env.getenv, "PANTAU_DATA", "pantau-data"), "folder keeping uploaded files (env PANTAU_DATA)")
	return f
}

func (f *flags) withJSON() *flags {
	f.BoolVar(&f.json, "json", false, "print machine-readable JSON")
	return f
}

// parse parses flags placed anywhere among the arguments ("ingest a.xlsx --json")
// and returns the positional ones.
func (f *flags) parse(args []string) ([]string, error) {
	var positional []string
	for {
		if err := f.Parse(args); err != nil {
			if errors.Is(err, flag.ErrHelp) {
				return nil, exitError{code: 0}
			}
			return nil, usageError("%s: %v", f.Name(), err)
		}
		if f.NArg() == 0 {
			return positional, nil
		}
		positional = append(positional, f.Arg(0))
		args = f.Args()[1:]
	}
}

// parseOne is parse for a command that takes exactly one positional
// argument, a what.
func (f *flags) parseOne(args []string, what string) (string, error) {
	pos, err := f.parse(args)
	if err != nil {
		return "", err
	}
	if len(pos) != 1 {
		f.Usage()
		return "", usageError("%s: give exactly one %s", f.Name(), what)
	}
	return pos[0], nil
}

func envOr(getenv func(string) string, key, def string) string {
	if v := getenv(key); v != "" {
		return v
	}
	return def
}

// openDB opens the database of --db; done closes it. Run by a server for a
// command sent through its socket, it is the server's open database (and
// its data folder), which done leaves open. When another process holds the
// file, the error is a heldError for a command the server can run, else it
// says to stop the server first.
func (env *environment) openDB(ctx context.Context, f *flags) (db *queries.DB, done func(), err error) {
	if env.served != nil {
		f.data = env.served.data
		return env.served.db, func() {}, nil
	}
	if f.limits.TempDir != "" {
		if err := os.MkdirAll(f.data, 0o700); err != nil {
			return nil, nil, exitError{code: 2, msg: err.Error()}
		}
	}
	db, err = queries.OpenLimited(ctx, f.db, f.limits)
	switch {
	case errors.Is(err, queries.ErrLocked) && env.forwardable:
		return nil, nil, heldError{db: f.db, data: f.data}
	case errors.Is(err, queries.ErrLocked):
		return nil, nil, exitError{code: 2, msg: fmt.Sprintf("%s is in use by another process (a running pantau server, or another pantau command): "+
			"stop the server first", f.db)}
	case err != nil:
		return nil, nil, exitError{code: 2, msg: err.Error()}
	}
	if err := ingest.CodeRegions(ctx, db); err != nil { // once, for a database from before the catalogue
		db.Close()
		return nil, nil, exitError{code: 2, msg: err.Error()}
	}
	db.CheckAreasWith(ingest.UnknownArea)
	removed, err := ingest.TidyDataDir(ctx, db, f.data)
	if err != nil {
		db.Close()
		return nil, nil, exitError{code: 2, msg: err.Error()}
	}
	if len(removed) > 0 {
		fmt.Fprintf(env.stderr, "pantau: removed %d file(s) from %s that no import names (left by an interrupted import)\n", len(removed), f.data)
	}
	return db, func() { db.Close() }, nil
}

// path is a path named on the command line, resolved against the folder
// the command was given in (the client's, when a server runs it).
func (env *environment) path(p string) string {
	if env.dir == "" || filepath.IsAbs(p) {
		return p
	}
	return filepath.Join(env.dir, p)
}

func (env *environment) printJSON(v any) error {
	enc := json.NewEncoder(env.stdout)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}

func (env *environment) ingest(ctx context.Context, args []string) error {
	f := env.newFlags("ingest", "[--dry-run] [--json] [--quiet] [--lang id|en] FILE...").withDB(env).withJSON()
	dryRun := f.Bool("dry-run", false, "validate and report what would change; store nothing")
	quiet := f.Bool("quiet", false, "show no progress bar (one is drawn on stderr only when it is a terminal)")
	lang := f.String("lang", "id", "language of messages: id (Bahasa Indonesia) or en")
	maxUpload := f.Int64("max-upload", ingest.DefaultMaxUpload, "largest file accepted, in bytes")
	memory := f.Int64("memory-limit", ingest.DefaultMemoryLimit, "DuckDB's memory limit while ingesting, in bytes (it spills the rest to DATA/.spill); 0 is DuckDB's default, 80% of the RAM")
	files, err := f.parse(args)
	if err != nil {
		return err
	}
	if *memory != 0 && *memory < ingest.MinMemoryLimit {
		return usageError("ingest: --memory-limit must be 0 (DuckDB's default) or at least %d bytes (%s), not %d",
			ingest.MinMemoryLimit, ingest.ByteSize(ingest.MinMemoryLimit), *memory)
	}
	f.limits = ingest.DatabaseLimits(f.data, *memory)
	defer ingest.BoundMemory()()
	if len(files) == 0 {
		f.Usage()
		return usageError("ingest: no file given")
	}
	l, ok := locale.Get(*lang)
	if !ok {
		return usageError("ingest: --lang must be id or en, not %q", *lang)
	}
	db, done, err := env.openDB(ctx, f)
	if err != nil {
		return err
	}
	defer done()

	opt := ingest.Options{DryRun: *dryRun, By: "cli", DataDir: f.data, MaxUpload: *maxUpload, Dir: env.dir}
	out := struct {
		OK    bool             `json:"ok"`
		Files []*ingest.Report `json:"files"`
	}{OK: true}
	for _, file := range files {
		view := newProgressView(env.stderr, file, *lang, *quiet)
		opt.Progress = view.Update
		r, err := ingest.File(ctx, db, file, opt)
		view.Done()
		if err != nil {
			return exitError{code: 2, msg: err.Error()}
		}
		r.Localize(*lang)
		out.OK = out.OK && r.OK
		out.Files = append(out.Files, r)
		if !f.json {
			printReport(env.stdout, r, l)
		}
	}
	if f.json {
		if err := env.printJSON(out); err != nil {
			return err
		}
	}
	if !out.OK {
		return refused
	}
	return nil
}

// printReport writes an ingest report for people, in l's language.
func printReport(w io.Writer, r *ingest.Report, l *locale.Locale) {
	switch {
	case r.IdenticalTo != 0:
		fmt.Fprintln(w, l.T("cli.identical", r.File, r.IdenticalTo))
		return
	case !r.OK:
		fmt.Fprintln(w, l.T("cli.refused", r.File, r.ErrorCount))
	case r.DryRun:
		fmt.Fprintln(w, l.T("cli.dry_run", r.File))
	default:
		fmt.Fprintln(w, l.T("cli.committed", r.File, *r.ImportID))
	}
	if len(r.Sheets) > 0 {
		tw := tabwriter.NewWriter(w, 2, 4, 2, ' ', tabwriter.AlignRight)
		fmt.Fprintf(tw, "\t%s\t%s\t%s\t%s\t%s\t%s\t\n", l.T("cli.sheet"), l.T("cli.rows"), l.T("cli.new"),
			l.T("cli.updated"), l.T("cli.unchanged"), l.T("cli.skipped"))
		for _, s := range r.Sheets {
			fmt.Fprintf(tw, "\t%s\t%d\t%d\t%d\t%d\t%d\t\n", s.Sheet, s.Rows, s.New, s.Updated, s.Unchanged, s.Skipped)
		}
		tw.Flush()
	}
	if len(r.IgnoredSheets) > 0 {
		fmt.Fprintf(w, "  %s: %s\n", l.T("cli.ignored_sheets"), strings.Join(r.IgnoredSheets, ", "))
	}
	for _, s := range r.Sheets {
		if len(s.IgnoredColumns) > 0 {
			fmt.Fprintf(w, "  %s %s: %s\n", l.T("cli.ignored_columns"), s.Sheet, strings.Join(s.IgnoredColumns, ", "))
		}
	}
	for _, p := range r.Problems {
		where := p.Where()
		if where == "" {
			where = r.File
		}
		label := l.T("cli.error")
		if p.Severity == ingest.SeverityWarning {
			label = l.T("cli.warning")
		}
		fmt.Fprintf(w, "  %s %s: %s\n", label, where, p.Message)
	}
	if more := r.ProblemCount - len(r.Problems); more > 0 {
		fmt.Fprintln(w, "  "+l.T("cli.more", more))
	}
	for _, fl := range r.Flags {
		where := fmt.Sprintf("%s!%d", fl.Sheet, fl.Row)
		if fl.ImportID != 0 {
			where = fmt.Sprintf("#%d %s", fl.ImportID, where)
		}
		fmt.Fprintf(w, "  %s %s %s: %s\n", l.T("cli.flag"), fl.Kind, where, fl.Message)
	}
	if more := r.FlagCount - len(r.Flags); more > 0 {
		fmt.Fprintln(w, "  "+l.T("cli.more_flags", more))
	}
}

func (env *environment) imports(ctx context.Context, args []string) error {
	f := env.newFlags("imports", "[--json]").withDB(env).withJSON()
	if _, err := f.parse(args); err != nil {
		return err
	}
	db, done, err := env.openDB(ctx, f)
	if err != nil {
		return err
	}
	defer done()
	list, err := db.Imports(ctx)
	if err != nil {
		return exitError{code: 2, msg: err.Error()}
	}
	if f.json {
		if list == nil {
			list = []queries.Import{}
		}
		return env.printJSON(map[string]any{"imports": list})
	}
	tw := tabwriter.NewWriter(env.stdout, 2, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "ID\tSTATUS\tAT\tBY\tFILE\tSIZE\tSHEETS")
	for _, im := range list {
		var sheets []string
		for _, s := range im.Sheets {
			sheets = append(sheets, fmt.Sprintf("%s %d (+%d ~%d =%d)", s.Sheet, s.Rows, s.New, s.Updated, s.Unchanged))
		}
		fmt.Fprintf(tw, "%d\t%s\t%s\t%s\t%s\t%d\t%s\n", im.ID, im.Status, im.At.Local().Format("2006-01-02 15:04"),
			im.By, im.FileName, im.Size, strings.Join(sheets, ", "))
	}
	return tw.Flush()
}

func (env *environment) undo(ctx context.Context, args []string) error {
	f := env.newFlags("undo", "ID").withDB(env)
	arg, err := f.parseOne(args, "import ID")
	if err != nil {
		return err
	}
	id, err := strconv.ParseInt(arg, 10, 64)
	if err != nil {
		return usageError("undo: %q is not an import ID", arg)
	}
	db, done, err := env.openDB(ctx, f)
	if err != nil {
		return err
	}
	defer done()
	if err := db.Undo(ctx, id, "cli"); err != nil {
		switch queries.ErrorCode(err) {
		case queries.ENOTFOUND, queries.ECONFLICT:
			return exitError{code: 1, msg: err.Error()}
		}
		return exitError{code: 2, msg: err.Error()}
	}
	fmt.Fprintf(env.stdout, "import %d undone\n", id)
	return nil
}

// stringList is a repeatable flag.
type stringList []string

func (s *stringList) String() string     { return strings.Join(*s, ",") }
func (s *stringList) Set(v string) error { *s = append(*s, v); return nil }

// filterUsage is the usage of the filter flags summary and export share.
const filterUsage = "[--region R]... [--gender P|L] [--work-type POS|SE] [--from YYYY-MM-DD] [--to YYYY-MM-DD]"

// filterFlags are the dashboard's filter as flags, for summary and export.
type filterFlags struct {
	regions                    stringList
	gender, workType, from, to *string
}

// withFilter adds the filter flags; read them with filter after parse.
func (f *flags) withFilter() *filterFlags {
	ff := &filterFlags{}
	f.Var(&ff.regions, "region", "count only this region (repeatable)")
	ff.gender = f.String("gender", "", "P or L")
	ff.workType = f.String("work-type", "", "POS or SE")
	ff.from = f.String("from", "", "first survey day, YYYY-MM-DD")
	ff.to = f.String("to", "", "last survey day, YYYY-MM-DD")
	return ff
}

// filter reads the parsed flags as the dashboard reads its query string;
// a bad value is a usage error of the command.
func (ff *filterFlags) filter(command string) (queries.Filter, error) {
	filter, err := ingest.ParseFilter(ff.regions, *ff.gender, *ff.workType, *ff.from, *ff.to)
	if err != nil {
		return filter, usageError("%s: %v", command, err)
	}
	return filter, nil
}

// compareFlag is the --compare flag of summary and export: the earlier
// period to compare the filter's with.
func (f *flags) compareFlag() *string {
	return f.String("compare", "", "compare with the previous period or the same period a year earlier: previous|year (needs --from and --to)")
}

// compareMode reads --compare; a comparison needs a whole period.
func compareMode(command, raw string, filter queries.Filter) (string, error) {
	mode, err := queries.ParseCompare(raw)
	if err == nil && mode != "" {
		_, err = queries.EarlierFilter(filter, mode)
	}
	if err != nil {
		return "", usageError("%s: %v", command, err)
	}
	return mode, nil
}

func (env *environment) summary(ctx context.Context, args []string) error {
	f := env.newFlags("summary", "[--json] [--compare previous|year] "+filterUsage).withDB(env).withJSON()
	cmp := f.compareFlag()
	ff := f.withFilter()
	if _, err := f.parse(args); err != nil {
		return err
	}
	filter, err := ff.filter("summary")
	if err != nil {
		return err
	}
	mode, err := compareMode("summary", *cmp, filter)
	if err != nil {
		return err
	}
	db, done, err := env.openDB(ctx, f)
	if err != nil {
		return err
	}
	defer done()
	s, err := db.SummaryCompared(ctx, filter, mode)
	if err != nil {
		return exitError{code: 2, msg: err.Error()}
	}
	if f.json {
		return env.printJSON(s)
	}
	printSummary(env.stdout, s)
	return nil
}

// export writes the summary workbook the dashboard's download gives for
// the same filter.
func (env *environment) export(ctx context.Context, args []string) error {
	f := env.newFlags("export", "--out FILE [--lang id|en] [--compare previous|year] [--as-of YYYY-MM-DD] "+filterUsage).withDB(env)
	out := f.String("out", "", "the .xlsx file to write")
	lang := f.String("lang", "id", "language of the labels: id (Bahasa Indonesia) or en")
	cmp := f.compareFlag()
	asOf := f.String("as-of", "", "the targets' as-of date, YYYY-MM-DD (default today)")
	ff := f.withFilter()
	if _, err := f.parse(args); err != nil {
		return err
	}
	if *out == "" {
		f.Usage()
		return usageError("export: --out FILE is required")
	}
	l, ok := locale.Get(*lang)
	if !ok {
		return usageError("export: --lang must be id or en, not %q", *lang)
	}
	filter, err := ff.filter("export")
	if err != nil {
		return err
	}
	mode, err := compareMode("export", *cmp, filter)
	if err != nil {
		return err
	}
	day, err := ingest.ParseAsOf(*asOf, time.Now())
	if err != nil {
		return usageError("export: %v", err)
	}
	db, done, err := env.openDB(ctx, f)
	if err != nil {
		return err
	}
	defer done()
	r, err := db.Report(ctx, filter, queries.ReportOptions{Compare: mode, AsOf: day})
	if err != nil {
		return exitError{code: 2, msg: err.Error()}
	}
	err = writeFile(env.path(*out), 0o644, func(w io.Writer) error {
		return report.WriteWorkbook(w, r, l, time.Now())
	})
	if err != nil {
		return exitError{code: 2, msg: err.Error()}
	}
	fmt.Fprintf(env.stdout, "wrote %s\n", *out)
	return nil
}

func printSummary(w io.Writer, s *queries.Summary) {
	fc := s.Facilitators
	fmt.Fprintf(w, "Fasilitator lapang: %d (P %d, L %d, tidak diketahui %d)\n", fc.Total, fc.Female, fc.Male, fc.Unknown)
	tw := tabwriter.NewWriter(w, 2, 4, 2, ' ', 0)
	for _, r := range fc.ByRegion {
		fmt.Fprintf(tw, "  %s\tP %d\tL %d\t? %d\t= %d\n", r.Region, r.Female, r.Male, r.Unknown, r.Total)
	}
	tw.Flush()
	rs := s.Respondents
	fmt.Fprintf(w, "Responden: %d (POS %d, SE %d)\n", rs.Total, rs.ByWorkType.POS, rs.ByWorkType.SE)
	fmt.Fprintln(w, "Masalah (ya / dijawab):")
	for _, p := range s.Problems {
		share := "-"
		if p.Share != nil {
			share = strings.Replace(fmt.Sprintf("%.1f%%", 100**p.Share), ".", ",", 1) // id-ID: 77,1%
		}
		fmt.Fprintf(tw, "  %s) %s\t%d / %d\t%s\n", p.Code, p.Label, p.Yes, p.Answered, share)
	}
	tw.Flush()
	o := s.Organizing
	fmt.Fprintf(w, "Kelompok: %d, anggota %d\n", o.Groups, o.Members)
	for _, st := range o.Funnel {
		fmt.Fprintf(tw, "  %d. %s\t%d\n", st.Stage, st.Name, st.Groups)
	}
	tw.Flush()
	if c := s.Compare; c != nil {
		e := c.Summary
		fmt.Fprintf(w, "Dibandingkan dengan %s s.d. %s:\n", c.Filter.From.Format(time.DateOnly), c.Filter.To.Format(time.DateOnly))
		for _, row := range []struct {
			label       string
			now, before int
		}{
			{"Responden", rs.Total, e.Respondents.Total},
			{"Kelompok", o.Groups, e.Organizing.Groups},
			{"Anggota", o.Members, e.Organizing.Members},
		} {
			fmt.Fprintf(tw, "  %s\t%d\tsebelumnya %d\t%+d\n", row.label, row.now, row.before, row.now-row.before)
		}
		tw.Flush()
	}
}

func (env *environment) sample(args []string) error {
	f := env.newFlags("sample", "--out DIR [--respondents N] [--groups M] [--seed S] [--clean]")
	def := sampledata.DefaultSurveyOptions()
	out := f.String("out", "", "folder to write peserta.xlsx, survei.xlsx and target.xlsx into")
	respondents := f.Int("respondents", def.Respondents, "respondents in the survey")
	groups := f.Int("groups", def.Groups, "groups in the organizing log")
	seed := f.Int64("seed", def.Seed, "random seed; the same seed gives the same files")
	clean := f.Bool("clean", false, "a survey without the planted data quality flaws")
	if _, err := f.parse(args); err != nil {
		return err
	}
	if *out == "" || *respondents < 0 || *groups < 0 {
		f.Usage()
		return usageError("sample: --out is required and counts cannot be negative")
	}
	if err := os.MkdirAll(*out, 0o755); err != nil {
		return exitError{code: 2, msg: err.Error()}
	}
	err := writeFile(filepath.Join(*out, "peserta.xlsx"), 0o644, sampledata.WriteParticipants)
	if err == nil {
		err = writeFile(filepath.Join(*out, "survei.xlsx"), 0o644, func(w io.Writer) error {
			return sampledata.WriteSurvey(w, sampledata.SurveyOptions{Respondents: *respondents, Groups: *groups, Seed: *seed, Flaws: !*clean})
		})
	}
	if err == nil {
		err = writeFile(filepath.Join(*out, "target.xlsx"), 0o644, sampledata.WriteTargets)
	}
	if err != nil {
		return exitError{code: 2, msg: err.Error()}
	}
	fmt.Fprintf(env.stdout, "wrote %s, %s and %s\n",
		filepath.Join(*out, "peserta.xlsx"), filepath.Join(*out, "survei.xlsx"), filepath.Join(*out, "target.xlsx"))
	return nil
}

func (env *environment) template(args []string) error {
	f := env.newFlags("template", "--kind peserta|survei|target --out FILE")
	kind := f.String("kind", "", "peserta, survei or target")
	out := f.String("out", "", "the .xlsx file to write")
	if _, err := f.parse(args); err != nil {
		return err
	}
	if (*kind != "peserta" && *kind != "survei" && *kind != "target") || *out == "" {
		f.Usage()
		return usageError("template: --kind peserta|survei|target and --out FILE are required")
	}
	if err := writeFile(*out, 0o644, func(w io.Writer) error { return ingest.WriteTemplate(w, *kind) }); err != nil {
		return exitError{code: 2, msg: err.Error()}
	}
	fmt.Fprintf(env.stdout, "wrote %s\n", *out)
	return nil
}

// writeFile writes path with the permissions perm through a temporary file,
// so a failure leaves no half file.
func writeFile(path string, perm os.FileMode, write func(io.Writer) error) error {
	tmp, err := os.CreateTemp(filepath.Dir(path), ".pantau-*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	if err := write(tmp); err != nil {
		tmp.Close()
		return fmt.Errorf("write %s: %w", path, err)
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	if err := os.Chmod(tmp.Name(), perm); err != nil { // CreateTemp makes it private
		return err
	}
	return os.Rename(tmp.Name(), path)
}
