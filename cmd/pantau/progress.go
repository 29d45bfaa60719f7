package main

import (
	"fmt"
	"io"
	"os"
	"sync"
	"time"

	"github.com/schollz/progressbar/v3"
	"golang.org/x/term"

	"pantau/ingest"
)

// progressView shows how far the ingest of one file has come. The ingest
// command tells it every ingest.Progress of the file, then Done.
type progressView interface {
	Update(ingest.Progress)
	Done()
}

// newProgressView returns a progress bar on w for file, or one that shows
// nothing when quiet or when w is not a terminal (a pipe, a log file, the
// stderr of a command run through the server's socket, a test's buffer).
func newProgressView(w io.Writer, file, lang string, quiet bool) progressView {
	if quiet || !isTerminal(w) {
		return silentProgress{}
	}
	return &barProgress{w: w, file: file, lang: lang, throttle: 100 * time.Millisecond}
}

// isTerminal tells whether w is a terminal a bar may be drawn on: an
// *os.File that is one, or a writer that says it is (the tests' fake
// terminal).
func isTerminal(w io.Writer) bool {
	switch w := w.(type) {
	case *os.File:
		return term.IsTerminal(int(w.Fd()))
	case interface{ IsTerminal() bool }:
		return w.IsTerminal()
	}
	return false
}

type silentProgress struct{}

func (silentProgress) Update(ingest.Progress) {}
func (silentProgress) Done()                  {}

// barProgress draws one bar per stage and sheet with
// github.com/schollz/progressbar: the stage, the rows read of the rows the
// sheet declares, the rate and the time left. A bar is cleared when its
// stage ends, so the report printed after the file starts on a clean line.
type barProgress struct {
	w            io.Writer
	file, lang   string
	throttle     time.Duration
	bar          *progressbar.ProgressBar
	stage, sheet string
}

// stageWords names the stages of ingest.Progress in the command's languages.
var stageWords = map[string]map[string]string{
	"id": {"reading": "membaca", "committing": "menyimpan"},
	"en": {"reading": "reading", "committing": "committing"},
}

func (b *barProgress) Update(p ingest.Progress) {
	if b.bar == nil || p.Stage != b.stage || p.Sheet != b.sheet {
		b.finish()
		b.stage, b.sheet = p.Stage, p.Sheet
		b.bar = b.newBar(p)
	}
	if p.Rows > 0 && p.Row > b.bar.GetMax() {
		b.bar.ChangeMax(p.Row) // the sheet holds more rows than it declares
	}
	if p.Row > 0 {
		b.bar.Set(p.Row)
	}
}

func (b *barProgress) newBar(p ingest.Progress) *progressbar.ProgressBar {
	stage := p.Stage
	if w, ok := stageWords[b.lang][p.Stage]; ok {
		stage = w
	}
	desc := fmt.Sprintf("%s: %s", b.file, stage)
	if p.Sheet != "" {
		desc = fmt.Sprintf("%s: %s %s", b.file, stage, p.Sheet)
	}
	max := int64(p.Rows)
	if max <= 0 {
		max = -1 // unknown: a spinner with the count and the rate
	}
	opts := []progressbar.Option{
		progressbar.OptionSetWriter(b.w),
		progressbar.OptionSetDescription(desc),
		progressbar.OptionSetWidth(30),
		progressbar.OptionThrottle(b.throttle),
		progressbar.OptionClearOnFinish(),
		progressbar.OptionSetRenderBlankState(true),
	}
	if p.Stage == "reading" {
		opts = append(opts,
			progressbar.OptionShowCount(),
			progressbar.OptionShowIts(),
			progressbar.OptionSetItsString("rows"),
			progressbar.OptionSetPredictTime(true))
	} else {
		opts = append(opts, progressbar.OptionSetElapsedTime(true), progressbar.OptionSetPredictTime(false))
	}
	return progressbar.NewOptions64(max, opts...)
}

// finish ends the current bar, clearing its line.
func (b *barProgress) finish() {
	if b.bar != nil {
		b.bar.Finish()
		b.bar = nil
	}
}

func (b *barProgress) Done() { b.finish() }

// stepProgress shows one long step of backup or restore on a terminal:
// given a size, the bytes done of it (written to the step), the rate and
// the time left; without one, a spinner and the time taken, turning until
// Done. Off a terminal, or quiet, it shows nothing.
type stepProgress struct {
	bar  *progressbar.ProgressBar // nil: nothing is shown
	stop chan struct{}            // ends the spinner's ticks
	wg   sync.WaitGroup
}

// stepThrottle is how often a step's bar is drawn at most (tests draw every change).
var stepThrottle = 100 * time.Millisecond

func startStep(w io.Writer, desc string, size int64, quiet bool) *stepProgress {
	s := &stepProgress{}
	if quiet || !isTerminal(w) {
		return s
	}
	opts := []progressbar.Option{
		progressbar.OptionSetWriter(w),
		progressbar.OptionSetDescription(desc),
		progressbar.OptionSetWidth(30),
		progressbar.OptionThrottle(stepThrottle),
		progressbar.OptionClearOnFinish(),
		progressbar.OptionSetRenderBlankState(true),
		progressbar.OptionSetElapsedTime(true),
	}
	if size > 0 {
		s.bar = progressbar.NewOptions64(size, append(opts, progressbar.OptionShowBytes(true), progressbar.OptionSetPredictTime(true))...)
		return s
	}
	s.bar = progressbar.NewOptions64(-1, append(opts, progressbar.OptionSetPredictTime(false))...)
	s.stop = make(chan struct{})
	s.wg.Add(1)
	go func() { // a step with no size says nothing while it runs: keep the spinner and the clock moving
		defer s.wg.Done()
		tick := time.NewTicker(200 * time.Millisecond)
		defer tick.Stop()
		for {
			select {
			case <-s.stop:
				return
			case <-tick.C:
				s.bar.Add(0)
			}
		}
	}()
	return s
}

// Write counts p as done.
func (s *stepProgress) Write(p []byte) (int, error) {
	if s.bar != nil {
		s.bar.Add(len(p))
	}
	return len(p), nil
}

// Done ends the step, clearing its line.
func (s *stepProgress) Done() {
	if s.bar == nil {
		return
	}
	if s.stop != nil {
		close(s.stop)
		s.wg.Wait()
	}
	s.bar.Finish()
}
