from django.test import RequestFactory

from config.navigation import navigation


def labels_for(user):
    request = RequestFactory().get("/")
    request.user = user
    return [str(link["label"]) for link in navigation(request)["main_navigation"]]


def test_anonymous_visitors_see_public_links_only(db):
    from django.contrib.auth.models import AnonymousUser

    labels = labels_for(AnonymousUser())
    assert "CME activities" in labels
    assert "My visits" not in labels
    assert "My meetings" not in labels


def test_patients_see_their_visits_but_no_staff_links(patient):
    labels = labels_for(patient)
    assert "My visits" in labels
    assert "My meetings" not in labels
    assert "My CME" not in labels


def test_clinicians_see_cme_meetings_and_visits(clinician):
    labels = labels_for(clinician)
    assert {"My visits", "My CME", "My meetings", "My certificates"} <= set(labels)


def test_a_person_with_two_roles_sees_each_link_once(specialist):
    labels = labels_for(specialist)
    assert len(labels) == len(set(labels))
    assert labels[0] == "My work"
