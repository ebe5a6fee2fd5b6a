package handlers

import "sync"

// dayCache holds what a handler renders once and reuses for the rest of a
// day: the blank forms and the case page's form sections (the menus are kept
// under one day that never passes). A look-up for another day, or one that
// finds the cache full (max > 0), starts it afresh; a value made for a day
// that has since passed is not kept.
type dayCache[V any] struct {
	mu  sync.Mutex
	day string
	m   map[string]V
	max int
}

// get is the value kept under key for day.
func (c *dayCache[V]) get(day, key string) (V, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.m == nil || c.day != day || (c.max > 0 && len(c.m) >= c.max) {
		c.day, c.m = day, map[string]V{}
	}
	v, ok := c.m[key]
	return v, ok
}

// put keeps v under key if the cache still holds day.
func (c *dayCache[V]) put(day, key string, v V) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.m != nil && c.day == day {
		c.m[key] = v
	}
}
