"""Dashboards: the role's default one, or the user's own once they arrange it.

A user starts on their role's default dashboard (owner NULL).  The first change copies it into
a dashboard of their own; adding, removing and moving widgets then touch only that copy.  Row
level security lets a user write only dashboards they own (and their widgets); the explicit
owner filters keep an administrator on their own dashboard too.
"""

from __future__ import annotations

import uuid

from sqlalchemy import func, select

from ..core.i18n import lazy_gettext as _l
from ..core.identity import Identity
from ..extensions import db
from .models import Dashboard, DashboardWidget
from .widgets import CATALOG, kinds_for


class DashboardError(Exception):
    def __init__(self, field: str | None, message):
        super().__init__(str(message))
        self.field = field
        self.message = str(message)


def own_dashboard(identity: Identity) -> Dashboard | None:
    return db.session.scalars(select(Dashboard).where(
        Dashboard.owner_user_id == identity.user_id)).first()


def role_dashboard(role: str) -> Dashboard | None:
    return db.session.scalars(select(Dashboard).where(
        Dashboard.owner_user_id.is_(None), Dashboard.role == role, Dashboard.is_default)).first()


def current_dashboard(identity: Identity) -> Dashboard | None:
    """The user's own dashboard, else their role's default (None for roles without one)."""
    return own_dashboard(identity) or role_dashboard(identity.role)


def widgets_of(dashboard: Dashboard | None, role: str) -> list[DashboardWidget]:
    """The dashboard's widgets in order, leaving out kinds the role may not use."""
    if dashboard is None:
        return []
    rows = db.session.scalars(select(DashboardWidget).where(
        DashboardWidget.dashboard_id == dashboard.id).order_by(
        DashboardWidget.position, DashboardWidget.created_at)).all()
    allowed = {k.key for k in kinds_for(role)}
    return [w for w in rows if w.config.get("kind") in allowed]


def customize(identity: Identity) -> Dashboard:
    """The user's own dashboard, created as a copy of the role's default on first use."""
    mine = own_dashboard(identity)
    if mine is not None:
        return mine
    template = role_dashboard(identity.role)
    mine = Dashboard(owner_user_id=identity.user_id, role=identity.role, is_default=False,
                     name=str(_l("マイダッシュボード")))
    db.session.add(mine)
    db.session.flush()
    for position, widget in enumerate(widgets_of(template, identity.role)):
        db.session.add(DashboardWidget(dashboard_id=mine.id, widget_type=widget.widget_type,
                                       title=widget.title, kpi_code=widget.kpi_code,
                                       config=dict(widget.config), position=position))
    db.session.flush()
    return mine


def add_widget(identity: Identity, kind_key: str) -> DashboardWidget:
    """Append a widget of ``kind_key`` (one the role may use) to the user's dashboard."""
    kind = CATALOG.get(kind_key or "")
    if kind is None or identity.role not in kind.roles:
        raise DashboardError("kind", _l("追加できるウィジェットを選択してください。"))
    mine = customize(identity)
    last = db.session.scalar(select(func.max(DashboardWidget.position)).where(
        DashboardWidget.dashboard_id == mine.id))
    widget = DashboardWidget(dashboard_id=mine.id, widget_type=kind.widget_type, title=str(kind.title),
                             kpi_code=kind.kpi_code, config={"kind": kind.key},
                             position=(last if last is not None else -1) + 1)
    db.session.add(widget)
    db.session.flush()
    return widget


def _own_widget(identity: Identity, widget_id: uuid.UUID) -> DashboardWidget:
    mine = own_dashboard(identity)
    widget = db.session.get(DashboardWidget, widget_id) if mine else None
    if widget is None or widget.dashboard_id != mine.id:
        raise DashboardError(None, _l("このウィジェットは変更できません。"))
    return widget


def remove_widget(identity: Identity, widget_id: uuid.UUID) -> None:
    widget = _own_widget(identity, widget_id)
    widget.soft_delete()
    db.session.flush()
    _renumber(widget.dashboard_id)


def move_widget(identity: Identity, widget_id: uuid.UUID, direction: str) -> None:
    """Swap the widget with its neighbour before (``up``) or after (``down``) it."""
    widget = _own_widget(identity, widget_id)
    order = widgets_of(db.session.get(Dashboard, widget.dashboard_id), identity.role)
    index = next(i for i, w in enumerate(order) if w.id == widget.id)
    other = index - 1 if direction == "up" else index + 1
    if direction not in ("up", "down") or not 0 <= other < len(order):
        return
    order[index], order[other] = order[other], order[index]
    for position, item in enumerate(order):
        item.position = position
    db.session.flush()


def _renumber(dashboard_id: uuid.UUID) -> None:
    rows = db.session.scalars(select(DashboardWidget).where(
        DashboardWidget.dashboard_id == dashboard_id).order_by(DashboardWidget.position)).all()
    for position, widget in enumerate(rows):
        widget.position = position
    db.session.flush()


def reset(identity: Identity) -> None:
    """Drop the user's own dashboard: they see the role's default again."""
    mine = own_dashboard(identity)
    if mine is None:
        return
    for widget in db.session.scalars(select(DashboardWidget).where(
            DashboardWidget.dashboard_id == mine.id)):
        widget.soft_delete()
    mine.soft_delete()
    db.session.flush()
