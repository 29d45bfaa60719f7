package queries_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"pantau/queries"
	"pantau/queries/querytest"
)

// TestShareLinks: a link opens with its token only (the database keeps its
// hash), with its password if it has one, until it expires or is revoked
// (by its maker or an admin, at once); views are counted; the limits hold.
func TestShareLinks(t *testing.T) {
	db := querytest.Open(t)
	ctx := context.Background()
	for _, name := range []string{"sari", "budi"} {
		if err := db.AddUser(ctx, name, queries.Viewer, goodPassword); err != nil {
			t.Fatal(err)
		}
	}
	now := time.Date(2026, 12, 1, 10, 0, 0, 0, time.UTC)
	link := queries.ShareLink{CreatedBy: "sari", Label: "Dinas", Page: "/problems", Query: "region=Kab.+Jember", Regions: queries.Scope{"Kab. Jember"}}
	token, id, err := db.CreateShareLink(ctx, link, 30, "kopi hujan", now)
	if err != nil {
		t.Fatal(err)
	}
	if len(token) != 22 {
		t.Errorf("token %q: want 128 bits in base64url", token)
	}
	if list, _ := db.ShareLinks(ctx, ""); len(list) != 1 || strings.Contains(fmt.Sprintf("%+v", list[0]), token) {
		t.Errorf("the list shows the token: %+v", list)
	}
	got, err := db.OpenShareLink(ctx, token, now.Add(time.Hour))
	if err != nil || got.ID != id || got.Page != "/problems" || got.Query != "region=Kab.+Jember" || !got.HasPassword || got.Regions[0] != "Kab. Jember" {
		t.Fatalf("open: %+v, %v", got, err)
	}
	if got.PasswordOK("wrong one!") || !got.PasswordOK("kopi hujan") {
		t.Error("the password check")
	}
	if _, err := db.OpenShareLink(ctx, token+"x", now); queries.ErrorCode(err) != queries.ENOTFOUND {
		t.Errorf("another token: %v", err)
	}
	if _, err := db.OpenShareLink(ctx, token, now.AddDate(0, 0, 30)); queries.ErrorCode(err) != queries.ENOTFOUND {
		t.Errorf("expired: %v", err)
	}
	db.CountShareView(ctx, id)
	db.CountShareView(ctx, id)
	if list, _ := db.ShareLinks(ctx, "sari"); len(list) != 1 || list[0].Views != 2 {
		t.Errorf("sari's links: %+v", list)
	}
	if list, _ := db.ShareLinks(ctx, "budi"); len(list) != 0 {
		t.Errorf("budi's links: %+v", list)
	}
	if err := db.RevokeShareLink(ctx, id, "budi", false, now); queries.ErrorCode(err) != queries.ENOTFOUND {
		t.Errorf("another user revoked it: %v", err)
	}
	if err := db.RevokeShareLink(ctx, id, "sari", false, now); err != nil {
		t.Fatal(err)
	}
	if _, err := db.OpenShareLink(ctx, token, now); queries.ErrorCode(err) != queries.ENOTFOUND {
		t.Errorf("revoked: %v", err)
	}
	for _, bad := range []struct {
		days     int
		password string
	}{{0, ""}, {366, ""}, {30, "short"}} {
		if _, _, err := db.CreateShareLink(ctx, link, bad.days, bad.password, now); queries.ErrorCode(err) != queries.EINVALID {
			t.Errorf("%d days, password %q: %v", bad.days, bad.password, err)
		}
	}
	other := link
	other.CreatedBy = "nobody"
	if _, _, err := db.CreateShareLink(ctx, other, 30, "", now); queries.ErrorCode(err) != queries.ENOTFOUND {
		t.Errorf("an unknown maker: %v", err)
	}
	// An admin may revoke anyone's.
	token2, id2, _ := db.CreateShareLink(ctx, link, 365, "", now)
	if err := db.RevokeShareLink(ctx, id2, "admin", true, now); err != nil {
		t.Error(err)
	}
	if _, err := db.OpenShareLink(ctx, token2, now); queries.ErrorCode(err) != queries.ENOTFOUND {
		t.Errorf("revoked by an admin: %v", err)
	}
}
