import io
import os
from collections import OrderedDict
from pathlib import Path

import pikepdf
import pytest
from django.conf import settings
from django.utils.html import escape
from pypdf import PdfReader

from certificates.pdf import compose, layout
from tests.certificates.pdf_reading import (
    embedded_characters,
    font_code_problems,
    font_names,
    page_count,
    pdf_text,
    pdf_text_pdfium,
    pdfium_structure,
    qr_codes,
    raster,
    structure_problems,
    structure_tags,
)
from tests.concurrency import run_at_once


@pytest.mark.parametrize(
    "url",
    [
        "http://example.org/logo.png",
        "https://example.org/logo.png",
        "file:///etc/passwd",
        "data:image/png;base64,iVBORw0KGgo=",
        "ftp://example.org/x.png",
        layout.STATIC_PREFIX + "../../../etc/passwd",
        layout.STATIC_PREFIX + "css/../../config/settings.py",
        layout.STATIC_PREFIX + "css/certificates.css?x=1",
        layout.MEDIA_PREFIX + "../config/settings.py",
        layout.GENERATED_PREFIX + "not-generated.png",
    ],
)
def test_fetcher_refuses_everything_but_our_assets(url):
    with pytest.raises(layout.AssetRefused):
        layout.AssetFetcher().fetch(url)


def test_fetcher_serves_static_files_from_disk():
    response = layout.AssetFetcher().fetch(layout.static_url("css/certificates.css"))
    expected = (settings.BASE_DIR / "static/css/certificates.css").read_bytes()
    assert response.read() == expected
    assert response.content_type == "text/css"


def test_fetcher_serves_media_through_storage(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    (tmp_path / "logos").mkdir()
    (tmp_path / "logos/logo.png").write_bytes(layout.qr_png("x"))
    response = layout.AssetFetcher().fetch(layout.media_url("logos/logo.png"))
    assert response.read() == layout.qr_png("x")


def test_fetcher_serves_generated_images_of_this_render_only():
    fetcher = layout.AssetFetcher({"qr.png": b"png bytes"})
    assert fetcher.fetch(layout.GENERATED_PREFIX + "qr.png").read() == b"png bytes"


def test_a_hostile_document_fetches_nothing_and_still_renders(caplog, tmp_path):
    secret = tmp_path / "secret.png"
    secret.write_bytes(layout.qr_png("SECRET"))
    body = (
        f'<p>Hello</p><img src="file://{secret}" alt="x">'
        '<img src="http://127.0.0.1:9/x.png" alt="y">'
        "<style>@import url(http://127.0.0.1:9/evil.css);</style>"
    )
    data = layout.render_pdf(body=body, title="T", stylesheet="")
    assert "Hello" in pdf_text(data)
    assert qr_codes(data) == []
    refused = [r.getMessage() for r in caplog.records if "refused" in r.getMessage()]
    assert any(str(secret) in message for message in refused)
    assert any("127.0.0.1:9" in message for message in refused)


SHEET_CSS = """
@page { size: A5 landscape; margin: 0; }
.slot { display: flow-root; }
.slot--name { height: 20mm; }
.slot--note { height: 8mm; }
.name { margin: 0; font-size: 18pt; text-align: center; }
.note { margin: 0; font-size: 9pt; }
.qr { width: 20mm; height: 20mm; }
"""
SHEET_BODY = (
    "<section><h1>Shared heading</h1>"
    '<div class="slot slot--name" id="slot-name"></div>'
    "<p>Shared wording between the slots.</p>"
    '<div class="slot slot--note" id="slot-note"></div>'
    f'<img class="qr" src="{layout.PLACEHOLDER_IMAGE}" alt="QR code"></section>'
)


def sheet() -> layout.Sheet:
    return layout.render_sheet(
        body=SHEET_BODY, stylesheet=SHEET_CSS, text_slots=["name", "note"]
    )


def filling(n: int, name: str | None = None) -> layout.Filling:
    return layout.Filling(
        fields={
            "name": f'<p class="name">{escape(name or f"Learner {n}")}</p>',
            "note": f'<p class="note">Note {n}</p>',
        },
        qr_data=f"https://example.org/{n}",
        title=f"Title {n}",
    )


def test_each_filling_gets_its_own_tagged_one_page_pdf_in_order():
    results = list(
        layout.render_filled_sheets(
            sheet(),
            [filling(n) for n in range(5)],
            stylesheet=SHEET_CSS,
            author="T",
            chunk_size=2,
        )
    )
    assert len(results) == 5
    for n, data in enumerate(results):
        reader = PdfReader(io.BytesIO(data))
        assert len(reader.pages) == 1
        assert reader.pdf_header == "%PDF-1.7"  # as WeasyPrint wrote the sheet
        text = reader.pages[0].extract_text()
        assert "Shared heading" in text and "Shared wording" in text
        assert f"Learner {n}" in text and f"Note {n}" in text
        others = [m for m in range(5) if m != n]
        assert not any(f"Learner {m}" in text or f"Note {m}" in text for m in others)
        assert reader.metadata.title == f"Title {n}"
        assert qr_codes(data) == [f"https://example.org/{n}"]
        assert structure_problems(data) == []
        seen_by_pdfium = pdfium_structure(data)
        assert ("H1", "") in seen_by_pdfium and ("Figure", "QR code") in seen_by_pdfium


def test_a_filling_is_read_in_its_slots_place():
    [data] = layout.render_filled_sheets(
        sheet(), [filling(0)], stylesheet=SHEET_CSS, author="T"
    )
    outline = [tag.strip() for tag in structure_tags(data) if tag.strip() != "Span"]
    # The filled slots (Div > P) sit between the sheet's heading and paragraph;
    # WeasyPrint wraps the image in an anonymous block tagged like its section.
    assert outline == [
        "Document",
        "Sect",
        "H1",
        "Div",
        "P",
        "P",
        "Div",
        "P",
        "Sect",
        "Figure",
    ]


def test_a_pdf_holds_no_other_fillings_text_even_hidden():
    """The fillings of a chunk are laid out together; each PDF must carry only
    its own text, not other learners' text drawn off the page or clipped (text
    extraction reads every text operator, visible or not)."""
    first, second = layout.render_filled_sheets(
        sheet(),
        [filling(0, "Alice Aardvark"), filling(1, "Bob Bobcat")],
        stylesheet=SHEET_CSS,
        author="T",
    )
    for data, own, other in [(first, "Alice", "Bob"), (second, "Bob", "Alice")]:
        for text in (pdf_text(data), pdf_text_pdfium(data)):
            assert own in text and other not in text


def test_the_structure_checker_notices_a_broken_tree():
    [data] = layout.render_filled_sheets(
        sheet(), [filling(0)], stylesheet=SHEET_CSS, author="T"
    )
    document = pikepdf.open(io.BytesIO(data))
    section = document.Root.StructTreeRoot.K[0].K[0]
    section.K[1].K = pikepdf.Array()  # the filled name slot loses its text
    del section.K[0].K[0].Pg  # the heading's text loses its page
    broken = io.BytesIO()
    document.save(broken)
    problems = structure_problems(broken.getvalue())
    assert "empty /Div element" in problems
    assert any(problem.startswith("marked") for problem in problems)
    assert any("without /Pg" in problem for problem in problems)


def test_text_too_long_for_its_slot_spoils_only_its_own_pdf():
    first, second, third = layout.render_filled_sheets(
        sheet(),
        [filling(0), filling(1, "Very long name " * 40), filling(2)],
        stylesheet=SHEET_CSS,
        author="T",
    )
    assert isinstance(second, layout.PageOverflow)
    assert "name does not fit" in str(second)
    assert "Learner 0" in pdf_text(first) and "Learner 2" in pdf_text(third)


def test_fonts_carry_only_their_own_learners_characters():
    """The learners' lines are laid out together, so WeasyPrint's fonts hold every
    learner's characters; each PDF's fonts must hold its learner's only."""
    own = {"Žofia Ďurková": "ŽĎ", "Øystein Ærø": "ØÆ", "王小明": "王小明"}
    results = layout.render_filled_sheets(
        sheet(), [filling(n, name) for n, name in enumerate(own)],
        stylesheet=SHEET_CSS, author="T",
    )  # fmt: skip
    for data, name in zip(results, own, strict=True):
        present = embedded_characters(data)
        assert set(own[name]) <= present, name
        for other, characters in own.items():
            if other != name:
                assert not set(characters) & present, (name, other)
        assert font_code_problems(data) == []


def test_many_fillings_spread_over_several_layer_pages_stay_apart():
    # Bands are at least 30 px tall, so 260 of them need two 2,000 mm pages.
    count = 260
    results = list(
        layout.render_filled_sheets(
            sheet(), [filling(n) for n in range(count)], stylesheet=SHEET_CSS,
            author="T", chunk_size=count,
        )
    )  # fmt: skip
    for n in (0, 129, 130, 259):
        text = pdf_text(results[n])
        assert f"Learner {n}\n" in text + "\n" and f"Note {n}" in text
        assert structure_problems(results[n]) == []
    assert qr_codes(results[259]) == ["https://example.org/259"]


def test_a_sheet_without_its_placeholder_image_is_refused():
    body = SHEET_BODY.replace(layout.PLACEHOLDER_IMAGE, "")
    # Refused by the compositor: each filling gets a CompositionFailed in place of
    # its PDF, for the caller to lay out whole (documents.render_certificates).
    failures = list(
        layout.render_filled_sheets(
            layout.render_sheet(
                body=body, stylesheet=SHEET_CSS, text_slots=["name", "note"]
            ),
            [filling(0), filling(1)],
            stylesheet=SHEET_CSS,
            author="T",
        )
    )
    assert len(failures) == 2
    assert all(isinstance(f, layout.CompositionFailed) for f in failures)
    assert "placeholder image" in str(failures[0])


def test_transcript_style_documents_can_run_over_several_pages():
    body = "".join(f"<p>Row {n}</p>" for n in range(200))
    assert page_count(layout.render_pdf(body=body, title="T", stylesheet="")) > 1


EMOJI_FONT = Path("/usr/share/fonts/truetype/noto/NotoColorEmoji.ttf")


def test_emoji_in_a_name_print_as_colour_pictures():
    if not EMOJI_FONT.exists():
        if os.environ.get("CI"):
            pytest.fail("CI must have fonts-noto-color-emoji installed.")
        pytest.skip("fonts-noto-color-emoji not installed (see README)")
    ends_in_emoji = filling(0, "Dr Emoji 🩺🎓 Smith")
    ends_in_emoji.fields["note"] = '<p class="note">Note 🩺</p>'
    data, neighbour = layout.render_filled_sheets(
        sheet(),
        [ends_in_emoji, filling(1, "Plain Name")],
        stylesheet=SHEET_CSS,
        author="T",
    )
    assert "🩺🎓" in pdf_text_pdfium(data)
    # The next learner's text is drawn after the emoji; it must not carry its font.
    assert not any("Emoji" in name for name in font_names(neighbour))
    # The test sheet is black and white; only the emoji can bring colour.
    saturation = raster(data).convert("HSV").getchannel("S")
    coloured = sum(saturation.histogram()[100:])
    assert coloured > 100
    assert structure_problems(data) == []


def test_a_sheet_with_a_link_is_refused():
    """A link's annotation would not come along into the copies; refuse it."""
    linked = layout.render_sheet(
        body=SHEET_BODY.replace("<h1>", '<h1><a href="https://example.org/">x</a>'),
        stylesheet=SHEET_CSS,
        text_slots=["name", "note"],
    )
    [failure] = layout.render_filled_sheets(
        linked, [filling(0)], stylesheet=SHEET_CSS, author="T"
    )
    assert isinstance(failure, layout.CompositionFailed)
    assert "links" in str(failure)
    assert isinstance(failure.__cause__, ValueError)


def test_a_cut_out_line_replays_its_transform_over_the_layer_page():
    def cm(*operands):
        return pikepdf.ContentStreamInstruction(operands, pikepdf.Operator("cm"))

    flip = pikepdf.Matrix(1, 0, 0, -1, 0, 600)
    state = compose._GraphicsState()
    state.apply("cm", cm(1, 0, 0, -1, 0, 600))
    state.apply("cm", cm(0.75, 0, 0, 0.75, 0, 0))
    # "flip cm" then "scale cm": a point (x, y) lands at (0.75x, 600 - 0.75y).
    assert state.ctm.transform((100.0, 40.0)) == (75.0, 570.0)
    # Over the page's own transform (the flip), only the scale is replayed.
    [replayed] = state.replay(flip, with_font=True)
    assert [float(x) for x in replayed.operands] == [0.75, 0, 0, 0.75, 0, 0]
    assert state.replay(state.ctm, with_font=True) == []


def test_sheets_are_cached_by_what_they_lay_out_and_the_files_they_name(monkeypatch):
    monkeypatch.setattr(layout, "SHEET_CACHE_SIZE", 2)
    monkeypatch.setattr(layout, "_sheets", OrderedDict())

    def cached(text: str = SHEET_BODY, versions=("logo v1",)) -> layout.Sheet:
        return layout.cached_sheet(
            body=text,
            stylesheet=SHEET_CSS,
            text_slots=["name", "note"],
            file_versions=versions,
        )

    first = cached()
    assert cached() is first
    # The same file name holding other content (another image hash): laid out
    # again, then cached again.
    second = cached(versions=("logo v2",))
    assert second is not first
    assert cached(versions=("logo v2",)) is second
    # Other content is another entry; at most two are kept, oldest dropped first.
    other = cached(SHEET_BODY.replace("Shared heading", "Other heading"))
    assert other is not first
    assert len(layout._sheets) == 2
    assert cached(versions=("logo v2",)) is second
    assert cached() is not first  # the least recently used went


def test_threads_share_the_sheet_cache(monkeypatch):
    monkeypatch.setattr(layout, "_sheets", OrderedDict())

    def cached() -> layout.Sheet:
        return layout.cached_sheet(
            body=SHEET_BODY, stylesheet=SHEET_CSS, text_slots=["name", "note"]
        )

    sheets = run_at_once([cached] * 4)
    assert len(layout._sheets) == 1
    assert {s.text_slots for s in sheets} == {sheet().text_slots}
    assert any(cached() is laid_out for laid_out in sheets)
