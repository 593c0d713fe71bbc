"""A certificate a worker issues is stored in the shared bucket, so every node
serves it."""

import io
import time

import pypdf
import pytest
import requests

from tests.cluster.conftest import NODE_URLS, signed_in_cookies


@pytest.mark.usefixtures("cluster_db")
def test_a_certificate_issued_by_a_worker_downloads_through_every_node():
    import uuid

    from django_q.tasks import async_task, fetch

    from accounts.roles import Role
    from accounts.services import create_user
    from certificates.models import Certificate
    from tests.certificates.factories import claim

    learner = create_user(
        username=f"learner-{uuid.uuid4().hex[:6]}",
        email=f"learner-{uuid.uuid4().hex[:6]}@example.org",
        password=None,
        full_name="Lena Learner",
        roles=[Role.CLINICIAN],
        email_verified=True,
    )
    task_id = async_task(
        "certificates.tasks.issue_certificate_task",
        str(claim(learner).uuid),
        sync=False,
    )
    deadline = time.monotonic() + 90
    while (task := fetch(task_id)) is None:
        assert time.monotonic() < deadline, "no worker issued the certificate"
        time.sleep(0.5)
    assert task.success, task.result
    certificate = Certificate.objects.get(uuid=task.result)

    cookies = signed_in_cookies(learner)
    bodies = set()
    for name, base in NODE_URLS.items():
        response = requests.get(
            f"{base}/certificates/{certificate.uuid}/certificate.pdf",
            cookies=cookies,
            allow_redirects=False,
            timeout=30,
        )
        assert response.status_code == 200, f"{name}: {response.status_code}"
        bodies.add(response.content)
    assert len(bodies) == 1, "nodes served different files"
    pdf = pypdf.PdfReader(io.BytesIO(bodies.pop()))
    assert "Lena Learner" in pdf.pages[0].extract_text()
