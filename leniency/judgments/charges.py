"""Charge names: the canonical CAIL2018 name for a charge written selectively in a judgment."""

from __future__ import annotations

import re
from functools import lru_cache

# Selective charges (选择性罪名): a judgment names only the acts committed (贩卖毒品罪), the canonical name
# lists them all. A written charge whose acts are a subset of one of these maps to it.
SELECTIVE_CHARGES = (
    "走私、贩卖、运输、制造毒品罪",
    "非法制造、买卖、运输、邮寄、储存枪支、弹药、爆炸物罪",
    "非法持有、私藏枪支、弹药罪",
    "掩饰、隐瞒犯罪所得、犯罪所得收益罪",
    "伪造、变造、买卖国家机关公文、证件、印章罪",
    "伪造、变造、买卖身份证件罪",
    "非法收购、运输、出售珍贵、濒危野生动物、珍贵、濒危野生动物制品罪",
    "非法猎捕、杀害珍贵、濒危野生动物罪",
    "制造、贩卖、传播淫秽物品罪",
    "虚开增值税专用发票、用于骗取出口退税、抵扣税款发票罪",
    "引诱、容留、介绍卖淫罪",
    "组织、领导、参加黑社会性质组织罪",
    "非法采伐、毁坏国家重点保护植物罪",
    "非法收购、运输盗伐、滥伐的林木罪",
    "生产、销售伪劣产品罪",
    "生产、销售有毒、有害食品罪",
    "生产、销售不符合安全标准的食品罪",
    "生产、销售假药罪",
    "走私普通货物、物品罪",
    "妨害信用卡管理罪",
    "窃取、收买、非法提供信用卡信息罪",
    "非法买卖、运输、携带、持有毒品原植物种子、幼苗罪",
    "非法持有、私藏枪支、弹药罪",
    "拐卖妇女、儿童罪",
    "聚众扰乱社会秩序罪",
    "假冒注册商标罪",
    "销售假冒注册商标的商品罪",
    "非法侵入住宅罪",
)

_ACT_SPLIT = re.compile(r"[、，,]")


def _parts(name: str) -> set[str]:
    return {p for p in _ACT_SPLIT.split(name.removesuffix("罪")) if p}


@lru_cache(maxsize=4096)
def canonical_charge(charge: str) -> str:
    """'贩卖毒品罪' → '走私、贩卖、运输、制造毒品罪'; a charge that is not selective is returned unchanged."""
    charge = charge.strip()
    if not charge:
        return charge
    if charge in SELECTIVE_CHARGES:
        return charge
    # the object (毒品) is written once after the acts: 贩卖、运输毒品 → acts {贩卖, 运输} + object 毒品
    for canonical in SELECTIVE_CHARGES:
        tail = _common_tail(canonical)
        body = charge.removesuffix("罪")
        if not tail or not body.endswith(tail):
            continue
        acts = _parts(body.removesuffix(tail))
        canonical_acts = _parts(canonical.removesuffix("罪").removesuffix(tail))
        if acts and acts <= canonical_acts:
            return canonical
    return charge


def _common_tail(canonical: str) -> str:
    last = canonical.removesuffix("罪").split("、")[-1]
    # the object shared by every act: the last part after its leading verb (制造毒品 → 毒品)
    for verb in (
        "制造",
        "储存",
        "私藏",
        "收益",
        "印章",
        "证件",
        "制品",
        "物品",
        "发票",
        "卖淫",
        "组织",
        "植物",
        "林木",
    ):
        if last.startswith(verb) and len(last) > len(verb):
            return last[len(verb) :]
    return ""


def charges_text(charges: list[str]) -> str:
    """One line for a list of charges: 盗窃罪、诈骗罪."""
    return "、".join(charges)
