"""Core subcommands: serve, migrate, demo, check, version."""

from __future__ import annotations

import argparse
import importlib
import os
import sys

from leniency import __version__
from leniency.cli.django_setup import setup_django


def register(subparsers: argparse._SubParsersAction) -> None:
    p = subparsers.add_parser("version", help="显示版本")
    p.set_defaults(func=cmd_version)

    p = subparsers.add_parser("migrate", help="建立或升级数据库结构")
    p.set_defaults(func=cmd_migrate)

    p = subparsers.add_parser("check", help="检查配置与数据库连接")
    p.set_defaults(func=cmd_check)

    p = subparsers.add_parser("demo", help="载入演示单位、每个角色一个用户和演示案件，并打印登录信息")
    p.set_defaults(func=cmd_demo)

    p = subparsers.add_parser("serve", help="以生产级服务器（gunicorn）提供网页与接口")
    p.add_argument("--host", default=os.environ.get("LENIENCY_HOST", "127.0.0.1"))
    p.add_argument("--port", type=int, default=int(os.environ.get("LENIENCY_PORT", "8000")))
    p.add_argument("--workers", type=int, default=int(os.environ.get("LENIENCY_WORKERS", "2")))
    p.set_defaults(func=cmd_serve)


def cmd_version(args: argparse.Namespace) -> int:
    print(f"leniency {__version__}")
    return 0


def cmd_migrate(args: argparse.Namespace) -> int:
    setup_django()
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=1)
    return 0


def cmd_check(args: argparse.Namespace) -> int:
    setup_django()
    from django.core.management import call_command
    from django.db import connection

    call_command("check")
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    print(f"数据库连接正常：{connection.vendor}")
    return 0


DEMO_LOADERS = [
    # (module, function): later features append their demo data here.
    ("leniency.cases.demo", "load_demo_cases"),
]


def cmd_demo(args: argparse.Namespace) -> int:
    setup_django()
    from leniency.accounts.demo import DEMO_PASSWORD, load_units_and_users

    logins = load_units_and_users()
    for module_name, func_name in DEMO_LOADERS:
        try:
            module = importlib.import_module(module_name)
        except ModuleNotFoundError as exc:
            if exc.name != module_name:
                raise
            continue
        getattr(module, func_name)()
    print(f"演示账户（密码均为 {DEMO_PASSWORD}）：")
    for login in logins:
        print(f"  {login.username:<12} {login.role:<10} {login.full_name}（{login.unit}）")
    return 0


def cmd_serve(args: argparse.Namespace) -> int:
    setup_django()
    from django.conf import settings
    from django.core.management import call_command

    call_command("collectstatic", interactive=False, verbosity=0)
    print(f"Leniency 正在服务：http://{args.host}:{args.port}/  （接口文档：http://{args.host}:{args.port}/api/docs）")
    sys.stdout.flush()
    gunicorn = os.path.join(os.path.dirname(sys.executable), "gunicorn")
    argv = [
        gunicorn,
        "leniency.config.wsgi:application",
        "--bind",
        f"{args.host}:{args.port}",
        "--workers",
        str(args.workers),
        "--timeout",
        "120",
        "--access-logfile",
        "-",
    ]
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "leniency.config.settings")
    del settings  # settings were loaded only to fail early on a bad configuration
    os.execv(gunicorn, argv)
    return 0  # pragma: no cover
