package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"

	"github.com/passerelle/passerelle/internal/app"
)

// officers: "officers add NAME | list | remove NAME".
func (c *cli) officers(args []string) error {
	if len(args) == 0 {
		return usageError{"officers: give add NAME, list or remove NAME"}
	}
	sub := args[0]
	fs, cfg, httpAddr := c.adminFlags("officers " + sub)
	if err := parseFlags(fs, args[1:]); err != nil {
		return err
	}
	cfg.Logger = c.log
	name := ""
	if sub == "add" || sub == "remove" {
		if fs.NArg() != 1 {
			return usageError{"officers " + sub + ": give the officer's name (quoted if it has spaces)"}
		}
		name = fs.Arg(0)
	}
	base := ""
	if cfg.NATSURL == "" {
		base = running(c.ctx, *httpAddr)
	}
	var a *app.App
	if base == "" {
		var err error
		if a, err = app.Start(c.ctx, tools(*cfg)); err != nil {
			return err
		}
		defer a.Close()
	}
	switch sub {
	case "add":
		var tok string
		if a != nil {
			var err error
			if tok, err = a.AddOfficer(c.ctx, name, "cli"); err != nil {
				return err
			}
		} else {
			b, _ := json.Marshal(map[string]string{"name": name})
			var res struct {
				Token string `json:"token"`
			}
			if err := c.callRunning(base, http.MethodPost, "/api/officers", cfg.DataDir, bytes.NewReader(b), &res); err != nil {
				return err
			}
			tok = res.Token
		}
		fmt.Fprintf(c.stdout, "chargé d'insertion ajouté (officer added): %s\njeton (token, shown once): %s\n", name, tok)
		return nil
	case "list":
		var names []string
		if a != nil {
			var err error
			if names, err = a.OfficerNames(c.ctx); err != nil {
				return err
			}
		} else {
			var res struct {
				Officers []string `json:"officers"`
			}
			if err := c.callRunning(base, http.MethodGet, "/api/officers", cfg.DataDir, nil, &res); err != nil {
				return err
			}
			names = res.Officers
		}
		for _, n := range names {
			fmt.Fprintln(c.stdout, n)
		}
		return nil
	case "remove":
		if a != nil {
			ok, err := a.RemoveOfficer(c.ctx, name)
			if err != nil {
				return err
			}
			if !ok {
				return fmt.Errorf("no officer named %q", name)
			}
		} else if err := c.callRunning(base, http.MethodDelete, "/api/officers/"+url.PathEscape(name), cfg.DataDir, nil, nil); err != nil {
			return err
		}
		fmt.Fprintf(c.stdout, "retiré (removed): %s\n", name)
		return nil
	}
	return usageError{fmt.Sprintf("officers: unknown subcommand %q (add, list, remove)", sub)}
}
