"""Win chance learned from history: per open card, the chance it reaches a WON step,
from the workflow's closed cards by step and age in step (learning.py), stored per
workflow and refreshed by the worker (store.py)."""
