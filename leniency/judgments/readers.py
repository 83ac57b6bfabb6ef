"""Read judgment files: CAIL2018 JSON lines, LeCaRD JSON and the platform's own JSON lines (see FORMAT.md).

Files may be plain, gzip or xz compressed (recognised by their magic bytes, not their name) and UTF-8 or
GB18030 encoded. `inspect_file` checks a whole file before anything is written: it must decompress to the
end, hold at least one readable record and be in a known format; otherwise it raises `CorpusFileError`
with a Chinese message. `read_records` then yields ``(line number, JudgmentRecord | RecordError)``: one bad
record never stops the file.
"""

from __future__ import annotations

import gzip
import hashlib
import io
import json
import lzma
import zlib
from collections.abc import Iterator
from dataclasses import dataclass, replace
from pathlib import Path

from leniency.judgments.charges import canonical_charge
from leniency.judgments.outcome import Outcome, clean_charge, parse_result
from leniency.judgments.records import DefendantRecord, JudgmentRecord

FORMATS = ("leniency", "cail2018", "lecard")
FORMAT_LABELS = {
    "leniency": "平台 JSON Lines 格式",
    "cail2018": "CAIL2018 JSON Lines 格式",
    "lecard": "LeCaRD JSON 格式",
}

_GZIP_MAGIC = b"\x1f\x8b"
_XZ_MAGIC = b"\xfd7zXZ\x00"
# errors a damaged or truncated compressed stream raises while it is being read
STREAM_ERRORS = (EOFError, lzma.LZMAError, gzip.BadGzipFile, zlib.error, OSError)


UNNAMED = "（姓名不详）"


class CorpusFileError(ValueError):
    """A file that cannot be imported at all (message in Chinese, naming the file)."""


@dataclass
class RecordError:
    line: int
    message: str


@dataclass
class FileInfo:
    path: Path
    compression: str  # "none" | "gzip" | "xz"
    encoding: str
    format: str
    layout: str  # "lines" (one JSON object per line) | "document" (one JSON object or array)
    records: int  # records that parse as JSON objects
    sha256: str


def _compression(path: Path) -> str:
    with path.open("rb") as fh:
        head = fh.read(6)
    if head.startswith(_GZIP_MAGIC):
        return "gzip"
    if head.startswith(_XZ_MAGIC):
        return "xz"
    return "none"


def _open_binary(path: Path, compression: str):
    if compression == "gzip":
        return gzip.open(path, "rb")
    if compression == "xz":
        return lzma.open(path, "rb")
    return path.open("rb")


def _detect_encoding(sample: bytes) -> str:
    try:
        sample.decode("utf-8")
        return "utf-8"
    except UnicodeDecodeError as exc:
        # a multi-byte character cut at the end of the sample is still UTF-8
        if exc.start >= len(sample) - 3:
            return "utf-8"
    try:
        sample.decode("gb18030")
        return "gb18030"
    except UnicodeDecodeError:
        return "utf-8"


def detect_format(obj: object) -> str | None:
    if not isinstance(obj, dict):
        return None
    if "fact" in obj and "meta" in obj:
        return "cail2018"
    if "ajjbqk" in obj or ("qw" in obj and "pjjg" in obj):
        return "lecard"
    if "id" in obj and ("facts" in obj or "text_before_reasoning" in obj):
        return "leniency"
    return None


_UNKNOWN_FORMAT = (
    "无法识别的文件格式：{name} 的记录既不是平台格式（需有 id 与 facts 或 text_before_reasoning），"
    "也不是 CAIL2018 格式（需有 fact 与 meta），也不是 LeCaRD 格式（需有 ajjbqk、cpfxgc、pjjg、qw）"
)


def inspect_file(path: str | Path) -> FileInfo:
    """Check a file end to end before importing it; raise `CorpusFileError` (Chinese) if it cannot be imported."""
    path = Path(path)
    name = path.name
    if not path.exists():
        raise CorpusFileError(f"文件不存在：{path}")
    if not path.is_file():
        raise CorpusFileError(f"不是文件：{path}")
    compression = _compression(path)
    digest = hashlib.sha256()
    with path.open("rb") as raw:
        for chunk in iter(lambda: raw.read(1 << 20), b""):
            digest.update(chunk)
    try:
        with _open_binary(path, compression) as fh:
            sample = fh.read(1 << 16)
            encoding = _detect_encoding(sample)
            stripped = sample.lstrip()
            if not stripped:
                rest = fh.read(1 << 16)
                if not rest.strip():
                    raise CorpusFileError(f"文件为空：{name} 没有任何裁判文书记录")
                stripped = rest.lstrip()
            first = stripped[:1]
            if first not in (b"{", b"["):
                raise CorpusFileError(
                    f"无法识别的文件格式：{name} 不是 JSON 或 JSON Lines 文件（支持纯文本、gzip、xz 压缩的 JSON Lines 与 LeCaRD JSON）"
                )
            layout, fmt, count = _scan(fh, sample, encoding, name)
    except CorpusFileError:
        raise
    except STREAM_ERRORS as exc:
        kind = {"gzip": "gzip", "xz": "xz"}.get(compression, "")
        raise CorpusFileError(
            f"文件损坏或不完整：{name} 的{kind}压缩数据无法完整解压（{type(exc).__name__}），未导入任何记录"
        ) from None
    return FileInfo(path, compression, encoding, fmt, layout, count, digest.hexdigest())


def _scan(fh, sample: bytes, encoding: str, name: str) -> tuple[str, str, int]:
    """Read the rest of the stream; decide the layout and format from the first record that parses.

    JSON lines are streamed (memory stays flat on large files); only a file that is not JSON lines is
    read whole, as one JSON document.
    """
    stream = io.TextIOWrapper(io.BufferedReader(_Prefixed(sample, fh)), encoding=encoding, errors="replace")
    count = 0
    first_valid: object = None
    lines = 0
    document: list[str] = []
    for line in stream:
        lines += 1
        if not count:
            # kept only until the first JSON-lines record shows the file is not one JSON document
            document.append(line)
        stripped = line.strip()
        if not stripped or not stripped.startswith("{") or not stripped.endswith("}"):
            continue
        try:
            obj = json.loads(stripped)
        except ValueError:
            continue
        if isinstance(obj, dict):
            count += 1
            if first_valid is None:
                first_valid = obj
                document = []
    if count:
        fmt = detect_format(first_valid)
        if fmt is None:
            raise CorpusFileError(_UNKNOWN_FORMAT.format(name=name))
        return "lines", fmt, count
    # not JSON lines: one JSON document (a LeCaRD file, or an array of records)
    try:
        doc = json.loads("".join(document))
    except ValueError as exc:
        raise CorpusFileError(
            f"文件格式错误：{name} 既不是每行一个 JSON 对象的 JSON Lines，也不是有效的 JSON 文档（{exc.msg}，第{exc.lineno}行）"
        ) from None
    items = doc if isinstance(doc, list) else [doc]
    objects = [item for item in items if isinstance(item, dict)]
    if not objects:
        raise CorpusFileError(f"文件为空：{name} 没有任何裁判文书记录")
    fmt = detect_format(objects[0])
    if fmt is None:
        raise CorpusFileError(_UNKNOWN_FORMAT.format(name=name))
    return "document", fmt, len(objects)


class _Prefixed(io.RawIOBase):
    """A binary stream that first returns bytes already read from it."""

    def __init__(self, prefix: bytes, rest):
        self._prefix = prefix
        self._rest = rest

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        if self._prefix:
            n = min(len(buffer), len(self._prefix))
            buffer[:n] = self._prefix[:n]
            self._prefix = self._prefix[n:]
            return n
        data = self._rest.read(len(buffer))
        buffer[: len(data)] = data
        return len(data)


def iter_objects(info: FileInfo, start_after: int = 0) -> Iterator[tuple[int, object]]:
    """``(line number, parsed JSON or RecordError)`` for every non-empty line (or array item) after ``start_after``.

    Stream errors (a file truncated after it was inspected) propagate as they are: the caller decides.
    """
    with _open_binary(info.path, info.compression) as raw:
        if info.layout == "document":
            doc = json.loads(raw.read().decode(info.encoding, errors="replace"))
            items = doc if isinstance(doc, list) else [doc]
            for number, item in enumerate(items, start=1):
                if number > start_after:
                    yield number, item
            return
        stream = io.TextIOWrapper(raw, encoding=info.encoding, errors="replace", newline="")
        for number, line in enumerate(stream, start=1):
            if number <= start_after:
                continue
            line = line.strip()
            if not line:
                continue
            try:
                yield number, json.loads(line)
            except ValueError as exc:
                yield number, RecordError(number, f"第{number}行不是有效的 JSON（{exc.msg}）")


def read_records(info: FileInfo, start_after: int = 0) -> Iterator[tuple[int, JudgmentRecord | RecordError]]:
    for number, obj in iter_objects(info, start_after):
        if isinstance(obj, RecordError):
            yield number, obj
            continue
        try:
            # a LeCaRD candidate file holds one judgment and is named by its document id
            single = info.format == "lecard" and info.records == 1
            record = parse_record(
                obj,
                info.format,
                fallback_id=_stem(info.path) if single else f"{_stem(info.path)}-{number}",
                by_file=single,
            )
        except RecordValueError as exc:
            yield number, RecordError(number, f"第{number}行：{exc}")
            continue
        yield number, record


class RecordValueError(ValueError):
    """One record that cannot be read (Chinese message naming the field)."""


def _stem(path: Path) -> str:
    name = path.name
    for suffix in (".gz", ".xz", ".json", ".jsonl"):
        name = name.removesuffix(suffix)
    return name


def parse_record(obj: object, fmt: str, fallback_id: str = "", by_file: bool = False) -> JudgmentRecord:
    if not isinstance(obj, dict):
        raise RecordValueError("记录应为 JSON 对象")
    found = detect_format(obj)
    if found != fmt:
        raise RecordValueError(f"记录不是{FORMAT_LABELS[fmt]}（缺少该格式的必需字段）")
    if fmt == "cail2018":
        record = _from_cail(obj)
    elif fmt == "lecard":
        record = _from_lecard(obj, fallback_id, by_file)
    else:
        record = _from_leniency(obj)
    record.fill_header()
    return record


def _text(obj: dict, key: str, required: bool = False) -> str:
    value = obj.get(key)
    if value is None:
        if required:
            raise RecordValueError(f"缺少字段 {key}")
        return ""
    if not isinstance(value, str):
        raise RecordValueError(f"字段 {key} 应为文字")
    if required and not value.strip():
        raise RecordValueError(f"字段 {key} 为空")
    return value


def _from_leniency(obj: dict) -> JudgmentRecord:
    doc_id = obj.get("id")
    if not isinstance(doc_id, str) or not doc_id.strip():
        raise RecordValueError("字段 id 应为非空文字")
    if len(doc_id) > 128:
        raise RecordValueError("字段 id 超过 128 个字符")
    facts = _text(obj, "facts")
    before = _text(obj, "text_before_reasoning")
    if not (facts.strip() or before.strip()):
        raise RecordValueError("字段 facts 与 text_before_reasoning 均为空")
    result = _text(obj, "result")
    record = JudgmentRecord(
        doc_id=doc_id.strip(),
        source=_text(obj, "source") or "leniency",
        source_format="leniency",
        facts=facts or before,
        text_before_reasoning=before or facts,
        reasoning=_text(obj, "reasoning"),
        result=result,
        title=_text(obj, "title"),
        case_number=_text(obj, "case_number"),
        court=_text(obj, "court"),
        instance=_text(obj, "instance"),
        mentions_plea=bool(obj.get("mentions_plea", False)),
        province=_text(obj, "province"),
    )
    defendants = obj.get("defendants")
    if defendants is None:
        record.defendants = _defendants_from_result(result)
        return record
    if not isinstance(defendants, list):
        raise RecordValueError("字段 defendants 应为列表")
    is_cail = record.source.startswith("cail")
    for position, item in enumerate(defendants, start=1):
        if not isinstance(item, dict):
            raise RecordValueError(f"defendants 第{position}项应为对象")
        name = item.get("name")
        if name is None:
            # sources that mask names (CAIL2018) may give none: the defendant still counts
            name = UNNAMED
        if not isinstance(name, str) or not name.strip():
            raise RecordValueError(f"defendants 第{position}项的被告人姓名 name 应为非空文字")
        charges = item.get("charges_canonical") or item.get("charges") or []
        if not isinstance(charges, list) or not all(isinstance(c, str) for c in charges):
            raise RecordValueError(f"defendants 第{position}项的 charges 应为文字列表")
        outcome = item.get("outcome")
        if outcome is not None and not isinstance(outcome, dict):
            raise RecordValueError(f"defendants 第{position}项的 outcome 应为对象")
        for key, limit in (("months", 1200), ("probation_months", 120), ("fine", 10**15)):
            value = (outcome or {}).get(key)
            if value is None:
                continue
            if isinstance(value, bool) or not isinstance(value, int | float) or not 0 <= value <= limit:
                raise RecordValueError(f"defendants 第{position}项的 outcome.{key} 应为 0 至 {limit} 之间的数字")
        record.defendants.append(
            DefendantRecord(
                name=name.strip(),
                charges=_dedupe(canonical_charge(clean_charge(c)) for c in charges),
                outcome=Outcome.from_dict(outcome),
                multi_charge_total=bool(item.get("multi_charge_total", False)),
                combined_with_prior=bool(item.get("combined_with_prior", False)),
                is_unit=bool(item.get("is_unit", False)),
                probation_known=not is_cail,
            )
        )
    return record


def _defendants_from_result(result: str) -> list[DefendantRecord]:
    return [replace(p, charges=_dedupe(canonical_charge(c) for c in p.charges)) for p in parse_result(result)]


def _dedupe(items) -> list[str]:
    out: list[str] = []
    for item in items:
        if item and item not in out:
            out.append(item)
    return out


def _from_lecard(obj: dict, fallback_id: str, by_file: bool = False) -> JudgmentRecord:
    facts = _text(obj, "ajjbqk")
    full = _text(obj, "qw")
    if not (facts.strip() or full.strip()):
        raise RecordValueError("字段 ajjbqk 与 qw 均为空")
    raw_id = obj.get("docid") or obj.get("id") or (fallback_id if by_file else obj.get("writId")) or fallback_id
    reasoning = _text(obj, "cpfxgc")
    result = _text(obj, "pjjg")
    cut = full.find("本院认为")
    before = full[:cut] if cut > 0 else (full or facts)
    record = JudgmentRecord(
        doc_id=f"lecard:{raw_id}",
        source="lecard",
        source_format="lecard",
        facts=facts or before,
        text_before_reasoning=before,
        reasoning=reasoning,
        result=result,
        title=_text(obj, "ajName") or _text(obj, "title"),
        defendants=_defendants_from_result(result),
    )
    name = _text(obj, "writName")
    if "刑初" in full[:300] or "一审" in name:
        record.instance = "first"
    elif "刑终" in full[:300] or "二审" in name:
        record.instance = "second"
    elif "刑再" in full[:300]:
        record.instance = "retrial"
    return record


def _cail_outcome(term: dict, charges: list[str], fine) -> Outcome:
    """The CAIL2018 label gives months only: 1–5 is 拘役, 7+ is 有期徒刑, 0 and 6 are ambiguous."""
    fine_value = int(fine) if isinstance(fine, int | float) and fine else None
    if term.get("death_penalty"):
        return Outcome(type="death", fine=fine_value)
    if term.get("life_imprisonment"):
        return Outcome(type="life", fine=fine_value)
    months = term.get("imprisonment")
    if not isinstance(months, int | float):
        return Outcome(fine=fine_value)
    months = int(months)
    if months >= 7:
        kind = "fixed_term"
    elif 1 <= months <= 5 or (months == 6 and charges == ["危险驾驶罪"]):
        kind = "detention"
    else:
        kind = "unknown"
    return Outcome(type=kind, months=months, fine=fine_value)


def _from_cail(obj: dict) -> JudgmentRecord:
    fact = _text(obj, "fact", required=True)
    meta = obj.get("meta")
    if not isinstance(meta, dict):
        raise RecordValueError("字段 meta 应为对象")
    accusation = meta.get("accusation") or []
    if not isinstance(accusation, list):
        raise RecordValueError("字段 meta.accusation 应为列表")
    charges = _dedupe(canonical_charge(clean_charge(str(a))) for a in accusation)
    criminals = meta.get("criminals") or []
    if not isinstance(criminals, list):
        raise RecordValueError("字段 meta.criminals 应为列表")
    term = meta.get("term_of_imprisonment") or {}
    if not isinstance(term, dict):
        raise RecordValueError("字段 meta.term_of_imprisonment 应为对象")
    outcome = _cail_outcome(term, charges, meta.get("punish_of_money"))
    names = [str(c) for c in criminals if str(c).strip()] or [UNNAMED]
    record = JudgmentRecord(
        doc_id="cail:" + hashlib.sha1(fact.encode("utf-8")).hexdigest()[:12],
        source="cail2018",
        source_format="cail2018",
        facts=fact,
        text_before_reasoning=fact,
        instance="first",
    )
    # CAIL2018 records carry one label; it belongs to the (first) defendant named
    record.defendants = [
        DefendantRecord(
            name=names[0],
            charges=charges,
            outcome=outcome,
            multi_charge_total=len(charges) > 1,
            probation_known=False,
        )
    ]
    return record
