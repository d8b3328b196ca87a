// Package health tracks whether each component of a process is alive and
// consuming, for GET /healthz: a component is unhealthy while it cannot
// (re)create its consumer for longer than a grace period, when it stopped
// with an error, or when messages wait for it and it has made no progress
// for too long.
package health

import (
	"context"
	"encoding/json"
	"net/http"
	"sort"
	"sync"
	"time"
)

// Component states.
const (
	Starting  = "starting"
	Running   = "running"
	Retrying  = "retrying" // its consumer or watch cannot be (re)created yet
	Stopped   = "stopped"  // ended cleanly (shutdown)
	Failed    = "failed"   // ended with an error
	Degraded  = "degraded" // running, but its last attempt at something failed
	unhealthy = "unhealthy"
)

// Registry holds a process's components.
type Registry struct {
	mu         sync.Mutex
	comps      map[string]*Component
	grace      time.Duration
	stuckAfter time.Duration
	now        func() time.Time
}

// NewRegistry returns a registry: a component retrying for longer than
// grace, or with work waiting and no progress for stuckAfter, is unhealthy.
func NewRegistry(grace, stuckAfter time.Duration) *Registry {
	if grace <= 0 {
		grace = 30 * time.Second
	}
	if stuckAfter <= 0 {
		stuckAfter = 5 * time.Minute
	}
	return &Registry{comps: map[string]*Component{}, grace: grace, stuckAfter: stuckAfter, now: time.Now}
}

// Component is one part of a process (a consumer, a watch, the web).
type Component struct {
	r    *Registry
	name string

	mu       sync.Mutex
	state    string
	err      string
	since    time.Time
	progress time.Time
	pending  func(ctx context.Context) (uint64, error)
}

// Component returns the component called name, registering it Starting.
func (r *Registry) Component(name string) *Component {
	r.mu.Lock()
	defer r.mu.Unlock()
	if c, ok := r.comps[name]; ok {
		return c
	}
	c := &Component{r: r, name: name, state: Starting, since: r.now()}
	r.comps[name] = c
	return c
}

// Set records the component's state and the error behind it (nil clears).
func (c *Component) Set(state string, err error) {
	if c == nil {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if state != c.state {
		c.since = c.r.now()
	}
	c.state = state
	c.err = ""
	if err != nil {
		c.err = err.Error()
	}
}

// Progress records that the component just handled something.
func (c *Component) Progress() {
	if c == nil {
		return
	}
	c.mu.Lock()
	c.progress = c.r.now()
	c.mu.Unlock()
}

// Pending sets how to read the number of messages waiting for the
// component (its consumer's pending and unacknowledged counts).
func (c *Component) Pending(f func(ctx context.Context) (uint64, error)) {
	if c == nil {
		return
	}
	c.mu.Lock()
	c.pending = f
	c.mu.Unlock()
}

// Report is one component's line of /healthz.
type Report struct {
	Name         string     `json:"name"`
	State        string     `json:"state"`
	Healthy      bool       `json:"healthy"`
	Since        time.Time  `json:"since"`
	LastProgress *time.Time `json:"last_progress,omitempty"`
	Pending      *uint64    `json:"pending,omitempty"`
	Error        string     `json:"error,omitempty"`
	Reason       string     `json:"reason,omitempty"`
}

// Check reports every component, sorted by name, and whether all are
// healthy.
func (r *Registry) Check(ctx context.Context) ([]Report, bool) {
	r.mu.Lock()
	comps := make([]*Component, 0, len(r.comps))
	for _, c := range r.comps {
		comps = append(comps, c)
	}
	r.mu.Unlock()
	sort.Slice(comps, func(i, j int) bool { return comps[i].name < comps[j].name })
	now := r.now()
	all := true
	out := make([]Report, 0, len(comps))
	for _, c := range comps {
		c.mu.Lock()
		rep := Report{Name: c.name, State: c.state, Since: c.since, Error: c.err, Healthy: true}
		if !c.progress.IsZero() {
			p := c.progress
			rep.LastProgress = &p
		}
		pending := c.pending
		c.mu.Unlock()
		switch {
		case rep.State == Failed:
			rep.Healthy, rep.Reason = false, "stopped with an error"
		case (rep.State == Retrying || rep.State == Starting) && now.Sub(rep.Since) > r.grace:
			rep.Healthy, rep.Reason = false, "not consuming for "+now.Sub(rep.Since).Round(time.Second).String()
		}
		if pending != nil && rep.State == Running {
			pctx, cancel := context.WithTimeout(ctx, 2*time.Second)
			n, err := pending(pctx)
			cancel()
			if err == nil {
				rep.Pending = &n
				last := rep.Since
				if rep.LastProgress != nil && rep.LastProgress.After(last) {
					last = *rep.LastProgress
				}
				if n > 0 && now.Sub(last) > r.stuckAfter {
					rep.Healthy, rep.Reason = false, "messages waiting and no progress for "+now.Sub(last).Round(time.Second).String()
				}
			}
		}
		all = all && rep.Healthy
		out = append(out, rep)
	}
	return out, all
}

// Handler answers GET /healthz: 200 with every component when all are
// healthy, 503 otherwise.
func (r *Registry) Handler() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		reps, ok := r.Check(req.Context())
		status, word := http.StatusOK, "ok"
		if !ok {
			status, word = http.StatusServiceUnavailable, unhealthy
		}
		w.Header().Set("Content-Type", "application/json; charset=utf-8")
		w.Header().Set("Cache-Control", "no-store")
		w.WriteHeader(status)
		_ = json.NewEncoder(w).Encode(map[string]any{"status": word, "components": reps})
	})
}
