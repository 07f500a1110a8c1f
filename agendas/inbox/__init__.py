"""'Mijn taken': what waits for a user, across the decision route, monitoring and comments.

``items.InboxItem`` is the row; ``selectors.inbox_items`` composes the parts (decision route in
agendas/decision/selectors.py, monitoring in ``monitoring.py``, comments in ``comments.py``).
"""
