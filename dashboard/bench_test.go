package dashboard

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"sync"
	"testing"
	"time"

	"pantau/dashboard/locale"
	"pantau/ingest"
	"pantau/queries"
	"pantau/sampledata"
)

// The benchmark database: the 2014 participants and a 1,000,000-respondent,
// 50,000-group survey from the same generator as `pantau sample`, ingested
// like any upload. Building it takes a few minutes, so it is kept in the
// temp folder and reused; bump the version when the generator or the
// schema changes.
const benchDBName = "pantau-bench-1m-50k-seed7-v1.duckdb"

var benchOnce sync.Once

func benchDB(b *testing.B) *queries.DB {
	b.Helper()
	path := filepath.Join(os.TempDir(), benchDBName)
	benchOnce.Do(func() {
		if _, err := os.Stat(path); err == nil {
			return
		}
		b.Logf("building %s (a few minutes, once)", path)
		if err := buildBenchDB(path); err != nil {
			b.Fatal(err)
		}
	})
	db, err := queries.Open(context.Background(), path)
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { db.Close() })
	return db
}

func buildBenchDB(path string) error {
	ctx := context.Background()
	tmp := path + ".building"
	os.Remove(tmp)
	os.Remove(tmp + ".wal")
	db, err := queries.Open(ctx, tmp)
	if err != nil {
		return err
	}
	defer db.Close()
	dir, err := os.MkdirTemp("", "pantau-bench-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	var peserta bytes.Buffer
	if err := sampledata.WriteParticipants(&peserta); err != nil {
		return err
	}
	survey := filepath.Join(dir, "survei.xlsx")
	f, err := os.Create(survey)
	if err != nil {
		return err
	}
	err = sampledata.WriteSurvey(f, sampledata.SurveyOptions{Respondents: 1_000_000, Groups: 50_000, Seed: 7})
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return err
	}
	opt := ingest.Options{By: "bench", DataDir: filepath.Join(dir, "data"), MaxUpload: 1 << 30}
	if r, err := ingest.Bytes(ctx, db, "peserta.xlsx", peserta.Bytes(), opt); err != nil || !r.OK {
		return fmt.Errorf("peserta: %v %+v", err, r)
	}
	if r, err := ingest.File(ctx, db, survey, opt); err != nil || !r.OK {
		return fmt.Errorf("survei: %v %d problems", err, r.ProblemCount)
	}
	if err := db.Close(); err != nil {
		return err
	}
	return os.Rename(tmp, path)
}

func benchServer(b *testing.B, db *queries.DB) *Server {
	s, err := New(Config{DB: db, Logger: slog.New(slog.NewTextHandler(io.Discard, nil)), DataDir: b.TempDir()})
	if err != nil {
		b.Fatal(err)
	}
	return s
}

// benchFilter is a typical manager's view: two regions, one survey quarter.
func benchFilter() queries.Filter {
	return queries.Filter{Regions: []string{"Kab. Jember", "Kota Malang"},
		From: time.Date(2014, 10, 1, 0, 0, 0, 0, time.UTC), To: time.Date(2014, 12, 31, 0, 0, 0, 0, time.UTC)}
}

// BenchmarkChartUncached builds every chart with an empty cache: its named
// queries on the 1M-respondent database, the go-echarts option and its JSON.
// ms/median is the median over the iterations (the target is 50 ms).
func BenchmarkChartUncached(b *testing.B) {
	db := benchDB(b)
	fig := newFigures(db)
	l := locale.Default()
	for _, filter := range []struct {
		name string
		f    queries.Filter
	}{{"all", queries.Filter{}}, {"filtered", benchFilter()}} {
		for _, def := range chartDefs {
			b.Run(filter.name+"/"+def.id, func(b *testing.B) {
				var times []time.Duration
				for b.Loop() {
					fig.cache = newResultCache(db, 4096)
					start := time.Now()
					if _, err := fig.chart(context.Background(), def.id, filter.f, "", l); err != nil {
						b.Fatal(err)
					}
					times = append(times, time.Since(start))
				}
				slices.Sort(times)
				b.ReportMetric(float64(times[len(times)/2].Microseconds())/1000, "ms/median")
			})
		}
	}
}

// BenchmarkChartCached asks for charts already in the cache (target: 1 ms).
func BenchmarkChartCached(b *testing.B) {
	db := benchDB(b)
	fig := newFigures(db)
	l := locale.Default()
	ctx := context.Background()
	for _, def := range chartDefs {
		if _, err := fig.chart(ctx, def.id, benchFilter(), "", l); err != nil {
			b.Fatal(err)
		}
	}
	b.ResetTimer()
	i := 0
	for b.Loop() {
		if _, err := fig.chart(ctx, chartDefs[i%len(chartDefs)].id, benchFilter(), "", l); err != nil {
			b.Fatal(err)
		}
		i++
	}
}

// BenchmarkLoadChartJSON is the bounded load test: the real server on a
// loopback port, 32 keep-alive connections of one logged-in viewer asking
// for chart JSON (all twelve charts, four filters, so mostly cached) for
// PANTAU_LOAD_SECONDS (default 20). It reports requests per second and the
// 99th percentile latency. It runs once whatever -benchtime says.
func BenchmarkLoadChartJSON(b *testing.B) {
	db := benchDB(b)
	s := benchServer(b, db)
	token := benchSession(b, db)
	hs := httptest.NewServer(s) // 127.0.0.1
	defer hs.Close()

	seconds := 20
	if v, err := strconv.Atoi(os.Getenv("PANTAU_LOAD_SECONDS")); err == nil && v > 0 {
		seconds = v
	}
	const conns = 32
	filters := []string{"", "region=Kab.+Jember", "gender=P", "work_type=SE&region=Kota+Malang"}
	var urls []string
	for _, def := range chartDefs {
		for _, q := range filters {
			urls = append(urls, hs.URL+withQuery("/api/v1/charts/"+def.id, q))
		}
	}
	transport := &http.Transport{MaxIdleConnsPerHost: conns, MaxConnsPerHost: conns}
	defer transport.CloseIdleConnections()
	client := &http.Client{Transport: transport, Timeout: 10 * time.Second}

	b.ResetTimer()
	deadline := time.Now().Add(time.Duration(seconds) * time.Second)
	latencies := make([][]time.Duration, conns)
	errs := make(chan error, conns)
	var wg sync.WaitGroup
	for w := range conns {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := w; time.Now().Before(deadline); i++ {
				req, _ := http.NewRequest(http.MethodGet, urls[i%len(urls)], nil)
				req.AddCookie(&http.Cookie{Name: sessionCookie, Value: token})
				start := time.Now()
				resp, err := client.Do(req)
				if err != nil {
					errs <- err
					return
				}
				_, err = io.Copy(io.Discard, resp.Body)
				resp.Body.Close()
				if err != nil || resp.StatusCode != http.StatusOK {
					errs <- fmt.Errorf("GET %s: %d %v", req.URL, resp.StatusCode, err)
					return
				}
				latencies[w] = append(latencies[w], time.Since(start))
			}
		}()
	}
	wg.Wait()
	b.StopTimer()
	close(errs)
	for err := range errs {
		b.Fatal(err)
	}
	all := slices.Concat(latencies...)
	slices.Sort(all)
	b.ReportMetric(float64(len(all))/float64(seconds), "req/s")
	b.ReportMetric(float64(all[len(all)*99/100].Microseconds())/1000, "p99-ms")
	b.ReportMetric(float64(all[len(all)/2].Microseconds())/1000, "p50-ms")
}
