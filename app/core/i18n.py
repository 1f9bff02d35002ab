"""Japanese first, English as a switch.

Messages are written in Japanese in the code and templates (the msgid) and translated to
English in ``app/<area>/translations/en/LC_MESSAGES/messages.po`` -- one catalog per area, so
each context owns its words; Flask-Babel merges them.  ``python -m app.core.i18n compile``
builds the .mo files (the set-up script runs it); ``python -m app.core.i18n extract <area>``
refreshes an area's catalog from its code and templates.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from flask import has_request_context, session
from flask_babel import gettext, lazy_gettext, ngettext  # noqa: F401  (re-exported)

APP_DIR = Path(__file__).resolve().parent.parent
ROOT = APP_DIR.parent
LOCALES = ("ja", "en")


def translation_directories() -> str:
    """All areas' catalogs, relative to the app package, as Flask-Babel wants them."""
    dirs = sorted(p.relative_to(APP_DIR) for p in APP_DIR.glob("*/translations") if p.is_dir())
    return ";".join(str(d) for d in dirs) or "translations"


def select_locale() -> str:
    from .identity import current_identity  # late: identity imports the auth package

    chosen = session.get("locale") if has_request_context() else None   # CLI: no session
    if chosen in LOCALES:
        return chosen
    identity = current_identity()
    if identity is not None and identity.locale in LOCALES:
        return identity.locale
    return "ja"   # Japanese first; English only when someone switches


def _catalogs() -> list[Path]:
    return sorted(APP_DIR.glob("*/translations/*/LC_MESSAGES/messages.po"))


def compile_catalogs() -> int:
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    for po_path in _catalogs():
        mo_path = po_path.with_suffix(".mo")
        if mo_path.exists() and mo_path.stat().st_mtime >= po_path.stat().st_mtime:
            continue
        with po_path.open("rb") as f:
            catalog = read_po(f)
        with mo_path.open("wb") as f:
            write_mo(f, catalog)
    return len(_catalogs())


def extract(area: str) -> None:
    """Refresh ``app/<area>/translations`` from the area's Python code and templates."""
    target = APP_DIR / area / "translations"
    pot = target / "messages.pot"
    target.mkdir(exist_ok=True)
    sources = [str(APP_DIR / area)]
    if (ROOT / "templates" / area).exists():
        sources.append(str(ROOT / "templates" / area))
    if area == "reports":   # the report PDFs live with the other PDF templates
        sources += [str(p) for p in sorted((ROOT / "templates" / "pdf").glob("report_*.html"))]
    if area == "core":   # the shell: layout, flash, macros, error pages
        sources += [str(p) for p in (ROOT / "templates").glob("*.html")]
        sources += [str(ROOT / "templates" / d) for d in ("errors", "macros", "tabular")]
    babel_cfg = ROOT / "babel.cfg"
    run = [sys.executable, "-m", "babel.messages.frontend"]
    subprocess.run([*run, "extract", "-F", str(babel_cfg), "-k", "_l", "-o", str(pot), *sources],
                   check=True)
    po = target / "en" / "LC_MESSAGES" / "messages.po"
    action = "update" if po.exists() else "init"
    subprocess.run([*run, action, "-i", str(pot), "-d", str(target), "-l", "en"], check=True)


if __name__ == "__main__":
    command = sys.argv[1] if len(sys.argv) > 1 else "compile"
    if command == "compile":
        print(f"compiled {compile_catalogs()} message catalogs")
    elif command == "extract" and len(sys.argv) == 3:
        extract(sys.argv[2])
    else:
        sys.exit("usage: python -m app.core.i18n compile | extract <area>")
