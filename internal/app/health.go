package app

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"sync"
	"time"

	"github.com/nats-io/nats.go/jetstream"
	"github.com/prometheus/client_golang/prometheus"

	"github.com/passerelle/passerelle/bus"
	"github.com/passerelle/passerelle/internal/health"
	"github.com/passerelle/passerelle/internal/metrics"
)

// Health of the process's components, /healthz and /metrics on every
// process (crawl, match, notify and serve alike): a supervisor restarts a
// process whose /healthz says 503, and Prometheus scrapes /metrics.

// componentHealth returns the health hook of a component's consumer
// reading its pending work from stream's durable consumer (when durable is
// set).
func (a *App) componentHealth(name, stream, durable string) *health.Component {
	c := a.health.Component(name)
	if durable != "" {
		c.Pending(func(ctx context.Context) (uint64, error) {
			cons, err := a.js.Consumer(ctx, stream, durable)
			if err != nil {
				return 0, err
			}
			info, err := cons.Info(ctx)
			if err != nil {
				return 0, err
			}
			return info.NumPending + uint64(info.NumAckPending), nil
		})
	}
	return c
}

// hook adapts a *health.Component to bus.ConsumerHealth (nil stays nil).
func hook(c *health.Component) bus.ConsumerHealth {
	if c == nil {
		return nil
	}
	return c
}

// handler is the process's HTTP handler: /healthz and /metrics, and the
// web app in a serving process.
func (a *App) handler() http.Handler {
	mux := http.NewServeMux()
	mux.Handle("GET /healthz", a.health.Handler())
	mux.Handle("GET /metrics", metrics.Handler())
	if a.web != nil {
		mux.Handle("/", a.web)
	} else {
		mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
			http.Error(w, "this Passerelle process does not serve the web app (only /healthz and /metrics)", http.StatusNotFound)
		})
	}
	return mux
}

// serveHTTP serves the process's handler on ln until ctx is done.
func (a *App) serveHTTP(ctx context.Context, ln net.Listener) error {
	srv := &http.Server{
		Handler:           a.handler(),
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       60 * time.Second,
		WriteTimeout:      5 * time.Minute, // exports stream
		IdleTimeout:       2 * time.Minute,
	}
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	select {
	case err := <-errc:
		if errors.Is(err, http.ErrServerClosed) {
			return nil
		}
		return fmt.Errorf("http: serve %s: %w", ln.Addr(), err)
	case <-ctx.Done():
	}
	shut, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := srv.Shutdown(shut); err != nil {
		return fmt.Errorf("http: shutdown: %w", err)
	}
	return nil
}

// busCollector reads, at scrape time, the lag of the durable consumers and
// the number of dead letters.
type busCollector struct {
	js      jetstream.JetStream
	pending *prometheus.Desc
	ackPend *prometheus.Desc
	dead    *prometheus.Desc
}

var (
	collectorMu  sync.Mutex
	collectorSet bool
)

// registerBusCollector registers the collector of this process (once: the
// first App of a process, as tests start several).
func (a *App) registerBusCollector() {
	collectorMu.Lock()
	defer collectorMu.Unlock()
	if collectorSet {
		return
	}
	collectorSet = true
	metrics.Registry.MustRegister(&busCollector{
		js:      a.js,
		pending: prometheus.NewDesc("passerelle_consumer_pending", "Messages not yet delivered to a durable consumer.", []string{"stream", "consumer"}, nil),
		ackPend: prometheus.NewDesc("passerelle_consumer_ack_pending", "Messages delivered to a durable consumer and not yet acknowledged.", []string{"stream", "consumer"}, nil),
		dead:    prometheus.NewDesc("passerelle_dead_letters", "Messages in the DEAD stream (see `passerelle dead`).", nil, nil),
	})
}

func (c *busCollector) Describe(ch chan<- *prometheus.Desc) {
	ch <- c.pending
	ch <- c.ackPend
	ch <- c.dead
}

func (c *busCollector) Collect(ch chan<- prometheus.Metric) {
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Second)
	defer cancel()
	for _, stream := range []string{bus.StreamOffers, bus.StreamMatches, bus.StreamOutbox, bus.StreamCrawl} {
		st, err := c.js.Stream(ctx, stream)
		if err != nil {
			continue
		}
		for info := range st.ListConsumers(ctx).Info() {
			ch <- prometheus.MustNewConstMetric(c.pending, prometheus.GaugeValue, float64(info.NumPending), stream, info.Name)
			ch <- prometheus.MustNewConstMetric(c.ackPend, prometheus.GaugeValue, float64(info.NumAckPending), stream, info.Name)
		}
	}
	if st, err := c.js.Stream(ctx, bus.StreamDead); err == nil {
		if info, err := st.Info(ctx); err == nil {
			ch <- prometheus.MustNewConstMetric(c.dead, prometheus.GaugeValue, float64(info.State.Msgs))
		}
	}
}
