"""A casting process for the crash test: casts every ``member token paper`` line of its
standard input on four threads and prints ``member`` once each cast returned (the
acknowledgement a voter's device would get). Killed at any moment by the test."""

from __future__ import annotations

import json
import sys
import threading
from datetime import datetime

from councilplan import services
from councilplan.errors import CouncilplanError
from councilplan.store import UnitOfWork, make_engine


def main() -> None:
    url, ballot, at = sys.argv[1], sys.argv[2], datetime.fromisoformat(sys.argv[3])
    work = [json.loads(line) for line in sys.stdin]
    engine = make_engine(url)
    out = threading.Lock()
    print("ready", flush=True)

    def cast(part: list[list[str]]) -> None:
        uow = UnitOfWork(engine)
        for member, token, paper in part:
            try:
                services.cast_vote(uow, ballot, member, json.loads(paper), at,
                                   token=bytes.fromhex(token))
            except CouncilplanError as exc:
                with out:
                    print(f"refused {member} {exc.message}", flush=True)
                continue
            with out:
                print(f"ok {member}", flush=True)

    threads = [threading.Thread(target=cast, args=(work[k::4],)) for k in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    print("done", flush=True)


if __name__ == "__main__":
    main()
