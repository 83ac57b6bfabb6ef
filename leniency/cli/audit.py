"""`leniency audit verify`: check the hash chain of the audit log."""

from __future__ import annotations

import argparse

from leniency.cli import CommandError


def register(subparsers: argparse._SubParsersAction) -> None:
    p = subparsers.add_parser("audit", help="审计日志")
    sub = p.add_subparsers(dest="audit_command", metavar="子命令")
    sub.required = True
    v = sub.add_parser("verify", help="校验审计日志哈希链，发现被修改或删除的事件")
    v.set_defaults(func=cmd_verify)


def cmd_verify(args: argparse.Namespace) -> int:
    from leniency.cli.django_setup import setup_django

    setup_django()
    from leniency.audit.trail import verify

    result = verify()
    if not result.ok:
        for problem in result.problems:
            print(f"不通过：{problem}")
        raise CommandError(f"审计日志校验失败：发现 {len(result.problems)} 处问题（共 {result.events} 个事件）。")
    print(f"审计日志校验通过：共 {result.events} 个事件，哈希链完整。")
    return 0
