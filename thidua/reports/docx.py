"""The state-document builder moved to `thidua.documents` (a base module that emulation,
reports and the decisions all use); these names stay importable from here."""

from thidua.documents.state import (  # noqa: F401 (re-exported)
    FONT,
    MOTTO,
    NATIONAL_NAME,
    Header,
    Signer,
    StateDocument,
    date_line,
)
