"""State documents (Decree 30/2020/NĐ-CP layout): the base every app that prints a
report, a covenant or a decision builds on. It knows the layout (header, national name
and motto, number and date line, title, body, signatures, recipients), nothing of the
apps above it."""

from thidua.documents.state import Header, Signer, StateDocument, date_line

__all__ = ["Header", "Signer", "StateDocument", "date_line"]
