"""What the service counts for /metrics: the requests it answered, by method, route and status,
with the time they took. One object per app, no module state; the engine's own figures (cache
hits, writes) are read from it when /metrics is asked for, and all of it is written in the
Prometheus text format, version 0.0.4.
"""

from __future__ import annotations

import time
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8"


@dataclass(frozen=True)
class Sample:
    """One metric of the engine or the store, read when /metrics is asked for."""

    name: str
    kind: str  # counter or gauge
    help: str
    value: float


@dataclass
class Metrics:
    # Updated on the event loop's thread only (the middleware): no lock needed.
    started: float = field(default_factory=time.time)
    requests: Counter = field(default_factory=Counter)  # (method, route, status) -> answered
    seconds: defaultdict = field(default_factory=lambda: defaultdict(float))  # (method, route) -> total
    timed: Counter = field(default_factory=Counter)  # (method, route) -> answered
    # More figures read at each rendering (the page cache's): parts of the service other than the
    # engine register here, so that /metrics shows them without knowing them.
    sources: list[Callable[[], Iterable[Sample]]] = field(default_factory=list)

    def record(self, method: str, route: str, status: int, seconds: float) -> None:
        self.requests[(method, route, str(status))] += 1
        self.seconds[(method, route)] += seconds
        self.timed[(method, route)] += 1

    def render(self, samples: Iterable[Sample] = ()) -> str:
        lines = [
            "# HELP bioplan_http_requests_total HTTP requests answered, by method, route and status.",
            "# TYPE bioplan_http_requests_total counter",
        ]
        for (method, route, status), count in sorted(self.requests.items()):
            labels = _labels(method=method, route=route, status=status)
            lines.append(f"bioplan_http_requests_total{labels} {count}")
        lines += [
            "# HELP bioplan_http_request_duration_seconds Time to answer HTTP requests, by method and route.",
            "# TYPE bioplan_http_request_duration_seconds summary",
        ]
        for method, route in sorted(self.timed):
            labels = _labels(method=method, route=route)
            lines.append(f"bioplan_http_request_duration_seconds_sum{labels} {self.seconds[(method, route)]:.6f}")
            lines.append(f"bioplan_http_request_duration_seconds_count{labels} {self.timed[(method, route)]}")
        uptime = Sample(
            "bioplan_uptime_seconds", "gauge", "Seconds since the service started.", time.time() - self.started
        )
        extra = [sample for source in self.sources for sample in source()]
        for sample in (uptime, *samples, *extra):
            lines += [
                f"# HELP {sample.name} {sample.help}",
                f"# TYPE {sample.name} {sample.kind}",
                f"{sample.name} {sample.value:g}",
            ]
        return "\n".join(lines) + "\n"


def _labels(**values: str) -> str:
    def escape(value: str) -> str:
        return value.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")

    return "{" + ",".join(f'{name}="{escape(value)}"' for name, value in values.items()) + "}"
