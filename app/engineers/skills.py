"""The matching key of a skill name (a leaf module: other contexts import it freely)."""

from __future__ import annotations

import re
import unicodedata


def skill_key(name: str) -> str:
    """Width-normalised, lower case, single spaces: "ＪＡＶＡ" and "java" are the same skill."""
    return re.sub(r"\s+", " ", unicodedata.normalize("NFKC", name)).strip().lower()


# The category of well-known skills, for imports that give only a name (else OTHER).
KNOWN_CATEGORIES = {
    "LANGUAGE": ("java", "python", "go", "c#", "c", "c++", "php", "ruby", "javascript", "typescript",
                 "kotlin", "swift", "dart", "scala", "rust", "cobol", "vb.net", "sql", "apex", "r"),
    "FRAMEWORK": ("spring", "spring boot", "react", "vue.js", "next.js", "angular", "django", "flask",
                  "rails", "laravel", ".net", "node.js", "flutter", "struts"),
    "DATABASE": ("oracle database", "oracle", "postgresql", "mysql", "sql server", "snowflake", "mongodb",
                 "redis", "db2"),
    "CLOUD": ("aws", "azure", "gcp", "firebase"),
    "INFRASTRUCTURE": ("kubernetes", "docker", "cisco", "vmware", "network"),
    "OS": ("linux", "windows server", "unix"),
    "TOOL": ("git", "terraform", "ansible", "jenkins", "selenium", "jmeter", "jcl"),
}
_CATEGORY_OF = {name: category for category, names in KNOWN_CATEGORIES.items() for name in names}


def guess_category(name: str) -> str:
    return _CATEGORY_OF.get(skill_key(name), "OTHER")
