package app

import (
	"bytes"
	"encoding/json"
	"net/http"
	"testing"
)

// Officers added by the admin get their own token, which works on the
// officers' API at once; they cannot add officers themselves; removed,
// their token stops working.
func TestOfficerAccounts(t *testing.T) {
	if testing.Short() {
		t.Skip("starts NATS and HTTP servers")
	}
	h := newHarness(t)
	a, _ := h.start([]string{Serve})
	admin, err := AdminToken(h.dataDir)
	if err != nil {
		t.Fatal(err)
	}
	call := func(method, path, tok string, body any) (int, map[string]any) {
		t.Helper()
		var rd *bytes.Reader
		if body != nil {
			b, _ := json.Marshal(body)
			rd = bytes.NewReader(b)
		} else {
			rd = bytes.NewReader(nil)
		}
		req, _ := http.NewRequest(method, "http://"+a.HTTPAddr()+path, rd)
		req.Header.Set("Authorization", "Bearer "+tok)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		var out map[string]any
		_ = json.NewDecoder(resp.Body).Decode(&out)
		return resp.StatusCode, out
	}
	code, res := call("POST", "/api/officers", admin, map[string]string{"name": "ENSAO — service insertion"})
	tok, _ := res["token"].(string)
	if code != http.StatusCreated || len(tok) < 32 {
		t.Fatalf("add officer: %d %v", code, res)
	}
	if code, _ := call("GET", "/api/profiles", tok, nil); code != http.StatusOK {
		t.Errorf("the new officer's token: %d on the officers' API", code)
	}
	if code, _ := call("POST", "/api/officers", tok, map[string]string{"name": "Intrus"}); code != http.StatusForbidden {
		t.Errorf("an officer added another: %d, want 403", code)
	}
	if code, _ := call("POST", "/api/officers", admin, map[string]string{"name": "ENSAO — service insertion"}); code != http.StatusBadRequest {
		t.Errorf("same name twice: %d, want 400", code)
	}
	if code, _ := call("DELETE", "/api/officers/ENSAO%20%E2%80%94%20service%20insertion", admin, nil); code != http.StatusOK {
		t.Errorf("remove: %d", code)
	}
	if code, _ := call("GET", "/api/profiles", tok, nil); code != http.StatusUnauthorized {
		t.Errorf("a removed officer's token: %d, want 401", code)
	}
}
