package store_test

import (
	"errors"
	"os"
	"testing"
	"time"

	"tryggspor/internal/tryggspor"
)

// BenchmarkAuditLog is the auditor's page through its use case
// (Service.AuditLog: filter, one page, the count, the month's summary, and
// the view's own audit entry, committed) and the CSV download up to its
// first row, on the log benchStore gives (TRYGGSPOR_BENCH_DB for the
// national data set). TRYGGSPOR_BENCH_USER names the user filtered on,
// TRYGGSPOR_BENCH_MONTH (YYYY-MM) the month of the date filter.
func BenchmarkAuditLog(b *testing.B) {
	st := benchStore(b)
	svc := &tryggspor.Service{Store: st, Now: time.Now}
	auditor := tryggspor.Actor{Name: "revisor-bench", Role: tryggspor.RoleAuditor, Org: "oslo"}
	user := os.Getenv("TRYGGSPOR_BENCH_USER")
	if user == "" {
		user = "politi-bench"
	}
	recs, _, err := st.SearchAudit(ctx, tryggspor.AuditFilter{Action: tryggspor.ActCaseView, User: user, Limit: 1})
	if err != nil || len(recs) == 0 {
		b.Fatal("no case views in the log", err)
	}
	_, ref, err := st.CaseRef(ctx, recs[0].Entry.CaseID)
	if err != nil {
		ref = recs[0].Entry.CaseID // the synthetic log's views name no real case
	}
	month := time.Now().AddDate(-3, 0, 0)
	if m, err := time.Parse("2006-01", os.Getenv("TRYGGSPOR_BENCH_MONTH")); err == nil {
		month = m // a month the data set covers
	}
	queries := []struct {
		name string
		q    tryggspor.AuditQuery
	}{
		{"user", tryggspor.AuditQuery{User: user}},
		{"ref", tryggspor.AuditQuery{Ref: ref}},
		{"action+from+to", tryggspor.AuditQuery{Action: string(tryggspor.ActCaseView),
			From: month.Format("2006-01-02"), To: month.AddDate(0, 1, 0).Format("2006-01-02")}},
		{"outcome", tryggspor.AuditQuery{Outcome: tryggspor.OutcomeDenied}},
		{"unfiltered", tryggspor.AuditQuery{}},
	}
	for _, q := range queries {
		b.Run(q.name, func(b *testing.B) {
			if q.name == "ref" && ref == recs[0].Entry.CaseID {
				b.Skip("the synthetic log has no case references")
			}
			c0 := cpuTime()
			defer func() { b.ReportMetric(float64((cpuTime()-c0).Microseconds())/1000/float64(b.N), "cpu-ms/op") }()
			for range b.N {
				p, err := svc.AuditLog(ctx, auditor, q.q)
				if err != nil || (len(p.Records) == 0 && q.name != "outcome" && os.Getenv("TRYGGSPOR_BENCH_DB") != "") {
					b.Fatal(q.q, err)
				}
			}
		})
	}
	errFirst := errors.New("first row")
	for _, q := range queries[:3] {
		b.Run("csv-first-row/"+q.name, func(b *testing.B) {
			if q.name == "ref" && ref == recs[0].Entry.CaseID {
				b.Skip("the synthetic log has no case references")
			}
			c0 := cpuTime()
			defer func() { b.ReportMetric(float64((cpuTime()-c0).Microseconds())/1000/float64(b.N), "cpu-ms/op") }()
			for range b.N {
				err := svc.AuditExport(ctx, auditor, q.q, func(tryggspor.AuditRecord) error { return errFirst })
				if err != nil && !errors.Is(err, errFirst) && tryggspor.ErrorKind(err) != tryggspor.KindInvalid {
					b.Fatal(err)
				}
			}
		})
	}
}
