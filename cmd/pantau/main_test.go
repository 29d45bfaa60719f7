package main

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestMain lets a test run this very binary as the pantau command, for the
// tests that must kill it or measure its memory: PANTAU_TEST_MAIN=1 with the
// command's arguments after "--".
func TestMain(m *testing.M) {
	if os.Getenv("PANTAU_TEST_MAIN") == "1" {
		args := os.Args[1:]
		for i, a := range args {
			if a == "--" {
				args = args[i+1:]
				break
			}
		}
		os.Args = append([]string{"pantau"}, args...)
		main()
		os.Exit(0)
	}
	os.Exit(m.Run())
}

// cli runs pantau in-process in dir and returns stdout, stderr and the exit code.
type cli struct {
	t   *testing.T
	dir string
}

func newCLI(t *testing.T) *cli {
	return &cli{t: t, dir: t.TempDir()}
}

func (c *cli) run(args ...string) (stdout, stderr string, code int) {
	c.t.Helper()
	env := map[string]string{
		"PANTAU_DB":   filepath.Join(c.dir, "pantau.duckdb"),
		"PANTAU_DATA": filepath.Join(c.dir, "data"),
	}
	var out, errb bytes.Buffer
	err := run(context.Background(), args, func(k string) string { return env[k] }, strings.NewReader(""), &out, &errb)
	if err != nil {
		code = exitCode(err)
		errb.WriteString(err.Error())
	}
	return out.String(), errb.String(), code
}

func (c *cli) mustRun(args ...string) string {
	c.t.Helper()
	out, errs, code := c.run(args...)
	if code != 0 {
		c.t.Fatalf("pantau %s: exit %d\n%s\n%s", strings.Join(args, " "), code, out, errs)
	}
	return out
}

func (c *cli) summary(args ...string) map[string]any {
	c.t.Helper()
	var s map[string]any
	if err := json.Unmarshal([]byte(c.mustRun(append([]string{"summary", "--json"}, args...)...)), &s); err != nil {
		c.t.Fatal(err)
	}
	return s
}

func TestSampleIngestSummaryUndo(t *testing.T) {
	c := newCLI(t)
	samples := filepath.Join(c.dir, "samples")
	c.mustRun("sample", "--out", samples, "--respondents", "300", "--groups", "20", "--seed", "3")

	out := c.mustRun("ingest", filepath.Join(samples, "peserta.xlsx"), filepath.Join(samples, "survei.xlsx"))
	for _, want := range []string{"peserta.xlsx: diimpor sebagai impor #1", "survei.xlsx: diimpor sebagai impor #2", "Responden"} {
		if !strings.Contains(out, want) {
			t.Errorf("ingest output lacks %q:\n%s", want, out)
		}
	}

	s := c.summary()
	fac := s["facilitators"].(map[string]any)
	if fac["total"] != 14.0 || fac["female"] != 11.0 || fac["male"] != 3.0 {
		t.Errorf("facilitators: %v", fac)
	}
	if got := s["respondents"].(map[string]any)["total"]; got != 300.0 {
		t.Errorf("respondents total %v, want 300", got)
	}
	jember := c.summary("--region", "jember")
	if got := jember["facilitators"].(map[string]any)["total"]; got != 2.0 {
		t.Errorf("Kab. Jember facilitators %v, want 2", got)
	}
	if got := jember["filter"].(map[string]any)["regions"]; len(got.([]any)) != 1 || got.([]any)[0] != "Kab. Jember" {
		t.Errorf("filter regions %v, want [Kab. Jember]", got)
	}

	// The same file again changes nothing and says so.
	out = c.mustRun("ingest", "--lang", "en", filepath.Join(samples, "survei.xlsx"))
	if !strings.Contains(out, "identical to import #2") {
		t.Errorf("re-ingest: %s", out)
	}

	var history struct {
		Imports []struct {
			ID     int64  `json:"id"`
			Status string `json:"status"`
			By     string `json:"by"`
			SHA256 string `json:"sha256"`
		} `json:"imports"`
	}
	if err := json.Unmarshal([]byte(c.mustRun("imports", "--json")), &history); err != nil {
		t.Fatal(err)
	}
	if len(history.Imports) != 2 || history.Imports[0].ID != 2 || history.Imports[0].By != "cli" || history.Imports[0].Status != "committed" {
		t.Fatalf("history: %+v", history)
	}
	if _, err := os.Stat(filepath.Join(c.dir, "data", history.Imports[0].SHA256+".xlsx")); err != nil {
		t.Errorf("uploaded file not kept: %v", err)
	}

	c.mustRun("undo", "2")
	if got := c.summary()["respondents"].(map[string]any)["total"]; got != 0.0 {
		t.Errorf("after undo, respondents %v, want 0", got)
	}
	if _, _, code := c.run("undo", "2"); code != 1 {
		t.Errorf("undo of an undone import: exit %d, want 1", code)
	}
}

func TestExitCodes(t *testing.T) {
	c := newCLI(t)
	bad := filepath.Join(c.dir, "data.csv")
	os.WriteFile(bad, []byte("ID Responden;Wilayah\nR-1;Kab. Malang\n"), 0o644)
	tests := []struct {
		args []string
		code int
		want string
	}{
		{[]string{}, 2, "no command"},
		{[]string{"frobnicate"}, 2, "unknown command"},
		{[]string{"ingest"}, 2, "no file"},
		{[]string{"ingest", "--lang", "en", filepath.Join(c.dir, "missing.xlsx")}, 1, "no such file"},
		{[]string{"ingest", bad}, 1, ".xlsx"},
		{[]string{"ingest", "--lang", "fr", bad}, 2, "--lang"},
		{[]string{"undo", "x"}, 2, "not an import ID"},
		{[]string{"undo", "41"}, 1, "does not exist"},
		{[]string{"summary", "--gender", "Q"}, 2, "gender"},
		{[]string{"summary", "--region", "Malang"}, 2, "ambiguous"},
		{[]string{"summary", "--from", "2015-01-01", "--to", "2014-01-01"}, 2, "before it starts"},
		{[]string{"template", "--kind", "x", "--out", "t.xlsx"}, 2, "--kind"},
	}
	for _, tt := range tests {
		out, errs, code := c.run(tt.args...)
		if code != tt.code || !strings.Contains(out+errs, tt.want) {
			t.Errorf("pantau %v: exit %d, output %q %q; want exit %d mentioning %q", tt.args, code, out, errs, tt.code, tt.want)
		}
	}
}

func TestIngestJSON(t *testing.T) {
	c := newCLI(t)
	bad := filepath.Join(c.dir, "old.xls")
	os.WriteFile(bad, append([]byte("\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1"), make([]byte, 600)...), 0o644)
	out, _, code := c.run("ingest", "--json", "--dry-run", "../../sampledata/peserta.xlsx", bad)
	if code != 1 {
		t.Fatalf("exit %d, want 1 (one file refused)", code)
	}
	var got struct {
		OK    bool `json:"ok"`
		Files []struct {
			File     string `json:"file"`
			OK       bool   `json:"ok"`
			ImportID *int64 `json:"import_id"`
			Sheets   []struct {
				Sheet string `json:"sheet"`
				Kind  string `json:"kind"`
				Rows  int    `json:"rows"`
				New   int    `json:"new"`
			} `json:"sheets"`
			Problems []struct {
				Severity string `json:"severity"`
				Message  string `json:"message"`
			} `json:"problems"`
			ProblemCount int `json:"problem_count"`
		} `json:"files"`
	}
	if err := json.Unmarshal([]byte(out), &got); err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	if got.OK || len(got.Files) != 2 {
		t.Fatalf("%s", out)
	}
	peserta, xls := got.Files[0], got.Files[1]
	if !peserta.OK || peserta.ImportID != nil || len(peserta.Sheets) != 1 || peserta.Sheets[0].New != 20 {
		t.Errorf("dry run of peserta.xlsx: %+v", peserta)
	}
	if xls.OK || xls.ProblemCount != 1 || !strings.Contains(xls.Problems[0].Message, ".xls") {
		t.Errorf("old .xls: %+v", xls)
	}
	if history := c.mustRun("imports", "--json"); !strings.Contains(history, `"imports": []`) {
		t.Errorf("a dry run stored an import: %s", history)
	}
}
