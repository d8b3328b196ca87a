package bus

import (
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"time"

	"github.com/nats-io/nats-server/v2/server"
)

// EmbeddedConfig configures the in-process NATS server of the embedded default.
type EmbeddedConfig struct {
	// StoreDir holds JetStream data on disk (required).
	StoreDir string
	// Host defaults to 127.0.0.1: the embedded server never listens on
	// other interfaces unless told.
	Host string
	// Port 0 means "no TCP listener": clients connect in-process. -1 picks a
	// random free port (tests and tools that want a URL).
	Port int
	// ReadyTimeout defaults to 10s.
	ReadyTimeout time.Duration
	Logger       *slog.Logger
}

// StartEmbedded starts a NATS server with JetStream on disk and waits until
// it accepts connections. Stop it with Shutdown then WaitForShutdown.
func StartEmbedded(cfg EmbeddedConfig) (*server.Server, error) {
	if cfg.StoreDir == "" {
		return nil, fmt.Errorf("bus: embedded server: StoreDir is required")
	}
	if err := os.MkdirAll(cfg.StoreDir, 0o755); err != nil {
		return nil, fmt.Errorf("bus: create store dir %s: %w", cfg.StoreDir, err)
	}
	if cfg.Host == "" {
		cfg.Host = "127.0.0.1"
	}
	if cfg.ReadyTimeout <= 0 {
		cfg.ReadyTimeout = 10 * time.Second
	}
	opts := &server.Options{
		ServerName: "passerelle-embedded",
		Host:       cfg.Host,
		Port:       cfg.Port,
		JetStream:  true,
		StoreDir:   filepath.Clean(cfg.StoreDir),
		NoSigs:     true,
		NoLog:      true,
		// The embedded server is private to this process by default.
		DontListen: cfg.Port == 0,
		MaxPayload: 8 << 20,
	}
	ns, err := server.NewServer(opts)
	if err != nil {
		return nil, fmt.Errorf("bus: new embedded server: %w", err)
	}
	go ns.Start()
	if !ns.ReadyForConnections(cfg.ReadyTimeout) {
		ns.Shutdown()
		return nil, fmt.Errorf("bus: embedded server not ready after %s", cfg.ReadyTimeout)
	}
	if cfg.Logger != nil {
		cfg.Logger.Info("embedded NATS started", "store_dir", cfg.StoreDir, "url", clientURL(ns, cfg.Port))
	}
	return ns, nil
}

func clientURL(ns *server.Server, port int) string {
	if port == 0 {
		return "in-process"
	}
	return ns.ClientURL()
}
