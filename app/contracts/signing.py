"""Issuing a contract for signature and signing it in the browser (電子署名).

* ``issue_for_signature``: the document is rendered once to PDF and stored with its SHA-256;
  the contract waits for signatures (承認待ち).  ``withdraw`` takes it back to a draft while
  nobody has signed.
* ``sign``: each party -- our staff, the customer (sell side) or the partner (buy side) through
  their portal login -- signs the exact document shown to them: the form carries the hash they
  saw, the database refuses any other.  Signer, role, time, IP address and user agent are kept.
  When the last party signs, the database concludes the contract (締結) and ``ContractSigned``
  is recorded in the same transaction.
* ``verify``: recompute the stored PDF's hash against the contract and every signature.

Once anyone has signed, the document and the terms are immutable (a trigger refuses changes).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import select

from ..core.db import check_version
from ..core.events import CONTRACT_SIGNED, record_event
from ..core.i18n import lazy_gettext as _l
from ..core.identity import current_identity
from ..core.pdf import render_pdf, sha256_hex
from ..extensions import db
from . import document
from .models import Contract, ContractSignature
from .services import terms_snapshot
from .validation import ContractInvalid, Problem

PARTY_OF_ROLE = {"admin": "OUR_COMPANY", "project_manager": "OUR_COMPANY", "customer": "CUSTOMER",
                 "partner": "PARTNER"}


def _invalid(field: str, message) -> ContractInvalid:
    return ContractInvalid([Problem(field, str(message))])


def signatures_of(contract: Contract) -> list[ContractSignature]:
    return list(db.session.scalars(select(ContractSignature).where(
        ContractSignature.contract_id == contract.id).order_by(ContractSignature.signed_at)))


def render_document(contract: Contract, issued_on: date | None = None) -> bytes:
    context = document.document_context(contract, issued_on or date.today())
    return render_pdf("pdf/contract.html", **context)


def _check_complete(contract: Contract) -> None:
    if contract.contract_type == "QUASI_MANDATE" and contract.is_sell and not contract.responsible_person:
        raise _invalid("responsible_person", _l("準委任契約では当社の業務責任者を入力してから署名依頼してください。"))
    if document.template_for(contract) is None:
        raise _invalid("template_id", _l("この契約形態の契約書テンプレートがありません。"))


def issue_for_signature(contract: Contract, seen_version) -> Contract:
    """Render and freeze the document; the contract then waits for both signatures."""
    check_version(contract, seen_version)
    if contract.status != "DRAFT":
        raise _invalid("status", _l("署名依頼できるのは下書きの契約だけです。"))
    _check_complete(contract)
    contract.contract_terms = terms_snapshot(contract)
    pdf = render_document(contract)
    contract.document_pdf, contract.document_sha256 = pdf, sha256_hex(pdf)
    contract.status = "PENDING_APPROVAL"
    db.session.flush()
    return contract


def withdraw(contract: Contract, seen_version) -> Contract:
    """Back to a draft (to correct it) while nobody has signed."""
    check_version(contract, seen_version)
    if contract.status != "PENDING_APPROVAL" or signatures_of(contract):
        raise _invalid("status", _l("署名済みの契約は取り下げできません。変更は「契約変更」で行ってください。"))
    contract.document_pdf = contract.document_sha256 = None
    contract.status = "DRAFT"
    db.session.flush()
    return contract


@dataclass(frozen=True)
class Signer:
    name: str
    title: str | None
    ip_address: str | None
    user_agent: str | None


def sign(contract: Contract, seen_sha256: str, signer: Signer) -> ContractSignature:
    """The current user signs the document whose hash they were shown, for their own party."""
    identity = current_identity()
    party = PARTY_OF_ROLE.get(identity.role if identity else "")
    if party is None or (party != "OUR_COMPANY" and party != contract.counterparty):
        raise _invalid("document_sha256", _l("この契約に署名する権限がありません。"))
    if contract.status != "PENDING_APPROVAL":
        raise _invalid("document_sha256", _l("この契約は署名を受け付けていません。"))
    if seen_sha256 != contract.document_sha256:
        raise _invalid("document_sha256", _l("契約書が表示後に変更されました。最新の契約書を確認してから署名してください。"))
    if any(s.party == party for s in signatures_of(contract)):
        raise _invalid("document_sha256", _l("この契約には既に署名済みです。"))
    signature = ContractSignature(
        contract_id=contract.id, party=party, signer_user_id=identity.user_id,
        signer_name=signer.name, signer_title=(signer.title or "").strip()[:100] or None,
        ip_address=signer.ip_address, user_agent=(signer.user_agent or "")[:500] or None,
        document_sha256=contract.document_sha256)
    db.session.add(signature)
    db.session.flush()
    _after_signature(contract)
    return signature


def _after_signature(contract: Contract) -> None:
    # The database concluded the contract if this was the last signature: read it back.
    # A customer or partner may read its own contracts, so the refresh works for them too.
    db.session.refresh(contract)
    if contract.status == "CONCLUDED":
        record_event(CONTRACT_SIGNED, source_context="contract", aggregate_type="contract",
                     aggregate_id=contract.id, payload={
                         "contract_number": contract.contract_number, "side": contract.side,
                         "project_id": contract.project_id, "engineer_id": contract.engineer_id,
                         "customer_id": contract.customer_id,
                         "partner_company_id": contract.partner_company_id,
                         "document_sha256": contract.document_sha256})


@dataclass(frozen=True)
class Verification:
    stored_hash_matches: bool
    signatures: list[tuple[ContractSignature, bool]]

    @property
    def ok(self) -> bool:
        return self.stored_hash_matches and all(match for _, match in self.signatures)


def verify(contract: Contract, pdf: bytes | None = None) -> Verification:
    """Does the stored document (or an uploaded copy) match its hash and every signature?"""
    data = pdf if pdf is not None else contract.document_pdf
    actual = sha256_hex(data) if data else None
    return Verification(actual is not None and actual == contract.document_sha256,
                        [(s, s.document_sha256 == actual) for s in signatures_of(contract)])

