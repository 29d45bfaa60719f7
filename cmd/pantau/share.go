package main

import (
	"context"
	"fmt"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"pantau/dashboard"
	"pantau/ingest"
	"pantau/queries"
)

// share makes, lists and revokes share links, as the "Tautan berbagi" page does.
func (env *environment) share(ctx context.Context, args []string) error {
	if len(args) == 0 {
		return usageError("share: create, list or revoke")
	}
	sub, rest := args[0], args[1:]
	switch sub {
	case "create":
		return env.shareCreate(ctx, rest)
	case "list":
		return env.shareList(ctx, rest)
	case "revoke":
		return env.shareRevoke(ctx, rest)
	}
	return usageError("share: unknown subcommand %q (create, list or revoke)", sub)
}

func (env *environment) shareCreate(ctx context.Context, args []string) error {
	f := env.newFlags("share create", "--user U --path '/problems?region=...' [--password-stdin] [--expires-days N] [--label L]").withDB(env)
	user := f.String("user", "", "the user the link is made for: their regions bound it")
	path := f.String("path", "", "the dashboard page and its filter, as in the browser's address bar")
	passwordStdin := f.Bool("password-stdin", false, "read the link's password from the first line of standard input")
	days := f.Int("expires-days", queries.ShareDefaultDays, fmt.Sprintf("days the link works, 1 to %d", queries.ShareMaxDays))
	label := f.String("label", "", "what the link is for, in the list of links")
	if _, err := f.parse(args); err != nil {
		return err
	}
	page, query, _ := strings.Cut(*path, "?")
	if *user == "" || !dashboard.Shareable(page) {
		return usageError("share create: give --user and a --path to /, /facilitators, /problems or /organizing")
	}
	q, err := url.ParseQuery(query)
	if err != nil {
		return usageError("share create: %v", err)
	}
	filter, err := ingest.ParseFilter(q["region"], q.Get("gender"), q.Get("work_type"), q.Get("from"), q.Get("to"))
	if err != nil {
		return usageError("share create: %v", err)
	}
	password := ""
	if *passwordStdin {
		if password, err = readPassword(env.stdin); err != nil {
			return usageError("share create: %v", err)
		}
	}
	db, done, err := env.openDB(ctx, f)
	if err != nil {
		return err
	}
	defer done()
	u, err := db.User(ctx, *user)
	if err != nil {
		return exitError{code: 1, msg: "share create: " + err.Error()}
	}
	if u.Regions != nil {
		if len(filter.Regions) == 0 {
			filter.Regions = slices.Clone(u.Regions)
		}
		for _, r := range filter.Regions {
			if !u.Regions.Allows(r) {
				return exitError{code: 1, msg: fmt.Sprintf("share create: %s is outside the regions of %s: %s", r, u.Username, strings.Join(u.Regions, ", "))}
			}
		}
	}
	link := queries.ShareLink{CreatedBy: u.Username, Label: *label, Page: page, Query: dashboard.FilterQuery(filter), Regions: u.Regions}
	token, _, err := db.CreateShareLink(ctx, link, *days, password, time.Now())
	if queries.ErrorCode(err) == queries.EINVALID {
		return exitError{code: 1, msg: "share create: " + err.Error()}
	} else if err != nil {
		return exitError{code: 2, msg: err.Error()}
	}
	fmt.Fprintf(env.stdout, "/s/%s\n", token)
	return nil
}

func (env *environment) shareList(ctx context.Context, args []string) error {
	f := env.newFlags("share list", "[--json]").withDB(env).withJSON()
	if _, err := f.parse(args); err != nil {
		return err
	}
	db, done, err := env.openDB(ctx, f)
	if err != nil {
		return err
	}
	defer done()
	links, err := db.ShareLinks(ctx, "")
	if err != nil {
		return exitError{code: 2, msg: err.Error()}
	}
	if f.json {
		return env.printJSON(links)
	}
	tw := tabwriter.NewWriter(env.stdout, 2, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "ID\tLABEL\tPAGE\tBY\tEXPIRES\tVIEWS\tSTATUS")
	for _, l := range links {
		status := "active"
		if l.Revoked != nil {
			status = "revoked"
		} else if !l.Expires.After(time.Now()) {
			status = "expired"
		}
		page := l.Page
		if l.Query != "" {
			page += "?" + l.Query
		}
		fmt.Fprintf(tw, "%d\t%s\t%s\t%s\t%s\t%d\t%s\n", l.ID, l.Label, page, l.CreatedBy, l.Expires.Format("2006-01-02"), l.Views, status)
	}
	return tw.Flush()
}

func (env *environment) shareRevoke(ctx context.Context, args []string) error {
	f := env.newFlags("share revoke", "ID").withDB(env)
	positional, err := f.parse(args)
	if err != nil {
		return err
	}
	if len(positional) != 1 {
		return usageError("share revoke: give one link ID (see pantau share list)")
	}
	id, err := strconv.ParseInt(positional[0], 10, 64)
	if err != nil {
		return usageError("share revoke: %q is not a link ID", positional[0])
	}
	db, done, err := env.openDB(ctx, f)
	if err != nil {
		return err
	}
	defer done()
	if err := db.RevokeShareLink(ctx, id, "cli", true, time.Now()); err != nil {
		if queries.ErrorCode(err) == queries.ENOTFOUND {
			return exitError{code: 1, msg: "share revoke: " + err.Error()}
		}
		return exitError{code: 2, msg: err.Error()}
	}
	fmt.Fprintf(env.stdout, "link %d revoked\n", id)
	return nil
}
