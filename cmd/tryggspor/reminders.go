package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"strconv"
	"strings"

	"tryggspor/internal/app"
	"tryggspor/internal/config"
	"tryggspor/internal/tryggspor"
	"tryggspor/store"
)

type createdJSON struct {
	Rule      string `json:"rule"`
	CaseRef   string `json:"case_ref"`
	DueOn     string `json:"due_on"`
	Recipient string `json:"recipient"`
}

// cmdReminders runs `reminders run` (one sweep) or `reminders digest` (today's
// digests), both with --now for tests and catch-up runs.
func cmdReminders(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	if len(args) == 0 || (args[0] != "run" && args[0] != "digest") {
		return fmt.Errorf("usage: tryggspor reminders run|digest [--now RFC3339] [--format json]")
	}
	sub := args[0]
	fs, c := newFlags("reminders "+sub, stderr)
	nowS := fs.String("now", "", "evaluate as of this instant (RFC 3339)")
	format := fs.String("format", "text", "output format: text or json")
	if err := fs.Parse(args[1:]); err != nil {
		return err
	}
	now, err := nowFlag(*nowS)
	if err != nil {
		return err
	}
	return c.withStore(ctx, getenv, func(cfg config.Config, st *store.Store) error {
		eng := app.FromConfig(st, cfg, now, newLogger(cfg, stderr)).Engine
		if sub == "digest" {
			n, err := eng.Digest(ctx)
			if err != nil {
				return err
			}
			fmt.Fprintf(stdout, "%d digests sent\n", n)
			return nil
		}
		created, err := eng.Sweep(ctx)
		if err != nil {
			return err
		}
		users, err := st.ListUsers(ctx)
		if err != nil {
			return err
		}
		out := struct {
			Created []createdJSON `json:"created"`
		}{Created: []createdJSON{}}
		for _, r := range created {
			out.Created = append(out.Created, createdJSON{Rule: r.Rule, CaseRef: r.CaseRef,
				DueOn: tryggspor.FormatDate(r.DueOn), Recipient: recipientName(r.Recipient, users)})
		}
		if *format == "json" {
			enc := json.NewEncoder(stdout)
			enc.SetIndent("", "  ")
			return enc.Encode(out)
		}
		for _, r := range out.Created {
			fmt.Fprintf(stdout, "%s\t%s\t%s\t%s\n", r.DueOn, r.Rule, r.CaseRef, r.Recipient)
		}
		fmt.Fprintf(stdout, "%d reminders created\n", len(out.Created))
		return nil
	})
}

// recipientName shows a user recipient by e-mail address; groups stay as
// "guides:<org>" and the like.
func recipientName(r string, users []tryggspor.User) string {
	id, ok := strings.CutPrefix(r, "user:")
	if !ok {
		return r
	}
	n, _ := strconv.ParseInt(id, 10, 64)
	for _, u := range users {
		if u.ID == n && u.Email != "" {
			return u.Email
		}
	}
	return r
}
