"""Lecture files (video, slides, documents), only for enrolled learners past the gate.

Served here rather than from Wagtail's /documents/<id>/ so that the URL carries no
sequential id and the file is as protected as the lecture. Single byte ranges are
honoured so that the player can seek; each part is at most MAX_RANGE_BYTES.
"""

import mimetypes
import re

from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404

from courses.models import LecturePage
from courses.views.common import enrolment_view

_RANGE = re.compile(r"^bytes=(\d*)-(\d*)$")

# Largest part answered to one Range request; players ask again for the rest, so a
# "bytes=0-" request never reads a whole lecture recording into memory.
MAX_RANGE_BYTES = 8 * 1024 * 1024


def _lecture(enrolment, lecture_uuid) -> LecturePage:
    return get_object_or_404(
        LecturePage.objects.live().child_of(enrolment.activity),
        uuid=lecture_uuid,
    )


def _file_response(request, document):
    if document is None:
        raise Http404
    content_type = mimetypes.guess_type(document.file.name)[0] or (
        "application/octet-stream"
    )
    size = document.file.size
    match = _RANGE.match(request.headers.get("Range", ""))
    if match and any(match.groups()):
        first, last = match.groups()
        if first:
            start, end = int(first), min(int(last or size - 1), size - 1)
        else:
            start, end = max(0, size - int(last)), size - 1
        if start > end or start >= size:
            response = HttpResponse(status=416)
            response["Content-Range"] = f"bytes */{size}"
            return response
        end = min(end, start + MAX_RANGE_BYTES - 1)
        with document.file.open("rb") as handle:
            handle.seek(start)
            chunk = handle.read(end - start + 1)
        response = HttpResponse(chunk, status=206, content_type=content_type)
        response["Content-Range"] = f"bytes {start}-{end}/{size}"
    else:
        response = FileResponse(document.file.open("rb"), content_type=content_type)
        response["Content-Length"] = size
    response["Accept-Ranges"] = "bytes"
    response["Cache-Control"] = "private, max-age=3600"
    return response


@enrolment_view()
def lecture_file(request, enrolment, lecture_uuid, kind):
    lecture = _lecture(enrolment, lecture_uuid)
    document = {"video": lecture.video, "slides": lecture.slides}.get(kind)
    return _file_response(request, document)


@enrolment_view()
def lecture_document(request, enrolment, lecture_uuid, index):
    lecture = _lecture(enrolment, lecture_uuid)
    try:
        document = lecture.documents[index].value
    except IndexError:
        raise Http404 from None
    return _file_response(request, document)
