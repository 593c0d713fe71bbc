"""Idempotent site set-up run after every migrate (see CmsConfig.ready).

Creates the content locales, the Spanish home page, the "Clinical review" workflow
and its task for the clinical_reviewer group, editors' page permissions on every
health topic, and the periodic task schedules.
"""

from django.conf import settings
from django.contrib.auth.models import Group, Permission
from django.db import transaction
from wagtail.models import (
    GroupApprovalTask,
    GroupPagePermission,
    Locale,
    Workflow,
    WorkflowPage,
    WorkflowTask,
)

from accounts.services import Role
from cms.models import HomePage, TopicIndexPage

WORKFLOW_NAME = "Clinical review"
TASK_NAME = "Clinical reviewer approval"
# Editors draft and submit. Publishing happens when a reviewer approves, and Wagtail
# publishes as the approver, so reviewers hold the publish permission.
PAGE_PERMISSIONS = {
    Role.EDITOR: ("add_page", "change_page"),
    Role.CLINICAL_REVIEWER: ("change_page", "publish_page"),
}
REVIEW_REMINDER_SCHEDULE = "cms review reminders"
PUBLISH_SCHEDULED_SCHEDULE = "cms scheduled publishing"

SPANISH_HOME_INTRO = (
    "<p>Información de salud confiable revisada por profesionales clínicos, "
    "educación médica continua y visitas por video con su equipo de atención.</p>"
)


@transaction.atomic
def run_setup() -> None:
    ensure_locales()
    ensure_home_translations()
    workflow = ensure_clinical_review_workflow()
    for topic in TopicIndexPage.objects.all():
        protect_topic(topic=topic, workflow=workflow)


def ensure_locales() -> None:
    for code, _name in settings.WAGTAIL_CONTENT_LANGUAGES:
        Locale.objects.get_or_create(language_code=code)


def ensure_home_translations() -> None:
    default_locale = Locale.get_default()
    for home in HomePage.objects.filter(locale=default_locale):
        for locale in Locale.objects.exclude(pk=default_locale.pk):
            if home.get_translation_or_none(locale) is not None:
                continue
            translated = home.copy_for_translation(locale)
            if locale.language_code == "es":
                translated.intro = SPANISH_HOME_INTRO
            translated.save_revision().publish()


def ensure_clinical_review_workflow() -> Workflow:
    reviewers, _ = Group.objects.get_or_create(name=Role.CLINICAL_REVIEWER.value)
    workflow, _ = Workflow.objects.get_or_create(
        name=WORKFLOW_NAME, defaults={"active": True}
    )
    task = GroupApprovalTask.objects.filter(name=TASK_NAME).first()
    if task is None:
        task = GroupApprovalTask.objects.create(name=TASK_NAME)
    task.groups.add(reviewers)
    WorkflowTask.objects.get_or_create(
        workflow=workflow, task=task, defaults={"sort_order": 0}
    )
    return workflow


def protect_topic(*, topic, workflow: Workflow | None = None) -> None:
    """Put a topic (and so its articles) under clinical review; editors may draft
    there, reviewers approve."""
    workflow = workflow or ensure_clinical_review_workflow()
    WorkflowPage.objects.get_or_create(page=topic, defaults={"workflow": workflow})
    for role, codenames in PAGE_PERMISSIONS.items():
        group, _ = Group.objects.get_or_create(name=role.value)
        for codename in codenames:
            permission = Permission.objects.get(
                content_type__app_label="wagtailcore", codename=codename
            )
            GroupPagePermission.objects.get_or_create(
                group=group, page=topic, permission=permission
            )
