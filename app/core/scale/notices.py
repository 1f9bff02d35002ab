"""Two years of in-app notifications (2 M at full scale), spread over the users of each role the
way the workflows produce them: engineers hear about their timesheets, managers about
submissions and cases, customers and finance about invoices.  Older ones are read; each user has
a handful unread.  A twentieth also went out by e-mail (a delivery row)."""

from __future__ import annotations

import bisect
import itertools
import uuid
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from ..calendar import month_end
from .copying import Loader
from .world import World

TOKYO = ZoneInfo("Asia/Tokyo")
# role -> share of all notifications, [(event type, title, body)]
EVENTS = {
    "engineer": (0.64, [
        ("TimesheetReminder", "勤怠入力のお願い", "今月の勤怠が未入力の日があります。入力をお願いします。"),
        ("TimesheetApproved", "勤怠が承認されました", "提出した勤怠が承認されました。"),
        ("TimesheetReturned", "勤怠が差し戻されました", "提出した勤怠が差し戻されました。内容を確認してください。"),
        ("ContractConcluded", "契約が締結されました", "新しい契約が締結されました。"),
    ]),
    "project_manager": (0.14, [
        ("TimesheetSubmitted", "勤怠が提出されました", "担当案件の技術者から勤怠が提出されました。承認してください。"),
        ("ProjectOrdered", "案件を受注しました", "担当案件が受注になりました。"),
        ("MatchingCompleted", "マッチング結果が出ました", "候補者のマッチングが完了しました。"),
        ("ContractRenewalDue", "契約更新の確認", "担当契約の満了が近づいています。"),
    ]),
    "customer": (0.10, [
        ("InvoiceIssued", "請求書が発行されました", "今月の請求書を発行しました。ポータルでご確認ください。"),
        ("TimesheetConfirmationRequested", "作業実績のご確認のお願い", "作業報告書の確認をお願いします。"),
    ]),
    "partner": (0.07, [
        ("TimesheetSubmitted", "勤怠の確認依頼", "所属技術者の勤怠が提出されました。確認してください。"),
        ("PaymentNoticeIssued", "支払通知書を発行しました", "今月の支払通知書を発行しました。"),
    ]),
    "finance": (0.03, [
        ("InvoiceIssued", "請求書を発行しました", "請求処理が完了しました。"),
        ("PaymentReceived", "入金を消し込みました", "入金が登録されました。"),
        ("PaymentOverdue", "入金遅延", "支払期日を過ぎた請求書があります。"),
    ]),
    "admin": (0.02, [("JobFailed", "バックグラウンド処理の失敗", "再試行が必要な処理があります。")]),
}


def _recipients(world: World) -> dict[str, list]:
    return {"engineer": [e.user_id for e in world.engineers], "project_manager": world.managers,
            "customer": list(world.customer_users.values()), "partner": list(world.partner_users.values()),
            "finance": world.finance, "admin": [world.admin_id]}


class NoticeWriter:
    def __init__(self, world: World, email_channel):
        self.world = world
        self.rng = world.rng("notifications")
        self.email_channel = email_channel
        self.deliveries: list[tuple] = []
        recipients = _recipients(world)
        self.roles = [r for r in EVENTS if recipients[r]]
        self.recipients = recipients
        self.cumulative = list(itertools.accumulate(EVENTS[r][0] for r in self.roles))

    def rows(self):
        world, rng = self.world, self.rng
        per_month = world.plan.notifications // len(world.months)
        now = datetime.combine(world.today, time(9), TOKYO)
        for index, (year, month) in enumerate(world.months):
            start = datetime(year, month, 1, tzinfo=TOKYO)
            end = min(datetime.combine(month_end(year, month) + timedelta(days=1), time(0), TOKYO), now)
            span = max(1, int((end - start).total_seconds()))
            count = per_month + (world.plan.notifications % len(world.months) if index == 0 else 0)
            for _ in range(count):
                yield self._row(start + timedelta(seconds=rng.randrange(span)), now)

    def _row(self, created: datetime, now: datetime) -> tuple:
        rng = self.rng
        role = self.roles[bisect.bisect(self.cumulative, rng.random() * self.cumulative[-1])]
        recipient = rng.choice(self.recipients[role])
        event_type, title, body = rng.choice(EVENTS[role][1])
        notification_id = uuid.UUID(int=rng.getrandbits(128), version=4)
        age = now - created
        read = age > timedelta(days=7) and rng.random() < 0.97 or age > timedelta(days=2) and rng.random() < 0.5
        read_at = created + timedelta(minutes=rng.randint(5, 2880)) if read else None
        if read_at is not None and read_at > now:
            read_at = None
        if self.email_channel is not None and rng.random() < 0.05:
            self.deliveries.append((notification_id, created, self.email_channel, "SENT", 1,
                                    created + timedelta(seconds=30)))
        return (notification_id, created, recipient, f'["{recipient}"]', event_type, title, body,
                3, "READ" if read_at else "SENT", read_at, created)


def load_notifications(loader: Loader, world: World) -> None:
    email = loader.scalar("SELECT id FROM notification_context.notification_channels"
                          " WHERE code = 'EMAIL' AND deleted_at IS NULL")
    writer = NoticeWriter(world, email)
    loader.copy("notification_context.notifications",
                ("id", "created_at", "recipient_user_id", "recipient_users", "event_type", "title", "body",
                 "priority_level", "status", "read_at", "updated_at"), writer.rows())
    loader.copy("notification_context.notification_deliveries",
                ("notification_id", "notification_created_at", "channel_id", "status", "attempts", "sent_at"),
                writer.deliveries)
