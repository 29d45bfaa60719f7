package queries

import "database/sql"

// RawSQL is the handle underneath db, for this package's tests only: they
// may look at tables no query function reads, and set up states by hand.
func RawSQL(db *DB) *sql.DB { return db.sql }
