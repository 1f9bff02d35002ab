"""Demo customers, contacts and cases (案件) in every status, managed by the demo sales staff."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import select

from ..core.registration import with_check_digit
from ..extensions import db
from .customers import save_contact, save_customer
from .labels import PHASE_TYPE
from .models import Customer, Project
from .services import add_milestone, add_phase, add_requirement, create_project

TOKYO = ZoneInfo("Asia/Tokyo")
SALES = "sales@demo.ses.example"
PM = "pm@demo.ses.example"

# code, name, kana, corporate number body (12 digits, check digit computed), city address, terms
CUSTOMERS = [
    ("C001", "株式会社さくら銀行システム", "サクラギンコウシステム", "010001112233", "東京都中央区日本橋室町2-1-1", "30"),
    ("C002", "東都生命保険株式会社", "トウトセイメイホケン", "010001223344", "東京都千代田区丸の内1-6-5", "45"),
    ("C003", "株式会社みらい物流", "ミライブツリュウ", "020001334455", "神奈川県横浜市西区みなとみらい3-3-1", "30"),
    ("C004", "日本テレコムソリューションズ株式会社", "ニホンテレコムソリューションズ", "010001445566", "東京都港区芝浦1-1-1", "60"),
    ("C005", "株式会社あおば製作所", "アオバセイサクショ", "030001556677", "埼玉県さいたま市大宮区桜木町1-7-5", "30"),
    ("C006", "株式会社ひかりリテール", "ヒカリリテール", "010001667788", "東京都渋谷区道玄坂1-12-1", "45"),
    ("C007", "北斗システムインテグレーション株式会社", "ホクトシステムインテグレーション", "010001778899", "東京都品川区大崎2-1-1", "60"),
    ("C008", "株式会社グローバル証券テクノロジー", "グローバルショウケンテクノロジー", "010001889900", "東京都中央区日本橋兜町2-1", "30"),
    ("C009", "医療法人社団 健生会", "ケンセイカイ", "011005990011", "東京都世田谷区三軒茶屋2-11-22", "30"),
    ("C010", "株式会社ネクストメディア", "ネクストメディア", "011001001122", "東京都新宿区西新宿6-8-1", "30"),
    ("C011", "関東電力システムズ株式会社", "カントウデンリョクシステムズ", "010001102233", "東京都江東区豊洲3-2-3", "45"),
    ("C012", "株式会社フューチャーゲームス", "フューチャーゲームス", "011001203344", "東京都目黒区上目黒1-26-1", "30"),
]
TERMS = {"30": (1, 0), "45": (2, 15), "60": (2, 0)}   # (months after closing, day; 0 = month end)
CONTACTS = [("佐藤 大輔", "サトウ ダイスケ", "情報システム部", "部長"), ("鈴木 美穂", "スズキ ミホ", "経理部", "課長"),
            ("高橋 誠", "タカハシ マコト", "システム開発部", "課長代理"), ("田中 由美", "タナカ ユミ", "購買部", "主任")]

# code, customer, title, status, offset months of start, months, rate (万円) min-max, style,
# station, restriction, japanese level, [(skill, years, mandatory)], [phases], [roles], headcount
PROJECTS = [
    ("PJ-0001", "C001", "勘定系システム更改（Java/Spring Boot）", "ACTIVE", -4, 12, (70, 85), "ONSITE", "三越前", "PARTNER_ONE_TIER", "BUSINESS",
     [("Java", 5, True), ("Spring Boot", 3, True), ("Oracle Database", 2, False)], ["DETAILED_DESIGN", "BUILD", "TEST"], ["SE"], 3),
    ("PJ-0002", "C001", "インターネットバンキング基盤刷新", "PROPOSING", 2, 9, (75, 90), "HYBRID", "三越前", "NO_SOLE_PROPRIETORS", "BUSINESS",
     [("Java", 5, True), ("AWS", 2, False), ("Kubernetes", 1, False)], ["BASIC_DESIGN", "DETAILED_DESIGN"], ["SE", "PL"], 2),
    ("PJ-0003", "C002", "保険契約管理システム保守", "ACTIVE", -10, 24, (60, 70), "ONSITE", "東京", "NONE", "BUSINESS",
     [("COBOL", 3, True), ("JCL", 2, False)], ["OPERATIONS"], ["PG"], 2),
    ("PJ-0004", "C003", "倉庫管理システム（WMS）新規開発", "ORDERED", 2, 12, (65, 80), "HYBRID", "みなとみらい", "PARTNER_ONE_TIER", "N1",
     [("C#", 3, True), (".NET", 2, False), ("SQL Server", 1, False)], ["BASIC_DESIGN", "BUILD"], ["SE"], 3),
    ("PJ-0005", "C004", "社内ネットワーク運用保守", "ACTIVE", -6, 12, (50, 60), "ONSITE", "芝浦ふ頭", "NONE", "BUSINESS",
     [("Cisco", 2, True), ("Linux", 2, False)], ["OPERATIONS"], ["INFRA"], 1),
    ("PJ-0006", "C004", "AWS移行支援（オンプレからの移行）", "PROPOSING", 2, 6, (80, 95), "REMOTE", None, "NONE", "BUSINESS",
     [("AWS", 3, True), ("Terraform", 2, False), ("Linux", 2, False)], ["BASIC_DESIGN", "BUILD"], ["INFRA", "ARCHITECT"], 2),
    ("PJ-0007", "C005", "生産管理システム改修", "INQUIRY", 2, 6, (55, 65), "ONSITE", "大宮", "EMPLOYEES_ONLY", "NATIVE",
     [("Java", 3, True), ("PostgreSQL", 2, False)], ["DETAILED_DESIGN", "BUILD", "TEST"], ["PG", "SE"], 1),
    ("PJ-0008", "C006", "ECサイトリニューアル（React/TypeScript）", "PROPOSING", 2, 8, (65, 80), "REMOTE", None, "NONE", "N2",
     [("TypeScript", 2, True), ("React", 2, False), ("Next.js", 1, False)], ["BUILD", "TEST"], ["PG", "SE"], 2),
    ("PJ-0009", "C007", "自治体向け基幹システム開発（二次請け）", "ACTIVE", -3, 15, (60, 75), "ONSITE", "大崎", "NO_FURTHER_TIERS", "NATIVE",
     [("Java", 3, True), ("Oracle Database", 2, False)], ["DETAILED_DESIGN", "BUILD"], ["SE", "PG"], 4),
    ("PJ-0010", "C008", "証券取引システム性能改善", "ORDERED", 0, 6, (85, 100), "ONSITE", "茅場町", "PARTNER_ONE_TIER", "BUSINESS",
     [("Java", 7, True), ("Linux", 3, True), ("パフォーマンスチューニング", 2, False)], ["TEST"], ["SE"], 1),
    ("PJ-0011", "C009", "電子カルテ連携システム開発", "INQUIRY", 3, 9, (60, 70), "HYBRID", "三軒茶屋", "NONE", "NATIVE",
     [("C#", 2, True), ("HL7", 1, False)], ["REQUIREMENTS", "BASIC_DESIGN"], ["SE"], 1),
    ("PJ-0012", "C010", "動画配信プラットフォーム開発（Go）", "PROPOSING", 2, 12, (70, 85), "REMOTE", None, "NONE", "N2",
     [("Go", 3, True), ("GCP", 2, False), ("Docker", 2, False)], ["BUILD"], ["PG", "SE"], 2),
    ("PJ-0013", "C011", "電力需給管理システムPMO支援", "ACTIVE", -8, 18, (90, 110), "ONSITE", "豊洲", "EMPLOYEES_ONLY", "NATIVE",
     [("プロジェクト管理", 8, True)], ["REQUIREMENTS", "BASIC_DESIGN"], ["PMO", "PM"], 1),
    ("PJ-0014", "C012", "スマホゲームサーバー開発", "COMPLETED", -14, 10, (65, 80), "HYBRID", "中目黒", "NONE", "BUSINESS",
     [("Go", 2, True), ("MySQL", 2, False)], ["BUILD", "TEST"], ["PG"], 2),
    ("PJ-0015", "C012", "スマホアプリ開発（Flutter）", "INQUIRY", 2, 6, (60, 75), "REMOTE", None, "NONE", "N2",
     [("Flutter", 2, True), ("Dart", 2, True), ("Firebase", 1, False)], ["BUILD"], ["PG"], 1),
    ("PJ-0016", "C003", "データ分析基盤構築（Python）", "ORDERED", 2, 9, (70, 85), "REMOTE", None, "PARTNER_ONE_TIER", "BUSINESS",
     [("Python", 3, True), ("SQL", 2, False), ("Snowflake", 1, False)], ["BASIC_DESIGN", "BUILD"], ["SE"], 1),
    ("PJ-0017", "C002", "保険料計算エンジン刷新", "LOST", -1, 12, (70, 85), "ONSITE", "東京", "NONE", "BUSINESS",
     [("Java", 5, True)], ["BASIC_DESIGN"], ["SE"], 2),
    ("PJ-0018", "C006", "店舗POSシステム保守", "COMPLETED", -16, 12, (50, 60), "ONSITE", "渋谷", "NONE", "BUSINESS",
     [("Java", 2, True), ("PostgreSQL", 1, False)], ["OPERATIONS"], ["PG"], 1),
    ("PJ-0019", "C005", "IoT機器監視ダッシュボード開発", "LOST", 0, 6, (60, 70), "HYBRID", "大宮", "NONE", "N2",
     [("Vue.js", 2, True), ("Python", 2, False)], ["BUILD"], ["PG"], 1),
    ("PJ-0020", "C008", "テスト自動化推進支援", "CANCELLED", 1, 6, (60, 70), "REMOTE", None, "NONE", "BUSINESS",
     [("Selenium", 2, True), ("Python", 2, False)], ["TEST"], ["QA"], 1),
    ("PJ-0021", "C011", "Salesforce導入支援", "INQUIRY", 2, 8, (70, 85), "HYBRID", "豊洲", "NO_SOLE_PROPRIETORS", "BUSINESS",
     [("Salesforce", 2, True), ("Apex", 1, False)], ["REQUIREMENTS", "BASIC_DESIGN"], ["SE"], 1),
    ("PJ-0022", "C007", "生成AI活用PoC", "PROPOSING", 2, 4, (80, 95), "REMOTE", None, "NONE", "BUSINESS",
     [("Python", 3, True), ("機械学習", 2, False), ("Azure", 1, False)], ["REQUIREMENTS", "BUILD"], ["SE", "ARCHITECT"], 1),
]
END_USERS = {"PJ-0009": "関東某市役所", "PJ-0022": "大手製造業A社"}
CLOSED_REASONS = {"LOST": "単価条件が合わず他社に決定", "CANCELLED": "顧客側の予算凍結により中止"}


def _month_start(today: date, offset: int) -> date:
    year, month = divmod(today.month - 1 + offset, 12)
    return date(today.year + year, month + 1, 1)


def load(demo) -> None:
    if db.session.scalar(select(Customer.id).where(Customer.code == "C001")):
        return
    for row in CUSTOMERS:
        _load_customer(demo, *row)
    for row in PROJECTS:
        _load_project(demo, *row)


def _load_customer(demo, code, name, kana, body, address, terms) -> None:
    number = with_check_digit(body)
    offset, day = TERMS[terms]
    customer = save_customer(
        None, code=code, name=name, name_kana=kana, corporate_number=number,
        registration_number=f"T{number}", honorific="御中", postal_code=f"1{demo.rng.randint(0, 99):02d}-{demo.rng.randint(1000, 9999)}",
        address=address, phone=f"03-{demo.rng.randint(3000, 6999)}-{demo.rng.randint(1000, 9999)}",
        billing_department="経理部", billing_contact_name=CONTACTS[1][0], billing_email=f"keiri@{code.lower()}.example.jp",
        closing_day=0, payment_month_offset=offset, payment_day=day, payment_holiday_rule="PREVIOUS",
        invoice_grouping="PER_CUSTOMER", attach_work_report=code in ("C001", "C002", "C007"))
    demo.remember("customer", code, customer.id)
    for index, (person, reading, department, title) in enumerate(CONTACTS[: 2 + demo.rng.randint(0, 2)]):
        save_contact(customer, None, name=person, name_kana=reading, department=department, title=title,
                     email=f"contact{index + 1}@{code.lower()}.example.jp", phone=customer.phone,
                     is_billing_contact=index == 1, is_work_report_approver=index in (0, 2))


def _load_project(demo, code, customer, title, status, start_offset, months, rates, style, station,
                  restriction, japanese, skills, phases, roles, headcount) -> None:
    start = _month_start(demo.today, start_offset)
    end = _month_start(start, months) - timedelta(days=1)
    pm_is_sales = int(code[-2:]) % 3 == 0
    project = create_project(
        code=code, customer_id=demo.ids["customer"][customer], title=title, end_user_name=END_USERS.get(code),
        description=f"{title}。{headcount}名募集。", priority=1 + int(code[-2:]) % 4, start_date=start,
        end_date=end, location=f"{station}駅周辺" if station else "フルリモート", nearest_station=station,
        work_style=style, headcount=headcount, rate_min=rates[0] * 10000, rate_max=rates[1] * 10000,
        settlement_lower_hours=140, settlement_upper_hours=180, chain_position=2 if customer == "C007" else 1,
        chain_restriction=restriction, required_japanese_level=japanese,
        sales_manager_id=demo.user(SALES), project_manager_id=demo.user(SALES if pm_is_sales else PM))
    for name, years, mandatory in skills:
        add_requirement(project, requirement_type="SKILL", name=name, min_years=years, is_mandatory=mandatory)
    for phase in phases:
        add_requirement(project, requirement_type="PHASE", name=phase)
    for role in roles:
        add_requirement(project, requirement_type="ROLE", name=role)
    _load_plan(project, phases, start, end)
    _set_status(project, status, start)
    demo.remember("project", code, project.id)


def _load_plan(project: Project, phases: list[str], start: date, end: date) -> None:
    span = max(1, (end - start).days // max(1, len(phases)))
    for index, phase_type in enumerate(phases):
        phase_start = start + timedelta(days=index * span)
        phase_end = min(end, phase_start + timedelta(days=span - 1))
        phase = add_phase(project, name=f"{index + 1}. {PHASE_TYPE[phase_type]}", phase_type=phase_type,
                          start_date=phase_start, end_date=phase_end)
        add_milestone(project, phase_id=phase.id, name="フェーズ完了レビュー", due_date=phase_end)


def _set_status(project: Project, status: str, start: date) -> None:
    project.status = status
    if status in ("ORDERED", "ACTIVE", "COMPLETED"):
        project.ordered_at = datetime.combine(start - timedelta(days=30), time(10), tzinfo=TOKYO)
    if status in CLOSED_REASONS:
        project.closed_reason = CLOSED_REASONS[status]
    db.session.flush()
