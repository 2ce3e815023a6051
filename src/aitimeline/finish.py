"""The built site finished by a forked process, on the other core, while MkDocs writes its pages.

The process writes the site's generated files (`export.Asset`), and takes each page once MkDocs
has written it: reads it, compacts it, gives it its security policy, writes it again, and hands it
to the search index, which it writes once the last page is in."""

from __future__ import annotations

import multiprocessing
import queue
import threading
from pathlib import Path

from aitimeline import csp, search
from aitimeline.ahead import can_fork
from aitimeline.compact import compact
from aitimeline.export import Asset, write_assets


class FinishError(Exception):
    """The site could not be finished; the message says why."""


class Finisher:
    """Give each page with `add` as MkDocs is about to write it, then `close`; `stop` on a failed build."""

    def __init__(self, site_dir: Path, assets: list[Asset], index: bool):
        if not can_fork():
            raise FinishError("building the site needs a system that can fork a process (Linux, macOS)")
        context = multiprocessing.get_context("fork")
        pages, self.sender = context.Pipe(duplex=False)
        self.answer, answering = context.Pipe(duplex=False)
        self.process = context.Process(target=_finish, args=(pages, self.sender, answering, site_dir, assets, index),
                                       daemon=True)
        self.process.start()
        pages.close()
        answering.close()
        self.waiting: tuple | None = None

    def add(self, path: str, uri: str) -> None:
        """The page MkDocs writes at path (uri in the site) once this returns: it is handed over with
        the next page (or at `close`), when it has surely been written, and read from there."""
        if self.waiting:
            self._send(self.waiting)
        self.waiting = (path, uri)

    def close(self) -> search.Indexed | None:
        """Wait until every page and file is finished; what was indexed (None without an index)."""
        if self.waiting:
            self._send(self.waiting)
        self._send(None)
        answer = self._answer()
        if isinstance(answer, FinishError):
            raise answer
        return answer

    def stop(self) -> None:
        self.process.terminate()
        self.process.join()
        self.sender.close()
        self.answer.close()

    def _send(self, item) -> None:
        try:
            self.sender.send(item)
        except OSError:  # the process has ended: its answer says why
            answer = self._answer()
            raise answer if isinstance(answer, FinishError) else FinishError("the process finishing the site "
                                                                             "stopped taking pages") from None

    def _answer(self):
        try:
            answer = self.answer.recv()
        except EOFError:
            answer = None
        self.process.join()
        self.sender.close()
        self.answer.close()
        if answer is None and self.process.exitcode:
            return FinishError(f"the process finishing the site ended early (exit code {self.process.exitcode})")
        return answer


def _finish(pages, sender, answer, site_dir: Path, assets: list[Asset], index: bool) -> None:
    sender.close()  # the parent's end, copied by the fork
    waiting: queue.SimpleQueue = queue.SimpleQueue()  # read at once, so that the build never waits on a full pipe
    threading.Thread(target=_receive, args=(pages, waiting), daemon=True).start()
    try:
        indexer = search.Indexer() if index else None
        write_assets(assets, site_dir)
        while (item := waiting.get()) is not None:
            path, uri = item
            page = compact(Path(path).read_text("utf-8"))
            if indexer and (indexed := search.page_for_index(page)) is not None:
                indexer.add(uri, indexed)
            Path(path).write_bytes(csp.protect(page).encode("utf-8", errors="xmlcharrefreplace"))
        answer.send(indexer.write(site_dir) if indexer else None)
    except (search.SearchError, OSError) as error:
        answer.send(FinishError(str(error)))


def _receive(pages, waiting: queue.SimpleQueue) -> None:
    while True:
        try:
            item = pages.recv()
        except EOFError:
            item = None
        waiting.put(item)
        if item is None:
            return

