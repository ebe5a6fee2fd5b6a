package store_test

import (
	"context"
	"database/sql"
	"errors"
	"strings"
	"testing"
	"time"

	"tryggspor/internal/testkit"
	"tryggspor/internal/tryggspor"
)

// TestHeldFormsAreBoundedPerUser: an ended session's cookie sent again and
// again keeps one form to resume, not thousands; confirmations keep the
// newest five; a form too large to hold is refused; a taken form is gone
// for a second taker (one DELETE).
func TestHeldFormsAreBoundedPerUser(t *testing.T) {
	ctx := context.Background()
	st, path := testkit.MustOpenStore(t, time.Now)
	form := tryggspor.HeldForm{Path: "/cases", Values: map[string][]string{"notes": {strings.Repeat("x", 1000)}}}
	var last string
	for range 30 {
		tok, err := st.HoldForm(ctx, 7, tryggspor.HoldResume, form)
		if err != nil {
			t.Fatal(err)
		}
		last = tok
	}
	for range 30 {
		if _, err := st.HoldForm(ctx, 7, tryggspor.HoldConfirm, form); err != nil {
			t.Fatal(err)
		}
	}
	raw, err := sql.Open("sqlite", "file:"+path+"?mode=ro")
	if err != nil {
		t.Fatal(err)
	}
	defer raw.Close()
	count := func(purpose tryggspor.HoldPurpose) (n int) {
		if err := raw.QueryRow(`SELECT count(*) FROM held_forms WHERE purpose = ?`, string(purpose)).Scan(&n); err != nil {
			t.Fatal(err)
		}
		return n
	}
	if r, c := count(tryggspor.HoldResume), count(tryggspor.HoldConfirm); r != 1 || c != 5 {
		t.Errorf("held after 30 of each: %d to resume (want 1), %d to confirm (want 5)", r, c)
	}
	if _, err := st.HeldForm(ctx, last, 7, tryggspor.HoldResume, true); err != nil {
		t.Fatalf("the newest form to resume: %v", err)
	}
	if _, err := st.HeldForm(ctx, last, 7, tryggspor.HoldResume, true); !errors.Is(err, tryggspor.ErrNoSession) {
		t.Errorf("a form taken twice: %v", err)
	}
	big := tryggspor.HeldForm{Path: "/cases", Values: map[string][]string{"notes": {strings.Repeat("x", tryggspor.MaxHeldBytes)}}}
	if _, err := st.HoldForm(ctx, 7, tryggspor.HoldResume, big); !errors.Is(err, tryggspor.ErrTooLargeToHold) {
		t.Errorf("a form larger than %d bytes: %v", tryggspor.MaxHeldBytes, err)
	}
}
