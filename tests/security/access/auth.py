"""Login, logout, language and user administration."""

from . import ROLES, allow, logged_in, public

RULES = {
    # a logged-in user asking for the login page is sent home
    "auth.login": public(overrides={role: 302 for role in ROLES}, post={302, 422}),
    "auth.logout": logged_in(post={303}),
    "auth.set_locale": public(post={400}),
    # home sends a user to the first menu entry of their role, or shows the welcome page
    "auth.home": logged_in(get={200, 302}),
    "auth.users": allow("admin"),
    "auth.new_user": allow("admin", post={422}),
    "auth.edit_user": allow("admin"),
    "auth.users_pdf": allow("admin"),
}
