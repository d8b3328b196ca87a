package main

import (
	"encoding/json"

	"github.com/passerelle/passerelle/internal/app"
)

// feedbackCmd: "feedback export" writes every graduate's answer about an
// offer (👍, 👎, not interested) as JSON lines, for evaluation.
func (c *cli) feedbackCmd(args []string) error {
	if len(args) == 0 || args[0] != "export" {
		return usageError{"feedback: give export"}
	}
	fs, cfg, httpAddr := c.adminFlags("feedback export")
	if err := parseFlags(fs, args[1:]); err != nil {
		return err
	}
	cfg.Logger = c.log
	if cfg.NATSURL == "" {
		if base := running(c.ctx, *httpAddr); base != "" {
			return c.streamRunning(base, "/api/feedback.jsonl", cfg.DataDir, c.stdout)
		}
	}
	if c.token != "" {
		return errTokenNeedsServer
	}
	a, err := app.Start(c.ctx, tools(*cfg))
	if err != nil {
		return err
	}
	defer a.Close()
	enc := json.NewEncoder(c.stdout)
	return a.EachFeedback(c.ctx, func(f app.FeedbackExport) error { return enc.Encode(f) })
}
