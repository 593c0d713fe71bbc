"""Demo personas. seed_demo (ops) runs every app's demo.py in INSTALLED_APPS order."""

from dataclasses import dataclass, field

from django.conf import settings

from accounts.models import Profession, User
from accounts.roles import Role
from accounts.services import activate_totp, assign_roles, create_user, has_totp


@dataclass(frozen=True)
class Persona:
    username: str
    full_name: str
    roles: list[Role]
    time_zone: str = "America/New_York"
    profession: str = ""
    npi: str = ""
    extra: dict = field(default_factory=dict)


PERSONAS = [
    Persona(
        "admin",
        "Alex Admin",
        [Role.SITE_ADMINISTRATOR],
        extra={"is_superuser": True, "is_staff": True},
    ),
    Persona("editor", "Erin Editor", [Role.EDITOR], time_zone="America/Chicago"),
    Persona(
        "reviewer",
        "Rosa Reviewer, MD",
        [Role.CLINICAL_REVIEWER, Role.CLINICIAN],
        profession=Profession.PHYSICIAN,
        npi="1987654328",
    ),
    Persona(
        "coordinator",
        "Cole Coordinator",
        [Role.CME_COORDINATOR],
        time_zone="America/Denver",
    ),
    Persona("meetingadmin", "Maya Meetingadmin", [Role.MEETING_ADMINISTRATOR]),
    Persona(
        "clinician",
        "Dana Clinician, MD",
        [Role.CLINICIAN],
        profession=Profession.PHYSICIAN,
        npi="1234567893",
        extra={"birth_month": 4, "birth_day": 17},
    ),
    Persona(
        "nurse",
        "Noah Nurse, RN",
        [Role.CLINICIAN],
        time_zone="America/Los_Angeles",
        profession=Profession.NURSE,
    ),
    Persona(
        "specialist",
        "Sam Specialist, MD",
        [Role.SPECIALIST, Role.CLINICIAN],
        time_zone="Europe/London",
        profession=Profession.PHYSICIAN,
        npi="1543219871",
    ),
    Persona("patient", "Pat Patient", [Role.PATIENT], time_zone="America/Chicago"),
    Persona(
        "patient2", "Priya Patient", [Role.PATIENT], time_zone="America/Los_Angeles"
    ),
    Persona("auditor", "Avery Auditor", [Role.AUDITOR]),
]


def seed() -> list[str]:
    """Create the personas once; staff get TOTP with the documented demo secret."""
    created = []
    for persona in PERSONAS:
        user = User.objects.filter(username=persona.username).first()
        if user is None:
            user = create_user(
                username=persona.username,
                email=f"{persona.username}@telecampus.example",
                password=settings.DEMO_PASSWORD,
                full_name=persona.full_name,
                roles=persona.roles,
                email_verified=True,
                time_zone=persona.time_zone,
                profession=persona.profession,
                npi=persona.npi,
                **persona.extra,
            )
            created.append(persona.username)
        else:
            assign_roles(user=user, roles=persona.roles)
        if user.is_staff_role and not has_totp(user):
            activate_totp(user=user, secret=settings.DEMO_TOTP_SECRET)
    return [f"personas created: {', '.join(created) or 'none (already there)'}"]
