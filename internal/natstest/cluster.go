package natstest

import (
	"fmt"
	"net"
	"net/url"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/nats-io/nats-server/v2/server"
)

// Cluster is a NATS cluster of embedded servers with JetStream, on
// loopback, for tests where clustering is the point: streams at R3, a
// node lost mid-stream.
type Cluster struct {
	t     testing.TB
	mu    sync.Mutex
	nodes []*server.Server
	opts  []*server.Options
}

// StartCluster starts n servers (n ≥ 1) named n0…n(n-1) that route to each
// other, each with its own store in t.TempDir(), and waits until they form
// a JetStream cluster with a meta leader. Everything stops at t.Cleanup.
func StartCluster(t testing.TB, n int) *Cluster {
	t.Helper()
	c := &Cluster{t: t}
	ports := freePorts(t, 2*n)
	var routes []*url.URL
	for i := range n {
		routes = append(routes, &url.URL{Scheme: "nats", Host: fmt.Sprintf("127.0.0.1:%d", ports[n+i])})
	}
	for i := range n {
		o := &server.Options{
			ServerName: fmt.Sprintf("n%d", i),
			Host:       "127.0.0.1",
			Port:       ports[i],
			JetStream:  true,
			StoreDir:   filepath.Join(t.TempDir(), fmt.Sprintf("n%d", i)),
			NoSigs:     true,
			NoLog:      true,
			Cluster: server.ClusterOpts{
				Name: "passerelle-test",
				Host: "127.0.0.1",
				Port: ports[n+i],
			},
			Routes: routes,
		}
		c.opts = append(c.opts, o)
		c.nodes = append(c.nodes, nil)
	}
	for i := range n {
		c.Restart(i)
	}
	t.Cleanup(func() {
		c.mu.Lock()
		defer c.mu.Unlock()
		for _, s := range c.nodes {
			if s != nil {
				s.Shutdown()
				s.WaitForShutdown()
			}
		}
	})
	deadline := time.Now().Add(30 * time.Second)
	for {
		ready := true
		for _, s := range c.nodes {
			if !s.JetStreamIsCurrent() || s.NumRoutes() < n-1 {
				ready = false
			}
		}
		if ready && c.metaLeader() != "" {
			return c
		}
		if time.Now().After(deadline) {
			t.Fatalf("natstest: cluster of %d not formed in 30 s", n)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

func (c *Cluster) metaLeader() string {
	for _, s := range c.nodes {
		if s != nil && s.JetStreamIsLeader() {
			return s.Name()
		}
	}
	return ""
}

// URLs is the client URL list of every node ("nats://…,nats://…").
func (c *Cluster) URLs() string {
	var us []string
	for _, o := range c.opts {
		us = append(us, fmt.Sprintf("nats://127.0.0.1:%d", o.Port))
	}
	return strings.Join(us, ",")
}

// Kill stops node name at once (clients connected to it reconnect to the
// others); it returns false when no running node has that name.
func (c *Cluster) Kill(name string) bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	for i, s := range c.nodes {
		if s != nil && s.Name() == name {
			s.Shutdown()
			s.WaitForShutdown()
			c.nodes[i] = nil
			return true
		}
	}
	return false
}

// Restart starts node i again on its store and ports (after Kill).
func (c *Cluster) Restart(i int) {
	c.t.Helper()
	c.mu.Lock()
	defer c.mu.Unlock()
	s, err := server.NewServer(c.opts[i])
	if err != nil {
		c.t.Fatalf("natstest: node %d: %v", i, err)
	}
	go s.Start()
	if !s.ReadyForConnections(15 * time.Second) {
		c.t.Fatalf("natstest: node %d not ready", i)
	}
	c.nodes[i] = s
}

func freePorts(t testing.TB, n int) []int {
	t.Helper()
	var ls []net.Listener
	var ps []int
	for range n {
		l, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		ls = append(ls, l)
		ps = append(ps, l.Addr().(*net.TCPAddr).Port)
	}
	for _, l := range ls {
		l.Close()
	}
	return ps
}
