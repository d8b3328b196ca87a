package crawler

import (
	"compress/gzip"
	"fmt"
	"io"
	"net/http"
	"strings"
)

// gunzipCap is the transport of a fetch: it decompresses, itself and
// within the body cap, the responses Colly would gunzip after its own
// size cap (a gzip Content-Encoding the transport left alone, a gzip
// Content-Type, a path ending in .xml.gz). Colly applies MaxBodySize to
// the compressed bytes and then reads the decompressed stream whole, so a
// response of a few hundred KiB on the wire could be inflated to
// gigabytes: a gzip bomb. Marking the response Uncompressed stops Colly
// from decompressing it again.
type gunzipCap struct {
	rt  http.RoundTripper
	max int64 // the decompressed bytes allowed; one more is read to detect excess
}

func (g gunzipCap) RoundTrip(req *http.Request) (*http.Response, error) {
	res, err := g.rt.RoundTrip(req)
	if err != nil || res.Uncompressed || !collyGunzips(res, req) {
		return res, err
	}
	res.Body = &cappedGunzip{src: res.Body, max: g.max + 1}
	res.Uncompressed = true
	res.Header.Del("Content-Encoding")
	res.Header.Del("Content-Length")
	res.ContentLength = -1
	return res, nil
}

// collyGunzips reports whether Colly's HTTP backend would gunzip res (the
// conditions of colly/v2 http_backend.go, Do).
func collyGunzips(res *http.Response, req *http.Request) bool {
	enc := strings.ToLower(res.Header.Get("Content-Encoding"))
	ct := strings.ToLower(res.Header.Get("Content-Type"))
	path := req.URL.Path
	if res.Request != nil && res.Request.URL != nil {
		path = res.Request.URL.Path
	}
	return strings.Contains(enc, "gzip") || enc == "" && strings.Contains(ct, "gzip") ||
		strings.HasSuffix(strings.ToLower(path), ".xml.gz")
}

// cappedGunzip reads src decompressed, at most max bytes of it.
type cappedGunzip struct {
	src io.ReadCloser
	max int64
	zr  *gzip.Reader
	r   io.Reader
	err error
}

func (c *cappedGunzip) Read(p []byte) (int, error) {
	if c.err != nil {
		return 0, c.err
	}
	if c.r == nil {
		zr, err := gzip.NewReader(c.src)
		if err != nil {
			c.err = fmt.Errorf("crawler: gzip body: %w", err)
			return 0, c.err
		}
		c.zr, c.r = zr, io.LimitReader(zr, c.max)
	}
	n, err := c.r.Read(p)
	if err != nil && err != io.EOF {
		err = fmt.Errorf("crawler: gzip body: %w", err)
	}
	return n, err
}

func (c *cappedGunzip) Close() error {
	if c.zr != nil {
		_ = c.zr.Close()
	}
	return c.src.Close()
}
