package logins

import (
	"fmt"
	"testing"
	"time"
)

// The limiter keeps at most its size of counts, evicting the least
// recently used, and never clears them all: a flood of names from many
// addresses leaves a delayed pair that is still trying delayed.
func TestLoginLimiterBoundedNeverCleared(t *testing.T) {
	now := time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC)
	const size = 100
	l := New(5, 20, 15*time.Minute, func() time.Time { return now }, size)
	for range 6 {
		l.Failed("admin", "198.51.100.7")
	}
	if l.Wait("admin", "198.51.100.7") == 0 {
		t.Fatal("six failures: no delay")
	}
	for i := range 10000 {
		l.Failed(fmt.Sprintf("name%d", i), fmt.Sprintf("10.%d.%d.%d", i>>16&255, i>>8&255, i&255))
		if n := l.entries.Len(); n > size {
			t.Fatalf("%d entries, more than %d", n, size)
		}
		if i%20 == 0 && l.Wait("admin", "198.51.100.7") == 0 {
			t.Fatalf("after %d other names the delayed pair may try again", i+1)
		}
	}
	// The flood's own oldest entries are gone; its newest are kept.
	if l.Wait("name0", "10.0.0.0") != 0 || l.entries.Len() != size {
		t.Errorf("the oldest entry is still counted, or the table is not full: %d entries", l.entries.Len())
	}
	// Failures are forgotten a window after the last one.
	now = now.Add(15 * time.Minute)
	if l.Wait("admin", "198.51.100.7") != 0 {
		t.Error("still delayed a window after the last failure")
	}
}

// The delay doubles with each failure past the free ones, up to the window.
func TestLoginDelayDoubles(t *testing.T) {
	now := time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC)
	l := New(2, 100, time.Minute, func() time.Time { return now }, 10)
	var got []time.Duration
	for range 9 {
		l.Failed("sari", "192.0.2.1")
		got = append(got, l.Wait("sari", "192.0.2.1"))
	}
	want := []time.Duration{0, 2 * time.Second, 4 * time.Second, 8 * time.Second, 16 * time.Second, 32 * time.Second,
		time.Minute, time.Minute, time.Minute}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("waits %v, want %v", got, want)
	}
}
