package main

import (
	"bufio"
	"fmt"
	"io"
	"net/mail"
	"strings"

	"github.com/passerelle/passerelle/internal/app"
)

// suppressCmd: "suppress add|remove|check ADDRESS…" (or "-" to read
// addresses one per line, e.g. from a bounce processor) manages the
// suppression list: addresses that bounced get no alert until their owner
// confirms them again.
func (c *cli) suppressCmd(args []string) error {
	if len(args) == 0 || (args[0] != "add" && args[0] != "remove" && args[0] != "check") {
		return usageError{"suppress: give add, remove or check, then addresses (or - for standard input)"}
	}
	verb := args[0]
	fs, cfg, _ := c.adminFlags("suppress " + verb)
	reason := fs.String("reason", "", "why (add): kept with the entry, e.g. \"550 5.1.1 user unknown\"")
	// Flags may come before, between or after the addresses.
	var words []string
	for rest := args[1:]; ; {
		if err := parseFlags(fs, rest); err != nil {
			return err
		}
		if rest = fs.Args(); len(rest) == 0 {
			break
		}
		words, rest = append(words, rest[0]), rest[1:]
	}
	var addrs []string
	for _, a := range words {
		if a != "-" {
			addrs = append(addrs, a)
			continue
		}
		sc := bufio.NewScanner(io.LimitReader(c.stdin, 64<<20))
		for sc.Scan() {
			if l := strings.TrimSpace(sc.Text()); l != "" && !strings.HasPrefix(l, "#") {
				addrs = append(addrs, l)
			}
		}
		if err := sc.Err(); err != nil {
			return fmt.Errorf("suppress: read standard input: %w", err)
		}
	}
	if len(addrs) == 0 {
		return usageError{"suppress " + verb + ": no address given"}
	}
	for _, a := range addrs {
		if p, err := mail.ParseAddress(a); err != nil || p.Address != a {
			return usageError{fmt.Sprintf("suppress: %q is not a bare e-mail address", a)}
		}
	}
	cfg.Logger = c.log
	a, err := app.Start(c.ctx, tools(*cfg))
	if err != nil {
		return err
	}
	defer a.Close()
	for _, addr := range addrs {
		switch verb {
		case "add":
			err = a.Suppress(c.ctx, addr, *reason)
		case "remove":
			err = a.LiftSuppression(c.ctx, addr)
		case "check":
			var on bool
			if on, err = a.Suppressed(c.ctx, addr); err == nil {
				state := "not suppressed"
				if on {
					state = "suppressed"
				}
				fmt.Fprintf(c.stdout, "%s\t%s\n", addr, state)
			}
		}
		if err != nil {
			return err
		}
	}
	if verb != "check" {
		fmt.Fprintf(c.stdout, "%d address(es): %s\n", len(addrs), map[string]string{"add": "suppressed", "remove": "no longer suppressed"}[verb])
	}
	return nil
}
