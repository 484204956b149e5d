"""Opening and signing a recall petition from the command line: one body for
``councilplan council recall open|sign`` and ``councilplan dispute committee recall|sign``
(the same service; a strike committee's constituency is its strikers)."""

from __future__ import annotations

from datetime import timedelta

from councilplan import services
from councilplan.cli.db import emit, moment, open_uow, share

__all__ = ["open_petition", "sign_petition"]


def open_petition(db: str | None, at: str | None, mandate_id: str, by: str, threshold: str,
                  window_days: int, petition_id: str | None, as_json: bool, *,
                  strikers: bool = False) -> None:
    """Open the petition and say how many must sign by when (of how many ``strikers``)."""
    view = services.open_recall_petition(open_uow(db), mandate_id, by, moment(at),
                                         petition_id=petition_id, threshold=share(threshold),
                                         window=timedelta(days=window_days))
    needed = (f"{view.required} of {view.constituency_size} strikers must sign" if strikers
              else f"{view.required} signatures needed")
    emit(view.to_dict(), as_json, f"petition {view.petition_id} against {mandate_id} opened: "
         f"{needed} by {view.closes_at:%Y-%m-%d %H:%M} UTC")


def sign_petition(db: str | None, at: str | None, petition_id: str, member_id: str,
                  ballot_days: float, as_json: bool) -> None:
    """Sign; the signature reaching the threshold opens the recall ballot."""
    view = services.sign_recall_petition(open_uow(db), petition_id, member_id, moment(at),
                                         open_ballot_for=timedelta(days=ballot_days))
    text = f"{member_id} signed {petition_id}: {view.signatures} of {view.required}"
    if view.ballot_id:
        text += f"; threshold reached, recall ballot {view.ballot_id} is open"
    emit(view.to_dict(), as_json, text)
