"""The notification pages through the test client: full pages and htmx fragments, the bell,
marking as read, subscriptions, and the administrator's pages with 422 on bad input."""

from __future__ import annotations

import uuid

import pytest
from sqlalchemy import text

from app.core.events import PROJECT_ORDERED


def _notify(admin_engine, user_id, title="お知らせ", read=False) -> uuid.UUID:
    with admin_engine.begin() as conn:
        return conn.execute(text(
            "INSERT INTO notification_context.notifications (recipient_user_id, event_type, title, body,"
            " status, read_at) VALUES (:u, 'ProjectOrdered', :t, '本文です', 'SENT',"
            " CASE WHEN :r THEN now() END) RETURNING id"), {"u": user_id, "t": title, "r": read}).scalar()


def _scalar(admin_engine, sql, **params):
    with admin_engine.connect() as conn:
        return conn.execute(text(sql), params).scalar()


@pytest.fixture
def pm(login_as):
    return login_as("project_manager")


def test_the_bell_counts_unread_notifications_and_polls(pm, admin_engine):
    _notify(admin_engine, pm.user_id)
    _notify(admin_engine, pm.user_id)
    _notify(admin_engine, pm.user_id, read=True)
    page = pm.get("/notifications/")
    html = page.get_data(as_text=True)
    assert 'id="notification-bell"' in html and 'hx-trigger="every 60s"' in html
    bell = pm.get("/notifications/bell", htmx=True).get_data(as_text=True)
    assert "<html" not in bell and ">2</span>" in bell and "未読 2件" in bell


def test_the_list_is_a_page_or_a_fragment(pm, admin_engine):
    _notify(admin_engine, pm.user_id, "未読のお知らせ")
    _notify(admin_engine, pm.user_id, "読んだお知らせ", read=True)
    full = pm.get("/notifications/")
    assert full.status_code == 200 and "<html" in full.get_data(as_text=True)
    assert "HX-Request" in full.headers["Vary"]
    fragment = pm.get("/notifications/?unread=1", htmx=True).get_data(as_text=True)
    assert "<html" not in fragment
    assert "未読のお知らせ" in fragment and "読んだお知らせ" not in fragment


def test_marking_read_updates_the_row_and_the_bell(pm, admin_engine):
    first = _notify(admin_engine, pm.user_id)
    _notify(admin_engine, pm.user_id)
    response = pm.post(f"/notifications/{first}/read", htmx=True)
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "既読にする" not in html and 'hx-swap-oob="true"' in html and ">1</span>" in html
    assert _scalar(admin_engine, "SELECT read_at IS NOT NULL FROM notification_context.notifications"
                                 " WHERE id = :i", i=first)
    plain = pm.post(f"/notifications/{first}/read")
    assert plain.status_code == 303


def test_nobody_reads_or_marks_someone_elses_notification(pm, login_as, admin_engine):
    other = login_as("project_manager")
    theirs = _notify(admin_engine, other.user_id, "他人宛て")
    assert pm.get(f"/notifications/{theirs}").status_code == 404
    assert pm.post(f"/notifications/{theirs}/read", htmx=True).status_code == 404
    assert _scalar(admin_engine, "SELECT read_at FROM notification_context.notifications"
                                 " WHERE id = :i", i=theirs) is None
    assert "他人宛て" not in pm.get("/notifications/").get_data(as_text=True)


def test_opening_a_notification_marks_it_read(pm, admin_engine):
    item = _notify(admin_engine, pm.user_id, "開くと既読")
    assert "開くと既読" in pm.get(f"/notifications/{item}").get_data(as_text=True)
    assert _scalar(admin_engine, "SELECT status FROM notification_context.notifications"
                                 " WHERE id = :i", i=item) == "READ"


def test_read_all(pm, admin_engine):
    _notify(admin_engine, pm.user_id)
    _notify(admin_engine, pm.user_id)
    response = pm.post("/notifications/read-all", htmx=True)
    assert response.status_code == 204 and response.headers["HX-Redirect"] == "/notifications/"
    assert _scalar(admin_engine, "SELECT count(*) FROM notification_context.notifications"
                                 " WHERE read_at IS NULL") == 0


def test_subscriptions_are_saved_per_event_and_channel(pm, admin_engine):
    form = pm.get("/notifications/settings").get_data(as_text=True)
    assert 'name="ProjectOrdered:EMAIL"' in form and "checked" in form
    boxes = {f"{e}:{c}": "on" for e in ("ProjectOrdered", "InvoiceIssued") for c in ("IN_APP", "EMAIL")}
    del boxes["ProjectOrdered:EMAIL"]
    response = pm.post("/notifications/settings", data=boxes, htmx=True)
    assert response.status_code == 200 and "通知設定を保存しました" in response.get_data(as_text=True)
    rows = dict(((e, c), s) for e, c, s in _rows(admin_engine, pm.user_id))
    assert rows[("ProjectOrdered", "EMAIL")] is False and rows[("ProjectOrdered", "IN_APP")] is True
    assert rows[("ContractSigned", "EMAIL")] is False      # not posted = unchecked


def _rows(admin_engine, user_id):
    with admin_engine.connect() as conn:
        return conn.execute(text("SELECT event_type, channel_code, is_subscribed FROM"
                                 " notification_context.notification_subscriptions WHERE user_id = :u"),
                            {"u": user_id}).all()


# --- administration ---------------------------------------------------------------------------

ADMIN_PAGES = ["/notifications/admin/", "/notifications/admin/deliveries",
               "/notifications/admin/deliveries?status=FAILED", "/notifications/admin/events"]


@pytest.mark.parametrize("url", ADMIN_PAGES)
def test_admin_pages_are_for_administrators(url, login_as, pm):
    assert pm.get(url).status_code == 403
    assert login_as("admin").get(url).status_code == 200


def _id(admin_engine, sql):
    return _scalar(admin_engine, sql)


def test_a_template_that_does_not_compile_is_refused_with_422(login_as, admin_engine):
    admin = login_as("admin")
    template_id = _id(admin_engine, "SELECT id FROM notification_context.notification_templates"
                                    " WHERE code = 'project_ordered' AND locale = 'ja' AND channel_type = 'EMAIL'")
    url = f"/notifications/admin/templates/{template_id}"
    page = admin.get(url).get_data(as_text=True)
    assert "{{ project_title }}" in page
    response = admin.post(url, data={"subject_template": "{{ project_title", "body_template": "本文",
                                     "version": 1}, htmx=True)
    html = response.get_data(as_text=True)
    assert response.status_code == 422 and "テンプレートの書式に誤りがあります" in html
    assert 'id="subject_template-errors"' in html
    assert "{{ project_title" not in _scalar(admin_engine, "SELECT subject_template FROM"
                                             " notification_context.notification_templates WHERE id = :i",
                                             i=template_id).replace("{{ project_title }}", "")
    preview = admin.post(url, data={"subject_template": "受注: {{ project_title }}", "preview": "1",
                                    "body_template": "{{ total_amount|yen }}", "version": 1}, htmx=True)
    assert "受注: 勘定系更改" in preview.get_data(as_text=True) and "¥880,000" in preview.get_data(as_text=True)
    saved = admin.post(url, data={"subject_template": "受注: {{ project_title }}",
                                  "body_template": "{{ customer_name }}", "version": 1}, htmx=True)
    assert saved.status_code == 204
    assert _scalar(admin_engine, "SELECT subject_template FROM notification_context.notification_templates"
                                 " WHERE id = :i", i=template_id) == "受注: {{ project_title }}"


def test_a_stale_template_edit_is_a_conflict(login_as, admin_engine):
    admin = login_as("admin")
    template_id = _id(admin_engine, "SELECT id FROM notification_context.notification_templates LIMIT 1")
    response = admin.post(f"/notifications/admin/templates/{template_id}", htmx=True,
                          data={"subject_template": "x", "body_template": "y", "version": 99})
    assert response.status_code == 409


def test_the_webhook_channel_needs_an_https_url(login_as, admin_engine):
    admin = login_as("admin")
    channel_id = _id(admin_engine, "SELECT id FROM notification_context.notification_channels"
                                   " WHERE code = 'WEBHOOK'")
    url = f"/notifications/admin/channels/{channel_id}"
    bad = admin.post(url, data={"name": "Slack", "url": "http://hooks.example", "is_active": "y",
                                "version": 1}, htmx=True)
    assert bad.status_code == 422 and "https://" in bad.get_data(as_text=True)
    missing = admin.post(url, data={"name": "Slack", "url": "", "is_active": "y", "version": 1},
                         htmx=True)
    assert missing.status_code == 422 and "URL を入力してください" in missing.get_data(as_text=True)
    ok = admin.post(url, data={"name": "Slack #sales", "url": "https://hooks.slack.test/T1",
                               "is_active": "y", "version": 1}, htmx=True)
    assert ok.status_code == 204
    assert _scalar(admin_engine, "SELECT config->>'url' FROM notification_context.notification_channels"
                                 " WHERE id = :i", i=channel_id) == "https://hooks.slack.test/T1"


def test_a_rule_needs_a_channel(login_as, admin_engine):
    admin = login_as("admin")
    rule_id = _id(admin_engine, "SELECT id FROM notification_context.notification_rules"
                                " WHERE event_type = 'InvoiceIssued'")
    response = admin.post(f"/notifications/admin/rules/{rule_id}", data={"is_active": "y", "version": 1},
                          htmx=True)
    assert response.status_code == 422 and "1つ以上" in response.get_data(as_text=True)
    ok = admin.post(f"/notifications/admin/rules/{rule_id}", htmx=True,
                    data={"is_active": "y", "channel_codes": ["IN_APP"], "version": 1})
    assert ok.status_code == 204
    assert _scalar(admin_engine, "SELECT channel_codes FROM notification_context.notification_rules"
                                 " WHERE id = :i", i=rule_id) == ["IN_APP"]


def test_a_failed_delivery_can_be_sent_again(login_as, world, emit, admin_engine, app, monkeypatch,
                                             smtp_sink, run_jobs):
    sink_port = app.config["SMTP_PORT"]
    monkeypatch.setitem(app.config, "SMTP_PORT", 9)          # the relay is down
    emit(PROJECT_ORDERED, "project", world.p1)
    with admin_engine.begin() as conn:
        conn.execute(text("UPDATE notification_context.notification_deliveries SET status = 'FAILED'"
                          " WHERE status = 'PENDING'"))
        conn.execute(text("DELETE FROM procrastinate.procrastinate_jobs"))
        delivery = conn.execute(text("SELECT id FROM notification_context.notification_deliveries"
                                     " WHERE status = 'FAILED' LIMIT 1")).scalar()
    admin = login_as("admin")
    log = admin.get("/notifications/admin/deliveries?status=FAILED").get_data(as_text=True)
    assert "Connection refused" in log and "再送信" in log
    monkeypatch.setitem(app.config, "SMTP_PORT", sink_port)  # ... and back
    assert admin.post(f"/notifications/admin/deliveries/{delivery}/resend").status_code == 303
    run_jobs()
    assert _scalar(admin_engine, "SELECT status FROM notification_context.notification_deliveries"
                                 " WHERE id = :i", i=delivery) == "SENT"


def test_failed_events_are_listed_and_retried(login_as, admin_engine):
    with admin_engine.begin() as conn:
        event_id = conn.execute(text(
            "INSERT INTO platform.domain_events (event_type, source_context, aggregate_type, aggregate_id,"
            " status, attempts, last_error) VALUES ('ProjectOrdered', 'project', 'project',"
            " gen_random_uuid(), 'FAILED', 9, 'boom') RETURNING id")).scalar()
    admin = login_as("admin")
    assert "boom" in admin.get("/notifications/admin/events").get_data(as_text=True)
    assert admin.post(f"/notifications/admin/events/{event_id}/retry").status_code == 303
    assert _scalar(admin_engine, "SELECT status FROM platform.domain_events WHERE id = :i",
                   i=event_id) == "PENDING"
    assert _scalar(admin_engine, "SELECT count(*) FROM procrastinate.procrastinate_jobs"
                                 " WHERE args->>'event_id' = :i", i=str(event_id)) == 1


def test_the_local_mailbox_shows_what_was_sent(login_as, world, emit, smtp_sink, monkeypatch):
    emit(PROJECT_ORDERED, "project", world.p1)
    admin = login_as("admin")
    listing = admin.get("/notifications/admin/mailbox").get_data(as_text=True)
    assert "[SES管理] 案件受注: 勘定系更改" in listing
    name = smtp_sink.messages()[0].name
    mail = admin.get(f"/notifications/admin/mailbox/{name}").get_data(as_text=True)
    assert "受注になりました" in mail
    assert admin.get("/notifications/admin/mailbox/..%2F..%2Fetc%2Fpasswd").status_code == 404
    monkeypatch.delenv("SES_MAIL_SINK_DIR")
    assert admin.get("/notifications/admin/mailbox").status_code == 404
