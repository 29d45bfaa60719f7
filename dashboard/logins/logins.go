// Package logins slows password guessing down without locking anyone out.
// It knows nothing of HTTP: the dashboard asks it before a login and tells
// it how each one went.
package logins

import (
	"slices"
	"strings"
	"sync"
	"time"

	lru "github.com/hashicorp/golang-lru/v2"
)

// Limiter counts failed logins. Failed logins are counted per (user name, client address) and per client
// address: after a number of free failures, each further attempt from that
// pair (or address) must wait a delay that doubles with every failure, up
// to the window. A guesser elsewhere therefore never delays the real user,
// who is only slowed by their own typos; a successful login costs nothing
// and clears its pair. Failures are forgotten a window after the last one.
// The counts live in an LRU of bounded size: a flood of names evicts the
// oldest entries and never resets the others.
type Limiter struct {
	perPair, perAddress int           // free failures before the delays start
	window              time.Duration // the longest delay; failures older than this are forgotten
	now                 func() time.Time
	mu                  sync.Mutex
	entries             *lru.Cache[string, *failures]
}

// failures are the failed logins of one key: a pair or an address.
type failures struct {
	Username string // "" for an address's count
	Address  string
	Count    int
	Last     time.Time // of the last failure
	free     int
}

// firstDelay is the wait after the last free failure; it doubles after each
// further one.
const firstDelay = 2 * time.Second

// New makes a limiter: perPair and perAddress free failures, delays up to
// window, at most size counts kept; now is the clock.
func New(perPair, perAddress int, window time.Duration, now func() time.Time, size int) *Limiter {
	entries, err := lru.New[string, *failures](size)
	if err != nil {
		panic(err) // only for a size below 1, which New never passes
	}
	return &Limiter{perPair: perPair, perAddress: perAddress, window: window, now: now, entries: entries}
}

// Until is when the key's next attempt is allowed: the zero time while the
// free failures last.
func (f *failures) Until(window time.Duration) time.Time {
	if f.Count < f.free {
		return time.Time{}
	}
	delay := firstDelay << min(f.Count-f.free, 20)
	return f.Last.Add(min(delay, window))
}

func pairKey(username, address string) string {
	return "p\x00" + strings.ToLower(strings.TrimSpace(username)) + "\x00" + address
}

func addressKey(address string) string { return "a\x00" + address }

// Wait is how long an attempt for username from address must still wait
// (0: it may go ahead).
func (l *Limiter) Wait(username, address string) time.Duration {
	l.mu.Lock()
	defer l.mu.Unlock()
	now := l.now()
	var until time.Time
	for _, key := range []string{pairKey(username, address), addressKey(address)} {
		if f, ok := l.current(key, now); ok {
			if u := f.Until(l.window); u.After(until) {
				until = u
			}
		}
	}
	return max(until.Sub(now), 0)
}

// current is key's failures, unless they are forgotten by now.
func (l *Limiter) current(key string, now time.Time) (*failures, bool) {
	f, ok := l.entries.Get(key)
	if ok && now.Sub(f.Last) >= l.window {
		l.entries.Remove(key)
		return nil, false
	}
	return f, ok
}

// Failed counts a failed login for username from address.
func (l *Limiter) Failed(username, address string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	now := l.now()
	name := strings.ToLower(strings.TrimSpace(username))
	for _, key := range []string{pairKey(username, address), addressKey(address)} {
		f, ok := l.current(key, now)
		if !ok {
			f = &failures{Address: address, free: l.perAddress}
			if key[0] == 'p' {
				f.Username, f.free = name, l.perPair
			}
			l.entries.Add(key, f)
		}
		f.Count++
		f.Last = now
	}
}

// Succeeded clears the pair's failures: the person knew the password. The
// address's count stays, or one good account would reset a guesser's.
func (l *Limiter) Succeeded(username, address string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.entries.Remove(pairKey(username, address))
}

// Delayed are the pairs and addresses whose next attempt must wait now,
// the longest wait first, for the admin page.
func (l *Limiter) Delayed() []Delay {
	l.mu.Lock()
	defer l.mu.Unlock()
	now := l.now()
	var list []Delay
	for _, key := range l.entries.Keys() {
		f, ok := l.entries.Peek(key)
		if !ok || now.Sub(f.Last) >= l.window {
			continue
		}
		if until := f.Until(l.window); until.After(now) {
			list = append(list, Delay{Username: f.Username, Address: f.Address, Failures: f.Count, Until: until})
		}
	}
	slices.SortFunc(list, func(a, b Delay) int { return b.Until.Compare(a.Until) })
	return list
}

// Delay is one delayed pair or address as the admin page lists it.
type Delay struct {
	Username, Address string // Username is "" for an address
	Failures          int
	Until             time.Time
}

// Lift forgets the failures of username from address, or of address when
// username is ""; false when there were none.
func (l *Limiter) Lift(username, address string) bool {
	key := addressKey(address)
	if username != "" {
		key = pairKey(username, address)
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.entries.Remove(key)
}
