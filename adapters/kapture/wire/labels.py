"""What Kapture's keys are called, since no API says so.

Update wants **keys** (sub-status ``CL``, queue ``L1``); Pull and Get answer with **names**
(``Closed``, and the queue's name where the tenant sends it); only Add and Update answers
carry both (``substatus``/``substatusName``, ``queueKey``/``queueName``). So the labels come
from three places, later ones winning:

1. the documented keys: ``P`` Pending and ``CL`` Closed;
2. the connection's tables (``statuses``, ``queues``, ``dispositions``), copied by an admin
   from Kapture's configuration;
3. what tickets show: every key beside a name in an Add or Update answer, every queue key
   beside its name, every disposition path, every top-level status a sub-status was seen
   under (which tells done from not done).

A name seen without a key still shows on its ticket, but it is not offered for writing:
the UI shows labels, never bare keys, and never offers a value it cannot send.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from adapters.lookups import category_from_label, overridden_category
from adapters.model import Choice, Lookups, StatusCategory

DOCUMENTED_STATUSES = {"P": "Pending", "CL": "Closed"}
DONE_TOP = frozenset({"c", "cl", "complete", "completed", "closed", "resolved"})
"""Top-level statuses (keys or names, folded) that mean a ticket is done."""


def disposition_label(path: str) -> str:
    """``Support|Query|Refunds`` as an agent reads it: ``Support › Query › Refunds``."""
    return " › ".join(part.strip() for part in path.split("|") if part.strip())


class Labels:
    """The connection's catalogue of sub-statuses, queues and dispositions."""

    def __init__(
        self,
        *,
        statuses: Mapping[str, str] = {},
        queues: Mapping[str, str] = {},
        dispositions: Iterable[str] = (),
        status_map: Mapping[str, StatusCategory] | None = None,
    ) -> None:
        self.statuses: dict[str, str] = {**DOCUMENTED_STATUSES, **_clean(statuses)}
        self.queues: dict[str, str] = _clean(queues)
        self.dispositions: dict[str, str] = {}
        for path in dispositions:
            self.learn_disposition(path)
        self.status_map = dict(status_map or {})
        # What the desk said about each sub-status: done (under a Complete status) or not.
        self._done: dict[str, bool] = {}

    # ---- learning ------------------------------------------------------------------

    def learn_status(self, key: str, name: str, top: str = "") -> None:
        key, name = key.strip(), name.strip()
        if key and name:
            self.statuses[key] = name
        if top.strip():
            done = top.strip().casefold() in DONE_TOP
            if key:
                self._done[key] = done
            if name:
                self._done[name.casefold()] = done

    def learn_top(self, name: str, top: str) -> None:
        """A sub-status name seen under a top-level status (Pull and Get)."""
        if name.strip() and top.strip():
            self._done[name.strip().casefold()] = top.strip().casefold() in DONE_TOP

    def learn_queue(self, key: str, name: str) -> None:
        if key.strip() and name.strip():
            self.queues[key.strip()] = name.strip()

    def learn_disposition(self, path: str) -> None:
        path = path.strip()
        if path and path not in self.dispositions:
            self.dispositions[path] = disposition_label(path)

    # ---- reading -------------------------------------------------------------------

    def status_key(self, name: str) -> str | None:
        """The key of a sub-status named ``name`` (or ``name`` itself when it is a key)."""
        wanted = name.strip().casefold()
        for key, label in self.statuses.items():
            if label.casefold() == wanted:
                return key
        return name.strip() if name.strip() in self.statuses else None

    def queue_key(self, name: str) -> str | None:
        wanted = name.strip().casefold()
        for key, label in self.queues.items():
            if label.casefold() == wanted:
                return key
        return name.strip() if name.strip() in self.queues else None

    def _category(self, key: str | None, label: str, top: str = "") -> StatusCategory:
        overridden = overridden_category(self.status_map, key or "", label)
        if overridden is not None:
            return overridden
        done: bool | None = None
        if top.strip():
            done = top.strip().casefold() in DONE_TOP
        elif key is not None and key in self._done:
            done = self._done[key]
        elif label.casefold() in self._done:
            done = self._done[label.casefold()]
        return category_from_label(label, done=done)

    def status(self, *, key: str = "", name: str = "", top: str = "") -> Choice | None:
        """The sub-status of a ticket from whatever the answer gave: a key, a name, or
        both, and the top-level status it sits under."""
        key, name = key.strip(), name.strip()
        if key and name:
            self.learn_status(key, name, top)
        elif name and top:
            self.learn_top(name, top)
        if not key and name:
            key = self.status_key(name) or ""
        label = name or self.statuses.get(key, "")
        if not key and not label:
            return None
        if not label:
            label = f"sub-status {key}"
        return Choice(
            id=key or label, label=label, category=self._category(key or None, label, top)
        )

    def queue(self, *, key: str = "", name: str = "") -> Choice | None:
        key, name = key.strip(), name.strip()
        if key and name:
            self.learn_queue(key, name)
        if not key and name:
            key = self.queue_key(name) or ""
        label = name or self.queues.get(key, "")
        if not key and not label:
            return None
        return Choice(id=key or label, label=label or f"queue {key}")

    def lookups(self) -> Lookups:
        """Sub-statuses and queues whose keys are known, as the UI's pick-lists."""
        statuses = tuple(
            Choice(id=key, label=label, category=self._category(key, label))
            for key, label in self.statuses.items()
        )
        groups = tuple(Choice(id=key, label=label) for key, label in self.queues.items())
        return Lookups(statuses=statuses, groups=groups)

    def disposition_choices(self) -> tuple[Choice, ...]:
        return tuple(Choice(id=path, label=label) for path, label in self.dispositions.items())


def _clean(table: Mapping[str, str]) -> dict[str, str]:
    return {str(k).strip(): str(v).strip() for k, v in table.items() if str(k).strip()}
