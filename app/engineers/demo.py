"""Demo engineer pool: partner companies and about forty engineers with skills, certifications,
work history and availability (bench now, rolling off this month and next, assigned)."""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import select

from ..core.registration import with_check_digit
from ..extensions import db
from .models import Engineer
from .services import (
    add_availability,
    add_certification,
    add_work_history,
    create_engineer,
    save_partner,
    set_skill,
)

# code, name, kana, corporate body, capital (万円), employees, registered, sole proprietor, address
PARTNERS = [
    ("P001", "株式会社ブルーテック", "ブルーテック", "010401234567", 3000, 85, True, False, "東京都台東区上野3-24-6"),
    ("P002", "合同会社ソフトウェアワークス", "ソフトウェアワークス", "011103345678", 500, 12, True, False, "東京都豊島区東池袋1-18-1"),
    ("P003", "株式会社テックリンク", "テックリンク", "020001456789", 1000, 40, True, False, "神奈川県川崎市中原区小杉町3-264"),
    ("P004", "有限会社システムクラフト", "システムクラフト", "030002567890", 300, 6, True, False, "埼玉県川口市栄町3-5-1"),
    ("P005", "ケイ・システムズ（木村 恵一）", "ケイシステムズ", None, None, 1, False, True, "千葉県船橋市本町1-3-1"),
]

SKILLS = {
    "java": [("Java", "LANGUAGE"), ("Spring Boot", "FRAMEWORK"), ("Oracle Database", "DATABASE"),
             ("PostgreSQL", "DATABASE"), ("Linux", "OS"), ("Git", "TOOL")],
    "web": [("TypeScript", "LANGUAGE"), ("React", "FRAMEWORK"), ("Next.js", "FRAMEWORK"), ("Vue.js", "FRAMEWORK"),
            ("Node.js", "FRAMEWORK"), ("AWS", "CLOUD")],
    "infra": [("AWS", "CLOUD"), ("Terraform", "TOOL"), ("Linux", "OS"), ("Kubernetes", "INFRASTRUCTURE"),
              ("Docker", "INFRASTRUCTURE"), ("Cisco", "INFRASTRUCTURE")],
    "dotnet": [("C#", "LANGUAGE"), (".NET", "FRAMEWORK"), ("SQL Server", "DATABASE"), ("Azure", "CLOUD")],
    "go": [("Go", "LANGUAGE"), ("GCP", "CLOUD"), ("Docker", "INFRASTRUCTURE"), ("MySQL", "DATABASE"),
           ("Kubernetes", "INFRASTRUCTURE")],
    "data": [("Python", "LANGUAGE"), ("SQL", "LANGUAGE"), ("Snowflake", "DATABASE"), ("機械学習", "METHOD"),
             ("AWS", "CLOUD")],
    "mobile": [("Flutter", "FRAMEWORK"), ("Dart", "LANGUAGE"), ("Firebase", "CLOUD"), ("Kotlin", "LANGUAGE"),
               ("Swift", "LANGUAGE")],
    "cobol": [("COBOL", "LANGUAGE"), ("JCL", "TOOL"), ("Java", "LANGUAGE"), ("金融業務", "BUSINESS")],
    "pm": [("プロジェクト管理", "METHOD"), ("要件定義", "METHOD"), ("Java", "LANGUAGE"), ("金融業務", "BUSINESS")],
    "qa": [("Selenium", "TOOL"), ("Python", "LANGUAGE"), ("テスト設計", "METHOD"), ("JMeter", "TOOL")],
    "sf": [("Salesforce", "OTHER"), ("Apex", "LANGUAGE"), ("JavaScript", "LANGUAGE")],
}
CERTIFICATES = {
    "java": ["Oracle Certified Java Programmer, Gold SE 11", "基本情報技術者"],
    "web": ["AWS Certified Developer - Associate"], "infra": ["AWS Certified Solutions Architect - Associate", "LPIC-2", "CCNA"],
    "dotnet": ["Microsoft Certified: Azure Developer Associate"], "go": ["Google Cloud Professional Cloud Developer"],
    "data": ["Python 3 エンジニア認定データ分析試験", "G検定"], "mobile": ["基本情報技術者"], "cobol": ["基本情報技術者"],
    "pm": ["PMP", "プロジェクトマネージャ試験"], "qa": ["JSTQB Foundation Level"], "sf": ["Salesforce 認定アドミニストレーター"],
}
HISTORY = {
    "java": [("銀行", "預金系オンラインシステム更改"), ("保険", "契約管理システム機能追加"), ("公共", "住民情報システム開発")],
    "web": [("小売", "ECサイトのフロントエンド刷新"), ("メディア", "会員向けWebサービス開発"), ("SaaS", "管理画面のSPA化")],
    "infra": [("通信", "社内ネットワーク更改"), ("製造", "オンプレミスからAWSへの移行"), ("金融", "Kubernetes基盤構築")],
    "dotnet": [("物流", "配送管理システム開発"), ("製造", "生産管理システム改修")],
    "go": [("ゲーム", "ゲームサーバーAPI開発"), ("メディア", "配信基盤マイクロサービス開発")],
    "data": [("小売", "需要予測モデル構築"), ("物流", "データウェアハウス構築")],
    "mobile": [("小売", "会員アプリ開発"), ("ヘルスケア", "健康管理アプリ開発")],
    "cobol": [("保険", "保険料計算バッチ保守"), ("銀行", "勘定系バッチ改修")],
    "pm": [("銀行", "勘定系更改プロジェクト管理"), ("電力", "需給管理システムPMO")],
    "qa": [("証券", "取引システム結合テスト"), ("SaaS", "E2Eテスト自動化")],
    "sf": [("不動産", "Salesforce導入と営業管理のカスタマイズ")],
}
PHASES = {"pm": ["REQUIREMENTS", "BASIC_DESIGN"], "qa": ["TEST"], "infra": ["BASIC_DESIGN", "BUILD", "OPERATIONS"]}

# code, name, reading, type, partner, profile, years, rate (万円), availability, style, station, japanese, roles, gender
ENGINEERS = [
    ("E0001", "山﨑 翔太", "ヤマザキ ショウタ", "EMPLOYEE", None, "java", 8, 72, "assigned", "ANY", "三越前", "NATIVE", ["SE", "PL"], "男性"),
    ("E0002", "髙木 彩花", "タカギ アヤカ", "EMPLOYEE", None, "web", 5, 65, "bench", "REMOTE", "中野", "NATIVE", ["PG", "SE"], "女性"),
    ("E0003", "佐々木 拓海", "ササキ タクミ", "EMPLOYEE", None, "infra", 10, 80, "this", "HYBRID", "品川", "NATIVE", ["INFRA", "ARCHITECT"], "男性"),
    ("E0004", "中村 美咲", "ナカムラ ミサキ", "EMPLOYEE", None, "java", 4, 60, "bench", "ONSITE", "大宮", "NATIVE", ["PG"], "女性"),
    ("E0005", "小林 健太", "コバヤシ ケンタ", "EMPLOYEE", None, "pm", 15, 100, "assigned", "ONSITE", "豊洲", "NATIVE", ["PM", "PMO"], "男性"),
    ("E0006", "加藤 優奈", "カトウ ユウナ", "EMPLOYEE", None, "data", 6, 75, "next", "REMOTE", "武蔵小杉", "NATIVE", ["SE"], "女性"),
    ("E0007", "吉田 大輝", "ヨシダ ダイキ", "EMPLOYEE", None, "dotnet", 7, 70, "bench", "HYBRID", "横浜", "NATIVE", ["SE"], "男性"),
    ("E0008", "山田 陽菜", "ヤマダ ヒナ", "EMPLOYEE", None, "mobile", 3, 58, "this", "REMOTE", "吉祥寺", "NATIVE", ["PG"], "女性"),
    ("E0009", "松本 蓮", "マツモト レン", "EMPLOYEE", None, "go", 5, 72, "assigned", "REMOTE", "渋谷", "NATIVE", ["PG", "SE"], "男性"),
    ("E0010", "井上 さくら", "イノウエ サクラ", "EMPLOYEE", None, "qa", 4, 55, "bench", "ANY", "船橋", "NATIVE", ["QA"], "女性"),
    ("E0011", "木村 悠真", "キムラ ユウマ", "EMPLOYEE", None, "java", 12, 85, "next", "ONSITE", "東京", "NATIVE", ["PL", "SE"], "男性"),
    ("E0012", "林 結衣", "ハヤシ ユイ", "EMPLOYEE", None, "sf", 4, 68, "bench", "HYBRID", "豊洲", "NATIVE", ["SE"], "女性"),
    ("E0013", "清水 颯", "シミズ ハヤテ", "EMPLOYEE", None, "cobol", 9, 62, "assigned", "ONSITE", "東京", "NATIVE", ["PG", "SE"], "男性"),
    ("E0014", "チェン ウェイ", "チェン ウェイ", "EMPLOYEE", None, "java", 6, 66, "bench", "ANY", "池袋", "N1", ["SE"], "男性"),
    ("E0015", "グエン ヴァン アン", "グエン ヴァン アン", "EMPLOYEE", None, "web", 3, 52, "this", "REMOTE", "西葛西", "N2", ["PG"], "男性"),
    ("E0016", "森 花音", "モリ カノン", "EMPLOYEE", None, "infra", 2, 48, "bench", "ONSITE", "芝浦ふ頭", "NATIVE", ["INFRA"], "女性"),
    ("E0017", "池田 湊", "イケダ ミナト", "CONTRACT_EMPLOYEE", None, "java", 6, 64, "next", "ONSITE", "大崎", "NATIVE", ["PG"], "男性"),
    ("E0018", "橋本 美月", "ハシモト ミヅキ", "CONTRACT_EMPLOYEE", None, "qa", 5, 54, "assigned", "HYBRID", "茅場町", "NATIVE", ["QA"], "女性"),
    ("E0019", "石川 陸", "イシカワ リク", "CONTRACT_EMPLOYEE", None, "dotnet", 4, 60, "bench", "ONSITE", "みなとみらい", "NATIVE", ["PG"], "男性"),
    ("E0020", "前田 智也", "マエダ トモヤ", "FREELANCE", None, "java", 14, 90, "this", "REMOTE", "自由が丘", "NATIVE", ["SE", "ARCHITECT"], None),
    ("E0021", "藤田 真由", "フジタ マユ", "FREELANCE", None, "web", 9, 82, "bench", "REMOTE", "二子玉川", "NATIVE", ["SE"], None),
    ("E0022", "岡田 直樹", "オカダ ナオキ", "FREELANCE", None, "infra", 12, 92, "assigned", "REMOTE", "大宮", "NATIVE", ["INFRA", "ARCHITECT"], None),
    ("E0023", "後藤 亜美", "ゴトウ アミ", "FREELANCE", None, "data", 7, 85, "next", "REMOTE", "武蔵小杉", "NATIVE", ["SE"], None),
    ("E0024", "長谷川 翼", "ハセガワ ツバサ", "FREELANCE", None, "go", 8, 88, "bench", "REMOTE", "恵比寿", "NATIVE", ["SE", "PG"], None),
    ("E0025", "村上 玲奈", "ムラカミ レイナ", "FREELANCE", None, "pm", 18, 110, "this", "HYBRID", "東京", "NATIVE", ["PM", "PMO"], None),
    ("E0026", "近藤 駿", "コンドウ シュン", "PARTNER", "P001", "java", 7, 68, "bench", "ONSITE", "三越前", "NATIVE", ["SE"], None),
    ("E0027", "坂本 真央", "サカモト マオ", "PARTNER", "P001", "java", 3, 55, "this", "ONSITE", "東京", "NATIVE", ["PG"], None),
    ("E0028", "遠藤 隼人", "エンドウ ハヤト", "PARTNER", "P001", "dotnet", 6, 65, "assigned", "HYBRID", "みなとみらい", "NATIVE", ["SE"], None),
    ("E0029", "青木 千尋", "アオキ チヒロ", "PARTNER", "P001", "web", 4, 60, "bench", "REMOTE", "中野", "NATIVE", ["PG"], None),
    ("E0030", "藤井 大和", "フジイ ヤマト", "PARTNER", "P001", "infra", 5, 62, "next", "ONSITE", "芝浦ふ頭", "NATIVE", ["INFRA"], None),
    ("E0031", "西村 葵", "ニシムラ アオイ", "PARTNER", "P002", "web", 6, 70, "bench", "REMOTE", "池袋", "NATIVE", ["SE"], None),
    ("E0032", "福田 翔", "フクダ ショウ", "PARTNER", "P002", "go", 4, 66, "this", "REMOTE", "渋谷", "NATIVE", ["PG"], None),
    ("E0033", "太田 美羽", "オオタ ミウ", "PARTNER", "P002", "mobile", 5, 64, "assigned", "REMOTE", "吉祥寺", "NATIVE", ["PG"], None),
    ("E0034", "三浦 悠斗", "ミウラ ユウト", "PARTNER", "P003", "java", 10, 78, "bench", "ONSITE", "武蔵小杉", "NATIVE", ["SE", "PL"], None),
    ("E0035", "リ ミンジュン", "リ ミンジュン", "PARTNER", "P003", "data", 5, 70, "next", "HYBRID", "川崎", "BUSINESS", ["SE"], None),
    ("E0036", "藤原 楓", "フジワラ カエデ", "PARTNER", "P004", "cobol", 20, 70, "bench", "ONSITE", "東京", "NATIVE", ["SE"], None),
    ("E0037", "岡本 海斗", "オカモト カイト", "PARTNER", "P004", "qa", 3, 50, "this", "ONSITE", "川口", "NATIVE", ["QA"], None),
    ("E0038", "木村 恵一", "キムラ ケイイチ", "PARTNER", "P005", "sf", 11, 80, "bench", "REMOTE", "船橋", "NATIVE", ["SE"], None),
    ("E0039", "松田 彩", "マツダ アヤ", "EMPLOYEE", None, "web", 1, 42, "bench", "ONSITE", "上野", "NATIVE", ["PG"], "女性"),
    ("E0040", "野口 和也", "ノグチ カズヤ", "EMPLOYEE", None, "java", 20, 95, "unavailable", "ONSITE", "東京", "NATIVE", ["PM", "PL"], "男性"),
]
FOREIGN = {"E0014": ("中国", "技術・人文知識・国際業務"), "E0015": ("ベトナム", "技術・人文知識・国際業務"),
           "E0035": ("韓国", "高度専門職1号ロ")}


def load(demo) -> None:
    if db.session.scalar(select(Engineer.id).where(Engineer.code == "E0001")):
        return
    for row in PARTNERS:
        _load_partner(demo, *row)
    for row in ENGINEERS:
        _load_engineer(demo, *row)


def _load_partner(demo, code, name, kana, body, capital, employees, registered, sole, address) -> None:
    number = with_check_digit(body) if body else None
    partner = save_partner(
        None, code=code, name=name, name_kana=kana, corporate_number=number,
        registration_number=f"T{number}" if registered and number else None, is_sole_proprietor=sole,
        capital_yen=capital * 10000 if capital else None, employee_count=employees,
        subcontract_act_covered=bool(capital and capital <= 5000), freelance_act_covered=sole,
        address=address, phone=f"03-{demo.rng.randint(3000, 6999)}-{demo.rng.randint(1000, 9999)}",
        contact_name="営業部 担当者", contact_email=f"sales@{code.lower()}.example.jp",
        closing_day=0, payment_month_offset=1, payment_day=0, payment_holiday_rule="PREVIOUS")
    demo.remember("partner", code, partner.id)


def _availability(demo, kind: str) -> tuple[str, date | None]:
    today = demo.today
    month_end = (today.replace(day=28) + timedelta(days=4)).replace(day=1) - timedelta(days=1)
    if kind == "bench":
        return "AVAILABLE", None
    if kind == "this" and month_end > today:
        return "ROLLING_OFF", today + timedelta(days=demo.rng.randint(1, (month_end - today).days))
    if kind in ("this", "next"):
        return "ROLLING_OFF", month_end + timedelta(days=demo.rng.randint(1, 28))
    if kind == "assigned":
        return "ASSIGNED", month_end + timedelta(days=demo.rng.randint(70, 200))
    return "UNAVAILABLE", None


def _load_engineer(demo, code, name, reading, employment, partner, profile, years, rate, kind, style, station,
                   japanese, roles, gender) -> None:
    status, available_from = _availability(demo, kind)
    nationality, authorization = FOREIGN.get(code, ("日本", None))
    birth = date(demo.today.year - 23 - years - demo.rng.randint(0, 4), demo.rng.randint(1, 12), demo.rng.randint(1, 28))
    engineer = create_engineer(
        code=code, employment_type=employment, partner_company_id=demo.ids["partner"][partner] if partner else None,
        full_name=name, full_name_kana=reading, email=f"{code.lower()}@engineers.example.jp",
        phone=f"090-{demo.rng.randint(1000, 9999)}-{demo.rng.randint(1000, 9999)}",
        address="東京都内" if employment != "PARTNER" else None, birth_date=birth, gender=gender,
        nationality=nationality, nearest_station=station, work_style_preference=style, desired_rate=rate * 10000,
        availability_status=status, available_from=available_from, japanese_level=japanese,
        work_authorization=authorization,
        work_authorization_expires_on=date(demo.today.year + 2, 3, 31) if authorization else None,
        experience_years=years, roles=roles, summary=f"{SKILLS[profile][0][0]}を中心に{years}年の開発経験があります。")
    _load_skills(demo, engineer, profile, years)
    for certificate in CERTIFICATES[profile][: 1 + years // 8]:
        add_certification(engineer, name=certificate, acquired_on=date(demo.today.year - demo.rng.randint(1, 6), 6, 1))
    _load_history(demo, engineer, profile, years)
    if available_from:
        add_availability(engineer, available_from=available_from, notes="現案件の契約満了予定")
    demo.remember("engineer", code, engineer.id)


def _load_skills(demo, engineer: Engineer, profile: str, years: int) -> None:
    for index, (skill, category) in enumerate(SKILLS[profile][: 3 + demo.rng.randint(0, 3)]):
        skill_years = max(1, years - index * 2 - demo.rng.randint(0, 2))
        set_skill(engineer, skill_name=skill, skill_category=category, years_experience=skill_years,
                  skill_level=min(5, 1 + skill_years // 3), last_used_year=demo.today.year - (index > 3))


def _load_history(demo, engineer: Engineer, profile: str, years: int) -> None:
    end = demo.today
    for industry, summary in HISTORY[profile][: 1 + min(2, years // 4)]:
        start = end - timedelta(days=365 * demo.rng.randint(1, 3))
        add_work_history(engineer, started_on=start, ended_on=None if end == demo.today else end,
                         project_summary=summary, industry=industry, role=engineer.roles[0],
                         team_size=demo.rng.randint(3, 30), phases=PHASES.get(profile, ["DETAILED_DESIGN", "BUILD", "TEST"]),
                         technologies=[s for s, _ in SKILLS[profile][:3]],
                         description=f"{industry}業界向け。{summary}に従事。")
        end = start - timedelta(days=1)
