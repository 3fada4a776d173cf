"""The topic corpus: every kind of request the simulated desks receive, and how often.

:data:`TOPICS` joins the two halves of the corpus in a fixed order (a ticket's topic is
drawn by index, so reordering would change every seeded desk); :data:`TOPIC_WEIGHTS`
are their relative frequencies, :func:`topics_for` the topics a desk serving only some
roles can draw.
"""

from __future__ import annotations

from adapters.simdata.conversation import Topic
from adapters.simdata.corpus_a import TOPICS_A
from adapters.simdata.corpus_b import TOPICS_B

TOPICS: tuple[Topic, ...] = TOPICS_A + TOPICS_B
TOPIC_WEIGHTS = tuple(t.weight for t in TOPICS)
TOPIC_INDEX = {topic.key: index for index, topic in enumerate(TOPICS)}


def topics_for(roles: frozenset[str] | set[str]) -> tuple[Topic, ...]:
    """The topics with at least one role in ``roles`` (for a desk that maps only some)."""
    return tuple(topic for topic in TOPICS if set(topic.roles) & roles)
