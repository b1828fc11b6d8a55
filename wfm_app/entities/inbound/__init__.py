"""Inbound webhooks: another system (Jira, ServiceNow, anything that can POST JSON) creates
and moves cards here. ``endpoints`` keeps each source's endpoint and secret, ``payloads``
reads the events those systems send, ``receiving`` checks a delivery and applies it
through the one create and move (rules, WIP and automation apply) and records it."""
