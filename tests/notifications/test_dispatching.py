"""Every event of the design's table reaches the right people through each channel: in-app
rows, e-mail through a real SMTP server (aiosmtpd) and a webhook to a local HTTP receiver."""

from __future__ import annotations

import pytest
from sqlalchemy import text

from app.core.events import (
    CONTRACT_SIGNED,
    INVOICE_ISSUED,
    MATCHING_COMPLETED,
    PROJECT_ORDERED,
    TIMESHEET_SUBMITTED,
    handles,
)
from app.notifications import links
from tests.notifications.conftest import deliveries, notified

CRASH = {"left": 0}


@handles(PROJECT_ORDERED)
def _crash_once(event):
    if CRASH["left"]:
        CRASH["left"] -= 1
        raise RuntimeError("handler crashed")


@pytest.fixture(autouse=True)
def _no_crash():
    CRASH["left"] = 0


def _set(admin_engine, sql, **params):
    with admin_engine.begin() as conn:
        conn.execute(text(sql), params)


def test_case_ordered_notifies_sales_manager_and_admins_in_app_and_by_mail(
        world, emit, smtp_sink, admin_engine):
    event_id = emit(PROJECT_ORDERED, "project", world.p1)
    title = "案件「勘定系更改」を受注しました"
    assert notified(admin_engine, event_id) == {"pm1@world.test": title, "admin@world.test": title}
    mails = {m.to: m for m in smtp_sink.messages()}
    assert set(mails) == {"pm1@world.test", "admin@world.test"}
    assert mails["pm1@world.test"].subject == "[SES管理] 案件受注: 勘定系更改"
    body = smtp_sink.message(mails["pm1@world.test"].name).body
    assert "pm1 様" in body and "株式会社一号商事 の案件「勘定系更改」(P1) が受注になりました。" in body
    assert sorted((d.code, d.status, d.attempts) for d in deliveries(admin_engine, event_id)) == [
        ("EMAIL", "SENT", 1), ("EMAIL", "SENT", 1), ("IN_APP", "SENT", 0), ("IN_APP", "SENT", 0)]


def test_the_actor_of_the_order_is_not_told_what_they_did(world, emit, app, admin_engine):
    from app.core.events import record_event
    from app.core.identity import Identity, acting_as
    from app.extensions import db

    with acting_as(Identity("project_manager", world.pm1)):
        event_id = record_event(PROJECT_ORDERED, source_context="tests", aggregate_type="project",
                                aggregate_id=world.p1)
        db.session.commit()
    emit("OtherThing", "project", world.p1)          # runs the queue
    assert set(notified(admin_engine, event_id)) == {"admin@world.test"}


def test_a_user_reading_english_gets_english(world, emit, smtp_sink, admin_engine):
    _set(admin_engine, "UPDATE platform.users SET locale = 'en' WHERE id = :u", u=world.pm1)
    event_id = emit(PROJECT_ORDERED, "project", world.p1)
    assert notified(admin_engine, event_id)["pm1@world.test"] == 'Case "勘定系更改" was ordered'
    subjects = {m.to: m.subject for m in smtp_sink.messages()}
    assert subjects["pm1@world.test"] == "[SES] Case ordered: 勘定系更改"


def test_contract_signed_notifies_both_parties(world, emit, admin_engine):
    sell = emit(CONTRACT_SIGNED, "contract", world.k1)
    buy = emit(CONTRACT_SIGNED, "contract", world.k2_buy)
    assert set(notified(admin_engine, sell)) == {"pm1@world.test", "c1@world.test"}
    assert set(notified(admin_engine, buy)) == {"pm2@world.test", "bp1@world.test"}
    assert notified(admin_engine, sell)["c1@world.test"] == "契約「K1」が締結されました"


def test_timesheet_submitted_goes_to_the_approver(world, emit, admin_engine):
    own = emit(TIMESHEET_SUBMITTED, "timesheet", world.t1)
    partner = emit(TIMESHEET_SUBMITTED, "timesheet", world.t2)
    assert notified(admin_engine, own) == {
        "pm1@world.test": "山﨑 一郎 さんの2026年10月の工数表が提出されました"}
    assert set(notified(admin_engine, partner)) == {"bp1@world.test"}   # the partner confirms first


def test_invoice_issued_mails_the_billing_contact_a_portal_link_without_the_pdf(
        world, emit, smtp_sink, admin_engine, make_user):
    billing_user = make_user("customer", email="keiri@ichigo.test", customer_id=world.c1)
    _set(admin_engine, "UPDATE project_context.customer_contacts SET email = 'keiri@ichigo.test'"
                       " WHERE id = :c", c=world.c1_contact)
    event_id = emit(INVOICE_ISSUED, "invoice", world.i1)
    assert set(notified(admin_engine, event_id)) == {"keiri@ichigo.test"}    # not c1@world.test
    (mail,) = smtp_sink.messages()
    body = smtp_sink.message(mail.name).body
    assert f"http://127.0.0.1:5000/billing/portal/invoices/{world.i1}" in body   # the portal
    assert "ご請求金額: ¥110,000 (税込)" in body and "INV-1" in mail.subject
    raw = (smtp_sink.folder() / mail.name).read_bytes()
    assert b"application/pdf" not in raw and b"Content-Disposition: attachment" not in raw
    assert billing_user


def test_without_a_link_builder_the_mail_links_to_the_notification(world, emit, smtp_sink, monkeypatch):
    monkeypatch.delitem(links._builders, "invoice")
    emit(INVOICE_ISSUED, "invoice", world.i2)
    (mail,) = smtp_sink.messages()
    assert "http://127.0.0.1:5000/notifications/" in smtp_sink.message(mail.name).body


def test_matching_completed_tells_the_case_owner_in_app_only(world, emit, admin_engine):
    event_id = emit(MATCHING_COMPLETED, "matching_request", world.mr1, engineer_id=str(world.e3))
    assert notified(admin_engine, event_id) == {"pm1@world.test": "マッチング成立: 勘定系更改 × 待機 三郎"}
    assert [d.code for d in deliveries(admin_engine, event_id)] == ["IN_APP"]


def test_subscriptions_are_honoured(world, emit, smtp_sink, admin_engine):
    _set(admin_engine, "INSERT INTO notification_context.notification_subscriptions"
                       " (user_id, event_type, channel_code, is_subscribed) VALUES"
                       " (:pm, 'ProjectOrdered', 'EMAIL', false), (:ad, 'ProjectOrdered', 'EMAIL', false),"
                       " (:ad, 'ProjectOrdered', 'IN_APP', false)", pm=world.pm1, ad=world.admin)
    event_id = emit(PROJECT_ORDERED, "project", world.p1)
    assert set(notified(admin_engine, event_id)) == {"pm1@world.test"}   # admin opted out of all
    assert smtp_sink.messages() == []
    assert [(d.code, d.status) for d in deliveries(admin_engine, event_id)] == [
        ("EMAIL", "SKIPPED"), ("IN_APP", "SENT")]


def test_opting_out_of_in_app_only_keeps_the_mail_but_never_rings_the_bell(
        world, emit, smtp_sink, admin_engine):
    _set(admin_engine, "INSERT INTO notification_context.notification_subscriptions"
                       " (user_id, event_type, channel_code, is_subscribed)"
                       " VALUES (:u, 'TimesheetSubmitted', 'IN_APP', false)", u=world.pm1)
    emit(TIMESHEET_SUBMITTED, "timesheet", world.t1)
    with admin_engine.connect() as conn:
        read_at = conn.execute(text("SELECT read_at FROM notification_context.notifications"
                                    " WHERE recipient_user_id = :u AND event_id IS NOT NULL"),
                               {"u": world.pm1}).scalar()
    assert read_at is not None
    assert [m.to for m in smtp_sink.messages()] == ["pm1@world.test"]


def test_the_webhook_posts_once_per_rule_and_retries_a_failure(world, emit, webhook, admin_engine, run_jobs):
    webhook.fail_next = 1
    event_id = emit(PROJECT_ORDERED, "project", world.p1)
    hooks = [d for d in deliveries(admin_engine, event_id) if d.code == "WEBHOOK"]
    assert [(d.status, d.attempts) for d in hooks] == [("PENDING", 1)]
    assert "HTTP 503" in hooks[0].last_error and webhook.posts == []
    run_jobs(retries=True)
    assert webhook.posts == [{"text": "案件「勘定系更改」を受注しました\n"
                                      "株式会社一号商事 の案件「勘定系更改」(P1) が受注になりました。"}]
    hooks = [d for d in deliveries(admin_engine, event_id) if d.code == "WEBHOOK"]
    assert [(d.status, d.attempts, d.destination) for d in hooks] == [
        ("SENT", 2, webhook.url.split("/")[2])]


def test_an_unreachable_mail_server_is_retried_then_marked_failed(
        world, emit, admin_engine, run_jobs, app, monkeypatch, smtp_sink):
    from app.notifications.delivery import SEND_RETRY

    monkeypatch.setitem(app.config, "SMTP_PORT", 9)           # nothing listens there
    event_id = emit(TIMESHEET_SUBMITTED, "timesheet", world.t1)
    for _ in range(SEND_RETRY.max_attempts):
        run_jobs(retries=True)
    (mail,) = [d for d in deliveries(admin_engine, event_id) if d.code == "EMAIL"]
    assert (mail.status, mail.attempts) == ("FAILED", SEND_RETRY.max_attempts + 1)
    assert "Connection refused" in mail.last_error
    assert smtp_sink.messages() == []


def test_a_crashing_handler_is_retried_without_duplicate_notifications(
        world, emit, smtp_sink, admin_engine, run_jobs):
    CRASH["left"] = 1
    event_id = emit(PROJECT_ORDERED, "project", world.p1)
    assert notified(admin_engine, event_id) == {} and smtp_sink.messages() == []
    run_jobs(retries=True)
    assert len(notified(admin_engine, event_id)) == 2
    assert len(smtp_sink.messages()) == 2
    # replaying the processed event (an administrator's re-run) adds nothing
    _set(admin_engine, "UPDATE platform.domain_events SET status = 'FAILED' WHERE id = :e", e=event_id)
    from app.core.events import retry_event
    from app.core.identity import SYSTEM, acting_as
    from app.extensions import db

    with acting_as(SYSTEM):
        assert retry_event(event_id)
        db.session.commit()
    run_jobs()
    assert len(notified(admin_engine, event_id)) == 2 and len(smtp_sink.messages()) == 2
    assert len(deliveries(admin_engine, event_id)) == 4


def test_a_rule_condition_filters_events(world, emit, admin_engine):
    _set(admin_engine, "UPDATE notification_context.notification_rules SET condition = '{\"side\": \"SELL\"}'"
                       " WHERE event_type = 'ContractSigned'")
    assert notified(admin_engine, emit(CONTRACT_SIGNED, "contract", world.k2_buy)) == {}
    assert notified(admin_engine, emit(CONTRACT_SIGNED, "contract", world.k1))


def test_links_point_each_recipient_to_the_page_they_may_open(world, emit, admin_engine):
    emit(CONTRACT_SIGNED, "contract", world.k1)
    emit(TIMESHEET_SUBMITTED, "timesheet", world.t1)
    with admin_engine.connect() as conn:
        links_ = dict(conn.execute(text(
            "SELECT u.email || ' ' || n.event_type, n.link_url FROM notification_context.notifications n"
            " JOIN platform.users u ON u.id = n.recipient_user_id WHERE n.event_id IS NOT NULL")).all())
    assert links_["pm1@world.test ContractSigned"] == f"/contracts/{world.k1}"
    assert links_["c1@world.test ContractSigned"] == f"/contracts/portal/{world.k1}"
    assert links_["pm1@world.test TimesheetSubmitted"] == f"/timesheets/{world.t1}"
