"""Read a large dataset file in a second process while this one checks and stages its rows.

Parsing a national file (1.5 GB of JSON: its hash, the JSON events, the text normalised)
is about a quarter of a load's CPU time; a forked child does it on the machine's other
core and sends the rows in batches through a pipe (unpickling a row costs a fifth of
parsing it). The child never touches the database: it inherits this process's connection
but leaves with `os._exit` (multiprocessing's fork start), closing nothing.

Whatever happens, nothing is written by the child, so a refused or killed load stays
all-or-nothing: if this process dies, the child's next send fails on the closed pipe and it
exits; if this process stops reading (an error, a cancelled progress), it ends the child.
"""

import contextlib
import multiprocessing
import os
import traceback
from pathlib import Path

from thidua.interchange.dataset.reader import DatasetSource
from thidua.interchange.dataset.report import DatasetError

MIN_BYTES = 32 * 1024 * 1024  # smaller files are read in this process (a fork costs more)
BATCH = 5_000  # rows per message


def worth_a_child(source) -> bool:
    """Whether `source` is a file large enough to be read by a child (Linux: fork)."""
    if not isinstance(source, str | os.PathLike) or "fork" not in (
        multiprocessing.get_all_start_methods()
    ):
        return False
    try:
        return Path(source).stat().st_size >= MIN_BYTES
    except OSError:
        return False  # read here, to report it as `DatasetSource` does


class ChildSource:
    """Like `DatasetSource` (a context manager; `rows()`, then `problems`, `name`,
    `sha256`), its rows parsed in a child process."""

    def __init__(self, source, fmt=None):
        self.source, self.fmt = source, fmt
        self.problems, self.name, self.sha256 = [], str(source), ""
        self._process = self._conn = None

    def __enter__(self):
        context = multiprocessing.get_context("fork")
        self._conn, child_end = context.Pipe(duplex=False)
        self._process = context.Process(
            target=_read, args=(self.source, self.fmt, child_end, self._conn), daemon=True
        )
        self._process.start()
        child_end.close()
        return self

    def rows(self):
        recv = self._conn.recv
        while True:
            message = recv()
            kind = message[0]
            if kind == "rows":
                section = message[1]
                for number, raw in message[2]:
                    yield section, number, raw
            elif kind == "done":
                _kind, self.problems, self.name, self.sha256 = message
                return
            elif kind == "refused":
                raise DatasetError(message[1], message[2])
            else:
                raise RuntimeError(
                    f"reading the dataset failed in the child process:\n{message[1]}"
                )

    def __exit__(self, *exc):
        self._conn.close()
        if self._process.is_alive():
            self._process.terminate()  # this process stopped reading before the end
        self._process.join()
        return False


def _read(source, fmt, conn, parent_end) -> None:
    """The child: send ("rows", section, [(number, raw), ...]) batches, then one of
    ("done", problems, name, sha256), ("refused", problems, total), ("crashed", text)."""
    # The fork copied the parent's end of the pipe: closed here, the pipe breaks (and this
    # process ends) as soon as the loading process is gone.
    parent_end.close()
    try:
        with DatasetSource(source, fmt) as src:
            section, batch = None, []
            for name, number, raw in src.rows():
                if name != section or len(batch) >= BATCH:
                    if batch:
                        conn.send(("rows", section, batch))
                    section, batch = name, []
                batch.append((number, raw))
            if batch:
                conn.send(("rows", section, batch))
            conn.send(("done", list(src.problems), src.name, src.sha256))
    except DatasetError as exc:
        conn.send(("refused", exc.problems, exc.total))
    except (BrokenPipeError, ConnectionResetError):
        pass  # the loading process is gone or stopped reading
    except BaseException:
        with contextlib.suppress(OSError):
            conn.send(("crashed", traceback.format_exc()))
    finally:
        conn.close()
