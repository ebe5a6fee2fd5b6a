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
}

// New registers the metrics and the Go runtime's.
func New() *Metrics {
	m := &Metrics{reg: prometheus.NewRegistry(),
		requests: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "tryggspor_http_requests_total",
			Help: "HTTP requests by route pattern, method and status."}, []string{"route", "method", "status"}),
		duration: prometheus.NewHistogramVec(prometheus.HistogramOpts{Name: "tryggspor_http_request_duration_seconds",
			Help: "HTTP request durations by route pattern.", Buckets: prometheus.DefBuckets}, []string{"route"}),
	}
	m.reg.MustRegister(m.requests, m.duration, collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	return m
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
