package handlers

import "testing"

// TestDayCacheKeepsOneDayWithinItsBound: a value is found on its day only,
// a value made for a day that has passed is not kept, and a full cache
// starts afresh.
func TestDayCacheKeepsOneDayWithinItsBound(t *testing.T) {
	c := dayCache[int]{max: 2}
	c.get("2026-12-05", "a")
	c.put("2026-12-05", "a", 1)
	if v, ok := c.get("2026-12-05", "a"); !ok || v != 1 {
		t.Fatalf("same day: %d %v", v, ok)
	}
	if _, ok := c.get("2026-12-06", "a"); ok {
		t.Fatal("yesterday's value found today")
	}
	c.put("2026-12-05", "late", 2) // made for the day that passed
	if _, ok := c.get("2026-12-06", "late"); ok {
		t.Fatal("a value of a passed day was kept")
	}
	c.put("2026-12-06", "x", 3)
	c.put("2026-12-06", "y", 4)
	if _, ok := c.get("2026-12-06", "x"); ok {
		t.Fatal("a full cache did not start afresh")
	}
}
