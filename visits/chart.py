"""A server-rendered SVG trend chart of blood pressure and heart rate readings.

Only numbers and fixed labels go into the SVG; it has no scripts or links.
"""

from xml.sax.saxutils import escape

WIDTH, HEIGHT, PAD = 640, 260, 40
SERIES = [
    ("systolic", "#a4161a", "Systolic mm[Hg]"),
    ("diastolic", "#0b5a7a", "Diastolic mm[Hg]"),
    ("heart_rate", "#1e6b32", "Heart rate /min"),
]


def readings_svg(readings: list, *, title: str) -> str:
    points = [r for r in readings if r.measured_at is not None]
    lines = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {HEIGHT}" '
        f'width="{WIDTH}" height="{HEIGHT}" role="img" aria-labelledby="t">',
        f'<title id="t">{escape(title)}</title>',
        f'<rect x="0" y="0" width="{WIDTH}" height="{HEIGHT}" fill="#ffffff"/>',
    ]
    if not points:
        lines.append(
            f'<text x="{PAD}" y="{HEIGHT // 2}" font-size="14" fill="#1b1f24">'
            "No readings yet.</text></svg>"
        )
        return "".join(lines)
    low, high = 30, 220
    first = points[0].measured_at.timestamp()
    span = max(points[-1].measured_at.timestamp() - first, 1)

    def xy(reading, value):
        x = PAD + (reading.measured_at.timestamp() - first) / span * (WIDTH - 2 * PAD)
        y = HEIGHT - PAD - (value - low) / (high - low) * (HEIGHT - 2 * PAD)
        return f"{x:.1f},{y:.1f}"

    for value in (60, 90, 120, 140, 180):
        y = HEIGHT - PAD - (value - low) / (high - low) * (HEIGHT - 2 * PAD)
        lines.append(
            f'<line x1="{PAD}" x2="{WIDTH - PAD}" y1="{y:.1f}" y2="{y:.1f}" '
            'stroke="#d5dde3"/>'
            f'<text x="4" y="{y + 4:.1f}" font-size="11" fill="#4a5561">{value}</text>'
        )
    for index, (field, colour, label) in enumerate(SERIES):
        coords = [
            xy(r, getattr(r, field)) for r in points if getattr(r, field) is not None
        ]
        if coords:
            lines.append(
                f'<polyline fill="none" stroke="{colour}" stroke-width="2" '
                f'points="{" ".join(coords)}"/>'
            )
        lines.append(
            f'<text x="{PAD + index * 190}" y="18" font-size="12" fill="{colour}">'
            f"{escape(label)}</text>"
        )
    lines.append("</svg>")
    return "".join(lines)
