package queries_test

import (
	"os"
	"testing"

	"golang.org/x/crypto/bcrypt"

	"pantau/queries"
)

// TestMain makes password hashing cheap, which the tests do not measure,
// and removes the benchmark fixture once every benchmark has used it.
func TestMain(m *testing.M) {
	queries.BcryptCost = bcrypt.MinCost
	code := m.Run()
	closeBenchDB()
	os.Exit(code)
}
