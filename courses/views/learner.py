from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from courses.selectors import catalogue_activities


def catalogue(request):
    return render(
        request, "courses/catalogue.html", {"activities": catalogue_activities()}
    )


@login_required
def dashboard(request):
    return render(request, "courses/dashboard.html", {})
