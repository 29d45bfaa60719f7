package dashboard_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"reflect"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"pantau/dashboard"
	"pantau/ingest"
	"pantau/queries"
	"pantau/queries/querytest"
	"pantau/sampledata"
)

// ccyPaths are what the readers ask for while the uploads commit: the
// summary under three filters, and charts over every kind of row.
var ccyPaths = []string{
	"/api/v1/summary",
	"/api/v1/summary?gender=L",
	"/api/v1/summary?region=Kab.+Malang&region=Kota+Surabaya&work_type=POS",
	"/api/v1/charts/problems-by-region",
	"/api/v1/charts/wage-vs-umk?gender=P",
	"/api/v1/charts/respondents-by-product",
	"/api/v1/charts/groups-by-region-stage",
	"/api/v1/charts/members-by-region?region=Kab.+Jember",
	"/api/v1/charts/facilitators-by-region",
}

// ccySurveys are the concurrent uploads. The generator numbers respondents
// R-0000001.. and groups KLP-0001.. whatever the seed, so the files share
// their respondents and first 15 groups with different answers and stages:
// which one commits last decides those rows. They are the same size, so that
// no file is reliably checked first and the order of the commits is a race.
var ccySurveys = []sampledata.SurveyOptions{
	{Seed: 11, Respondents: 300, Groups: 20},
	{Seed: 12, Respondents: 300, Groups: 30},
	{Seed: 13, Respondents: 300, Groups: 15},
	{Seed: 14, Respondents: 300, Groups: 25},
}

const (
	ccyReaders    = 4
	ccyReadBudget = 3200 // of the server's maxTestRequests, for the readers
)

func ccySHA(data []byte) string {
	sum := sha256.Sum256(data)
	return hex.EncodeToString(sum[:])
}

// ccySeen is one reader's response: which path, and the digest of its body.
type ccySeen struct {
	path   int
	digest [32]byte
	at     time.Duration // since the readers started
}

// ccyReader is one reader goroutine's record.
type ccyReader struct {
	seen   []ccySeen
	bodies map[[32]byte]string
	err    error // the first failed request
}

// TestConcurrentUploadsAndReads commits several overlapping surveys through
// the upload pages at once while viewers read the dashboards. Every response
// a reader got must be the dashboards after some number of the imports,
// applied one by one in the order they were committed (never a mix, never an
// older state after a newer one), and afterwards the database must hold
// exactly what importing the same files one by one into a fresh database
// gives: the same current and version tables and the same counts per sheet.
func TestConcurrentUploadsAndReads(t *testing.T) {
	env := newTestEnv(t, envOptions{config: func(c *dashboard.Config) {
		c.UploadWorkers = len(ccySurveys) // every commit at once, queued on the write lock
		c.LoginPerUser, c.LoginPerAddress = 50, 100
	}})
	ctx := context.Background()
	start := time.Now()

	participants := uploadFile{"peserta.xlsx", participantBytes(t)}
	var files []uploadFile
	for i, opt := range ccySurveys {
		var buf bytes.Buffer
		if err := sampledata.WriteSurvey(&buf, opt); err != nil {
			t.Fatal(err)
		}
		files = append(files, uploadFile{fmt.Sprintf("survei-%c.xlsx", 'a'+i), buf.Bytes()})
	}

	// The participants first: the surveys' facilitators are among them.
	first := env.login("uploader")
	_, page, _ := env.upload(first, env.csrfFrom(first, "/uploads"), uploadFile{participants.name, participants.data})
	if st := env.waitUpload(first, page); st != "ready" {
		t.Fatalf("participants: %q, want ready", st)
	}
	env.post(first, page+"/commit", url.Values{"_csrf": {env.csrfFrom(first, "/uploads")}})
	if st := env.waitUpload(first, page); st != "committed" {
		t.Fatalf("participants: %q, want committed", st)
	}

	uploaders := make([]*http.Client, len(files))
	tokens := make([]string, len(files))
	for i := range files {
		name := fmt.Sprintf("up%d", i+1)
		if err := env.DB.AddUser(ctx, name, queries.Uploader, testPassword); err != nil {
			t.Fatal(err)
		}
		uploaders[i] = env.login(name)
		tokens[i] = env.csrfFrom(uploaders[i], "/uploads")
	}
	readers := make([]*http.Client, ccyReaders)
	for i := range readers {
		readers[i] = env.login("viewer")
	}

	// The readers: slowly while the files are checked, as fast as they can
	// while they commit, until the commits are done or their budget is spent.
	var (
		stop, committing = make(chan struct{}), atomic.Bool{}
		budget           atomic.Int64
		readerWG         sync.WaitGroup
		records          = make([]*ccyReader, ccyReaders)
	)
	budget.Store(ccyReadBudget)
	readStart := time.Now()
	for i, c := range readers {
		rec := &ccyReader{bodies: map[[32]byte]string{}}
		records[i] = rec
		readerWG.Add(1)
		go func() {
			defer readerWG.Done()
			for n := i; ; n++ {
				select {
				case <-stop:
					return
				default:
				}
				if budget.Add(-1) < 0 {
					return
				}
				p := n % len(ccyPaths)
				status, body, err := ccyGet(c, env.URL+ccyPaths[p])
				if err == nil && status != http.StatusOK {
					err = fmt.Errorf("status %d: %.300s", status, body)
				}
				if err != nil {
					rec.err = fmt.Errorf("GET %s: %w", ccyPaths[p], err)
					return
				}
				d := sha256.Sum256([]byte(body))
				if _, ok := rec.bodies[d]; !ok {
					rec.bodies[d] = body
				}
				rec.seen = append(rec.seen, ccySeen{p, d, time.Since(readStart)})
				if committing.Load() {
					time.Sleep(time.Millisecond)
				} else {
					time.Sleep(20 * time.Millisecond)
				}
			}
		}()
	}

	// The uploaders: each sends its file and waits for the check; once all
	// are ready they all press Impor at once.
	var (
		readyWG, uploadWG sync.WaitGroup
		goCommit          = make(chan struct{})
		uploadErrs        = make([]error, len(files))
	)
	readyWG.Add(len(files))
	uploadWG.Add(len(files))
	for i, f := range files {
		go func() {
			defer uploadWG.Done()
			ready := sync.OnceFunc(readyWG.Done)
			defer ready()
			uploadErrs[i] = func() error {
				c := uploaders[i]
				page, err := uploadPage(c, env.URL, tokens[i], f)
				if err != nil {
					return err
				}
				if st, err := pollUpload(c, env.URL+page, 50*time.Millisecond); err != nil || st != "ready" {
					return fmt.Errorf("%s: check ended %q, %v; want ready", f.name, st, err)
				}
				ready()
				<-goCommit
				resp, err := c.PostForm(env.URL+page+"/commit", url.Values{"_csrf": {tokens[i]}})
				if err != nil {
					return err
				}
				io.Copy(io.Discard, resp.Body)
				resp.Body.Close()
				if resp.StatusCode != http.StatusSeeOther {
					return fmt.Errorf("%s: commit: status %d", f.name, resp.StatusCode)
				}
				if st, err := pollUpload(c, env.URL+page, 50*time.Millisecond); err != nil || st != "committed" {
					return fmt.Errorf("%s: commit ended %q, %v; want committed", f.name, st, err)
				}
				return nil
			}()
		}()
	}
	readyWG.Wait()
	committing.Store(true)
	commitStart := time.Since(readStart)
	close(goCommit)
	uploadWG.Wait()
	commitEnd := time.Since(readStart)
	close(stop)
	readerWG.Wait()
	for _, err := range uploadErrs {
		if err != nil {
			t.Error(err)
		}
	}
	for i, rec := range records {
		if rec.err != nil {
			t.Errorf("reader %d: %v", i, rec.err)
		}
	}
	if t.Failed() {
		t.FailNow()
	}
	concurrent := time.Since(start)

	// The order the commits took, oldest first.
	imports, err := env.DB.Imports(ctx)
	if err != nil {
		t.Fatal(err)
	}
	slices.Reverse(imports)
	bySHA := map[string]uploadFile{ccySHA(participants.data): participants}
	for _, f := range files {
		bySHA[ccySHA(f.data)] = f
	}
	if len(imports) != 1+len(files) {
		t.Fatalf("%d imports, want %d: %+v", len(imports), 1+len(files), imports)
	}
	var order []string
	for i, im := range imports {
		f, ok := bySHA[im.SHA256]
		if !ok || im.FileName != f.name || im.Status != "committed" {
			t.Fatalf("import %d: %s %s %s: not one of the files, or not committed", im.ID, im.FileName, im.SHA256, im.Status)
		}
		if (i == 0) != (f.name == participants.name) {
			t.Fatalf("import %d is %s: the participants were committed first", im.ID, f.name)
		}
		delete(bySHA, im.SHA256) // each file once
		order = append(order, f.name)
	}
	t.Logf("commit order: %s", strings.Join(order, ", "))

	// The same files, one by one, into a fresh database behind its own
	// server: what the dashboards show after each prefix of that order.
	seq := newTestEnv(t, envOptions{})
	seqViewer := seq.login("viewer")
	var expected [][]string // [imports applied - 1][path]
	var seqReports []*ingest.Report
	for _, im := range imports {
		f := uploadFile{im.FileName, nil}
		for _, g := range append([]uploadFile{participants}, files...) {
			if g.name == im.FileName {
				f = g
			}
		}
		r, err := ingest.Bytes(ctx, seq.DB, f.name, f.data, ingest.Options{By: im.By, DataDir: seq.dataDir})
		if err != nil {
			t.Fatal(err)
		}
		if !r.OK || r.ImportID == nil {
			t.Fatalf("sequential %s: not committed: %+v", f.name, r.Problems)
		}
		seqReports = append(seqReports, r)
		var state []string
		for _, p := range ccyPaths {
			state = append(state, seq.get(seqViewer, p, http.StatusOK))
		}
		expected = append(expected, state)
	}
	// The summary API is what queries.Summary gives, encoded as handleSummary does.
	for _, tc := range []struct {
		path int
		f    queries.Filter
	}{{0, queries.Filter{}}, {1, queries.Filter{Gender: "L"}}} {
		s, err := seq.DB.Summary(ctx, tc.f)
		if err != nil {
			t.Fatal(err)
		}
		var buf bytes.Buffer
		enc := json.NewEncoder(&buf)
		enc.SetIndent("", "  ")
		enc.Encode(s)
		if got := expected[len(expected)-1][tc.path]; got != buf.String() {
			t.Errorf("GET %s differs from queries.Summary:\n%s\nwant\n%s", ccyPaths[tc.path], got, buf.String())
		}
	}
	// The prefixes differ, or the check below could not tell them apart.
	for k := 1; k < len(expected); k++ {
		if expected[k][0] == expected[k-1][0] {
			t.Errorf("the summary after %s equals the one before it", order[k])
		}
	}

	// Every response a reader saw is one of those states, and no reader saw
	// an older state after a newer one.
	index := make([]map[[32]byte][]int, len(ccyPaths)) // per path: body digest -> states showing it
	for p := range ccyPaths {
		index[p] = map[[32]byte][]int{}
		for k := range expected {
			d := sha256.Sum256([]byte(expected[k][p]))
			index[p][d] = append(index[p][d], k)
		}
	}
	seenStates := make([]int, len(expected)) // summary responses per state
	var reads, failures int
	for i, rec := range records {
		floor := 0 // the oldest state this reader may still see
		for _, s := range rec.seen {
			reads++
			states := index[s.path][s.digest]
			if len(states) == 0 {
				if failures++; failures <= 3 {
					t.Errorf("reader %d, GET %s at %v: a response matching no state after 1..%d imports:\n%.1500s\nclosest (after all):\n%.1500s",
						i, ccyPaths[s.path], s.at, len(expected), rec.bodies[s.digest], expected[len(expected)-1][s.path])
				}
				continue
			}
			at := slices.IndexFunc(states, func(k int) bool { return k >= floor })
			if at < 0 {
				if failures++; failures <= 3 {
					t.Errorf("reader %d, GET %s at %v: the state after %d imports, after it had seen the state after %d",
						i, ccyPaths[s.path], s.at, states[len(states)-1]+1, floor+1)
				}
				continue
			}
			floor = states[at]
			if s.path == 0 {
				seenStates[floor]++
			}
		}
	}
	if failures > 3 {
		t.Errorf("... %d wrong responses in all", failures)
	}
	t.Logf("%d reads (%v-%v commit phase of %v); summaries seen per state after 1..%d imports: %v",
		reads, commitStart.Round(time.Millisecond), commitEnd.Round(time.Millisecond), concurrent.Round(time.Millisecond), len(expected), seenStates)

	// Now that the commits are done, every reader sees the last state.
	for p, path := range ccyPaths {
		if got := env.get(readers[0], path, http.StatusOK); got != expected[len(expected)-1][p] {
			t.Errorf("GET %s after the commits is not the state after all imports:\n%.1500s\nwant\n%.1500s", path, got, expected[len(expected)-1][p])
		}
	}

	// Every import keeps its original file, byte for byte.
	for _, im := range imports {
		var want []byte
		for _, f := range append([]uploadFile{participants}, files...) {
			if f.name == im.FileName {
				want = f.data
			}
		}
		if got := env.get(first, fmt.Sprintf("/imports/%d/file", im.ID), http.StatusOK); got != string(want) {
			t.Errorf("import %d (%s): the original downloaded is %d bytes, want the %d uploaded", im.ID, im.FileName, len(got), len(want))
		}
	}

	// The import history: the same counts per sheet as the one-by-one run.
	seqImports, err := seq.DB.Imports(ctx)
	if err != nil {
		t.Fatal(err)
	}
	slices.Reverse(seqImports)
	for i, im := range imports {
		got, want := im, seqImports[i]
		if got.ID != want.ID || got.FileName != want.FileName || got.SHA256 != want.SHA256 || got.Size != want.Size ||
			got.By != want.By || got.Status != want.Status || !reflect.DeepEqual(got.Sheets, want.Sheets) {
			t.Errorf("import %d:\n got %+v\nwant %+v", i+1, got, want)
		}
		var reported []queries.SheetCounts
		for _, s := range seqReports[i].Sheets {
			reported = append(reported, s.SheetCounts)
		}
		if !reflect.DeepEqual(got.Sheets, reported) {
			t.Errorf("import %d (%s): sheets %+v, the sequential report says %+v", i+1, got.FileName, got.Sheets, reported)
		}
	}
	// The overlap is real: some later import updated rows of an earlier one.
	updated := 0
	for _, im := range imports {
		for _, s := range im.Sheets {
			updated += s.Updated
		}
	}
	if updated == 0 {
		t.Error("no import updated a row: the files do not overlap, the order is not tested")
	}

	// The named queries agree under several filters.
	filters := []queries.Filter{
		{},
		{Gender: "P"},
		{Regions: []string{"Kab. Malang", "Kota Surabaya"}, WorkType: "SE"},
		{From: time.Date(2015, 1, 1, 0, 0, 0, 0, time.UTC), To: time.Date(2015, 6, 30, 0, 0, 0, 0, time.UTC)},
	}
	for _, f := range filters {
		ccySame(t, "Summary", f, env.DB.Summary, seq.DB.Summary)
		ccySame(t, "FacilitatorRoster", f, env.DB.FacilitatorRoster, seq.DB.FacilitatorRoster)
		ccySame(t, "StaffByRole", f, env.DB.StaffByRole, seq.DB.StaffByRole)
		ccySame(t, "RespondentCounts", f, env.DB.RespondentCounts, seq.DB.RespondentCounts)
		ccySame(t, "ProblemsByRegion", f, env.DB.ProblemsByRegion, seq.DB.ProblemsByRegion)
		ccySame(t, "ProblemsByWorkType", f, env.DB.ProblemsByWorkType, seq.DB.ProblemsByWorkType)
		ccySame(t, "RespondentsByProduct", f, env.DB.RespondentsByProduct, seq.DB.RespondentsByProduct)
		ccySame(t, "WagesAgainstUMK", f, env.DB.WagesAgainstUMK, seq.DB.WagesAgainstUMK)
		ccySame(t, "OrganizingByRegion", f, env.DB.OrganizingByRegion, seq.DB.OrganizingByRegion)
		ccySame(t, "GroupsFormedByMonth", f, env.DB.GroupsFormedByMonth, seq.DB.GroupsFormedByMonth)
	}
	// And so do the tables themselves, row for row: the current state, every
	// version kept (which undo works from) and the per-sheet history.
	tables := []string{"import_sheets", "participant_versions", "respondent_versions", "group_stage_versions", "region_versions"}
	for _, k := range queries.Kinds {
		tables = append(tables, string(k))
	}
	for _, table := range tables {
		got, want := ccyTable(t, env.DB, table), ccyTable(t, seq.DB, table)
		if len(want) == 0 && table != string(queries.Targets) { // the surveys hold no targets
			t.Errorf("table %s is empty", table)
		}
		if !slices.Equal(got, want) {
			i := 0
			for i < min(len(got), len(want)) && got[i] == want[i] {
				i++
			}
			t.Errorf("table %s: %d rows, the one-by-one import has %d; first difference at row %d:\n got %s\nwant %s",
				table, len(got), len(want), i, ccyRow(got, i), ccyRow(want, i))
		}
	}
	t.Logf("concurrent phase %v, whole test %v", concurrent.Round(time.Millisecond), time.Since(start).Round(time.Millisecond))
}

func ccyRow(rows []string, i int) string {
	if i < len(rows) {
		return rows[i]
	}
	return "(none)"
}

// ccySame compares one named query on the live and the one-by-one database.
func ccySame[T any](t *testing.T, name string, f queries.Filter, live, seq func(context.Context, queries.Filter) (T, error)) {
	t.Helper()
	got, err := live(context.Background(), f)
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	want, err := seq(context.Background(), f)
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	if !reflect.DeepEqual(got, want) {
		fj, _ := json.Marshal(f)
		t.Errorf("%s %s:\n got %+v\nwant %+v", name, fj, got, want)
	}
}

// ccyTable is every row of a table, every column, each written as text,
// sorted by the columns in the table's order.
func ccyTable(t *testing.T, db *queries.DB, table string) []string {
	t.Helper()
	cols := querytest.Columns(t, db, table)
	var list []string
	for _, vals := range querytest.Stored(t, db, table, cols...) {
		var b strings.Builder
		for i, v := range vals {
			if i > 0 {
				b.WriteString(" | ")
			}
			if tm, ok := v.(time.Time); ok {
				v = tm.UTC().Format(time.RFC3339Nano)
			}
			fmt.Fprintf(&b, "%s=%v", cols[i], v)
		}
		list = append(list, b.String())
	}
	return list
}

// ccyGet is a GET that reports instead of failing the test: readers run on
// their own goroutines.
func ccyGet(c *http.Client, url string) (status int, body string, err error) {
	resp, err := c.Get(url)
	if err != nil {
		return 0, "", err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b), err
}

// TestConcurrentCommitsOfOneFile uploads the same file twice and commits
// both at once, a few times: one upload commits, the other ends identical,
// and the committed import keeps its original file. (It failed about half
// the runs while a losing commit could remove the file the winner kept.)
func TestConcurrentCommitsOfOneFile(t *testing.T) {
	env := newTestEnv(t, envOptions{})
	c := env.login("uploader")
	token := env.csrfFrom(c, "/uploads")
	const rounds = 5
	for round := range rounds {
		var buf bytes.Buffer
		if err := sampledata.WriteSurvey(&buf, sampledata.SurveyOptions{Seed: int64(100 + round), Respondents: 200, Groups: 10}); err != nil {
			t.Fatal(err)
		}
		f := uploadFile{fmt.Sprintf("survei-%d.xlsx", round), buf.Bytes()}
		var pages [2]string
		for i := range pages {
			page, err := uploadPage(c, env.URL, token, f)
			if err != nil {
				t.Fatal(err)
			}
			if st, err := pollUpload(c, env.URL+page, 50*time.Millisecond); err != nil || st != "ready" {
				t.Fatalf("round %d: check ended %q, %v", round, st, err)
			}
			pages[i] = page
		}
		var wg sync.WaitGroup
		states := make([]string, len(pages))
		errs := make([]error, len(pages))
		for i, page := range pages {
			wg.Add(1)
			go func() {
				defer wg.Done()
				resp, err := c.PostForm(env.URL+page+"/commit", url.Values{"_csrf": {token}})
				if err != nil {
					errs[i] = err
					return
				}
				resp.Body.Close()
				states[i], errs[i] = pollUpload(c, env.URL+page, 50*time.Millisecond)
			}()
		}
		wg.Wait()
		for _, err := range errs {
			if err != nil {
				t.Fatal(err)
			}
		}
		slices.Sort(states)
		if !slices.Equal(states, []string{"committed", "identical"}) {
			t.Errorf("round %d: states %v, want one committed and one identical", round, states)
		}
		imports, err := env.DB.Imports(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		if len(imports) != round+1 || imports[0].SHA256 != ccySHA(f.data) {
			t.Fatalf("round %d: %d imports, want %d", round, len(imports), round+1)
		}
		resp, err := c.Get(fmt.Sprintf("%s/imports/%d/file", env.URL, imports[0].ID))
		if err != nil {
			t.Fatal(err)
		}
		got, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK || !bytes.Equal(got, f.data) {
			t.Errorf("round %d: import %d's original: status %d, %d bytes; want the %d uploaded", round, imports[0].ID, resp.StatusCode, len(got), len(f.data))
		}
	}
}
