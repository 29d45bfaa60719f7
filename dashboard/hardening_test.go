package dashboard_test

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"
)

// HEAD is answered like GET, without a body, on every page (it was 405).
func TestHeadLikeGet(t *testing.T) {
	env := newTestEnv(t, envOptions{samples: true})
	viewer := env.login("viewer")
	for _, path := range []string{"/", "/problems?gender=P", "/api/v1/summary", "/healthz"} {
		get, head := env.htDo(viewer, "GET", path, nil), env.htDo(viewer, "HEAD", path, nil)
		if head.status != get.status || head.status != http.StatusOK {
			t.Errorf("HEAD %s: status %d, GET %d", path, head.status, get.status)
		}
		if head.body != "" {
			t.Errorf("HEAD %s: a body of %d bytes", path, len(head.body))
		}
		if hc, gc := head.header.Get("Content-Type"), get.header.Get("Content-Type"); hc != gc {
			t.Errorf("HEAD %s: Content-Type %q, GET %q", path, hc, gc)
		}
	}
	if r := env.htDo(env.client(), "HEAD", "/", nil); r.status != http.StatusSeeOther {
		t.Errorf("HEAD / without a session: status %d, want the redirect to the login page", r.status)
	}
}

// A query string Go cannot read whole is refused, not read in part: with
// ";" the filter was dropped and the figures were for everyone.
func TestUnreadableQueryRefused(t *testing.T) {
	env := newTestEnv(t, envOptions{samples: true})
	viewer := env.login("viewer")
	for _, path := range []string{"/api/v1/summary?gender=P;region=Kota+Batu", "/api/v1/summary?region=Kota+Batu;", "/problems?gender=P;x", "/api/v1/summary?gender=%zz"} {
		r := env.htDo(viewer, "GET", path, nil)
		if r.status != http.StatusBadRequest || !strings.Contains(r.body, "tanpa") {
			t.Errorf("GET %s: status %d: %.300s", path, r.status, r.body)
		}
	}
	// The same filter written with "&" is answered.
	r := env.htDo(viewer, "GET", "/api/v1/summary?gender=P&region=Kota+Batu", nil)
	var sum struct{ Filter struct{ Gender string } }
	if r.status != http.StatusOK || json.Unmarshal([]byte(r.body), &sum) != nil || sum.Filter.Gender != "P" {
		t.Errorf("with &: status %d, filter %+v", r.status, sum.Filter)
	}
}

// An import has one address: its id as pantau writes it.
func TestImportIDsCanonical(t *testing.T) {
	env := newTestEnv(t, envOptions{samples: true})
	uploader := env.login("uploader")
	for path, want := range map[string]int{
		"/imports/1/undo": 200, "/imports/01/undo": 404, "/imports/+1/undo": 404, "/imports/1.0/undo": 404,
		"/imports/1/file": 200, "/imports/001/file": 404,
	} {
		if r := env.htDo(uploader, "GET", path, nil); r.status != want {
			t.Errorf("GET %s: status %d, want %d", path, r.status, want)
		}
	}
}
