"""A local SMTP server that stores every message it receives as a ``.eml`` file.

The run command starts it so that mail goes somewhere readable without a mail server
(``python -m app.notifications.mailsink instance/mail 8025``); the tests start it to check
what the system sends.  It listens on 127.0.0.1 only.
"""

from __future__ import annotations

import signal
import sys
import threading
import time
import uuid
from pathlib import Path


class FolderHandler:
    """aiosmtpd handler: one file per message, names sortable by arrival time."""

    def __init__(self, folder: Path):
        self.folder = folder
        self.folder.mkdir(parents=True, exist_ok=True)

    async def handle_DATA(self, server, session, envelope):  # noqa: N802  (aiosmtpd's name)
        name = f"{time.strftime('%Y%m%d-%H%M%S')}-{time.time_ns() % 10**9:09d}-{uuid.uuid4().hex[:6]}.eml"
        (self.folder / name).write_bytes(envelope.original_content or envelope.content)
        return "250 Message accepted for delivery"


def start(folder: Path, port: int = 8025, host: str = "127.0.0.1"):
    """Start the sink in a background thread; returns the aiosmtpd Controller (``.stop()``)."""
    from aiosmtpd.controller import Controller

    controller = Controller(FolderHandler(folder), hostname=host, port=port)
    controller.start()
    return controller


def main(argv: list[str]) -> int:
    folder = Path(argv[1]) if len(argv) > 1 else Path("instance/mail")
    port = int(argv[2]) if len(argv) > 2 else 8025
    controller = start(folder, port)
    print(f"mail sink: smtp://127.0.0.1:{port} -> {folder}", flush=True)
    stopped = threading.Event()
    for sig in (signal.SIGINT, signal.SIGTERM):
        signal.signal(sig, lambda *_: stopped.set())
    stopped.wait()
    controller.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
