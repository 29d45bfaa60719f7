package sampledata

import (
	"fmt"
	"os"
	"path/filepath"
)

// CachedSurvey is the path of a survey workbook of these options in the
// temp folder, written the first time it is asked for and kept: the
// benchmarks' big workbooks (a 1,000,000-respondent one takes half a
// minute to write) are the same file from run to run.
func CachedSurvey(opt SurveyOptions) (string, error) {
	path := filepath.Join(os.TempDir(), fmt.Sprintf("pantau-bench-survei-%d-%d-seed%d.xlsx", opt.Respondents, opt.Groups, opt.Seed))
	if _, err := os.Stat(path); err == nil {
		return path, nil
	}
	out, err := os.CreateTemp(filepath.Dir(path), filepath.Base(path)+".*.part")
	if err != nil {
		return "", err
	}
	defer os.Remove(out.Name())
	err = WriteSurvey(out, opt)
	if cerr := out.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(out.Name(), path)
	}
	return path, err
}
