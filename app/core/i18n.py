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

from flask import Flask, has_request_context, session
from flask.globals import _cv_app
from flask_babel import get_translations, ngettext  # noqa: F401  (re-exported)
from flask_babel.speaklater import LazyString

APP_DIR = Path(__file__).resolve().parent.parent
ROOT = APP_DIR.parent
LOCALES = ("ja", "en")


def translations():
    """The current locale's merged catalog, remembered on the application context.

    Flask-Babel finds it again on every call (the context, the locale, its name: ~15 µs), and a
    page says several hundred words -- a month's timesheet ~700.  Here the catalog is looked up
    once per context and locale; ``force_locale`` and ``refresh`` change the context's locale
    object, so they are honoured exactly as by Flask-Babel."""
    ctx = _cv_app.get(None)
    if ctx is None:
        return get_translations()
    values = ctx.g.__dict__
    locale = getattr(values.get("_flask_babel"), "babel_locale", None)
    remembered = values.get("_ses_translations")
    if remembered is not None and locale is not None and remembered[0] is locale:
        return remembered[1]
    catalog = get_translations()
    values["_ses_translations"] = (getattr(values.get("_flask_babel"), "babel_locale", None), catalog)
    return catalog


def gettext(string: str, **variables) -> str:
    text = translations().ugettext(string)
    return text % variables if variables else text


def lazy_gettext(string: str, **variables) -> LazyString:
    return LazyString(gettext, string, **variables)


def install_template_gettext(app: Flask) -> None:
    """Templates translate through the same remembered catalog (after ``babel.init_app``)."""
    app.jinja_env.install_gettext_callables(
        gettext=lambda s: translations().ugettext(s),
        ngettext=lambda s, p, n: translations().ungettext(s, p, n),
        pgettext=lambda c, s: translations().upgettext(c, s),
        npgettext=lambda c, s, p, n: translations().unpgettext(c, s, p, n),
        newstyle=True)


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
    sources = [APP_DIR / area]
    if (ROOT / "templates" / area).exists():
        sources.append(ROOT / "templates" / area)
    if area == "reports":   # the report PDFs live with the other PDF templates
        sources += sorted((ROOT / "templates" / "pdf").glob("report_*.html"))
    if area == "core":   # the shell: layout, flash, macros, error pages
        sources += sorted((ROOT / "templates").glob("*.html"))
        sources += [ROOT / "templates" / d for d in ("errors", "macros", "tabular")]
    run = [sys.executable, "-m", "babel.messages.frontend"]
    # Paths relative to the repository, so the catalogs' source comments do not depend on
    # where the repository was checked out.
    subprocess.run([*run, "extract", "-F", "babel.cfg", "-k", "_l", "-o", str(pot),
                    *(str(p.relative_to(ROOT)) for p in sources)], check=True, cwd=ROOT)
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
