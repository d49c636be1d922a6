"""Space-separated table rows whose blank cells collapsed → numbers put back in their columns.

A row such as `2014004 信访业务 9050.78  9050.78` under 合计 | 基本支出 | 项目支出 could mean
基本支出 or 项目支出. Each order-preserving placement of the numbers is scored by:
1. the row's own rule (合计 = 基本支出 + 项目支出);
2. the parent/child sums of 科目编码 (a child's 项目支出 adds up to its parent's);
3. the spacing the exporter left (one extra space per blank cell), as a tie-breaker.
A row that stays ambiguous is reported in the warnings, never silently guessed.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass, field
from decimal import Decimal

from ingest.figures import parse_cell
from ingest.model import Line, Locator, TableRow
from ingest.parsing.table_schema import TEMPLATE, Side, is_code

_TOKEN = re.compile(r"[-−]?(?:\d{1,3}(?:,\d{3})+|\d+)\.\d+|\S+|\s+")
_AMOUNT = re.compile(r"[-−]?(?:\d{1,3}(?:,\d{3})+|\d+)\.\d+")
_ROW_START = re.compile(
    r"^(\d{3}(\d{2}){0,2}$|合计|部门合计|本年|收入总计|支出总计|上年|年终|[一二三四五六七八九十]+、|[①②③④])"
)
_HEADER_WORDS = re.compile(
    r"^(项目|收入|支出|金额|小计|合计|科目编码|科目名称|收入科目编码|单位名称|项目名称|本年收入|上年结转|当年预算安排"
    r"|一般公共预算|政府性基金|政府性基金预算|国有资本经营预算|财政专户管理资金|单位资金|基本支出|项目支出|人员经费"
    r"|公用经费|.*经济科目名称|(19|20)\d{2}.*|国有资本经营预算收入|国有资本经营预算支出|\d)$"
)
_EXPENSE_SIDE = re.compile(r"支出|预备费|年终结转|支出总计")
# Every word a header of the template uses; header lines wrap and double, leaving fragments of these.
_HEADER_TEXT = (
    "项目收入支出金额小计合计科目编码科目名称收入科目编码单位名称项目名称本年收入上年结转安排当年预算安排"
    "一般公共预算政府性基金预算国有资本经营预算收入支出财政专户管理资金单位资金基本支出项目支出人员经费公用经费"
    "部门预算支出经济科目名称政府预算支出经济科目名称政府性基金收入预算国有资本经营收入预算预算数"
    "单位预算支出经济科目名称"  # 单位预算 prints 单位 where 部门预算 prints 部门
    "财政拨款"  # 表十二/十三: {Y}年财政拨款 over the fund columns
)
_PART_HEADING = re.compile(r"^第[一二三四]部分|(部门|单位)预算报表$")


def _is_header_fragment(word: str) -> bool:
    """`算算`, `称2024年预算数`, `金金`: pieces of a wrapped, doubled header."""
    word = re.sub(r"(19|20)\d{2}年?", "", word)
    word = re.sub(r"(.)\1", r"\1", word)
    return not word or word in _HEADER_TEXT or bool(_PART_HEADING.search(word))


@dataclass
class _Piece:
    """A label with the amounts that follow it on the same side, and the raw spacing around them."""

    label: str
    amounts: list[Decimal] = field(default_factory=list)
    gaps: list[int] = field(default_factory=list)  # whitespace length before each amount, then trailing
    lines: list[Line] = field(default_factory=list)
    leading_blank: bool = False
    words: list[str] = field(default_factory=list)
    decided: bool = False  # an ambiguous placement settled by the hierarchy or the category rule


def place_rows(
    body: list[Line], number: int, year: int, key: str, file: str
) -> tuple[list[str], list[TableRow], list[str]]:
    """Rows of one space-separated table → (columns, rows with placed cells, warnings)."""
    sides = TEMPLATE[number]
    columns: list[str] = []
    for side in sides:
        columns.extend(side.labels)
        columns.extend(n.replace("{Y}", str(year)) for n in side.numbers)
    pieces = _assemble(body, two_sided=len(sides) > 1)
    rows: list[TableRow] = []
    candidates: list[list[tuple[float, tuple[int, ...]]]] = []
    warnings: list[str] = []
    for side_index, piece in pieces:
        side = sides[side_index]
        names = [n.replace("{Y}", str(year)) for n in side.numbers]
        code, label = _split_code(piece.label)
        if len(side.labels) == 2 and code is None and len(piece.words) == 2:
            label = f"{piece.words[0]}（{piece.words[1]}）"  # 表六: 部门 and 政府 economic classification
        options = _options(piece, side)
        if not options:
            warnings.append(f"{key} {label}: {len(piece.amounts)} 个数字多于 {len(names)} 列，未能放入")
            options = [(0.0, tuple(range(min(len(piece.amounts), len(names)))))]
        candidates.append(options)
        first = piece.lines[0].number
        last = piece.lines[-1].number
        row = TableRow(
            index=len(rows),
            label=label,
            cells={},
            locator=Locator(
                file=file,
                line_start=first,
                line_end=last,
                page=piece.lines[0].page,
                table=key,
                row=code or label,
            ),
            raw="\n".join(line.text for line in piece.lines),
            code=code,
            side=side.name or None,
            placed=True,
        )
        rows.append(row)
        _apply(row, piece.amounts, options[0][1], names)
    _resolve_with_hierarchy(rows, pieces, candidates, sides, year)
    if number == 6:
        _place_by_economic_category(rows, pieces, candidates, year)
    for row, (_, piece), options in zip(rows, pieces, candidates, strict=True):
        best = options[0][0]
        ties = [o for o in options if o[0] == best]
        # Ties default to the leftmost columns (当年预算安排, 一般公共预算: where money usually is); only
        # a tie between 基本支出/项目支出 or 人员经费/公用经费 is a real doubt worth reporting.
        if len(ties) > 1 and number in (3, 5, 6, 8, 9) and not piece.decided:
            warnings.append(f"{key} {row.label}（第{row.locator.line_start}行）: 数字所在列无法唯一确定")
    return columns, rows, warnings


def _split_code(label: str) -> tuple[str | None, str]:
    parts = label.split(" ", 1)
    if len(parts) == 2 and is_code(parts[0]):
        return parts[0], parts[1].replace(" ", "")
    return None, label.replace(" ", "")


def _tokens(text: str) -> list[str]:
    return _TOKEN.findall(text)


def _assemble(body: list[Line], two_sided: bool) -> list[tuple[int, _Piece]]:
    """Lines → (side index, piece) in order; hard-wrapped labels and amounts on the next line rejoined."""
    pieces: list[tuple[int | None, _Piece]] = []  # side None: decided once the label is complete
    pending: _Piece | None = None
    blank_before = False
    for line in body:
        tokens = _tokens(line.text)
        words = [t for t in tokens if t.strip()]
        if not words:
            blank_before = bool(line.text)  # a line of spaces: the left cells of the next row are empty
            continue
        has_amount = any(_AMOUNT.fullmatch(w) for w in words)
        wrapped = (
            pending is not None and len(words) == 1 and len(words[0]) <= 3 and not _ROW_START.match(words[0])
        )
        if not has_amount and not wrapped and all(_is_header_fragment(w) for w in words):
            continue
        line_pieces = _pieces(tokens, line, two_sided)
        if blank_before and len(line_pieces) == 1:
            line_pieces[0][1].leading_blank = True
        blank_before = False
        if (
            not has_amount
            and pending is not None
            and not _ROW_START.match(words[0])
            and len(line_pieces) == 1
        ):
            pending.label += line_pieces[0][1].label  # a wrapped label: 十九、自然资源海洋气象等 / 支出
            pending.words.extend(line_pieces[0][1].words)
            pending.lines.append(line)
            continue
        if has_amount and not line_pieces[0][1].label and pending is not None:
            # amounts alone on a line: they belong to the label above
            pending.amounts, pending.gaps = line_pieces[0][1].amounts, line_pieces[0][1].gaps
            pending.lines.append(line)
            pending = None
            continue
        pieces.extend(line_pieces)
        last = line_pieces[-1][1]
        pending = last if not last.amounts else None
    out: list[tuple[int, _Piece]] = []
    for side, piece in pieces:
        if not (piece.label or piece.amounts):
            continue
        if side is None:
            right = piece.leading_blank or bool(_EXPENSE_SIDE.search(piece.label))
            side = 1 if right else 0
        out.append((side, piece))
    return out


def _looks_like_label(words: list[str]) -> bool:
    return len("".join(words)) >= 4 and not all(_HEADER_WORDS.match(w) for w in words)


def _pieces(tokens: list[str], line: Line, two_sided: bool) -> list[tuple[int | None, _Piece]]:
    pieces: list[_Piece] = []
    current = _Piece(label="", lines=[line], leading_blank=bool(tokens) and not tokens[0].strip())
    space = 0
    for token in tokens:
        if not token.strip():
            space = len(token)
            continue
        if _AMOUNT.fullmatch(token):
            current.gaps.append(space)
            amount = parse_cell(token)
            if amount is not None:
                current.amounts.append(amount)
        else:
            if current.amounts or (two_sided and current.label and not is_code(current.label)):
                pieces.append(current)
                current = _Piece(label="", lines=[line])
            current.label = (
                f"{current.label} {token}".strip() if is_code(current.label) else current.label + token
            )
            current.words.append(token)
        space = 0
    current.gaps.append(space)
    pieces.append(current)
    if not two_sided:
        return [(0, pieces[0])] if len(pieces) == 1 else [(0, _merge(pieces))]
    if len(pieces) == 1:
        return [(None, pieces[0])]  # the side is decided once a wrapped label is complete
    return [(0, pieces[0]), (1, _merge(pieces[1:]))]


def _merge(pieces: list[_Piece]) -> _Piece:
    merged = _Piece(label="".join(p.label for p in pieces), lines=pieces[0].lines)
    merged.words = [w for p in pieces for w in p.words]
    for piece in pieces:
        merged.amounts.extend(piece.amounts)
        merged.gaps.extend(piece.gaps[:-1] if piece is not pieces[-1] else piece.gaps)
    return merged


def _options(piece: _Piece, side: Side) -> list[tuple[float, tuple[int, ...]]]:
    """Every order-preserving placement of the amounts, best first."""
    m, n = len(side.numbers), len(piece.amounts)
    if n > m:
        return []
    if n == 0:
        return [(0.0, ())]
    scored: list[tuple[float, tuple[int, ...]]] = []
    for combo in itertools.combinations(range(m), n):
        score = 0.0
        values = dict(zip(combo, piece.amounts, strict=True))
        if side.total_of and 0 in values:
            parts = sum((values.get(i, Decimal(0)) for i in side.total_of), Decimal(0))
            score += 10 if parts == values[0] else -10
        elif side.total_of and n > 0:
            score -= 5  # a printed row always shows its 合计 when it shows anything
        score += _spacing_score(combo, piece.gaps, m)
        scored.append((score, combo))
    scored.sort(key=lambda item: -item[0])
    return scored


def _spacing_score(combo: tuple[int, ...], gaps: list[int], m: int) -> float:
    """+0.5 per gap whose extra whitespace agrees with the blank columns the placement implies."""
    score = 0.0
    expected = [combo[0]] + [combo[k] - combo[k - 1] - 1 for k in range(1, len(combo))] + [m - 1 - combo[-1]]
    for k, skipped in enumerate(expected[1:], start=1):
        observed = gaps[k] - 1 if k < len(gaps) - 1 else gaps[-1]
        if k >= len(gaps):
            break
        score += 0.5 if (observed > 0) == (skipped > 0) else -0.5
    return score


def _apply(row: TableRow, amounts: list[Decimal], combo: tuple[int, ...], names: list[str]) -> None:
    row.cells = {name: None for name in names}
    for index, amount in zip(combo, amounts, strict=False):
        row.cells[names[index]] = amount


def _children(rows: list[TableRow], parent: TableRow) -> list[TableRow]:
    if parent.code:
        n = len(parent.code) + 2
        return [
            r
            for r in rows
            if r.side == parent.side and r.code and len(r.code) == n and r.code.startswith(parent.code)
        ]
    if parent.label == "合计":
        return [r for r in rows if r.side == parent.side and r.code and len(r.code) == 3]
    return []


def _consistency(rows: list[TableRow], row: TableRow) -> int:
    """How many parent/child sums involving `row` hold, column by column."""
    score = 0
    related = [row, *(r for r in rows if row in _children(rows, r))]
    for parent in related:
        kids = _children(rows, parent)
        if not kids:
            continue
        for column, value in parent.cells.items():
            total = sum((k.cells.get(column) or Decimal(0) for k in kids), Decimal(0))
            score += 1 if total == (value or Decimal(0)) else -1
    return score


def _resolve_with_hierarchy(
    rows: list[TableRow],
    pieces: list[tuple[int, _Piece]],
    candidates: list[list[tuple[float, tuple[int, ...]]]],
    sides: tuple[Side, ...],
    year: int,
) -> None:
    """Among equally scored placements, keep the one that makes the parent/child sums add up."""
    for _ in range(3):
        changed = False
        for row, (side_index, piece), options in zip(rows, pieces, candidates, strict=True):
            best = options[0][0]
            ties = [combo for score, combo in options if score == best]
            if len(ties) < 2:
                continue
            names = [n.replace("{Y}", str(year)) for n in sides[side_index].numbers]
            current = dict(row.cells)
            scores = []
            for combo in ties:
                _apply(row, piece.amounts, combo, names)
                scores.append((_consistency(rows, row), combo))
            scores.sort(key=lambda item: -item[0])
            _apply(row, piece.amounts, scores[0][1], names)
            if row.cells != current:
                changed = True
            row.placed = True
            piece.decided = len(scores) > 1 and scores[0][0] > scores[1][0]
        if not changed:
            break


# 人员经费 is by definition 工资福利支出 + 对个人和家庭的补助; 公用经费 is 商品和服务支出 (and capital items).
_PERSONNEL_CATEGORIES = ("工资福利支出", "对个人和家庭的补助")
_CATEGORIES = (*_PERSONNEL_CATEGORIES, "商品和服务支出", "资本性支出")


def _place_by_economic_category(
    rows: list[TableRow],
    pieces: list[tuple[int, _Piece]],
    candidates: list[list[tuple[float, tuple[int, ...]]]],
    year: int,
) -> None:
    """表六: a row whose numbers fit 人员经费 or 公用经费 equally goes where its category belongs."""
    names = [n.replace("{Y}", str(year)) for n in TEMPLATE[6][0].numbers]
    category = ""
    for row, (_, piece), options in zip(rows, pieces, candidates, strict=True):
        if row.label in _CATEGORIES:
            category = row.label
        ties = [combo for score, combo in options if score == options[0][0]]
        if len(ties) < 2 or not category:
            continue
        wanted = 1 if category in _PERSONNEL_CATEGORIES else 2
        chosen = next((combo for combo in ties if wanted in combo), ties[0])
        _apply(row, piece.amounts, chosen, names)
        piece.decided = True
