import datetime

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from wagtail.models import GroupPagePermission, Workflow, WorkflowPage, WorkflowState
from wagtail.test.utils.form_data import (
    nested_form_data,
    querydict_from_html,
    rich_text,
    streamfield,
)

from cms.models import ArticlePage
from cms.setup import WORKFLOW_NAME, run_setup
from tests.cms.factories import PARAGRAPH, make_article, make_topic

pytestmark = pytest.mark.django_db


def _edit_form(client, page) -> dict:
    """The edit form as the browser would post it (StreamField data is built by
    the page's JavaScript, so it is rebuilt here)."""
    response = client.get(reverse("wagtailadmin_pages:edit", args=[page.pk]))
    assert response.status_code == 200
    data = querydict_from_html(response.content.decode(), form_id="page-edit-form")
    data.update(
        nested_form_data({"body": streamfield([("paragraph", rich_text(PARAGRAPH))])})
    )
    return data


def _submit_as(client, editor, page, **changes):
    client.force_login(editor)
    data = _edit_form(client, page)
    data.update(changes)
    data["action-submit"] = "Submit to Clinical review"
    return client.post(reverse("wagtailadmin_pages:edit", args=[page.pk]), data)


def _approve_as(client, reviewer, page):
    client.force_login(reviewer)
    state = WorkflowState.objects.get(object_id=str(page.pk), status="in_progress")
    task_state = state.current_task_state
    return client.post(
        reverse(
            "wagtailadmin_pages:workflow_action",
            args=[page.pk, "approve", task_state.pk],
        ),
        {"comment": "Clinically accurate."},
    )


def test_every_topic_is_under_clinical_review():
    topic = make_topic()
    workflow = Workflow.objects.get(name=WORKFLOW_NAME)
    assert WorkflowPage.objects.get(page=topic).workflow == workflow
    article = make_article(topic=topic)
    assert article.get_workflow() == workflow
    task = workflow.tasks.get().specific
    assert list(task.groups.values_list("name", flat=True)) == ["clinical_reviewer"]


def test_setup_is_idempotent():
    topic = make_topic()
    run_setup()
    run_setup()
    assert Workflow.objects.filter(name=WORKFLOW_NAME).count() == 1
    assert WorkflowPage.objects.filter(page=topic).count() == 1

    def codenames(group: str) -> list[str]:
        return sorted(
            GroupPagePermission.objects.filter(
                page=topic, group__name=group
            ).values_list("permission__codename", flat=True)
        )

    # Editors may draft but never publish; approval publishes as the reviewer.
    assert codenames("editor") == ["add_page", "change_page"]
    assert codenames("clinical_reviewer") == ["change_page", "publish_page"]


def test_editor_cannot_publish_directly(client, editor):
    article = make_article(topic=make_topic(), live=False, title="Draft")
    client.force_login(editor)
    data = _edit_form(client, article)
    data["action-publish"] = "Publish"
    client.post(reverse("wagtailadmin_pages:edit", args=[article.pk]), data)
    article.refresh_from_db()
    assert not article.live
    response = client.get(reverse("wagtailadmin_pages:edit", args=[article.pk]))
    assert 'name="action-publish"' not in response.content.decode()
    assert 'name="action-submit"' in response.content.decode()


def test_editor_submits_and_reviewer_approval_publishes(client, editor, reviewer):
    article = make_article(topic=make_topic(), live=False, title="Sun safety")
    response = _submit_as(client, editor, article, title="Sun safety for families")
    assert response.status_code == 302
    article.refresh_from_db()
    assert not article.live
    assert article.current_workflow_state.status == WorkflowState.STATUS_IN_PROGRESS
    assert client.get(article.url or "/sun-safety/").status_code == 404

    response = _approve_as(client, reviewer, article)
    assert response.status_code == 302
    assert response["Location"] == reverse("wagtailadmin_pages:edit", args=[article.pk])
    article.refresh_from_db()
    assert article.live
    assert article.title == "Sun safety for families"
    assert article.live_revision.user == editor


def test_other_staff_cannot_approve(client, editor, coordinator):
    article = make_article(topic=make_topic(), live=False)
    _submit_as(client, editor, article)
    response = _approve_as(client, coordinator, article)
    assert response.status_code in (302, 403)
    article.refresh_from_db()
    assert not article.live


def test_scheduled_publishing_after_approval(client, editor, reviewer, time_machine):
    article = make_article(topic=make_topic(), live=False)
    go_live = timezone.now() + datetime.timedelta(days=2)
    _submit_as(
        client,
        editor,
        article,
        go_live_at=timezone.localtime(go_live).strftime("%Y-%m-%d %H:%M"),
    )
    _approve_as(client, reviewer, article)
    article.refresh_from_db()
    assert not article.live
    time_machine.move_to(go_live + datetime.timedelta(minutes=5))
    call_command("publish_scheduled", verbosity=0)
    assert ArticlePage.objects.get(pk=article.pk).live


def test_reviewer_has_no_plain_publish_that_skips_clinical_review(client, reviewer):
    article = make_article(topic=make_topic(), live=False, title="Draft")
    client.force_login(reviewer)
    edit_url = reverse("wagtailadmin_pages:edit", args=[article.pk])
    page = client.get(edit_url).content.decode()
    assert 'name="action-publish"' not in page
    assert 'name="action-submit"' in page

    data = _edit_form(client, article)
    data["action-publish"] = "Publish"
    response = client.post(edit_url, data, follow=True)
    shown = [str(message) for message in response.context["messages"]]
    assert any("published when a clinical reviewer approves them" in m for m in shown)
    article.refresh_from_db()
    assert not article.live


def test_reviewer_cannot_publish_a_new_article_directly(client, reviewer):
    topic = make_topic()
    client.force_login(reviewer)
    add_url = reverse("wagtailadmin_pages:add", args=["cms", "articlepage", topic.pk])
    assert 'name="action-publish"' not in client.get(add_url).content.decode()
    response = client.post(add_url, {"title": "Sneaky", "action-publish": "1"})
    assert response.status_code == 302
    assert not ArticlePage.objects.filter(title="Sneaky").exists()


def test_site_administrator_may_still_publish_directly(client, site_admin):
    article = make_article(topic=make_topic(), live=False, title="Urgent fix")
    client.force_login(site_admin)
    edit_url = reverse("wagtailadmin_pages:edit", args=[article.pk])
    assert 'name="action-publish"' in client.get(edit_url).content.decode()
    data = _edit_form(client, article)
    data["action-publish"] = "Publish"
    client.post(edit_url, data)
    article.refresh_from_db()
    assert article.live


def test_approving_in_the_editor_says_approved_and_published(client, editor, reviewer):
    article = make_article(topic=make_topic(), live=False, title="Sun safety")
    _submit_as(client, editor, article)
    client.force_login(reviewer)
    data = _edit_form(client, article)
    data["action-workflow-action"] = "true"
    data["workflow-action-name"] = "approve"
    response = client.post(
        reverse("wagtailadmin_pages:edit", args=[article.pk]), data, follow=True
    )
    shown = [str(message) for message in response.context["messages"]]
    assert any("“Sun safety” has been approved and published." in m for m in shown)
    assert not any("has been updated" in m for m in shown)
    article.refresh_from_db()
    assert article.live
