"""Parallel branches on a step: approvals that run side by side and gate the moves out.

``admin``: defining branches; ``gate``: which moves wait on which branches; ``runtime``:
opening and closing a card's branch instances as it moves, and acting on them.
"""
