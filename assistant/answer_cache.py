"""Verified answers kept for questions asked again while the documents stay the same.

In: the question as checked, the document filter, and what identifies the documents answered from
(the assistant's load generation and the index's change token). Out: a copy of the answer given
then, or None. Many visitors ask the same few questions (the page's examples, a department's 三公经费);
answering each again costs the whole pipeline, which under 50 concurrent visitors on two cores was
what made them wait. Any change to the documents changes the key, so an answer is never served from
documents that have since changed; entries are dropped oldest first past `size`.
"""

from __future__ import annotations

import copy
import threading
from collections import OrderedDict
from collections.abc import Hashable

from assistant.answer import Answer

DEFAULT_SIZE = 512  # answers are a few kB each


class AnswerCache:
    """A bounded, thread-safe map from (question, filter, documents' state) to a verified answer."""

    def __init__(self, size: int = DEFAULT_SIZE) -> None:
        self.size = size
        self._answers: OrderedDict[Hashable, Answer] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: Hashable) -> Answer | None:
        """A copy of the answer kept under `key` (callers may change what they get), or None."""
        with self._lock:
            answer = self._answers.get(key)
            if answer is None:
                return None
            self._answers.move_to_end(key)
        return copy.deepcopy(answer)

    def put(self, key: Hashable, answer: Answer) -> None:
        """Keep a copy of `answer` under `key`, dropping the least recently used past `size`."""
        if self.size <= 0:
            return
        kept = copy.deepcopy(answer)
        with self._lock:
            self._answers[key] = kept
            self._answers.move_to_end(key)
            while len(self._answers) > self.size:
                self._answers.popitem(last=False)

    def __len__(self) -> int:
        return len(self._answers)
