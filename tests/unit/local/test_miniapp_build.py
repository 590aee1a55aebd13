"""`make run` rebuilds the Mini App when its sources change, and only then."""

from pathlib import Path

from infra.local.runner import miniapp_fingerprint


def test_the_fingerprint_changes_with_a_source_file_and_not_with_the_build(tmp_path: Path) -> None:
    app = tmp_path / "miniapp"
    (app / "src" / "pages").mkdir(parents=True)
    (app / "src" / "pages" / "Home.tsx").write_text("export const a = 1;\n")
    (app / "package.json").write_text("{}")
    before = miniapp_fingerprint(app)

    (app / "dist-local").mkdir()
    (app / "dist-local" / "index.html").write_text("<html></html>")
    assert miniapp_fingerprint(app) == before

    (app / "src" / "pages" / "Home.tsx").write_text("export const a = 2;\n")
    assert miniapp_fingerprint(app) != before
