package report

import (
	"bytes"
	"encoding/csv"
	"fmt"
	"strconv"
	"strings"
)

// CSV is t as a CSV file: UTF-8 with a byte order mark, so that Excel reads
// it as UTF-8.
func CSV(t Table) ([]byte, error) {
	var buf bytes.Buffer
	buf.WriteString("\ufeff")
	w := csv.NewWriter(&buf)
	w.Write(t.Columns)
	for _, row := range t.Rows {
		rec := make([]string, len(row))
		for i, v := range row {
			rec[i] = csvCell(v)
		}
		w.Write(rec)
	}
	w.Flush()
	return buf.Bytes(), w.Error()
}

// csvCell writes numbers plainly (a spreadsheet parses them) and text so
// that a spreadsheet never runs it: uploaded text starting with = + - @ or a
// tab or line break gets a leading apostrophe.
func csvCell(v any) string {
	switch x := v.(type) {
	case string:
		if x != "" && strings.ContainsRune("=+-@\t\r\n", rune(x[0])) {
			return "'" + x
		}
		return x
	case int:
		return strconv.Itoa(x)
	case int64:
		return strconv.FormatInt(x, 10)
	case Rupiah:
		return strconv.FormatInt(int64(x), 10)
	case Share:
		if x.P == nil {
			return ""
		}
		return strconv.FormatFloat(*x.P, 'f', 4, 64)
	}
	return fmt.Sprint(v)
}
