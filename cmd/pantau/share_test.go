package main

import (
	"encoding/json"
	"io"
	"net/http"
	"regexp"
	"strings"
	"testing"
)

// TestShareCommands: pantau share create prints a link that opens the page
// through the server without a login, bounded by the user's regions; share
// list shows it with its views; share revoke ends it.
func TestShareCommands(t *testing.T) {
	c := samplesAndViewer(t)
	c.mustRun("user", "scope", "viewer", "--regions", "Kab. Jember")
	if _, errs, code := c.run("share", "create", "--user", "viewer", "--path", "/problems?region=Kota+Batu"); code != 1 || !strings.Contains(errs, "outside the regions of viewer: Kab. Jember") {
		t.Errorf("a link wider than the scope: exit %d, %q", code, errs)
	}
	if _, errs, code := c.run("share", "create", "--user", "viewer", "--path", "/admin/users"); code != 2 || !strings.Contains(errs, "--path") {
		t.Errorf("a link to another page: exit %d, %q", code, errs)
	}
	out := c.mustRun("share", "create", "--user", "viewer", "--path", "/problems", "--label", "Dinas", "--expires-days", "7")
	link := strings.TrimSpace(out)
	if !regexp.MustCompile(`^/s/[A-Za-z0-9_-]{22}$`).MatchString(link) {
		t.Fatalf("share create printed %q", out)
	}

	base, stop := c.startServe()
	resp, err := (&http.Client{}).Get(base + link + "/charts/problems-by-region")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK || !strings.Contains(string(body), "Kab. Jember") || strings.Contains(string(body), "Kota Batu") {
		t.Errorf("the link's chart: %d %.300s", resp.StatusCode, body)
	}
	if err := stop(); err != nil {
		t.Fatal(err)
	}

	var links []struct {
		ID    int64
		Label string
		Query string
		Views int64
	}
	if err := json.Unmarshal([]byte(c.mustRun("share", "list", "--json")), &links); err != nil || len(links) != 1 ||
		links[0].Label != "Dinas" || links[0].Query != "region=Kab.+Jember" {
		t.Fatalf("share list: %+v %v", links, err)
	}
	if out := c.mustRun("share", "list"); !strings.Contains(out, "Dinas") || !strings.Contains(out, "active") {
		t.Errorf("share list: %s", out)
	}
	c.mustRun("share", "revoke", "1")
	if out := c.mustRun("share", "list"); !strings.Contains(out, "revoked") {
		t.Errorf("after revoke: %s", out)
	}
	if _, errs, code := c.run("share", "revoke", "1"); code != 1 || !strings.Contains(errs, "no link 1") {
		t.Errorf("revoke again: exit %d, %q", code, errs)
	}
}
