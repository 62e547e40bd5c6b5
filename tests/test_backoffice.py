"""The back-office task list as staff use it: create, find, claim, hand over, assign, close, count."""

from datetime import date, timedelta

import pytest
from sqlmodel import select

from tests.backoffice_data import MONDAY_1305, make_office
from workstation import db
from workstation.models import TaskEvent, TaskPriority, TaskStatus, TaskType
from workstation.services.backoffice import task_queries
from workstation.services.backoffice import tasks as bo
from workstation.services.backoffice.task_model import UNASSIGNED, TaskError, TaskFilter

TODAY = date(2026, 11, 23)
NOW = MONDAY_1305


@pytest.fixture
def staff(sqlite_db):
    return make_office()


@pytest.fixture
def staff_any(any_db):
    """The office on SQLite and on PostgreSQL, for the tests whose SQL (sorting, filters, counts) differs by dialect."""
    return make_office()


def _task(staff, title, task_type=TaskType.INSURANCE_NOTICE, **kwargs):
    return bo.create_task(
        office_id=staff.office_id, task_type=task_type, title=title, created_by=staff.lead, now=NOW, **kwargs
    )


def _titles(page):
    return [row.title for row in page.rows]


def _history(task_id):
    with db.session_scope() as session:
        events = session.exec(select(TaskEvent).where(TaskEvent.task_id == task_id).order_by(TaskEvent.id)).all()
        return [e.action for e in events]


def test_list_sorts_most_pressing_first_and_hides_done_tasks(staff_any):
    staff = staff_any
    _task(staff, "ohne Frist")
    _task(staff, "morgen normal", due_date=TODAY + timedelta(days=1))
    _task(staff, "morgen dringend", due_date=TODAY + timedelta(days=1), priority=TaskPriority.URGENT)
    overdue = _task(staff, "gestern", due_date=TODAY - timedelta(days=1))
    done = _task(staff, "erledigt", due_date=TODAY - timedelta(days=3))
    bo.claim_task(staff.anna, done, now=NOW)
    bo.set_status(staff.anna, done, TaskStatus.DONE, outcome="Nachweis liegt vor", now=NOW)

    page = task_queries.list_tasks(staff.anna, now=NOW)

    assert _titles(page) == ["gestern", "morgen dringend", "morgen normal", "ohne Frist"]
    assert page.total == 4
    assert [r.overdue for r in page.rows] == [True, False, False, False]
    assert page.rows[0].id == overdue
    by_priority = task_queries.list_tasks(staff.anna, sort="priority", now=NOW)
    assert _titles(by_priority)[0] == "morgen dringend"
    with_done = task_queries.list_tasks(staff.anna, TaskFilter(include_done=True), now=NOW)
    assert "erledigt" in _titles(with_done)
    assert not next(r for r in with_done.rows if r.title == "erledigt").overdue


def test_a_long_list_comes_in_pages_that_together_hold_every_task_once(staff_any):
    staff = staff_any
    for n in range(120):
        _task(staff, f"Aufgabe {n:03d}", due_date=TODAY + timedelta(days=n % 7))

    pages = [task_queries.list_tasks(staff.anna, limit=50, offset=offset, now=NOW) for offset in (0, 50, 100)]

    assert [len(p.rows) for p in pages] == [50, 50, 20]
    assert {p.total for p in pages} == {120}
    ids = [r.id for p in pages for r in p.rows]
    assert len(ids) == len(set(ids)) == 120
    assert ids == [r.id for r in task_queries.list_tasks(staff.anna, limit=500, now=NOW).rows]


def test_filters_by_type_status_assignee_due_date_mine_and_search(staff_any):
    staff = staff_any
    insurance = _task(staff, "Versicherung OF-AB 12", reference="OF-AB 12", due_date=TODAY)
    _task(staff, "Entzug Müller", task_type=TaskType.LICENCE_WITHDRAWAL, due_date=TODAY + timedelta(days=10))
    mail = _task(staff, "Mail Graf", task_type=TaskType.CITIZEN_EMAIL, due_date=TODAY - timedelta(days=2))
    bo.claim_task(staff.anna, insurance, now=NOW)
    bo.claim_task(staff.ben, mail, now=NOW)
    bo.set_status(staff.ben, mail, TaskStatus.WAITING, now=NOW)

    def titles(**kwargs):
        return sorted(_titles(task_queries.list_tasks(staff.anna, TaskFilter(**kwargs), now=NOW)))

    assert titles(types=(TaskType.LICENCE_WITHDRAWAL,)) == ["Entzug Müller"]
    assert titles(statuses=(TaskStatus.WAITING,)) == ["Mail Graf"]
    assert titles(mine=True) == ["Versicherung OF-AB 12"]
    assert titles(assignee_id=staff.ben) == ["Mail Graf"]
    assert titles(assignee_id=UNASSIGNED) == ["Entzug Müller"]
    assert titles(due_until=TODAY) == ["Mail Graf", "Versicherung OF-AB 12"]
    assert titles(overdue_only=True) == ["Mail Graf"]
    assert titles(search="of-ab") == ["Versicherung OF-AB 12"]
    row = task_queries.list_tasks(staff.anna, TaskFilter(mine=True), now=NOW).rows[0]
    assert row.due_today and row.assignee_name == "Anna Schmidt" and row.status_label == "In Bearbeitung"


def test_other_offices_and_other_roles_see_nothing(staff):
    task_id = _task(staff, "Versicherung")
    assert task_queries.list_tasks(staff.other_office_advisor, now=NOW).total == 0
    with pytest.raises(TaskError, match="gibt es nicht"):
        bo.claim_task(staff.other_office_advisor, task_id, now=NOW)
    with pytest.raises(TaskError, match="keinen Zugriff"):
        task_queries.list_tasks(staff.reception, now=NOW)


def test_claim_names_who_has_the_task_and_a_double_click_claims_once(staff):
    task_id = _task(staff, "Versicherung")
    row = bo.claim_task(staff.anna, task_id, now=NOW)
    assert row.assignee_id == staff.anna and row.status == TaskStatus.IN_PROGRESS

    again = bo.claim_task(staff.anna, task_id, now=NOW)
    with pytest.raises(TaskError) as refused:
        bo.claim_task(staff.ben, task_id, now=NOW)

    assert again.version == row.version
    assert str(refused.value) == "Diese Aufgabe hat bereits Anna Schmidt übernommen."
    assert _history(task_id) == ["created", "claimed"]


def test_only_assignee_or_lead_changes_a_task_and_hand_over_is_recorded(staff):
    task_id = _task(staff, "Versicherung")
    with pytest.raises(TaskError, match="zuerst"):
        bo.set_status(staff.ben, task_id, TaskStatus.WAITING, now=NOW)
    bo.claim_task(staff.anna, task_id, now=NOW)
    with pytest.raises(TaskError, match="zuständige Person"):
        bo.hand_over(staff.ben, task_id, staff.ben, now=NOW)
    with pytest.raises(TaskError, match="nicht in der Nacharbeit"):
        bo.hand_over(staff.anna, task_id, staff.reception, now=NOW)

    row = bo.hand_over(staff.anna, task_id, staff.ben, note="Ich bin ab morgen im Urlaub", now=NOW)

    assert row.assignee_name == "Ben Yilmaz" and row.status == TaskStatus.OPEN
    detail = task_queries.get_task(staff.ben, task_id, now=NOW)
    assert detail.history[-1].detail == "von Anna Schmidt an Ben Yilmaz: Ich bin ab morgen im Urlaub"
    assert detail.history[-1].user_name == "Anna Schmidt"
    assert detail.may_change
    assert not task_queries.get_task(staff.anna, task_id, now=NOW).may_change


def test_team_lead_assigns_in_bulk_and_advisors_may_not(staff):
    ids = [_task(staff, f"Aufgabe {i}") for i in range(3)]
    done = ids[2]
    bo.claim_task(staff.anna, done, now=NOW)
    bo.set_status(staff.anna, done, TaskStatus.DONE, outcome="erledigt", now=NOW)
    with pytest.raises(TaskError, match="Nur die Teamleitung"):
        bo.bulk_assign(staff.anna, ids, staff.ben, now=NOW)

    moved = bo.bulk_assign(staff.lead, ids, staff.ben, now=NOW)

    assert moved == 2
    mine = task_queries.list_tasks(staff.ben, TaskFilter(mine=True), now=NOW)
    assert sorted(_titles(mine)) == ["Aufgabe 0", "Aufgabe 1"]
    assert _history(ids[0]) == ["created", "assigned"]


def test_closing_needs_an_outcome_and_every_change_is_in_the_history(staff):
    task_id = _task(staff, "Versicherung OF-XY 99", due_date=TODAY)
    bo.claim_task(staff.anna, task_id, now=NOW)
    with pytest.raises(TaskError, match="Ergebnis"):
        bo.set_status(staff.anna, task_id, TaskStatus.DONE, now=NOW)
    bo.set_status(staff.anna, task_id, TaskStatus.WAITING, note="Halter angeschrieben", now=NOW)
    bo.record_outcome(staff.anna, task_id, "Neue Versicherung nachgewiesen", now=NOW)

    closed = bo.set_status(staff.anna, task_id, TaskStatus.DONE, now=NOW + timedelta(minutes=5))
    bo.set_status(staff.anna, task_id, TaskStatus.DONE, now=NOW + timedelta(minutes=6))

    assert closed.status == TaskStatus.DONE and closed.closed_at == NOW + timedelta(minutes=5)
    detail = task_queries.get_task(staff.lead, task_id, now=NOW)
    assert detail.outcome == "Neue Versicherung nachgewiesen"
    assert [h.action_label for h in detail.history] == [
        "Angelegt",
        "Übernommen",
        "Status geändert",
        "Ergebnis erfasst",
        "Status geändert",
    ]
    assert detail.history[2].detail == "In Bearbeitung → Wartet auf Antwort: Halter angeschrieben"
    reopened = bo.set_status(staff.lead, task_id, TaskStatus.IN_PROGRESS, note="Nachweis gefälscht", now=NOW)
    assert reopened.closed_at is None


def test_a_stale_screen_is_told_who_changed_the_task(staff):
    task_id = _task(staff, "Versicherung")
    seen = bo.claim_task(staff.anna, task_id, now=NOW)
    bo.record_outcome(staff.lead, task_id, "Bitte Halter anrufen", now=NOW)
    with pytest.raises(TaskError, match="inzwischen von Lea Wagner geändert"):
        bo.record_outcome(staff.anna, task_id, "Erledigt", expected_version=seen.version, now=NOW)


def test_counts_for_the_briefing_board(staff_any):
    staff = staff_any
    _task(staff, "überfällig", due_date=TODAY - timedelta(days=1))
    _task(staff, "heute", due_date=TODAY, task_type=TaskType.AUTHORITY_REQUEST)
    done = _task(staff, "heute erledigt", due_date=TODAY)
    bo.claim_task(staff.anna, done, now=NOW)
    bo.set_status(staff.anna, done, TaskStatus.DONE, outcome="ok", now=NOW)
    yesterday = bo.create_task(
        office_id=staff.office_id,
        task_type=TaskType.CITIZEN_EMAIL,
        title="gestern angelegt",
        now=NOW - timedelta(days=1),
    )
    bo.claim_task(staff.ben, yesterday, now=NOW)

    counts = task_queries.task_counts(staff.office_id, now=NOW)

    assert counts.by_status == {"open": 2, "in_progress": 1, "waiting": 0}
    assert counts.open_total == 3
    assert counts.open_by_type[TaskType.INSURANCE_NOTICE] == 1
    assert counts.open_by_type[TaskType.AUTHORITY_REQUEST] == 1
    assert counts.open_by_type[TaskType.CITIZEN_EMAIL] == 1
    assert (counts.overdue, counts.due_today, counts.done_today, counts.created_today) == (1, 1, 1, 3)


def test_pickup_job_can_raise_the_same_task_twice_without_a_duplicate(staff):
    def raise_task():
        return bo.create_task(
            office_id=staff.office_id,
            task_type=TaskType.BDR_CORRESPONDENCE,
            title="Storniertes Dokument L6F3R7T2K",
            reference="L6F3R7T2K",
            source="pickup_job",
            source_key="bdr:cancelled:MSG-0001",
            now=NOW,
        )

    first, second = raise_task(), raise_task()

    assert first == second
    assert task_queries.list_tasks(staff.anna, TaskFilter(types=(TaskType.BDR_CORRESPONDENCE,)), now=NOW).total == 1


def test_bad_input_gets_a_german_message(staff):
    with pytest.raises(TaskError, match="Titel"):
        bo.create_task_by_hand(staff.anna, task_type=TaskType.CITIZEN_EMAIL, title="  ", now=NOW)
    with pytest.raises(TaskError, match="Aufgabenart"):
        bo.create_task_by_hand(staff.anna, task_type="coffee", title="x", now=NOW)
    row = bo.create_task_by_hand(
        staff.anna, task_type=TaskType.CITIZEN_EMAIL, title=" Anfrage Meldebescheinigung ", now=NOW
    )
    assert row.title == "Anfrage Meldebescheinigung" and row.assignee_id is None
