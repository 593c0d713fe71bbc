"""Bulk certificate issuing vs one plain WeasyPrint call per certificate.

Same run, same machine, same certificates: a scratch SQLite database gets an
activity with N completed claims (learners with their own names) and a certificate
template with a logo and a signature image. Then, each in its own process so that
peak memory is its own:

- baseline: the same 500 certificates' HTML, each rendered by a plain
  `weasyprint.HTML(...).write_pdf()` call (building the HTML is not timed);
- bulk: `certificates.services.issue_certificates` for the 500 claims, timed end to
  end (snapshots, the activity's sheet laid out once, the learners' lines laid out
  together, one tagged PDF per certificate composed with pikepdf, QR codes,
  SHA-256, storage, database rows, the email sweep queued);
- memory: the same bulk issuing for 5,000 claims, reporting peak RSS.

Target: bulk at least 8x faster than the baseline; peak memory under 600 MB for 5,000.

.venv/bin/python bench/bench_certificates_bulk.py [--count 500] [--memory-count 5000]
"""

import argparse
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = str(ROOT / ".venv/bin/python")


def _django(env_dir: str) -> None:
    os.environ.update(_env(env_dir))
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


def _env(env_dir: str) -> dict:
    return {
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "VAR_DIR": env_dir,
        "MEDIA_ROOT": str(Path(env_dir) / "media"),
        "DATABASE_URL": "",
        "DEBUG": "1",
        "LOG_LEVEL": "WARNING",
    }


def _png(colour: tuple[int, int, int], size: tuple[int, int]) -> bytes:
    import io

    from PIL import Image, ImageDraw

    image = Image.new("RGB", size, "white")
    draw = ImageDraw.Draw(image)
    for offset in range(0, size[0], 12):
        draw.line([(offset, 0), (size[0] - offset, size[1])], fill=colour, width=3)
    buffer = io.BytesIO()
    image.save(buffer, "PNG")
    return buffer.getvalue()


def default_template_with_images(name: str) -> None:
    """The default certificate template, with a logo and a signature, as a
    hospital's would have (the images are what makes each PDF heavy)."""
    from django.core.files.base import ContentFile
    from wagtail.images.models import Image

    from certificates.models import CertificateTemplate

    images = []
    for title, colour, size in [
        ("Logo", (29, 78, 137), (600, 200)),
        ("Signature", (20, 20, 20), (500, 150)),
    ]:
        image = Image(title=title)
        image.file.save(f"{title}.png", ContentFile(_png(colour, size)), save=False)
        image.width, image.height = size
        image.save()
        images.append(image)
    CertificateTemplate.objects.update(is_default=False)
    CertificateTemplate.objects.create(
        name=name,
        is_default=True,
        signatory_name="Dr Signatory",
        signatory_title="Director of CME",
        logo=images[0],
        signature=images[1],
    )


def setup(count: int) -> None:
    from tests.courses.factories import activity as make_activity
    from tests.courses.factories import completed_claims

    activity = make_activity("Bulk issuing benchmark", slug="bulk-bench", lectures=0)
    default_template_with_images("Benchmark")
    completed_claims(activity, count, prefix="learner")


def _claims(count: int):
    from courses.models import CreditClaim

    return list(
        CreditClaim.objects.select_related(
            "enrolment__learner", "enrolment__activity"
        ).order_by("pk")[:count]
    )


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def baseline(count: int) -> dict:
    from weasyprint import CSS, HTML

    from certificates import services
    from certificates.codes import new_code
    from certificates.pdf import documents, layout
    from certificates.snapshots import build_snapshot

    template = services.default_template()
    stylesheet = documents.certificate_stylesheet(template)
    pages = [
        documents.full_certificate(
            snapshot=build_snapshot(
                claim=claim, name=claim.learner.full_name, template=template
            ),
            code=new_code(),
            template=template,
        )
        for claim in _claims(count)
    ]
    started = time.perf_counter()
    sizes = 0
    for body, generated in pages:
        data = HTML(
            string=layout.document_html(bodies=[body], title="Certificate"),
            base_url=layout.ASSET_ORIGIN,
            url_fetcher=layout.AssetFetcher(generated),
        ).write_pdf(
            stylesheets=[CSS(string=stylesheet, base_url=layout.ASSET_ORIGIN)],
            pdf_tags=True,
        )
        sizes += len(data)
    seconds = time.perf_counter() - started
    return {"seconds": seconds, "peak_mb": _peak_mb(), "bytes": sizes}


def bulk(count: int) -> dict:
    from certificates import services
    from certificates.models import Certificate

    claims = _claims(count)
    started = time.perf_counter()
    outcome = services.issue_certificates(claims=claims)
    seconds = time.perf_counter() - started
    if len(outcome.issued) != count:
        raise SystemExit(f"bulk issued {len(outcome.issued)} of {count}")
    sizes = sum(c.pdf.size for c in Certificate.objects.all()[:count])
    return {"seconds": seconds, "peak_mb": _peak_mb(), "bytes": sizes}


def _phase(env_dir: str, phase: str, count: int) -> dict:
    result = subprocess.run(
        [PYTHON, __file__, "--phase", phase, "--count", str(count), "--dir", env_dir],
        cwd=ROOT,
        env={**os.environ, **_env(env_dir)},
        capture_output=True,
        text=True,
        check=False,
        timeout=3600,
    )
    if result.returncode != 0:
        raise SystemExit(f"{phase} failed:\n{result.stderr[-3000:]}")
    return json.loads(result.stdout.strip().splitlines()[-1])


def _fresh_database(count: int) -> str:
    env_dir = tempfile.mkdtemp(prefix="bench-certificates-")
    cache = os.environ.get("BENCH_CACHE_DIR")
    migrated = Path(cache, "migrated", "telecampus.sqlite3") if cache else None
    if migrated and migrated.exists():  # run_all.py --quick migrated one already
        shutil.copy(migrated, Path(env_dir) / "telecampus.sqlite3")
    subprocess.run(
        [PYTHON, "manage.py", "migrate", "--noinput", "-v", "0"],
        cwd=ROOT,
        env={**os.environ, **_env(env_dir)},
        check=True,
        timeout=900,
    )
    _phase(env_dir, "setup", count)
    return env_dir


def main() -> int:
    # BENCH_QUICK=1 (CI): a handful of certificates, only to prove it still runs.
    quick = os.environ.get("BENCH_QUICK") == "1"
    parser = argparse.ArgumentParser()
    parser.add_argument("--count", type=int, default=5 if quick else 500)
    parser.add_argument("--memory-count", type=int, default=0 if quick else 5000)
    parser.add_argument("--phase")
    parser.add_argument("--dir")
    args = parser.parse_args()
    if args.phase:
        _django(args.dir)
        work = {"setup": setup, "baseline": baseline, "bulk": bulk}[args.phase]
        print(json.dumps(work(args.count) or {}))
        return 0

    env_dir = _fresh_database(args.count)
    plain = _phase(env_dir, "baseline", args.count)
    batched = _phase(env_dir, "bulk", args.count)
    ratio = plain["seconds"] / batched["seconds"]
    print(
        f"baseline: {args.count} plain WeasyPrint calls in {plain['seconds']:.1f} s "
        f"({1000 * plain['seconds'] / args.count:.1f} ms each), "
        f"peak {plain['peak_mb']:.0f} MB"
    )
    print(
        f"bulk: issued {args.count} certificates in {batched['seconds']:.1f} s "
        f"({1000 * batched['seconds'] / args.count:.1f} ms each), "
        f"peak {batched['peak_mb']:.0f} MB, "
        f"{batched['bytes'] / args.count / 1024:.0f} KB per PDF "
        f"(plain: {plain['bytes'] / args.count / 1024:.0f} KB)"
    )
    print(f"RATIO certificates_bulk_issue: {ratio:.2f}")
    if args.memory_count:
        big_dir = _fresh_database(args.memory_count)
        big = _phase(big_dir, "bulk", args.memory_count)
        print(
            f"memory: issued {args.memory_count} certificates in "
            f"{big['seconds']:.1f} s, peak {big['peak_mb']:.0f} MB"
        )
        print(
            f"PEAK_MB certificates_bulk_issue_{args.memory_count}: {big['peak_mb']:.0f}"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
