"""Files live in the shared object storage (moto's S3 server here), not on a node."""

import os

import boto3
import pytest
import requests

from tests.cluster.conftest import NODE_URLS, signed_in_cookies

PDF = b"%PDF-1.4\n% cluster test document\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n"


@pytest.mark.usefixtures("cluster_db")
def test_a_document_uploaded_through_one_node_is_read_through_another_by_its_owner():
    from accounts.models import User
    from visits.models import Document

    patient = User.objects.get(username="patient")
    stranger = User.objects.get(username="patient2")
    owner_cookies = signed_in_cookies(patient)
    upload_url = f"{NODE_URLS['web1']}/visits/patients/{patient.uuid}/documents/"
    uploaded = requests.post(
        upload_url,
        data={
            "csrfmiddlewaretoken": owner_cookies["csrftoken"],
            "title": "Cluster test letter",
        },
        files={"file": ("letter.pdf", PDF, "application/pdf")},
        cookies=owner_cookies,
        headers={"Referer": upload_url},
        allow_redirects=False,
        timeout=30,
    )
    assert uploaded.status_code == 302, uploaded.text[:500]
    document = Document.objects.filter(
        patient=patient, title="Cluster test letter"
    ).latest("created_at")

    # Stored in the bucket (read with boto3, not through our storage class).
    s3 = boto3.client(
        "s3",
        endpoint_url=os.environ["AWS_S3_ENDPOINT_URL"],
        region_name=os.environ["AWS_S3_REGION_NAME"],
    )
    stored = s3.get_object(
        Bucket=os.environ["AWS_STORAGE_BUCKET_NAME"], Key=document.file.name
    )
    assert stored["Body"].read() == PDF

    path = f"/visits/documents/{document.uuid}/"
    for name in ("web2", "web3"):
        read = requests.get(NODE_URLS[name] + path, cookies=owner_cookies, timeout=30)
        assert read.status_code == 200, f"{name}: {read.status_code}"
        assert read.content == PDF
        refused = requests.get(
            NODE_URLS[name] + path, cookies=signed_in_cookies(stranger), timeout=30
        )
        assert refused.status_code == 404, f"{name} showed it to another patient"
