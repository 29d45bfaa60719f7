package xlsx

import (
	"slices"
	"testing"
)

// lastRow reads a sheet's end without decoding the rest.
func TestLastRow(t *testing.T) {
	for _, c := range []struct {
		tail      string
		last      int
		found, ok bool
	}{
		{`<row r="7"><c r="A7"><v>1</v></c></row></sheetData></worksheet>`, 7, true, true},
		{`...</c></row><x:row r="12" spans="1:2"><x:c r="A12"/></x:row>  </x:sheetData>`, 12, true, true},
		{`<rows/><row r="3"/></sheetData>`, 3, true, true},
		{`<sheetData></sheetData>`, 0, false, true},                 // no rows at all
		{`<row r="7"><c r="A7"></row></sheetData>`, 0, true, false}, // does not decode
		{`<row r="7"/><!-- x --></sheetData>`, 0, true, false},      // left to the full decode
		{`<row r="7"/>`, 0, false, false},                           // no end of the rows
	} {
		last, found, ok := lastRow([]byte(c.tail))
		if last != c.last || found != c.found || ok != c.ok {
			t.Errorf("lastRow(%q) = %d, %v, %v; want %d, %v, %v", c.tail, last, found, ok, c.last, c.found, c.ok)
		}
	}
}

// scanSharedIndexes finds the cells whose shared string is out of range,
// however the attributes are quoted or prefixed, and says where to go on.
func TestScanSharedIndexes(t *testing.T) {
	sheet := `<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v> 5 </v></c><c r="C1" xt="s"><v>9</v></c></row>` +
		`<row r='2'><x:c r='A2' t='s'><x:v>2</x:v></x:c><c r="B2" t="s"/><c r="C2" t="s"><f>x</f><v>-1</v></c></row>` +
		`<row r="3"><c r="A3" t="s"><v>1`
	var got []string
	stop := scanSharedIndexes([]byte(sheet), 2, func(cell string, index int) {
		got = append(got, cell)
	})
	if want := []string{"B1", "A2", "C2"}; !slices.Equal(got, want) {
		t.Errorf("reported %q, want %q", got, want)
	}
	if want := len(sheet) - len(`<c r="A3" t="s"><v>1`); stop != want {
		t.Errorf("stopped at %d, want %d, the start of the cell it cannot see the end of", stop, want)
	}
}

func TestSharedIndex(t *testing.T) {
	for in, want := range map[string]int{"0": 0, " 12 ": 12, "": 0, "x": 0, "-3": -3, "12345678901": 12345678901} {
		if got := sharedIndex([]byte(in)); got != want {
			t.Errorf("sharedIndex(%q) = %d, want %d", in, got, want)
		}
	}
}
