"""Which procedure the law allows: fast_track, summary, ordinary, or discretionary non_prosecution.

The conditions are those of 刑诉法 第214、215、222、223条 and 第177条第2款 (with 高检规则 第430、431、
437、438、370条); the numbers and exclusion lists come from ``data/procedure.yaml``. Every condition checked
becomes a ``Reason`` citing its article, so the suggestion explains itself.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field

from leniency.procedure.rules import ProcedureRules, load_rules

PROCEDURES = ("fast_track", "summary", "ordinary")
PROCEDURE_NAMES = {
    "fast_track": "速裁程序",
    "summary": "简易程序",
    "ordinary": "普通程序",
    "non_prosecution": "酌定不起诉",
}
# Sentence types after which "possible sentence of at most N years" can hold at all.
NON_CUSTODIAL_OR_TERM = {"fixed_term", "detention", "control", "exempt", "fine_only"}


@dataclass(frozen=True)
class CaseProfile:
    """What the procedure rules need to know about one defendant and their case."""

    basic_level_court: bool
    possible_sentence_type: str  # engine/recommendation sentence type (fixed_term, detention, …)
    possible_sentence_months: int  # the upper bound of the possible sentence, in months
    facts_clear: bool = True  # 案件事实清楚，证据确实、充分
    admits_facts: bool = True  # 承认自己所犯罪行，对指控的犯罪事实没有异议
    plea: bool = True  # 认罪认罚
    consents_fast_track: bool = True
    objects_summary: bool = False
    exclusions: frozenset[str] = field(default_factory=frozenset)  # ids from the data file
    engine_exempt: bool = False  # the engine found 免予刑事处罚


@dataclass(frozen=True)
class Reason:
    citation: str
    text: str
    met: bool


@dataclass(frozen=True)
class Eligibility:
    procedure: str
    eligible: bool
    reasons: tuple[Reason, ...]

    def failed(self) -> list[Reason]:
        return [r for r in self.reasons if not r.met]


@dataclass(frozen=True)
class ProcedureSuggestion:
    procedure: str  # fast_track | summary | ordinary
    non_prosecution_possible: bool
    evaluations: tuple[Eligibility, ...]
    rules_edition: str

    @property
    def name(self) -> str:
        return PROCEDURE_NAMES[self.procedure]

    def evaluation(self, procedure: str) -> Eligibility:
        for item in self.evaluations:
            if item.procedure == procedure:
                return item
        raise KeyError(procedure)

    def explanation(self) -> str:
        chosen = self.evaluation(self.procedure)
        parts = [f"建议适用{self.name}（{self._citation(self.procedure)}）。"]
        for proc in ("fast_track", "summary"):
            if proc == self.procedure:
                break
            failed = self.evaluation(proc).failed()
            if failed:
                why = "；".join(f"{r.text}（{r.citation}）" for r in failed)
                parts.append(f"不适用{PROCEDURE_NAMES[proc]}：{why}。")
        if self.non_prosecution_possible:
            parts.append(
                "另：犯罪情节轻微、依法可免除刑罚，可以作出酌定不起诉决定（刑诉法 第177条第2款），须经检察长批准。"
            )
        del chosen
        return "".join(parts)

    @staticmethod
    def _citation(procedure: str) -> str:
        return {
            "fast_track": "刑诉法 第222条",
            "summary": "刑诉法 第214条",
            "ordinary": "刑诉法 第三编第二章第一节",
        }[procedure]

    def to_dict(self) -> dict:
        return {
            "procedure": self.procedure,
            "procedure_name": self.name,
            "non_prosecution_possible": self.non_prosecution_possible,
            "explanation": self.explanation(),
            "rules_edition": self.rules_edition,
            "evaluations": [
                {
                    "procedure": e.procedure,
                    "eligible": e.eligible,
                    "reasons": [asdict(r) for r in e.reasons],
                }
                for e in self.evaluations
            ],
        }


def _exclusion_reasons(rules: ProcedureRules, procedure: str, present: frozenset[str]) -> list[Reason]:
    reasons = []
    for item in rules.exclusions(procedure):
        hit = item["id"] in present
        text = ("存在排除情形：" if hit else "无排除情形：") + item["text"]
        reasons.append(Reason(item["citation"], text, not hit))
    return reasons


def _within_three_years(rules: ProcedureRules, profile: CaseProfile) -> Reason:
    limit = int(rules.section("fast_track", "max_possible_sentence_months"))
    ok = profile.possible_sentence_type in NON_CUSTODIAL_OR_TERM and profile.possible_sentence_months <= limit
    text = (
        f"可能判处的刑罚（{profile.possible_sentence_months}个月）在{limit}个月（三年有期徒刑）以下"
        if ok
        else f"可能判处的刑罚超过{limit}个月（三年有期徒刑）"
    )
    return Reason("刑诉法 第222条第1款", text, ok)


def evaluate_fast_track(profile: CaseProfile, rules: ProcedureRules | None = None) -> Eligibility:
    rules = rules or load_rules()
    reasons = [
        Reason(
            "刑诉法 第222条第1款",
            "由基层人民法院管辖" if profile.basic_level_court else "不属基层人民法院管辖",
            profile.basic_level_court,
        ),
        _within_three_years(rules, profile),
        Reason(
            "刑诉法 第222条第1款",
            "案件事实清楚，证据确实、充分" if profile.facts_clear else "案件事实或证据尚不清楚、充分",
            profile.facts_clear,
        ),
        Reason("刑诉法 第222条第1款", "被告人认罪认罚" if profile.plea else "被告人未认罪认罚", profile.plea),
        Reason(
            "刑诉法 第222条第1款",
            "被告人同意适用速裁程序" if profile.consents_fast_track else "被告人不同意适用速裁程序",
            profile.consents_fast_track,
        ),
        *_exclusion_reasons(rules, "fast_track", profile.exclusions),
    ]
    return Eligibility("fast_track", all(r.met for r in reasons), tuple(reasons))


def evaluate_summary(profile: CaseProfile, rules: ProcedureRules | None = None) -> Eligibility:
    rules = rules or load_rules()
    reasons = [
        Reason(
            "刑诉法 第214条第1款",
            "由基层人民法院管辖" if profile.basic_level_court else "不属基层人民法院管辖",
            profile.basic_level_court,
        ),
        Reason(
            "刑诉法 第214条第1款第1项",
            "案件事实清楚、证据充分" if profile.facts_clear else "案件事实或证据尚不清楚、充分",
            profile.facts_clear,
        ),
        Reason(
            "刑诉法 第214条第1款第2项",
            "被告人承认所犯罪行，对指控的犯罪事实没有异议" if profile.admits_facts else "被告人对指控的犯罪事实有异议",
            profile.admits_facts,
        ),
        Reason(
            "刑诉法 第214条第1款第3项",
            "被告人对适用简易程序没有异议" if not profile.objects_summary else "被告人对适用简易程序有异议",
            not profile.objects_summary,
        ),
        *_exclusion_reasons(rules, "summary", profile.exclusions),
    ]
    return Eligibility("summary", all(r.met for r in reasons), tuple(reasons))


def evaluate_non_prosecution(profile: CaseProfile, rules: ProcedureRules | None = None) -> Eligibility:
    rules = rules or load_rules()
    types = set(rules.section("non_prosecution", "eligible_sentence_types"))
    minor = profile.engine_exempt or profile.possible_sentence_type in types
    reasons = [
        Reason(
            "刑诉法 第177条第2款",
            "犯罪情节轻微，依照刑法规定不需要判处刑罚或者免除刑罚"
            if minor
            else "依法需要判处刑罚，不属犯罪情节轻微可免除刑罚的情形",
            minor,
        ),
        Reason(
            "指导意见 第29条",
            "认罪认罚后没有争议" if profile.plea and profile.admits_facts else "未认罪认罚或对事实有争议",
            profile.plea and profile.admits_facts,
        ),
    ]
    return Eligibility("non_prosecution", all(r.met for r in reasons), tuple(reasons))


def suggest_procedure(profile: CaseProfile, rules: ProcedureRules | None = None) -> ProcedureSuggestion:
    """The simplest procedure the law allows (速裁 before 简易 before 普通), plus whether 酌定不起诉 is open."""
    rules = rules or load_rules()
    fast = evaluate_fast_track(profile, rules)
    summary = evaluate_summary(profile, rules)
    ordinary = Eligibility(
        "ordinary", True, (Reason("刑诉法 第三编第二章第一节", "第一审普通程序适用于所有公诉案件", True),)
    )
    non_pros = evaluate_non_prosecution(profile, rules)
    chosen = "fast_track" if fast.eligible else "summary" if summary.eligible else "ordinary"
    return ProcedureSuggestion(chosen, non_pros.eligible, (fast, summary, ordinary, non_pros), rules.edition)


def converted_after_withdrawal(profile: CaseProfile, rules: ProcedureRules | None = None) -> ProcedureSuggestion:
    """After a withdrawal (反悔) the plea is gone: fast_track no longer applies (刑诉法 第226条)."""
    from dataclasses import replace

    return suggest_procedure(replace(profile, plea=False, consents_fast_track=False), rules)
