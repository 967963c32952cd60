package main

import (
	"time"

	"github.com/schollz/progressbar/v3"
)

// progress is a progress bar on stderr, or nothing when stderr is not a
// terminal: a log file gets no redrawn lines.
type progress struct{ bar *progressbar.ProgressBar }

// newProgress starts a bar of max steps (-1: unknown, a spinner) described
// by desc, shown only when show is true.
func (a *app) newProgress(show bool, max int, desc string) *progress {
	if !show {
		return &progress{}
	}
	opts := []progressbar.Option{
		progressbar.OptionSetWriter(a.stderr),
		progressbar.OptionSetDescription(desc),
		progressbar.OptionSetWidth(30),
		progressbar.OptionThrottle(50 * time.Millisecond),
		progressbar.OptionClearOnFinish(),
	}
	if max > 0 {
		// A spinner has no count to show.
		opts = append(opts, progressbar.OptionShowCount())
	}
	return &progress{bar: progressbar.NewOptions(max, opts...)}
}

// Add moves the bar n steps on.
func (p *progress) Add(n int) {
	if p.bar != nil {
		_ = p.bar.Add(n)
	}
}

// Describe changes the bar's text.
func (p *progress) Describe(desc string) {
	if p.bar != nil {
		p.bar.Describe(desc)
	}
}

// Finish clears the bar, so that the summary line that follows starts on a
// clean line.
func (p *progress) Finish() {
	if p.bar != nil {
		_ = p.bar.Finish()
	}
}
