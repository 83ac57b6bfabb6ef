"""Writing fitted values into the rule YAML files with a minimal diff.

Only the lines of a fitted parameter change: its value in force, its provincial overlays written by calibration and
its ``calibration`` provenance block. Every other byte of the file (comments, flow lists, key order, quoting) stays
as it was, so a calibration shows up in review as a handful of numbers, not as a reformatted file. The editor works
on lines because the rule files share one block layout (parameter at indent 2, its keys at indent 4); a file that
departs from it is refused, never rewritten. Each edited text is parsed back and compared with the intended data,
the whole edited directory passes ``leniency rules check`` before any file is replaced, and files are replaced
atomically (all of them or none).
"""

from __future__ import annotations

import copy
import datetime as dt
import json
import os
import re
import shutil
import tempfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from leniency.law.loader import DATA_DIR, RuleDataError

_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

CALIBRATION_KEYS = ("previous", "n", "error", "default_error", "date", "source", "method")
PROVINCE_KEYS = ("n", "error", "default_error")

_KEY_LINE = re.compile(r"""^(?P<indent> *)(?P<key>"[^"]*"|'[^']*'|[^\s#'"{\[][^#]*?)\s*:(?:[ \t]+(?P<rest>.*?))?\s*$""")
_PLAIN_KEY = re.compile(r"^[\w\u00b7\u3000-\u9fff\uff00-\uffef/（）().-]+$")


class RuleWriteError(RuleDataError):
    """A fitted value cannot be written (unknown parameter, unsupported layout, or the result would not validate)."""


@dataclass(frozen=True)
class FittedValue:
    """One value fitted on judgments, for the national value (``province`` None) or one province's overlay."""

    parameter: str  # global id, e.g. "theft.starting_point.position"
    value: float
    n: int
    error: float
    default_error: float
    province: str | None = None


@dataclass(frozen=True)
class Provenance:
    date: dt.date
    source: str
    method: str


# ------------------------------------------------------------------------------------------------ text helpers
def _indent(line: str) -> int | None:
    stripped = line.strip()
    if not stripped:
        return None
    return len(line) - len(line.lstrip(" "))


def _key_of(line: str) -> tuple[int, str, str | None] | None:
    match = _KEY_LINE.match(line.rstrip("\r\n"))
    if not match:
        return None
    key = match.group("key")
    if key[0] in "'\"":
        key = key[1:-1]
    return len(match.group("indent")), key, match.group("rest") or None


def _is_comment(line: str) -> bool:
    return line.lstrip().startswith("#")


def _block_end(lines: list[str], start: int, indent: int) -> int:
    """End (exclusive) of the block opened at ``start``: the first later line indented ≤ ``indent``.

    Comments do not end a block; blank lines and comments at its end (which introduce what follows) are left
    outside it, so that inserted lines go before them.
    """
    end = start + 1
    while end < len(lines):
        level = _indent(lines[end])
        if level is not None and level <= indent and not _is_comment(lines[end]):
            break
        end += 1
    while end > start + 1:
        level = _indent(lines[end - 1])
        if level is None or (_is_comment(lines[end - 1]) and level <= indent):
            end -= 1
        else:
            break
    return end


def _children(lines: list[str], lo: int, hi: int, indent: int, where: str) -> dict[str, tuple[int, int, str | None]]:
    """Keys at exactly ``indent`` in lines[lo:hi] → (line, block end, inline rest)."""
    out: dict[str, tuple[int, int, str | None]] = {}
    i = lo
    while i < hi:
        level = _indent(lines[i])
        if level is None or _is_comment(lines[i]):
            i += 1
            continue
        if level != indent:
            raise RuleWriteError(f"{where}：第 {i + 1} 行缩进不是 {indent} 个空格，无法按行写入（请保持块格式）")
        parsed = _key_of(lines[i])
        if parsed is None:
            raise RuleWriteError(f"{where}：第 {i + 1} 行不是“键: 值”格式，无法按行写入")
        end = min(_block_end(lines, i, indent), hi)
        out[parsed[1]] = (i, end, parsed[2])
        i = end
    return out


def _split_value(line: str) -> tuple[str, str, str]:
    """(prefix up to the value, the value text, the rest: comment and line ending)."""
    body = line.rstrip("\r\n")
    ending = line[len(body) :]
    colon = _KEY_LINE.match(body)
    assert colon is not None
    start = colon.start("rest")
    rest = body[start:]
    comment = re.search(r"\s+#", rest)
    value = rest[: comment.start()] if comment else rest
    tail = rest[comment.start() :] if comment else ""
    return body[:start], value, tail + ending


def number_text(value: float, like: Any = None) -> str:
    """A YAML number that PyYAML reads back as exactly ``value`` (an int when the value it replaces is an int)."""
    if isinstance(value, bool):
        raise RuleWriteError(f"取值 {value!r} 不是数字")
    if isinstance(like, int) and not isinstance(like, bool) and float(value).is_integer():
        return str(int(value))
    if isinstance(value, int):
        return str(value)
    text = repr(float(value))
    if "e" in text or "E" in text or "inf" in text or "nan" in text:
        if not (float(value) == float(value)) or abs(float(value)) == float("inf"):
            raise RuleWriteError(f"取值 {value!r} 不是有限数字")
        text = f"{float(value):.15f}".rstrip("0")
        if text.endswith("."):
            text += "0"
    return text


def _key_text(key: str) -> str:
    return key if _PLAIN_KEY.match(key) and not key[0].isdigit() else json.dumps(key, ensure_ascii=False)


def _string_text(value: str) -> str:
    return json.dumps(value, ensure_ascii=False)


# ---------------------------------------------------------------------------------------------- one document
class _Document:
    """The lines of one rule file and the parameter-level edits on them."""

    def __init__(self, path: Path, text: str) -> None:
        self.path = path
        self.lines = text.splitlines(keepends=True)
        if self.lines and not self.lines[-1].endswith("\n"):
            self.lines[-1] += "\n"
        self.newline = "\r\n" if self.lines and self.lines[0].endswith("\r\n") else "\n"

    @property
    def text(self) -> str:
        return "".join(self.lines)

    def _parameter(self, local_id: str) -> tuple[int, int]:
        starts = [i for i, line in enumerate(self.lines) if re.match(r"^parameters:\s*(#.*)?$", line.rstrip("\r\n"))]
        if len(starts) != 1:
            raise RuleWriteError(f"{self.path.name}：没有块格式的 parameters，无法按行写入")
        start = starts[0]
        end = _block_end(self.lines, start, 0)
        params = _children(self.lines, start + 1, end, 2, self.path.name)
        if local_id not in params:
            raise RuleWriteError(f"{self.path.name}：没有参数 {local_id}")
        p_start, p_end, _ = params[local_id]
        return p_start, p_end

    def _fields(self, local_id: str) -> tuple[int, int, dict[str, tuple[int, int, str | None]]]:
        p_start, p_end = self._parameter(local_id)
        return p_start, p_end, _children(self.lines, p_start + 1, p_end, 4, f"{self.path.name}：参数 {local_id}")

    def _dated_lines(self, start: int, end: int, indent: int, where: str) -> dict[dt.date, int]:
        out: dict[dt.date, int] = {}
        for key, (line, _, rest) in _children(self.lines, start + 1, end, indent, where).items():
            try:
                day = dt.date.fromisoformat(key)
            except ValueError:
                raise RuleWriteError(f"{where}：生效日期“{key}”无效") from None
            if rest is None:
                raise RuleWriteError(f"{where}：{key} 的取值不在同一行，无法按行写入")
            out[day] = line
        if not out:
            raise RuleWriteError(f"{where}：没有按日期的取值")
        return out

    def _replace_value(self, line: int, text: str) -> None:
        prefix, _, tail = _split_value(self.lines[line])
        self.lines[line] = prefix + text + tail

    def latest_date_text(self, local_id: str) -> str:
        _, _, fields = self._fields(local_id)
        start, end, _ = fields["values"]
        dated = self._dated_lines(start, end, 6, f"{self.path.name}：参数 {local_id} 的 values")
        return _key_of(self.lines[dated[max(dated)]])[1]

    def set_value(self, local_id: str, text: str) -> None:
        _, _, fields = self._fields(local_id)
        if "values" not in fields or fields["values"][2]:
            raise RuleWriteError(f"{self.path.name}：参数 {local_id} 的 values 不是块格式，无法按行写入")
        start, end, _ = fields["values"]
        dated = self._dated_lines(start, end, 6, f"{self.path.name}：参数 {local_id} 的 values")
        self._replace_value(dated[max(dated)], text)

    def set_overlay(self, local_id: str, region: str, text: str) -> None:
        date = self.latest_date_text(local_id)
        p_start, p_end, fields = self._fields(local_id)
        nl = self.newline
        new_region = [f"      {_key_text(region)}:{nl}", f"        {date}: {text}{nl}"]
        if "overlays" not in fields:
            at = fields["calibration"][0] if "calibration" in fields else p_end
            self.lines[at:at] = [f"    overlays:{nl}", *new_region]
            return
        start, end, rest = fields["overlays"]
        if rest:
            raise RuleWriteError(f"{self.path.name}：参数 {local_id} 的 overlays 不是块格式，无法按行写入")
        regions = _children(self.lines, start + 1, end, 6, f"{self.path.name}：参数 {local_id} 的 overlays")
        if region in regions:
            r_start, r_end, _ = regions[region]
            dated = self._dated_lines(r_start, r_end, 8, f"{self.path.name}：参数 {local_id}（{region}）")
            self._replace_value(dated[max(dated)], text)
        else:
            self.lines[end:end] = new_region

    def remove_overlay(self, local_id: str, region: str) -> None:
        _, _, fields = self._fields(local_id)
        if "overlays" not in fields:
            return
        start, end, _ = fields["overlays"]
        regions = _children(self.lines, start + 1, end, 6, f"{self.path.name}：参数 {local_id} 的 overlays")
        if region not in regions:
            return
        r_start, r_end, _ = regions[region]
        del self.lines[r_start:r_end]
        if len(regions) == 1:
            del self.lines[start]

    def set_block(self, local_id: str, key: str, block: list[str]) -> None:
        """Replace (or append at the end of the parameter) the sub-block ``key``."""
        self.remove_block(local_id, key)
        _, p_end, _ = self._fields(local_id)
        self.lines[p_end:p_end] = block

    def remove_block(self, local_id: str, key: str) -> None:
        _, _, fields = self._fields(local_id)
        if key in fields:
            start, end, _ = fields[key]
            del self.lines[start:end]


# ------------------------------------------------------------------------------------------- planning writes
def _render_calibration(record: dict[str, Any], newline: str) -> list[str]:
    def scalar(key: str, value: Any) -> str:
        if isinstance(value, str):
            return _string_text(value)
        if isinstance(value, dt.date):
            return value.isoformat()
        return number_text(value)

    lines = ["    calibration:"]
    for key in CALIBRATION_KEYS:
        lines.append(f"      {key}: {scalar(key, record[key])}")
    provinces = record.get("provinces") or {}
    if provinces:
        lines.append("      provinces:")
        for region in sorted(provinces):
            lines.append(f"        {_key_text(region)}:")
            entry = provinces[region]
            for key in (*PROVINCE_KEYS, "previous"):
                if key in entry:
                    lines.append(f"          {key}: {scalar(key, entry[key])}")
    return [line + newline for line in lines]


def _latest(mapping: dict[Any, Any]) -> Any:
    return max(mapping, key=lambda key: dt.date.fromisoformat(str(key)))


def _apply(
    doc: _Document,
    spec: dict[str, Any],
    local_id: str,
    national: FittedValue | None,
    provinces: dict[str, FittedValue],
    provenance: Provenance,
) -> None:
    """Edit the text (``doc``) and the parsed data (``spec``) the same way, for one parameter."""
    where = f"{doc.path.name}：参数 {local_id}"
    old = spec.get("calibration")
    if old is not None and not isinstance(old, dict):
        raise RuleWriteError(f"{where}：calibration 应为映射")
    old_provinces = dict((old or {}).get("provinces") or {})
    overlays = spec.get("overlays") or {}
    latest = _latest(spec["values"])

    # Overlays written by an earlier calibration and not fitted now go back to what they were before it.
    for region, entry in sorted(old_provinces.items()):
        if region in provinces:
            continue
        if isinstance(entry, dict) and "previous" in entry:
            doc.set_overlay(local_id, region, number_text(entry["previous"]))
            spec["overlays"][region][_latest(spec["overlays"][region])] = entry["previous"]
        else:
            doc.remove_overlay(local_id, region)
            spec["overlays"].pop(region, None)
            if not spec["overlays"]:
                del spec["overlays"]

    if national is None:  # not fitted now: revert to the value before calibration
        if old is None:
            return
        doc.set_value(local_id, number_text(old["previous"], spec["values"][latest]))
        spec["values"][latest] = old["previous"]
        doc.remove_block(local_id, "calibration")
        del spec["calibration"]
        return

    previous = old["previous"] if old is not None else spec["values"][latest]
    doc.set_value(local_id, number_text(national.value, previous))
    spec["values"][latest] = national.value
    record: dict[str, Any] = {
        "previous": previous,
        "n": national.n,
        "error": national.error,
        "default_error": national.default_error,
        "date": provenance.date,
        "source": provenance.source,
        "method": provenance.method,
    }
    region_records: dict[str, dict[str, Any]] = {}
    for region, fit in sorted(provinces.items()):
        entry: dict[str, Any] = {"n": fit.n, "error": fit.error, "default_error": fit.default_error}
        if region in old_provinces:
            if isinstance(old_provinces[region], dict) and "previous" in old_provinces[region]:
                entry["previous"] = old_provinces[region]["previous"]
        elif region in overlays:
            entry["previous"] = overlays[region][_latest(overlays[region])]
        region_records[region] = entry
        doc.set_overlay(local_id, region, number_text(fit.value, previous))
        spec.setdefault("overlays", {})
        if region in spec["overlays"]:
            spec["overlays"][region][_latest(spec["overlays"][region])] = fit.value
        else:
            spec["overlays"][region] = {latest: fit.value}
    if region_records:
        record["provinces"] = region_records
    doc.set_block(local_id, "calibration", _render_calibration(record, doc.newline))
    spec["calibration"] = record


def _rule_files(data_dir: Path) -> dict[str, Path]:
    """Parameter prefix (``general`` or a crime id) → its file."""
    paths = {"general": data_dir / "general.yaml"}
    for path in sorted((data_dir / "crimes").glob("*.yaml")):
        with path.open(encoding="utf-8") as handle:
            raw = yaml.load(handle, Loader=_Loader) or {}
        paths[str(raw.get("id") or path.stem)] = path
    return paths


def plan_fitted_values(
    fits: Sequence[FittedValue],
    provenance: Provenance,
    data_dir: Path = DATA_DIR,
    revert_unfitted: bool = True,
) -> dict[Path, str]:
    """The new text of every rule file that changes (nothing is written).

    With ``revert_unfitted`` a parameter calibrated earlier but absent from ``fits`` goes back to its value before
    calibration, so that the rule data always reflect one calibration run (same data, same files).
    """
    data_dir = Path(data_dir)
    paths = _rule_files(data_dir)
    wanted: dict[Path, dict[str, tuple[FittedValue | None, dict[str, FittedValue]]]] = {}
    for fit in fits:
        prefix, _, local = fit.parameter.partition(".")
        if prefix not in paths or not local:
            raise RuleWriteError(f"参数 {fit.parameter} 找不到对应的规则文件")
        entry = wanted.setdefault(paths[prefix], {}).setdefault(local, (None, {}))
        if fit.province:
            if fit.province in entry[1]:
                raise RuleWriteError(f"参数 {fit.parameter}（{fit.province}）给出了两个拟合值")
            entry[1][fit.province] = fit
        else:
            if entry[0] is not None:
                raise RuleWriteError(f"参数 {fit.parameter} 给出了两个全国拟合值")
            wanted[paths[prefix]][local] = (fit, entry[1])
    files = set(wanted) | (set(paths.values()) if revert_unfitted else set())
    planned: dict[Path, str] = {}
    for path in sorted(files):
        text = path.read_text(encoding="utf-8")
        raw = yaml.load(text, Loader=_Loader) or {}
        specs = raw.get("parameters") or {}
        targets = dict(wanted.get(path, {}))
        if revert_unfitted:
            for local, spec in specs.items():
                if isinstance(spec, dict) and "calibration" in spec:
                    targets.setdefault(local, (None, {}))
        if not targets:
            continue
        expected = copy.deepcopy(raw)
        doc = _Document(path, text)
        for local, (national, provinces) in sorted(targets.items()):
            spec = expected.get("parameters", {}).get(local)
            if not isinstance(spec, dict):
                raise RuleWriteError(f"{path.name}：没有参数 {local}")
            if not spec.get("calibrated"):
                raise RuleWriteError(f"{path.name}：参数 {local} 不是待校准参数（calibrated: true），不能写入拟合值")
            if national is None and provinces:
                raise RuleWriteError(f"{path.name}：参数 {local} 只有省级拟合值，缺少全国拟合值")
            _apply(doc, spec, local, national, provinces, provenance)
        new_text = doc.text
        if new_text == text:
            continue
        try:
            actual = yaml.load(new_text, Loader=_Loader)
        except yaml.YAMLError as exc:
            raise RuleWriteError(f"{path.name}：写入后 YAML 无法解析：{exc}") from None
        if actual != expected:
            raise RuleWriteError(f"{path.name}：按行写入的结果与预期数据不一致，已放弃写入（请检查文件格式）")
        planned[path] = new_text
    return planned


def _validate(planned: dict[Path, str], data_dir: Path) -> None:
    from leniency.law.validation import check_rules

    with tempfile.TemporaryDirectory(prefix="leniency-rules-") as tmp:
        staged = Path(tmp) / "data"
        shutil.copytree(data_dir, staged, ignore=shutil.ignore_patterns("__pycache__", "*.tmp"))
        for path, text in planned.items():
            (staged / path.relative_to(data_dir)).write_text(text, encoding="utf-8")
        report = check_rules(staged)
    if not report.ok:
        raise RuleWriteError("写入后的规则数据未通过检查，未修改任何文件：" + "；".join(report.errors[:5]))


def _replace_all(planned: dict[Path, str]) -> None:
    """Stage every file next to its target, then swap them in; undo the swapped ones if a swap fails."""
    staged: list[tuple[Path, Path, bytes]] = []
    try:
        for path, text in planned.items():
            handle = tempfile.NamedTemporaryFile("wb", dir=path.parent, prefix=f".{path.name}.", delete=False)
            with handle:
                handle.write(text.encode("utf-8"))
                handle.flush()
                os.fsync(handle.fileno())
            os.chmod(handle.name, path.stat().st_mode & 0o777)
            staged.append((path, Path(handle.name), path.read_bytes()))
    except OSError as exc:
        for _, tmp, _ in staged:
            tmp.unlink(missing_ok=True)
        raise RuleWriteError(f"无法写入临时文件，未修改任何规则文件：{exc}") from None
    done: list[tuple[Path, bytes]] = []
    try:
        for path, tmp, before in staged:
            os.replace(tmp, path)
            done.append((path, before))
    except OSError as exc:
        for path, before in done:
            path.write_bytes(before)
        for _, tmp, _ in staged:
            tmp.unlink(missing_ok=True)
        raise RuleWriteError(f"替换规则文件失败，已恢复原文件：{exc}") from None


def write_fitted_values(
    fits: Iterable[FittedValue],
    provenance: Provenance,
    data_dir: Path = DATA_DIR,
    revert_unfitted: bool = True,
) -> list[Path]:
    """Write fitted values into the rule files (minimal diff, validated, atomic); returns the changed files."""
    data_dir = Path(data_dir)
    planned = plan_fitted_values(list(fits), provenance, data_dir, revert_unfitted)
    if not planned:
        return []
    _validate(planned, data_dir)
    _replace_all(planned)
    return sorted(planned)
