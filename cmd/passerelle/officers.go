package main

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"net/http"
	"net/url"
	"strings"

	"github.com/passerelle/passerelle/internal/app"
	"github.com/passerelle/passerelle/web"
)

// cohortFlags collects a repeatable --cohort.
type cohortFlags []string

func (c *cohortFlags) String() string     { return strings.Join(*c, " | ") }
func (c *cohortFlags) Set(v string) error { *c = append(*c, v); return nil }

// officers: "officers add NAME [--cohort C]… | list | remove NAME".
func (c *cli) officers(args []string) error {
	if len(args) == 0 {
		return usageError{"officers: give add NAME [--cohort COHORT]…, list or remove NAME"}
	}
	sub := args[0]
	fs, cfg, httpAddr := c.adminFlags("officers " + sub)
	var cohorts cohortFlags
	fs.Var(&cohorts, "cohort", "add: scope the officer to this cohort (promotion), repeatable; the officer then sees, counts, exports, imports and erases only graduates of these cohorts (default: every graduate)")
	words, err := parseWords(fs, args[1:])
	if err != nil {
		return err
	}
	cfg.Logger = c.log
	name := ""
	if sub == "add" || sub == "remove" {
		if len(words) != 1 {
			return usageError{"officers " + sub + ": give the officer's name (quoted if it has spaces)"}
		}
		name = words[0]
	}
	if sub != "add" && len(cohorts) > 0 {
		return usageError{"officers " + sub + ": --cohort goes with add"}
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
			var err error
			if tok, err = a.AddOfficer(c.ctx, name, "cli", cohorts); err != nil {
				return err
			}
		} else {
			b, _ := json.Marshal(map[string]any{"name": name, "cohorts": []string(cohorts)})
			var res struct {
				Token string `json:"token"`
			}
			if err := c.callRunning(base, http.MethodPost, "/api/officers", cfg.DataDir, bytes.NewReader(b), &res); err != nil {
				return err
			}
			tok = res.Token
		}
		fmt.Fprintf(c.stdout, "chargé d'insertion ajouté (officer added): %s\n", name)
		if len(cohorts) > 0 {
			fmt.Fprintf(c.stdout, "promotions (cohorts): %s\n", strings.Join(cohorts, " | "))
		} else {
			fmt.Fprintln(c.stdout, "promotions (cohorts): toutes (all)")
		}
		fmt.Fprintf(c.stdout, "jeton (token, shown once): %s\n", tok)
		return nil
	case "list":
		var accs []web.OfficerAccount
		if a != nil {
			var err error
			if accs, err = a.OfficerScopes(c.ctx); err != nil {
				return err
			}
		} else {
			var res struct {
				Accounts []struct {
					Name    string   `json:"name"`
					Cohorts []string `json:"cohorts"`
				} `json:"accounts"`
			}
			if err := c.callRunning(base, http.MethodGet, "/api/officers", cfg.DataDir, nil, &res); err != nil {
				return err
			}
			for _, x := range res.Accounts {
				accs = append(accs, web.OfficerAccount{Name: x.Name, Cohorts: x.Cohorts})
			}
		}
		for _, o := range accs {
			if len(o.Cohorts) == 0 {
				fmt.Fprintln(c.stdout, o.Name)
				continue
			}
			fmt.Fprintf(c.stdout, "%s\t%s\n", o.Name, strings.Join(o.Cohorts, " | "))
		}
		return nil
	case "remove":
		return c.removeAccount(a, base, cfg.DataDir, "/api/officers/", "officer", name, a.RemoveOfficer)
	}
	return usageError{fmt.Sprintf("officers: unknown subcommand %q (add, list, remove)", sub)}
}

var _ flag.Value = (*cohortFlags)(nil)

// removeAccount removes the account name: with remove on the data dir
// (a set), else through the running instance's API (apiPath + name).
func (c *cli) removeAccount(a *app.App, base, dataDir, apiPath, what, name string, remove func(context.Context, string) (bool, error)) error {
	if a != nil {
		ok, err := remove(c.ctx, name)
		if err != nil {
			return err
		}
		if !ok {
			return fmt.Errorf("no %s named %q", what, name)
		}
	} else if err := c.callRunning(base, http.MethodDelete, apiPath+url.PathEscape(name), dataDir, nil, nil); err != nil {
		return err
	}
	fmt.Fprintf(c.stdout, "retiré (removed): %s\n", name)
	return nil
}

// parseWords parses flags that may come before or after the words of a
// command, and returns the words.
func parseWords(fs *flag.FlagSet, args []string) ([]string, error) {
	var words []string
	for rest := args; ; {
		if err := parseFlags(fs, rest); err != nil {
			return nil, err
		}
		if fs.NArg() == 0 {
			return words, nil
		}
		words = append(words, fs.Arg(0))
		rest = fs.Args()[1:]
	}
}

// adminTarget is where an account command acts: through the running
// instance (base, when one answers on httpAddr and no --nats is given) or
// on the data dir (a started App, stopped by done).
func (c *cli) adminTarget(cfg app.Config, httpAddr string) (a *app.App, base string, done func(), err error) {
	done = func() {}
	if cfg.NATSURL == "" {
		base = running(c.ctx, httpAddr)
	}
	if c.token != "" && base == "" {
		return nil, "", done, errTokenNeedsServer
	}
	if base == "" {
		if a, err = app.Start(c.ctx, tools(cfg)); err != nil {
			return nil, "", done, err
		}
		done = a.Close
	}
	return a, base, done, nil
}
