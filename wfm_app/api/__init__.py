"""The backend's HTTP routes beside Reflex: sign-in now, GraphQL next. Thin adapters."""
