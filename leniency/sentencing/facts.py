"""The facts of one defendant, as the sentencing engine reads them.

Field names follow ../shared/GLOSSARY.md. Everything is optional unless the law cannot work without it, so
that extraction can fill what it finds; the engine raises `FactsError` naming the field when a charge lacks a
fact its rules need. Amounts are yuan, weights grams, blood alcohol mg/100ml, time hours.
"""

from __future__ import annotations

import datetime as dt
from enum import StrEnum
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from leniency.sentencing.errors import FactsError


class Role(StrEnum):
    principal = "principal"  # 主犯
    accessory = "accessory"  # 从犯
    coerced = "coerced"  # 胁从犯
    instigator = "instigator"  # 教唆犯


class Completion(StrEnum):
    completed = "completed"  # 既遂
    attempt = "attempt"  # 未遂
    abandonment = "abandonment"  # 中止
    preparation = "preparation"  # 预备


class MentalCapacity(StrEnum):
    full = "full"  # 完全刑事责任能力
    limited = "limited"  # 尚未完全丧失辨认或者控制能力的精神病人（刑法第18条第3款）


class PleaStage(StrEnum):
    none = "none"
    investigation = "investigation"  # 侦查
    prosecution_review = "prosecution_review"  # 审查起诉
    trial = "trial"  # 一审
    appeal_trial = "appeal_trial"  # 二审


class ConfessionKind(StrEnum):
    none = "none"
    ordinary = "ordinary"  # 如实供述自己罪行
    undiscovered_similar = "undiscovered_similar"  # 如实供述司法机关尚未掌握的同种较重罪行
    avoided_serious_consequence = "avoided_serious_consequence"  # 因如实供述避免特别严重后果发生


class MeritoriousService(StrEnum):
    none = "none"
    ordinary = "ordinary"  # 一般立功
    major = "major"  # 重大立功


class CompensationKind(StrEnum):
    none = "none"
    compensated_forgiven = "compensated_forgiven"  # 积极赔偿并取得谅解
    compensated = "compensated"  # 积极赔偿但没有取得谅解
    forgiven = "forgiven"  # 没有赔偿但取得谅解


class Gravity(StrEnum):
    lesser = "lesser"  # 情节较轻（仅用于法定刑设有“情节较轻”幅度的罪名）
    ordinary = "ordinary"  # 情节一般
    serious = "serious"  # 情节严重 / 其他严重情节
    especially_serious = "especially_serious"  # 情节特别严重 / 其他特别严重情节


class InjuryGrade(StrEnum):
    slight_injury = "slight_injury"  # 轻微伤
    minor_injury = "minor_injury"  # 轻伤（等级不明）
    minor_injury_2 = "minor_injury_2"  # 轻伤二级
    minor_injury_1 = "minor_injury_1"  # 轻伤一级
    serious_injury = "serious_injury"  # 重伤（等级不明）
    serious_injury_2 = "serious_injury_2"  # 重伤二级
    serious_injury_1 = "serious_injury_1"  # 重伤一级


class DrugType(StrEnum):
    heroin = "heroin"  # 海洛因
    methamphetamine = "methamphetamine"  # 甲基苯丙胺（冰毒）
    opium = "opium"  # 鸦片
    cocaine = "cocaine"  # 可卡因
    mdma = "mdma"  # MDMA 等苯丙胺类（甲基苯丙胺除外）
    morphine = "morphine"  # 吗啡
    fentanyl = "fentanyl"  # 芬太尼
    methcathinone = "methcathinone"  # 甲卡西酮
    ketamine = "ketamine"  # 氯胺酮
    methadone = "methadone"  # 美沙酮
    tramadol = "tramadol"  # 曲马多
    cannabis_oil = "cannabis_oil"  # 大麻油
    cannabis_resin = "cannabis_resin"  # 大麻脂
    cannabis_leaf = "cannabis_leaf"  # 大麻叶及大麻烟
    poppy_shell = "poppy_shell"  # 罂粟壳
    other = "other"  # 其他毒品：须填写 heroin_equivalent_grams


class DrivingConduct(StrEnum):
    drunk = "drunk"  # 醉酒驾驶机动车
    racing = "racing"  # 追逐竞驶，情节恶劣
    overload = "overload"  # 从事校车业务或者旅客运输，严重超员或者严重超速
    hazardous_chemicals = "hazardous_chemicals"  # 违规运输危险化学品，危及公共安全


class Responsibility(StrEnum):
    full = "full"  # 全部责任
    main = "main"  # 主要责任
    equal = "equal"  # 同等责任
    secondary = "secondary"  # 次要责任


class Situation(StrEnum):
    """Crime-specific situations named by the guideline or the interpretations; each crime's YAML says which apply."""

    # 盗窃 / 抢夺 / 敲诈勒索
    burglary = "burglary"  # 入户盗窃
    carrying_weapon = "carrying_weapon"  # 携带凶器盗窃
    pickpocketing = "pickpocketing"  # 扒窃
    # 交通肇事
    fled = "fled"  # 交通运输肇事后逃逸
    death_by_flight = "death_by_flight"  # 因逃逸致人死亡
    # 危险驾驶（醉驾意见 2023 第十条、第十四条）
    dd_accident_main_responsibility = "dd_accident_main_responsibility"  # 造成交通事故且负全部或者主要责任
    dd_accident_injury = "dd_accident_injury"  # 造成交通事故致他人轻微伤或者轻伤
    dd_unpaid_loss = "dd_unpaid_loss"  # 造成交通事故未赔偿损失
    dd_fled = "dd_fled"  # 造成交通事故后逃逸
    dd_no_licence = "dd_no_licence"  # 未取得机动车驾驶证驾驶汽车
    dd_overload_overspeed = "dd_overload_overspeed"  # 严重超员、超载、超速驾驶
    dd_drugged = "dd_drugged"  # 服用管制精神药品或者麻醉药品后驾驶
    dd_passenger_transport = "dd_passenger_transport"  # 从事客运活动且载有乘客
    dd_school_bus = "dd_school_bus"  # 从事校车业务且载有师生
    dd_expressway = "dd_expressway"  # 在高速公路上驾驶
    dd_heavy_truck = "dd_heavy_truck"  # 驾驶重型载货汽车
    dd_hazardous_goods = "dd_hazardous_goods"  # 运输危险化学品、危险货物
    dd_evading_check = "dd_evading_check"  # 逃避、阻碍公安机关依法检查
    dd_violent_resistance = "dd_violent_resistance"  # 以暴力手段抗拒检查或者实施妨害司法行为
    dd_obstructing_justice = "dd_obstructing_justice"  # 威胁、打击报复证人或者毁灭、伪造证据等妨害司法行为
    dd_prior_drink_driving_2y = "dd_prior_drink_driving_2y"  # 二年内曾因饮酒后驾驶被查获或者受过行政处罚
    dd_prior_drink_driving_5y = "dd_prior_drink_driving_5y"  # 五年内曾因饮酒后驾驶被查获或者受过行政处罚
    dd_prior_dangerous_driving = "dd_prior_dangerous_driving"  # 曾因危险驾驶被判决有罪或者作相对不起诉
    # 故意伤害
    especially_cruel = "especially_cruel"  # 以特别残忍手段
    # 强奸
    child_victim = "child_victim"  # 奸淫幼女
    rape_egregious = "rape_egregious"  # 强奸妇女、奸淫幼女情节恶劣
    public_place_rape = "public_place_rape"  # 在公共场所当众强奸妇女、奸淫幼女
    gang_rape = "gang_rape"  # 二人以上轮奸
    child_under_ten_or_injured = "child_under_ten_or_injured"  # 奸淫不满十周岁的幼女或者造成幼女伤害
    serious_consequence = "serious_consequence"  # 致被害人重伤或者造成其他严重后果
    # 非法拘禁
    beating_or_insult = "beating_or_insult"  # 具有殴打、侮辱情节
    official_abuse_of_power = "official_abuse_of_power"  # 国家机关工作人员利用职权非法扣押、拘禁他人
    # 抢劫
    home_invasion = "home_invasion"  # 入户抢劫
    public_transport = "public_transport"  # 在公共交通工具上抢劫
    financial_institution = "financial_institution"  # 抢劫银行或者其他金融机构
    impersonating_police_military = "impersonating_police_military"  # 冒充军警人员抢劫
    firearm = "firearm"  # 持枪抢劫
    relief_materials = "relief_materials"  # 抢劫军用物资或者抢险、救灾、救济物资
    # 诈骗
    telecom_fraud = "telecom_fraud"  # 电信网络诈骗
    # 信用卡诈骗
    malicious_overdraft = "malicious_overdraft"  # 恶意透支
    # 非法吸收公众存款
    restitution_before_prosecution = "restitution_before_prosecution"  # 提起公诉前积极退赃退赔，减少损害结果发生
    # 聚众斗殴
    large_scale_bad_influence = "large_scale_bad_influence"  # 聚众斗殴人数多，规模大，社会影响恶劣
    public_place_disorder = "public_place_disorder"  # 在公共场所或者交通要道聚众斗殴，造成社会秩序严重混乱
    armed_affray = "armed_affray"  # 持械聚众斗殴
    # 寻衅滋事
    gang_three_times = "gang_three_times"  # 纠集他人三次寻衅滋事，严重破坏社会秩序
    # 毒品
    uses_minor = "uses_minor"  # 利用、教唆未成年人走私、贩卖、运输、制造毒品
    sells_to_minor = "sells_to_minor"  # 向未成年人出售毒品
    drug_recidivism = "drug_recidivism"  # 毒品再犯
    hired_courier = "hired_courier"  # 受雇运输毒品
    low_purity = "low_purity"  # 毒品含量明显偏低
    quantity_inducement = "quantity_inducement"  # 存在数量引诱情形
    # 引诱、容留、介绍卖淫
    business_manager = "business_manager"  # 旅馆业等单位的主要负责人利用本单位条件


class DrugQuantity(BaseModel):
    model_config = ConfigDict(extra="forbid")

    type: DrugType = Field(title="毒品种类")
    grams: float = Field(ge=0, title="毒品数量（克）")
    heroin_equivalent_grams: float | None = Field(
        default=None, ge=0, title="折算海洛因数量（克）", description="其他毒品必填；已知毒品由规则数据折算"
    )

    @model_validator(mode="after")
    def _other_needs_equivalent(self) -> DrugQuantity:
        if self.type is DrugType.other and self.heroin_equivalent_grams is None:
            raise ValueError("其他毒品须填写折算海洛因数量 heroin_equivalent_grams")
        return self


class ChargeFacts(BaseModel):
    """One charge of the defendant with the crime-specific facts its rules read."""

    model_config = ConfigDict(extra="forbid")

    charge: str = Field(title="罪名", description="CAIL2018 规范罪名，如“盗窃罪”“走私、贩卖、运输、制造毒品罪”")
    amount: float | None = Field(default=None, ge=0, title="犯罪数额（元）")
    loss: float | None = Field(default=None, ge=0, title="损失数额（元）", description="直接经济损失或未追回损失")
    acts: int | None = Field(default=None, ge=0, title="犯罪次数")
    persons: int | None = Field(default=None, ge=0, title="人数", description="被害人、被拘禁人、卖淫人员、吸毒人员等")
    injuries: list[InjuryGrade] = Field(default_factory=list, title="伤情（每名被害人一项）")
    deaths: int = Field(default=0, ge=0, title="死亡人数")
    disability_grade: int | None = Field(default=None, ge=1, le=10, title="伤残等级（一至十级）")
    drugs: list[DrugQuantity] = Field(default_factory=list, title="毒品")
    blood_alcohol: float | None = Field(default=None, ge=0, le=2000, title="血液酒精含量（mg/100ml）")
    driving_conduct: DrivingConduct | None = Field(default=None, title="危险驾驶行为")
    accident_responsibility: Responsibility | None = Field(default=None, title="事故责任")
    detention_hours: float | None = Field(default=None, ge=0, title="拘禁时间（小时）")
    gravity: Gravity = Field(default=Gravity.ordinary, title="情节", description="数额、后果之外认定的情节严重程度")
    situations: list[Situation] = Field(default_factory=list, title="具体情形")

    @field_validator("charge")
    @classmethod
    def _strip_charge(cls, value: str) -> str:
        value = value.strip()
        if not value:
            raise ValueError("罪名不能为空")
        return value


class Circumstances(BaseModel):
    """The general circumstances of 法发〔2021〕21号 三."""

    model_config = ConfigDict(extra="forbid")

    surrender: bool = Field(default=False, title="自首")
    confession: ConfessionKind = Field(default=ConfessionKind.none, title="坦白")
    in_court_admission: bool = Field(default=False, title="当庭自愿认罪")
    meritorious_service: MeritoriousService = Field(default=MeritoriousService.none, title="立功")
    restitution: bool = Field(default=False, title="退赃退赔")
    restitution_ratio: float | None = Field(default=None, ge=0, le=1, title="退赃退赔比例（0–1）")
    compensation: CompensationKind = Field(default=CompensationKind.none, title="赔偿谅解")
    reconciliation: bool = Field(default=False, title="刑事和解")
    good_custody_behaviour: bool = Field(default=False, title="羁押期间表现好")
    recidivism: bool = Field(default=False, title="累犯")
    prior_record: bool = Field(default=False, title="前科", description="前科犯罪为过失犯罪或未成年人犯罪的不填")
    vulnerable_victim: bool = Field(default=False, title="犯罪对象为弱势人员")
    disaster_period: bool = Field(default=False, title="灾害期间故意犯罪")

    @model_validator(mode="after")
    def _ratio_implies_restitution(self) -> Circumstances:
        if self.restitution_ratio and not self.restitution:
            self.restitution = True
        return self


class Facts(BaseModel):
    """The facts of ONE defendant."""

    model_config = ConfigDict(extra="forbid")

    defendant: str | None = Field(default=None, title="被告人")
    province: str | None = Field(default=None, title="省份", description="如“浙江省”或“浙江”或行政区划代码前两位")
    locality: str | None = Field(default=None, title="地区", description="市、县名称，用于省内分类地区的数额标准")
    decision_date: dt.date | None = Field(default=None, title="量刑日期", description="为空时取当日")
    offence_date: dt.date | None = Field(default=None, title="犯罪日期")
    age_at_offence: int | None = Field(default=None, ge=0, le=130, title="犯罪时年龄")
    deaf_mute_or_blind: bool = Field(default=False, title="又聋又哑的人或者盲人")
    mental_capacity: MentalCapacity = Field(default=MentalCapacity.full, title="刑事责任能力")
    role: Role | None = Field(default=None, title="共同犯罪地位", description="单独犯罪为空")
    ringleader: bool = Field(default=False, title="犯罪集团首要分子")
    completion: Completion = Field(default=Completion.completed, title="犯罪形态")
    abandonment_caused_damage: bool = Field(default=False, title="中止犯造成损害")
    excessive_defence: bool = Field(default=False, title="防卫过当")
    excessive_necessity: bool = Field(default=False, title="避险过当")
    charges: list[ChargeFacts] = Field(min_length=1, title="罪名及事实")
    circumstances: Circumstances = Field(default_factory=Circumstances, title="量刑情节")
    plea: bool = Field(default=False, title="认罪认罚", description="plea_stage 不为 none 时自动为真")
    plea_stage: PleaStage = Field(default=PleaStage.none, title="认罪认罚阶段")
    exclusion: bool = Field(
        default=False,
        title="不予从宽或从严掌握",
        description="犯罪性质恶劣、手段残忍、后果特别严重等，依法不予从宽或从严掌握从宽幅度",
    )

    @model_validator(mode="after")
    def _consistency(self) -> Facts:
        if self.plea_stage is not PleaStage.none:
            self.plea = True
        elif self.plea:
            # The plea agreement is signed at prosecution review (刑诉法第174条), the usual stage when none is given.
            self.plea_stage = PleaStage.prosecution_review
        if self.offence_date and self.decision_date and self.offence_date > self.decision_date:
            raise ValueError("犯罪日期 offence_date 晚于量刑日期 decision_date")
        return self


# Chinese labels for error messages, collected from the models' field titles.
_LABELS: dict[str, str] = {}
for _model in (Facts, ChargeFacts, Circumstances, DrugQuantity):
    for _name, _field in _model.model_fields.items():
        _LABELS.setdefault(_name, _field.title or _name)

_ERROR_TEXT = {
    "missing": "缺少必填项",
    "extra_forbidden": "不是可识别的字段",
    "greater_than_equal": "不能小于 {ge}",
    "less_than_equal": "不能大于 {le}",
    "too_short": "至少需要 {min_length} 项",
    "enum": "取值无效，可选：{expected}",
    "date_from_datetime_parsing": "不是有效日期（格式 YYYY-MM-DD）",
    "date_parsing": "不是有效日期（格式 YYYY-MM-DD）",
    "date_type": "不是有效日期（格式 YYYY-MM-DD）",
    "date_from_datetime_inexact": "不是有效日期（格式 YYYY-MM-DD）",
    "int_parsing": "应为整数",
    "int_type": "应为整数",
    "int_from_float": "应为整数",
    "float_parsing": "应为数字",
    "float_type": "应为数字",
    "bool_parsing": "应为真或假",
    "bool_type": "应为真或假",
    "string_type": "应为文字",
    "list_type": "应为列表",
    "model_type": "应为对象",
    "model_attributes_type": "应为对象",
}


def _field_path(loc: tuple[Any, ...]) -> str:
    parts: list[str] = []
    for item in loc:
        if isinstance(item, int):
            parts.append(f"第{item + 1}项")
        else:
            label = _LABELS.get(str(item))
            parts.append(f"{label}（{item}）" if label and label != item else str(item))
    return " → ".join(parts) or "事实"


def facts_error_from_validation(exc: ValidationError) -> FactsError:
    """Turn pydantic's errors into one Chinese message naming every bad field."""
    messages = []
    fields = []
    for err in exc.errors(include_url=False):
        loc = tuple(x for x in err["loc"] if not (isinstance(x, str) and x.startswith("function-")))
        template = _ERROR_TEXT.get(err["type"])
        ctx = err.get("ctx") or {}
        if template is not None:
            try:
                text = template.format(**ctx)
            except (KeyError, IndexError):
                text = template
        elif err["type"] == "value_error":
            text = str(ctx.get("error", err["msg"]))
        else:
            text = f"取值无效（{err['msg']}）"
        messages.append(f"{_field_path(loc)}：{text}")
        fields.append(".".join(str(x) for x in loc))
    return FactsError("；".join(messages), field=fields[0] if fields else None)


def parse_facts(data: Any) -> Facts:
    """Validate a dict (e.g. JSON) into `Facts`, raising `FactsError` with a Chinese message on bad input."""
    if isinstance(data, Facts):
        return data
    if not isinstance(data, dict):
        raise FactsError("事实应为 JSON 对象", field=None)
    try:
        return Facts.model_validate(data)
    except ValidationError as exc:
        raise facts_error_from_validation(exc) from None
