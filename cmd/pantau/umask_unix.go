//go:build unix

package main

import "syscall"

// privateFiles makes the files pantau creates without saying a mode
// readable by its own user only (umask 077): the database, its write-ahead
// log and temporary files, which DuckDB creates itself, hold personal data.
// Workbooks meant for sharing (export, template, sample) set 0644 themselves.
func privateFiles() { syscall.Umask(0o077) }
