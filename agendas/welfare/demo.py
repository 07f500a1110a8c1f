"""Demo figures for the monitor: inhabitants and monitor area of the demo regions, and the clearly labelled
FICTITIOUS monitor file (``demo/DEMO_monitor_brede_welvaart_FICTIEF.csv`` — not CBS data). Idempotent."""

from __future__ import annotations

from pathlib import Path

from accounts.models import Region
from agendas.welfare import services
from agendas.welfare.models import MonitorArea, MonitorValue

DEMO_FILE = Path(__file__).parent / "demo" / "DEMO_monitor_brede_welvaart_FICTIEF.csv"

# region code → (COROP area, inhabitants: rounded demo values, not official figures)
DEMO_REGIONS = {
    "noord-oost-groningen": ("CR01", 230_000),
    "zuid-oost-drenthe": ("CR08", 180_000),
    "zuid-limburg": ("CR39", 600_000),
    "midden-limburg": ("CR38", 240_000),
    "noord-limburg": ("CR37", 290_000),
    "zeeuws-vlaanderen": ("CR31", 105_000),
    "kop-van-noord-holland": ("CR18", 190_000),
    "achterhoek": ("CR14", 300_000),
    "zuidoost-noord-fryslan": ("CR06", 230_000),
    "twente": ("CR12", 640_000),
    "caribisch-nederland": (None, 31_000),
}


def load_demo_monitor() -> bool:
    """Link the demo regions to their area, give them inhabitants, import the demo file once. True if imported."""
    for region in Region.objects.filter(code__in=DEMO_REGIONS):
        area_code, inhabitants = DEMO_REGIONS[region.code]
        if region.inhabitants is None:
            region.inhabitants = inhabitants
            region.save(update_fields=["inhabitants"])
        if area_code and not MonitorArea.objects.filter(region=region).exists():
            area = MonitorArea.objects.filter(code=area_code, region__isnull=True).first()
            if area is not None:
                area.region = region
                area.save(update_fields=["region"])
    if MonitorValue.objects.exists():
        return False
    record = services.monitor_import_create(data=DEMO_FILE.read_bytes(), filename=DEMO_FILE.name, actor=None)
    return services.monitor_import_run(import_id=record.pk).status == record.Status.DONE
