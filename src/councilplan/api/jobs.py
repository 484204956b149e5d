"""Long computations run as jobs in a background thread, reporting their progress.

``Jobs.start(kind, owner, fn)`` runs ``fn(progress)`` in a worker thread and returns a
job id at once; ``fn`` calls ``progress(done, total, stage)`` as it goes. The API
(``GET /api/jobs/{id}``) and the pages (a progress bar that htmx refreshes, or the page
itself with a meta refresh when JavaScript is off) show where it stands; its result is
kept once finished. Only the account that started a job sees it. Jobs live in memory:
a restart forgets them, never their effects (each is one service call).
"""

from __future__ import annotations

import secrets
import threading
from collections import OrderedDict
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any

from councilplan.errors import CouncilplanError, NotFound

__all__ = ["Job", "Jobs", "Progress"]

Progress = Callable[[int, int, str], None]


@dataclass
class Job:
    job_id: str
    kind: str
    owner: str
    done: int = 0
    total: int = 0
    stage: str = "waiting to start"
    status: str = "running"  # running / finished / failed
    result: Any = None
    error: str | None = None
    lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def to_dict(self) -> dict[str, Any]:
        with self.lock:
            share = (self.done / self.total) if self.total else (1.0 if self.status != "running"
                                                                 else 0.0)
            return {"job_id": self.job_id, "kind": self.kind, "status": self.status,
                    "stage": self.stage, "done": self.done, "total": self.total,
                    "percent": round(100 * share, 1), "result": self.result,
                    "error": self.error}


class Jobs:
    def __init__(self, workers: int = 2, keep: int = 200) -> None:
        self._workers = workers
        self._pool: ThreadPoolExecutor | None = None  # started with the first job
        self._jobs: OrderedDict[str, Job] = OrderedDict()
        self._keep = keep
        self._lock = threading.Lock()

    def start(self, kind: str, owner: str, fn: Callable[[Progress], Any]) -> Job:
        job = Job(secrets.token_hex(8), kind, owner)

        def progress(done: int, total: int, stage: str) -> None:
            with job.lock:
                job.done, job.total, job.stage = done, total, stage

        def run() -> None:
            try:
                result = fn(progress)
            except CouncilplanError as exc:
                with job.lock:
                    job.status, job.error = "failed", exc.message
            except Exception:
                with job.lock:
                    job.status, job.error = "failed", "the job failed on the server"
                raise
            else:
                with job.lock:
                    job.status, job.result, job.stage = "finished", result, "finished"

        with self._lock:
            self._jobs[job.job_id] = job
            while len(self._jobs) > self._keep:
                self._jobs.popitem(last=False)
            if self._pool is None:
                self._pool = ThreadPoolExecutor(max_workers=self._workers,
                                                thread_name_prefix="cp-job")
            self._pool.submit(run)
        return job

    def get(self, job_id: str, owner: str) -> Job:
        with self._lock:
            job = self._jobs.get(job_id)
        if job is None or job.owner != owner:
            raise NotFound(f"job {job_id} does not exist")
        return job

    def shutdown(self) -> None:
        """Stop the workers (jobs not yet started are dropped); a later job starts new ones."""
        with self._lock:
            pool, self._pool = self._pool, None
        if pool is not None:
            pool.shutdown(wait=False, cancel_futures=True)
