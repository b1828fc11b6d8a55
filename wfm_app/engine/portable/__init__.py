"""Definitions as files: ``export`` gives a plain document (``wfm export`` writes it as
YAML), ``import_definitions`` makes the database match one (``wfm import``)."""

from wfm_app.engine.portable.export import export
from wfm_app.engine.portable.load import ImportReport, import_definitions
from wfm_app.engine.portable.text import from_yaml, to_yaml

__all__ = ["ImportReport", "export", "from_yaml", "import_definitions", "to_yaml"]
