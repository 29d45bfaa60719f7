package main

import (
	"bufio"
	"bytes"
	"context"
	"crypto/rand"
	"encoding/base64"
	"fmt"
	"io"
	"log/slog"
	"net"
	"path/filepath"
	"strings"
	"text/tabwriter"
	"time"

	"pantau/dashboard"
	"pantau/ingest"
	"pantau/queries"
	"pantau/sampledata"
)

// serve runs the dashboard until ctx is cancelled (SIGINT or SIGTERM). As
// `pantau demo` it first loads the sample workbooks into an empty database
// and creates a demo admin with a random password, printed once.
func (env *environment) serve(ctx context.Context, args []string, demo bool) error {
	name := "serve"
	if demo {
		name = "demo"
	}
	f := env.newFlags(name, "[--addr 127.0.0.1:8080] [--max-upload BYTES] [--uploads-per-hour N] [--session-idle 2h] [--trust-proxy]").withDB(env)
	addr := f.String("addr", envOr(env.getenv, "PANTAU_ADDR", "127.0.0.1:8080"), "address to listen on (env PANTAU_ADDR)")
	maxUpload := f.Int64("max-upload", ingest.DefaultMaxUpload, "largest file accepted, in bytes")
	perHour := f.Int("uploads-per-hour", 30, "uploads allowed per user per hour")
	idle := f.Duration("session-idle", 2*time.Hour, "a login unused this long ends (Go duration: 30m, 2h)")
	trustProxy := f.Bool("trust-proxy", false, "behind a reverse proxy on this host or the private network: read the client address from X-Forwarded-For and https from X-Forwarded-Proto")
	if _, err := f.parse(args); err != nil {
		return err
	}
	if *idle <= 0 {
		return exitError{code: 2, msg: fmt.Sprintf("--session-idle %s: must be positive", *idle)}
	}
	db, done, err := env.openDB(ctx, f)
	if err != nil {
		return err
	}
	defer done()
	if demo {
		if err := env.prepareDemo(ctx, db, f); err != nil {
			return exitError{code: 2, msg: err.Error()}
		}
	}
	logger := slog.New(slog.NewJSONHandler(env.stderr, nil))
	srv, err := dashboard.New(dashboard.Config{DB: db, Logger: logger,
		DataDir: f.data, MaxUpload: *maxUpload, UploadsPerHour: *perHour, TrustProxy: *trustProxy, SessionIdle: *idle})
	if err != nil {
		return exitError{code: 2, msg: err.Error()}
	}
	// The command line's way in while this process holds the database.
	abs, err := filepath.Abs(f.db)
	if err != nil {
		return exitError{code: 2, msg: err.Error()}
	}
	sock, err := listenSocket(&servedDB{db: db, path: abs, data: f.data}, logger)
	if err != nil {
		return exitError{code: 2, msg: err.Error()}
	}
	go sock.serve()
	defer sock.close()
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		return exitError{code: 2, msg: err.Error()}
	}
	fmt.Fprintf(env.stdout, "pantau: serving on http://%s\n", ln.Addr())
	if err := srv.Serve(ctx, ln); err != nil {
		return exitError{code: 2, msg: err.Error()}
	}
	return nil
}

// demoAdmin is the account `pantau demo` creates.
const demoAdmin = "demo"

func (env *environment) prepareDemo(ctx context.Context, db *queries.DB, f *flags) error {
	imports, err := db.Imports(ctx)
	if err != nil {
		return err
	}
	if len(imports) == 0 {
		if err := loadSamples(ctx, db, f.data); err != nil {
			return err
		}
		fmt.Fprintf(env.stdout, "pantau: loaded the sample workbooks into %s\n", f.db)
	} else {
		fmt.Fprintf(env.stdout, "pantau: %s already holds %d import(s); the samples were not loaded\n", f.db, len(imports))
	}
	switch _, err := db.User(ctx, demoAdmin); queries.ErrorCode(err) {
	case queries.ENOTFOUND:
		password := randomPassword()
		if err := db.AddUser(ctx, demoAdmin, queries.Admin, password); err != nil {
			return err
		}
		fmt.Fprintf(env.stdout, "pantau: log in as %q with password %s (shown only now)\n", demoAdmin, password)
	case "":
		fmt.Fprintf(env.stdout, "pantau: user %q exists; `pantau user passwd %s --password-stdin` sets a new password\n", demoAdmin, demoAdmin)
	default:
		return err
	}
	return nil
}

// loadSamples commits the three sample workbooks, generated in memory (they
// are byte for byte the committed sampledata files).
func loadSamples(ctx context.Context, db *queries.DB, dataDir string) error {
	var peserta, survei, target bytes.Buffer
	if err := sampledata.WriteParticipants(&peserta); err != nil {
		return err
	}
	if err := sampledata.WriteSurvey(&survei, sampledata.DefaultSurveyOptions()); err != nil {
		return err
	}
	if err := sampledata.WriteTargets(&target); err != nil {
		return err
	}
	for _, wb := range []struct {
		name string
		data []byte
	}{{"peserta.xlsx", peserta.Bytes()}, {"survei.xlsx", survei.Bytes()}, {"target.xlsx", target.Bytes()}} {
		r, err := ingest.Bytes(ctx, db, wb.name, wb.data, ingest.Options{By: "demo", DataDir: dataDir})
		if err != nil {
			return err
		}
		if !r.OK {
			return fmt.Errorf("sample %s refused: %d problems", wb.name, r.ProblemCount)
		}
	}
	return nil
}

func randomPassword() string {
	b := make([]byte, 12)
	rand.Read(b)
	return base64.RawURLEncoding.EncodeToString(b)
}

// user manages dashboard accounts: add, list, passwd, rm.
func (env *environment) user(ctx context.Context, args []string) error {
	if len(args) == 0 {
		return usageError("user: add, list, passwd, scope or rm")
	}
	sub, rest := args[0], args[1:]
	switch sub {
	case "add", "list", "passwd", "rm", "scope":
	default:
		return usageError("user: unknown subcommand %q (add, list, passwd, scope or rm)", sub)
	}
	f := env.newFlags("user "+sub, map[string]string{
		"add":    "--username U --role viewer|uploader|admin [--regions R1,R2] --password-stdin",
		"list":   "[--json]",
		"passwd": "U --password-stdin",
		"scope":  "U --regions R1,R2 | U --all",
		"rm":     "U",
	}[sub]).withDB(env).withJSON()
	username := f.String("username", "", "user name (add)")
	role := f.String("role", "", "viewer, uploader or admin (add)")
	passwordStdin := f.Bool("password-stdin", false, "read the password from the first line of standard input")
	regions := f.String("regions", "", "limit the user to these regions, comma-separated (add, scope)")
	all := f.Bool("all", false, "let the user see every region again (scope)")
	positional, err := f.parse(rest)
	if err != nil {
		return err
	}
	name := *username
	if sub == "passwd" || sub == "rm" || sub == "scope" {
		if len(positional) != 1 {
			return usageError("user %s: give exactly one user name", sub)
		}
		name = positional[0]
	}
	var password string
	if sub == "add" || sub == "passwd" {
		if !*passwordStdin {
			return usageError("user %s: pass the password on standard input with --password-stdin", sub)
		}
		if password, err = readPassword(env.stdin); err != nil {
			return usageError("user %s: %v", sub, err)
		}
	}
	if sub == "scope" && *all == (*regions != "") {
		return usageError("user scope: give --regions R1,R2 or --all")
	}
	db, done, err := env.openDB(ctx, f)
	if err != nil {
		return err
	}
	defer done()
	var scope queries.Scope
	if *regions != "" {
		if scope, err = ingest.ParseScope(ctx, db, *regions); err != nil {
			if _, ok := queries.MessageOf(err); !ok {
				return exitError{code: 2, msg: err.Error()}
			}
			return usageError("user %s: %v", sub, err)
		}
	}
	switch sub {
	case "add":
		var r queries.Role
		if r, err = queries.ParseRole(*role); err == nil {
			err = db.AddUser(ctx, name, r, password)
		}
		if err == nil && scope != nil {
			err = db.SetScope(ctx, name, scope)
		}
	case "scope":
		err = db.SetScope(ctx, name, scope)
	case "passwd":
		err = db.SetPassword(ctx, name, password)
	case "rm":
		err = db.RemoveUser(ctx, name)
	case "list":
		users, lerr := db.Users(ctx)
		if lerr != nil {
			return exitError{code: 2, msg: lerr.Error()}
		}
		if f.json {
			return env.printJSON(users)
		}
		tw := tabwriter.NewWriter(env.stdout, 2, 4, 2, ' ', 0)
		fmt.Fprintln(tw, "USER\tROLE\tSTATUS\tCREATED\tREGIONS")
		for _, u := range users {
			status := "active"
			if u.Disabled {
				status = "disabled"
			}
			regions := "all"
			if u.Regions != nil {
				regions = strings.Join(u.Regions, ", ")
			}
			fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\n", u.Username, u.Role, status, u.CreatedAt.Format("2006-01-02"), regions)
		}
		return tw.Flush()
	}
	if err != nil {
		code := 2
		if c := queries.ErrorCode(err); c == queries.EINVALID || c == queries.ECONFLICT || c == queries.ENOTFOUND {
			code = 1
		}
		return exitError{code: code, msg: "user " + sub + ": " + err.Error()}
	}
	fmt.Fprintf(env.stdout, "user %s: %s done\n", strings.ToLower(strings.TrimSpace(name)), sub)
	return nil
}

// readPassword reads one line; the trailing newline is not part of it.
func readPassword(r io.Reader) (string, error) {
	line, err := bufio.NewReader(r).ReadString('\n')
	if err != nil && err != io.EOF {
		return "", err
	}
	line = strings.TrimRight(line, "\r\n")
	if line == "" {
		return "", fmt.Errorf("no password on standard input")
	}
	return line, nil
}
