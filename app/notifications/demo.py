"""Demo data of the notification context: the reminders due on the demo's 'today'.

The other contexts' demo loaders record their events (orders, signatures, submissions,
invoices); the worker turns those into notifications once it runs.  Here the daily reminder
job is run once for the demo date, so the bell has the reminders a real morning would bring.
"""

from __future__ import annotations

from .reminders import run_reminders


def load(demo) -> None:
    counts = run_reminders(demo.today)
    demo.echo("    reminders: " + ", ".join(f"{k} {v}" for k, v in counts.items()))
