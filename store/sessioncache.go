package store

import (
	"sync"
	"time"

	"tryggspor/internal/tryggspor"
)

// sessionCacheFor is how long a session read from the database is used
// without reading it again. Every request needs its session and user; for
// the pages officers open all day that read was a tenth of the work. Changes
// made by this process (sign-out, sign-in with a new role, purge) take effect
// at once: they drop the entries concerned. A change made by another process
// on the same file (an operator's command) takes effect within this time.
const sessionCacheFor = 5 * time.Second

// maxCachedSessions bounds the cache; it starts afresh when full.
const maxCachedSessions = 10_000

// sessionCache holds live sessions by the hash of their id.
// Every drop moves the generation on, and a session read from the database
// is kept only if no drop happened since the read began: a read racing a
// sign-out can never put the ended session back.
type sessionCache struct {
	mu  sync.Mutex
	m   map[string]cachedSession
	gen uint64
}

type cachedSession struct {
	sess tryggspor.Session
	read time.Time // when it was read from the database
}

// get returns a session kept in memory and when it was read from the
// database.
func (c *sessionCache) get(idHash []byte, now time.Time) (tryggspor.Session, time.Time, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	e, ok := c.m[string(idHash)]
	if !ok || now.Sub(e.read) >= sessionCacheFor || now.Before(e.read) {
		return tryggspor.Session{}, time.Time{}, false
	}
	return e.sess, e.read, true
}

// generation is the generation to pass to put for a read beginning now.
func (c *sessionCache) generation() uint64 {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.gen
}

// put keeps s, read from the database at read, if nothing was dropped
// since generation gen.
func (c *sessionCache) put(idHash []byte, s tryggspor.Session, read time.Time, gen uint64) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if gen != c.gen {
		return
	}
	if c.m == nil || len(c.m) >= maxCachedSessions {
		c.m = map[string]cachedSession{}
	}
	c.m[string(idHash)] = cachedSession{sess: s, read: read}
}

// drop forgets one session.
func (c *sessionCache) drop(idHash []byte) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.gen++
	delete(c.m, string(idHash))
}

// dropUser forgets every session of a user (their name, role or unit may
// have changed).
func (c *sessionCache) dropUser(userID int64) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.gen++
	for k, e := range c.m {
		if e.sess.User.ID == userID {
			delete(c.m, k)
		}
	}
}

// clear forgets every session.
func (c *sessionCache) clear() {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.gen++
	c.m = nil
}
