"""Change signals in web workers forked from one parent (granian forks after importing the app)."""

import os

from workstation.services.common import changes


def _in_child(fn) -> str:
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:  # the forked worker
        try:
            os.write(write, fn().encode())
        finally:
            os._exit(0)
    os.close(write)
    os.waitpid(pid, 0)
    with os.fdopen(read) as pipe:
        return pipe.read()


def test_a_forked_worker_is_a_process_of_its_own_for_the_other_workers_messages(monkeypatch):
    monkeypatch.setattr(changes, "_hub", changes._Hub())  # this process's own hub is back after the test
    monkeypatch.setenv("REFLEX_REDIS_URL", "redis://127.0.0.1:1/0")  # never reached: only the flags matter here
    monkeypatch.setattr(changes.threading, "Thread", lambda **kwargs: type("T", (), {"start": lambda self: None})())
    changes._ensure_redis_listener()  # the parent started "its" listener before forking

    child = _in_child(lambda: f"{changes.process_key()} {changes._hub.redis_started}")

    name, started = child.split()
    assert name != changes.process_key()  # otherwise it drops the other workers' changes as its own echo
    assert started == "False"  # otherwise it never starts a listener of its own (threads do not survive a fork)
