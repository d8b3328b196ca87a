package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
)

// recruiters: "recruiters add COMPANY | list | remove COMPANY": recruiters'
// own tokens, for the company they post for (admin token only).
func (c *cli) recruiters(args []string) error {
	if len(args) == 0 {
		return usageError{"recruiters: give add COMPANY, list or remove COMPANY"}
	}
	sub := args[0]
	if sub != "add" && sub != "list" && sub != "remove" {
		return usageError{fmt.Sprintf("recruiters: unknown subcommand %q (add, list, remove)", sub)}
	}
	fs, cfg, httpAddr := c.adminFlags("recruiters " + sub)
	words, err := parseWords(fs, args[1:])
	if err != nil {
		return err
	}
	cfg.Logger = c.log
	name := ""
	if sub != "list" {
		if len(words) != 1 {
			return usageError{"recruiters " + sub + ": give the company's name (quoted if it has spaces)"}
		}
		name = words[0]
	}
	a, base, done, err := c.adminTarget(*cfg, *httpAddr)
	if err != nil {
		return err
	}
	defer done()
	switch sub {
	case "add":
		var tok string
		if a != nil {
			if tok, err = a.AddRecruiter(c.ctx, name, "cli"); err != nil {
				return err
			}
		} else {
			b, _ := json.Marshal(map[string]string{"name": name})
			var res struct {
				Token string `json:"token"`
			}
			if err := c.callRunning(base, http.MethodPost, "/api/recruiters", cfg.DataDir, bytes.NewReader(b), &res); err != nil {
				return err
			}
			tok = res.Token
		}
		fmt.Fprintf(c.stdout, "recruteur ajouté (recruiter added): %s\n", name)
		fmt.Fprintf(c.stdout, "jeton (token, shown once): %s\n", tok)
		fmt.Fprintln(c.stdout, "connexion (login): /recruiters/login — API: POST /api/offers, Authorization: Bearer <jeton>")
		return nil
	case "list":
		var names []string
		if a != nil {
			if names, err = a.RecruiterNames(c.ctx); err != nil {
				return err
			}
		} else {
			var res struct {
				Recruiters []string `json:"recruiters"`
			}
			if err := c.callRunning(base, http.MethodGet, "/api/recruiters", cfg.DataDir, nil, &res); err != nil {
				return err
			}
			names = res.Recruiters
		}
		for _, n := range names {
			fmt.Fprintln(c.stdout, n)
		}
		return nil
	default: // remove
		return c.removeAccount(a, base, cfg.DataDir, "/api/recruiters/", "recruiter", name, a.RemoveRecruiter)
	}
}
