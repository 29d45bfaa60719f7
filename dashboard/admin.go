package dashboard

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"

	"pantau/dashboard/logins"
	"pantau/ingest"
	"pantau/queries"
)

// accounts is what the users page works with: the users, their sessions
// and the login limits.
type accounts struct {
	db       *queries.DB
	sessions *sessionCache
	logins   *logins.Limiter
}

type usersPage struct {
	pageBase
	Users   []queries.User
	Roles   []queries.Role
	Delays  []logins.Delay // logins that must wait now
	Done    string         // message of the change just made
	Error   string
	Form    struct{ Username, Role, Regions string }
	Current string
	// Provinces are the program's provinces, as set or as the form sent them.
	Provinces string
	// LateAfterDays is the quality report's late limit, as set or as the form sent it.
	LateAfterDays string
}

func newUsersPage(c echo.Context, acc *accounts) (*usersPage, error) {
	users, err := acc.db.Users(c.Request().Context())
	if err != nil {
		return nil, err
	}
	p := &usersPage{pageBase: newPageBase(c, "users"), Users: users, Roles: []queries.Role{queries.Viewer, queries.Uploader, queries.Admin},
		Delays: acc.logins.Delayed()}
	p.Current = currentUser(c).Username
	provinces, err := ingest.ProgramProvinces(c.Request().Context(), acc.db)
	if err != nil {
		return nil, err
	}
	p.Provinces = strings.Join(provinces, ", ")
	late, ok, err := acc.db.Setting(c.Request().Context(), queries.SettingLateAfterDays)
	if !ok {
		late = strconv.Itoa(queries.DefaultLateAfterDays)
	}
	p.LateAfterDays = late
	return p, err
}

func handleUsers(pages *pageTemplates, acc *accounts) echo.HandlerFunc {
	return func(c echo.Context) error {
		p, err := newUsersPage(c, acc)
		if err != nil {
			return err
		}
		// The message names a user of the list only: a link cannot make
		// the page announce a change to someone made up.
		switch done, who := c.QueryParam("done"), c.QueryParam("user"); done {
		case "lifted", "provinces", "late_after_days":
			p.Done = p.L.T("users.done_" + done)
		case "removed": // the user is gone from the list: no name to check, none shown
			p.Done = p.L.T("users.done_removed")
		case "added", "disabled", "enabled", "reset", "scoped":
			for _, u := range p.Users {
				if u.Username == who {
					p.Done = p.L.T("users.done_"+done, who)
				}
			}
		}
		return pages.render(c, http.StatusOK, "users", p)
	}
}

// Each form of the users page has its own handler: a change returns the
// user it concerns, and userChanged shows the outcome. No handler shares
// state with another or with its own earlier requests.

func handleUserAdd(pages *pageTemplates, acc *accounts) echo.HandlerFunc {
	return userChanged(pages, acc, "added", func(c echo.Context) (string, error) {
		name := c.FormValue("username")
		role, err := queries.ParseRole(c.FormValue("role"))
		if err != nil {
			return name, err
		}
		scope, err := formScope(c, acc.db)
		if err != nil {
			return name, err
		}
		if err := acc.db.AddUser(c.Request().Context(), name, role, c.FormValue("password")); err != nil || scope == nil {
			return name, err
		}
		return name, acc.db.SetScope(c.Request().Context(), name, scope)
	})
}

// handleUserScope answers POST /admin/users/{name}/scope: the regions the
// user may see, comma-separated; none, every region.
func handleUserScope(pages *pageTemplates, acc *accounts) echo.HandlerFunc {
	return userChanged(pages, acc, "scoped", func(c echo.Context) (string, error) {
		name := c.Param("name")
		scope, err := formScope(c, acc.db)
		if err != nil {
			return name, err
		}
		if err := acc.db.SetScope(c.Request().Context(), name, scope); err != nil {
			return name, err
		}
		detail := name + ": every region"
		if scope != nil {
			detail = name + ": " + strings.Join(scope, ", ")
		}
		audit(c, "scope_changed", detail)
		return name, nil
	})
}

// formScope reads the form's regions: blank for every region.
func formScope(c echo.Context, db *queries.DB) (queries.Scope, error) {
	list := strings.TrimSpace(c.FormValue("regions"))
	if list == "" {
		return nil, nil
	}
	scope, err := ingest.ParseScope(c.Request().Context(), db, list)
	if m, ok := queries.MessageOf(err); ok {
		return nil, queries.Fail(queries.EINVALID, m)
	}
	return scope, err
}

func handleUserDisable(pages *pageTemplates, acc *accounts) echo.HandlerFunc {
	return userChanged(pages, acc, "disabled", func(c echo.Context) (string, error) {
		name := c.Param("name")
		if strings.EqualFold(strings.TrimSpace(name), currentUser(c).Username) {
			return name, failure(queries.EINVALID, "users.err_self")
		}
		return name, acc.db.SetDisabled(c.Request().Context(), name, true)
	})
}

func handleUserEnable(pages *pageTemplates, acc *accounts) echo.HandlerFunc {
	return userChanged(pages, acc, "enabled", func(c echo.Context) (string, error) {
		name := c.Param("name")
		return name, acc.db.SetDisabled(c.Request().Context(), name, false)
	})
}

func handlePasswordReset(pages *pageTemplates, acc *accounts) echo.HandlerFunc {
	return userChanged(pages, acc, "reset", func(c echo.Context) (string, error) {
		name := c.Param("name")
		return name, acc.db.SetPassword(c.Request().Context(), name, c.FormValue("password"))
	})
}

// removePage asks an admin to confirm removing a user, or says why it
// cannot be done.
type removePage struct {
	pageBase
	Target  queries.User
	Refusal string // why the user cannot be removed; then there is no button
}

// handleUserRemoveConfirm answers GET /admin/users/{name}/remove: the
// confirmation step before POST.
func handleUserRemoveConfirm(pages *pageTemplates, db *queries.DB) echo.HandlerFunc {
	return func(c echo.Context) error {
		u, err := db.User(c.Request().Context(), c.Param("name"))
		if err != nil {
			return err
		}
		p := &removePage{pageBase: newPageBase(c, "users"), Target: u}
		if u.Username == currentUser(c).Username {
			p.Refusal = p.L.T("users.err_self_remove")
		}
		return pages.render(c, http.StatusOK, "userremove", p)
	}
}

// handleUserRemove answers POST /admin/users/{name}/remove: the user and
// their sessions go; never the admin's own account, nor the last enabled
// admin (queries refuses that, as for `pantau user rm`).
func handleUserRemove(pages *pageTemplates, acc *accounts) echo.HandlerFunc {
	return userChanged(pages, acc, "removed", func(c echo.Context) (string, error) {
		name := c.Param("name")
		if strings.EqualFold(strings.TrimSpace(name), currentUser(c).Username) {
			return name, failure(queries.EINVALID, "users.err_self_remove")
		}
		return name, acc.db.RemoveUser(c.Request().Context(), name)
	})
}

// userChanged runs change, forgets every cached session (so a disabled
// user or an old password is refused at once), then redirects to the list
// announcing done. An expected error (a taken name, a short password) is
// shown on the page with the form kept.
func userChanged(pages *pageTemplates, acc *accounts, done string, change func(echo.Context) (string, error)) echo.HandlerFunc {
	return func(c echo.Context) error {
		name, err := change(c)
		acc.sessions.forgetAll()
		if code := queries.ErrorCode(err); code == queries.EINVALID || code == queries.ECONFLICT || code == queries.ENOTFOUND {
			p, perr := newUsersPage(c, acc)
			if perr != nil {
				return perr
			}
			// The reason, as the queries package gives it, after a line in the page's language.
			why, _ := queries.MessageOf(err)
			p.Error = p.L.T("users.err_"+code, why.In(p.L.Lang))
			p.Form.Username, p.Form.Role, p.Form.Regions = c.FormValue("username"), c.FormValue("role"), c.FormValue("regions")
			return pages.render(c, statusOf[code], "users", p)
		}
		if err != nil {
			return err
		}
		return c.Redirect(http.StatusSeeOther, "/admin/users?done="+done+"&user="+url.QueryEscape(name))
	}
}

// handleSetting answers POST /admin/settings/NAME for a setting of the
// users page (provinces; late_after_days), whose form field has the
// setting's name: the value checked by parse and stored, or the page again
// with the reason and what was typed.
func handleSetting(pages *pageTemplates, acc *accounts, name string, parse func(string) (string, error)) echo.HandlerFunc {
	return func(c echo.Context) error {
		value, err := parse(c.FormValue(name))
		if why, ok := queries.MessageOf(err); err != nil && ok {
			p, perr := newUsersPage(c, acc)
			if perr != nil {
				return perr
			}
			p.Error = p.L.T("users.err_invalid", why.In(p.L.Lang))
			switch name {
			case queries.SettingProvinces:
				p.Provinces = c.FormValue(name)
			case queries.SettingLateAfterDays:
				p.LateAfterDays = c.FormValue(name)
			}
			return pages.render(c, http.StatusBadRequest, "users", p)
		}
		if err == nil {
			err = acc.db.SetSetting(c.Request().Context(), name, value, currentUser(c).Username)
		}
		if err != nil {
			return err
		}
		return c.Redirect(http.StatusSeeOther, "/admin/users?done="+name)
	}
}

// handleLoginLift answers POST /admin/logins/lift: the pair (user name and
// address) or the address of the form may try again at once.
func handleLoginLift(limiter *logins.Limiter) echo.HandlerFunc {
	return func(c echo.Context) error {
		username := ""
		if c.FormValue("kind") == "pair" {
			username = c.FormValue("username")
		}
		if !limiter.Lift(username, c.FormValue("address")) {
			return failure(queries.ENOTFOUND, "logins.not_found")
		}
		return c.Redirect(http.StatusSeeOther, "/admin/users?done=lifted")
	}
}
