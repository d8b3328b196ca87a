package health

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"
)

type fakeClock struct{ t time.Time }

func (c *fakeClock) now() time.Time { return c.t }

func status(t *testing.T, r *Registry) (int, map[string]any) {
	t.Helper()
	rec := httptest.NewRecorder()
	r.Handler().ServeHTTP(rec, httptest.NewRequest("GET", "/healthz", nil))
	var body map[string]any
	if err := json.Unmarshal(rec.Body.Bytes(), &body); err != nil {
		t.Fatalf("body %q: %v", rec.Body.String(), err)
	}
	return rec.Code, body
}

func TestHealthStates(t *testing.T) {
	clk := &fakeClock{t: time.Date(2026, 12, 7, 10, 0, 0, 0, time.UTC)}
	r := NewRegistry(30*time.Second, 5*time.Minute)
	r.now = clk.now
	c := r.Component("matcher/offers")
	if code, _ := status(t, r); code != http.StatusOK {
		t.Fatalf("starting within grace: %d, want 200", code)
	}
	// A consumer that cannot be created: healthy during the grace, then 503.
	c.Set(Retrying, errors.New("no responders"))
	clk.t = clk.t.Add(31 * time.Second)
	code, body := status(t, r)
	if code != http.StatusServiceUnavailable || body["status"] != unhealthy {
		t.Fatalf("retrying past grace: %d %v, want 503", code, body)
	}
	c.Set(Running, nil)
	if code, _ := status(t, r); code != http.StatusOK {
		t.Fatalf("running: %d, want 200", code)
	}
	// Messages waiting and no progress for too long: stuck.
	var waiting uint64 = 3
	c.Pending(func(context.Context) (uint64, error) { return waiting, nil })
	clk.t = clk.t.Add(4 * time.Minute)
	c.Progress()
	clk.t = clk.t.Add(4 * time.Minute)
	if code, _ := status(t, r); code != http.StatusOK {
		t.Fatalf("progress 4 min ago: %d, want 200", code)
	}
	clk.t = clk.t.Add(2 * time.Minute)
	if code, _ := status(t, r); code != http.StatusServiceUnavailable {
		t.Fatalf("3 waiting, no progress for 6 min: %d, want 503", code)
	}
	waiting = 0
	if code, _ := status(t, r); code != http.StatusOK {
		t.Fatalf("nothing waiting: %d, want 200 (idle is healthy)", code)
	}
	r.Component("web").Set(Failed, errors.New("listen: address in use"))
	if code, _ := status(t, r); code != http.StatusServiceUnavailable {
		t.Fatalf("a failed component: %d, want 503", code)
	}
	var nilc *Component
	nilc.Set(Running, nil) // components are optional: nil is a no-op
	nilc.Progress()
}
