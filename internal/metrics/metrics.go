// Package metrics holds the operators' Prometheus metrics: requests by route
// pattern and status, and the Go runtime's and the process's own. It lives
// apart from the web handlers, which only observe requests through an
// interface, so the handlers do not depend on the collectors (and the
// database/sql they bring).
package metrics

import (
	"net/http"
	"strconv"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"
)

// Metrics are the operators' Prometheus metrics. They count requests by route
// pattern and status, never by URL, user or case.
type Metrics struct {
	reg      *prometheus.Registry
	requests *prometheus.CounterVec
	duration *prometheus.HistogramVec
	scrub    scrubMetrics
}

// scrubMetrics are the audit scrubber's: where the chain is broken (0:
// whole), how many entries the last pass checked and when it ended.
type scrubMetrics struct {
	brokenAt, entries, finished prometheus.Gauge
}

// New registers the metrics and the Go runtime's.
func New() *Metrics {
	m := &Metrics{reg: prometheus.NewRegistry(),
		requests: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "tryggspor_http_requests_total",
			Help: "HTTP requests by route pattern, method and status."}, []string{"route", "method", "status"}),
		duration: prometheus.NewHistogramVec(prometheus.HistogramOpts{Name: "tryggspor_http_request_duration_seconds",
			Help: "HTTP request durations by route pattern.", Buckets: prometheus.DefBuckets}, []string{"route"}),
	}
	m.scrub = scrubMetrics{
		brokenAt: prometheus.NewGauge(prometheus.GaugeOpts{Name: "tryggspor_audit_scrub_broken_at",
			Help: "First bad audit entry found by the last full scrub pass (0: the chain is whole; -1: the pass failed)."}),
		entries: prometheus.NewGauge(prometheus.GaugeOpts{Name: "tryggspor_audit_scrub_entries",
			Help: "Audit entries checked by the last full scrub pass."}),
		finished: prometheus.NewGauge(prometheus.GaugeOpts{Name: "tryggspor_audit_scrub_last_pass_timestamp_seconds",
			Help: "When the last full scrub pass of the audit chain ended (Unix time)."}),
	}
	m.reg.MustRegister(m.requests, m.duration, m.scrub.brokenAt, m.scrub.entries, m.scrub.finished,
		collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	return m
}

// ObserveScrub records a finished scrub pass: brokenAt is the first bad
// entry (0: whole, -1: the pass could not be completed).
func (m *Metrics) ObserveScrub(brokenAt int64, entries int, at time.Time) {
	if m == nil {
		return
	}
	m.scrub.brokenAt.Set(float64(brokenAt))
	m.scrub.entries.Set(float64(entries))
	m.scrub.finished.Set(float64(at.Unix()))
}

// Observe counts one request.
func (m *Metrics) Observe(route, method string, status int, took time.Duration) {
	if m == nil {
		return
	}
	m.requests.WithLabelValues(route, method, strconv.Itoa(status)).Inc()
	m.duration.WithLabelValues(route).Observe(took.Seconds())
}

// Handler serves /metrics; mount it on the separate metrics listener only.
func (m *Metrics) Handler() http.Handler {
	mux := http.NewServeMux()
	mux.Handle("GET /metrics", promhttp.HandlerFor(m.reg, promhttp.HandlerOpts{}))
	return mux
}

// ReplicaLag publishes tryggspor_replica_lag_seconds, read from lag at each
// scrape: the age of the oldest write the replica does not have yet.
func (m *Metrics) ReplicaLag(lag func() float64) {
	m.reg.MustRegister(prometheus.NewGaugeFunc(prometheus.GaugeOpts{Name: "tryggspor_replica_lag_seconds",
		Help: "Age of the oldest write not yet in the replica (0: the replica has everything)."}, lag))
}
