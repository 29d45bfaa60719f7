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

func (s *Server) usersPage(c echo.Context) (*usersPage, error) {
	users, err := s.db.Users(c.Request().Context())
	if err != nil {
		return nil, err
	}
	p := &usersPage{pageBase: s.base(c, "users"), Users: users, Roles: []queries.Role{queries.Viewer, queries.Uploader, queries.Admin}}
	p.Current = currentUser(c).Username
	return p, nil
}

func (s *Server) handleUsers() echo.HandlerFunc {
	return func(c echo.Context) error {
		p, err := s.usersPage(c)
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
		return s.render(c, http.StatusOK, "users", p)
	}
}

// Each form of the users page has its own handler: a change returns the
// user it concerns, and userChanged shows the outcome. No handler shares
// state with another or with its own earlier requests.

func (s *Server) handleUserAdd() echo.HandlerFunc {
	return s.userChanged("added", func(c echo.Context) (string, error) {
		name := c.FormValue("username")
		role, err := queries.ParseRole(c.FormValue("role"))
		if err != nil {
			return name, err
		}
		return name, s.db.AddUser(c.Request().Context(), name, role, c.FormValue("password"))
	})
}

func (s *Server) handleUserDisable() echo.HandlerFunc {
	return s.userChanged("disabled", func(c echo.Context) (string, error) {
		name := c.Param("name")
		if strings.EqualFold(strings.TrimSpace(name), currentUser(c).Username) {
			return name, failure(queries.EINVALID, "users.err_self")
		}
		return name, s.db.SetDisabled(c.Request().Context(), name, true)
	})
}

func (s *Server) handleUserEnable() echo.HandlerFunc {
	return s.userChanged("enabled", func(c echo.Context) (string, error) {
		name := c.Param("name")
		return name, s.db.SetDisabled(c.Request().Context(), name, false)
	})
}

func (s *Server) handlePasswordReset() echo.HandlerFunc {
	return s.userChanged("reset", func(c echo.Context) (string, error) {
		name := c.Param("name")
		return name, s.db.SetPassword(c.Request().Context(), name, c.FormValue("password"))
	})
}

// userChanged runs change, forgets every cached session (so a disabled
// user or an old password is refused at once), then redirects to the list
// announcing done. An expected error (a taken name, a short password) is
// shown on the page with the form kept.
func (s *Server) userChanged(done string, change func(echo.Context) (string, error)) echo.HandlerFunc {
	return func(c echo.Context) error {
		name, err := change(c)
		s.sessions.forgetAll()
		if code := queries.ErrorCode(err); code == queries.EINVALID || code == queries.ECONFLICT || code == queries.ENOTFOUND {
			p, perr := s.usersPage(c)
			if perr != nil {
				return perr
			}
			// The reason, as the queries package gives it, after a line in the page's language.
			why, _ := queries.MessageOf(err)
			p.Error = p.L.T("users.err_"+code, why.In(p.L.Lang))
			p.Form.Username, p.Form.Role = c.FormValue("username"), c.FormValue("role")
			return s.render(c, statusOf[code], "users", p)
		}
		if err != nil {
			return err
		}
		return c.Redirect(http.StatusSeeOther, "/admin/users?done="+done+"&user="+url.QueryEscape(name))
	}
}
