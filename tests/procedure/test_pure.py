import subprocess
import sys


def test_procedure_core_does_not_import_django():
    code = "import sys, leniency.procedure as p; p.suggest_procedure; assert not any(m.startswith('django') for m in sys.modules)"
    subprocess.run([sys.executable, "-c", code], check=True)


def test_every_rule_in_the_data_file_cites_its_source():
    from leniency.procedure import load_rules

    rules = load_rules()
    for procedure in ("fast_track", "summary"):
        for item in rules.exclusions(procedure):
            assert item["citation"].startswith(("刑诉法", "高检规则", "指导意见")) and item["text"]
    for name, section in rules.section("deadlines").items():
        for sub in section.values() if "citation" not in section else [section]:
            assert "第" in sub["citation"] and "条" in sub["citation"], name
