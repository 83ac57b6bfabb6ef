import pytest
from django.core.exceptions import ValidationError

from leniency.accounts.models import Unit, User

pytestmark = pytest.mark.django_db


def test_demo_has_one_user_per_role(demo_users):
    roles = {u.role for u in demo_users.values()}
    assert roles == set(User.Role.values)


def test_demo_loading_is_idempotent(demo_users):
    from leniency.accounts.demo import load_units_and_users

    before = (Unit.objects.count(), User.objects.count())
    load_units_and_users()
    assert (Unit.objects.count(), User.objects.count()) == before


def test_passwords_are_hashed_with_argon2(demo_users):
    assert demo_users["prosecutor"].password.startswith("argon2")


def test_unit_hierarchy_must_descend():
    top = Unit.objects.create(name="某省院", kind="procuratorate", level="provincial", province_code="33")
    bad = Unit(name="某最高院", kind="procuratorate", level="supreme", parent=top)
    with pytest.raises(ValidationError) as exc:
        bad.full_clean()
    assert "上级单位的层级必须高于本单位" in str(exc.value)


def test_non_supreme_unit_needs_province():
    unit = Unit(name="某区院", kind="procuratorate", level="county")
    with pytest.raises(ValidationError) as exc:
        unit.full_clean()
    assert "province_code" in exc.value.message_dict


def test_ancestors_chain(demo_users):
    unit = demo_users["prosecutor"].unit
    names = [u.name for u in unit.ancestors_and_self()]
    assert names == ["杭州市西湖区人民检察院", "杭州市人民检察院", "浙江省人民检察院", "最高人民检察院"]
    assert unit.is_basic_level and unit.province == "浙江省"


def test_production_hashers_are_argon2_then_pbkdf2():
    from leniency.config import settings as production

    assert production.PASSWORD_HASHERS[0].endswith("Argon2PasswordHasher")
    assert production.PASSWORD_HASHERS[1].endswith("PBKDF2PasswordHasher")
