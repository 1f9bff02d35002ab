"""Words the large dataset is made of: Japanese names, companies, skills, stations."""

from __future__ import annotations

import random
import uuid

# (kanji, kana) -- includes 髙 and 﨑, which web-font subsets miss
SURNAMES = [
    ("佐藤", "サトウ"), ("鈴木", "スズキ"), ("高橋", "タカハシ"), ("田中", "タナカ"), ("伊藤", "イトウ"),
    ("渡辺", "ワタナベ"), ("山本", "ヤマモト"), ("中村", "ナカムラ"), ("小林", "コバヤシ"), ("加藤", "カトウ"),
    ("吉田", "ヨシダ"), ("山田", "ヤマダ"), ("佐々木", "ササキ"), ("山口", "ヤマグチ"), ("松本", "マツモト"),
    ("井上", "イノウエ"), ("木村", "キムラ"), ("林", "ハヤシ"), ("斎藤", "サイトウ"), ("清水", "シミズ"),
    ("山﨑", "ヤマザキ"), ("森", "モリ"), ("池田", "イケダ"), ("橋本", "ハシモト"), ("阿部", "アベ"),
    ("石川", "イシカワ"), ("山下", "ヤマシタ"), ("中島", "ナカジマ"), ("石井", "イシイ"), ("小川", "オガワ"),
    ("前田", "マエダ"), ("岡田", "オカダ"), ("長谷川", "ハセガワ"), ("藤田", "フジタ"), ("後藤", "ゴトウ"),
    ("近藤", "コンドウ"), ("村上", "ムラカミ"), ("遠藤", "エンドウ"), ("青木", "アオキ"), ("坂本", "サカモト"),
    ("髙木", "タカギ"), ("藤井", "フジイ"), ("西村", "ニシムラ"), ("福田", "フクダ"), ("太田", "オオタ"),
    ("三浦", "ミウラ"), ("藤原", "フジワラ"), ("岡本", "オカモト"), ("松田", "マツダ"), ("中川", "ナカガワ"),
]
GIVEN_NAMES = [
    ("翔太", "ショウタ"), ("彩花", "アヤカ"), ("拓海", "タクミ"), ("美咲", "ミサキ"), ("健太", "ケンタ"),
    ("優奈", "ユウナ"), ("大輝", "ダイキ"), ("陽菜", "ヒナ"), ("蓮", "レン"), ("さくら", "サクラ"),
    ("悠真", "ユウマ"), ("結衣", "ユイ"), ("颯", "ハヤテ"), ("花音", "カノン"), ("湊", "ミナト"),
    ("美月", "ミヅキ"), ("陸", "リク"), ("智也", "トモヤ"), ("真由", "マユ"), ("直樹", "ナオキ"),
    ("亜美", "アミ"), ("翼", "ツバサ"), ("玲奈", "レイナ"), ("駿", "シュン"), ("真央", "マオ"),
    ("隼人", "ハヤト"), ("千尋", "チヒロ"), ("大和", "ヤマト"), ("葵", "アオイ"), ("翔", "ショウ"),
    ("美羽", "ミウ"), ("悠斗", "ユウト"), ("楓", "カエデ"), ("海斗", "カイト"), ("恵一", "ケイイチ"),
    ("彩", "アヤ"), ("和也", "カズヤ"), ("誠", "マコト"), ("由美", "ユミ"), ("大輔", "ダイスケ"),
]
COMPANY_STEMS = [
    ("さくら", "サクラ"), ("みらい", "ミライ"), ("東都", "トウト"), ("関東", "カントウ"), ("日本", "ニホン"),
    ("大和", "ヤマト"), ("北斗", "ホクト"), ("あおば", "アオバ"), ("ひかり", "ヒカリ"), ("城南", "ジョウナン"),
    ("湾岸", "ワンガン"), ("富士", "フジ"), ("青空", "アオゾラ"), ("東海", "トウカイ"), ("グローバル", "グローバル"),
    ("ネクスト", "ネクスト"), ("フューチャー", "フューチャー"), ("中央", "チュウオウ"), ("丸の内", "マルノウチ"),
    ("みなと", "ミナト"), ("千代田", "チヨダ"), ("武蔵", "ムサシ"), ("相模", "サガミ"), ("房総", "ボウソウ"),
    ("いろは", "イロハ"), ("やまと", "ヤマト"), ("オリオン", "オリオン"), ("シリウス", "シリウス"),
]
INDUSTRIES = [
    ("銀行システム", "ギンコウシステム"), ("生命保険", "セイメイホケン"), ("物流", "ブツリュウ"),
    ("テレコム", "テレコム"), ("製作所", "セイサクショ"), ("リテール", "リテール"), ("証券", "ショウケン"),
    ("メディア", "メディア"), ("電力システムズ", "デンリョクシステムズ"), ("ゲームス", "ゲームス"),
    ("損害保険", "ソンガイホケン"), ("商事", "ショウジ"), ("ソリューションズ", "ソリューションズ"),
    ("ヘルスケア", "ヘルスケア"), ("カード", "カード"), ("自動車", "ジドウシャ"), ("不動産", "フドウサン"),
    ("食品", "ショクヒン"), ("航空システム", "コウクウシステム"), ("鉄道システム", "テツドウシステム"),
]
PARTNER_WORDS = [("テック", "テック"), ("ソフト", "ソフト"), ("システムズ", "システムズ"), ("ラボ", "ラボ"),
                 ("ワークス", "ワークス"), ("リンク", "リンク"), ("クラフト", "クラフト")]
CITIES = ["東京都中央区日本橋", "東京都千代田区丸の内", "東京都港区芝浦", "東京都品川区大崎", "東京都渋谷区道玄坂",
          "東京都新宿区西新宿", "東京都江東区豊洲", "神奈川県横浜市西区みなとみらい", "神奈川県川崎市中原区小杉町",
          "埼玉県さいたま市大宮区桜木町", "千葉県千葉市美浜区中瀬", "大阪府大阪市北区梅田"]
STATIONS = ["東京", "三越前", "大手町", "品川", "大崎", "渋谷", "新宿", "池袋", "豊洲", "茅場町", "みなとみらい",
            "横浜", "武蔵小杉", "川崎", "大宮", "船橋", "中野", "吉祥寺", "恵比寿", "芝浦ふ頭", "上野", "梅田"]

# profile -> [(skill, category)], in the order an engineer of that profile learns them
PROFILES = {
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
}
PROFILE_WEIGHTS = {"java": 30, "web": 18, "infra": 12, "dotnet": 8, "go": 6, "data": 6, "mobile": 5,
                   "cobol": 5, "pm": 5, "qa": 5}
PROFILE_ROLES = {"pm": ["PM", "PMO"], "qa": ["QA"], "infra": ["INFRA"]}
CERTIFICATES = {"java": "Oracle Certified Java Programmer, Gold SE 11", "web": "AWS Certified Developer - Associate",
                "infra": "AWS Certified Solutions Architect - Associate", "dotnet": "Azure Developer Associate",
                "go": "Google Cloud Professional Cloud Developer", "data": "G検定", "mobile": "基本情報技術者",
                "cobol": "基本情報技術者", "pm": "PMP", "qa": "JSTQB Foundation Level"}
PROJECT_TITLES = {
    "java": ["勘定系システム更改", "契約管理システム機能追加", "住民情報システム開発", "基幹システム保守"],
    "web": ["ECサイトリニューアル", "会員向けWebサービス開発", "管理画面のSPA化", "予約サイト刷新"],
    "infra": ["AWS移行支援", "社内ネットワーク運用保守", "Kubernetes基盤構築", "監視基盤刷新"],
    "dotnet": ["倉庫管理システム開発", "生産管理システム改修", "販売管理システム更改"],
    "go": ["配信基盤マイクロサービス開発", "ゲームサーバーAPI開発", "決済API開発"],
    "data": ["データ分析基盤構築", "需要予測モデル構築", "データウェアハウス構築"],
    "mobile": ["スマホアプリ開発", "会員アプリ改修", "健康管理アプリ開発"],
    "cobol": ["保険料計算バッチ保守", "勘定系バッチ改修", "ホストマイグレーション"],
    "pm": ["基幹刷新PMO支援", "需給管理システムPMO", "全社システム統合PM支援"],
    "qa": ["結合テスト支援", "E2Eテスト自動化", "性能試験支援"],
}


def deterministic_uuid(rng: random.Random) -> uuid.UUID:
    return uuid.UUID(int=rng.getrandbits(128), version=4)


def person_name(rng: random.Random) -> tuple[str, str]:
    (surname, surname_kana), (given, given_kana) = rng.choice(SURNAMES), rng.choice(GIVEN_NAMES)
    return f"{surname} {given}", f"{surname_kana} {given_kana}"


def corporate_number(body: str) -> str:
    """A valid 13-digit corporate number from 12 digits (check digit in front)."""
    total = sum(int(d) * (1 if n % 2 else 2) for n, d in enumerate(reversed(body), start=1))
    return f"{9 - total % 9}{body}"
