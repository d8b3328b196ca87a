package main

import (
	"flag"
	"fmt"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/passerelle/passerelle/internal/app"
)

// commonFlags binds the flags shared by every command that talks to the
// running system; defaults come from the environment.
func commonFlags(fs *flag.FlagSet, cfg *app.Config) {
	fs.StringVar(&cfg.DataDir, "data", envOr("PASSERELLE_DATA", "passerelle-data"), "data directory (env PASSERELLE_DATA)")
	fs.StringVar(&cfg.NATSURL, "nats", envOr("PASSERELLE_NATS", ""), "NATS URL(s); empty = embedded server (env PASSERELLE_NATS)")
	fs.StringVar(&cfg.MeiliURL, "meili", envOr("MEILI_URL", ""), "Meilisearch URL; empty = embedded index (env MEILI_URL)")
	fs.StringVar(&cfg.MeiliKey, "meili-key", envOr("MEILI_KEY", ""), "Meilisearch API key (env MEILI_KEY)")
	fs.StringVar(&cfg.SourcesFile, "sources", envOr("PASSERELLE_SOURCES", ""), "sources config file; empty = embedded default set (env PASSERELLE_SOURCES)")
	fs.IntVar(&cfg.NATSReplicas, "replicas", envInt("PASSERELLE_REPLICAS", 1), "replicas of every stream and KV bucket (3 on a three-node cluster; an existing count is never lowered) (env PASSERELLE_REPLICAS)")
}

func (c *cli) serve(args []string, components []string) error {
	name := "run"
	if len(components) == 1 {
		name = components[0]
	}
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(c.stderr)
	var cfg app.Config
	commonFlags(fs, &cfg)
	fs.StringVar(&cfg.HTTPAddr, "http", envOr("PASSERELLE_HTTP", "127.0.0.1:8080"), "HTTP listen address (env PASSERELLE_HTTP)")
	fs.StringVar(&cfg.BaseURL, "base-url", envOr("PASSERELLE_BASE_URL", ""), "public URL used in e-mail links (env PASSERELLE_BASE_URL; default http://<http>)")
	fs.StringVar(&cfg.SMTPURL, "smtp", envOr("PASSERELLE_SMTP", ""), "SMTP URL smtp://user:pass@host:port; empty = .eml files in <data>/outbox (env PASSERELLE_SMTP)")
	fs.StringVar(&cfg.MailFrom, "from", envOr("PASSERELLE_FROM", ""), "From address of alerts (env PASSERELLE_FROM)")
	fs.StringVar(&cfg.Instance, "instance", envOr("PASSERELLE_INSTANCE", ""), "this process's name for its own durable consumers (env PASSERELLE_INSTANCE)")
	fs.BoolVar(&cfg.Demo, "demo", os.Getenv("PASSERELLE_DEMO") == "1", "serve the built-in sample job site and seed sample graduates (env PASSERELLE_DEMO=1)")
	fs.BoolVar(&cfg.NoCrawlOnStart, "no-crawl-on-start", false, "do not crawl every source at start (the schedule still runs)")
	ackWait := fs.Duration("ack-wait", envDuration("PASSERELLE_ACK_WAIT", 0), "how long a message held by a process that died waits before another takes it (env PASSERELLE_ACK_WAIT; default: 30s for offers, 2m for mails)")
	instantWindow := fs.Duration("instant-window", envDuration("PASSERELLE_INSTANT_WINDOW", 10*time.Minute), "instant alerts: a graduate's matches within this window go out in one mail; 0 sends each at once (env PASSERELLE_INSTANT_WINDOW; --demo uses 0 unless set)")
	instantPerDay := fs.Int("instant-per-day", envInt("PASSERELLE_INSTANT_PER_DAY", 3), "instant alerts: the most instant mails a graduate gets per day (Africa/Casablanca); the matches beyond wait for the next daily digest; -1 = no cap (env PASSERELLE_INSTANT_PER_DAY)")
	giveUp := fs.Duration("give-up-after", envDuration("PASSERELLE_GIVE_UP_AFTER", 0), "how long a component keeps trying to create its consumer before the process exits non-zero for its supervisor to restart it (env PASSERELLE_GIVE_UP_AFTER; default 5m; /healthz answers 503 after half of it)")
	deliveryFlags(fs, &cfg)
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return usageError{fmt.Sprintf("%s: unexpected argument %q", name, fs.Arg(0))}
	}
	cfg.AckWait = *ackWait
	cfg.GiveUpAfter = *giveUp
	cfg.InstantWindow = *instantWindow
	if *instantPerDay == 0 {
		return usageError{fmt.Sprintf("%s: --instant-per-day 0 would hold every instant alert until the daily digest; choose daily alerts instead, or give at least 1 (-1 = no cap)", name)}
	}
	cfg.InstantPerDay = *instantPerDay
	if cfg.Demo && !flagSet(fs, "instant-window") && os.Getenv("PASSERELLE_INSTANT_WINDOW") == "" {
		cfg.InstantWindow = 0 // the demo shows its alerts within seconds
	}
	cfg.Components = components
	cfg.Logger = c.log
	cfg.RecruiterTokens = app.ParseTokens(os.Getenv("PASSERELLE_RECRUITER_TOKENS"), "recruiter")
	cfg.OfficerTokens = app.ParseTokens(os.Getenv("PASSERELLE_OFFICER_TOKENS"), "officer")
	cfg.Secret = os.Getenv("PASSERELLE_SECRET")
	cfg.AllowPrivate = cfg.Demo || os.Getenv("PASSERELLE_ALLOW_PRIVATE") == "1"
	if cfg.Demo && len(cfg.RecruiterTokens) == 0 {
		// A token of its own, kept in the data dir: nothing about the
		// admin token can be learnt from it.
		tok, err := app.DemoRecruiterToken(cfg.DataDir)
		if err != nil {
			return err
		}
		cfg.RecruiterTokens = map[string]string{tok: "Recruteur démo"}
		c.log.Info("demo recruiter token (POST /api/offers with Authorization: Bearer <token>)", "token", tok)
	}
	if len(components) == 1 && cfg.NATSURL == "" {
		c.log.Warn("no --nats given: this component uses its own embedded NATS server, so it does not see the other processes; use `passerelle run` for everything in one process")
	}
	a, err := app.Start(c.ctx, cfg)
	if err != nil {
		return err
	}
	comps := "crawl,match,notify,serve"
	if len(components) > 0 {
		comps = strings.Join(components, ",")
	}
	c.log.Info("Passerelle is running; Ctrl-C stops it", "components", comps, "web", "http://"+a.HTTPAddr(), "data", cfg.DataDir)
	return a.Wait()
}

// flagSet reports whether the flag name was given on the command line.
func flagSet(fs *flag.FlagSet, name string) bool {
	set := false
	fs.Visit(func(f *flag.Flag) { set = set || f.Name == name })
	return set
}

// deliveryFlags binds the freshness and deliverability settings
// (README "Deliverability and freshness").
func deliveryFlags(fs *flag.FlagSet, cfg *app.Config) {
	fs.DurationVar(&cfg.CloseAfter, "close-after", envDuration("PASSERELLE_CLOSE_AFTER", 14*24*time.Hour), "close an offer its source's listing has not shown for this long: no more mail about it (env PASSERELLE_CLOSE_AFTER)")
	fs.BoolVar(&cfg.CheckLinks, "check-links", os.Getenv("PASSERELLE_CHECK_LINKS") == "1", "check each offer's link (HEAD, 1 request/s per host, cached 6h) just before a digest goes out and leave out dead ones (env PASSERELLE_CHECK_LINKS=1)")
	fs.StringVar(&cfg.DKIMKeyFile, "dkim-key", envOr("PASSERELLE_DKIM_KEY", ""), "PEM private key (RSA or Ed25519) signing mail with DKIM; needs --dkim-selector and --dkim-domain (env PASSERELLE_DKIM_KEY)")
	fs.StringVar(&cfg.DKIMSelector, "dkim-selector", envOr("PASSERELLE_DKIM_SELECTOR", ""), "DKIM selector: the public key is the TXT record <selector>._domainkey.<domain> (env PASSERELLE_DKIM_SELECTOR)")
	fs.StringVar(&cfg.DKIMDomain, "dkim-domain", envOr("PASSERELLE_DKIM_DOMAIN", ""), "DKIM signing domain, normally the From address's domain (env PASSERELLE_DKIM_DOMAIN)")
	fs.Float64Var(&cfg.SendRate, "send-rate", envFloat("PASSERELLE_SEND_RATE", 5), "most mails sent per second (env PASSERELLE_SEND_RATE)")
	fs.Float64Var(&cfg.DomainRate, "domain-rate", envFloat("PASSERELLE_DOMAIN_RATE", 2), "most mails per second to one recipient domain (env PASSERELLE_DOMAIN_RATE)")
}

// envFloat reads a number from the environment (def when unset or
// unreadable, with a warning on standard error).
func envFloat(name string, def float64) float64 {
	v, ok := os.LookupEnv(name)
	if !ok || v == "" {
		return def
	}
	f, err := strconv.ParseFloat(v, 64)
	if err != nil || f <= 0 {
		fmt.Fprintf(os.Stderr, "passerelle: %s=%q is not a positive number; using %g\n", name, v, def)
		return def
	}
	return f
}
