"""Our company as issuer (請求元): name, registration number, bank details, seal, rounding."""

from __future__ import annotations

from ..core.db import check_version
from ..core.i18n import lazy_gettext as _l
from ..extensions import db
from .issue import BillingError
from .models import Issuer

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
MAX_SEAL_BYTES = 1024 * 1024
FIELDS = ("name", "registration_number", "postal_code", "address", "phone", "email", "bank_name",
          "bank_branch", "bank_account_type", "bank_account_number", "bank_account_holder_kana",
          "tax_rounding", "invoice_number_prefix")


def current_issuer() -> Issuer | None:
    return db.session.scalar(db.select(Issuer).where(Issuer.is_default))


def check_seal(data: bytes | None) -> None:
    if data is None:
        return
    if not data.startswith(PNG_SIGNATURE):
        raise BillingError("seal", _l("角印はPNG形式の画像をアップロードしてください。"))
    if len(data) > MAX_SEAL_BYTES:
        raise BillingError("seal", _l("角印の画像は1MB以下にしてください。"))


def save_issuer(values: dict, *, seal: bytes | None = None, remove_seal: bool = False,
                seen_version=None) -> Issuer:
    """Create our issuer profile, or update it (optimistic lock on ``seen_version``).  Issued
    invoices keep the snapshot they were issued with."""
    check_seal(seal)
    issuer = current_issuer()
    if issuer is None:
        issuer = Issuer(code="MAIN", is_default=True)
        db.session.add(issuer)
    else:
        check_version(issuer, seen_version)
    for field in FIELDS:
        value = values.get(field)
        setattr(issuer, field, value.strip() or None if isinstance(value, str) else value)
    if seal is not None:
        issuer.seal_image = seal
    elif remove_seal:
        issuer.seal_image = None
    db.session.flush()
    return issuer
