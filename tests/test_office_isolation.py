"""Office A's staff see nothing of office B and change nothing of it, whatever event they send.

Every event handler of every page state is called — found by walking the subclasses of `AuthState`, so a
handler added later is covered without touching this test — as each role of office A, with the ids and
texts of office B's data as arguments (a tampered browser can send any of them). Each state keeps its
values across the calls, as a browser tab does, and the whole round runs twice so that a handler that
relies on an earlier one (take a desk, then call the next person) is reached with what the first round
left behind. After every call the state's values and the handler's answer must not show any of B's
names or numbers, and no row of B may have changed or gained a new row pointing at it.

The city admin acts for office A here (as after logging in); its own city pages, which list every
office on purpose, are left to tests/test_city_offices.py. Not called: background handlers (their
loops only re-read what the plain handlers read, for `acting_user().office_id`), `setvar` (it only
forwards to the setters called here), `logout`.
"""

import asyncio
import dataclasses
import importlib
import inspect
import json
import mailbox
import pkgutil
import typing
from email.message import EmailMessage
from email.utils import format_datetime

import pytest
from sqlalchemy import select as sa_select
from sqlmodel import SQLModel
from starlette.applications import Starlette
from starlette.routing import WebSocketRoute
from starlette.testclient import TestClient

import workstation.state
from tests import pickup_data
from tests.queue_floor import at, build_floor
from workstation import clock, db, live_floor
from workstation.models import (
    ApplicationStatus,
    BackofficeTask,
    BriefingNote,
    Counter,
    CounterKind,
    FeedRejection,
    Notification,
    Office,
    Role,
    Service,
    StaffUser,
    TaskType,
)
from workstation.services.common import serials
from workstation.services.queue import checkin, floor_ticket
from workstation.services.staff import auth, passwords
from workstation.state.auth import AuthState

PASSWORD = "geheim-123"
B_SERIAL = "L6F3R7T2K"
SKIPPED = {"setvar", "logout"}
CITY_WIDE = {"CityState", "ComparisonState"}
"""The city admin's own pages list every office by design (tests/test_city_offices.py covers them)."""
SHARED_TABLES = {"dealer", "auditlog", "usersession", "loginfailure", "statuslookup", "alembic_version"}
"""Dealers are the city's register of business customers, shared by its offices; audit, sessions and
throttle rows are A's own bookkeeping (a new audit row naming a B citizen is still caught by its FK)."""

B_MARKERS = ("Graf", "Vanessa", "A-2026-0042", "A-2026-4711", B_SERIAL, "GRAF-0800", "Berater 1", "Schalter 1",
             "Händlerschalter 1", "Geheimsache Bnord", "Briefing Bnord", "Ummeldung", "Kinderausweis",
             "vanessa.graf", "Bürgerbüro Offenbach", "fremd.xml")


def _all_state_classes() -> list[type[AuthState]]:
    for info in pkgutil.iter_modules(workstation.state.__path__):
        importlib.import_module(f"workstation.state.{info.name}")
    found, todo = [], [AuthState]
    while todo:
        cls = todo.pop()
        found.append(cls)
        todo.extend(cls.__subclasses__())
    return sorted(found, key=lambda c: c.__name__)


def _build_office_b() -> dict:
    """Office B: the queue floor of the queue tests plus a document at the desk, a task, a note, a message."""
    floor = build_floor()
    app_id = pickup_data.application(floor.office_id, "A-2026-4711", status=ApplicationStatus.ARRIVED,
                                     serial=B_SERIAL, arrived_at=pickup_data.APPLIED_AT)
    now = at(7, 0)
    with db.session_scope() as session:
        task = BackofficeTask(office_id=floor.office_id, type=TaskType.AUTHORITY_REQUEST,
                              title="Geheimsache Bnord", created_at=now, updated_at=now)
        note = BriefingNote(office_id=floor.office_id, kind="question", body_md="Briefing Bnord?", created_at=now)
        message = Notification(dedupe_key="b:1", kind="arrival", channel="email", recipient="vanessa.graf@example.org",
                               subject="Ihr Dokument", body="Graf", application_id=app_id, status="failed",
                               created_at=now)
        rejection = FeedRejection(office_id=floor.office_id, dedupe_key="b:0", filename="fremd.xml",
                                  serial_number=B_SERIAL, reason="Prüfziffer", created_at=now)
        session.add_all([task, note, message, rejection])
        session.flush()
        ids = {floor.office_id, *floor.counters, *floor.dealer_counters, *floor.advisors, floor.reception_user,
               *floor.services.values(), floor.vanessa_visit, floor.vanessa_citizen, app_id, task.id, note.id,
               message.id, rejection.id}
    return {"ids": sorted(ids), "services": sorted(floor.services.values()), "counter": floor.counters[0],
            "office": floor.office_id}


def _build_office_a() -> None:
    """Office A: one counter, its own catalogue, one account per role (names `a_<role>`), nothing else."""
    with db.session_scope() as session:
        office = Office(code="K2X9", name="Bürgerbüro Nord", city="Stadt", opening_hours="Mo–Fr 8–12")
        session.add(office)
        session.flush()
        session.add(Counter(office_id=office.id, name="Tresen A", kind=CounterKind.REGULAR))
        session.add(Service(office_id=office.id, code="UMM", name="Wohnsitz A", area="registration",
                            planned_minutes=10))
        hashed = passwords.hash_password(PASSWORD)
        for role in Role:
            session.add(StaffUser(office_id=office.id, username=f"a_{role}", display_name=f"A {role}", role=role,
                                  password_hash=hashed, created_at=at(6, 0)))


def _snapshot() -> dict[tuple[str, object], tuple]:
    rows = {}
    with db.engine().connect() as conn:
        for table in SQLModel.metadata.sorted_tables:
            if table.name in SHARED_TABLES:
                continue
            for row in conn.execute(sa_select(table)):
                rows[(table.name, row.id)] = tuple(row)
    return rows


def _rows_pointing_at(before: dict, keys: set) -> list[str]:
    """New rows (not in `before`) with a foreign key to one of `keys` (table name, id)."""
    found = []
    with db.engine().connect() as conn:
        for table in SQLModel.metadata.sorted_tables:
            if table.name in {"usersession", "loginfailure", "statuslookup"}:
                continue
            for row in conn.execute(sa_select(table)):
                if (table.name, row.id) in before:
                    continue
                for column in table.columns:
                    for fk in column.foreign_keys:
                        target = (fk.column.table.name, getattr(row, column.name))
                        if target in keys and fk.column.table.name not in SHARED_TABLES:
                            found.append(f"new {table.name} row {row.id} → {target}")
    return found


def _form(b: dict, value: int) -> dict:
    """A form as a tampered browser might send it: every field any form reads, filled with B's things."""
    scan = B_SERIAL + str(serials.check_digit(B_SERIAL))
    form = {"serial": scan, "code": "GRAF-0800", "name": "Graf", "first_name": "Eve", "last_name": "Eindringling",
            "counter": str(b["counter"]), "rejection_id": str(value), "dealer": str(value), "batch": "2",
            "area": "registration", "reason": "x", "note": "x", "room": "1", "identity_checked": "on",
            "old_document": "invalidated", "body": "Neuigkeit", "kind": "news", "title": "Aufgabe",
            "task_type": TaskType.CITIZEN_EMAIL, "reference": "A-2026-4711", "username": f"neu{value}",
            "display_name": "Neu", "role": "advisor", "representative_name": "", "power_of_attorney_checked": "on"}
    for service_id in b["services"]:
        form[f"service_{service_id}"] = form[f"extra_{service_id}"] = "on"
        form[f"done_{service_id}"] = "on"
    return form


def _arguments(handler, b: dict) -> list[tuple]:
    """Argument lists for a handler: one per id of B for id-like parameters, B's texts for the others."""
    params = list(inspect.signature(handler).parameters.values())[1:]
    if not params:
        return [()]
    hints = typing.get_type_hints(handler)
    variants = []
    for value in b["ids"]:
        args = []
        for p in params:
            kind = hints.get(p.name, str)
            if kind is int:
                args.append(value)
            elif kind is bool:
                args.append(value % 2 == 0)
            elif typing.get_origin(kind) is dict or kind is dict:
                args.append(_form(b, value))
            elif typing.get_origin(kind) is list:
                args.append([])
            else:
                args.append(str(value) if value % 3 else B_SERIAL)
        variants.append(tuple(args))
    return variants


def _call(cls, name: str, state, args: tuple):
    fn = cls.event_handlers[name].fn
    result = fn(state, *args)
    if inspect.iscoroutine(result):
        return asyncio.run(result)
    if inspect.isasyncgen(result):
        async def drain():
            return [item async for item in result]
        return asyncio.run(drain())
    if inspect.isgenerator(result):
        return list(result)
    return result


def _visible(state, result, sent: set[str]) -> str:
    """What the browser is sent (the state's values and the answer), without the texts it typed itself."""
    values = {name: value for name in state.base_vars
              if not (isinstance(value := getattr(state, name), str) and value in sent)}
    return repr(values) + repr(result)


def _texts(args: tuple) -> set[str]:
    found = set()
    for arg in args:
        found |= {str(v) for v in arg.values()} if isinstance(arg, dict) else {str(arg)}
    return found


def _mail_to_b(folder) -> None:
    """A mail to B's citizen in the embedded mail sink (the Postausgang page shows the sink's mails)."""
    mail = EmailMessage()
    mail["To"], mail["Subject"], mail["Date"] = "vanessa.graf@example.org", "Ihr Dokument", format_datetime(at(7, 0))
    mail.set_content("Guten Tag Frau Graf, Ihr Dokument A-2026-4711 liegt bereit.")
    mailbox.Maildir(folder, create=True).add(mail)


@pytest.fixture
def city(sqlite_db, tmp_path, monkeypatch):
    monkeypatch.delenv("WORKSTATION_SMTP_HOST", raising=False)
    monkeypatch.setenv("WORKSTATION_MAIL_SINK_DIR", str(tmp_path / "mail_sink"))
    _mail_to_b(tmp_path / "mail_sink")
    with clock.freeze(clock.to_local(at(7, 55)).replace(tzinfo=None)):
        b = _build_office_b()
        b_rows = _snapshot()
        _build_office_a()
        yield b, b_rows


def test_office_a_sees_and_changes_nothing_of_office_b(city):
    b, b_rows = city
    classes = _all_state_classes()
    assert len(classes) >= 10, "the walk found the page states"
    leaks: list[str] = []
    calls = 0
    before_a = dict(b_rows)
    for role in Role:
        token, _ = auth.login(f"a_{role}", PASSWORD)
        states = {cls: cls() for cls in classes}
        sent: dict[type, set[str]] = {}
        for state in states.values():
            state.session_token = token
        for _round in range(2):
            for cls, state in states.items():
                if role == Role.CITY_ADMIN and cls.__name__ in CITY_WIDE:
                    continue
                for name, handler in cls.event_handlers.items():
                    if name in SKIPPED or handler.is_background:
                        continue
                    for args in _arguments(handler.fn, b):
                        try:
                            result = _call(cls, name, state, args)
                        except (ValueError, KeyError, TypeError) as err:
                            result = err  # nonsense refused by Python (e.g. "L6F3R7T2K" as a work mode) is no leak
                        calls += 1
                        sent[cls] = sent.get(cls, set()) | _texts(args)
                        visible = _visible(state, result, sent[cls])
                        typed = " ".join(sent[cls])  # an echo of typed text ("no document for L6F3…") is no leak
                        shown = [m for m in B_MARKERS if m in visible and m not in typed]
                        if shown:
                            leaks.append(f"{role}: {cls.__name__}.{name} shows {shown}")
                    now_rows = _snapshot()
                    changed = [key for key, row in b_rows.items() if now_rows.get(key) != row]
                    pointing = _rows_pointing_at(before_a, set(b_rows))
                    if changed or pointing:
                        leaks.append(f"{role}: {cls.__name__}.{name} changed {changed} {pointing}")
                        b_rows = {key: now_rows.get(key, row) for key, row in b_rows.items()}
                        before_a = now_rows
    assert calls > 500
    assert leaks == [], "\n".join(dict.fromkeys(leaks))


def test_the_postausgang_shows_each_office_only_its_own_mails_from_the_shared_sink(sqlite_db, tmp_path, monkeypatch):
    """The embedded mail sink is one folder for the installation: office A's page lists the mails about A's
    documents and A's bookings, never those to B's citizens (nor strangers')."""
    from workstation.models import Visit
    from workstation.services.messaging import outbox

    monkeypatch.setenv("WORKSTATION_MAIL_SINK_DIR", str(tmp_path / "sink"))
    with db.session_scope() as session:
        a, b = (Office(code=code, name=code, city="Stadt", opening_hours="-") for code in ("K2X9", "L6F3"))
        session.add_all([a, b])
        session.flush()
        visit = Visit(office_id=a.id, kind="appointment", status="booked", area="registration")
        session.add(visit)
        session.flush()
        office_a, office_b, visit_a = a.id, b.id, visit.id
    app_b = pickup_data.application(office_b, "A-2026-4711", email="vanessa.graf@example.org")
    with db.session_scope() as session:
        session.add(Notification(dedupe_key=f"booking:{visit_a}:confirm", kind="booking", channel="email",
                                 recipient="anna.nord@example.org", subject="Termin", body="-", status="sent",
                                 created_at=at(7, 0)))
        session.add(Notification(dedupe_key="b:1", kind="arrival", channel="email",
                                 recipient="vanessa.graf@example.org", subject="Ihr Dokument", body="-",
                                 application_id=app_b, status="sent", created_at=at(7, 0)))
    for to in ("anna.nord@example.org", "Vanessa Graf <vanessa.graf@example.org>", "fremd@example.org"):
        mail = EmailMessage()
        mail["To"], mail["Subject"], mail["Date"] = to, "Hallo", format_datetime(at(7, 0))
        mail.set_content("-")
        mailbox.Maildir(tmp_path / "sink", create=True).add(mail)
    assert [m.to for m in outbox.sink_mails(office_id=office_a)] == ["anna.nord@example.org"]
    assert [m.to for m in outbox.sink_mails(office_id=office_b)] == ["Vanessa Graf <vanessa.graf@example.org>"]


def test_the_live_floor_channel_sends_a_ticket_of_office_a_nothing_of_office_b(city):
    b, _ = city
    checkin.check_in_by_code(b["office"], "GRAF-0800", None, now=at(7, 55))  # B's floor has someone waiting
    token, user = auth.login("a_advisor", PASSWORD)
    socket_app = Starlette(routes=[WebSocketRoute(live_floor.PATH, live_floor.floor_socket)])
    kinds = (CounterKind.REGULAR, CounterKind.DEALER)
    with TestClient(socket_app) as client:
        ticket = floor_ticket.issue(user, token, kinds, (Role.ADVISOR,))
        with client.websocket_connect(f"{live_floor.PATH}?ticket={ticket}") as socket:
            sent = [json.loads(socket.receive_text()) for _ in kinds]
        assert sorted(m["kind"] for m in sent) == sorted(kinds) and all(m["t"] == "snapshot" for m in sent)
        assert not [m for m in B_MARKERS if m in json.dumps(sent, ensure_ascii=False)]
        # Even a correctly signed ticket that names office B for A's user (a page handing out the wrong
        # office) is refused: the channel checks the login's own office.
        wrong = floor_ticket.issue(dataclasses.replace(user, office_id=b["office"]), token, kinds, (Role.ADVISOR,))
        for refused in (wrong, ticket.replace(".", "x.", 1), ""):
            with client.websocket_connect(f"{live_floor.PATH}?ticket={refused}") as socket:
                assert json.loads(socket.receive_text()) == {"t": "refused"}
