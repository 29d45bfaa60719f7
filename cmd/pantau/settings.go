package main

import (
	"context"
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"

	"pantau/ingest"
	"pantau/queries"
)

// knownSettings are the settings "pantau settings" reads and writes, with
// how a value is checked and what it is when never set.
var knownSettings = map[string]struct {
	parse func(string) (string, error)
	def   string
}{
	queries.SettingProvinces:     {ingest.ParseProvinces, strings.Join(ingest.DefaultProvinces, ",")},
	queries.SettingLateAfterDays: {queries.ParseLateAfterDays, strconv.Itoa(queries.DefaultLateAfterDays)},
}

// settings lists, reads or sets the program's settings.
func (env *environment) settings(ctx context.Context, args []string) error {
	if len(args) == 0 {
		return usageError("settings: list, get or set")
	}
	sub, rest := args[0], args[1:]
	want := map[string]int{"list": 0, "get": 1, "set": 2}
	n, ok := want[sub]
	if !ok {
		return usageError("settings: unknown subcommand %q (list, get or set)", sub)
	}
	f := env.newFlags("settings "+sub, map[string]string{"list": "[--json]", "get": "NAME", "set": "NAME VALUE"}[sub]).withDB(env).withJSON()
	positional, err := f.parse(rest)
	if err != nil {
		return err
	}
	if len(positional) != n {
		return usageError("settings %s: give %s", sub, map[string]string{"list": "no argument", "get": "a setting's name", "set": "a setting's name and value"}[sub])
	}
	if n > 0 {
		if _, ok := knownSettings[positional[0]]; !ok {
			return usageError("settings %s: unknown setting %q (known: %s)", sub, positional[0], strings.Join(slices.Sorted(maps.Keys(knownSettings)), ", "))
		}
	}
	var value string
	if sub == "set" {
		if value, err = knownSettings[positional[0]].parse(positional[1]); err != nil {
			return usageError("settings set %s: %s", positional[0], messageEN(err))
		}
	}
	db, done, err := env.openDB(ctx, f)
	if err != nil {
		return err
	}
	defer done()
	switch sub {
	case "set":
		if err := db.SetSetting(ctx, positional[0], value, "cli"); err != nil {
			return exitError{code: 2, msg: err.Error()}
		}
		fmt.Fprintf(env.stdout, "%s = %s\n", positional[0], value)
	case "get":
		v, err := settingValue(ctx, db, positional[0])
		if err != nil {
			return exitError{code: 2, msg: err.Error()}
		}
		fmt.Fprintln(env.stdout, v)
	case "list":
		list := map[string]string{}
		for name := range knownSettings {
			if list[name], err = settingValue(ctx, db, name); err != nil {
				return exitError{code: 2, msg: err.Error()}
			}
		}
		if f.json {
			return env.printJSON(list)
		}
		for _, name := range slices.Sorted(maps.Keys(list)) {
			fmt.Fprintf(env.stdout, "%s = %s\n", name, list[name])
		}
	}
	return nil
}

// settingValue is a setting's value, or its default when never set.
func settingValue(ctx context.Context, db *queries.DB, name string) (string, error) {
	v, ok, err := db.Setting(ctx, name)
	if !ok {
		v = knownSettings[name].def
	}
	return v, err
}

// messageEN is the English of a message error, else its text.
func messageEN(err error) string {
	if m, ok := err.(*queries.Message); ok {
		return m.EN
	}
	return err.Error()
}
