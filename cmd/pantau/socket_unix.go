//go:build unix

package main

import (
	"fmt"
	"io/fs"
	"net"
	"os"
	"syscall"
)

// fileOwner is the user id owning the file st describes.
func fileOwner(st fs.FileInfo) (int, bool) {
	if s, ok := st.Sys().(*syscall.Stat_t); ok {
		return int(s.Uid), true
	}
	return 0, false
}

// checkPeer refuses a client that runs as another user than the server.
func checkPeer(conn *net.UnixConn) error {
	uid, ok, err := peerUID(conn)
	if err != nil {
		return err
	}
	if ok && uid != os.Getuid() {
		return fmt.Errorf("a client of user %d", uid)
	}
	return nil
}
