"""PDF rendering cannot be turned into a file reader or a request forger: WeasyPrint's fetcher
serves only our static folder and data: URIs, and user-supplied text is printed, not parsed."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from sqlalchemy import text

from app.core.pdf import STATIC_DIR, RefusedURL, StaticOnlyFetcher

PAYLOAD = '<img src="file:///etc/passwd">'


@pytest.mark.parametrize("url", [
    "file:///etc/passwd",
    "file:///etc/hostname",
    STATIC_DIR.as_uri() + "/../app/config.py",            # out of static by ..
    STATIC_DIR.as_uri() + "/fonts/../../instance/secret_key",
    STATIC_DIR.as_uri() + "/no-such-file.png",
    "http://127.0.0.1:5000/admin/users",                  # a request forged to ourselves
    "https://example.com/logo.png",
    "ftp://example.com/x",
    "//example.com/x.png",
])
def test_the_fetcher_refuses_anything_but_static_files(url):
    with pytest.raises((RefusedURL, ValueError)):
        StaticOnlyFetcher().fetch(url)


def test_the_fetcher_serves_static_files_and_data_uris():
    font = StaticOnlyFetcher().fetch((STATIC_DIR / "fonts" / "NotoSansJP-Regular.ttf").as_uri())
    assert font is not None
    assert StaticOnlyFetcher().fetch("data:text/plain;base64,aGVsbG8=") is not None


def test_a_symlink_out_of_static_is_refused(tmp_path):
    link = STATIC_DIR / "img" / "__test_link_to_passwd"
    try:
        link.symlink_to(Path("/etc/passwd"))
    except OSError:
        pytest.skip("cannot create a symlink in static/")
    try:
        with pytest.raises(RefusedURL):
            StaticOnlyFetcher().fetch(link.as_uri())
    finally:
        link.unlink()


def test_markup_in_a_name_is_printed_as_text(login_as, admin_engine, make_user):
    make_user("finance", display_name=PAYLOAD)
    response = login_as("admin").get("/admin/users.pdf")
    assert response.status_code == 200 and response.data.startswith(b"%PDF")
    extracted = subprocess.run(["pdftotext", "-layout", "-", "-"], input=response.data,
                               capture_output=True, check=True).stdout.decode()
    assert PAYLOAD in extracted
    passwd_line = Path("/etc/passwd").read_text().splitlines()[0]
    assert passwd_line not in extracted


def test_markup_in_a_name_is_escaped_in_pages(login_as, admin_engine, make_user):
    make_user("finance", display_name=PAYLOAD)
    page = login_as("admin").get("/admin/users").text
    assert PAYLOAD not in page and "&lt;img src=" in page
    with admin_engine.connect() as conn:   # stored as typed: escaping is the template's job
        assert conn.execute(text("SELECT count(*) FROM platform.users WHERE display_name = :p"),
                            {"p": PAYLOAD}).scalar() == 1
