"""Fuzz every form and upload the portal offers, as the people who see them (#13).

A generated catalogue rather than random search, so a run is the same every time
and takes a few tens of seconds: the test signs in as each persona of the seeded
demo, follows the links of the portal's own pages (a few pages of each shape), and
reads every <form> it finds. Each form is sent with its own values, then with one
field at a time replaced by hostile values: nesting, size, number edge cases (NaN,
infinities, 5,000 digits), dates from year 1 to 9999, control characters, other
encodings and formula text; file inputs get hostile files. Machine endpoints that
take JSON (the lecture player, Jitsi's webhook, the push subscription endpoints)
get the JSON catalogue.

Some forms appear only in a later state (a post-test, an evaluation, a credit claim,
a running session's code word, minutes, a waiting refill, an
issued certificate's revocation, Wagtail's meeting form, Wagtail's article create
and edit forms):
reach_every_form puts the demo in those states through the services and gives
each persona those pages as extra starting points.

It asserts that no request answers 500 and that nothing accepted breaks a page
later: after each accepted input the page it leads to and the form's page are read
again, and at the end every page seen is read again as each persona.
"""

import datetime
import itertools
import json
import re
import zlib
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from accounts import demo as accounts_demo
from accounts.models import User
from certificates.models import Certificate
from certificates.services import issue_certificates
from cms import demo as cms_demo
from cms.models import ArticlePage, TopicIndexPage
from courses import demo as courses_demo
from courses import services as courses_services
from courses.models import (
    ActivityPage,
    CreditClaim,
    Enrolment,
    LecturePage,
    LectureProgress,
)
from courses.services.post_test import new_form_token
from meetings import demo as meetings_demo
from meetings.models import Meeting
from meetings.services import feed_for
from meetings.services.records import add_action_item
from visits import demo as visits_demo
from visits.models import VisitType
from visits.services.booking import book_visit
from visits.services.catalogue import publish_consent
from visits.services.record import request_refill

pytestmark = pytest.mark.django_db

PERSONAS = ["patient", "clinician", "meetingadmin", "coordinator", "auditor", "editor"]
PREFIXES = ("/visits/", "/meetings/", "/courses/", "/certificates/", "/account/")
ANONYMOUS_PAGES = ["/accounts/signup/", "/accounts/password/reset/", "/search/"]
# Links that end the session or leave the portal are not followed.
SKIP_LINK = re.compile(r"/logout/|/accounts/(?!signup|password/reset)|/video/|/join/")
PAGES_PER_SHAPE = 3
PAGES_PER_PERSONA = 80
VALUES_PER_FIELD = 1

_UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")
_SECRET = re.compile(r"/calendar/[^/]+\.ics")
_NUMBER = re.compile(r"/\d+(?=/)")
_WAGTAIL_PAGE_FORM = re.compile(r"^/admin/pages/(add/cms/articlepage/\d+|\d+/edit)/$")

# One hostile value per line; each field gets VALUES_PER_FIELD of them in turn, so
# across the portal's fields every value is tried many times.
TEXT_VALUES = [
    "",
    " ",
    "x" * 20_000,
    "[" * 3000 + "]" * 3000,
    '{"a":' * 500 + "1" + "}" * 500,
    "NaN",
    "Infinity",
    "-Infinity",
    "1e400",
    "-1e400",
    "9" * 5000,
    "-0",
    "0001-01-01",
    "9999-12-31",
    "0001-01-01T00:00",
    "9999-12-31T23:59",
    "0000-00-00",
    "2026-02-30",
    "99999-01-01",
    "24:00",
    "23:59:60",
    "\x00",
    "a\x00b",
    "\x1b[2J\x07\x08",
    "\r\n\t",
    "\u202eevil\u202c",
    "\ufeffBOM",
    "😀" * 50,
    "Ünïcödé – ñ",
    '=HYPERLINK("http://evil.example")',
    "\t=1+1",
    "<script>alert(1)</script>",
    "' OR 1=1 --",
    "../../etc/passwd",
    "%s%n{0}{{x}}",
]
DATE_VALUES = ["0001-01-01", "9999-12-31", "10000-01-01"]
TIME_VALUES = ["00:00", "23:59:59.999999", "25:61"]
DATETIME_VALUES = ["0001-01-01T00:00", "9999-12-31T23:59", "2026-13-01T00:00"]
NUMBER_VALUES = ["NaN", "-Infinity", "1e308", "-9" + "9" * 30]


def _png_bomb() -> bytes:
    # 12,000 x 12,000 pixels in a few kilobytes: over Pillow's pixel limit.
    import struct

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", 12_000, 12_000, 1, 0, 0, 0, 0)
    rows = zlib.compress(b"\x00" * (12_000 * (12_000 // 8 + 1)), 9)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", rows)
        + chunk(b"IEND", b"")
    )


CSV_HEADER = "type,measured_at,systolic,diastolic,heart_rate,unit\n"


def _reading_rows(measured_at: str, systolic="120", heart_rate="70") -> bytes:
    return (
        CSV_HEADER
        + f"bp,{measured_at},{systolic},80,,mm[Hg]\n"
        + f"hr,{measured_at},,,{heart_rate},/min\n"
    ).encode()


def upload_catalogue() -> dict[str, bytes]:
    return {
        "deep-json": b"[" * 200_000 + b"]" * 200_000,
        "deep-object": b'{"readings": ' + b'{"a": ' * 50_000 + b"1" + b"}" * 50_001,
        "huge-cell": (CSV_HEADER + "hr,," + "7" * 1_500_000 + ",,/min\n").encode(),
        "too-large": b"x" * (3 * 1024 * 1024),
        "empty": b"",
        "nul-bytes": b"\x00" * 1000,
        "utf16": CSV_HEADER.encode("utf-16"),
        "latin1": ("type,measured_at\nhr,é\n").encode("latin-1"),
        "json-nan": b'[{"type": "hr", "measured_at": "2026-01-05T07:31:00+00:00",'
        b' "heart_rate": NaN, "unit": "/min"}]',
        "json-long-int": b'[{"type": "hr", "measured_at": "2026-01-05T07:31:00Z",'
        b' "heart_rate": ' + b"7" * 5000 + b', "unit": "/min"}]',
        "json-not-rows": b'{"readings": [1, "two", null, [3]]}',
        "rows-year-1": _reading_rows("0001-01-01T00:00:00+00:00"),
        "rows-year-9999": _reading_rows("9999-12-31T23:59:59+00:00"),
        "rows-infinite": _reading_rows("2026-01-05T07:30:00+00:00", "inf", "nan"),
        "rows-control": _reading_rows("2026-01-05T07:30:00+00:00\x1b\x00"),
        "rows-formula": _reading_rows("=cmd|' /C calc'!A0"),
        "svg": b'<svg xmlns="http://www.w3.org/2000/svg"><script>1</script></svg>',
        "html": b"<!doctype html><html><body>hi</body></html>",
        "png-bomb": _png_bomb(),
        "truncated-png": b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR",
        "fake-pdf": b"%PDF-1.7\n" + b"(" * 10_000,
    }


JSON_BODIES = [
    "[" * 200_000 + "]" * 200_000,
    '{"segments": ' + "[" * 5000 + "]" * 5000 + "}",
    '{"segments": [[0, NaN]]}',
    '{"segments": [[0, Infinity]]}',
    '{"segments": [[-1e308, 1e308]]}',
    '{"segments": [[0, ' + "9" * 5000 + "]]}",
    '{"segments": [[1, 0]]}',
    '{"segments": "\\u0000"}',
    '{"segments": [' + "[0, 1]," * 5000 + "[0, 1]]}",
    '{"event_name": "muc-room-created", "room_name": "x", "created_at": 1e400}',
    '{"event_name": "muc-occupant-joined", "room_name": "\\u0000",'
    ' "occupant": {"joined_at": -99999999999999}}',
    '{"event_name": "muc-occupant-joined", "room_name": "r",'
    ' "occupant": {"joined_at": 253402300800}}',
    "\ufeff{}",
    "null",
    '"just a string"',
    "",
]


@dataclass
class Form:
    page: str
    action: str
    method: str
    fields: dict[str, str] = field(default_factory=dict)
    kinds: dict[str, str] = field(default_factory=dict)
    choices: dict[str, list[str]] = field(default_factory=dict)


class _PageReader(HTMLParser):
    def __init__(self, page: str) -> None:
        super().__init__()
        self.page = page
        self.links: list[str] = []
        self.forms: list[Form] = []
        self._textarea: str | None = None
        self._select: str | None = None

    def handle_starttag(self, tag, attrs):
        a = {k: v or "" for k, v in attrs}
        form = self.forms[-1] if self.forms else None
        if tag == "a" and a.get("href"):
            self.links.append(urljoin(self.page, a["href"]))
        elif tag == "form":
            self.forms.append(
                Form(
                    page=self.page,
                    action=urljoin(self.page, a.get("action") or self.page),
                    method=(a.get("method") or "get").lower(),
                )
            )
        elif form is None or not a.get("name"):
            return
        elif tag == "input":
            kind = a.get("type", "text").lower()
            if kind in {"submit", "button", "image", "reset"}:
                if kind == "submit":  # the button's name says which action
                    form.fields.setdefault(a["name"], a.get("value", ""))
                return
            if kind in {"checkbox", "radio"} and "checked" not in a:
                form.choices.setdefault(a["name"], []).append(a.get("value", "on"))
                form.kinds.setdefault(a["name"], kind)
                return
            form.fields[a["name"]] = a.get("value", "")
            form.kinds[a["name"]] = kind
        elif tag == "textarea":
            self._textarea = a["name"]
            form.fields[a["name"]] = ""
            form.kinds[a["name"]] = "textarea"
        elif tag == "select":
            self._select = a["name"]
            form.kinds[a["name"]] = "select"
        elif tag == "option" and self._select and form is not None:
            value = a.get("value", "")
            form.choices.setdefault(self._select, []).append(value)
            if "selected" in a or self._select not in form.fields:
                form.fields[self._select] = value

    def handle_data(self, data):
        if self._textarea and self.forms:
            self.forms[-1].fields[self._textarea] += data

    def handle_endtag(self, tag):
        if tag == "textarea":
            self._textarea = None
        elif tag == "select":
            self._select = None


def _shape(url: str) -> str:
    url = _SECRET.sub("/calendar/{secret}.ics", _UUID.sub("{uuid}", url))
    return _NUMBER.sub("/{id}", url)


def _as_wagtail_script_would(form: Form) -> None:
    """Add the StreamField inputs that Wagtail's JavaScript writes into the page.

    The article's body arrives in the HTML as JSON for the block editor, which then
    creates the hidden inputs it posts: the block count and, per block, its type,
    order, id, deleted flag and value (Draftail's JSON for a paragraph). Without
    them the fuzz would only ever send an article with no body.
    """
    paragraph = json.dumps(
        {
            "blocks": [{"key": "a1b2c", "type": "unstyled", "text": "Fuzz body."}],
            "entityMap": {},
        }
    )
    for name, value in {
        "body-count": "1",
        "body-0-type": "paragraph",
        "body-0-order": "0",
        "body-0-deleted": "",
        "body-0-id": "",
        "body-0-value": paragraph,
    }.items():
        form.fields[name] = value
        form.kinds[name] = "hidden"


def _local(url: str) -> str | None:
    parts = urlsplit(url)
    if parts.netloc not in {"", "testserver"}:
        return None
    return parts.path + (f"?{parts.query}" if parts.query else "")


def _plausible(name: str, kind: str, value: str, choices: list[str]) -> str:
    """A value the form would accept, so one hostile field at a time is tested."""
    if value:
        return value
    if choices:
        return next((c for c in choices if c), choices[0])
    soon = timezone.localtime() + datetime.timedelta(days=9)
    return {
        "date": soon.date().isoformat(),
        "time": "10:00",
        "datetime-local": soon.strftime("%Y-%m-%dT10:00"),
        "number": "1",
        "email": "fuzz.guest@example.org",
        "checkbox": "on",
        "textarea": "Fuzz text.",
    }.get(kind, "Fuzz")


class Fuzzer:
    def __init__(self, client: Client, who: str, known_forms: set) -> None:
        self.known_forms = known_forms
        self.client = client
        self.who = who
        self.pages: dict[str, str] = {}  # shape -> first url
        self.seen: set[str] = set()
        self.shape_counts: dict[str, int] = {}
        self.forms: dict[tuple, Form] = {}
        self.requests = 0
        self.accepted = 0
        self.failures: list[str] = []
        self._cycle = itertools.cycle(TEXT_VALUES)

    def check(self, response, what: str) -> None:
        self.requests += 1
        if response.status_code >= 500:
            self.failures.append(f"{self.who}: {what} -> {response.status_code}")

    def read(self, url: str) -> None:
        # One persona per form shape keeps the run short; personas are ordered so
        # the one who uses a form most finds it first.
        response = self.client.get(url)
        self.check(response, f"GET {url}")
        if response.status_code != 200 or "html" not in response.get(
            "Content-Type", ""
        ):
            return
        reader = _PageReader(url)
        reader.feed(response.content.decode("utf-8", "replace"))
        for form in reader.forms:
            if SKIP_LINK.search(urlsplit(form.action).path):
                continue  # signing out would turn the rest of the run anonymous
            if _WAGTAIL_PAGE_FORM.match(urlsplit(form.action).path):
                _as_wagtail_script_would(form)
            key = (_shape(form.action), form.method, tuple(sorted(form.kinds)))
            if key not in self.known_forms:
                self.known_forms.add(key)
                self.forms[key] = form
        self.pending.extend(reader.links)

    def crawl(self, start: list[str]) -> None:
        self.pending = list(start)
        while self.pending and len(self.seen) < PAGES_PER_PERSONA:
            url = _local(self.pending.pop(0))
            if not url or url in self.seen or SKIP_LINK.search(url):
                continue
            if not (url.startswith(PREFIXES) or url in start):
                continue
            shape = _shape(url.split("?")[0])
            if self.shape_counts.get(shape, 0) >= PAGES_PER_SHAPE:
                continue
            self.shape_counts[shape] = self.shape_counts.get(shape, 0) + 1
            self.seen.add(url)
            self.read(url)

    def send(self, form: Form, data: dict, what: str) -> None:
        if form.method == "post":
            response = self.client.post(form.action, data)
        else:
            response = self.client.get(form.action, data)
        self.check(response, f"{form.method.upper()} {form.action} {what}")
        if response.status_code >= 400:
            return
        self.accepted += 1
        # What was accepted must not break the pages that show it.
        after = [form.page]
        if response.status_code in {301, 302, 303} and _local(response["Location"]):
            after.append(_local(response["Location"]))
        for url in after:
            if not SKIP_LINK.search(url):
                self.check(self.client.get(url), f"GET {url} after {what}")

    def fuzz(self, form: Form, uploads: dict[str, bytes]) -> None:
        base = {
            name: _plausible(
                name, form.kinds.get(name, ""), value, form.choices.get(name, [])
            )
            for name, value in form.fields.items()
            if form.kinds.get(name) != "file"
        }
        for name, kind in form.kinds.items():
            if name not in base and kind in {"checkbox", "radio", "select"}:
                base[name] = _plausible(name, kind, "", form.choices.get(name, []))
        files = [n for n, k in form.kinds.items() if k == "file"]
        for name in files:
            for label, content in uploads.items():
                upload = SimpleUploadedFile(f"{label}.txt", content)
                self.send(form, {**base, name: upload}, f"{name}={label}")
        if files:
            return
        self.send(form, base, "as offered")
        for name, kind in form.kinds.items():
            if name == "csrfmiddlewaretoken":  # the test client skips CSRF checks
                continue
            typed = {
                "date": DATE_VALUES,
                "time": TIME_VALUES,
                "datetime-local": DATETIME_VALUES,
                "number": NUMBER_VALUES,
            }.get(kind, [])
            hostile = typed + [next(self._cycle) for _ in range(VALUES_PER_FIELD)]
            for value in hostile:
                self.send(form, {**base, name: value}, f"{name}={value[:30]!r}")


@pytest.fixture
def world(db, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    for demo in (accounts_demo, cms_demo, meetings_demo, courses_demo, visits_demo):
        demo.seed()
    return {user.username: user for user in User.objects.all()}


LANDING = [
    "/visits/",
    "/visits/readings/",
    "/visits/refills/",
    "/visits/access-log/",
    "/meetings/",
    "/meetings/new/",
    "/meetings/calendar/",
    "/courses/",
    "/courses/dashboard/",
    "/courses/board-reporting/",
    "/certificates/",
    "/certificates/transcript/",
    "/admin/certificates/",
    "/account/profile/",
]


# The forms only a demo put in the right state offers (reach_every_form).
DEEPER_FORMS = {
    "/courses/enrolments/{uuid}/post-test/",
    "/courses/enrolments/{uuid}/evaluation/",
    "/courses/enrolments/{uuid}/claim/",
    "/courses/enrolments/{uuid}/attendance/",
    "/meetings/{uuid}/sittings/{uuid}/minutes/",
    "/meetings/{uuid}/actions/{uuid}/toggle/",
    "/visits/refills/{uuid}/",
    "/admin/certificates/{uuid}/revoke/",
    "/visits/{uuid}/consent/",
    "/admin/pages/add/cms/articlepage/{id}/",
    "/admin/pages/{id}/edit/",
}


def _live_code_word_session(activity: ActivityPage) -> None:
    """Move the live activity's session to now, so its code-word form is offered."""
    now = timezone.now()
    activity.session_starts_at = now - datetime.timedelta(minutes=10)
    activity.session_ends_at = now + datetime.timedelta(minutes=50)
    activity.save_revision().publish()


def reach_every_form(world) -> dict[str, list[str]]:
    """Put the demo in the states where the deeper forms appear (#13).

    The seeded demo stops short of them: nobody is at a post-test, an evaluation or
    a claim, no session is running, no refill waits, no certificate is issued. Built
    through the project's own services; returns each persona's extra start pages.
    """
    clinician, patient = world["clinician"], world["patient"]
    coordinator, meetingadmin = world["coordinator"], world["meetingadmin"]
    hypertension, urgent_care, grand_rounds = (
        ActivityPage.objects.get(slug=spec["slug"]) for spec in courses_demo.ACTIVITIES
    )
    lectures = {
        activity.pk: list(
            LecturePage.objects.child_of(activity).live().order_by("path")
        )
        for activity in (hypertension, urgent_care)
    }
    # The clinician finishes watching urgent care: the post-test is next.
    at_post_test = courses_demo._through_gate(clinician, urgent_care)
    courses_demo._watch(at_post_test, lectures[urgent_care.pk])
    # The clinician passes the hypertension post-test: the evaluation is next.
    at_evaluation = courses_demo._through_gate(clinician, hypertension)
    courses_demo._watch(at_evaluation, lectures[hypertension.pk])
    courses_services.submit_post_test(
        enrolment=at_evaluation,
        token=new_form_token(),
        answers=courses_demo._right_answers(hypertension),
    )
    # The coordinator also evaluated it: the credit claim is next.
    at_claim = courses_demo._through_gate(coordinator, hypertension)
    courses_demo._watch(at_claim, lectures[hypertension.pk])
    courses_services.submit_post_test(
        enrolment=at_claim,
        token=new_form_token(),
        answers=courses_demo._right_answers(hypertension),
    )
    courses_services.submit_evaluation(
        enrolment=at_claim,
        objectives_met=4,
        relevance=4,
        quality=4,
        free_of_bias=True,
        comments="",
        commitment_to_change="",
    )
    # Grand rounds is running now: its attendance code word is asked for.
    _live_code_word_session(grand_rounds)
    in_session = courses_demo._through_gate(clinician, grand_rounds)
    # A meeting the administrator hosts, with an action item to tick.
    meeting = (
        Meeting.objects.filter(organizer=meetingadmin)
        .exclude(kind__in=Meeting.kinds(confidential=True))
        .first()
    )
    occurrence = meeting.occurrences.order_by("start").first()
    add_action_item(
        occurrence=occurrence, description="Send the slides.", owner=meetingadmin
    )
    # A refill waiting for the clinician's decision; the patient's booked visit.
    refill = request_refill(
        patient=patient,
        clinician=clinician,
        medication="Amlodipine 5 mg tablet",
        dosage="One tablet daily",
    )
    # A fresh booking and a newer consent version, which the demo patient has not
    # accepted yet, so the consent page offers its form.
    publish_consent(text="Version for the fuzz: video visits, privacy and limits.")
    wellness = VisitType.objects.get(code="wellness")
    booked = book_visit(
        patient=patient,
        clinician=clinician,
        visit_type=wellness,
        start=visits_demo._next_slot(
            clinician, wellness, after=timezone.now() + datetime.timedelta(days=3)
        ),
    )
    # Issued certificates (the demo's completed claims), for the revoke form.
    issue_certificates(
        claims=list(
            CreditClaim.objects.filter(enrolment__status=Enrolment.Status.COMPLETE)
        )
    )
    certificate = Certificate.objects.filter(status=Certificate.Status.VALID).first()
    # The editor writes articles in Wagtail: a new one under a topic, and an edit.
    article = ArticlePage.objects.filter(locale__language_code="en").first()
    topic = TopicIndexPage.objects.parent_of(article).first()
    return {
        "clinician": [
            reverse("courses:post_test", args=[at_post_test.uuid]),
            reverse("courses:evaluation", args=[at_evaluation.uuid]),
            reverse("courses:enrolment", args=[in_session.uuid]),
            reverse("visits:refill_decide", args=[refill.uuid]),
        ],
        "coordinator": [
            reverse("courses:claim", args=[at_claim.uuid]),
            reverse("certificates_admin:revoke", args=[certificate.uuid]),
        ],
        "meetingadmin": [
            reverse("meetings:minutes", args=[meeting.uuid, occurrence.uuid]),
            reverse("meetings_admin:edit", args=[meeting.pk]),
        ],
        "patient": [reverse("visits:consent", args=[booked.uuid])],
        "editor": [
            reverse("wagtailadmin_pages:add", args=["cms", "articlepage", topic.pk]),
            reverse("wagtailadmin_pages:edit", args=[article.pk]),
            article.url,
        ],
    }


def test_no_form_or_upload_answers_500_or_breaks_a_page(world):
    uploads = upload_catalogue()
    fuzzers = []
    known_forms: set = set()
    deeper = reach_every_form(world)
    anonymous = Fuzzer(Client(raise_request_exception=False), "anonymous", known_forms)
    anonymous.crawl(ANONYMOUS_PAGES)
    fuzzers.append(anonymous)
    for who in PERSONAS:
        client = Client(raise_request_exception=False)
        client.force_login(world[who])
        fuzzer = Fuzzer(client, who, known_forms)
        fuzzer.crawl(deeper.get(who, []) + LANDING)
        fuzzers.append(fuzzer)
    for fuzzer in fuzzers:
        for form in list(fuzzer.forms.values()):
            fuzzer.fuzz(form, uploads)
        if fuzzer.who in world:  # still signed in, so the forms were really tried
            assert fuzzer.client.get("/account/profile/").status_code == 200
    # Everything accepted is now stored: every page seen must still open, and the
    # calendar feeds (which read every meeting) must still build.
    for fuzzer in fuzzers:
        ending = sorted(fuzzer.seen)
        if fuzzer.who in world:
            secret = feed_for(world[fuzzer.who]).secret
            ending.append(reverse("meetings:calendar_feed", args=[secret]))
        for url in ending:
            fuzzer.check(fuzzer.client.get(url), f"GET {url} at the end")
    failures = [failure for f in fuzzers for failure in f.failures]
    assert not failures, "\n".join(failures)
    forms = sum(len(f.forms) for f in fuzzers)
    accepted = sum(f.accepted for f in fuzzers)
    # The crawl must have reached the portal's forms, or the test proves nothing.
    assert forms >= 15, [list(f.forms) for f in fuzzers]
    reached = {key[0] for f in fuzzers for key in f.forms}
    assert DEEPER_FORMS <= reached, sorted(DEEPER_FORMS - reached)
    assert accepted > 0
    print(  # noqa: T201 - the size of the run, for whoever tunes it
        f"fuzzed {forms} forms with {sum(f.requests for f in fuzzers)} requests, "
        f"{accepted} inputs accepted:",
        *sorted({f"{f.who} {key[1]} {key[0]}" for f in fuzzers for key in f.forms}),
        sep="\n  ",
    )


def test_json_endpoints_refuse_the_json_catalogue(world, settings):
    settings.JITSI_WEBHOOK_SECRET = "fuzz-secret"
    clinician = world["clinician"]
    client = Client(raise_request_exception=False)
    client.force_login(clinician)
    enrolment = Enrolment.objects.filter(learner=clinician).first()
    progress = LectureProgress.objects.filter(enrolment=enrolment).first()
    lecture = progress.lecture
    lecture_page = reverse("courses:lecture", args=[enrolment.uuid, lecture.uuid])
    progress_url = reverse("courses:progress", args=[enrolment.uuid, lecture.uuid])
    webhook = reverse("meetings:jitsi_events")
    for body in JSON_BODIES:
        for url, headers in (
            (progress_url, {}),
            (webhook, {"HTTP_AUTHORIZATION": "Bearer fuzz-secret"}),
            (reverse("push_subscribe"), {}),
            (reverse("push_device_state"), {}),
            (reverse("push_unsubscribe"), {}),
        ):
            response = client.post(
                url,
                data=body.encode("utf-8"),
                content_type="application/json",
                **headers,
            )
            assert response.status_code < 500, (url, body[:60])
            assert response["Content-Type"] == "application/json"
            json.loads(response.content)
        assert client.get(lecture_page).status_code == 200, body[:60]
    for page in ("/courses/dashboard/", "/meetings/"):
        assert client.get(page).status_code == 200
