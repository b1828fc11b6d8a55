"""OpenTelemetry traces, by configuration only: with ``OTEL_EXPORTER_OTLP_ENDPOINT`` set,
the backend and the worker export spans over OTLP/HTTP (HTTP requests and Reflex's events,
SQL statements, outbound webhook calls, and one span per WFM operation carrying the
operation log's fields); without it nothing of OpenTelemetry is imported."""

from __future__ import annotations

import os
from typing import Any

_provider: Any = None  # the tracer provider, once configured


def enabled() -> bool:
    return _provider is not None


def configure(service_name: str) -> bool:
    """Start exporting if ``OTEL_EXPORTER_OTLP_ENDPOINT`` says where (once per process);
    whether spans are exported. The exporter reads the standard OTEL_* variables."""
    global _provider
    if _provider is not None:
        return True
    if not os.environ.get("OTEL_EXPORTER_OTLP_ENDPOINT"):
        return False
    from opentelemetry import trace
    from opentelemetry.exporter.otlp.proto.http.trace_exporter import OTLPSpanExporter
    from opentelemetry.instrumentation.asgi import OpenTelemetryMiddleware
    from opentelemetry.instrumentation.httpx import HTTPXClientInstrumentor
    from opentelemetry.instrumentation.sqlalchemy import SQLAlchemyInstrumentor
    from opentelemetry.sdk.resources import Resource
    from opentelemetry.sdk.trace import TracerProvider
    from opentelemetry.sdk.trace.export import BatchSpanProcessor
    from reflex_base import otel as reflex_otel

    from wfm_app.observability import operations

    name = os.environ.get("OTEL_SERVICE_NAME") or service_name
    provider = TracerProvider(resource=Resource.create({"service.name": name}))
    provider.add_span_processor(BatchSpanProcessor(OTLPSpanExporter()))
    trace.set_tracer_provider(provider)
    HTTPXClientInstrumentor().instrument(tracer_provider=provider)  # webhook deliveries
    # every engine made from now on (db.make_engine looks create_engine up when called);
    # the instrumentation names SQLAlchemy < 2.1 but uses only its stable event API
    SQLAlchemyInstrumentor().instrument(tracer_provider=provider, skip_dep_check=True)
    # the backend's requests and Reflex's own trace points (events, state, sockets)
    reflex_otel.enable(tracer_provider=provider, asgi_middleware_factory=OpenTelemetryMiddleware)
    operations.trace_with(provider.get_tracer("wfm"))
    _provider = provider
    return True


def flush() -> None:
    """Send what is buffered (a process about to stop)."""
    if _provider is not None:
        _provider.force_flush()
