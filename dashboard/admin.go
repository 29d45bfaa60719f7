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

// handleUserChange answers the forms of the users page. An expected error
// (a taken name, a short password) is shown on the page with the form kept.
func (s *Server) handleUserChange(action string) echo.HandlerFunc {
	return func(c echo.Context) error {
		ctx := c.Request().Context()
		name := c.FormValue("username")
		if action != "add" {
			name = c.Param("name")
		}
		var err error
		switch action {
		case "add":
			var role queries.Role
			if role, err = queries.ParseRole(c.FormValue("role")); err == nil {
				err = s.db.AddUser(ctx, name, role, c.FormValue("password"))
			}
			action = "added"
		case "disable":
			if strings.EqualFold(strings.TrimSpace(name), currentUser(c).Username) {
				err = queries.Errorf(queries.EINVALID, "%s", localeFor(c).T("users.err_self"))
			} else {
				err = s.db.SetDisabled(ctx, name, true)
			}
			action = "disabled"
		case "enable":
			err = s.db.SetDisabled(ctx, name, false)
			action = "enabled"
		case "reset":
			err = s.db.SetPassword(ctx, name, c.FormValue("password"))
		}
		s.sessions.forgetAll()
		if code := queries.ErrorCode(err); code == queries.EINVALID || code == queries.ECONFLICT || code == queries.ENOTFOUND {
			p, perr := s.usersPage(c)
			if perr != nil {
				return perr
			}
			// The reason, as the queries package gives it, after a line in the page's language.
			p.Error = p.L.T("users.err_"+code, err.Error())
			p.Form.Username, p.Form.Role = c.FormValue("username"), c.FormValue("role")
			return s.render(c, statusOf[code], "users", p)
		}
		if err != nil {
			return err
		}
		return c.Redirect(http.StatusSeeOther, "/admin/users?done="+action+"&user="+url.QueryEscape(name))
	}
}
