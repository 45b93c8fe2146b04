"""Word documents in official layout (GB/T 9704-2012), from a ``safety_plan.output.document``.

The one entry point is ``render_docx(document) -> bytes``: the bulletin, its summary, the
progress review and urging letters (督办函) all build a ``Document`` and call it. python-docx
is imported here only, so commands that never write Word do not pay for it.
"""

from __future__ import annotations

from safety_plan.output.docx.fonts import FALLBACKS
from safety_plan.output.docx.official import render_docx

__all__ = ["FALLBACKS", "render_docx"]
