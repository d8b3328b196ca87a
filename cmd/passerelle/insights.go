package main

import (
	"encoding/json"
	"fmt"
	"net/url"
	"strconv"

	"github.com/passerelle/passerelle/insights"
	"github.com/passerelle/passerelle/internal/app"
	"github.com/passerelle/passerelle/web"
)

// insightsCmd: "insights market [--cohort C] [--days 30|90] [--csv]".
func (c *cli) insightsCmd(args []string) error {
	if len(args) == 0 || args[0] != "market" {
		return usageError{"insights: give market [--cohort NAME] [--days 30|90] [--csv]"}
	}
	fs, cfg, httpAddr := c.adminFlags("insights market")
	cohort := fs.String("cohort", "", "the cohort (promotion) as officers import it; empty = every graduate who consented to be found")
	days := fs.Int("days", 30, "period: 30 or 90 days")
	csvOut := fs.Bool("csv", false, "CSV for spreadsheets (UTF-8 with BOM, ';') instead of JSON")
	if err := parseFlags(fs, args[1:]); err != nil {
		return err
	}
	if *days != 30 && *days != 90 {
		return usageError{"insights market: --days must be 30 or 90"}
	}
	cfg.Logger = c.log
	var m insights.Market
	base := ""
	if cfg.NATSURL == "" && cfg.MeiliURL == "" {
		base = running(c.ctx, *httpAddr)
	}
	if c.token != "" && base == "" {
		return errTokenNeedsServer
	}
	if base != "" {
		v := url.Values{"cohort": {*cohort}, "days": {strconv.Itoa(*days)}}
		if err := c.callRunning(base, "GET", "/api/market?"+v.Encode(), cfg.DataDir, nil, &m); err != nil {
			return err
		}
	} else {
		a, err := app.Start(c.ctx, tools(*cfg))
		if err != nil {
			return err
		}
		defer a.Close()
		if m, err = a.Market(c.ctx, *cohort, nil, *days); err != nil {
			return err
		}
	}
	if *csvOut {
		return web.WriteMarketCSV(c.stdout, m)
	}
	enc := json.NewEncoder(c.stdout)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	if err := enc.Encode(m); err != nil {
		return fmt.Errorf("insights market: %w", err)
	}
	return nil
}
