"""The live floor feed: small deltas that, applied in order, give exactly the next snapshot; signed tickets."""

import base64
import json

import pytest

from tests.queue_floor import add_appointment, at, build_floor
from workstation.services.queue import calls as queue
from workstation.services.queue import checkin, floor_feed, floor_ticket
from workstation.services.queue import floor as queue_floor
from workstation.services.staff import auth, read_audit
from workstation.services.staff.auth import SessionUser


@pytest.fixture
def floor(sqlite_db):
    yield build_floor()
    read_audit.flush()


def _overview(floor, minute):
    return queue_floor.floor_overview(floor.office_id, "regular", now=at(8, minute))


def test_deltas_applied_in_order_give_each_next_snapshot_and_carry_only_what_changed(floor):
    feed = floor_feed.FloorFeed("regular")
    assert feed.advance(_overview(floor, 0)) is None  # the first state: screens get the snapshot
    first = json.loads(feed.snapshot_message())
    assert first["t"] == "snapshot" and first["v"] == 1
    screen = {key: first[key] for key in ("rows", "lists", "load", "focus")}

    checkin.check_in_by_code(floor.office_id, "graf-0800", floor.reception_user, now=at(7, 55))
    message = json.loads(feed.advance(_overview(floor, 0)))
    assert (message["t"], message["from"], message["v"]) == ("delta", 1, 2)
    assert list(message["rows"]) == [str(floor.vanessa_visit)]  # only her row travels, not the whole floor
    assert message["lists"]["waiting"] == [floor.vanessa_visit]
    assert str(floor.counters[0]) in message["focus"]
    screen = floor_feed.apply(screen, message)
    assert screen == feed.state

    queue.call_next(floor.counters[0], floor.advisors[0], now=at(8, 1))
    message = json.loads(feed.advance(_overview(floor, 1)))
    assert message["lists"]["waiting"] == [] and message["lists"]["at_counters"] == [floor.vanessa_visit]
    assert message["rows"][str(floor.vanessa_visit)]["status"] == "called"
    assert floor_feed.apply(screen, message) == feed.state

    assert feed.advance(_overview(floor, 1)) is None  # nothing a screen shows changed: nothing is sent
    assert feed.version == 3


def test_a_row_that_leaves_the_floor_is_removed_and_the_minute_alone_moves_only_the_load(floor):
    add_appointment(floor, "Später", at(8, 10))
    feed = floor_feed.FloorFeed("regular")
    feed.advance(_overview(floor, 0))
    screen = feed.state
    message = json.loads(feed.advance(_overview(floor, 1)))
    assert set(message) == {"t", "kind", "from", "v", "load"}  # the rows stay; waited minutes count in the browser
    assert message["load"]["minute"] == feed.state["load"]["minute"]
    screen = floor_feed.apply(screen, message)

    later = queue_floor.floor_overview(floor.office_id, "regular", now=at(12, 0))  # past every slot
    message = json.loads(feed.advance(later))
    assert message["removed"]
    assert floor_feed.apply(screen, message) == feed.state


def test_a_screen_that_missed_a_delta_sees_the_gap_and_gets_the_snapshot_of_the_current_version(floor):
    feed = floor_feed.FloorFeed("regular")
    feed.advance(_overview(floor, 0))
    checkin.check_in_by_code(floor.office_id, "graf-0800", floor.reception_user, now=at(7, 55))
    missed = json.loads(feed.advance(_overview(floor, 0)))
    queue.call_next(floor.counters[0], floor.advisors[0], now=at(8, 1))
    arrived = json.loads(feed.advance(_overview(floor, 1)))
    assert arrived["from"] == missed["v"] != 1  # a screen at version 1 cannot apply it: it asks for a snapshot
    snapshot = json.loads(feed.snapshot_message())
    assert snapshot["v"] == arrived["v"] and snapshot["lists"]["at_counters"] == [floor.vanessa_visit]


def test_a_ticket_names_one_office_cannot_be_forged_and_expires():
    user = SessionUser(7, "anna", "Anna", "advisor", office_id=3)
    ticket = floor_ticket.issue(user, "session-token", ("regular",), ("advisor",), now=1000.0)
    claims = floor_ticket.verify(ticket, now=1001.0)
    assert (claims.user_id, claims.office_id, claims.kinds) == (7, 3, ("regular",))
    assert claims.session_key == auth.session_key("session-token")
    body, _, signature = ticket.partition(".")
    forged = json.loads(base64.urlsafe_b64decode(body + "=" * (-len(body) % 4)))
    forged["o"] = 4
    forged_body = base64.urlsafe_b64encode(json.dumps(forged).encode()).decode().rstrip("=")
    assert floor_ticket.verify(f"{forged_body}.{signature}", now=1001.0) is None
    assert floor_ticket.verify(ticket, now=1000.0 + floor_ticket.TICKET_SECONDS + 1) is None
    assert floor_ticket.verify("nonsense", now=1001.0) is None
