"""Document layout: defendant paragraphs, sections, and which sentences speak of which defendant."""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass, field

from leniency.extraction.text import sentences

_NAME_CHARS = r"[\u4e00-\u9fa5A-Za-z某·]"
_HEADER = re.compile(rf"(?:被告人|犯罪嫌疑人)({_NAME_CHARS}{{1,6}}?)(?:[，,（(。]|\s)")
_NOT_HEADER = re.compile(r"^(?:的|及|和|与|犯|对|在|系|因)")
_PROSECUTION = re.compile(
    r"检察院以|检察院指控|公诉机关指控|起诉书指控|提起公诉|检察院.{0,20}起诉|经审理查明|公诉机关起诉"
)
_LIST = re.compile(rf"(?:被告人|犯罪嫌疑人)((?:{_NAME_CHARS}{{2,4}}、)+)")
_DEFENCE_HEADER = re.compile(r"^(?:指定|委托)?辩护人")
_GROUP = re.compile(
    r"[二两三四五六七八九十\d]{1,4}名?被告人|[各上]述?被告人|诸被告人|全体被告人|"
    r"[二两三四五六七八九十]人(?:均|到案|归案|分别|先后|共同)"
)
_PSEUDONYM = re.compile(r"(?:被告人|犯罪嫌疑人)([\u4e00-\u9fa5]\d?某{1,2}[甲乙丙丁戊己庚辛\d]?)(?![\u4e00-\u9fa5\d])")
_RUN_GAP = re.compile(r"[、，,和与及\s]*(?:被告人)?")
_DEFENCE = re.compile(r"辩护人|辩护意见|辩称|辩护提出")
_COURT_FINDING = re.compile(r"经审理查明|本院查明|审理查明|经本院审理")
_EVIDENCE_START = re.compile(
    r"上述(?:犯罪)?事实[，,]?(?:有|由|被告人|经)|认定上述事实的证据|证据如下|有下列证据|下列证据予以证实|上述事实，"
)


@dataclass(slots=True)
class Sentence:
    start: int
    end: int
    names: frozenset[str]
    group: bool
    defence: bool


@dataclass(slots=True)
class Layout:
    text: str
    headers: dict[str, tuple[int, int]] = field(default_factory=dict)
    names: list[str] = field(default_factory=list)
    body_start: int = 0
    finding_start: int | None = None
    evidence_start: int | None = None
    sentences: list[Sentence] = field(default_factory=list)
    name_re: re.Pattern | None = None

    def subject_ok(self, sentence: Sentence, defendant: str, pos: int) -> bool:
        """In a sentence naming several defendants, does the stretch before `pos` speak of `defendant`?

        The subject of a clause is the run of names ("A、B和C") closest before the keyword, or a group
        phrase ("二被告人") coming after the last name.
        """
        if len(self.names) <= 1 or not sentence.names or self.name_re is None:
            return True
        if defendant not in sentence.names and not sentence.group:
            return False
        hits = list(self.name_re.finditer(self.text, sentence.start, pos))
        if not hits:
            return defendant in sentence.names or sentence.group
        last = hits[-1]
        if _GROUP.search(self.text, last.end(), min(sentence.end, pos + 8)):
            return True
        run = [last.group()]
        for i in range(len(hits) - 2, -1, -1):
            gap = self.text[hits[i].end() : hits[i + 1].start()]
            if not _RUN_GAP.fullmatch(gap):
                break
            run.append(hits[i].group())
        return defendant in run

    def sentences_for(self, defendant: str, start: int = 0, end: int | None = None) -> list[Sentence]:
        """Body sentences in [start, end) about `defendant` (named, a group phrase, or carried over)."""
        end = len(self.text) if end is None else end
        single = len(self.names) <= 1
        out: list[Sentence] = []
        carry = True
        for s in self.sentences:
            if s.end <= self.body_start:
                continue
            if s.names:
                carry = defendant in s.names or s.group
            elif s.group:
                carry = True
            if (single or carry) and s.end > start and s.start < end:
                out.append(s)
        return out


def candidates(text: str, pattern: re.Pattern, sents: list[Sentence]) -> list[Sentence]:
    """The sentences of `sents` where `pattern` matches: one scan of the text instead of one per sentence."""
    if not sents:
        return []
    starts = [s.start for s in sents]
    out: list[Sentence] = []
    last = -1
    for m in pattern.finditer(text, sents[0].start, sents[-1].end):
        i = bisect_right(starts, m.start()) - 1
        if i > last and m.start() < sents[i].end:
            out.append(sents[i])
            last = i
    return out


def _only_others(sentence: Sentence, defendant: str) -> bool:
    return bool(sentence.names) and defendant not in sentence.names


def layout(text: str, defendant: str) -> Layout:
    lay = Layout(text=text)
    m = _PROSECUTION.search(text)
    limit = m.start() if m else min(len(text), 3000)
    headers: list[tuple[str, int]] = []
    for h in _HEADER.finditer(text, 0, limit):
        name = h.group(1)
        if _NOT_HEADER.match(name) or name.endswith(("的", "犯")):
            continue
        if name not in dict(headers):
            headers.append((name, h.start()))
    # The caller knows the defendant's exact name; prefer it over a header name that merely starts with it.
    fixed = []
    for name, pos in headers:
        if name != defendant and name.startswith(defendant) and text.startswith(defendant, pos + 3):
            name = defendant
        fixed.append((name, pos))
    headers = fixed
    for i, (name, pos) in enumerate(headers):
        nxt = headers[i + 1][1] if i + 1 < len(headers) else limit
        # a defence counsel paragraph ends the defendant paragraph
        para_end = nxt
        d = re.search(r"[。\s](?:指定|委托)?辩护人", text[pos:nxt])
        if d:
            para_end = pos + d.start() + 1
        lay.headers[name] = (pos, para_end)
    lay.body_start = limit if headers else 0
    names = set(lay.headers) | {defendant}
    for lm in _LIST.finditer(text):
        for part in lm.group(1).split("、"):
            if 2 <= len(part) <= 4:
                names.add(part)
    # pseudonyms are self-delimiting: 王某, 罗1某, 张某甲, 李某某
    names.update(_PSEUDONYM.findall(text))
    names.discard("")
    lay.names = sorted(names, key=len, reverse=True)
    name_re = re.compile("|".join(re.escape(n) for n in lay.names))
    lay.name_re = name_re
    f = _COURT_FINDING.search(text, lay.body_start)
    lay.finding_start = f.start() if f else None
    e = _EVIDENCE_START.search(text, lay.finding_start or lay.body_start)
    lay.evidence_start = e.start() if e else None
    spans = sentences(text)
    starts = [a for a, _b in spans]
    names_at: dict[int, set[str]] = {}
    for m in name_re.finditer(text):
        names_at.setdefault(bisect_right(starts, m.start()) - 1, set()).add(m.group())
    group_at = {bisect_right(starts, m.start()) - 1 for m in _GROUP.finditer(text)}
    defence_at = {bisect_right(starts, m.start()) - 1 for m in _DEFENCE.finditer(text)}
    defence_carry = False
    for i, (s, e_) in enumerate(spans):
        defence = i in defence_at or defence_carry
        lay.sentences.append(Sentence(s, e_, frozenset(names_at.get(i, ())), i in group_at, defence))
        defence_carry = defence and text[e_ - 1 : e_] in ("；", "：")
    return lay
