"""One fictional world for every simulated desk.

*Harbourline IT*, a managed-service provider, answers its customers on several help
desks. This package holds what those desks share, independent of any vendor's wire
format:

* :mod:`~adapters.simdata.people`: customer organisations and people, per
  :class:`~adapters.simdata.people.Clientele` (each desk serves different customers);
* :mod:`~adapters.simdata.conversation` and :mod:`~adapters.simdata.topics`: the topic
  corpus (subjects, openings, replies, notes, work logs) tagged with vendor-neutral roles
  and kinds, and the template values a conversation uses;
* :mod:`~adapters.simdata.hostile`: hostile text real desks receive;
* :mod:`~adapters.simdata.attachments`: small real files customers attach;
* :mod:`~adapters.simdata.lazy`: per-ticket children built only when read;
* :mod:`~adapters.simdata.draw`: reproducible, fast randomness and stable hashing;
* :mod:`~adapters.simdata.timeline`: creation times and message spreading over a history;
* :mod:`~adapters.simdata.markup`: HTML message bodies.

A vendor's simulator maps roles and kinds to its own departments, boards, queues and
types, and renders the records in its own format. Nothing here knows about HTTP.
"""

from adapters.simdata.conversation import COMPANY, KINDS, ROLES, Placeholders, Topic, placeholders
from adapters.simdata.draw import Weighted, pick, sample, seeded, stable_hash
from adapters.simdata.hostile import HOSTILE, Hostile
from adapters.simdata.lazy import IdBlocks, LazyChildren
from adapters.simdata.people import Clientele, Organisation, Person
from adapters.simdata.timeline import DAY, HISTORY_DAYS, HOUR
from adapters.simdata.topics import TOPIC_WEIGHTS, TOPICS, topics_for

__all__ = [
    "COMPANY",
    "DAY",
    "HISTORY_DAYS",
    "HOSTILE",
    "HOUR",
    "KINDS",
    "ROLES",
    "TOPICS",
    "TOPIC_WEIGHTS",
    "Clientele",
    "Hostile",
    "IdBlocks",
    "LazyChildren",
    "Organisation",
    "Person",
    "Placeholders",
    "Topic",
    "Weighted",
    "pick",
    "placeholders",
    "sample",
    "seeded",
    "stable_hash",
    "topics_for",
]
