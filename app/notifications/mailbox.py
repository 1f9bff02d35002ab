"""The local mailbox: messages caught by the SMTP sink of the run command (``mailsink.py``),
listed for administrators so a newcomer can read what the system sent without a mail server.

Enabled when ``SES_MAIL_SINK_DIR`` names the folder the sink writes ``.eml`` files into.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from datetime import datetime
from email import policy
from email.parser import BytesParser
from email.utils import parsedate_to_datetime
from pathlib import Path

_NAME = re.compile(r"^[0-9A-Za-z_.-]+\.eml$")
LIMIT = 200


@dataclass(frozen=True)
class Mail:
    name: str
    sender: str
    to: str
    subject: str
    date: datetime | None
    body: str


def folder() -> Path | None:
    value = os.environ.get("SES_MAIL_SINK_DIR")
    return Path(value) if value else None


def enabled() -> bool:
    path = folder()
    return path is not None and path.is_dir()


def _read(path: Path, with_body: bool) -> Mail:
    with path.open("rb") as file:
        message = BytesParser(policy=policy.default).parse(file, headersonly=not with_body)
    try:
        sent = parsedate_to_datetime(message["Date"]) if message["Date"] else None
    except (TypeError, ValueError):
        sent = None
    body = ""
    if with_body:
        part = message.get_body(preferencelist=("plain",))
        body = part.get_content() if part else ""
    return Mail(name=path.name, sender=str(message["From"] or ""), to=str(message["To"] or ""),
                subject=str(message["Subject"] or ""), date=sent, body=body)


def messages() -> list[Mail]:
    """The newest messages first (at most LIMIT)."""
    files = sorted(folder().glob("*.eml"), reverse=True)[:LIMIT]
    return [_read(path, with_body=False) for path in files]


def message(name: str) -> Mail | None:
    if not _NAME.match(name):
        return None
    path = folder() / name
    return _read(path, with_body=True) if path.is_file() else None
