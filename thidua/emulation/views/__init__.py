"""Pages of emulation work, by topic: movements and their registrations and files, the
block dashboard, the covenant and its signing, scoring sheets (htmx per criterion, a
plain form without JavaScript, XLSX round trip), the "who scored whom" matrix.

Thin: they parse input, start from `selectors.visible_blocks` / `visible_movements`
(which start from `thidua.accounts.scope`) and call the verbs of `services`. A block or
sheet the user may not see answers 404, like one that does not exist; a change the user
may not make answers 403 (the verb's `PermissionDenied`).
"""

from thidua.emulation.views.attachments import (
    attachment_download,
    attachment_remove,
    attachment_upload,
)
from thidua.emulation.views.blocks import (
    block_dashboard,
    block_new,
    copy_block,
    lock,
    matrix,
    name_roles,
    publish,
    reopen,
)
from thidua.emulation.views.covenants import (
    covenant_detail,
    covenant_docx,
    covenant_edit,
    covenant_open,
)
from thidua.emulation.views.movements import (
    index,
    movement_detail,
    movement_new,
    registrations,
)
from thidua.emulation.views.sheets import sheet, sheet_cell, sheet_upload, sheet_xlsx

__all__ = [
    "attachment_download",
    "attachment_remove",
    "attachment_upload",
    "block_dashboard",
    "block_new",
    "copy_block",
    "covenant_detail",
    "covenant_docx",
    "covenant_edit",
    "covenant_open",
    "index",
    "lock",
    "matrix",
    "movement_detail",
    "movement_new",
    "name_roles",
    "publish",
    "registrations",
    "reopen",
    "sheet",
    "sheet_cell",
    "sheet_upload",
    "sheet_xlsx",
]
