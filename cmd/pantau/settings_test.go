package main

import (
	"strings"
	"testing"
)

// The program's provinces: the default until set, checked against the
// catalogue and stored in its official spelling.
func TestSettingsProvinces(t *testing.T) {
	c := newCLI(t)
	if got := c.mustRun("settings", "get", "provinces"); got != "Jawa Timur\n" {
		t.Errorf("default: %q", got)
	}
	if got := c.mustRun("settings", "set", "provinces", "jawa timur, JAWA TENGAH,Jawa Timur"); got != "provinces = Jawa Timur,Jawa Tengah\n" {
		t.Errorf("set: %q", got)
	}
	if got := c.mustRun("settings", "get", "provinces"); got != "Jawa Timur,Jawa Tengah\n" {
		t.Errorf("get after set: %q", got)
	}
	if got := c.mustRun("settings", "list", "--json"); !strings.Contains(got, `"provinces": "Jawa Timur,Jawa Tengah"`) {
		t.Errorf("list --json: %q", got)
	}
	for _, bad := range [][]string{
		{"settings", "set", "provinces", "Jawa Timor"},
		{"settings", "set", "provinces", " , "},
		{"settings", "set", "colour", "blue"},
		{"settings", "get"},
		{"settings", "frobnicate"},
	} {
		_, errs, code := c.run(bad...)
		if code != 2 || errs == "" {
			t.Errorf("pantau %s: exit %d, stderr %q; want a usage error", strings.Join(bad, " "), code, errs)
		}
	}
	if _, errs, _ := c.run("settings", "set", "provinces", "Jawa Timor"); !strings.Contains(errs, `province "Jawa Timor" is not in the official area catalogue`) {
		t.Errorf("unknown province: %q", errs)
	}
	if got := c.mustRun("settings", "get", "provinces"); got != "Jawa Timur,Jawa Tengah\n" {
		t.Errorf("a refused set changed the setting: %q", got)
	}
}
