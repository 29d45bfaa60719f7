package dashboard

import (
	"strconv"
	"sync"

	"golang.org/x/sync/singleflight"

	"pantau/queries"
)

// resultCache keeps query results and built charts per (data version, key).
// An import or an undo bumps the database's data version, which empties the
// cache: nothing stale is ever served and nothing needs invalidating by hand.
// Concurrent misses for one key run the query once (singleflight).
type resultCache struct {
	db      *queries.DB
	limit   int
	mu      sync.Mutex
	version uint64
	m       map[string]any
	flight  singleflight.Group
}

func newResultCache(db *queries.DB, limit int) *resultCache {
	return &resultCache{db: db, limit: limit, m: map[string]any{}}
}

// get returns the cached value for key at the current data version, or
// builds, stores and returns it. A value built while an import committed is
// stored under the version it started at, so it is never served afterwards.
func get[T any](c *resultCache, key string, build func() (T, error)) (T, error) {
	version := c.db.DataVersion()
	c.mu.Lock()
	if version > c.version {
		c.version, c.m = version, map[string]any{}
	}
	v, ok := c.m[key]
	if version < c.version {
		ok = false // this request started before the newest import: build, do not store
	}
	c.mu.Unlock()
	if ok {
		return v.(T), nil
	}
	fv, err, _ := c.flight.Do(flightKey(version, key), func() (any, error) { return build() })
	if err != nil {
		var zero T
		return zero, err
	}
	c.mu.Lock()
	if c.version == version && queries.Settled(version) { // read while a commit landed: either state
		if len(c.m) >= c.limit {
			c.m = map[string]any{} // bounded: many distinct filters just start over
		}
		c.m[key] = fv
	}
	c.mu.Unlock()
	return fv.(T), nil
}

// peek returns the value cached for key at the current data version, if
// there is one, without building it.
func peek[T any](c *resultCache, key string) (T, bool) {
	version := c.db.DataVersion()
	c.mu.Lock()
	defer c.mu.Unlock()
	v, ok := c.m[key]
	if !ok || version != c.version {
		var zero T
		return zero, false
	}
	t, ok := v.(T)
	return t, ok
}

func flightKey(version uint64, key string) string {
	return strconv.FormatUint(version, 10) + "\x00" + key
}
