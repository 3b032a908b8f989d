"""``dei-geo brief`` and ``dei-geo export --out maps.pptx``: exit codes, messages, nothing half-written."""

import errno
import io
import os

import pytest
from pptx import Presentation

from dei_geo import cli
from dei_geo.briefs import fonts
from dei_geo.core import files


def test_one_city(tmp_path, capsys):
    out = tmp_path / "湖州.pptx"
    assert cli.main(["brief", "huzhou", "--out", str(out)]) == 0
    assert out.read_bytes()[:2] == b"PK" and str(out) in capsys.readouterr().out


@pytest.mark.parametrize(("city", "said"), [
    ("杭洲", "杭州 (330100)"),  # a homophone: suggested
    ("suzhou", "苏州 (320500)、宿州 (341300)"),  # ambiguous: both named
    ("xyzq", "没有叫“xyzq”的城市"),
])
def test_unknown_or_ambiguous_city_exits_2_with_suggestions(tmp_path, capsys, city, said):
    assert cli.main(["brief", city, "--out", str(tmp_path / "x.pdf")]) == 2
    assert said in capsys.readouterr().err and not list(tmp_path.iterdir())


def test_usage_errors_exit_2(tmp_path, capsys):
    assert cli.main(["brief", "杭州", "--out", str(tmp_path / "x.docx")]) == 2
    assert cli.main(["brief", "--out", str(tmp_path)]) == 2
    assert cli.main(["brief", "杭州", "--province", "浙江", "--out", str(tmp_path)]) == 2
    assert cli.main(["brief", "--province", "火星", "--out", str(tmp_path)]) == 2
    (tmp_path / "file").write_text("x")
    assert cli.main(["brief", "--province", "北京", "--out", str(tmp_path / "file")]) == 2
    err = capsys.readouterr().err
    assert ".docx" in err and "火星" in err and "浙江省" in err and "--province" in err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["file"]


def test_folder_that_cannot_be_written_is_said_before_drawing(tmp_path, capsys):
    (tmp_path / "file").write_text("x")
    out = tmp_path / "file" / "briefs" / "杭州.pdf"  # below a file: no such folder can exist
    assert cli.main(["brief", "杭州", "--out", str(out)]) == 1
    assert cli.main(["brief", "--province", "北京", "--out", str(tmp_path / "file" / "d")]) == 1
    err = capsys.readouterr().err
    assert "无法写入" in err and "所在的文件夹不存在" in err and "没有留下写了一半的文件" in err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["file"]


def test_disk_full_mid_batch_leaves_whole_files_only(tmp_path, monkeypatch, capsys):
    real = files.os.fsync

    def fsync(fd):  # the disk fills up while the deck, the batch's last file, is written
        if ".北京市.pptx." in os.readlink(f"/proc/self/fd/{fd}"):
            raise OSError(errno.ENOSPC, "No space left on device")
        real(fd)

    monkeypatch.setattr(files.os, "fsync", fsync)
    assert cli.main(["brief", "--province", "北京", "--out", str(tmp_path)]) == 1
    assert "磁盘已满" in capsys.readouterr().err
    left = sorted(p.name for p in tmp_path.iterdir())
    assert left == ["北京.pdf"] and (tmp_path / "北京.pdf").read_bytes().startswith(b"%PDF")


def test_province_batch(tmp_path, capsys):
    assert cli.main(["brief", "--province", "北京", "--format", "png", "--out", str(tmp_path / "bj"),
                     "--lang", "en"]) == 0
    assert sorted(p.name for p in (tmp_path / "bj").iterdir()) == ["北京.png", "北京市.pptx"]
    assert "1 briefs and one deck" in capsys.readouterr().out


def test_missing_font_exits_1_naming_the_package(tmp_path, monkeypatch, capsys):
    fonts.face.cache_clear()
    monkeypatch.setattr(fonts, "SEARCH", ())
    try:
        assert cli.main(["brief", "杭州", "--out", str(tmp_path / "杭州.pdf")]) == 1
    finally:
        fonts.face.cache_clear()
    assert "apt-get install fonts-noto-cjk" in capsys.readouterr().err and not list(tmp_path.iterdir())


def test_export_maps_deck(tmp_path, capsys):
    out = tmp_path / "maps.pptx"
    assert cli.main(["export", "--out", str(out), "--province", "浙江"]) == 2
    assert cli.main(["export", "--out", str(out)]) == 0
    deck = Presentation(io.BytesIO(out.read_bytes()))
    assert len(deck.slides) == 6
    assert "不适用于 .pptx" in capsys.readouterr().err
