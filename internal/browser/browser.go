// Package browser drives a headless Chromium through ChromeDriver's W3C
// WebDriver HTTP API, for tests of the web pages as a person sees them. It
// uses only net/http; tests skip when chromium or chromedriver is missing.
package browser

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"strconv"
	"testing"
	"time"
)

// Session is one browser window.
type Session struct {
	base   string // http://127.0.0.1:port/session/<id>
	client *http.Client
}

// Start launches chromedriver on a free loopback port and opens a headless
// Chromium session; both stop at t.Cleanup. It skips the test when the
// Debian packages chromium and chromium-driver are not installed.
func Start(t testing.TB) *Session {
	t.Helper()
	driver, err := exec.LookPath("chromedriver")
	if err != nil {
		t.Skip("chromedriver not installed (Debian package chromium-driver): browser test skipped")
	}
	chrome := ""
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome"} {
		if p, err := exec.LookPath(name); err == nil {
			chrome = p
			break
		}
	}
	if chrome == "" {
		t.Skip("chromium not installed (Debian package chromium): browser test skipped")
	}
	port, err := freePort()
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(driver, "--port="+strconv.Itoa(port), "--allowed-ips=127.0.0.1")
	cmd.Stdout, cmd.Stderr = io.Discard, io.Discard
	if err := cmd.Start(); err != nil {
		t.Fatalf("start chromedriver: %v", err)
	}
	t.Cleanup(func() { _ = cmd.Process.Kill(); _ = cmd.Wait() })
	root := "http://127.0.0.1:" + strconv.Itoa(port)
	client := &http.Client{Timeout: 60 * time.Second}
	deadline := time.Now().Add(20 * time.Second)
	for {
		resp, err := client.Get(root + "/status")
		if err == nil {
			resp.Body.Close()
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("chromedriver not ready: %v", err)
		}
		time.Sleep(50 * time.Millisecond)
	}
	profile := t.TempDir()
	caps := map[string]any{"capabilities": map[string]any{"alwaysMatch": map[string]any{
		"browserName": "chrome",
		"goog:chromeOptions": map[string]any{
			"binary": chrome,
			"args": []string{"--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
				"--disable-background-networking", "--disable-component-update", "--disable-sync",
				"--disable-dev-shm-usage", "--user-data-dir=" + profile, "--window-size=1024,900"},
		},
	}}}
	var created struct {
		SessionID string `json:"sessionId"`
	}
	if err := call(client, http.MethodPost, root+"/session", caps, &created); err != nil {
		t.Fatalf("new browser session: %v", err)
	}
	s := &Session{base: root + "/session/" + created.SessionID, client: client}
	t.Cleanup(func() { _ = call(client, http.MethodDelete, s.base, nil, nil) })
	return s
}

func freePort() (int, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer ln.Close()
	return ln.Addr().(*net.TCPAddr).Port, nil
}

func call(c *http.Client, method, url string, body, out any) error {
	var r io.Reader
	if body != nil {
		b, err := json.Marshal(body)
		if err != nil {
			return err
		}
		r = bytes.NewReader(b)
	}
	req, err := http.NewRequestWithContext(context.Background(), method, url, r)
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", "application/json")
	resp, err := c.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(resp.Body)
	if err != nil {
		return err
	}
	var env struct {
		Value json.RawMessage `json:"value"`
	}
	if err := json.Unmarshal(raw, &env); err != nil {
		return fmt.Errorf("webdriver %s %s: %d %s", method, url, resp.StatusCode, raw)
	}
	if resp.StatusCode >= 300 {
		return fmt.Errorf("webdriver %s %s: %d %s", method, url, resp.StatusCode, env.Value)
	}
	if out != nil && len(env.Value) > 0 && string(env.Value) != "null" {
		return json.Unmarshal(env.Value, out)
	}
	return nil
}

// Go navigates to url and waits for the page to load.
func (s *Session) Go(url string) error {
	return call(s.client, http.MethodPost, s.base+"/url", map[string]string{"url": url}, nil)
}

// Text returns the visible text of the first element matching the CSS selector.
func (s *Session) Text(css string) (string, error) {
	id, err := s.find(css)
	if err != nil {
		return "", err
	}
	var txt string
	err = call(s.client, http.MethodGet, s.base+"/element/"+id+"/text", nil, &txt)
	return txt, err
}

// Attr returns an attribute of the first element matching css.
func (s *Session) Attr(css, name string) (string, error) {
	id, err := s.find(css)
	if err != nil {
		return "", err
	}
	var v *string
	err = call(s.client, http.MethodGet, s.base+"/element/"+id+"/attribute/"+name, nil, &v)
	if v == nil {
		return "", err
	}
	return *v, err
}

// Click clicks the first element matching css.
func (s *Session) Click(css string) error {
	id, err := s.find(css)
	if err != nil {
		return err
	}
	return call(s.client, http.MethodPost, s.base+"/element/"+id+"/click", map[string]any{}, nil)
}

// WaitFor polls until an element matching css exists or the timeout passes.
func (s *Session) WaitFor(css string, timeout time.Duration) error {
	deadline := time.Now().Add(timeout)
	for {
		_, err := s.find(css)
		if err == nil {
			return nil
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("element %q not found after %s: %w", css, timeout, err)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// Screenshot saves a PNG of the window to path.
func (s *Session) Screenshot(path string) error {
	var b64 string
	if err := call(s.client, http.MethodGet, s.base+"/screenshot", nil, &b64); err != nil {
		return err
	}
	png, err := base64.StdEncoding.DecodeString(b64)
	if err != nil {
		return err
	}
	return os.WriteFile(path, png, 0o644)
}

func (s *Session) find(css string) (string, error) {
	var el map[string]string
	if err := call(s.client, http.MethodPost, s.base+"/element", map[string]string{"using": "css selector", "value": css}, &el); err != nil {
		return "", err
	}
	for _, v := range el { // the key is the W3C element identifier
		return v, nil
	}
	return "", fmt.Errorf("element %q: empty answer", css)
}
