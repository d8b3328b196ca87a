// Package mailpit is a test harness around a real Mailpit SMTP server
// (github.com/axllent/mailpit, run as a separate binary, never linked): it
// finds or installs the binary, starts it on free loopback ports with a
// private database, waits until its HTTP API answers and stops it when the
// test ends. Tests then send mail to SMTPAddr and read what arrived through
// Mailpit's JSON API with typed results.
package mailpit

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

// Version is the Mailpit release installed when no binary is found.
const Version = "v1.27.11"

// installTimeout bounds `go install` of Mailpit (a cold module cache needs a
// few minutes on a small machine).
const installTimeout = 10 * time.Minute

// readyTimeout bounds the wait for a started Mailpit to answer.
const readyTimeout = 30 * time.Second

// Server is one running Mailpit instance owned by a test.
type Server struct {
	smtpAddr string
	apiBase  string
	client   *http.Client
}

// Address is a mailbox as Mailpit reports it.
type Address struct {
	Name    string `json:"Name"`
	Address string `json:"Address"`
}

// Summary is one entry of a message list (GET /api/v1/messages, /api/v1/search).
type Summary struct {
	ID        string    `json:"ID"`
	MessageID string    `json:"MessageID"`
	From      *Address  `json:"From"`
	To        []Address `json:"To"`
	Cc        []Address `json:"Cc"`
	Bcc       []Address `json:"Bcc"`
	Subject   string    `json:"Subject"`
	Created   time.Time `json:"Created"`
	Size      uint64    `json:"Size"`
	Snippet   string    `json:"Snippet"`
	Tags      []string  `json:"Tags"`
}

// ListUnsubscribe is Mailpit's reading of the List-Unsubscribe headers.
type ListUnsubscribe struct {
	Header     string   `json:"Header"`
	Links      []string `json:"Links"`
	Errors     string   `json:"Errors"`
	HeaderPost string   `json:"HeaderPost"`
}

// Message is a full message: summary fields, bodies and raw headers.
type Message struct {
	ID              string          `json:"ID"`
	MessageID       string          `json:"MessageID"`
	From            *Address        `json:"From"`
	To              []Address       `json:"To"`
	Cc              []Address       `json:"Cc"`
	ReplyTo         []Address       `json:"ReplyTo"`
	Subject         string          `json:"Subject"`
	Date            time.Time       `json:"Date"`
	Text            string          `json:"Text"`
	HTML            string          `json:"HTML"`
	Size            uint64          `json:"Size"`
	ListUnsubscribe ListUnsubscribe `json:"ListUnsubscribe"`
	// Headers are filled from /api/v1/message/{id}/headers, keyed by the
	// canonical header name (net/textproto form).
	Headers map[string][]string `json:"-"`
}

// Header returns the first value of the named header ("" when absent).
func (m *Message) Header(name string) string {
	for k, v := range m.Headers {
		if strings.EqualFold(k, name) && len(v) > 0 {
			return v[0]
		}
	}
	return ""
}

type messagesPage struct {
	Total         uint64    `json:"total"`
	MessagesCount uint64    `json:"messages_count"`
	Messages      []Summary `json:"messages"`
}

// Start runs a fresh Mailpit for t and stops it at t.Cleanup. A missing
// binary is installed with `go install` (skipped in -short mode); the test is
// skipped when it cannot be found or installed.
func Start(t testing.TB) *Server {
	t.Helper()
	return StartWith(t)
}

// StartWith is Start with extra Mailpit flags, for instance
// "--smtp-allowed-recipients", "^ok@" to make it refuse (5xx) every
// other recipient.
func StartWith(t testing.TB, extra ...string) *Server {
	t.Helper()
	bin, err := findBinary()
	if err != nil && testing.Short() {
		t.Skipf("mailpit: %v (not installing in -short mode)", err)
	}
	if err != nil {
		t.Logf("mailpit: %v; installing %s", err, Version)
		bin, err = install(t)
		if err != nil {
			t.Skipf("mailpit: not available (%v); install it with `go install github.com/axllent/mailpit@%s`", err, Version)
		}
	}

	smtpPort, err := freePort()
	if err != nil {
		t.Fatalf("mailpit: %v", err)
	}
	httpPort, err := freePort()
	if err != nil {
		t.Fatalf("mailpit: %v", err)
	}
	dir := t.TempDir()
	smtpAddr := net.JoinHostPort("127.0.0.1", strconv.Itoa(smtpPort))
	httpAddr := net.JoinHostPort("127.0.0.1", strconv.Itoa(httpPort))

	ctx, cancel := context.WithCancel(context.Background())
	args := []string{
		"--smtp", smtpAddr,
		"--listen", httpAddr,
		"--database", filepath.Join(dir, "mailpit.db"),
		"--smtp-auth-accept-any",
		"--smtp-auth-allow-insecure",
		"--smtp-disable-rdns",
		"--disable-version-check",
		"--max", "0", // keep every message: tests count them
		"--quiet",
	}
	cmd := exec.CommandContext(ctx, bin, append(args, extra...)...)
	logs := &syncBuffer{}
	cmd.Stdout = logs
	cmd.Stderr = logs
	cmd.WaitDelay = 5 * time.Second
	if err := cmd.Start(); err != nil {
		cancel()
		t.Fatalf("mailpit: start %s: %v", bin, err)
	}
	exited := make(chan error, 1)
	go func() { exited <- cmd.Wait() }()
	t.Cleanup(func() {
		cancel()
		<-exited
		if t.Failed() && logs.Len() > 0 {
			t.Logf("mailpit output:\n%s", logs.String())
		}
	})

	s := &Server{
		smtpAddr: smtpAddr,
		apiBase:  "http://" + httpAddr,
		client:   &http.Client{Timeout: 10 * time.Second},
	}
	if err := s.waitReady(exited); err != nil {
		t.Fatalf("mailpit: %v\n%s", err, logs.String())
	}
	return s
}

// SMTPAddr is "127.0.0.1:port" of the SMTP listener.
func (s *Server) SMTPAddr() string { return s.smtpAddr }

// SMTPURL is "smtp://127.0.0.1:port".
func (s *Server) SMTPURL() string { return "smtp://" + s.smtpAddr }

// APIURL is the base URL of the HTTP API and web UI.
func (s *Server) APIURL() string { return s.apiBase }

// Messages lists stored messages, newest first (up to 1000).
func (s *Server) Messages(ctx context.Context) ([]Summary, error) {
	var page messagesPage
	if err := s.getJSON(ctx, "/api/v1/messages?limit=1000", &page); err != nil {
		return nil, err
	}
	return page.Messages, nil
}

// Search lists messages matching a Mailpit search query
// (https://mailpit.axllent.org/docs/usage/search-filters/).
func (s *Server) Search(ctx context.Context, query string) ([]Summary, error) {
	var page messagesPage
	q := url.Values{"query": {query}, "limit": {"1000"}}
	if err := s.getJSON(ctx, "/api/v1/search?"+q.Encode(), &page); err != nil {
		return nil, err
	}
	return page.Messages, nil
}

// Message returns one message with its text, HTML and headers.
func (s *Server) Message(ctx context.Context, id string) (*Message, error) {
	var m Message
	esc := url.PathEscape(id)
	if err := s.getJSON(ctx, "/api/v1/message/"+esc, &m); err != nil {
		return nil, err
	}
	if err := s.getJSON(ctx, "/api/v1/message/"+esc+"/headers", &m.Headers); err != nil {
		return nil, err
	}
	return &m, nil
}

// Raw returns a message exactly as Mailpit received it (the .eml bytes).
func (s *Server) Raw(ctx context.Context, id string) ([]byte, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, s.apiBase+"/api/v1/message/"+url.PathEscape(id)+"/raw", nil)
	if err != nil {
		return nil, fmt.Errorf("mailpit: raw %s: %w", id, err)
	}
	resp, err := s.client.Do(req)
	if err != nil {
		return nil, fmt.Errorf("mailpit: raw %s: %w", id, err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, 32<<20))
	if err != nil {
		return nil, fmt.Errorf("mailpit: raw %s: %w", id, err)
	}
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("mailpit: raw %s: status %d: %.200s", id, resp.StatusCode, body)
	}
	return body, nil
}

// WaitFor polls until at least n messages are stored and returns them. It
// fails with the messages seen so far when timeout passes first.
func (s *Server) WaitFor(ctx context.Context, n int, timeout time.Duration) ([]Summary, error) {
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	tick := time.NewTicker(25 * time.Millisecond)
	defer tick.Stop()
	for {
		msgs, err := s.Messages(ctx)
		if err == nil && len(msgs) >= n {
			return msgs, nil
		}
		select {
		case <-ctx.Done():
			if err == nil {
				err = ctx.Err()
			}
			return msgs, fmt.Errorf("mailpit: wait for %d messages, have %d: %w", n, len(msgs), err)
		case <-tick.C:
		}
	}
}

// DeleteAll removes every stored message.
func (s *Server) DeleteAll(ctx context.Context) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodDelete, s.apiBase+"/api/v1/messages", nil)
	if err != nil {
		return fmt.Errorf("mailpit: delete all: %w", err)
	}
	resp, err := s.client.Do(req)
	if err != nil {
		return fmt.Errorf("mailpit: delete all: %w", err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		body, _ := io.ReadAll(io.LimitReader(resp.Body, 1024))
		return fmt.Errorf("mailpit: delete all: status %d: %s", resp.StatusCode, body)
	}
	return nil
}

func (s *Server) getJSON(ctx context.Context, path string, v any) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, s.apiBase+path, nil)
	if err != nil {
		return fmt.Errorf("mailpit: get %s: %w", path, err)
	}
	resp, err := s.client.Do(req)
	if err != nil {
		return fmt.Errorf("mailpit: get %s: %w", path, err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		body, _ := io.ReadAll(io.LimitReader(resp.Body, 1024))
		return fmt.Errorf("mailpit: get %s: status %d: %s", path, resp.StatusCode, body)
	}
	if err := json.NewDecoder(resp.Body).Decode(v); err != nil {
		return fmt.Errorf("mailpit: decode %s: %w", path, err)
	}
	return nil
}

// waitReady polls the API until it answers, the process exits, or the
// deadline passes.
func (s *Server) waitReady(exited <-chan error) error {
	ctx, cancel := context.WithTimeout(context.Background(), readyTimeout)
	defer cancel()
	tick := time.NewTicker(20 * time.Millisecond)
	defer tick.Stop()
	for {
		if _, err := s.Messages(ctx); err == nil {
			if c, err := net.DialTimeout("tcp", s.smtpAddr, time.Second); err == nil {
				_ = c.Close()
				return nil
			}
		}
		select {
		case err := <-exited:
			return fmt.Errorf("exited before ready: %v", err)
		case <-ctx.Done():
			return fmt.Errorf("not ready after %s", readyTimeout)
		case <-tick.C:
		}
	}
}

// findBinary looks on PATH, then in $GOBIN and $(go env GOPATH)/bin.
func findBinary() (string, error) {
	if p, err := exec.LookPath("mailpit"); err == nil {
		return p, nil
	}
	var dirs []string
	if gobin := goEnv("GOBIN"); gobin != "" {
		dirs = append(dirs, gobin)
	}
	if gopath := goEnv("GOPATH"); gopath != "" {
		for _, d := range filepath.SplitList(gopath) {
			dirs = append(dirs, filepath.Join(d, "bin"))
		}
	}
	for _, d := range dirs {
		p := filepath.Join(d, "mailpit")
		if fi, err := os.Stat(p); err == nil && !fi.IsDir() && fi.Mode()&0o111 != 0 {
			return p, nil
		}
	}
	return "", errors.New("mailpit binary not found on PATH, in $GOBIN or $(go env GOPATH)/bin")
}

func goEnv(key string) string {
	if v := os.Getenv(key); v != "" {
		return v
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	out, err := exec.CommandContext(ctx, "go", "env", key).Output()
	if err != nil {
		return ""
	}
	return strings.TrimSpace(string(out))
}

// install runs `go install github.com/axllent/mailpit@Version` and returns
// the installed binary.
func install(t testing.TB) (string, error) {
	ctx, cancel := context.WithTimeout(context.Background(), installTimeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, "go", "install", "github.com/axllent/mailpit@"+Version)
	out, err := cmd.CombinedOutput()
	if len(out) > 0 {
		t.Logf("go install mailpit:\n%s", out)
	}
	if err != nil {
		return "", fmt.Errorf("go install github.com/axllent/mailpit@%s: %w", Version, err)
	}
	return findBinary()
}

func freePort() (int, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, fmt.Errorf("find free port: %w", err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port, nil
}

// syncBuffer collects the child's output; Wait's copy goroutines write to it
// while the test may read it.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) Len() int {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Len()
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}
