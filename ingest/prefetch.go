package ingest

import (
	"fmt"

	"github.com/xuri/excelize/v2"
)

// prefetcher reads a sheet's rows in a goroutine of its own, so that parsing
// the XML (excelize) and validating and staging the rows (us) run on two
// cores at once. It is itself a rowIterator, so the row loop does not know.
type prefetcher struct {
	batches chan []fetchedRow
	done    chan struct{}
	cur     []fetchedRow
	row     fetchedRow
	err     error // set by the reader before it closes batches

	handed   int            // rows handed out so far
	progress func(rows int) // told of each batch taken; may be nil
}

type fetchedRow struct {
	cells []string
	err   error
}

const prefetchBatch = 256

func prefetch(rows rowIterator) *prefetcher {
	p := &prefetcher{batches: make(chan []fetchedRow, 8), done: make(chan struct{})}
	go p.read(rows)
	return p
}

func (p *prefetcher) read(rows rowIterator) {
	defer close(p.batches)
	defer func() {
		// excelize can panic on malformed input; that is a corrupt sheet.
		if r := recover(); r != nil {
			p.err = fmt.Errorf("%v", r)
		}
	}()
	batch := make([]fetchedRow, 0, prefetchBatch)
	send := func() bool {
		select {
		case p.batches <- batch:
			batch = make([]fetchedRow, 0, prefetchBatch)
			return true
		case <-p.done:
			return false
		}
	}
	for rows.Next() {
		cells, err := rows.Columns(excelize.Options{RawCellValue: true})
		batch = append(batch, fetchedRow{cells, err})
		if len(batch) == prefetchBatch && !send() {
			return
		}
	}
	p.err = rows.Error()
	if len(batch) > 0 {
		send()
	}
}

func (p *prefetcher) Next() bool {
	for len(p.cur) == 0 {
		b, ok := <-p.batches
		if !ok {
			return false
		}
		p.cur = b
		if p.progress != nil {
			p.progress(p.handed)
		}
		p.handed += len(b)
	}
	p.row, p.cur = p.cur[0], p.cur[1:]
	return true
}

// Columns returns the current row, always as raw cell values.
func (p *prefetcher) Columns(...excelize.Options) ([]string, error) { return p.row.cells, p.row.err }

// Error is the reader's error, once Next has returned false.
func (p *prefetcher) Error() error { return p.err }

// stop ends the reader early and waits for it, so the sheet can be closed.
func (p *prefetcher) stop() {
	close(p.done)
	for range p.batches {
	}
}
