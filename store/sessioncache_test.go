package store_test

import (
	"context"
	"database/sql"
	"errors"
	"sync"
	"testing"
	"time"

	"tryggspor/internal/testkit"
	"tryggspor/internal/tryggspor"
)

// TestCachedSessionsEndWhenTheyEnd: sessions are kept in memory for a few
// seconds (sessioncache.go). Signing out, a new role at sign-in and the idle
// limit take effect at once all the same; a session removed by another
// process stops working within those seconds; and a sign-out racing many
// reads of the same session never leaves it alive.
func TestCachedSessionsEndWhenTheyEnd(t *testing.T) {
	ctx := context.Background()
	clock := &testkit.Clock{T: time.Now()}
	st, path := testkit.MustOpenStore(t, clock.Now)
	officer := tryggspor.User{Issuer: "i", Subject: "s", Name: "Ola", Role: tryggspor.RoleOfficer, Org: "baerum"}
	u, err := st.UpsertUser(ctx, officer, tryggspor.AuditEntry{Action: "login", Outcome: "ok"})
	if err != nil {
		t.Fatal(err)
	}
	start := func() string {
		id, err := st.CreateSession(ctx, u.ID, "")
		if err != nil {
			t.Fatal(err)
		}
		if _, err := st.GetSession(ctx, id); err != nil { // now cached
			t.Fatal(err)
		}
		return id
	}

	id := start()
	if err := st.DeleteSession(ctx, id); err != nil {
		t.Fatal(err)
	}
	if _, err := st.GetSession(ctx, id); !errors.Is(err, tryggspor.ErrNoSession) {
		t.Errorf("a signed-out session still works: %v", err)
	}

	id = start()
	officer.Role, officer.Org = tryggspor.RoleGuide, "bekkestua-ungdomsskole"
	if _, err := st.UpsertUser(ctx, officer, tryggspor.AuditEntry{Action: "login", Outcome: "ok"}); err != nil {
		t.Fatal(err)
	}
	if s, err := st.GetSession(ctx, id); err != nil || s.User.Role != tryggspor.RoleGuide || s.User.Org != "bekkestua-ungdomsskole" {
		t.Errorf("after a sign-in with a new role the other session is %+v, %v", s, err)
	}

	id = start()
	clock.T = clock.T.Add(tryggspor.IdleTimeout + time.Second)
	if _, err := st.GetSession(ctx, id); !errors.As(err, new(*tryggspor.SessionEnded)) {
		t.Errorf("an idle session still works: %v", err)
	}

	id = start()
	db, err := sql.Open("sqlite", "file:"+path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if _, err := db.Exec(`DELETE FROM sessions`); err != nil { // an operator's command beside the server
		t.Fatal(err)
	}
	clock.T = clock.T.Add(5 * time.Second)
	if _, err := st.GetSession(ctx, id); !errors.Is(err, tryggspor.ErrNoSession) {
		t.Errorf("a session deleted by another process still works 5 s later: %v", err)
	}

	for round := 0; round < 20; round++ {
		id = start()
		stop := make(chan struct{})
		var wg sync.WaitGroup
		for r := 0; r < 4; r++ {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for {
					select {
					case <-stop:
						return
					default:
						st.GetSession(ctx, id)
					}
				}
			}()
		}
		err := st.DeleteSession(ctx, id)
		after, gerr := st.GetSession(ctx, id)
		close(stop)
		wg.Wait()
		if err != nil || !errors.Is(gerr, tryggspor.ErrNoSession) {
			t.Fatalf("round %d: signed out (%v), and then the session answered %+v, %v", round, err, after, gerr)
		}
		if _, err := st.GetSession(ctx, id); !errors.Is(err, tryggspor.ErrNoSession) {
			t.Fatalf("round %d: the session came back after the readers stopped: %v", round, err)
		}
	}
}

// TestSessionDeletedElsewhereEndsWithinCacheTimeEvenWhenTouched: a session
// removed by another process (an operator's command) stops working within
// the cache's 5 s even when the minute's activity write falls inside those
// seconds. That write found no row, and it used to put the session back in
// memory for another 5 s as if it had just been read: alive ~10 s after the
// operator removed it.
func TestSessionDeletedElsewhereEndsWithinCacheTimeEvenWhenTouched(t *testing.T) {
	ctx := context.Background()
	clock := &testkit.Clock{T: time.Now()}
	st, path := testkit.MustOpenStore(t, clock.Now)
	u, err := st.UpsertUser(ctx, tryggspor.User{Issuer: "i", Subject: "s", Name: "Ola", Role: tryggspor.RoleOfficer, Org: "baerum"},
		tryggspor.AuditEntry{Action: "login", Outcome: "ok"})
	if err != nil {
		t.Fatal(err)
	}
	id, err := st.CreateSession(ctx, u.ID, "")
	if err != nil {
		t.Fatal(err)
	}
	clock.T = clock.T.Add(58 * time.Second) // read (and kept) 2 s before its activity is due
	if _, err := st.GetSession(ctx, id); err != nil {
		t.Fatal(err)
	}
	db, err := sql.Open("sqlite", "file:"+path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if _, err := db.Exec(`DELETE FROM sessions`); err != nil { // another process
		t.Fatal(err)
	}
	clock.T = clock.T.Add(3 * time.Second) // from memory; the activity write is due and finds no row
	st.GetSession(ctx, id)
	clock.T = clock.T.Add(3 * time.Second) // 6 s after the read, 6 s after the removal
	if s, err := st.GetSession(ctx, id); !errors.Is(err, tryggspor.ErrNoSession) {
		t.Errorf("a session removed by another process 6 s ago still works: %+v, %v", s, err)
	}
}
