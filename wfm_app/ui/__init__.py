"""The browser UI: Reflex pages and thin state classes that call the services."""
