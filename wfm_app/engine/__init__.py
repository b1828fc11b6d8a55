"""The generic WFM engine: no Reflex import, no entity names."""
