"""Events from other contexts that change the engineer pool.

ContractSigned (a sales contract concluded): the engineer rolls off the day after its end
date, which becomes an availability period (稼働可能期間) of source CONTRACT_ROLL_OFF.
Idempotent: one period per contract, moved if the contract is signed again.
"""

from __future__ import annotations

from sqlalchemy import text

from ..core.events import CONTRACT_SIGNED, DomainEvent, handles
from ..extensions import db
from .services import record_roll_off

_SELL_CONTRACT = text("SELECT engineer_id, end_date FROM contract_context.contracts"
                      " WHERE id = :id AND side = 'SELL' AND deleted_at IS NULL")


@handles(CONTRACT_SIGNED)
def roll_off_from_contract(event: DomainEvent) -> None:
    row = db.session.execute(_SELL_CONTRACT, {"id": event.aggregate_id}).first()
    if row is not None:
        record_roll_off(row.engineer_id, event.aggregate_id, row.end_date)
