package dashboard

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"pantau/queries"
	"pantau/queries/querytest"
)

// benchSize is a synthetic program built through the batch API
// (querytest.Fill): a workbook cannot hold ten million respondents.
type benchSize struct {
	name        string
	respondents int
}

var benchSizes = []benchSize{{"100k", 100_000}, {"1M", 1_000_000}, {"10M", 10_000_000}}

// scalingSizes are the sizes PANTAU_BENCH_SIZES names (make bench: all of
// them); by default only the smallest, which builds in seconds, so that
// `make test` runs the benchmark once without building the big ones.
func scalingSizes() []benchSize {
	names := strings.Split(os.Getenv("PANTAU_BENCH_SIZES"), ",")
	var sizes []benchSize
	for _, s := range benchSizes {
		if slices.ContainsFunc(names, func(n string) bool { return strings.EqualFold(strings.TrimSpace(n), s.name) }) {
			sizes = append(sizes, s)
		}
	}
	if len(sizes) == 0 {
		sizes = benchSizes[:1]
	}
	return sizes
}

var synthBuild sync.Mutex

// synthDB opens the database of size, building it in the temp folder the
// first time (10M takes a while) and keeping it for later runs. Bump the
// version in the name when querytest.Fill or the schema changes.
func synthDB(b *testing.B, size benchSize) *queries.DB {
	b.Helper()
	path := filepath.Join(os.TempDir(), fmt.Sprintf("pantau-bench-synth-%d-v1.duckdb", size.respondents))
	synthBuild.Lock()
	defer synthBuild.Unlock()
	ctx := context.Background()
	if _, err := os.Stat(path); err != nil {
		b.Logf("building %s (once)", path)
		tmp := path + ".building"
		os.Remove(tmp)
		os.Remove(tmp + ".wal")
		db, err := queries.Open(ctx, tmp)
		if err != nil {
			b.Fatal(err)
		}
		err = querytest.Fill(ctx, db, size.respondents, size.respondents/20)
		if cerr := db.Close(); err == nil {
			err = cerr
		}
		if err == nil {
			err = os.Rename(tmp, path)
		}
		if err != nil {
			b.Fatal(err)
		}
	}
	db, err := queries.Open(ctx, path)
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { db.Close() })
	return db
}

// benchSession logs a viewer in for the benchmarks' requests.
func benchSession(b *testing.B, db *queries.DB) string {
	ctx := context.Background()
	if err := db.AddUser(ctx, "load", queries.Viewer, "kopi zebra hujan sore"); err != nil && queries.ErrorCode(err) != queries.ECONFLICT {
		b.Fatal(err)
	}
	token, _, err := db.CreateSession(ctx, "load", "", time.Now(), time.Hour)
	if err != nil {
		b.Fatal(err)
	}
	return token
}

// BenchmarkDashboardUncached is what a manager waits for on a filter nobody
// asked for before: the overview, /problems and /organizing pages with an
// empty cache, each followed by its charts' JSON as the browser fetches
// them, served in-process. ms/median is the median over the iterations (the
// goals: under 20 ms at 1M respondents, under 40 ms at 10M); cpu-ms/median
// the CPU time of the process (every thread, DuckDB's too) meanwhile, which
// other work on a shared machine inflates less than the wall time. Run
// PANTAU_BENCH_SIZES=100k,1M,10M go test -run '^$' -bench DashboardUncached -benchtime 10x ./dashboard/.
func BenchmarkDashboardUncached(b *testing.B) {
	for _, size := range scalingSizes() {
		db := synthDB(b, size)
		s := benchServer(b, db)
		token := benchSession(b, db)
		get := func(url string) {
			rec := httptest.NewRecorder()
			req := httptest.NewRequest(http.MethodGet, url, nil)
			req.AddCookie(&http.Cookie{Name: sessionCookie, Value: token})
			s.ServeHTTP(rec, req)
			if rec.Code != http.StatusOK {
				b.Fatalf("GET %s: %d %s", url, rec.Code, rec.Body)
			}
		}
		for _, sec := range sections {
			if sec.Key == "facilitators" {
				continue // people, not respondents: a few hundred rows at any size
			}
			for _, filter := range []struct{ name, query string }{{"all", ""}, {"filtered", filterQuery(benchFilter()).Encode()}} {
				b.Run(size.name+"/"+sec.Key+"/"+filter.name, func(b *testing.B) {
					var times, cpu []time.Duration
					for b.Loop() {
						s.figures.cache = newResultCache(db, 4096)
						start, startCPU := time.Now(), processCPU(b)
						get(withQuery(sec.Path, filter.query))
						for _, id := range sec.Charts {
							get(withQuery("/api/v1/charts/"+id, filter.query))
						}
						times, cpu = append(times, time.Since(start)), append(cpu, processCPU(b)-startCPU)
					}
					b.ReportMetric(median(times), "ms/median")
					b.ReportMetric(median(cpu), "cpu-ms/median")
				})
			}
		}
	}
}

// processCPU is the CPU time the process has used, user and system, in all
// its threads.
func processCPU(b *testing.B) time.Duration {
	var u syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &u); err != nil {
		b.Fatal(err)
	}
	return time.Duration(u.Utime.Nano() + u.Stime.Nano())
}

// median is the median of times, in milliseconds.
func median(times []time.Duration) float64 {
	slices.Sort(times)
	return float64(times[len(times)/2].Microseconds()) / 1000
}
