"""Two people claim the same task at the same moment: exactly one gets it, the other is told who did."""

import threading
from concurrent.futures import ThreadPoolExecutor

from sqlmodel import func, select

from tests.backoffice_data import MONDAY_1305, make_office
from workstation import db
from workstation.models import BackofficeTask, TaskAction, TaskEvent, TaskType
from workstation.services.backoffice import tasks as bo
from workstation.services.backoffice.task_model import TaskError

ROUNDS = 12


def _claim_at_once(user_ids: list[int], task_id: int) -> list[str]:
    """Every user claims the task, all released by one barrier; returns "won" or the error message each."""
    barrier = threading.Barrier(len(user_ids))

    def claim(user_id: int) -> str:
        barrier.wait()
        try:
            bo.claim_task(user_id, task_id, now=MONDAY_1305)
        except TaskError as exc:
            return str(exc)
        return "won"

    with ThreadPoolExecutor(max_workers=len(user_ids)) as pool:
        return list(pool.map(claim, user_ids))


def test_two_claims_at_once_one_wins_the_other_is_told(any_db):
    staff = make_office()
    names = {staff.anna: "Anna Schmidt", staff.ben: "Ben Yilmaz"}
    task_ids = [
        bo.create_task(
            office_id=staff.office_id, task_type=TaskType.INSURANCE_NOTICE, title=f"Anzeige {i}", now=MONDAY_1305
        )
        for i in range(ROUNDS)
    ]

    for task_id in task_ids:
        results = _claim_at_once([staff.anna, staff.ben], task_id)

        assert sorted(results).count("won") == 1, results
        winner = [staff.anna, staff.ben][results.index("won")]
        loser_message = next(r for r in results if r != "won")
        assert loser_message == f"Diese Aufgabe hat bereits {names[winner]} übernommen."
        with db.session_scope() as session:
            task = session.get(BackofficeTask, task_id)
            claims = session.exec(
                select(func.count())
                .select_from(TaskEvent)
                .where(TaskEvent.task_id == task_id, TaskEvent.action == TaskAction.CLAIMED)
            ).one()
        assert task.assignee_id == winner
        assert task.version == 1
        assert claims == 1
