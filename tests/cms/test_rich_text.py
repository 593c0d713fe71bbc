"""The admin's rich-text widget: malformed posts are refused, never a 500 (#13)."""

import pytest

from cms.rich_text import LabelledDraftailRichTextArea


@pytest.mark.parametrize("posted", ["0000-00-00", "[]", '{"blocks": 5}', "{"])
def test_malformed_draftail_content_reads_as_no_content(posted):
    widget = LabelledDraftailRichTextArea()
    assert widget.value_from_datadict({"references": posted}, {}, "references") is None


def test_well_formed_draftail_content_still_converts():
    widget = LabelledDraftailRichTextArea()
    posted = (
        '{"blocks": [{"key": "a", "type": "unstyled", "text": "Salt raises it.",'
        ' "depth": 0, "inlineStyleRanges": [], "entityRanges": []}],'
        ' "entityMap": {}}'
    )
    html = widget.value_from_datadict({"references": posted}, {}, "references")
    assert html == '<p data-block-key="a">Salt raises it.</p>'
