"""The engine's output: the recommendation with its explained, cited trace."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

from pydantic import BaseModel, Field

SentenceType = Literal["fixed_term", "detention", "control", "exempt", "fine_only", "life", "death"]
# The sentence types whose length is a number of months.
TERM_TYPES = ("fixed_term", "detention", "control")
Confiscation = Literal["all", "part"]

TYPE_LABELS: dict[str, str] = {
    "fixed_term": "有期徒刑",
    "detention": "拘役",
    "control": "管制",
    "exempt": "免予刑事处罚",
    "fine_only": "单处罚金",
    "life": "无期徒刑",
    "death": "死刑",
}

# 刑法第五十九条第一款: 没收犯罪分子个人所有财产的一部或者全部.
CONFISCATION_LABELS: dict[str, str] = {"all": "没收个人全部财产", "part": "没收个人部分财产"}


@dataclass(slots=True)
class TraceStep:
    """One step of the method: rule id, citation, inputs, result and one Chinese sentence.

    A slotted dataclass rather than a model: a recommendation builds a dozen of these, and pydantic still
    validates and serialises them as part of `Recommendation`.
    """

    rule_id: str
    citation: str
    inputs: dict[str, Any]
    result: Any
    explanation: str

    def model_dump(self, mode: str = "python") -> dict[str, Any]:
        """The step as a dict (same call as on the pydantic models, for callers that dump single steps)."""
        return {
            "rule_id": self.rule_id,
            "citation": self.citation,
            "inputs": self.inputs,
            "result": self.result,
            "explanation": self.explanation,
        }


class Sentence(BaseModel):
    type: SentenceType = Field(title="刑种")
    months: int = Field(title="刑期（月）")
    range: tuple[int, int] = Field(title="幅度（月）")
    probation: bool = Field(default=False, title="建议缓刑")
    probation_months: int | None = Field(default=None, title="缓刑考验期（月）")
    fine: int | None = Field(default=None, title="罚金（元）")
    confiscation: Confiscation | None = Field(default=None, title="没收财产（all 全部 / part 部分）")


class ChargeResult(BaseModel):
    charge: str = Field(title="罪名")
    outside_guideline: bool = Field(title="不属于指导意见23种常见犯罪")
    starting_point: float = Field(title="量刑起点（月）")
    baseline: float = Field(title="基准刑（月）")
    adjusted: float = Field(title="调节结果（月）")
    statutory_range: tuple[int, int | None] = Field(title="法定刑幅度（月）")
    sentence: Sentence = Field(title="个罪刑罚")


class Recommendation(BaseModel):
    sentence: Sentence = Field(title="量刑建议")
    charges: list[ChargeResult] = Field(default_factory=list, title="个罪")
    trace: list[TraceStep] = Field(default_factory=list, title="计算过程")
    rule_edition: str = Field(title="规则版本")
    outside_guideline: bool = Field(default=False, title="含指导意见以外罪名")
    warnings: list[str] = Field(default_factory=list, title="提示")
