// Command pantau is the program-monitoring dashboard of MAMPU's home-worker
// organizing in East Java: it ingests the participant and field-survey
// workbooks into a DuckDB file and reports on them.
//
// main only calls run, so that tests can run the whole program in-process
// (Mat Ryer's testable main).
package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	err := run(ctx, os.Args[1:], os.Getenv, os.Stdin, os.Stdout, os.Stderr)
	stop()
	if err != nil {
		var ex exitError
		if !errors.As(err, &ex) || ex.msg != "" {
			fmt.Fprintln(os.Stderr, "pantau:", err)
		}
		os.Exit(exitCode(err))
	}
}

// exitError carries an exit status: 1 when a file was refused or had errors,
// 2 for a usage or database error.
type exitError struct {
	code int
	msg  string
}

func (e exitError) Error() string { return e.msg }

func exitCode(err error) int {
	var ex exitError
	if errors.As(err, &ex) {
		return ex.code
	}
	return 2
}

func usageError(format string, args ...any) error {
	return exitError{code: 2, msg: fmt.Sprintf(format, args...)}
}

// refused is the error of a run that worked but found a file it would not take;
// the report already said why.
var refused = exitError{code: 1}

const usage = `pantau: program-monitoring dashboard for MAMPU's home-worker organizing

Usage:
  pantau ingest [--dry-run] [--json] [--quiet] [--lang id|en] FILE...
  pantau imports [--json]
  pantau undo ID
  pantau summary [--json] [--region R]... [--gender P|L] [--work-type POS|SE] [--from YYYY-MM-DD] [--to YYYY-MM-DD]
  pantau targets [--json] [--as-of YYYY-MM-DD] [--lang id|en] [--region R]... [--from YYYY-MM-DD] [--to YYYY-MM-DD]
  pantau quality [--json] [--kind K]... [--lang id|en] [--region R]... [--gender P|L] [--work-type POS|SE] [--from YYYY-MM-DD] [--to YYYY-MM-DD]
  pantau quality check KIND KEY --note TEXT
  pantau share create --user U --path '/problems?region=...' [--password-stdin] [--expires-days N] [--label L]
  pantau share list [--json] | share revoke ID
  pantau export --out FILE [--lang id|en] [--region R]... [--gender P|L] [--work-type POS|SE] [--from YYYY-MM-DD] [--to YYYY-MM-DD]
  pantau sample --out DIR [--respondents N] [--groups M] [--seed S]
  pantau template --kind peserta|survei|target --out FILE
  pantau backup --out FILE [--with-files]
  pantau restore [--force] FILE
  pantau serve [--addr 127.0.0.1:8080]
  pantau demo [--addr 127.0.0.1:8080]     (samples into an empty database, a demo admin, serve)
  pantau user add --username U --role viewer|uploader|admin [--regions R1,R2] --password-stdin
  pantau user scope U --regions R1,R2 | --all
  pantau user list [--json] | user passwd U --password-stdin | user rm U
  pantau settings list [--json] | settings get NAME | settings set NAME VALUE
                                          (provinces: the program's, e.g. "Jawa Timur,Jawa Tengah")

Every command that uses the database takes --db FILE (env PANTAU_DB, default ./pantau.duckdb).
While "pantau serve" runs, ingest, imports, undo, summary, targets, quality, share, export, user, settings and backup
are run by the server (through the socket pantau.sock in its data folder).
Run "pantau COMMAND --help" for a command's flags.
`

// run is the whole program: args without the program name, the environment
// through getenv, and the three standard streams.
func run(ctx context.Context, args []string, getenv func(string) string, stdin io.Reader, stdout, stderr io.Writer) error {
	if len(args) == 0 {
		fmt.Fprint(stderr, usage)
		return usageError("no command given")
	}
	privateFiles()
	read := &recordedReader{r: stdin}
	env := &environment{getenv: getenv, stdin: read, stdout: stdout, stderr: stderr, forwardable: serverCommands[args[0]]}
	err := env.command(ctx, args)
	if held := (heldError{}); errors.As(err, &held) {
		// A server holds the database: it runs the command instead, with
		// what the command read of standard input so far.
		if read.over {
			return exitError{code: 2, msg: fmt.Sprintf("%s is held by a running server, and standard input is too long to send to it", held.db)}
		}
		return env.forward(ctx, held, args, read.read.Bytes())
	}
	return err
}

// serverCommands are the commands a running server can run for the command
// line, through its socket (see socket.go).
var serverCommands = map[string]bool{
	"ingest": true, "imports": true, "undo": true, "summary": true, "targets": true, "quality": true, "share": true, "export": true, "user": true, "backup": true, "settings": true,
}

// command runs one command; args[0] names it.
func (env *environment) command(ctx context.Context, args []string) error {
	switch cmd, rest := args[0], args[1:]; cmd {
	case "ingest":
		return env.ingest(ctx, rest)
	case "imports":
		return env.imports(ctx, rest)
	case "undo":
		return env.undo(ctx, rest)
	case "summary":
		return env.summary(ctx, rest)
	case "targets":
		return env.targets(ctx, rest)
	case "quality":
		return env.quality(ctx, rest)
	case "share":
		return env.share(ctx, rest)
	case "export":
		return env.export(ctx, rest)
	case "backup":
		return env.backup(ctx, rest)
	case "restore":
		return env.restore(ctx, rest)
	case "sample":
		return env.sample(rest)
	case "template":
		return env.template(rest)
	case "serve":
		return env.serve(ctx, rest, false)
	case "demo":
		return env.serve(ctx, rest, true)
	case "settings":
		return env.settings(ctx, rest)
	case "user":
		return env.user(ctx, rest)
	case "help", "-h", "--help":
		fmt.Fprint(env.stdout, usage)
		return nil
	default:
		fmt.Fprint(env.stderr, usage)
		return usageError("unknown command %q", cmd)
	}
}

// environment is what every command reads and writes besides its flags.
type environment struct {
	getenv         func(string) string
	stdin          io.Reader
	stdout, stderr io.Writer

	// forwardable is set for a command a server can run: when the
	// database is held, openDB returns a heldError rather than fail.
	forwardable bool
	// served is set when a server runs the command for a client: the
	// server's database and data folder; dir is the client's folder, which
	// relative paths are read from.
	served *servedDB
	dir    string
}

// recordedReader keeps what was read through it, up to maxStdin bytes; over
// says that more was read.
type recordedReader struct {
	r    io.Reader
	read bytes.Buffer
	over bool
}

func (rr *recordedReader) Read(p []byte) (int, error) {
	n, err := rr.r.Read(p)
	keep := min(n, maxStdin-rr.read.Len())
	rr.read.Write(p[:keep])
	rr.over = rr.over || keep < n
	return n, err
}
