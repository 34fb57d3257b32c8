"""Visual snapshots of three reference bills (residential tiered with a year of history,
multi-family, commercial across a rate change), kept as PNGs with the run's results for a
person to look at, and checked here for what a picture can show: the pages are letter-sized,
not blank, the usage chart's bars are drawn in the accent colour, and the scanline band at the
bottom of the stub carries ink."""

from __future__ import annotations

from pathlib import Path

import pypdfium2 as pdfium
import pytest
from PIL import Image

from tests.artifacts import artifacts
from tests.billing import statement_district as demo
from tests.billing.test_statement import URL

ACCENT = (31, 78, 121)


@pytest.fixture
def sup2(auth):
    return auth("supervisor", "sue")


def results() -> Path:
    """The reference bills' pictures (tests/artifacts.py: kept for CI's artifacts)."""
    return artifacts("statements")


def snapshot(pdf: bytes, name: str) -> list[Image.Image]:
    doc = pdfium.PdfDocument(pdf)
    try:
        images = [doc[i].render(scale=100 / 72).to_pil().convert("RGB")
                  for i in range(len(doc))]
    finally:
        doc.close()
    for i, im in enumerate(images, 1):
        im.save(results() / f"{name}-page{i}.png")
    return images


def ink(im: Image.Image, box: tuple[int, int, int, int]) -> int:
    """Dark pixels in a box (grayscale below 128)."""
    return sum(1 for p in im.crop(box).convert("L").getdata() if p < 128)  # type: ignore[attr-defined]


def accent(im: Image.Image, box: tuple[int, int, int, int]) -> int:
    return sum(1 for p in im.crop(box).getdata() if p == ACCENT)  # type: ignore[attr-defined]


async def test_three_reference_bills_are_kept_as_pictures(
        client, feed, service_apps, bound, tech, sup, sup2):
    d = await demo.build(client, feed, service_apps, bound, tech, sup, sup2, months=13)
    assert len(d.res.bills) == 13
    for name, c in (("residential-tiered", d.res), ("multi-family", d.mfr),
                    ("commercial-rate-change", d.com)):
        r = await client.get(f"{URL}/{c.bills[-1]}.pdf", headers=tech)
        assert r.status_code == 200
        pages = snapshot(r.content, name)
        assert len(pages) == 2 and pages[0].size == (850, 1100)  # letter at 100 dpi
        front = pages[0]
        assert ink(front, (0, 1000, 500, 1045)) > 200, name  # the OCR-A scanline
        assert accent(front, (460, 400, 850, 680)) > 500, name  # chart bars and band
        assert ink(pages[1], (0, 0, 850, 400)) > 2000, name  # charges on the back
    residential = Image.open(results() / "residential-tiered-page1.png").convert("RGB")
    # 13 bars: runs of the bars' colours across the plot area, the last in the accent colour
    row = [residential.getpixel((x, 570)) for x in range(480, 850)]
    bar = [p in (ACCENT, (150, 170, 190)) for p in row]
    starts = [i for i in range(1, len(bar)) if bar[i] and not bar[i - 1]]
    assert len(starts) == 13
    assert row[starts[-1] + 2] == ACCENT and row[starts[0] + 2] != ACCENT
