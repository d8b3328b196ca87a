package app

import (
	"bufio"
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"github.com/nats-io/nats-server/v2/server"
	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"

	"github.com/passerelle/passerelle/bus"
	"github.com/passerelle/passerelle/crawler"
	"github.com/passerelle/passerelle/internal/demo"
	"github.com/passerelle/passerelle/internal/health"
	"github.com/passerelle/passerelle/jobs"
	"github.com/passerelle/passerelle/matcher"
	"github.com/passerelle/passerelle/notifier"
	"github.com/passerelle/passerelle/profiles"
	"github.com/passerelle/passerelle/skills"
	"github.com/passerelle/passerelle/web"
)

// App is a running Passerelle process. Build it with Start; stop it by
// cancelling the context given to Start, then Wait.
type App struct {
	month monthOffers // the last 30 days' offers, for the skill gap
	cfg   Config
	log   *slog.Logger

	ns    *server.Server // embedded NATS, nil on a cluster
	nc    *nats.Conn
	js    jetstream.JetStream
	repo  *profiles.Repo // the profiles bucket: source of truth
	store profiles.Store // the search index, in processes that serve (nil otherwise)
	index *profiles.Indexer
	// importWorkers overrides the const importWorkers (tests, benchmarks);
	// importReadFirst turns off creating first (benchmarks).
	importWorkers   int
	importReadFirst bool

	alerts        notifier.Stores
	secretKey     []byte
	tokens        notifier.Tokens
	profileLinks  web.ProfileLinks
	signupLinks   web.SignupLinks
	feedbackLinks web.FeedbackLinks
	sessionKey    []byte
	mailerOnce    sync.Once
	mailer        notifier.Mailer
	mailerErr     error
	normalizer    jobs.Normalizer
	crawler       *crawler.Crawler
	matcher       *matcher.Service
	notifier      *notifier.Notifier
	web           *web.Server

	listener net.Listener // bound in Start, served by serveHTTP
	health   *health.Registry
	fatal    chan error // a component that cannot recover stops the process
	demoSrv  *http.Server
	demoURL  string
	httpAddr string // the address actually bound (HTTPAddr may use port 0)

	intake               sync.WaitGroup // crawler, web: stopped first
	workers              sync.WaitGroup // matcher, notifier: finish the message in hand
	stopIntake, stopWork context.CancelFunc
	errMu                sync.Mutex
	errs                 []error
	done                 chan struct{}
}

// Start builds every configured component and starts it. It returns once
// the process is ready (streams created, profiles loaded, HTTP listening).
func Start(ctx context.Context, cfg Config) (*App, error) {
	cfg.setDefaults()
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	a := &App{cfg: cfg, log: cfg.Logger, done: make(chan struct{}), fatal: make(chan error, 1),
		health: health.NewRegistry(cfg.GiveUpAfter/2, 5*time.Minute)}
	ok := false
	defer func() {
		if !ok {
			a.closeAll()
		}
	}()
	if err := os.MkdirAll(cfg.DataDir, 0o755); err != nil {
		return nil, fmt.Errorf("create data dir %s: %w", cfg.DataDir, err)
	}
	if err := a.connect(); err != nil {
		return nil, err
	}
	if err := bus.Setup(ctx, a.js, cfg.NATSReplicas, a.log); err != nil {
		return nil, err
	}
	repo, err := profiles.OpenRepo(ctx, a.js, a.log.With("component", "profiles"))
	if err != nil {
		return nil, err
	}
	a.repo = repo
	// The search index is derived from the bucket; only the web (and the
	// CLI tools) keep one.
	if cfg.has(Serve) || len(cfg.Components) == 0 {
		if err := a.openStore(ctx); err != nil {
			return nil, err
		}
	}
	// The alert buckets are opened once: the notifier, unsubscribe and
	// profile saving all use them.
	alerts, err := notifier.OpenStores(ctx, a.js)
	if err != nil {
		return nil, err
	}
	a.alerts = alerts
	secret, err := a.secret()
	if err != nil {
		return nil, err
	}
	a.secretKey = secret
	a.tokens = notifier.NewTokens(secret)
	a.profileLinks = web.NewProfileLinks(secret, 0)
	a.signupLinks = web.NewSignupLinks(secret, 0)
	a.feedbackLinks = web.NewFeedbackLinks(secret)
	// Sessions must be valid on every web process: derive their key from the
	// shared secret (a distinct purpose prefix, so no token serves both).
	a.sessionKey = append([]byte("session:"), secret...)
	a.normalizer = jobs.Normalizer{Skills: skills.Default()}

	if cfg.Demo {
		if err := a.startDemo(ctx); err != nil {
			return nil, err
		}
	}
	if len(cfg.Components) > 0 {
		// Every process answers /healthz and /metrics; the serving one
		// the web app too. Bind first, so links in e-mails name the real
		// port when the configured one is 0 (tests).
		ln, err := net.Listen("tcp", cfg.HTTPAddr)
		if err != nil {
			return nil, fmt.Errorf("listen %s: %w", cfg.HTTPAddr, err)
		}
		a.listener = ln
		a.httpAddr = ln.Addr().String()
		if a.cfg.BaseURL == "http://"+cfg.HTTPAddr {
			a.cfg.BaseURL = "http://" + a.httpAddr
		}
	}

	intakeCtx, stopIntake := context.WithCancel(context.WithoutCancel(ctx))
	workCtx, stopWork := context.WithCancel(context.WithoutCancel(ctx))
	a.stopIntake, a.stopWork = stopIntake, stopWork

	if cfg.has(Match) {
		ix := matcher.NewIndex(matcher.Options{Taxonomy: skills.Default()})
		a.matcher = matcher.NewService(matcher.ServiceConfig{Logger: a.log.With("component", "matcher"), Instance: cfg.Instance, AckWait: cfg.AckWait,
			GiveUpAfter: cfg.GiveUpAfter,
			Health: func(name string) bus.ConsumerHealth {
				if name == "offers" {
					return hook(a.componentHealth("matcher/offers", bus.StreamOffers, "matcher"))
				}
				return hook(a.componentHealth("matcher/"+name, "", ""))
			}}, a.js, ix, a.repo)
		ready := make(chan error, 1)
		a.goWork(&a.workers, func() error { return a.matcher.Run(workCtx, ready) })
		if err := <-ready; err != nil {
			return nil, err
		}
	}
	if cfg.has(Notify) {
		if err := a.startNotifier(workCtx); err != nil {
			return nil, err
		}
	}
	if a.index != nil {
		// The index follows the bucket for as long as the web serves;
		// tools catch up once.
		if len(cfg.Components) == 0 {
			err = a.index.Sync(ctx)
		} else {
			err = a.index.Start(intakeCtx)
			a.index.SetHealth(a.health.Component("indexer"))
		}
		if err != nil {
			return nil, err
		}
	}
	if cfg.has(Serve) {
		a.startWeb()
	}
	if ln := a.listener; ln != nil {
		a.listener = nil
		a.goWork(&a.intake, func() error { return a.serveHTTP(intakeCtx, ln) })
		a.log.Info("listening", "url", "http://"+a.httpAddr, "web", cfg.has(Serve))
		a.registerBusCollector()
	}
	if cfg.has(Crawl) {
		if err := a.startCrawler(intakeCtx); err != nil {
			return nil, err
		}
	}
	if cfg.Demo {
		if err := a.seedDemo(ctx); err != nil {
			return nil, err
		}
	}
	ok = true
	go func() {
		select {
		case <-ctx.Done():
		case err := <-a.fatal:
			a.log.Error("a component cannot recover: stopping the process so its supervisor restarts it", "err", err)
		}
		a.shutdown()
	}()
	return a, nil
}

// goWork runs a component's loop. One that returns an error stops the
// whole process (its supervisor restarts it): the components' own loops
// retry what can be retried before giving up.
func (a *App) goWork(wg *sync.WaitGroup, fn func() error) {
	wg.Add(1)
	go func() {
		defer wg.Done()
		if err := fn(); err != nil {
			a.errMu.Lock()
			a.errs = append(a.errs, err)
			a.errMu.Unlock()
			a.log.Error("component stopped with an error", "err", err)
			select {
			case a.fatal <- err:
			default:
			}
		}
	}()
}

// Wait blocks until the app has shut down and returns the components' errors.
func (a *App) Wait() error {
	<-a.done
	a.errMu.Lock()
	defer a.errMu.Unlock()
	return errors.Join(a.errs...)
}

// shutdown stops in order: intake (crawler, web), then the workers after
// the message in hand, then NATS is drained and the stores closed.
func (a *App) shutdown() {
	a.log.Info("shutting down: stopping intake")
	a.stopIntake()
	a.intake.Wait()
	a.log.Info("shutting down: finishing messages in hand")
	a.stopWork()
	a.workers.Wait()
	a.closeAll()
	a.log.Info("stopped")
	close(a.done)
}

func (a *App) closeAll() {
	if a.listener != nil {
		_ = a.listener.Close()
	}
	if a.demoSrv != nil {
		_ = a.demoSrv.Close()
	}
	if a.nc != nil {
		if err := a.nc.Drain(); err != nil && !errors.Is(err, nats.ErrConnectionClosed) {
			a.log.Warn("drain NATS", "err", err)
		}
		deadline := time.Now().Add(5 * time.Second)
		for !a.nc.IsClosed() && time.Now().Before(deadline) {
			time.Sleep(10 * time.Millisecond)
		}
		a.nc.Close()
	}
	if a.ns != nil {
		a.ns.Shutdown()
		a.ns.WaitForShutdown()
	}
	if a.store != nil {
		if err := a.store.Close(); err != nil {
			a.log.Warn("close profile store", "err", err)
		}
	}
}

func (a *App) connect() error {
	var err error
	if a.cfg.NATSURL == "" {
		a.ns, err = bus.StartEmbedded(bus.EmbeddedConfig{StoreDir: filepath.Join(a.cfg.DataDir, "nats"), Logger: a.log})
		if err != nil {
			return err
		}
	}
	a.nc, err = bus.Connect(a.cfg.NATSURL, a.ns, "passerelle-"+a.cfg.Instance)
	if err != nil {
		return err
	}
	a.js, err = jetstream.New(a.nc)
	if err != nil {
		return fmt.Errorf("jetstream: %w", err)
	}
	return nil
}

// openStore opens the search index (Meilisearch, or Bleve under the data
// dir), moves profiles of an earlier version's index into the bucket when
// the bucket is empty, and brings the index up to date with the bucket
// before the process serves.
func (a *App) openStore(ctx context.Context) error {
	var err error
	if a.cfg.MeiliURL != "" {
		a.store, err = profiles.OpenMeili(ctx, profiles.MeiliConfig{URL: a.cfg.MeiliURL, Key: a.cfg.MeiliKey, ManageIndex: a.cfg.has(Serve)})
	} else {
		a.store, err = profiles.OpenBleve(profiles.BleveConfig{Dir: filepath.Join(a.cfg.DataDir, "profiles")})
	}
	if err != nil {
		return fmt.Errorf("open the profile search index: %w", err)
	}
	if err := profiles.MigrateToRepo(ctx, a.store, a.repo, a.log); err != nil {
		return err
	}
	if st, ok := a.store.(interface {
		Stale() bool
		profiles.Resetter
	}); ok && st.Stale() {
		a.log.Info("the search index was built by another version: rebuilding it from the profiles bucket")
		if err := st.Reset(ctx); err != nil {
			return err
		}
	}
	a.index = profiles.NewIndexer(a.repo, a.store, a.log.With("component", "indexer"))
	return nil
}

// secret returns the unsubscribe-link secret: configured, or generated
// once and kept in the data dir so links stay valid across restarts.
func (a *App) secret() ([]byte, error) {
	if a.cfg.Secret != "" {
		return []byte(a.cfg.Secret), nil
	}
	return readOrCreate(filepath.Join(a.cfg.DataDir, "secret"))
}

func readOrCreate(path string) ([]byte, error) {
	if b, err := os.ReadFile(path); err == nil && len(strings.TrimSpace(string(b))) >= 32 {
		return []byte(strings.TrimSpace(string(b))), nil
	}
	buf := make([]byte, 32)
	if _, err := rand.Read(buf); err != nil {
		return nil, fmt.Errorf("generate secret: %w", err)
	}
	s := hex.EncodeToString(buf)
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return nil, fmt.Errorf("create %s: %w", filepath.Dir(path), err)
	}
	if err := os.WriteFile(path, []byte(s+"\n"), 0o600); err != nil {
		return nil, fmt.Errorf("write %s: %w", path, err)
	}
	return []byte(s), nil
}

// DemoRecruiterToken returns the demo recruiter's token of this data dir,
// random and independent of every other secret (created on first use).
func DemoRecruiterToken(dataDir string) (string, error) {
	b, err := readOrCreate(filepath.Join(dataDir, "demo-recruiter-token"))
	return string(b), err
}

// AdminToken returns this data dir's officer token used by the CLI to talk
// to a running instance (created on first use, mode 0600).
func AdminToken(dataDir string) (string, error) {
	b, err := readOrCreate(filepath.Join(dataDir, "admin-token"))
	return string(b), err
}

func (a *App) startWeb() {
	officers := map[string]string{}
	for k, v := range a.cfg.OfficerTokens {
		officers[k] = v
	}
	adminPath := filepath.Join(a.cfg.DataDir, "admin-token")
	_, statErr := os.Stat(adminPath)
	if tok, err := AdminToken(a.cfg.DataDir); err == nil {
		officers[tok] = "admin"
		if errors.Is(statErr, os.ErrNotExist) {
			// First start: say once where the placement officers' admin
			// token is, and what it is, so the operator can log in.
			a.log.Warn("placement officers: admin token created (shown once; kept in the file)",
				"file", adminPath, "token", tok, "login", a.cfg.BaseURL+"/officers/login")
		} else {
			a.log.Info("placement officers: admin token in its file", "file", adminPath, "login", a.cfg.BaseURL+"/officers/login")
		}
	}
	a.web = web.New(web.Config{
		RecruiterTokens: a.cfg.RecruiterTokens,
		OfficerTokens:   officers,
		SessionSecret:   a.sessionKey,
		SecureCookies:   strings.HasPrefix(a.cfg.BaseURL, "https://"),
		Logger:          a.log.With("component", "web"),
	}, web.Deps{
		ProfileTokens:   a.profileLinks,
		ProfileSaver:    a,
		LinkSender:      a,
		Signups:         a,
		Matches:         a,
		MyData:          a,
		Gaps:            a,
		Market:          a,
		Officers:        a,
		Recruiters:      a,
		Feedback:        a,
		FeedbackTokens:  &a.feedbackLinks,
		SignupTokens:    &a.signupLinks,
		SkillMapper:     displaySkills{skills.Default()},
		RecentOffers:    a,
		RecruiterOffers: a,
		Offers:          a,
		Normalizer:      &a.normalizer,
		Profiles:        a.store,
		ProfileRepo:     a.repo,
		Importer:        a,
		Eraser:          eraser{a},
		Sources:         a,
		Dead:            a,
		Unsubscriber:    a,
		Tokens:          a.tokens,
	})
	a.health.Component("web").Set(health.Running, nil)
}

// HTTPAddr is the address the web server listens on.
func (a *App) HTTPAddr() string { return a.httpAddr }

// DemoURL is the demo job site's base URL ("" without --demo).
func (a *App) DemoURL() string { return a.demoURL }

// PublishOffer publishes o on offers.new with its id as Nats-Msg-Id.
func (a *App) PublishOffer(ctx context.Context, o jobs.Offer) error {
	// While a cluster elects a new leader for OFFERS (a node lost), a
	// publish fails for a few seconds: try again within publishPatience
	// before telling the caller. The message id keeps one copy.
	deadline := time.Now().Add(publishPatience)
	for wait := 100 * time.Millisecond; ; wait = min(2*wait, time.Second) {
		err := bus.PublishJSON(ctx, a.js, bus.SubjectOfferNew, o.ID, o)
		if err == nil || ctx.Err() != nil || time.Now().Add(wait).After(deadline) {
			return err
		}
		a.log.Info("offer not published yet, trying again", "offer_id", o.ID, "err", err)
		select {
		case <-ctx.Done():
			return err
		case <-time.After(wait):
		}
	}
}

// errOutOfScope: an import row would change a graduate outside the
// officer's cohorts.
var errOutOfScope = errors.New("profile outside the importing officer's cohorts")

// publishPatience is how long PublishOffer keeps trying.
const publishPatience = 10 * time.Second

// PutProfiles stores profiles in the bucket, each replacing the profile
// with its id; the matcher and the search index follow the bucket.
func (a *App) PutProfiles(ctx context.Context, ps []profiles.Profile) error {
	for _, p := range ps {
		if err := a.repo.Put(ctx, p); err != nil {
			return fmt.Errorf("profile %q: %w", p.ID, err)
		}
	}
	return nil
}

// ImportProfiles reads Profile JSON lines (an officer's import) and stores
// the valid ones, streaming, in batches: bad lines are counted and the
// first profiles.MaxKeptLineErrors reported, never silently dropped, and
// do not stop the rest. Each profile is merged with the stored one
// (profiles.MergeImport): the graduate's own choices stay. A profile the
// bucket refuses (an address another profile has) is a rejected line too.
// A nil error with rejected lines is a partial import (see the report).
func (a *App) ImportProfiles(ctx context.Context, r io.Reader) (profiles.ImportReport, error) {
	return a.importProfiles(ctx, r, nil, false)
}

// ImportProfilesScoped is the import of a placement officer scoped to
// their school's cohorts: a row whose cohort is not one of scope, or that
// would update a graduate of another cohort, is rejected with its line and
// column; the others import as with ImportProfiles. An empty scope is no
// restriction.
func (a *App) ImportProfilesScoped(ctx context.Context, r io.Reader, scope []string, dryRun bool) (profiles.ImportReport, error) {
	return a.importProfiles(ctx, r, scope, dryRun)
}

// ImportProfilesDryRun reads an import as ImportProfiles does and stores
// nothing: the report says what would be created, updated and rejected.
func (a *App) ImportProfilesDryRun(ctx context.Context, r io.Reader) (profiles.ImportReport, error) {
	return a.importProfiles(ctx, r, nil, true)
}

// importProfiles reads JSON lines of Profile or a spreadsheet saved as CSV
// (told apart by the first character: '{' is JSON) and merges each profile
// into the bucket (profiles.MergeImport), unless dryRun.
func (a *App) importProfiles(ctx context.Context, r io.Reader, scope []string, dryRun bool) (profiles.ImportReport, error) {
	br := bufio.NewReaderSize(r, 64<<10)
	head, _ := br.Peek(512)
	head = bytes.TrimLeft(bytes.TrimPrefix(head, []byte("\uFEFF")), " \t\r\n")
	parse := profiles.ImportCSVBatches
	if len(head) > 0 && head[0] == '{' {
		parse = profiles.ImportEachBatches
	}
	var check func(profiles.Profile) *profiles.RowProblem
	if len(scope) > 0 {
		check = func(p profiles.Profile) *profiles.RowProblem {
			if !profiles.InCohorts(p.Cohort, scope) {
				return &profiles.RowProblem{Field: "cohort", Msg: profiles.Msg{Key: profiles.MsgCohortOutOfScope,
					Args: []any{p.Cohort, strings.Join(scope, " | ")}}}
			}
			// Nor may a row take over a graduate of another school.
			cur, err := a.repo.Get(ctx, p.ID)
			switch {
			case err == nil && !profiles.InCohorts(cur.Cohort, scope):
				return &profiles.RowProblem{Field: "id", Msg: profiles.Msg{Key: profiles.MsgProfileOutOfScope, Args: []any{p.ID}}}
			case err != nil && !errors.Is(err, profiles.ErrNotFound):
				a.log.Warn("import: scope check failed", "profile_id", p.ID, "err", err)
				return &profiles.RowProblem{Field: "id", Msg: profiles.Msg{Key: profiles.MsgScopeUnchecked, Args: []any{p.ID}}}
			}
			return nil
		}
	}
	workers := a.importWorkers
	if workers <= 0 {
		workers = importWorkers
	}
	var created, updated, noSeeking, noSkills int
	assumeNew := false // the first batch reads first; then as the last batch went
	rep, err := parse(br, importBatch, check, func(b profiles.ImportBatch) ([]*profiles.LineError, error) {
		now := time.Now()
		ps := b.Profiles
		for _, p := range ps {
			if len(p.Seeking.Workplace) == 0 && len(p.Seeking.Employment) == 0 && len(p.Seeking.Seniority) == 0 {
				noSeeking++
			}
			if len(p.Skills) == 0 {
				noSkills++
			}
		}
		if dryRun {
			return nil, a.countImport(ctx, ps, workers, &created, &updated)
		}
		rows := make([]profiles.BatchRow, len(ps))
		for i, p := range ps {
			rows[i] = profiles.BatchRow{ID: p.ID, Email: p.Email}
		}
		// The rows of a batch are written concurrently, with the outcome
		// of writing them in file order (Repo.UpdateBatch).
		res := a.repo.UpdateBatch(ctx, rows, profiles.BatchOptions{Workers: workers, AssumeNew: assumeNew},
			func(i int, cur *profiles.Profile) (profiles.Profile, error) {
				if cur != nil && !profiles.InCohorts(cur.Cohort, scope) {
					// Moved to another school since the row was checked.
					return profiles.Profile{}, errOutOfScope
				}
				return profiles.MergeImport(cur, ps[i], now), nil
			})
		var refused []*profiles.LineError
		var failed error
		newRows := 0
		for i, r := range res {
			id := ps[i].ID
			switch {
			case errors.Is(r.Err, errOutOfScope):
				refused = append(refused, b.Refuse(i, "id", profiles.MsgError(profiles.Msg{Key: profiles.MsgProfileOutOfScope, Args: []any{id}}, nil)))
			case errors.Is(r.Err, profiles.ErrEmailTaken):
				refused = append(refused, b.Refuse(i, "email", profiles.MsgError(profiles.Msg{Key: profiles.MsgEmailTaken, Args: []any{id}}, r.Err)))
			case errors.Is(r.Err, profiles.ErrInvalid):
				refused = append(refused, b.Refuse(i, "email", fmt.Errorf("profile %q: %w", id, r.Err)))
			case r.Err != nil:
				if failed == nil {
					failed = fmt.Errorf("import %s: %w", id, r.Err)
				}
			case r.Existed:
				updated++
			default:
				created++
				newRows++
			}
		}
		assumeNew = 2*newRows > len(ps) && !a.importReadFirst
		return refused, failed
	})
	rep.Created, rep.Updated, rep.NoSeeking, rep.NoSkills, rep.DryRun = created, updated, noSeeking, noSkills, dryRun
	if created+updated > 0 {
		a.waitIndexed(ctx, "import")
	}
	if rep.NoSeeking > 0 || rep.NoSkills > 0 {
		a.log.Warn("imported profiles lack what matching needs: they will match nothing until completed",
			"without_seeking", rep.NoSeeking, "without_skills", rep.NoSkills)
	}
	return rep, err
}

// importBatch is how many rows an import reads before it writes them;
// importWorkers is how many of them it writes at a time (each write is a
// few acknowledged round trips to the bucket, so one at a time leaves the
// server idle most of the time).
const (
	importBatch   = 500
	importWorkers = 16
)

// countImport adds to created and updated what importing ps would do,
// reading workers profiles at a time.
func (a *App) countImport(ctx context.Context, ps []profiles.Profile, workers int, created, updated *int) error {
	exists := make([]bool, len(ps))
	errs := make([]error, len(ps))
	next := make(chan int)
	var wg sync.WaitGroup
	for range min(workers, len(ps)) {
		wg.Go(func() {
			for i := range next {
				switch _, err := a.repo.Get(ctx, ps[i].ID); {
				case err == nil:
					exists[i] = true
				case !errors.Is(err, profiles.ErrNotFound):
					errs[i] = err
				}
			}
		})
	}
	for i := range ps {
		next <- i
	}
	close(next)
	wg.Wait()
	for i := range ps {
		switch {
		case errs[i] != nil:
			return fmt.Errorf("import %s: %w", ps[i].ID, errs[i])
		case exists[i]:
			*updated++
		default:
			*created++
		}
	}
	return nil
}

// waitIndexed lets this process's search indexer (serve) apply what the
// profiles bucket holds now, for at most 10 s, so that an officer who
// imports and then searches finds what was imported. A process without
// an indexer, or an indexer that is behind, only delays the answer.
func (a *App) waitIndexed(ctx context.Context, what string) {
	if a.index == nil {
		return
	}
	if len(a.cfg.Components) == 0 {
		// A command run on the data dir (no serve): nothing follows the
		// bucket, so catch the index up here, once.
		if err := a.index.Sync(ctx); err != nil {
			a.log.Warn(what+": the search index could not catch up with the profiles bucket; it will at the next start", "err", err)
		}
		return
	}
	rev, err := a.repo.LastRevision(ctx)
	if err != nil {
		return
	}
	wctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	if err := a.index.WaitFor(wctx, rev); err != nil {
		a.log.Warn(what+": the search index is behind the profiles bucket; searches will show the change shortly", "err", err)
	}
}

// Unsubscribe turns a graduate's alerts off: it is recorded in the
// unsubscribed bucket, which the notifier checks before every mail, and the
// profile's alert frequency is set to off by the graduate (no import turns
// it back on).
func (a *App) Unsubscribe(ctx context.Context, profileID string) error {
	if err := a.alerts.Unsubscribes.Unsubscribe(ctx, profileID, time.Now()); err != nil {
		return err
	}
	_, err := a.repo.Update(ctx, profileID, func(cur *profiles.Profile) (profiles.Profile, error) {
		if cur == nil {
			return profiles.Profile{}, errGone
		}
		p := *cur
		p.Alerts.Frequency = profiles.FrequencyOff
		p.Alerts.SetBy = profiles.SetByGraduate
		return p, nil
	})
	if errors.Is(err, errGone) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("unsubscribe %s: %w", profileID, err)
	}
	return nil
}

var errGone = errors.New("profile gone")

func (a *App) startDemo(ctx context.Context) error {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return fmt.Errorf("demo site: %w", err)
	}
	a.demoSrv = &http.Server{Handler: demo.NewSite().Handler(), ReadHeaderTimeout: 5 * time.Second}
	go func() { _ = a.demoSrv.Serve(ln) }()
	a.demoURL = "http://" + ln.Addr().String()
	a.log.Info("demo job site (sample data written by the Passerelle team)", "url", a.demoURL)
	return nil
}

func (a *App) seedDemo(ctx context.Context) error {
	ps := demo.Profiles()
	if err := a.PutProfiles(ctx, ps); err != nil {
		return fmt.Errorf("seed demo graduates: %w", err)
	}
	a.log.Info("demo graduates seeded", "count", len(ps))
	// The demo's graduates are invented: their personal links are logged
	// so whoever tries the demo can open a graduate's profile and offers
	// without a mail client (a real graduate's link is only ever mailed).
	for _, p := range ps {
		a.log.Info("demo graduate: profile link", "name", p.Name,
			"url", a.cfg.BaseURL+web.ProfileLinkPath(a.profileLinks.Make(p.ID), p.Locale))
	}
	return nil
}

func (a *App) sources() ([]crawler.SourceConfig, error) {
	if a.cfg.Demo && a.cfg.SourcesFile == "" {
		path := filepath.Join(a.cfg.DataDir, "demo-sources.json")
		if err := os.WriteFile(path, []byte(demo.SourcesJSON(a.demoURL)), 0o644); err != nil {
			return nil, fmt.Errorf("demo sources: %w", err)
		}
		return crawler.LoadSources(path)
	}
	return crawler.LoadSources(a.cfg.SourcesFile)
}

// CloseOffer closes a recruiter's offer (web.OfferCloser): it is recorded
// in offers_closed and announced on offers.closed, so no mail carries it
// any more and it leaves the graduates' lists.
func (a *App) CloseOffer(ctx context.Context, offerID string) error {
	source, _, _ := strings.Cut(offerID, ":")
	return bus.CloseOffer(ctx, a.js, bus.OfferClosed{OfferID: offerID, Source: source, Reason: bus.ClosedRecruiter})
}

// displaySkills shows skills on the pages as the mails do
// (Taxonomy.DisplayLabel): in Arabic, a tool's Latin name rather than a
// transliteration of it ("PyTorch", not "باي تورش").
type displaySkills struct{ *skills.Taxonomy }

func (d displaySkills) Label(id, locale string) string { return d.DisplayLabel(id, locale) }
