"""docs/deploy.md's environment-variable table is what scripts/deploy-docs writes from the settings now."""

from pathlib import Path

from kansenagenda.envvars import BEGIN, END, markdown_table, names

ROOT = Path(__file__).resolve().parent.parent


def test_env_table_is_current():
    document = (ROOT / "docs/deploy.md").read_text(encoding="utf-8")
    committed = document[document.index(BEGIN) : document.index(END) + len(END)]
    assert committed == markdown_table(), "run scripts/deploy-docs and commit docs/deploy.md"


def test_env_table_lists_every_variable_and_the_readme_links_it():
    table = markdown_table()
    assert all(f"| `{name}` |" in table for name in names())
    assert "STORAGE_BACKEND" in names() and "S3_BUCKET" in names() and "CELERY_TASK_DEFAULT_QUEUE" in names()
    assert "docs/deploy.md" in (ROOT / "README.md").read_text(encoding="utf-8")
