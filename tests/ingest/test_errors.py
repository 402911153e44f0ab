"""Bad issue files: each raises one BriefingError sentence that names the file."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from support.requirements import REPO

from briefing.errors import BriefingError
from briefing.ingest import MAX_ISSUE_BYTES, read_issue

EXAMPLE_ISSUE = REPO / "issues" / "asia-tech-brief-001.txt"


def read_error(path: Path, **options) -> BriefingError:
    with pytest.raises(BriefingError) as caught:
        read_issue(path, **options)
    error = caught.value
    assert error.path == path
    assert str(path) in str(error)
    assert "\n" not in str(error)
    return error


def write(path: Path, data: bytes | str) -> Path:
    path.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)
    return path


def example_copy(tmp_path: Path) -> Path:
    return write(tmp_path / "issue.txt", EXAMPLE_ISSUE.read_bytes())


def test_missing_file(tmp_path: Path) -> None:
    assert "no such issue file" in read_error(tmp_path / "nowhere.txt").message


def test_a_directory_is_not_an_issue(tmp_path: Path) -> None:
    assert "not a file" in read_error(tmp_path).message


@pytest.mark.parametrize("content", [b"", b"  \n\n \t\n", "\ufeff\n".encode()])
def test_empty_file(tmp_path: Path, content: bytes) -> None:
    assert "empty" in read_error(write(tmp_path / "empty.txt", content)).message


@pytest.mark.parametrize(
    "content",
    [
        b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x01\x00",
        b"[Show] 1. title\n" + bytes(range(1, 32)) * 40,
    ],
    ids=["png", "control-bytes"],
)
def test_binary_file(tmp_path: Path, content: bytes) -> None:
    assert "binary" in read_error(write(tmp_path / "picture.txt", content)).message


def test_text_without_a_title_line(tmp_path: Path) -> None:
    path = write(tmp_path / "untitled.txt", "\n첫 문단입니다. 내용 출처 URL: https://news.example.com/a\n")
    error = read_error(path)
    assert "title line" in error.message and error.line == 2


def test_markdown_without_a_heading(tmp_path: Path) -> None:
    path = write(tmp_path / "untitled.md", "첫 문단입니다.\n\n둘째 문단입니다.\n")
    assert "no title" in read_error(path).message


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("title-only.txt", "[Show] 1. 제목\n\n\n"),
        ("title-only.md", "# [Show] 1. 제목\n\n![그림](https://images.example.com/a.png)\n"),
    ],
)
def test_no_paragraphs(tmp_path: Path, name: str, content: str) -> None:
    assert "no paragraphs" in read_error(write(tmp_path / name, content)).message


def test_html_page_with_no_article_text(tmp_path: Path) -> None:
    page = (
        "<!doctype html><html><head><title>[Show] 4. 소식</title><style>p{color:red}</style></head><body>"
        "<nav><p><a href='https://news.example.com/'>홈</a></p></nav><script>var p = '<p>x</p>';</script>"
        "<h1>[Show] 4. 소식</h1><footer><p>수신 거부: <a href='https://news.example.com/u'>여기</a></p></footer>"
        "</body></html>"
    )
    assert "no article text" in read_error(write(tmp_path / "page.html", page)).message


def test_undetectable_encoding(tmp_path: Path) -> None:
    # Valid as no Korean encoding and garbled in every single-byte one.
    data = "[Show] 1. 제목\n".encode() + bytes([0x8E, 0xFE, 0x9F, 0xA1, 0xC0, 0xFF]) * 200
    assert "encoding" in read_error(write(tmp_path / "garbled.txt", data)).message


def test_forced_wrong_encoding(tmp_path: Path) -> None:
    path = write(tmp_path / "cp949.txt", EXAMPLE_ISSUE.read_text(encoding="utf-8").encode("cp949"))
    assert "not valid utf-8 text" in read_error(path, encoding="utf-8").message
    assert "garbled" in read_error(path, encoding="latin-1").message


def test_unknown_encoding_name(tmp_path: Path) -> None:
    assert "not a known text encoding" in read_error(example_copy(tmp_path), encoding="klingon").message


def test_file_over_the_size_limit(tmp_path: Path) -> None:
    path = tmp_path / "huge.txt"
    with path.open("wb") as handle:  # sparse where the file system allows: the limit is checked before reading
        handle.write(EXAMPLE_ISSUE.read_bytes())
        handle.truncate(20 * 1024 * 1024)
    assert os.path.getsize(path) > MAX_ISSUE_BYTES
    error = read_error(path)
    assert "20.0 MB" in error.message and "5 MB limit" in error.message
