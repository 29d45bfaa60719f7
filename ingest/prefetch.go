package ingest

import (
	"fmt"
)

// prefetcher reads a sheet's rows in a goroutine of its own, so that parsing
// the XML and validating and staging the rows run on two cores at once. It
// is itself a rowIterator, so the row loop does not know.
type prefetcher struct {
	batches chan fetchedBatch
	done    chan struct{}
	cur     []fetchedRow
	row     fetchedRow
	err     error // set by the reader before it closes batches

	handed   int                   // rows handed out so far
	total    int                   // the sheet's rows as last estimated
	progress func(rows, total int) // told of each batch taken; may be nil
}

// sheetRows is what the prefetcher reads: rows that can tell their total.
type sheetRows interface {
	rowIterator
	Total() int // the sheet's last row number, as far as known
}

type fetchedBatch struct {
	rows  []fetchedRow
	total int
}

type fetchedRow struct {
	cells []string
	err   error
}

const prefetchBatch = 256

func prefetch(rows sheetRows) *prefetcher {
	p := &prefetcher{batches: make(chan fetchedBatch, 8), done: make(chan struct{})}
	go p.read(rows)
	return p
}

func (p *prefetcher) read(rows sheetRows) {
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
		case p.batches <- fetchedBatch{batch, rows.Total()}:
			batch = make([]fetchedRow, 0, prefetchBatch)
			return true
		case <-p.done:
			return false
		}
	}
	for rows.Next() {
		cells, err := rows.Columns()
		batch = append(batch, fetchedRow{cells, err})
		if len(batch) == prefetchBatch && !send() {
			return
		}
	}
	p.err = rows.Error()
	send() // even empty: it carries the total, known now
}

func (p *prefetcher) Next() bool {
	for len(p.cur) == 0 {
		b, ok := <-p.batches
		if !ok {
			return false
		}
		p.cur, p.total = b.rows, b.total
		if p.progress != nil {
			p.progress(p.handed, p.total)
		}
		p.handed += len(b.rows)
	}
	p.row, p.cur = p.cur[0], p.cur[1:]
	return true
}

// Columns returns the current row.
func (p *prefetcher) Columns() ([]string, error) { return p.row.cells, p.row.err }

// Error is the reader's error, once Next has returned false.
func (p *prefetcher) Error() error { return p.err }

// stop ends the reader early and waits for it, so the sheet can be closed.
func (p *prefetcher) stop() {
	close(p.done)
	for range p.batches {
	}
}
