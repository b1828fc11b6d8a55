"""Who is acting: users, roles, permissions (and, later, OpenID Connect sign-in)."""
