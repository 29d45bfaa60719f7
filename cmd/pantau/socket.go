package main

// The command line beside a running server. DuckDB lets one process at a
// time open the database, so while `pantau serve` runs, a command that
// finds the file held sends its arguments (and what it read of standard
// input) to the server through a unix socket in the data folder; the server
// runs the same command code against its open database and streams back
// standard output, standard error and the exit status.
//
// The socket is for the user who runs the server: it is made 0600 in a
// folder made 0700, the client checks its owner and mode before it
// connects, and the server checks the peer's user id (SO_PEERCRED on
// Linux). Files named on the command line are read and written by the
// server, which runs as that same user on the same machine.

import (
	"bytes"
	"context"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"os"
	"path/filepath"
	"sync"
	"time"

	"pantau/queries"
)

const (
	socketName     = "pantau.sock" // in the data folder
	maxStdin       = 64 << 10      // standard input sent along
	maxRequest     = 256 << 10     // one request: arguments and standard input
	maxChunk       = 64 << 10      // one piece of output
	socketRequests = 4             // commands a server runs at once; more wait
	socketGrace    = 10 * time.Second
)

// Frames on the socket: a kind byte, a 4-byte big-endian length, the bytes.
const (
	frameRequest = 'q' // client -> server, once: a socketRequest
	frameStdout  = 'o'
	frameStderr  = 'e'
	frameExit    = 'x' // server -> client, last: a socketExit
)

type socketRequest struct {
	Args  []string `json:"args"`  // the command and its arguments, as given
	DB    string   `json:"db"`    // the database the client means, absolute
	Dir   string   `json:"dir"`   // the client's folder, for relative paths
	Stdin []byte   `json:"stdin"` // what the command read of standard input
}

type socketExit struct {
	OK   bool   `json:"ok"`
	Code int    `json:"code"`
	Msg  string `json:"msg"`
}

// heldError is openDB's answer when another process holds the database.
type heldError struct{ db, data string }

func (e heldError) Error() string { return e.db + " is in use by another process" }

// servedDB is what a command run by the server uses instead of --db and --data.
type servedDB struct {
	db   *queries.DB
	path string // absolute
	data string
}

func writeFrame(w io.Writer, kind byte, p []byte) error {
	frame := make([]byte, 5, 5+len(p))
	frame[0] = kind
	binary.BigEndian.PutUint32(frame[1:], uint32(len(p)))
	_, err := w.Write(append(frame, p...))
	return err
}

func readFrame(r io.Reader, limit int) (byte, []byte, error) {
	var hdr [5]byte
	if _, err := io.ReadFull(r, hdr[:]); err != nil {
		return 0, nil, err
	}
	n := binary.BigEndian.Uint32(hdr[1:])
	if n > uint32(limit) {
		return 0, nil, fmt.Errorf("a message of %d bytes, over the limit of %d", n, limit)
	}
	p := make([]byte, n)
	_, err := io.ReadFull(r, p)
	return hdr[0], p, err
}

// frameWriter sends what a command writes to one stream as frames.
type frameWriter struct {
	mu   *sync.Mutex
	w    io.Writer
	kind byte
}

func (fw frameWriter) Write(p []byte) (int, error) {
	fw.mu.Lock()
	defer fw.mu.Unlock()
	for i := 0; i < len(p); i += maxChunk {
		if err := writeFrame(fw.w, fw.kind, p[i:min(len(p), i+maxChunk)]); err != nil {
			return i, err
		}
	}
	return len(p), nil
}

// socketServer runs commands for the command line on a unix socket.
type socketServer struct {
	ln     *net.UnixListener
	path   string
	served *servedDB
	log    *slog.Logger
	wg     sync.WaitGroup
	base   context.Context // the commands'; cancelled when close gives up waiting
	cancel context.CancelFunc
}

// listenSocket listens on the socket in served's data folder. A socket left
// by a server that ended without removing it is replaced; one that answers
// is another server's.
func listenSocket(served *servedDB, log *slog.Logger) (*socketServer, error) {
	if err := os.MkdirAll(served.data, 0o700); err != nil {
		return nil, err
	}
	if err := os.Chmod(served.data, 0o700); err != nil {
		return nil, err
	}
	path := filepath.Join(served.data, socketName)
	if st, err := os.Lstat(path); err == nil {
		if st.Mode().Type() != os.ModeSocket {
			return nil, fmt.Errorf("%s exists and is not a socket", path)
		}
		if c, err := net.DialTimeout("unix", path, time.Second); err == nil {
			c.Close()
			return nil, fmt.Errorf("another pantau server answers at %s", path)
		}
		os.Remove(path)
	}
	ln, err := net.ListenUnix("unix", &net.UnixAddr{Name: path, Net: "unix"})
	if err != nil {
		return nil, err
	}
	if err := os.Chmod(path, 0o600); err != nil {
		ln.Close()
		return nil, err
	}
	s := &socketServer{ln: ln, path: path, served: served, log: log}
	s.base, s.cancel = context.WithCancel(context.Background())
	return s, nil
}

// serve accepts until close, running at most socketRequests commands at once.
func (s *socketServer) serve() {
	slots := make(chan struct{}, socketRequests)
	for {
		slots <- struct{}{}
		conn, err := s.ln.AcceptUnix()
		if err != nil {
			return // closed
		}
		s.wg.Add(1)
		go func() {
			defer s.wg.Done()
			defer func() { <-slots }()
			defer conn.Close()
			s.handle(conn)
		}()
	}
}

// close stops accepting, removes the socket, and waits for the commands
// running (up to socketGrace, then cancels them and waits for them to end).
func (s *socketServer) close() {
	s.ln.Close()
	done := make(chan struct{})
	go func() { s.wg.Wait(); close(done) }()
	select {
	case <-done:
	case <-time.After(socketGrace):
		s.cancel()
		<-done
	}
	s.cancel()
}

func (s *socketServer) handle(conn *net.UnixConn) {
	if err := checkPeer(conn); err != nil {
		s.log.Warn("socket: refused", "err", err)
		return
	}
	conn.SetReadDeadline(time.Now().Add(10 * time.Second))
	kind, body, err := readFrame(conn, maxRequest)
	var req socketRequest
	if err == nil && kind != frameRequest {
		err = errors.New("not a request")
	}
	if err == nil {
		err = json.Unmarshal(body, &req)
	}
	if err != nil {
		s.log.Warn("socket: bad request", "err", err)
		return
	}
	conn.SetReadDeadline(time.Time{})

	// The command ends early when the client hangs up (it sends nothing
	// more, so a read returns only then).
	ctx, cancel := context.WithCancel(s.base)
	defer cancel()
	go func() {
		conn.Read(make([]byte, 1))
		cancel()
	}()
	var mu sync.Mutex
	start := time.Now()
	err = s.run(ctx, req, frameWriter{&mu, conn, frameStdout}, frameWriter{&mu, conn, frameStderr})
	exit := socketExit{OK: true}
	if err != nil {
		exit = socketExit{Code: exitCode(err), Msg: err.Error()}
	}
	command := ""
	if len(req.Args) > 0 {
		command = req.Args[0]
	}
	s.log.Info("command", "command", command, "exit", exit.Code, "latency", time.Since(start).String())
	b, _ := json.Marshal(exit)
	mu.Lock()
	defer mu.Unlock()
	writeFrame(conn, frameExit, b)
}

func (s *socketServer) run(ctx context.Context, req socketRequest, stdout, stderr io.Writer) error {
	if len(req.Args) == 0 || !serverCommands[req.Args[0]] {
		return usageError("the server does not run that command")
	}
	if !filepath.IsAbs(req.Dir) {
		return usageError("the request names no folder")
	}
	if !sameFile(req.DB, s.served.path) {
		return exitError{code: 2, msg: fmt.Sprintf("the server at %s serves %s, not %s", s.path, s.served.path, req.DB)}
	}
	env := &environment{getenv: func(string) string { return "" }, stdin: bytes.NewReader(req.Stdin),
		stdout: stdout, stderr: stderr, served: s.served, dir: req.Dir}
	return env.command(ctx, req.Args)
}

func sameFile(a, b string) bool {
	sa, err := os.Stat(a)
	if err != nil {
		return false
	}
	sb, err := os.Stat(b)
	return err == nil && os.SameFile(sa, sb)
}

// forward has the server holding the database run the command args, with
// stdin as its standard input, and returns as the command would have.
func (env *environment) forward(ctx context.Context, held heldError, args []string, stdin []byte) error {
	sock := filepath.Join(held.data, socketName)
	unavailable := func(why error) error {
		return exitError{code: 2, msg: fmt.Sprintf("%s is in use by another process, and no pantau server answers at %s (%v): "+
			"wait for the other pantau command to finish, or stop the server", held.db, sock, why)}
	}
	if err := checkSocket(sock); err != nil {
		return unavailable(err)
	}
	conn, err := net.DialTimeout("unix", sock, 5*time.Second)
	if err != nil {
		return unavailable(err)
	}
	defer conn.Close()
	db, err := filepath.Abs(held.db)
	if err != nil {
		return exitError{code: 2, msg: err.Error()}
	}
	dir, err := os.Getwd()
	if err != nil {
		return exitError{code: 2, msg: err.Error()}
	}
	body, err := json.Marshal(socketRequest{Args: args, DB: db, Dir: dir, Stdin: stdin})
	if err == nil && len(body) > maxRequest {
		err = errors.New("the command is too long to send to the server")
	}
	if err == nil {
		err = writeFrame(conn, frameRequest, body)
	}
	if err != nil {
		return exitError{code: 2, msg: err.Error()}
	}
	stop := context.AfterFunc(ctx, func() { conn.Close() })
	defer stop()
	for {
		kind, p, err := readFrame(conn, maxChunk)
		if err != nil {
			if ctx.Err() != nil {
				return exitError{code: 2, msg: "interrupted"}
			}
			return exitError{code: 2, msg: "the pantau server ended the command without an answer: " + err.Error()}
		}
		switch kind {
		case frameStdout:
			env.stdout.Write(p)
		case frameStderr:
			env.stderr.Write(p)
		case frameExit:
			var exit socketExit
			if err := json.Unmarshal(p, &exit); err != nil {
				return exitError{code: 2, msg: "the pantau server's answer: " + err.Error()}
			}
			if exit.OK {
				return nil
			}
			return exitError{code: exit.Code, msg: exit.Msg}
		}
	}
}

// checkSocket checks that path is a socket of this user that no one else
// may use.
func checkSocket(path string) error {
	st, err := os.Lstat(path)
	if err != nil {
		return err
	}
	if st.Mode().Type() != os.ModeSocket {
		return errors.New("not a socket")
	}
	if perm := st.Mode().Perm(); perm&0o077 != 0 {
		return fmt.Errorf("open to other users (mode %v)", perm)
	}
	if uid, ok := fileOwner(st); ok && uid != os.Getuid() {
		return fmt.Errorf("owned by user %d", uid)
	}
	return nil
}
