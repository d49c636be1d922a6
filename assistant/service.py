"""The assistant: question → understanding → retrieval → composition → verifier → `Answer`.

`Assistant.from_settings(settings)` opens the stores; `ask(question)` returns a verified answer with
`intent` and `latency_ms` set; `stream(question)` yields its text in pieces. Deterministic by default;
with `settings.llm_backend` set, the LLM composer rewrites the same facts under the same verifier.
"""

from __future__ import annotations

import contextlib
import logging
import re
import threading
import time
from collections.abc import Iterator
from dataclasses import replace

from assistant import answers_catalog, answers_figures, answers_text
from assistant.answer import Answer
from assistant.answer_cache import AnswerCache
from assistant.catalog_search import CatalogSearch
from assistant.composer import Statement, compose
from assistant.compound import PART_OF_PREVIOUS, Ask, split_compound, topic_of
from assistant.context import AskContext, StoredRecords
from assistant.followups import merge, split_follow_up
from assistant.lazy_store import LazyVectorStore
from assistant.lexicon import english_department_words, expand
from assistant.plan import answer_with_plan, steps_of
from assistant.question_check import check_question, within_budget
from assistant.retrieval import DenseSource, HybridRetriever, StructuredLookup, load_tokenizer
from assistant.self_check import asks_percent, self_check
from assistant.understanding import Query, resolve_documents, understand
from assistant.verifier import verify
from assistant.warm_state import WarmState, load_or_build
from ingest.api import DocumentHit, Settings, StructuredIndex, catch_up, open_index, split_sentences

DEFAULT_LIMIT = Settings().max_question_chars

# Class: sum wordings (一共/总共/合计/加起来) that may ask for one figure's total, not a computation.
_SUM_WORDED = re.compile(r"一共|总共|合计|加起来|共计")


log = logging.getLogger(__name__)


class Assistant:
    """Answers questions over the ingested disclosures and catalogs; every answer is verified."""

    def __init__(
        self,
        index: StructuredIndex,
        store: DenseSource | None = None,
        settings: Settings | None = None,
        llm_composer: object | None = None,
        state: WarmState | None = None,
    ) -> None:
        self.index = index
        self.store = store
        self.settings = settings
        self.llm_composer = llm_composer
        self._refresh_lock = threading.Lock()
        self._documents_marker: tuple[object, object] = (None, None)  # (index token, documents read then)
        self._state: WarmState | None = None  # what `_load` built last; a reload reuses its unchanged parts
        self._generation = 0  # moves after each `_load`: answers kept before it are never served again
        self._answers = AnswerCache()
        self._seen_marker = self._marker()  # what this process has caught up with
        self._load(state)

    def _marker(self) -> object:
        """What changes when another process adds, replaces or removes a document: a Chroma server's
        change marker, else the index's documents, read again only when the index's change token moved
        (under load, reading every document before every question cost more than answering it)."""
        if self.settings is not None and self.settings.chroma_url and hasattr(self.store, "change_marker"):
            return self.store.change_marker()  # type: ignore[union-attr]
        token = self.index.change_token()  # taken first: a commit after it is seen on the next call
        seen_token, documents = self._documents_marker
        if token != seen_token:
            documents = tuple(self.index.document_id_list())  # ids carry each file's sha256
            self._documents_marker = (token, documents)
        return documents

    def _load(self, state: WarmState | None = None) -> None:
        """Everything derived from the index (catalog, documents, lexical index), rebuilt together from
        the saved structures when they match the index (`warm_state`)."""
        index = self.index
        documents = index.documents()
        store_dir = self.settings.store_dir if self.settings is not None else None
        state = state or load_or_build(index, documents, store_dir, previous=self._state)
        self._state = state
        for doc in documents:  # units listed in a document's project tables name it too
            doc.summary.sub_units = state.sub_units.get(doc.doc_id, [])
        # Assigned last, one by one: a question running meanwhile sees the old or the new state.
        self._catalog = state.catalog
        self._catalog_records = StoredRecords(index, state.catalog_record_ids)
        self.lookup = StructuredLookup(index)
        self.retriever = HybridRetriever(index, self.store, lexical_index=state.lexical)
        self._glossary_terms = state.glossary_terms
        self._documents = documents
        self._generation += 1  # last: a question that reads the new generation sees all of the above

    @classmethod
    def from_settings(cls, settings: Settings) -> Assistant:
        """Open the structured index, the saved catalog and lexical structures (rebuilt when the index
        changed), and the vector store the settings name (opened on the first dense search)."""
        index = open_index(settings)
        store: DenseSource
        if settings.chroma_url:
            from ingest.api import VectorStore

            server = VectorStore.from_settings(settings)
            catch_up(index, server)  # a Chroma server is the shared truth; this process's index follows it
            store = server
        else:
            store = LazyVectorStore(settings)
        composer = None
        if settings.llm_backend:
            from assistant.llm_composer import LLMComposer

            composer = LLMComposer.from_settings(settings)
        state = load_or_build(index, index.documents(), settings.store_dir)
        return cls(index, store, settings, composer, state)

    @property
    def catalog(self) -> CatalogSearch:
        """The catalog search (loaded from the saved state on first use)."""
        return self._catalog.get()

    def warm_up(self) -> None:
        """Load the lexical index, the tokenizer's dictionary and the catalog search, and open the dense
        store, once: the first narrative or catalog question or upload would otherwise pay for them
        (seconds, and the memory they then hold for the life of the process anyway)."""
        self.retriever.warm_up()
        load_tokenizer()
        self._catalog.get()
        if self.store is None:
            return
        try:
            self.store.query("预算", k=1)
        except Exception as exc:  # a store down now is reported to the question that needs it
            log.warning("预热时无法打开向量库（%s）；第一个需要它的问题会再试", exc)

    def refresh(self) -> bool:
        """Catch up with documents another process added, replaced or removed; True when it looked.

        One cheap read per call (`_marker`). When it moved, a Chroma server's records are copied into this
        process's index, and everything derived from the index is reloaded, so a removed document is
        never cited and a replaced one answers with its new figures.
        """
        marker = self._marker()
        if marker == self._seen_marker:
            return False
        with self._refresh_lock:
            if marker == self._seen_marker:
                return False  # another thread caught up meanwhile
            changed = True
            if self.settings is not None and self.settings.chroma_url:
                # Nothing to reload while another process is still sending a document (it moves
                # the marker with each batch); the marker moves again once the document is whole.
                changed = bool(catch_up(self.index, self.store))  # type: ignore[arg-type]
            if changed:
                self._load()
            self._seen_marker = marker
        return True

    def follow_changes(self, every: float = 1.0) -> threading.Thread:
        """Check the store's change marker every `every` seconds in a daemon thread, so a server app
        has caught up with another process's upload before its next question comes (each question
        still checks, in case it comes first). A store that does not answer is tried again later."""

        def loop() -> None:
            self.warm_up()
            while True:
                time.sleep(every)
                with contextlib.suppress(Exception):  # the next question reports it to its asker
                    self.refresh()

        thread = threading.Thread(target=loop, name="budgetqa-follow-store", daemon=True)
        thread.start()
        return thread

    def ask_within_budget(self, question: str, doc_ids: list[str] | None = None) -> Answer:
        """`ask`, but `QuestionTimeout` once `settings.question_seconds` have passed."""
        seconds = self.settings.question_seconds if self.settings is not None else 0.0
        return within_budget(seconds, lambda: self.ask(question, doc_ids))

    # ------------------------------------------------------------------------------------------ ask

    def ask(self, question: str, doc_ids: list[str] | None = None) -> Answer:
        """A verified answer to `question`, restricted to `doc_ids` when given; an elliptical follow-up
        (A有几个？B呢？) is asked as a second question about B in the first one's documents. A question
        asked before over the same documents gets the answer given then (`known_answer`)."""
        key, cached = self._cached(question, doc_ids)
        if cached is not None:
            return cached
        answer = self._answer(question, doc_ids)
        if key is not None:
            self._answers.put(key, answer)
        return answer

    def known_answer(self, question: str, doc_ids: list[str] | None = None) -> Answer | None:
        """The answer `ask` gave to this question over the same documents, if it is kept; None otherwise,
        and always with a Chroma server (its change marker is a network read, which belongs inside the
        question's time budget). A web handler serves it at once, without starting a timed answer."""
        if self.settings is not None and self.settings.chroma_url:
            return None
        return self._cached(question, doc_ids)[1]

    def _cached(
        self, question: str, doc_ids: list[str] | None
    ) -> tuple[tuple[object, ...] | None, Answer | None]:
        """The cache key of the question over the documents as they are now, and its kept answer."""
        start = time.perf_counter()
        self.refresh()
        key = self._cache_key(question, doc_ids)
        cached = self._answers.get(key) if key is not None else None
        if cached is not None:
            cached.latency_ms = round((time.perf_counter() - start) * 1000, 2)
        return key, cached

    def _answer(self, question: str, doc_ids: list[str] | None) -> Answer:
        parts = split_follow_up(question)
        if parts is None:
            asks = split_compound(question)
            if asks is not None:
                return self._ask_compound(question, asks, doc_ids)
            return self._ask_one(question, doc_ids)
        start = time.perf_counter()
        first_question, subject = parts
        first = self._ask_one(first_question, doc_ids)
        documents = [d for d in self._documents if not doc_ids or d.doc_id in doc_ids]
        query = understand(first_question, documents, self._glossary_terms)
        if not query.docs or not query.plain.strip():
            return first
        named = resolve_documents(subject, documents)  # another department: its own documents
        second = self._ask_one(subject + query.plain, doc_ids if named else [d.doc_id for d in query.docs])
        merged = merge(first, second)
        merged.latency_ms = round((time.perf_counter() - start) * 1000, 2)
        return merged

    def _ask_compound(self, question: str, asks: list[Ask], doc_ids: list[str] | None) -> Answer:
        """Each ask answered on its own in the first ask's documents (unless it names others), the
        first ask's topic carried into the asks that only name what of it is asked; one merged answer.
        When no ask can be answered alone, the whole question is answered as one."""
        start = time.perf_counter()
        documents = [d for d in self._documents if not doc_ids or d.doc_id in doc_ids]
        query = understand(asks[0].text, documents, self._glossary_terms)
        if not query.docs:
            return self._ask_one(question, doc_ids)
        topic = topic_of(query.plain)
        answers = [self._ask_one(asks[0].text, doc_ids)]
        for ask in asks[1:]:
            text = f"{topic}{PART_OF_PREVIOUS.sub('', ask.text)}" if ask.needs_topic else ask.text
            named = resolve_documents(text, documents)
            answers.append(self._ask_one(text, doc_ids if named else [d.doc_id for d in query.docs]))
        if all(a.refused for a in answers):
            return self._ask_one(question, doc_ids)
        for n, (ask, answer) in enumerate(zip(asks, answers, strict=True)):
            if answer.refused:  # say which ask the documents leave open, after the answered ones
                answers[n] = replace(answer, answer=f"关于“{ask.text.rstrip('？?；;')}”：{answer.answer}")
        ordered = [a for a in answers if not a.refused] + [a for a in answers if a.refused]
        ordered = _without_repeats(ordered)  # 打算买车吗？购车费多少？ may both be the one cited 0
        merged = ordered[0]
        for answer in ordered[1:]:
            merged = merge(merged, answer)
        merged.latency_ms = round((time.perf_counter() - start) * 1000, 2)
        return merged

    def _ask_one(self, question: str, doc_ids: list[str] | None = None) -> Answer:
        start = time.perf_counter()
        limit = self.settings.max_question_chars if self.settings is not None else DEFAULT_LIMIT
        question, problem = check_question(question, limit)
        if problem:
            answer = compose([Statement(problem)], intent="refusal", refused=True)
            answer.plan = [{"op": "refuse", "inputs": {"question": "invalid"}, "result": problem}]
            return answer
        self.refresh()
        documents = [d for d in self._documents if not doc_ids or d.doc_id in doc_ids]
        query = understand(question, documents, self._glossary_terms)
        if doc_ids and not query.docs:
            outside = resolve_documents(question, self._documents)
            if outside:
                return self._filtered_out(query, outside, documents, start)
            query.docs = documents
        context = AskContext(
            query=query,
            index=self.index,
            lookup=self.lookup,
            retriever=self.retriever,
            catalog_loader=self._catalog.get,
            catalog_records=self._catalog_records,
            documents=documents,
        )
        deterministic = self._draft(context)
        draft = deterministic
        if self.llm_composer is not None and not draft.refused:
            draft = self.llm_composer.rewrite(question, draft)  # type: ignore[attr-defined]
        draft = self_check(draft, context.calc_results, asks_percent(question))
        checked, report = verify(draft, None, context.calc_results, context.blank_records)
        if report.refused and draft is not deterministic and not deterministic.refused:
            # The model's rewrite lost every checkable figure: keep the deterministic answer instead.
            fallback = self_check(deterministic, context.calc_results, asks_percent(question))
            checked, _ = verify(fallback, None, context.calc_results, context.blank_records)
            checked.notes.append("语言模型改写未通过核对，已使用确定性回答")
        checked = replace(checked, intent=query.intent, language=query.language)
        for citation in checked.citations:
            citation.blank = citation.record_id in context.blank_records
        if not checked.plan:
            checked.plan = steps_of(checked)
        checked.latency_ms = round((time.perf_counter() - start) * 1000, 2)
        return checked

    def _cache_key(self, question: str, doc_ids: list[str] | None) -> tuple[object, ...] | None:
        """What an answer to `question` depends on: the question, the filter, the documents loaded
        (`_generation`) and every record and vector under them (the index's change token, moved by
        any commit, another process's included). None with an LLM composer: its wording may differ."""
        if self.llm_composer is not None:
            return None
        return (self._generation, self.index.change_token(), question, tuple(sorted(doc_ids or ())))

    def _filtered_out(
        self, query: Query, outside: list[DocumentHit], chosen: list[DocumentHit], start: float
    ) -> Answer:
        """The question names a held document the document filter leaves out: say so, name both."""
        named = "、".join(d.title for d in outside)
        kept = "、".join(d.title for d in chosen) or "（无）"
        if query.language == "en":
            text = f"The question names {named}, which the document filter leaves out (selected: {kept}); clear the filter or select it."
        else:
            text = f"问题提到的{named}不在当前选定的文件范围内（已选：{kept}）；请取消文件筛选或选中该文件后再问。"
        answer = compose([Statement(text)], intent=query.intent, language=query.language, refused=True)
        answer.plan = [{"op": "refuse", "inputs": {"filtered_out": named}, "result": text}]
        answer.latency_ms = round((time.perf_counter() - start) * 1000, 2)
        return answer

    def stream(self, question: str, doc_ids: list[str] | None = None) -> Iterator[str]:
        """The verified answer's text in sentence-sized pieces (the web UI shows them as they come)."""
        answer = self.ask(question, doc_ids)
        yield from split_sentences(answer.answer)

    def _draft(self, context: AskContext) -> Answer:
        query = context.query
        refusal = answers_text.refusal(context) or answers_catalog.no_catalog(context)
        if refusal is not None:
            return refusal
        planned = answer_with_plan(context)
        if planned is not None:
            return planned
        if _nothing_understood(query):
            return _not_found(query)  # quoting whatever ranks first would answer another question
        handlers = {
            "catalog": answers_catalog.answer_catalog,
            "listing": answers_text.answer_listing,
            "glossary": answers_text.answer_glossary,
            "narrative": answers_text.answer_narrative,
            "comparison": answers_figures.answer_comparison,
            "arithmetic": answers_figures.answer_arithmetic,
            "lookup": answers_figures.answer_lookup,
        }
        answer = handlers[query.intent](context)
        if answer is None and query.intent == "arithmetic" and _SUM_WORDED.search(query.question):
            looked = answers_figures.answer_lookup(context)  # 一共多大: worded as a sum, asks one figure
            answer = looked if looked is not None and not looked.refused else None
        if answer is None and query.intent != "narrative":
            answer = answers_text.answer_narrative(context)
            # a figure was asked and no table or fact gave it: quotes answer only if they speak of it
            figure_asked = query.intent in ("lookup", "arithmetic", "comparison")
            if answer is not None and figure_asked and not answers_text.quotes_cover(answer, query.plain):
                answer = None
        return answer or _not_found(query)


_CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
_CITATION_MARK = re.compile(r"\[\d+\]")


def _without_repeats(answers: list[Answer]) -> list[Answer]:
    """The answers in order, each said once: an ask whose answer an earlier one already says adds nothing."""
    said: list[str] = []
    kept: list[Answer] = []
    for answer in answers:
        text = _CITATION_MARK.sub("", answer.answer)
        if not any(text in earlier for earlier in said):
            said.append(text)
            kept.append(answer)
    return kept


def _nothing_understood(query: Query) -> bool:
    """A question without any Chinese that names no budget term, department or catalog code
    (`'; DROP TABLE records; --`, `hello`): nothing in the documents can be matched to it."""
    question = query.question
    if _CJK.search(question) or query.codes or query.docs:
        return False
    return expand(question) == question and not english_department_words(question)


def _not_found(query: Query) -> Answer:
    if query.language == "en":
        text = "The documents do not hold an answer to this question."
    else:
        text = "所收录的预算公开文件中没有找到这个问题的答案。"
    return compose([Statement(text)], intent=query.intent, language=query.language, refused=True)
