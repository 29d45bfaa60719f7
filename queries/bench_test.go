package queries_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"sync"
	"testing"
	"time"

	"pantau/queries"
	"pantau/queries/querytest"
)

// The benchmark fixture is built once per process and shared by every
// benchmark: querytest.Fill's program of 1,000,000 respondents and 50,000
// groups. Filling takes a while.
var bench struct {
	once sync.Once
	dir  string
	db   *queries.DB
	err  error
}

func benchDB(b *testing.B) *queries.DB {
	b.Helper()
	bench.once.Do(func() {
		bench.dir, bench.err = os.MkdirTemp("", "pantau-bench-")
		if bench.err != nil {
			return
		}
		bench.db, bench.err = queries.Open(context.Background(), filepath.Join(bench.dir, "bench.duckdb"))
		if bench.err == nil {
			bench.err = querytest.Fill(context.Background(), bench.db, 1_000_000, 50_000)
		}
	})
	if bench.err != nil {
		b.Fatal(bench.err)
	}
	return bench.db
}

// closeBenchDB closes and removes the fixture, if a benchmark built it.
func closeBenchDB() {
	if bench.db != nil {
		bench.db.Close()
	}
	if bench.dir != "" {
		os.RemoveAll(bench.dir)
	}
}

var benchFilters = []struct {
	name   string
	filter queries.Filter
}{
	{"all", queries.Filter{}},
	{"regions+period", queries.Filter{Regions: []string{"Kota Malang", "Kab. Jember"}, From: day("2014-10-01"), To: day("2015-03-31")}},
	{"everything", queries.Filter{Regions: []string{"Kota Malang", "Kab. Jember"}, Gender: "P", WorkType: "POS",
		From: day("2014-10-01"), To: day("2015-03-31")}},
}

// runMetrics runs one sub-benchmark per metric and filter and reports the
// median time of a call beside the mean ns/op.
func runMetrics(b *testing.B, metrics []benchMetric) {
	for _, f := range benchFilters {
		for _, m := range metrics {
			b.Run(m.name+"/"+f.name, func(b *testing.B) { reportMedian(b, func() error { return m.run(f.filter) }) })
		}
	}
}

// reportMedian runs run b.N times and reports its median time beside the mean.
func reportMedian(b *testing.B, run func() error) {
	var times []time.Duration
	for b.Loop() {
		start := time.Now()
		if err := run(); err != nil {
			b.Fatal(err)
		}
		times = append(times, time.Since(start))
	}
	slices.Sort(times)
	b.ReportMetric(float64(times[len(times)/2])/float64(time.Millisecond), "median-ms")
}

type benchMetric struct {
	name string
	run  func(queries.Filter) error
}

// BenchmarkSummary measures each metric of Summary on the sizes the
// dashboards must serve. Each should take well under 50 ms. Run it with
// go test -run '^$' -bench . -benchtime 10x ./queries/.
func BenchmarkSummary(b *testing.B) {
	db := benchDB(b)
	ctx := context.Background()
	runMetrics(b, []benchMetric{
		{"FacilitatorsByRegion", func(f queries.Filter) error { _, err := db.FacilitatorsByRegion(ctx, f); return err }},
		{"RespondentCounts", func(f queries.Filter) error { _, err := db.RespondentCounts(ctx, f); return err }},
		{"ProblemPrevalence", func(f queries.Filter) error { _, err := db.ProblemPrevalence(ctx, f); return err }},
		{"ProblemsByRegion", func(f queries.Filter) error { _, err := db.ProblemsByRegion(ctx, f); return err }},
		{"OrganizingFunnel", func(f queries.Filter) error { _, err := db.OrganizingFunnel(ctx, f); return err }},
		{"Summary", func(f queries.Filter) error { _, err := db.Summary(ctx, f); return err }},
	})
}

// BenchmarkCharts measures the chart metrics on the same fixture.
func BenchmarkCharts(b *testing.B) {
	db := benchDB(b)
	ctx := context.Background()
	runMetrics(b, []benchMetric{
		{"ProblemsByWorkType", func(f queries.Filter) error { _, err := db.ProblemsByWorkType(ctx, f); return err }},
		{"ProblemsByGender", func(f queries.Filter) error { _, err := db.ProblemsByGender(ctx, f); return err }},
		{"RespondentsByProduct", func(f queries.Filter) error { _, err := db.RespondentsByProduct(ctx, f); return err }},
		{"WagesAgainstUMK", func(f queries.Filter) error { _, err := db.WagesAgainstUMK(ctx, f); return err }},
		{"OrganizingByRegion", func(f queries.Filter) error { _, err := db.OrganizingByRegion(ctx, f); return err }},
		{"GroupsFormedByMonth", func(f queries.Filter) error { _, err := db.GroupsFormedByMonth(ctx, f); return err }},
		{"FacilitatorRoster", func(f queries.Filter) error { _, err := db.FacilitatorRoster(ctx, f); return err }},
		{"StaffByRole", func(f queries.Filter) error { _, err := db.StaffByRole(ctx, f); return err }},
	})
}

// BenchmarkProblemsDashboard measures the six figures of the /problems
// dashboard, uncached (pantau's chart cache is not in play here), computed
// from the rollups and, as the baseline, by the direct queries over the
// respondents they replaced. Run it with
// go test -run '^$' -bench ProblemsDashboard -benchtime 20x ./queries/.
func BenchmarkProblemsDashboard(b *testing.B) {
	db := benchDB(b)
	ctx := context.Background()
	runMetrics(b, []benchMetric{
		{"rollups", func(f queries.Filter) error { return db.ProblemsDashboard(ctx, b, f, false) }},
		{"direct", func(f queries.Filter) error { return db.ProblemsDashboard(ctx, b, f, true) }},
	})
}

// BenchmarkCommit commits a batch of 1,000 respondents that updates rows of
// the 1,000,000-respondent fixture (each round another version of the same
// rows: new answers, survey days and regions, so the rollups' old and new
// cells both change), and 100 new ones. Run it on its own, last: it changes
// the fixture. go test -run '^$' -bench Commit -benchtime 10x ./queries/.
func BenchmarkCommit(b *testing.B) {
	db := benchDB(b)
	ctx := context.Background()
	regions := []string{"Kota Malang", "Kab. Malang", "Kota Batu", "Kab. Jember"}
	round := 0
	for b.Loop() {
		round++
		batch, err := db.NewBatch(ctx)
		if err != nil {
			b.Fatal(err)
		}
		for i := range 1_100 {
			id := fmt.Sprintf("R%08d", i*911)
			if i >= 1_000 {
				id = fmt.Sprintf("N%03d-%07d", round, i)
			}
			r := surveyed(id, "2014-09-01", regions[(i+round)%len(regions)], "P", "POS", "YN-YN-YN-YN-"[round%3:round%3+9])
			r.SurveyDate = r.SurveyDate.AddDate(0, 0, (i+round)%365)
			r.MonthlyWage = int64(500_000 + 1_000*round + i)
			if err := batch.AddRespondent(r); err != nil {
				b.Fatal(err)
			}
		}
		sha := fmt.Sprintf("commit-bench-%d-%d", round, time.Now().UnixNano())
		if _, _, err := batch.Commit(ctx, queries.ImportMeta{FileName: "commit.xlsx", SHA256: sha, By: "bench", At: time.Now()},
			func(map[queries.Kind]queries.Counts) []queries.SheetCounts { return nil }); err != nil {
			b.Fatal(err)
		}
		batch.Close()
	}
}

// BenchmarkQuality measures the whole quality report (every flag kind,
// completeness, timeliness) uncached on the 1M fixture (goal: under 2 s).
func BenchmarkQuality(b *testing.B) {
	db := benchDB(b)
	ctx := context.Background()
	runMetrics(b, []benchMetric{
		{"Quality", func(f queries.Filter) error { _, err := db.Quality(ctx, f, nil, "en"); return err }},
	})
}

// BenchmarkBatchFlags measures what a dry run adds to find the flags a file
// would raise: Batch.Flags of 1,000 staged respondents (a tenth of them
// with outlying wages) over the 1,000,000 stored, beside the whole quality
// report of all data in the same run.
func BenchmarkBatchFlags(b *testing.B) {
	db := benchDB(b)
	ctx := context.Background()
	batch, err := db.NewBatch(ctx)
	if err != nil {
		b.Fatal(err)
	}
	defer batch.Close()
	for i := range 1000 {
		r := queries.Respondent{Row: i + 2, Key: fmt.Sprintf("staged-%d", i), ID: fmt.Sprintf("STAGED-%d", i),
			SurveyDate: time.Date(2015, 6, 1+i%28, 0, 0, 0, 0, time.UTC), Region: "Kota Batu", WorkType: "POS", MonthlyWage: 1_500_000}
		if i%10 == 0 {
			r.MonthlyWage = 90_000_000
		}
		if err := batch.AddRespondent(r); err != nil {
			b.Fatal(err)
		}
	}
	if _, err := batch.Counts(ctx); err != nil {
		b.Fatal(err)
	}
	b.Run("BatchFlags", func(b *testing.B) {
		reportMedian(b, func() error { _, _, err := batch.Flags(ctx, queries.Filter{}, "en", 1000); return err })
	})
	b.Run("Quality-all", func(b *testing.B) {
		reportMedian(b, func() error { _, err := db.Quality(ctx, queries.Filter{}, nil, "en"); return err })
	})
}
