package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"strconv"
	"time"

	"tryggspor/handlers"
	"tryggspor/internal/app"
	"tryggspor/internal/config"
	"tryggspor/internal/privacy"
	"tryggspor/internal/tryggspor"
)

// cmdInnsyn writes the subject access report of one case (by its TP-
// reference) for the data-protection officer's process, as JSON or HTML;
// it is audited like the officers' report.
func cmdInnsyn(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	fs, c := newFlags("innsyn", stderr)
	ref := fs.String("ref", "", "the case's reference, TP-YYYY-NNNN")
	format := fs.String("format", "json", "json or html")
	lang := fs.String("lang", "nb", "html language: nb or en")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *ref == "" || (*format != "json" && *format != "html") {
		return fmt.Errorf("usage: tryggspor innsyn --ref TP-YYYY-NNNN [--format json|html]")
	}
	return c.withApp(ctx, getenv, time.Now, stderr, func(_ config.Config, a *app.App) error {
		svc := a.Service
		sys := tryggspor.System("innsyn")
		id, err := svc.CaseByRef(ctx, sys, *ref)
		if err != nil {
			return fmt.Errorf("%s: %s", *ref, tryggspor.ErrorMessage(err))
		}
		r, err := svc.SubjectAccess(ctx, sys, id)
		if err != nil {
			return err
		}
		orgs, err := svc.Organisations(ctx)
		if err != nil {
			return err
		}
		if *format == "html" {
			return handlers.RenderAccessReport(stdout, r, orgs, *lang)
		}
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(accessJSON(r, orgs))
	})
}

// accessJSON is the report as data: fields by their SPEC names with labels,
// events, and the access history.
func accessJSON(r *tryggspor.AccessReport, orgs []tryggspor.Organisation) any {
	names := tryggspor.NewDirectory(orgs).Names()
	type event struct {
		Seq   int                 `json:"seq"`
		Date  string              `json:"date"`
		Type  string              `json:"type"`
		Label string              `json:"label"`
		Actor string              `json:"actor"`
		Data  tryggspor.EventData `json:"data"`
		Text  tryggspor.EventText `json:"text"`
	}
	type access struct {
		At           string `json:"at"`
		Who          string `json:"who"`
		Role         string `json:"role"`
		Organisation string `json:"organisation"`
		Action       string `json:"action"`
		Purpose      string `json:"purpose"`
		Outcome      string `json:"outcome"`
	}
	c := r.Case
	out := struct {
		Ref       string            `json:"ref"`
		Generated string            `json:"generated"`
		Fields    map[string]string `json:"fields"`
		Events    []event           `json:"events"`
		Access    []access          `json:"access"`
	}{Ref: c.Ref, Generated: r.Generated.UTC().Format("2006-01-02T15:04:05Z"), Fields: map[string]string{
		"unit": c.Unit, "status": string(c.Status), "outcome": string(c.Outcome), "handover_to": c.HandoverTo,
		"safety_before": rating(c.SafetyBefore), "safety_after": rating(c.SafetyAfter), "anonymised": yesno(c.Anonymised),
	}}
	for _, f := range tryggspor.CaseFields() { // the register form's fields, from the domain's one table
		out.Fields[f.Code] = c.FieldValue(f.Code)
	}
	for _, e := range r.Timeline {
		out.Events = append(out.Events, event{e.Seq, tryggspor.FormatDate(e.Date), string(e.Type), e.Type.Label(), e.ActorName, e.Data, e.Text})
	}
	for _, a := range r.Access {
		out.Access = append(out.Access, access{a.At.In(tryggspor.Oslo).Format("2006-01-02T15:04:05-07:00"), a.Entry.Actor.Name,
			tryggspor.Label("userrole", string(a.Entry.Actor.Role)), names[a.Entry.Actor.Org],
			tryggspor.Label("action", string(a.Entry.Action)), string(a.Entry.Purpose), tryggspor.Label("audit_outcome", a.Entry.Outcome)})
	}
	return out
}

// rating is a safety rating as SPEC writes it: 1–5, or empty when none was given.
func rating(n int) string {
	if n == 0 {
		return ""
	}
	return strconv.Itoa(n)
}

func yesno(b bool) string {
	if b {
		return "yes"
	}
	return "no"
}

// cmdPrivacy writes the record of processing activities from the
// configuration (`privacy record --format md`).
func cmdPrivacy(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	if len(args) == 0 || args[0] != "record" {
		return fmt.Errorf("usage: tryggspor privacy record [--format md]")
	}
	fs, c := newFlags("privacy record", stderr)
	format := fs.String("format", "md", "md (Markdown)")
	if err := fs.Parse(args[1:]); err != nil {
		return err
	}
	if *format != "md" {
		return fmt.Errorf("--format %q: use md", *format)
	}
	cfg, err := c.load(getenv)
	if err != nil {
		return err
	}
	_, err = io.WriteString(stdout, privacy.Build(cfg).Markdown())
	return err
}
