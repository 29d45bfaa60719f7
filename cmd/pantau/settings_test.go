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

// The quality report's late limit: 30 days until set, a whole number of
// days 1-365, refused otherwise in words that say so; the report follows it.
func TestSettingsLateAfterDays(t *testing.T) {
	c := newCLI(t)
	if got := c.mustRun("settings", "get", "late_after_days"); got != "30\n" {
		t.Errorf("default: %q", got)
	}
	if got := c.mustRun("settings", "set", "late_after_days", " 45"); got != "late_after_days = 45\n" {
		t.Errorf("set: %q", got)
	}
	if got := c.mustRun("settings", "get", "late_after_days"); got != "45\n" {
		t.Errorf("get after set: %q", got)
	}
	if got := c.mustRun("settings", "list"); got != "late_after_days = 45\nprovinces = Jawa Timur\n" {
		t.Errorf("list: %q", got)
	}
	if got := c.mustRun("quality", "--json"); !strings.Contains(got, `"late_after_days": 45`) {
		t.Errorf("quality --json does not follow the setting: %s", got)
	}
	for _, bad := range []string{"0", "366", "-1", "4.5", "sebulan", ""} {
		_, errs, code := c.run("settings", "set", "late_after_days", "--", bad)
		if code != 2 || !strings.Contains(errs, "whole number of days from 1 to 365") {
			t.Errorf("set late_after_days %q: exit %d, stderr %q; want a usage error that says why", bad, code, errs)
		}
	}
	if got := c.mustRun("settings", "get", "late_after_days"); got != "45\n" {
		t.Errorf("a refused set changed the setting: %q", got)
	}
}
