// Command pantau is the program-monitoring dashboard of MAMPU's home-worker
// organizing in East Java: it ingests the participant and field-survey
// workbooks into a DuckDB file and reports on them.
//
// main only calls run, so that tests can run the whole program in-process
// (Mat Ryer's testable main).
package main

import (
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
  pantau ingest [--dry-run] [--json] [--lang id|en] FILE...
  pantau imports [--json]
  pantau undo ID
  pantau summary [--json] [--region R]... [--gender P|L] [--work-type POS|SE] [--from YYYY-MM-DD] [--to YYYY-MM-DD]
  pantau export --out FILE [--lang id|en] [--region R]... [--gender P|L] [--work-type POS|SE] [--from YYYY-MM-DD] [--to YYYY-MM-DD]
  pantau sample --out DIR [--respondents N] [--groups M] [--seed S]
  pantau template --kind peserta|survei --out FILE
  pantau serve [--addr 127.0.0.1:8080]
  pantau demo [--addr 127.0.0.1:8080]     (samples into an empty database, a demo admin, serve)
  pantau user add --username U --role viewer|uploader|admin --password-stdin
  pantau user list [--json] | user passwd U --password-stdin | user rm U

Every command that uses the database takes --db FILE (env PANTAU_DB, default ./pantau.duckdb).
Run "pantau COMMAND --help" for a command's flags.
`

// run is the whole program: args without the program name, the environment
// through getenv, and the three standard streams.
func run(ctx context.Context, args []string, getenv func(string) string, stdin io.Reader, stdout, stderr io.Writer) error {
	if len(args) == 0 {
		fmt.Fprint(stderr, usage)
		return usageError("no command given")
	}
	env := &environment{getenv: getenv, stdin: stdin, stdout: stdout, stderr: stderr}
	switch cmd, rest := args[0], args[1:]; cmd {
	case "ingest":
		return env.ingest(ctx, rest)
	case "imports":
		return env.imports(ctx, rest)
	case "undo":
		return env.undo(ctx, rest)
	case "summary":
		return env.summary(ctx, rest)
	case "export":
		return env.export(ctx, rest)
	case "sample":
		return env.sample(rest)
	case "template":
		return env.template(rest)
	case "serve":
		return env.serve(ctx, rest, false)
	case "demo":
		return env.serve(ctx, rest, true)
	case "user":
		return env.user(ctx, rest)
	case "help", "-h", "--help":
		fmt.Fprint(stdout, usage)
		return nil
	default:
		fmt.Fprint(stderr, usage)
		return usageError("unknown command %q", cmd)
	}
}

// environment is what every command reads and writes besides its flags.
type environment struct {
	getenv         func(string) string
	stdin          io.Reader
	stdout, stderr io.Writer
}
