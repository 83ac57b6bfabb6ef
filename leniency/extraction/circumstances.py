"""General circumstances (量刑情节) of one defendant: surrender, confession, plea, record, age …"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date

from leniency.extraction.segment import Layout, Sentence, candidates
from leniency.extraction.text import CN_NUM, find_dates, years_between

Emit = Callable[[str, object, int, int], None]

_NEG = re.compile(
    r"(?:不|未|没有|无|否认|不能|不应|不宜|不再|难以|并非|非)"
    r"(?:构成|认定|属于?|成立|具有|存在|系|是|视为|具备|予以?|能|以|有)?[^，。；,]{0,2}$"
)

_SURRENDER = re.compile(
    r"自首|投案|(?:主动|自动|自行)(?:到|至|前往|去|来到).{0,20}?(?:公安|派出所|检察|交警|交通|刑警|警务).{0,12}?"
    r"(?:交代|说明|接受(?:调查|处理))"
)
_SURRENDER_NOT = re.compile(r"劝说[^，。；]{0,10}$|带领民警|陪同民警")
# 坦白: a truthful confession after arrest; an admission made only in court is in_court_admission.
_CONFESSION = re.compile(
    r"如实(?:供述|交代|交待|陈述|供认)|坦白|主动交代|主动供述|(?:归案|到案|抓获|案发)后.{0,16}?供认不讳"
)
_IN_COURT_BEFORE = re.compile(r"(?:当庭|庭审中|庭审时|庭审过程中|法庭上|在庭审)[^，。；]{0,6}$")
_UNKNOWN_SAME = re.compile(r"(?:尚未掌握|未掌握)的?.{0,8}?(?:同种|罪行)")
_AVOIDED = re.compile(r"避免.{0,8}?特别严重后果")
_IN_COURT = re.compile(
    r"当庭(?:自愿)?(?:认罪|表示认罪|承认)|庭审中.{0,10}?(?:认罪|供认不讳|如实供述)|(?:开庭审理过程中|庭审过程中|庭审时|在法庭上).{0,15}?(?:无异议|认罪|供认)|对(?:公诉机关|起诉书|检察院|公诉人)?指控的(?:犯罪)?事实(?:及|和|、)?(?:罪名)?.{0,8}?(?:无异议|没有异议|均无异议|供认不讳|予以承认|表示认可)"
)
_PLEA = re.compile(r"认罪认罚|具结|自愿认罪.{0,4}?(?:认罚|接受处罚)|同意.{0,6}?量刑建议.{0,10}?签")
_PLEA_NEG = re.compile(r"(?:不|未|没有|拒绝|拒不|否认)(?:愿意|予)?(?:认罪认罚|签署|签字|同意|具结)")
_EVIDENCE_LIST = re.compile(r"等证据|证据证实|证据证明|予以证实|书证")
_STAGE_INVESTIGATION = re.compile(r"侦查(?!机关)")
_STAGE_PROSECUTION = re.compile(r"审查起诉|公诉机关|检察|具结")
_STAGE_TRIAL = re.compile(r"当庭|庭审|庭上|审理中|审判阶段")
_MERIT = re.compile(r"(?:重大)?立功|检举揭发.{0,30}?(?:查证属实|属实)|协助.{0,6}?(?:公安|侦查)?.{0,6}?抓获")
_RESTITUTION = re.compile(
    r"退赃|退赔|退还.{0,10}?(?:赃款|被害|款|财物)|退缴|退出.{0,4}?(?:赃|违法所得|款)|主动退还|返还.{0,6}?(?:被害|赃)"
)
_RESTITUTION_FULL = re.compile(
    r"全部(?:退赃|退赔|退还|返还|退缴)|(?:退赃|退赔|退还|返还|退缴)(?:了)?全部|已全额(?:退|返)|全额退"
)
_RESTITUTION_PART = re.compile(r"部分(?:退赃|退赔|退还|返还|退缴)|(?:退赃|退赔|退还|返还|退缴)(?:了)?部分")
_COMPENSATION = re.compile(
    r"(?:赔偿|补偿)(?:了)?(?:被害人|被害方|对方|受害人|死者|其|伤者|家属|近亲属)?.{0,12}?(?:经济)?损失|达成.{0,6}?赔偿协议|赔偿.{0,12}?(?:\d|[一二三四五六七八九十]).{0,8}?元|已(?:经)?(?:全部|足额)?赔偿|积极赔偿"
)
_FORGIVENESS = re.compile(r"谅解")
_FORGIVENESS_NEG = re.compile(r"(?:未|没有|不|未能|拒绝|不予|并未|不愿)(?:获得|取得|得到|出具|表示)?.{0,6}?谅解")
_RECONCILIATION = re.compile(r"刑事和解|达成.{0,4}?和解|和解协议")
_RECIDIVISM = re.compile(r"累犯")
_DRUG_RECIDIVISM = re.compile(r"毒品再犯")
_PRINCIPAL = re.compile(r"主犯|起主要作用|起组织.{0,4}?作用|首要分子")
_ACCESSORY = re.compile(r"从犯|起次要作用|起辅助作用|次要作用|辅助作用")
_COERCED = re.compile(r"胁从犯|被胁迫参加")
_INSTIGATOR = re.compile(r"教唆犯")
_ATTEMPT = re.compile(r"未遂|未得逞|未能得逞")
_ABANDON = re.compile(r"犯罪中止|中止犯|自动放弃犯罪|属中止")
_PREPARATION = re.compile(r"犯罪预备|预备犯")
_MINOR = re.compile(r"未成年|不满(?:十八|18)周岁|未满(?:十八|18)周?岁|已满(?:十六|16|十四|14)周岁不满(?:十八|18)周岁")

_BIRTH = re.compile(r"出生|生于|生，|生。|生\)|生）")
# a prior conviction: "因犯X罪于…被…判处…", "曾因盗窃罪被判…" (not "因涉嫌犯…罪被刑事拘留")
_PRIOR = re.compile(
    r"(?:因犯|曾因犯?|曾犯|又因犯?|因(?!涉嫌)(?=[^。；，]{1,20}?罪))[^。；]{0,40}?罪[^。；]{0,60}?"
    r"(?:判处|判决|判刑|被[^。；]{0,20}?法院)|刑满释放"
)
_PRIOR_SENTENCE = re.compile(
    rf"判处(有期徒刑|拘役|管制|无期徒刑|某某)((?:{CN_NUM}|\d{1, 15})年)?(?:零?((?:{CN_NUM}|\d{1, 15}))个月)?"
)
_RELEASE = re.compile(r"刑满释放|减刑释放|释放|假释|执行完毕|出狱")
_PROBATION = re.compile(r"缓刑")
_NEGLIGENT_PRIOR = re.compile(r"交通肇事|过失|失火|重大责任事故")
_CRIME = re.compile(r"[\u4e00-\u9fa5]{2,12}?罪")
# charges whose heaviest penalty is 拘役: a new offence of these cannot make a 累犯 (刑法第65条)
DETENTION_ONLY = frozenset({"危险驾驶罪", "使用虚假身份证件、盗用身份证件罪", "代替考试罪"})


def _negated(text: str, start: int) -> bool:
    return bool(_NEG.search(text[max(0, start - 8) : start]))


class Reader:
    """Runs the circumstance patterns over the sentences attributed to one defendant."""

    def __init__(
        self,
        text: str,
        lay: Layout,
        defendant: str,
        sents: list[Sentence],
        emit: Emit,
        charges: list[str] | None = None,
    ):
        self.text = text
        self.lay = lay
        self.defendant = defendant
        self.sents = sents
        self.charges = charges or []
        self._sink = emit
        self.found: dict[str, tuple[object, int, int]] = {}

    def emit(self, field: str, value: object, start: int, end: int) -> None:
        if field not in self.found:
            self.found[field] = (value, start, end)
            self._sink(field, value, start, end)

    def _scan(self, pattern: re.Pattern, *, defence_ok: bool = False, negatable: bool = True):
        for s in candidates(self.text, pattern, self.sents):
            if s.defence and not defence_ok:
                continue
            for m in pattern.finditer(self.text, s.start, s.end):
                if negatable and _negated(self.text, m.start()):
                    continue
                if not self.lay.subject_ok(s, self.defendant, m.start()):
                    continue
                yield s, m

    def flag(self, field: str, pattern: re.Pattern, value: object = True, **kw) -> bool:
        for _s, m in self._scan(pattern, **kw):
            self.emit(field, value, m.start(), m.end())
            return True
        return False

    def run(self, offence_date: date | None) -> None:
        text = self.text
        for s, m in self._scan(_SURRENDER):
            if _SURRENDER_NOT.search(text, max(s.start, m.start() - 10), m.start()):
                continue
            self.emit("surrender", True, m.start(), m.end())
            break
        for s, m in self._scan(_CONFESSION):
            if _IN_COURT_BEFORE.search(text, max(s.start, m.start() - 12), m.start()):
                continue
            self.emit("confession", True, m.start(), m.end())
            break
        if "confession" in self.found:
            kind = "ordinary"
            for _s, m in self._scan(_UNKNOWN_SAME):
                kind = "unknown_same_crime"
                self.emit("confession_kind", kind, m.start(), m.end())
                break
            for _s, m in self._scan(_AVOIDED):
                kind = "avoided_serious_consequence"
                self.emit("confession_kind", kind, m.start(), m.end())
                break
            if kind == "ordinary":
                _value, start, end = self.found["confession"]
                self.emit("confession_kind", kind, start, end)
        self.flag("in_court_admission", _IN_COURT)
        self._plea()
        for _s, m in self._scan(_MERIT):
            self.emit(
                "meritorious_service", "major" if m.group().startswith("重大") else "ordinary", m.start(), m.end()
            )
            break
        if self.flag("restitution", _RESTITUTION):
            for pat, share in ((_RESTITUTION_FULL, 1.0), (_RESTITUTION_PART, 0.5)):
                hit = next(self._scan(pat), None)
                if hit:
                    self.emit("restitution_share", share, hit[1].start(), hit[1].end())
                    break
        self.flag("compensation", _COMPENSATION)
        for s, m in self._scan(_FORGIVENESS, negatable=False):
            if _FORGIVENESS_NEG.search(text, max(s.start, m.start() - 12), m.end()):
                continue
            self.emit("forgiveness", True, m.start(), m.end())
            break
        self.flag("reconciliation", _RECONCILIATION)
        self.flag("recidivism", _RECIDIVISM)
        self.flag("drug_recidivism", _DRUG_RECIDIVISM)
        self._role()
        self._completion()
        self._record(offence_date)

    def _plea(self) -> None:
        """认罪认罚 and the earliest stage the text names for it (a plea statement by the defence counts)."""
        hits = []
        for s, m in self._scan(_PLEA, defence_ok=True):
            chunk = self.text[s.start : s.end]
            if _PLEA_NEG.search(self.text, max(s.start, m.start() - 6), m.end()):
                continue
            if _EVIDENCE_LIST.search(chunk) and "认罪认罚" not in chunk.replace("认罪认罚具结书", ""):
                # "认罪认罚具结书等证据" only says some plea agreement is in the file
                continue
            hits.append((s, m))
        if not hits:
            return
        first = hits[0][1]
        self.emit("plea", True, first.start(), first.end())
        stage = None
        for s, m in hits:
            chunk = self.text[s.start : s.end]
            if _STAGE_INVESTIGATION.search(chunk):
                stage = ("investigation", m)
                break
            if stage is None and _STAGE_PROSECUTION.search(chunk):
                stage = ("prosecution_review", m)
            elif stage is None and _STAGE_TRIAL.search(chunk) and not chunk.startswith("本院"):
                stage = ("trial", m)
        value, m = stage if stage else ("prosecution_review", first)
        self.emit("plea_stage", value, m.start(), m.end())

    def _own_prior(self, s: Sentence) -> bool:
        m = _PRIOR.search(self.text, s.start, s.end)
        return bool(m) and self.defendant in self.text[max(s.start, m.start() - 12) : m.start() + 2]

    def _role(self) -> None:
        # Principal wins when both words appear only if it names this defendant directly.
        for field_value, pattern in (
            ("coerced", _COERCED),
            ("instigator", _INSTIGATOR),
            ("accessory", _ACCESSORY),
            ("principal", _PRINCIPAL),
        ):
            for s, m in self._scan(pattern):
                if len(self.lay.names) > 1 and not s.names and not s.group:
                    # carried-over attribution is too weak for a role
                    continue
                if s.names and len(s.names) > 1 and self.defendant in s.names:
                    # "A系主犯，B系从犯": take the role named right after this defendant
                    own = _own_clause(self.text, s, self.defendant, self.lay.names)
                    if own is None or not (own[0] <= m.start() < own[1]):
                        continue
                self.emit("role", field_value, m.start(), m.end())
                return

    def _completion(self) -> None:
        for value, pattern in (("abandonment", _ABANDON), ("preparation", _PREPARATION), ("attempt", _ATTEMPT)):
            for _s, m in self._scan(pattern):
                if re.search(r"部分|其中|一起|一次|第.起", self.text[max(_s.start, m.start() - 30) : m.start()]):
                    # only part of the acts failed: the crime as a whole is completed
                    self.emit("partial_attempt", True, m.start(), m.end())
                    continue
                self.emit("completion", value, m.start(), m.end())
                return

    def _record(self, offence_date: date | None) -> None:
        """前科 and 累犯 from the defendant paragraph (or, without one, from sentences naming the defendant)."""
        text = self.text
        span = self.lay.headers.get(self.defendant)
        regions = [span] if span else [(s.start, s.end) for s in self.sents if self._own_prior(s)]
        if not regions:
            if "recidivism" in self.found:
                _v, a, b = self.found["recidivism"]
                self.emit("prior_record", True, a, b)
            return
        birth = None
        if span:
            start, end = span
            dates = find_dates(text, start, end)
            for m in _BIRTH.finditer(text, start, end):
                before = [d for d in dates if d[2] <= m.start() and m.start() - d[2] <= 4]
                if before:
                    birth = before[-1]
                    self.emit("birth_date", birth[0].isoformat(), birth[1], m.end())
                    if offence_date:
                        age = years_between(birth[0], offence_date)
                        if 10 <= age <= 100:
                            self.emit("age_at_offence", age, birth[1], m.end())
                    break
        served = None
        for start, end in regions:
            for m in _PRIOR.finditer(text, start, end):
                clause_end = _clause_end(text, m.end(), end)
                clause = text[m.start() : clause_end]
                if "本案" in clause or "涉嫌" in text[max(start, m.start() - 2) : m.start() + 4]:
                    continue
                crimes = _CRIME.findall(clause.split("判处")[0])
                if crimes and all(_NEGLIGENT_PRIOR.search(c) for c in crimes):
                    continue
                when = find_dates(text, max(start, m.start() - 16), clause_end)
                if birth and when and years_between(birth[0], when[0][0]) < 18:
                    # a juvenile record is neither 前科 for sentencing nor a ground of 累犯
                    continue
                self.emit("prior_record", True, m.start(), min(m.end(), clause_end))
                sentence = _PRIOR_SENTENCE.search(text, m.start(), clause_end)
                if sentence is None or sentence.group(1) not in ("有期徒刑", "某某"):
                    continue
                if _PROBATION.search(text, sentence.end(), min(clause_end, sentence.end() + 12)):
                    continue
                rel = _RELEASE.search(text, sentence.end(), clause_end)
                if rel:
                    rel_dates = find_dates(text, sentence.end(), rel.end())
                    if rel_dates and sentence.group(1) == "某某":
                        # CAIL masks the penalty; more than a year served can only be 有期徒刑 (or life)
                        if not when or (rel_dates[-1][0] - when[0][0]).days <= 366:
                            rel_dates = []
                    if rel_dates:
                        served = (rel_dates[-1][0], sentence.start(), rel.end())
        if "recidivism" in self.found:
            _v, a, b = self.found["recidivism"]
            self.emit("prior_record", True, a, b)
            return
        if served is None or offence_date is None:
            return
        if self.charges and all(c in DETENTION_ONLY for c in self.charges):
            return
        if 0 <= (offence_date - served[0]).days <= 5 * 365 + 1:
            self.emit("recidivism", True, served[1], served[2])


def _clause_end(text: str, pos: int, limit: int) -> int:
    """End of one record entry: the next 。 or ； (entries of a criminal record are listed that way)."""
    for i in range(pos, limit):
        if text[i] in "。；;":
            return i
    return limit


def _own_clause(text: str, s: Sentence, defendant: str, names: list[str]) -> tuple[int, int] | None:
    """The stretch of the sentence from this defendant's name to the next defendant's name."""
    chunk = text[s.start : s.end]
    pos = chunk.find(defendant)
    if pos < 0:
        return None
    nxt = len(chunk)
    for n in names:
        if n == defendant or defendant in n:
            continue
        p = chunk.find(n, pos + len(defendant))
        if 0 <= p < nxt:
            nxt = p
    return s.start + pos, s.start + nxt
