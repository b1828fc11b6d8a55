"""What an operator sees of the running app: Prometheus metrics, the spec's operation log,
health checks. Below the engine (it imports none of it): the engine and the adapters
report into it."""
