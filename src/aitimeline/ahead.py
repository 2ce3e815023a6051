"""Pages rendered ahead by a forked process, on the other core, while the caller uses those made.

`mkdocs build` converts pages one by one; rendering them all first would keep one core busy while
the other waits. Here a child renders the plans in order and sends each page back as it is made;
asking for a page waits only until the child has sent it."""

from __future__ import annotations

import multiprocessing
from collections.abc import Callable
from dataclasses import dataclass

from aitimeline.problems import Problem
from aitimeline.render import Page, Plan


class Failed(Exception):
    """A page could not be made; `problem` says where."""

    def __init__(self, problem: Problem):
        super().__init__(problem.describe())
        self.problem = problem


def can_fork() -> bool:
    return "fork" in multiprocessing.get_all_start_methods()


class Ahead:
    """`make(plan)` for every plan, in a forked process, in order: each gives a page or the problem
    that stopped it. Call `close` when done: it stops the child if it is still at work."""

    def __init__(self, make: Callable[[Plan], Page | Problem], plans: list[Plan]):
        self.made: dict[str, Page | Problem] = {}
        self.received, sender = multiprocessing.Pipe(duplex=False)
        self.process = multiprocessing.get_context("fork").Process(target=_produce, args=(make, plans, sender),
                                                                   daemon=True)
        self.process.start()
        sender.close()
        self.later = [Later(plan.src_uri, plan.edit_path, self) for plan in plans]

    def page(self, src_uri: str) -> Page:
        """The page made of the plan for src_uri, waiting until the child has sent it."""
        while src_uri not in self.made:
            try:
                uri, made = self.received.recv()
            except EOFError:
                self.close()
                raise RuntimeError(f"the rendering process ended before {src_uri} "
                                   f"(exit code {self.process.exitcode})") from None
            self.made[uri] = made
        made = self.made[src_uri]
        if isinstance(made, Problem):
            raise Failed(made)
        return made

    def close(self) -> None:
        """Wait for the child once it has sent every page; stop it if it has not."""
        if len(self.made) < len(self.later):
            self.process.terminate()
        self.process.join()
        self.received.close()


@dataclass(frozen=True)
class Later:
    """A page that the child is rendering; its text is there when asked for."""

    src_uri: str
    edit_path: str | None
    ahead: Ahead

    @property
    def markdown(self) -> str:
        return self.ahead.page(self.src_uri).markdown


def _produce(make: Callable[[Plan], Page | Problem], plans: list[Plan], sender) -> None:
    for plan in plans:
        sender.send((plan.src_uri, make(plan)))
    sender.close()
