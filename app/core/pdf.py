"""PDF documents with WeasyPrint and the Japanese font the app ships (static/fonts).

Documents are rendered from a plain context dict through a Jinja template under
``templates/pdf/``.  The URL fetcher only serves files from our static folder and ``data:``
URIs: a remote URL or any other file (``<img src="file:///etc/passwd">`` in a customer's name)
is refused, and since every value is autoescaped such markup renders as text anyway.
"""

from __future__ import annotations

import hashlib
from pathlib import Path
from urllib.parse import quote
from urllib.request import url2pathname

from flask import Response, make_response, render_template
from weasyprint import HTML
from weasyprint.text.fonts import FontConfiguration
from weasyprint.urls import URLFetcher

STATIC_DIR = Path(__file__).resolve().parents[2] / "static"
_font_config = FontConfiguration()


class RefusedURL(ValueError):
    pass


class StaticOnlyFetcher(URLFetcher):
    """Fetches files under static/ and data: URIs; refuses everything else."""

    def __init__(self):
        super().__init__(allowed_protocols={"file", "data"}, allow_redirects=False)

    def fetch(self, url, headers=None):
        if url.startswith("file:"):
            path = Path(url2pathname(url.split("?")[0].removeprefix("file:"))).resolve()
            if not (path.is_relative_to(STATIC_DIR) and path.is_file()):
                raise RefusedURL(f"refused to fetch {url!r} while rendering a PDF")
        elif not url.startswith("data:"):
            raise RefusedURL(f"refused to fetch {url!r} while rendering a PDF")
        return super().fetch(url, headers)


def render_pdf(template: str, **context) -> bytes:
    """Render ``templates/<template>`` to PDF bytes."""
    html = render_template(template, **context)
    document = HTML(string=html, base_url=STATIC_DIR.as_uri() + "/", url_fetcher=StaticOnlyFetcher())
    return document.write_pdf(font_config=_font_config)


def sha256_hex(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def pdf_response(data: bytes, filename: str, inline: bool = True) -> Response:
    response = make_response(data)
    response.headers["Content-Type"] = "application/pdf"
    disposition = "inline" if inline else "attachment"
    # RFC 6266: ASCII fallback plus the UTF-8 name (Japanese file names).
    ascii_name = filename.encode("ascii", "replace").decode().replace("?", "_")
    response.headers["Content-Disposition"] = (
        f"{disposition}; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(filename)}")
    return response
