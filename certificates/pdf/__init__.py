"""The certificate renderer: snapshots in, tagged PDFs out. The rest of
certificates imports this package only, never its modules (import-linter).

- documents.py fills the certificate and transcript templates from snapshots and
  is where the slow path is taken;
- layout.py is the only module that imports WeasyPrint (sheets, fill layers,
  whole documents; the fetcher that reads nothing but our assets);
- compose.py and fonts.py are the only ones that import pikepdf and HarfBuzz:
  they put each learner's lines over a copy of the sheet.

A certificate the compositor fails on is laid out whole instead and says so
(`RenderedCertificate.composition_failure`), so issuing never stops on it
(docs/decisions/0007, 0026).
"""

from certificates.pdf.documents import (
    RenderedCertificate,
    render_certificates,
    render_transcript,
    sheet_order,
)
from certificates.pdf.layout import PageOverflow, fewer_full_collections

__all__ = [
    "PageOverflow",
    "RenderedCertificate",
    "fewer_full_collections",
    "render_certificates",
    "render_transcript",
    "sheet_order",
]
