package dashboard

import (
	"net/http"
	"net/url"
	"strings"

	"github.com/labstack/echo/v4"

	"pantau/queries"
)

type usersPage struct {
	pageBase
	Users   []queries.User
	Roles   []queries.Role
	Done    string // message of the change just made
	Error   string
	Form    struct{ Username, Role string }
	Current string
}

func newUsersPage(c echo.Context, db *queries.DB) (*usersPage, error) {
	users, err := db.Users(c.Request().Context())
	if err != nil {
		return nil, err
	}
	p := &usersPage{pageBase: newPageBase(c, "users"), Users: users, Roles: []queries.Role{queries.Viewer, queries.Uploader, queries.Admin}}
	p.Current = currentUser(c).Username
	return p, nil
}

func handleUsers(pages *pageTemplates, db *queries.DB) echo.HandlerFunc {
	return func(c echo.Context) error {
		p, err := newUsersPage(c, db)
		if err != nil {
			return err
		}
		// The message names a user of the list only: a link cannot make
		// the page announce a change to someone made up.
		switch done, who := c.QueryParam("done"), c.QueryParam("user"); done {
		case "added", "disabled", "enabled", "reset":
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

func handleUserAdd(pages *pageTemplates, db *queries.DB, sessions *sessionCache) echo.HandlerFunc {
	return userChanged(pages, db, sessions, "added", func(c echo.Context) (string, error) {
		name := c.FormValue("username")
		role, err := queries.ParseRole(c.FormValue("role"))
		if err != nil {
			return name, err
		}
		return name, db.AddUser(c.Request().Context(), name, role, c.FormValue("password"))
	})
}

func handleUserDisable(pages *pageTemplates, db *queries.DB, sessions *sessionCache) echo.HandlerFunc {
	return userChanged(pages, db, sessions, "disabled", func(c echo.Context) (string, error) {
		name := c.Param("name")
		if strings.EqualFold(strings.TrimSpace(name), currentUser(c).Username) {
			return name, failure(queries.EINVALID, "users.err_self")
		}
		return name, db.SetDisabled(c.Request().Context(), name, true)
	})
}

func handleUserEnable(pages *pageTemplates, db *queries.DB, sessions *sessionCache) echo.HandlerFunc {
	return userChanged(pages, db, sessions, "enabled", func(c echo.Context) (string, error) {
		name := c.Param("name")
		return name, db.SetDisabled(c.Request().Context(), name, false)
	})
}

func handlePasswordReset(pages *pageTemplates, db *queries.DB, sessions *sessionCache) echo.HandlerFunc {
	return userChanged(pages, db, sessions, "reset", func(c echo.Context) (string, error) {
		name := c.Param("name")
		return name, db.SetPassword(c.Request().Context(), name, c.FormValue("password"))
	})
}

// userChanged runs change, forgets every cached session (so a disabled
// user or an old password is refused at once), then redirects to the list
// announcing done. An expected error (a taken name, a short password) is
// shown on the page with the form kept.
func userChanged(pages *pageTemplates, db *queries.DB, sessions *sessionCache, done string, change func(echo.Context) (string, error)) echo.HandlerFunc {
	return func(c echo.Context) error {
		name, err := change(c)
		sessions.forgetAll()
		if code := queries.ErrorCode(err); code == queries.EINVALID || code == queries.ECONFLICT || code == queries.ENOTFOUND {
			p, perr := newUsersPage(c, db)
			if perr != nil {
				return perr
			}
			// The reason, as the queries package gives it, after a line in the page's language.
			why, _ := queries.MessageOf(err)
			p.Error = p.L.T("users.err_"+code, why.In(p.L.Lang))
			p.Form.Username, p.Form.Role = c.FormValue("username"), c.FormValue("role")
			return pages.render(c, statusOf[code], "users", p)
		}
		if err != nil {
			return err
		}
		return c.Redirect(http.StatusSeeOther, "/admin/users?done="+done+"&user="+url.QueryEscape(name))
	}
}
