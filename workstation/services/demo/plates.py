"""Reserved licence plates (Wunschkennzeichen) of other citizens and dealers in every status."""

from datetime import timedelta

from workstation.models import ReservedPlate
from workstation.models.enums import PlateStatus
from workstation.services.demo.context import DemoBuild
from workstation.services.demo.vanessa import VANESSA_PLATE

# (status, how many, reserved this many days ago (from, to))
PLATE_MIX: tuple[tuple[PlateStatus, int, tuple[int, int]], ...] = (
    (PlateStatus.RESERVED, 24, (1, 80)),
    (PlateStatus.ASSIGNED, 60, (5, 360)),
    (PlateStatus.EXPIRED, 14, (95, 300)),
    (PlateStatus.RELEASED, 6, (10, 200)),
)
PLATE_HOLD_DAYS = 90
DEALER_SHARE = 0.2
_LETTERS = "ABCDEFGHJKLMNPRSTUVWXYZ"
_PART_PLATES = 6


def build_plates(build: DemoBuild) -> None:
    """About a hundred plates; those still reserved expire within the next three months."""
    rng = build.rng(_PART_PLATES)
    taken = {VANESSA_PLATE}
    rows = []
    for status, count, (lo, hi) in PLATE_MIX:
        for _ in range(count):
            while True:
                letters = "".join(rng.choice(list(_LETTERS), size=int(rng.integers(1, 3))))
                plate = f"OF-{letters}-{int(rng.integers(1, 9999))}"
                if plate not in taken:
                    break
            taken.add(plate)
            reserved = build.now - timedelta(days=int(rng.integers(lo, hi)), minutes=int(rng.integers(0, 600)))
            by_dealer = rng.random() < DEALER_SHARE
            rows.append({
                "office_id": build.office_id, "plate": plate,
                "citizen_id": None if by_dealer else int(build.citizen_ids[rng.integers(len(build.citizen_ids))]),
                "dealer_id": build.dealer_ids[rng.integers(len(build.dealer_ids))] if by_dealer else None,
                "status": str(status), "reserved_at": reserved,
                "expires_at": reserved + timedelta(days=PLATE_HOLD_DAYS),
                "assigned_at": (reserved + timedelta(days=float(rng.uniform(1, 4))))
                if status == PlateStatus.ASSIGNED else None,
            })
    rows.sort(key=lambda r: r["reserved_at"])
    for row, i in zip(rows, build.ids(ReservedPlate, len(rows)), strict=True):
        row["id"] = int(i)
    build.add(ReservedPlate, rows)
