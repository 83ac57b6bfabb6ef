"""Reading a LeCaRD-style retrieval directory: queries.jsonl, candidates.jsonl.xz and optional labels.json.

Every defect is reported as a :class:`RetrievalDataError` with a Chinese message naming the file, the line and the
field, before anything is ranked or written.
"""

from __future__ import annotations

import json
import lzma
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

QUERIES_FILE = "queries.jsonl"
CANDIDATES_FILE = "candidates.jsonl.xz"
LABELS_FILE = "labels.json"


class RetrievalError(ValueError):
    """A user-facing failure of the retrieval benchmark; the message is Chinese."""


class RetrievalDataError(RetrievalError):
    """A missing or malformed benchmark file; the message names the file, line and field."""


@dataclass(frozen=True)
class Query:
    qid: str
    text: str
    charges: tuple[str, ...] = ()


@dataclass(frozen=True)
class Candidate:
    docid: str
    title: str
    fact: str


@dataclass
class RetrievalSet:
    queries: list[Query]
    pools: dict[str, list[Candidate]] = field(default_factory=dict)
    labels: dict[str, dict[str, int]] | None = None


def _identifier(record: dict, name: str, where: str) -> str:
    value = record.get(name)
    if isinstance(value, bool) or not isinstance(value, (str, int)) or str(value).strip() == "":
        raise RetrievalDataError(f"{where}：字段“{name}”缺失或不是字符串/整数")
    return str(value).strip()


def _text(record: dict, name: str, where: str, *, required: bool = True) -> str:
    value = record.get(name, None if required else "")
    if value is None and not required:
        return ""
    if not isinstance(value, str):
        raise RetrievalDataError(f"{where}：字段“{name}”缺失或不是字符串")
    return value


def _json_lines(path: Path, lines: Iterator[str]) -> Iterator[tuple[str, dict]]:
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        where = f"{path.name} 第 {number} 行"
        try:
            record = json.loads(line)
        except json.JSONDecodeError as exc:
            raise RetrievalDataError(f"{where}：不是合法的 JSON（{exc.msg}，第 {exc.colno} 列）") from exc
        if not isinstance(record, dict):
            raise RetrievalDataError(f"{where}：应为 JSON 对象")
        yield where, record


def _require(path: Path) -> None:
    if not path.is_file():
        raise RetrievalDataError(f"找不到文件 {path}（目录中应有 {QUERIES_FILE} 和 {CANDIDATES_FILE}）")


def read_queries(path: Path) -> list[Query]:
    _require(path)
    queries: list[Query] = []
    seen: set[str] = set()
    try:
        with path.open(encoding="utf-8") as handle:
            for where, record in _json_lines(path, handle):
                qid = _identifier(record, "qid", where)
                if qid in seen:
                    raise RetrievalDataError(f"{where}：查询编号 qid={qid} 重复")
                seen.add(qid)
                text = _text(record, "text", where)
                if not text.strip():
                    raise RetrievalDataError(f"{where}：字段“text”为空")
                charges = record.get("charges", [])
                if charges is None:
                    charges = []
                if not isinstance(charges, list) or not all(isinstance(c, str) for c in charges):
                    raise RetrievalDataError(f"{where}：字段“charges”应为字符串列表")
                queries.append(Query(qid, text, tuple(c.strip() for c in charges if c.strip())))
    except UnicodeDecodeError as exc:
        raise RetrievalDataError(f"{path.name}：不是 UTF-8 编码的文本") from exc
    if not queries:
        raise RetrievalDataError(f"{path.name}：文件中没有任何查询")
    return queries


def read_candidates(path: Path, qids: set[str]) -> dict[str, list[Candidate]]:
    _require(path)
    pools: dict[str, list[Candidate]] = {qid: [] for qid in qids}
    seen: dict[str, set[str]] = {qid: set() for qid in qids}
    try:
        with lzma.open(path, "rt", encoding="utf-8") as handle:
            for where, record in _json_lines(path, handle):
                qid = _identifier(record, "qid", where)
                if qid not in pools:
                    raise RetrievalDataError(f"{where}：qid={qid} 不在 {QUERIES_FILE} 中")
                docid = _identifier(record, "docid", where)
                if docid in seen[qid]:
                    raise RetrievalDataError(f"{where}：候选 docid={docid} 在 qid={qid} 的候选池中重复")
                seen[qid].add(docid)
                title = _text(record, "title", where, required=False)
                fact = _text(record, "fact", where)
                pools[qid].append(Candidate(docid, title, fact))
    except (lzma.LZMAError, EOFError) as exc:
        raise RetrievalDataError(f"{path.name}：xz 压缩数据损坏或被截断（{exc}）") from exc
    except UnicodeDecodeError as exc:
        raise RetrievalDataError(f"{path.name}：解压后不是 UTF-8 编码的文本") from exc
    return pools


def read_labels(path: Path) -> dict[str, dict[str, int]]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as exc:
        raise RetrievalDataError(
            f"{path.name}：不是合法的 JSON（第 {exc.lineno} 行第 {exc.colno} 列：{exc.msg}）"
        ) from exc
    except UnicodeDecodeError as exc:
        raise RetrievalDataError(f"{path.name}：不是 UTF-8 编码的文本") from exc
    if not isinstance(data, dict):
        raise RetrievalDataError(f"{path.name}：应为 {{qid: {{docid: 等级}}}} 形式的 JSON 对象")
    labels: dict[str, dict[str, int]] = {}
    for qid, grades in data.items():
        if not isinstance(grades, dict):
            raise RetrievalDataError(f"{path.name}：qid={qid} 的标注应为 {{docid: 等级}} 对象")
        clean: dict[str, int] = {}
        for docid, grade in grades.items():
            if isinstance(grade, bool) or not isinstance(grade, int) or not 0 <= grade <= 3:
                raise RetrievalDataError(f"{path.name}：qid={qid} docid={docid} 的等级应为 0–3 的整数，实为 {grade!r}")
            clean[str(docid)] = grade
        labels[str(qid)] = clean
    return labels


def read_directory(directory: Path) -> RetrievalSet:
    """Read and validate a whole benchmark directory; labels are ``None`` when labels.json is absent."""
    if not directory.is_dir():
        raise RetrievalDataError(f"找不到目录 {directory}")
    queries = read_queries(directory / QUERIES_FILE)
    pools = read_candidates(directory / CANDIDATES_FILE, {q.qid for q in queries})
    labels_path = directory / LABELS_FILE
    labels = read_labels(labels_path) if labels_path.exists() else None
    if labels is not None:
        unknown = sorted(set(labels) - set(pools))
        if unknown:
            raise RetrievalDataError(f"{LABELS_FILE}：qid={unknown[0]} 不在 {QUERIES_FILE} 中")
    return RetrievalSet(queries, pools, labels)
