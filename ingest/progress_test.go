package ingest_test

import (
	"bytes"
	"testing"

	"pantau/ingest"
	"pantau/sampledata"
)

// Progress tells how far a file is read: per sheet, rows rising to the
// sheet's last row, then the commit.
func TestProgress(t *testing.T) {
	e := newEnv(t)
	opt := sampledata.DefaultSurveyOptions()
	opt.Respondents, opt.Groups = 3000, 100
	var survey bytes.Buffer
	if err := sampledata.WriteSurvey(&survey, opt); err != nil {
		t.Fatal(err)
	}
	for _, dryRun := range []bool{true, false} {
		var seen []ingest.Progress
		r := e.upload("survei.xlsx", survey.Bytes(), ingest.Options{DryRun: dryRun,
			Progress: func(p ingest.Progress) { seen = append(seen, p) }})
		if !r.OK {
			t.Fatalf("dry run %v: refused: %s", dryRun, problems(r))
		}
		last := map[string]ingest.Progress{}
		for _, p := range seen {
			if p.Stage != "reading" {
				continue
			}
			if prev, ok := last[p.Sheet]; ok && p.Row <= prev.Row {
				t.Errorf("%s: row %d after row %d", p.Sheet, p.Row, prev.Row)
			}
			last[p.Sheet] = p
		}
		// The header row plus one row per respondent; progress is told per
		// batch read and once more at the sheet's end, so a finished sheet
		// never shows "row 0 of 54".
		if p := last["Responden"]; p.Rows != 3001 || p.Row != 3001 {
			t.Errorf("dry run %v: last Responden progress %+v, want row 3001 of 3001", dryRun, p)
		}
		if p := last["Kelompok"]; p.Rows < 100 || p.Row != p.Rows {
			t.Errorf("dry run %v: last Kelompok progress %+v, want every row read", dryRun, p)
		}
		committing := len(seen) > 0 && seen[len(seen)-1].Stage == "committing"
		if committing == dryRun {
			t.Errorf("dry run %v: last progress %+v", dryRun, seen[len(seen)-1])
		}
	}
}
