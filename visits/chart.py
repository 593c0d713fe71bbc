"""The home-readings trend: an SVG drawn by matplotlib, and the table beside it.

Used by the patient's readings page and by any staff page about one patient:

    context["chart"] = build_readings_chart(patient=person, viewer_zone=zone)
    {% include "visits/includes/readings_chart.html" with chart=chart %}

The include shows the image (served, audited, by views.monitoring.readings_chart)
and an accessible table of the same readings. Only numbers and fixed labels go
into the SVG; matplotlib writes no scripts or links, and text stays text.
"""

import io
from dataclasses import dataclass
from datetime import datetime

import matplotlib
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from matplotlib.backends.backend_svg import FigureCanvasSVG
from matplotlib.dates import AutoDateLocator, ConciseDateFormatter
from matplotlib.figure import Figure
from matplotlib.patches import Patch

from accounts.services import zone_of
from visits.models import Reading, Threshold
from visits.services.monitoring import (
    CLOCK_SKEW,
    CRISIS_SYSTOLIC,
    EARLIEST_READING,
    describe_reading,
)

# How much of the history the picture and the table show.
CHART_READINGS = 500
TABLE_READINGS = 20

SYSTOLIC_COLOUR = "#a4161a"
DIASTOLIC_COLOUR = "#0b5a7a"
HEART_RATE_COLOUR = "#1e6b32"
OVER_LIMIT_BAND = "#f6d8a8"
CRISIS_BAND = "#f3b7b7"
USUAL_RANGE_BAND = "#d6ecd9"

_STYLE = {
    "svg.fonttype": "none",  # text stays text: smaller, searchable, readable
    "svg.hashsalt": "telecampus-readings",  # stable element ids between renders
    "font.family": "sans-serif",
    "font.size": 11,
    "axes.spines.top": False,
    "axes.spines.right": False,
}
# Set once for the process: rc_context per request would restore the defaults
# under a concurrent render in another thread. Nothing else here draws with it.
matplotlib.rcParams.update(_STYLE)


@dataclass(frozen=True)
class ChartRow:
    measured_at: datetime
    kind: str
    value: str
    over_limit: bool


def _shown_readings(patient):
    # Rows stored before the plausibility check (year 1 or year 9999, say) cannot
    # be converted to every zone and would squash the time axis; leaving them out
    # keeps the page up. The upper bound is the one the check itself allows.
    return Reading.objects.filter(
        patient=patient,
        measured_at__gte=EARLIEST_READING,
        measured_at__lte=timezone.now() + CLOCK_SKEW,
    )


def _limits(patient) -> Threshold:
    return Threshold.objects.filter(patient=patient).first() or Threshold()


def _over_limit(reading: Reading, limits: Threshold) -> bool:
    if reading.kind == Reading.Kind.BLOOD_PRESSURE:
        return (
            reading.systolic > limits.systolic_max
            or reading.diastolic > limits.diastolic_max
        )
    return not limits.heart_rate_min <= reading.heart_rate <= limits.heart_rate_max


def build_readings_chart(*, patient, viewer_zone) -> dict:
    """What the include needs: the image address and the newest readings as rows.

    The caller has already authorised (and audited) the look at this patient."""
    limits = _limits(patient)
    newest = _shown_readings(patient).order_by("-measured_at")[:TABLE_READINGS]
    return {
        "url": reverse("visits:readings_chart", args=[patient.uuid]),
        "zone": zone_of(viewer_zone).key,
        "limits": limits,
        "rows": [
            ChartRow(
                measured_at=reading.measured_at,
                kind=reading.get_kind_display(),
                value=describe_reading(reading),
                over_limit=_over_limit(reading, limits),
            )
            for reading in newest
        ],
    }


def chart_readings(patient) -> list[Reading]:
    """The newest readings the picture draws, oldest first."""
    newest = _shown_readings(patient).order_by("-measured_at")[:CHART_READINGS]
    return sorted(newest, key=lambda reading: reading.measured_at)


def _padded(values: list[int], low: int, high: int) -> tuple[float, float]:
    """Axis limits that hold every value with room to spare: a spike stays inside."""
    if values:
        low, high = min(low, min(values)), max(high, max(values))
    margin = (high - low) * 0.08
    return low - margin, high + margin


def _date_axis(axis, zone) -> None:
    locator = AutoDateLocator(tz=zone, minticks=3, maxticks=7)
    axis.xaxis.set_major_locator(locator)
    axis.xaxis.set_major_formatter(ConciseDateFormatter(locator, tz=zone))


def _blood_pressure(axis, readings: list[Reading], limits: Threshold) -> list:
    pressure = [r for r in readings if r.kind == Reading.Kind.BLOOD_PRESSURE]
    values = [r.systolic for r in pressure] + [r.diastolic for r in pressure]
    bottom, top = _padded(values, 50, 190)
    axis.set_ylim(bottom, top)
    axis.axhspan(
        limits.systolic_max,
        max(limits.systolic_max, CRISIS_SYSTOLIC),
        color=OVER_LIMIT_BAND,
    )
    axis.axhspan(CRISIS_SYSTOLIC, top, color=CRISIS_BAND)
    times = [r.measured_at for r in pressure]
    axis.plot(
        times,
        [r.systolic for r in pressure],
        color=SYSTOLIC_COLOUR,
        marker="o",
        markersize=3,
        label=_("Systolic (mm Hg)"),
        gid="systolic",
    )
    axis.plot(
        times,
        [r.diastolic for r in pressure],
        color=DIASTOLIC_COLOUR,
        marker="s",
        markersize=3,
        label=_("Diastolic (mm Hg)"),
        gid="diastolic",
    )
    axis.axhline(
        limits.diastolic_max,
        color=DIASTOLIC_COLOUR,
        linestyle=":",
        linewidth=1.2,
        label=_("Diastolic limit of %(limit)d") % {"limit": limits.diastolic_max},
    )
    axis.set_title(_("Blood pressure (mm Hg)"), loc="left", fontsize=11)
    if not pressure:
        axis.text(
            0.5,
            0.5,
            _("No blood pressure readings yet."),
            ha="center",
            transform=axis.transAxes,
        )
    handles, _labels = axis.get_legend_handles_labels()
    handles += [
        Patch(
            color=OVER_LIMIT_BAND,
            label=_("Above the systolic limit of %(limit)d")
            % {"limit": limits.systolic_max},
        ),
        Patch(
            color=CRISIS_BAND,
            label=_("Crisis range, above %(limit)d") % {"limit": CRISIS_SYSTOLIC},
        ),
    ]
    return handles


def _heart_rate(axis, readings: list[Reading], limits: Threshold) -> list:
    rates = [r for r in readings if r.kind == Reading.Kind.HEART_RATE]
    values = [r.heart_rate for r in rates]
    axis.set_ylim(*_padded(values, 40, 120))
    axis.axhspan(limits.heart_rate_min, limits.heart_rate_max, color=USUAL_RANGE_BAND)
    axis.plot(
        [r.measured_at for r in rates],
        values,
        color=HEART_RATE_COLOUR,
        marker="^",
        markersize=3,
        label=_("Heart rate (beats per minute)"),
        gid="heart-rate",
    )
    axis.set_title(_("Heart rate (beats per minute)"), loc="left", fontsize=11)
    if not rates:
        axis.text(
            0.5,
            0.5,
            _("No heart rate readings yet."),
            ha="center",
            transform=axis.transAxes,
        )
    handles, _labels = axis.get_legend_handles_labels()
    handles.append(
        Patch(
            color=USUAL_RANGE_BAND,
            label=_("Heart-rate range, %(low)d to %(high)d")
            % {"low": limits.heart_rate_min, "high": limits.heart_rate_max},
        )
    )
    return handles


# Inches: the wide picture for screens from tablets up, the narrow one for phones
# (the include picks it with <picture>), so text stays readable at 390 px.
WIDE = (6.4, 6.2)
NARROW = (4.0, 6.6)


def readings_svg(*, patient, viewer_zone, title: str, narrow: bool = False) -> str:
    """Two panels on one date axis in the viewer's zone: pressure, then heart rate."""
    zone = zone_of(viewer_zone)
    readings = chart_readings(patient)
    limits = _limits(patient)
    figure = Figure(figsize=NARROW if narrow else WIDE, layout="constrained")
    FigureCanvasSVG(figure)
    pressure_axis, rate_axis = figure.subplots(2, 1, sharex=True, height_ratios=[3, 2])
    handles = _blood_pressure(pressure_axis, readings, limits)
    handles += _heart_rate(rate_axis, readings, limits)
    figure.legend(
        handles=handles,
        loc="outside lower center",
        ncols=1 if narrow else 2,
        frameon=False,
    )
    # Named parts, so tests (and stylesheets) can find the plot areas.
    pressure_axis.patch.set_gid("blood-pressure-area")
    rate_axis.patch.set_gid("heart-rate-area")
    for axis in (pressure_axis, rate_axis):
        axis.grid(axis="y", color="#d5dde3", linewidth=0.6)
        axis.set_axisbelow(True)
    if readings:
        _date_axis(rate_axis, zone)
    else:
        rate_axis.set_xticks([])  # no dates to show, and no bare numbers
    # On the left: the date offset ("2026-Dec") sits on the right.
    rate_axis.set_xlabel(_("Date and time (%(zone)s)") % {"zone": zone.key}, loc="left")
    # The page's heading names the chart; the file keeps its title as metadata.
    out = io.StringIO()
    figure.savefig(out, format="svg", metadata={"Date": None, "Title": title})
    return out.getvalue()
