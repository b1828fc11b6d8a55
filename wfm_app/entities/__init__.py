"""Business entities that ride on the WFM engine: deals, leads (next: tickets)."""
