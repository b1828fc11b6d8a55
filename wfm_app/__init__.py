"""WFM: a generic, configuration-driven Work Flow Management engine."""
