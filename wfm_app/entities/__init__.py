"""Business entities that ride on the WFM engine: deals, leads and support tickets.

Each module describes its kind once (``DESCRIPTION``) and registers it with the engine
when imported; importing this package registers them all.
"""

from wfm_app.entities import deals, leads, tickets

KINDS = (deals.service, leads.service, tickets.service)
