"""After-visit summary PDFs, rendered with WeasyPrint inside visits so that PHI
never passes through another app. The URL fetcher refuses every URL: the
template's CSS is inline and nothing is fetched, from disk or network.
"""

from django.template.loader import render_to_string
from weasyprint import HTML


class FetchRefused(ValueError):
    pass


def refuse_every_url(url: str, *args, **kwargs):
    raise FetchRefused(f"PDF rendering fetches nothing ({url[:40]}).")


def render_summary_pdf(context: dict) -> bytes:
    html = render_to_string("visits/summary_pdf.html", context)
    return HTML(string=html, url_fetcher=refuse_every_url, base_url=None).write_pdf()
