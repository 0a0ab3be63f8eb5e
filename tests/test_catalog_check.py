"""catalog_check: broken catalogs are named at the .po file, line and msgid."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
from helpers import strip_ansi
from sitebuild import REPO, sphinx_build

ROOT = Path(__file__).parent / "roots" / "test-catalog-check"
PO = "locales/zh_CN/LC_MESSAGES/index.po"
LONG_ID = (
    "Call ``torch.manual_seed`` first; :ref:`this page <top>` says why, and "
    "`PyTorch <https://pytorch.org/>`_ says more."
)


def build(tmp_path, edit=None, language="zh_CN"):
    """Build a copy of the root in ``language`` after ``edit(old) -> new`` of its catalog."""
    src = tmp_path / "src"
    shutil.copytree(ROOT, src)
    po = src / PO
    if edit:
        po.write_text(edit(po.read_text(encoding="utf-8")), encoding="utf-8")
    result = sphinx_build(src, src / "_build", "-D", f"language={language}")
    warnings = [line for line in strip_ansi(result.stderr).splitlines() if "WARNING:" in line]
    return src, result, warnings


def test_sound_catalog_builds_without_warnings(tmp_path):
    src, result, warnings = build(tmp_path)
    assert result.returncode == 0, result.stderr
    assert warnings == []
    text = (src / "_build/index.html").read_text(encoding="utf-8")
    assert "一个普通的句子。" in text


def test_missing_closing_quote_is_named_at_its_line(tmp_path):
    src, result, warnings = build(tmp_path, lambda s: s.replace('"一个普通的句子。"', '"一个普通的句子。'))
    assert result.returncode != 0
    assert warnings == [
        f"{src / PO}:26: WARNING: translation of msgid 'A plain sentence.': the string has no"
        ' closing double quote (in its msgstr): msgstr "一个普通的句子。 [catalog.syntax]'
    ]


def test_stray_quote_is_named_at_its_line(tmp_path):
    src, result, warnings = build(tmp_path, lambda s: s.replace('"目录"', '"目"录"'))
    assert result.returncode != 0
    assert warnings == [
        f"{src / PO}:14: WARNING: translation of msgid 'Catalogs': text after the string's"
        ' closing double quote (an unescaped ") (in its msgstr): msgstr "目"录" [catalog.syntax]'
    ]


def markup_warning(src, problem):
    return f"{src / PO}:17: WARNING: translation of msgid {LONG_ID!r}: {problem} [catalog.markup]"


@pytest.mark.parametrize(
    "old, new, problems, sphinx_warns",
    [
        (
            # Valid reST, published mangled: the literal ends after "torch".
            "``torch.manual_seed``",
            "``torch``.manual_seed``",
            [
                "the translation has a backquote (`) that opens or closes nothing: a literal,"
                " role or reference is not balanced",
                "its inline literals differ from the English: ``torch.manual_seed`` in msgid,"
                " ``torch`` in msgstr",
            ],
            False,
        ),
        (
            # Valid reST: the link is lost.
            ":ref:`本页 <top>`",
            "本页",
            ["its roles differ from the English: :ref:`top` in msgid, none in msgstr"],
            True,
        ),
        (
            "<https://pytorch.org/>`_ 说",
            "<https://pytorch.org/zh/>`_ 说",
            [
                "its references differ from the English: `https://pytorch.org/`_ in msgid,"
                " `https://pytorch.org/zh/`_ in msgstr"
            ],
            False,
        ),
    ],
    ids=["literal", "role", "reference"],
)
def test_markup_that_differs_from_the_english_is_named_at_the_msgid(
    tmp_path, old, new, problems, sphinx_warns
):
    """A mangled literal and a changed link target pass Sphinx silently; a lost
    role Sphinx reports at the English line only (``i18n.inconsistent_references``)."""
    def edit(text):
        head, found, tail = text.rpartition(old)  # in the msgstr, after its msgid
        assert found
        return head + new + tail

    src, result, warnings = build(tmp_path, edit)
    assert result.returncode != 0
    ours = [line for line in warnings if line.startswith(f"{src / PO}:")]
    assert ours == [markup_warning(src, problem) for problem in problems]
    others = [line for line in warnings if line not in ours]
    assert [line.endswith("[i18n.inconsistent_references]") for line in others] == (
        [True] if sphinx_warns else []
    )


def test_english_build_reads_no_catalog(tmp_path):
    _, result, warnings = build(tmp_path, lambda s: s.replace('"目录"', '"目录'), language="en")
    assert result.returncode == 0, result.stderr
    assert warnings == []


def test_every_catalog_of_the_site_passes():
    from sphinxext.translation.catalog_check import check_catalog

    catalogs = sorted((REPO / "locales").rglob("*.po"))
    assert len(catalogs) >= 10
    assert {str(path): check_catalog(path) for path in catalogs} == {str(p): [] for p in catalogs}


def test_msgfmt_rejects_what_the_checker_rejects(tmp_path):
    """The syntax rule is GNU gettext's: msgfmt -c agrees on the sound and the broken file."""
    msgfmt = shutil.which("msgfmt")
    if msgfmt is None:
        pytest.skip("msgfmt (Debian package gettext) is not installed: the cross-check needs it")
    from sphinxext.translation.catalog_check import syntax_problems

    po = tmp_path / "index.po"
    shutil.copy(ROOT / PO, po)
    command = [msgfmt, "-c", "-o", "/dev/null", str(po)]
    sound = subprocess.run(command, check=False, capture_output=True, text=True)
    assert sound.returncode == 0, sound.stderr
    assert syntax_problems(po) == []
    for old, new in [('"一个普通的句子。"', '"一个普通的句子。'), ('"目录"', '"目"录"'), ('"目录"', '"目\\q录"')]:
        po.write_text((ROOT / PO).read_text(encoding="utf-8").replace(old, new), encoding="utf-8")
        broken = subprocess.run(command, check=False, capture_output=True, text=True)
        assert broken.returncode != 0, new
        assert len(syntax_problems(po)) == 1, new
