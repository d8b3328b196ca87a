// Command passerelle runs Passerelle: everything in one process (`run`), one
// component per process (`crawl`, `match`, `notify`, `serve`), and offline
// tools (`extract`, `match --profiles … --offers …`, `profiles`, `sources`, `eval`).
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/signal"
	"strconv"
	"strings"
	"syscall"
	"time"
	_ "time/tzdata" // digests are scheduled in Africa/Casablanca time, on any machine
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := run(ctx, os.Args[1:], os.Stdin, os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}

const usage = `passerelle — offres IA et data pour les diplômés (job alerts for AI/data graduates)

Usage:
  passerelle run [--demo] [flags]        tout en un processus (everything in one process)
  passerelle crawl|match|notify|serve     un composant (one component, production)
  passerelle extract [--format F] [--ignore-robots] [--allow-private] FILE|URL…   lire une page/un flux, écrire des offres JSON
  passerelle match --profiles P.jsonl --offers O.jsonl [--top N]
  passerelle profiles import FILE.jsonl | export [--csv] | search [filters] | erase ID… | reindex
  passerelle sources [check|enable|disable|add]  sources : santé, vérification, activation, ajout
  passerelle dead [replay SEQ…|all]       messages abandonnés ; les republier (dead letters)
  passerelle eval [--dir DIR]             qualité du matching (nDCG@10, P@5)
  passerelle insights market [--cohort C] [--days 30|90] [--csv]   marché de l'emploi d'une promotion
  passerelle officers add NAME | list | remove NAME   comptes des chargés d'insertion (officers' tokens)
  passerelle recruiters add ENTREPRISE | list | remove ENTREPRISE   comptes des recruteurs (recruiters' tokens)
  passerelle feedback export              réponses 👍/👎 des diplômés, en lignes JSON (for evaluation)
  passerelle suppress add|remove|check ADDRESS…|-   adresses qui rejettent le courrier (bounce suppression list)

Run "passerelle COMMAND -h" for a command's flags. Every flag has an
environment variable (PASSERELLE_DATA, PASSERELLE_HTTP, PASSERELLE_NATS,
MEILI_URL, MEILI_KEY, PASSERELLE_SMTP, PASSERELLE_SOURCES, …).
`

// run dispatches a command line; it is main without the process, for tests.
func run(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	if len(args) == 0 || args[0] == "-h" || args[0] == "--help" || args[0] == "help" {
		fmt.Fprint(stderr, usage)
		if len(args) == 0 {
			return 2
		}
		return 0
	}
	logger := slog.New(slog.NewTextHandler(stderr, &slog.HandlerOptions{Level: logLevel()}))
	env := &cli{ctx: ctx, stdin: stdin, stdout: stdout, stderr: stderr, log: logger}
	var err error
	switch cmd, rest := args[0], args[1:]; cmd {
	case "run":
		err = env.serve(rest, nil)
	case "crawl", "notify", "serve":
		err = env.serve(rest, []string{cmd})
	case "match":
		err = env.match(rest)
	case "extract":
		err = env.extract(rest)
	case "profiles":
		err = env.profiles(rest)
	case "sources":
		err = env.sources(rest)
	case "dead":
		err = env.dead(rest)
	case "eval":
		err = env.eval(rest)
	case "insights":
		err = env.insightsCmd(rest)
	case "officers":
		err = env.officers(rest)
	case "recruiters":
		err = env.recruiters(rest)
	case "feedback":
		err = env.feedbackCmd(rest)
	case "suppress":
		err = env.suppressCmd(rest)
	default:
		fmt.Fprintf(stderr, "passerelle: commande inconnue %q (unknown command)\n\n%s", cmd, usage)
		return 2
	}
	if err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return 0
		}
		var ue usageError
		if errors.As(err, &ue) {
			fmt.Fprintf(stderr, "passerelle: %v\n", err)
			return 2
		}
		fmt.Fprintf(stderr, "passerelle: %v\n", err)
		return 1
	}
	return 0
}

type usageError struct{ msg string }

func (e usageError) Error() string { return e.msg }

type cli struct {
	ctx            context.Context
	stdin          io.Reader
	stdout, stderr io.Writer
	log            *slog.Logger
	// token, when set (--token, PASSERELLE_TOKEN), is the placement
	// officer's token the commands use with a running Passerelle instead
	// of the data dir's admin token: a scoped officer's CLI sees what
	// their pages see.
	token string
}

func logLevel() slog.Level {
	switch strings.ToLower(os.Getenv("PASSERELLE_LOG")) {
	case "debug":
		return slog.LevelDebug
	case "warn":
		return slog.LevelWarn
	case "error":
		return slog.LevelError
	}
	return slog.LevelInfo
}

// envOr returns the environment variable's value or def.
func envOr(name, def string) string {
	if v, ok := os.LookupEnv(name); ok && v != "" {
		return v
	}
	return def
}

// envInt reads a whole number from the environment (def when unset or
// unreadable, with a warning on standard error).
func envInt(name string, def int) int {
	v, ok := os.LookupEnv(name)
	if !ok || v == "" {
		return def
	}
	n, err := strconv.Atoi(v)
	if err != nil {
		fmt.Fprintf(os.Stderr, "passerelle: %s=%q is not a whole number; using %d\n", name, v, def)
		return def
	}
	return n
}

// envDuration reads a Go duration from the environment (def when unset or
// unreadable, with a warning on standard error).
func envDuration(name string, def time.Duration) time.Duration {
	v, ok := os.LookupEnv(name)
	if !ok || v == "" {
		return def
	}
	d, err := time.ParseDuration(v)
	if err != nil || d < 0 {
		fmt.Fprintf(os.Stderr, "passerelle: %s=%q is not a duration such as 30s; using %s\n", name, v, def)
		return def
	}
	return d
}

// parseFlags parses args, turning a bad flag into a usage error (exit 2).
func parseFlags(fs *flag.FlagSet, args []string) error {
	err := fs.Parse(args)
	if err != nil && !errors.Is(err, flag.ErrHelp) {
		return usageError{err.Error()}
	}
	return err
}
