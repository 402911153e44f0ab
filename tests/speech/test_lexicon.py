"""The pronunciation lexicon: loading lexicon.toml (and its errors), and applying it to text."""

from __future__ import annotations

import pytest

from briefing.errors import BriefingError
from briefing.speech.lexicon import apply_lexicon, lexicon_spans, load_lexicon


def write(tmp_path, text: str, encoding: str = "utf-8"):
    path = tmp_path / "lexicon.toml"
    path.write_bytes(text.encode(encoding))
    return path


def test_loads_plain_and_quoted_keys(tmp_path):
    path = write(tmp_path, '# names\nJD = "징동"\n"Touch \'n Go" = "터치앤고"\n"JD Central" = "징동 센트럴"\n')
    assert load_lexicon(path) == {"JD": "징동", "Touch 'n Go": "터치앤고", "JD Central": "징동 센트럴"}


def test_a_missing_file_is_an_empty_lexicon(tmp_path):
    assert load_lexicon(tmp_path / "nowhere.toml") == {}


def test_invalid_toml_names_the_file_and_line(tmp_path):
    path = write(tmp_path, 'JD = "징동"\nEZZY = 이지\n')
    with pytest.raises(BriefingError) as caught:
        load_lexicon(path)
    assert caught.value.path == path and caught.value.line == 2
    assert str(caught.value).startswith(f"{path}:2: the pronunciation lexicon is not valid TOML")


def test_a_value_that_is_not_text_names_its_line(tmp_path):
    path = write(tmp_path, 'JD = "징동"\n\n"5G" = 5\n')
    with pytest.raises(BriefingError) as caught:
        load_lexicon(path)
    assert caught.value.line == 3
    assert "'5G' must be text in quotes" in caught.value.message


def test_a_table_is_not_an_entry(tmp_path):
    path = write(tmp_path, 'JD = "징동"\n[names]\nEZZY = "이지"\n')
    with pytest.raises(BriefingError) as caught:
        load_lexicon(path)
    assert caught.value.line == 2


def test_an_empty_written_form_is_refused(tmp_path):
    with pytest.raises(BriefingError) as caught:
        load_lexicon(write(tmp_path, '"" = "아무것도"\n'))
    assert caught.value.line == 1


def test_a_lexicon_that_is_not_utf8_is_one_clear_error(tmp_path):
    with pytest.raises(BriefingError, match="not UTF-8"):
        load_lexicon(write(tmp_path, 'JD = "징동"\n', encoding="cp949"))


def test_longest_entry_wins():
    lexicon = {"JD": "징동", "JD Central": "징동 센트럴"}
    assert apply_lexicon("JD Central과 JD", lexicon) == "징동 센트럴과 징동"


def test_latin_entries_match_whole_words_only():
    lexicon = {"JD": "징동", "AI": "인공지능"}
    assert apply_lexicon("JDD-2017, JD는, XJD, JD.", lexicon) == "JDD-2017, 징동은, XJD, 징동."
    assert apply_lexicon("AIR와 AI가", lexicon) == "AIR와 인공지능이"


def test_entries_are_case_sensitive():
    assert apply_lexicon("jd와 JD", {"JD": "징동"}) == "jd와 징동"


def test_any_apostrophe_matches():
    lexicon = {"Touch 'n Go": "터치앤고"}
    for written in ("Touch 'n Go", "Touch ‘n Go", "Touch ’n Go"):
        assert apply_lexicon(f"회사 {written} 등과", lexicon) == "회사 터치앤고 등과"


def test_hangul_entries_match_inside_words():
    assert apply_lexicon("징동금융과 징동은", {"징동금융": "징동 금융"}) == "징동 금융과 징동은"


def test_entries_are_applied_once_not_to_their_own_output():
    assert apply_lexicon("A", {"A": "AB", "AB": "X"}) == "AB"


def test_no_lexicon_changes_nothing():
    assert apply_lexicon("JD", None) == "JD" and apply_lexicon("JD", {}) == "JD"


def test_spans_say_where_entries_are():
    assert lexicon_spans("오늘 JD Central 개업", {"JD Central": "징동 센트럴"}) == [(3, 13)]


def test_the_example_show_lexicon_loads_and_is_used(repo_root):
    lexicon = load_lexicon(repo_root / "lexicon.toml")
    assert lexicon["JD"] == "징동"
    assert all(isinstance(value, str) and value for value in lexicon.values())
    assert apply_lexicon("온라인 플랫폼 JD Central을", lexicon) == "온라인 플랫폼 징동 센트럴을"


@pytest.mark.parametrize(
    ("written", "spoken"),
    [
        ("JD는 JD가 JD를 JD와 JD로 JD이나 JD라는", "징동은 징동이 징동을 징동과 징동으로 징동이나 징동이라는"),
        ("EZZY은 EZZY이 EZZY을 EZZY과 EZZY으로", "이지는 이지가 이지를 이지와 이지로"),
        ("Mall로, Mall으로서, Mall으로부터", "몰로, 몰로서, 몰로부터"),  # after ㄹ: 로
    ],
)
def test_a_particle_after_a_name_agrees_with_how_it_is_said(written, spoken):
    lexicon = {"JD": "징동", "EZZY": "이지", "Mall": "몰"}
    assert apply_lexicon(written, lexicon) == spoken


def test_what_is_not_a_particle_is_left_as_it_is():
    lexicon = {"JD": "징동", "콰": "쾅"}
    assert apply_lexicon("JD의 JD 는 JD는데 JD이용", lexicon) == "징동의 징동 는 징동는데 징동이용"
    assert apply_lexicon("콰이 콰가", lexicon) == "쾅이 쾅이"  # 콰이: 이 after a vowel is no particle of 콰
    assert apply_lexicon("JD-3는", {"JD-3": "JD 3"}) == "JD 3는"  # said ending in a digit: unknown, kept
