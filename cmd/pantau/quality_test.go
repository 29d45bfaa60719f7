package main

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"slices"
	"strings"
	"testing"
)

// GET /api/v1/quality answers an uploader byte for byte what `pantau quality
// --json` prints for the same filter; a viewer gets the counts without the
// flags; `pantau quality check` takes a flag out of the counts.
func TestQualityAPIEqualsCLI(t *testing.T) {
	c := samplesAndViewer(t)
	if out, errs, code := c.runStdin("a long test password\n", "user", "add", "--username", "clerk", "--role", "uploader", "--password-stdin"); code != 0 {
		t.Fatalf("user add: exit %d: %s %s", code, out, errs)
	}
	tests := []apiCase{
		{"all", "", nil},
		{"one region", "region=Kab.+Jember", []string{"--region", "Kab. Jember"}},
		{"period", "from=2014-10-01&to=2014-12-31", []string{"--from", "2014-10-01", "--to", "2014-12-31"}},
		{"gender and work type", "gender=P&work_type=SE", []string{"--gender", "P", "--work-type", "SE"}},
		{"one kind", "kind=wage_outlier", []string{"--kind", "wage_outlier"}},
		{"two kinds", "kind=unanswered&kind=wage_outlier&region=Kota+Malang", []string{"--kind", "wage_outlier", "--kind", "unanswered", "--region", "Kota Malang"}},
		{"english", "lang=en&region=Kota+Batu", []string{"--lang", "en", "--region", "Kota Batu"}},
	}
	viewerSees := func(base string, _ *http.Client) {
		hc := httpLogin(t, base, "viewer", "a long test password")
		resp, err := hc.Get(base + "/api/v1/quality")
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		var r struct {
			Counts map[string]int
			Flags  []any
		}
		if err := json.Unmarshal(body, &r); err != nil || resp.StatusCode != http.StatusOK {
			t.Fatalf("viewer: %d %v %s", resp.StatusCode, err, body)
		}
		if len(r.Flags) != 0 || r.Counts["wage_outlier"] == 0 {
			t.Errorf("a viewer sees %d flags and counts %v; want none and the counts", len(r.Flags), r.Counts)
		}
		unknown, err := hc.Get(base + "/api/v1/quality?kind=typo")
		if err != nil {
			t.Fatal(err)
		}
		unknown.Body.Close()
		if unknown.StatusCode != http.StatusBadRequest {
			t.Errorf("kind=typo: status %d, want 400", unknown.StatusCode)
		}
	}
	outs := apiEqualsCLIAs(t, c, "clerk", "/api/v1/quality", "quality", tests, viewerSees)

	var all struct {
		Counts map[string]int `json:"counts"`
		Flags  []struct {
			Kind, Key, Region, Message string
			Checked                    bool
		} `json:"flags"`
	}
	if err := json.Unmarshal([]byte(outs[0]), &all); err != nil {
		t.Fatal(err)
	}
	if len(all.Flags) == 0 || all.Counts["wage_outlier"] == 0 {
		t.Fatalf("the sample raises no flag: %s", outs[0][:min(len(outs[0]), 400)])
	}
	if !strings.Contains(outs[len(outs)-1], "is far from the other wages") && !strings.Contains(outs[len(outs)-1], `"flags": []`) {
		t.Errorf("--lang en: %s", outs[len(outs)-1][:400])
	}

	first := all.Flags[0]
	if out := c.mustRun("quality", "check", first.Kind, first.Key, "--note", "checked with the facilitator"); !strings.Contains(out, "checked") {
		t.Errorf("quality check: %q", out)
	}
	var after struct {
		Counts map[string]int `json:"counts"`
	}
	json.Unmarshal([]byte(c.mustRun("quality", "--json")), &after)
	if after.Counts[first.Kind] != all.Counts[first.Kind]-1 {
		t.Errorf("after the check, %s counts %d; want %d", first.Kind, after.Counts[first.Kind], all.Counts[first.Kind]-1)
	}
	if _, errs, code := c.run("quality", "check", first.Kind, "no-such-key", "--note", "x"); code != 1 || !strings.Contains(errs, "no such") && !strings.Contains(errs, "no "+first.Kind) {
		t.Errorf("a check of no flag: exit %d, %q", code, errs)
	}
	if out := c.mustRun("quality", "--lang", "en"); !strings.Contains(out, "Open flags per kind") || !strings.Contains(out, first.Kind) {
		t.Errorf("the table: %s", out)
	}
}

// TestIngestDryRunFlags: a dry run names the quality flags the file would
// raise, a line each for people and as "flags" in the JSON, in the same
// number; storing the file brings those flags into `pantau quality`.
func TestIngestDryRunFlags(t *testing.T) {
	c := newCLI(t)
	c.mustRun("ingest", "../../sampledata/peserta.xlsx")
	var preview struct {
		Files []struct {
			Flags []struct {
				Kind, Sheet, Key, Message string
				Row                       int
			} `json:"flags"`
			FlagCount int `json:"flag_count"`
		} `json:"files"`
	}
	if err := json.Unmarshal([]byte(c.mustRun("ingest", "--json", "--dry-run", "--lang", "en", "../../sampledata/survei.xlsx")), &preview); err != nil {
		t.Fatal(err)
	}
	flags := preview.Files[0].Flags
	if len(flags) == 0 || len(flags) != preview.Files[0].FlagCount {
		t.Fatalf("the sample survey's dry run lists %d flags of %d; it plants some", len(flags), preview.Files[0].FlagCount)
	}
	human := c.mustRun("ingest", "--dry-run", "--lang", "en", "../../sampledata/survei.xlsx")
	for _, fl := range flags {
		if line := fmt.Sprintf("  quality flag %s %s!%d: %s\n", fl.Kind, fl.Sheet, fl.Row, fl.Message); !strings.Contains(human, line) {
			t.Errorf("the dry run for people lacks %q", line)
		}
	}
	c.mustRun("ingest", "../../sampledata/survei.xlsx")
	var report struct{ Flags []struct{ Kind, Key string } }
	if err := json.Unmarshal([]byte(c.mustRun("quality", "--json")), &report); err != nil {
		t.Fatal(err)
	}
	for _, want := range flags {
		if !slices.ContainsFunc(report.Flags, func(got struct{ Kind, Key string }) bool { return got.Kind == want.Kind && got.Key == want.Key }) {
			t.Errorf("the dry run's %s flag on %s is not in the report after the import", want.Kind, want.Key)
		}
	}
}
