// Command gen packs the official area catalogue of the npm package
// idn-area-data (its data/*.csv) into the compact file package areas embeds:
// one line per area, "code<TAB>name", sorted by code, gzip-compressed. The
// code says the level (35, 35.09, 35.09.01, 35.09.01.2001) and, by its
// prefix, the parent. `make assets` runs it; its output is not committed.
//
//	go run ./ingest/areas/gen DATA_DIR OUT_FILE
package main

import (
	"bytes"
	"compress/gzip"
	"encoding/csv"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
)

// levels are the catalogue's files, with the header each must have.
var levels = []struct{ file, header string }{
	{"provinces.csv", "code,name"},
	{"regencies.csv", "code,province_code,name"},
	{"districts.csv", "code,regency_code,name"},
	{"villages.csv", "code,district_code,name"},
}

func main() {
	if len(os.Args) != 3 {
		fmt.Fprintln(os.Stderr, "usage: gen DATA_DIR OUT_FILE")
		os.Exit(2)
	}
	if err := run(os.Args[1], os.Args[2]); err != nil {
		fmt.Fprintln(os.Stderr, "gen:", err)
		os.Exit(1)
	}
}

func run(dir, out string) error {
	var lines []string
	for _, l := range levels {
		rows, err := readCSV(filepath.Join(dir, l.file), l.header)
		if err != nil {
			return err
		}
		for _, r := range rows {
			code, name := strings.TrimSpace(r[0]), strings.Join(strings.Fields(r[len(r)-1]), " ")
			if code == "" || name == "" || strings.ContainsAny(code+name, "\t\n") {
				return fmt.Errorf("%s: bad row %q", l.file, r)
			}
			lines = append(lines, code+"\t"+name+"\n")
		}
	}
	slices.Sort(lines) // "35\t" < "35.09\t": a parent comes before its children
	var buf bytes.Buffer
	zw, _ := gzip.NewWriterLevel(&buf, gzip.BestCompression) // no name, no time: the same bytes every run
	for _, line := range lines {
		zw.Write([]byte(line))
	}
	if err := zw.Close(); err != nil {
		return err
	}
	tmp := out + ".part"
	if err := os.WriteFile(tmp, buf.Bytes(), 0o644); err != nil {
		return err
	}
	return os.Rename(tmp, out)
}

func readCSV(path, header string) ([][]string, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	rows, err := csv.NewReader(f).ReadAll()
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	if len(rows) < 2 || strings.Join(rows[0], ",") != header {
		return nil, fmt.Errorf("%s: expected a header %q and rows; the package's layout changed", path, header)
	}
	return rows[1:], nil
}
