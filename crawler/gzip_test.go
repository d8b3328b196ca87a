package crawler

import (
	"bytes"
	"compress/gzip"
	"context"
	"errors"
	"net/http"
	"runtime"
	"testing"
)

// gzipOf is a gzip stream of n MiB of zeros, compressed once or twice:
// one member of 1 MiB repeated (a reader decompresses every member), so
// that building it costs one MiB of compression even under -race.
func gzipOf(t *testing.T, mib int, twice bool) []byte {
	t.Helper()
	var one bytes.Buffer
	zw, _ := gzip.NewWriterLevel(&one, gzip.BestCompression)
	if _, err := zw.Write(make([]byte, 1<<20)); err != nil {
		t.Fatal(err)
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	b := bytes.Repeat(one.Bytes(), mib)
	if !twice {
		return b
	}
	var b2 bytes.Buffer
	zw2 := gzip.NewWriter(&b2)
	_, _ = zw2.Write(b)
	_ = zw2.Close()
	return b2.Bytes()
}

// TestFetchGzipBomb: a page that is small on the wire but huge once
// decompressed is refused as too large, by whichever path would
// decompress it (Colly gunzips a gzip Content-Type, a .xml.gz path and a
// Content-Encoding the transport left alone, after its size cap), without
// ever holding the decompressed body; a small compressed page still reads.
func TestFetchGzipBomb(t *testing.T) {
	const limit = 1 << 20
	const inflatedMiB = 128
	bomb := gzipOf(t, inflatedMiB, false)
	var sb bytes.Buffer
	sw := gzip.NewWriter(&sb)
	_, _ = sw.Write(make([]byte, 1000))
	_ = sw.Close()
	small := sb.Bytes()
	site := newTestSite(t)
	site.handle("/bomb.bin", func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "application/gzip")
		_, _ = w.Write(bomb)
	})
	site.handle("/sitemap.xml.gz", func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "application/octet-stream")
		_, _ = w.Write(bomb)
	})
	site.handle("/double", func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "text/html")
		w.Header().Set("Content-Encoding", "gzip, gzip")
		_, _ = w.Write(gzipOf(t, inflatedMiB, true))
	})
	site.handle("/small.xml.gz", func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "application/gzip")
		_, _ = w.Write(small)
	})
	site.handle("/corrupt.xml.gz", func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "application/gzip")
		_, _ = w.Write([]byte("not gzip at all"))
	})
	c, _, _ := newTestCrawler(t, Config{MaxBodyBytes: limit}, nil, Deps{})
	for _, path := range []string{"/bomb.bin", "/sitemap.xml.gz", "/double"} {
		t.Run(path, func(t *testing.T) {
			// "/double" inflates to its inner gzip stream (small), read as
			// the page: only the allocation matters there.
			var before, after runtime.MemStats
			runtime.ReadMemStats(&before)
			_, err := c.fetch(context.Background(), fetchRequest{URL: site.URL + path, AllowPrivate: true})
			runtime.ReadMemStats(&after)
			if path != "/double" && !errors.Is(err, ErrBodyTooLarge) {
				t.Errorf("err = %v, want ErrBodyTooLarge", err)
			}
			if grew := after.TotalAlloc - before.TotalAlloc; grew > 64<<20 {
				t.Errorf("%d MiB allocated reading a %d KiB response: the bomb was inflated", grew>>20, len(bomb)>>10)
			}
		})
	}
	res, err := c.fetch(context.Background(), fetchRequest{URL: site.URL + "/small.xml.gz", AllowPrivate: true})
	if err != nil || len(res.Body) != 1000 {
		t.Errorf("small gzip file: %d bytes, %v; want 1000 decompressed bytes", len(res.Body), err)
	}
	if _, err := c.fetch(context.Background(), fetchRequest{URL: site.URL + "/corrupt.xml.gz", AllowPrivate: true}); err == nil {
		t.Errorf("a .gz body that is not gzip: no error")
	}
}
