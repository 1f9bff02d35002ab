"""Forms as a browser sees them: parsed out of rendered pages, so every form and filter an area
adds is fuzzed without being listed anywhere."""

from __future__ import annotations

from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

from hypothesis import strategies as st

SKIPPED_FIELDS = {"csrf_token"}


@dataclass
class Form:
    action: str
    method: str
    fields: dict[str, list[str]] = field(default_factory=dict)   # name -> known options (selects)
    hidden: dict[str, str] = field(default_factory=dict)
    values: list[tuple[str, str]] = field(default_factory=list)   # what the browser would submit


class _FormParser(HTMLParser):
    def __init__(self, page_url: str):
        super().__init__()
        self.page_url = page_url
        self.forms: list[Form] = []
        self._select: str | None = None
        self._select_first: str | None = None
        self._selected = False
        self._textarea: str | None = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form":
            action = a.get("action") or a.get("hx-post") or a.get("hx-get") or self.page_url
            method = "GET" if ("hx-get" in a and "hx-post" not in a) else (a.get("method") or "GET").upper()
            self.forms.append(Form(urljoin(self.page_url, action), method))
        elif not self.forms or not a.get("name") or a["name"] in SKIPPED_FIELDS or (
                tag == "input" and a.get("type") in ("submit", "button", "image", "reset")):
            return
        elif tag == "input" and a.get("type") == "hidden":
            self.forms[-1].hidden[a["name"]] = a.get("value", "")
            self.forms[-1].fields.setdefault(a["name"], [a.get("value", "")])
            self.forms[-1].values.append((a["name"], a.get("value", "")))
        elif tag == "input":
            self.forms[-1].fields.setdefault(a["name"], [])
            if a.get("type") not in ("checkbox", "radio") or "checked" in a:
                self.forms[-1].values.append((a["name"], a.get("value", "y" if a.get("type") == "checkbox" else "")))
        elif tag == "textarea":
            self.forms[-1].fields.setdefault(a["name"], [])
            self._textarea = a["name"]
            self.forms[-1].values.append((a["name"], ""))
        elif tag == "select":
            self._select, self._select_first, self._selected = a["name"], None, False
            self.forms[-1].fields.setdefault(a["name"], [])
        if tag == "option" and self._select and self.forms:
            value = a.get("value", "")
            self.forms[-1].fields[self._select].append(value)
            if self._select_first is None:
                self._select_first = value
            if "selected" in a and not self._selected:
                self._selected = True
                self.forms[-1].values.append((self._select, value))

    def handle_data(self, data):
        if self._textarea and self.forms:
            name, value = self.forms[-1].values[-1]
            self.forms[-1].values[-1] = (name, value + data)

    def handle_endtag(self, tag):
        if tag == "select" and self.forms:
            if not self._selected and self._select_first is not None:
                self.forms[-1].values.append((self._select, self._select_first))
            self._select = None
        elif tag == "textarea":
            self._textarea = None


def forms_in(html: str, page_url: str) -> list[Form]:
    parser = _FormParser(page_url)
    parser.feed(html)
    return [f for f in parser.forms if urlsplit(f.action).netloc in ("", "localhost")]


# --- what goes into the fields ---------------------------------------------------------------------

SQL = ["' OR '1'='1", "'; DROP TABLE platform.users; --", "1; SELECT pg_sleep(5)", "\\", "%", "_"]
HTML = ['<script>alert("xss")</script>', '<img src=x onerror=alert(1)>', '"><svg onload=alert(1)>',
        "{{ 7*7 }}", "{% raw %}", "javascript:alert(1)"]
NUMBERS = ["-1", "0", "1e309", "NaN", "99999999999999999999999", "１２３", "3.14", "0x1F", " 1 ", "-0"]
DATES = ["2026-02-30", "0000-00-00", "9999-12-31", "2026/04/01", "令和8年4月1日", "2026-13-01", "1900-01-01"]
UNICODE = ["髙﨑", "𠮷野家", "ｶﾀｶﾅ", "\u200b", "\u202e\u202d", "e\u0301", "\ufeff", "🙂" * 10, "\x00", "\r\n\t",
           "\ud7ff", "Ａ" * 3]
PAYLOADS = SQL + HTML + NUMBERS + DATES + UNICODE + ["", " ", "00000000-0000-0000-0000-000000000000"]
# The sweep every field gets by default: one of each kind of trouble (SES_FUZZ=full: all of them).
CORE_PAYLOADS = ["'; DROP TABLE platform.users; --", HTML[0], HTML[1], "99999999999999999999999", "1e309", "-1",
                 "2026-02-30", "１２３", "𠮷野家\u202e", "\x00", "", "00000000-0000-0000-0000-000000000000"]
# Text that can be sent at all: form encoding carries any code point but lone surrogates.
TEXT = st.text(alphabet=st.characters(exclude_categories=("Cs",)), max_size=40)


def values_for(options: list[str]) -> st.SearchStrategy:
    choices = [st.sampled_from(PAYLOADS), TEXT, st.integers(-10**12, 10**12).map(str),
               st.text(min_size=5_000, max_size=20_000, alphabet="あ<>'\"a1"),
               st.uuids().map(str)]
    if options:
        choices.insert(0, st.sampled_from(options))
    return st.one_of(*choices)


def form_data(form: Form) -> st.SearchStrategy:
    """Every field gets a value, is left out, or is sent twice."""
    entries = {}
    for name, options in form.fields.items():
        entries[name] = st.one_of(values_for(options).map(lambda v: [v]), st.just([]),
                                  st.lists(values_for(options), min_size=2, max_size=2))
    return st.fixed_dictionaries(entries)


def query_data() -> st.SearchStrategy:
    names = st.sampled_from(["q", "page", "per_page", "sort", "order", "status", "year", "month", "from", "to",
                             "customer_id", "engineer_id", "id", "next", "format", "limit", "offset"])
    return st.dictionaries(names, values_for([]), max_size=4)
