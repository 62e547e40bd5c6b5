"""The figures the demo year is calibrated to (Offenbach 2022, see DESIGN.md) and how they are spread.

Served contacts per area are allocated to days with cumulative rounding, so the year's totals per area
match the targets exactly; seasonality (March the peak), weekday pattern and day-to-day noise only
decide *which* day gets them.
"""

import numpy as np

from workstation.models.enums import Area, TaskType

YEAR_CONTACTS = 113_997
MARCH_CONTACTS = 11_141
AREA_CONTACTS: dict[Area, int] = {
    Area.REGISTRATION: 37_000,
    Area.ID_DOCUMENTS: 22_616,
    Area.VEHICLES: 20_016,
    Area.DRIVING_LICENCES: 14_312,
}
AREA_CONTACTS[Area.PARTNER] = YEAR_CONTACTS - sum(AREA_CONTACTS.values())

# Relative weight of each month apart from March, whose share is fixed by MARCH_CONTACTS.
_OTHER_MONTHS = {1: 0.085, 2: 0.088, 4: 0.084, 5: 0.080, 6: 0.085, 7: 0.083, 8: 0.074, 9: 0.083,
                 10: 0.081, 11: 0.082, 12: 0.067}
# Thursday is open until 18:00 and takes the most contacts; Friday mornings are quiet.
WEEKDAY_FACTORS = np.array([1.05, 0.95, 0.90, 1.60, 0.75])
DAY_NOISE_SIGMA = 0.08
AREA_DAY_NOISE_SIGMA = 0.10

# How served contacts come about.
DEALER_SHARE_OF_VEHICLES = 0.22
EMERGENCY_SHARE = 0.015
WALK_IN_SHARE = 0.07
NO_SHOW_RATE = 0.07  # of appointments not cancelled
CANCEL_RATE = 0.08  # of appointments booked
CONCERNS_PER_VISIT_P = (0.85, 0.12, 0.03)  # one, two or three concerns
EXTRA_CONCERN_SAME_AREA = 0.7
NOT_DONE_SHARE = 0.02
CHANNEL_P = {"online": 0.78, "phone": 0.17, "counter": 0.05}

# Waiting (minutes, log-normal: mean = exp(mu + sigma²/2)) by visit kind; overall mean ≈ 9 minutes.
WAIT_LOGNORMAL = {"appointment": (1.84, 0.75), "walk_in": (2.40, 0.70), "emergency": (1.00, 0.60),
                  "dealer": (1.30, 0.60)}
SERVICE_TIME_SIGMA = 0.28
SERVICE_TIME_MEDIAN_FACTOR = 0.9  # advisors finish a little under the planned time on average
LEAD_DAYS_MEAN = 4.0
LEAD_DAYS_MAX = 90
DEALER_MINUTES_PER_VEHICLE = 4

# Back office: 225,579 cases in 2022, ~31,000 of them e-mails answered.
BACKOFFICE_CASES = 225_579
TASK_TYPE_CASES: dict[TaskType, int] = {
    TaskType.CITIZEN_EMAIL: 31_000,
    TaskType.LICENCE_WITHDRAWAL: 14_500,
    TaskType.BDR_CORRESPONDENCE: 45_600,
    TaskType.AUTHORITY_REQUEST: 41_200,
}
TASK_TYPE_CASES[TaskType.INSURANCE_NOTICE] = BACKOFFICE_CASES - sum(TASK_TYPE_CASES.values())
TASK_DUE_DAYS: dict[TaskType, int] = {
    TaskType.CITIZEN_EMAIL: 3,
    TaskType.LICENCE_WITHDRAWAL: 14,
    TaskType.BDR_CORRESPONDENCE: 10,
    TaskType.AUTHORITY_REQUEST: 2,
    TaskType.INSURANCE_NOTICE: 7,
}


def month_shares() -> np.ndarray:
    """Share of the year's contacts per month (index 1..12; index 0 unused), March fixed at its 2022 share."""
    march = MARCH_CONTACTS / YEAR_CONTACTS
    others = sum(_OTHER_MONTHS.values())
    shares = np.zeros(13)
    shares[3] = march
    for month, weight in _OTHER_MONTHS.items():
        shares[month] = weight / others * (1 - march)
    return shares


def allocate(total: int, weights: np.ndarray) -> np.ndarray:
    """Split an integer total over weighted slots so that the parts sum to exactly `total`."""
    cumulative = np.round(np.cumsum(weights) / weights.sum() * total).astype(np.int64)
    return np.diff(cumulative, prepend=0)
