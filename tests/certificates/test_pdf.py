import io

import pytest
from django.conf import settings
from pypdf import PdfReader

from certificates import pdf
from tests.certificates.pdf_reading import page_count, pdf_text, qr_codes


@pytest.mark.parametrize(
    "url",
    [
        "http://example.org/logo.png",
        "https://example.org/logo.png",
        "file:///etc/passwd",
        "data:image/png;base64,iVBORw0KGgo=",
        "ftp://example.org/x.png",
        pdf.STATIC_PREFIX + "../../../etc/passwd",
        pdf.STATIC_PREFIX + "css/../../config/settings.py",
        pdf.STATIC_PREFIX + "css/certificates.css?x=1",
        pdf.MEDIA_PREFIX + "../config/settings.py",
        pdf.GENERATED_PREFIX + "not-generated.png",
    ],
)
def test_fetcher_refuses_everything_but_our_assets(url):
    with pytest.raises(pdf.AssetRefused):
        pdf.AssetFetcher().fetch(url)


def test_fetcher_serves_static_files_from_disk():
    response = pdf.AssetFetcher().fetch(pdf.static_url("css/certificates.css"))
    expected = (settings.BASE_DIR / "static/css/certificates.css").read_bytes()
    assert response.read() == expected
    assert response.content_type == "text/css"


def test_fetcher_serves_media_through_storage(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    (tmp_path / "logos").mkdir()
    (tmp_path / "logos/logo.png").write_bytes(pdf.qr_png("x"))
    response = pdf.AssetFetcher().fetch(pdf.media_url("logos/logo.png"))
    assert response.read() == pdf.qr_png("x")


def test_fetcher_serves_generated_images_of_this_render_only():
    fetcher = pdf.AssetFetcher({"qr.png": b"png bytes"})
    assert fetcher.fetch(pdf.GENERATED_PREFIX + "qr.png").read() == b"png bytes"


def test_a_hostile_document_fetches_nothing_and_still_renders(caplog, tmp_path):
    secret = tmp_path / "secret.png"
    secret.write_bytes(pdf.qr_png("SECRET"))
    body = (
        f'<p>Hello</p><img src="file://{secret}" alt="x">'
        '<img src="http://127.0.0.1:9/x.png" alt="y">'
        "<style>@import url(http://127.0.0.1:9/evil.css);</style>"
    )
    data = pdf.render_pdf(body=body, title="T", stylesheet="")
    assert "Hello" in pdf_text(data)
    assert qr_codes(data) == []
    refused = [r.getMessage() for r in caplog.records if "refused" in r.getMessage()]
    assert any(str(secret) in message for message in refused)
    assert any("127.0.0.1:9" in message for message in refused)


def test_batch_rendering_gives_one_tagged_pdf_per_page_in_order():
    pages = [
        pdf.PDFPage(
            body=f'<section class="c"><h1>Certificate {n}</h1>'
            f'<img src="generated/q{n}.png" alt="QR"></section>',
            title=f"Title {n}",
            generated={f"q{n}.png": pdf.qr_png(f"https://example.org/{n}")},
        )
        for n in range(5)
    ]
    css = ".c { color: black; }"
    results = list(
        pdf.render_one_page_pdfs(pages, stylesheet=css, author="T", chunk_size=2)
    )
    assert len(results) == 5
    for n, data in enumerate(results):
        reader = PdfReader(io.BytesIO(data))
        assert len(reader.pages) == 1
        assert f"Certificate {n}" in reader.pages[0].extract_text()
        assert reader.metadata.title == f"Title {n}"
        root = reader.trailer["/Root"]
        assert "/StructTreeRoot" in root and root["/MarkInfo"]["/Marked"]
        assert qr_codes(data) == [f"https://example.org/{n}"]


def test_batch_rendering_refuses_a_certificate_that_spills_onto_two_pages():
    pages = [
        pdf.PDFPage(body="<section><p>one</p></section>", title="a", generated={}),
        pdf.PDFPage(
            body='<section><p>two</p><p style="break-before: page">three</p></section>',
            title="b",
            generated={},
        ),
    ]
    with pytest.raises(pdf.PageOverflow):
        list(pdf.render_one_page_pdfs(pages, stylesheet="", author="T"))


def test_transcript_style_documents_can_run_over_several_pages():
    body = "".join(f"<p>Row {n}</p>" for n in range(200))
    assert page_count(pdf.render_pdf(body=body, title="T", stylesheet="")) > 1
