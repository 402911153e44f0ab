"""Korean particles after a word said otherwise than it is written. A particle's form follows the sound before it
(은/는, 이/가, 을/를, 과/와, 으로/로): after JD said 징동, 'JD는' is said 징동은. Numbers take particles without a
space (15를 → 십오를)."""

from __future__ import annotations

import re

from briefing.korean.hangul import RIEUL, final_consonant

# Particles whose form follows the sound they come after: (after a final consonant, after a vowel).
PARTICLE_PAIRS = (("이라는", "라는"), ("이라고", "라고"), ("이랑", "랑"), ("이나", "나"), ("으로", "로"),
                  ("은", "는"), ("이", "가"), ("을", "를"), ("과", "와"))  # fmt: skip
_PAIR_OF = {form: pair for pair in PARTICLE_PAIRS for form in pair}
_AGREEING = re.compile(
    "(?:(?P<particle>" + "|".join(sorted(_PAIR_OF, key=len, reverse=True)) + ")(?![가-힣]))"
    "|(?P<direction>으로|로)(?=(?:서|써|부터|도|는|의|만)?(?![가-힣]))"
)
# Particles and copulas that follow a number directly (15를, 3이라는, 2가, 100에서, 7입니다).
NUMBER_PARTICLE = re.compile(
    "(?:이라는|라는|이라고|라고|에서|에게|까지|부터|보다|처럼|으로|이나|이며|이고|이다|입니다|이었|였|"
    "[이가을를은는와과로의에나])(?![가-힣])|(?:입니다|이다|이었|였)"
)


def agreeing_particle(text: str, position: int, written: str, spoken: str) -> tuple[str, int] | None:
    """The particle at `position` in `text` (right after `written`), in the form `spoken` takes, and where it ends;
    None when there is none, `spoken` does not end in Hangul, or the particle does not agree with a Hangul
    `written` either (then it is no particle: 콰이 is 콰 + 이 only if 콰 is said with a final consonant)."""
    match = _AGREEING.match(text, position)
    if not match:
        return None
    particle = match.group()
    pair = _PAIR_OF[particle]
    written_final, spoken_final = final_consonant(written), final_consonant(spoken)
    if spoken_final is None or (written_final is not None and particle_form(pair, written_final) != particle):
        return None
    return particle_form(pair, spoken_final), match.end()


def particle_form(pair: tuple[str, str], final: int) -> str:
    """The form of a particle after a syllable with final consonant `final` (0: none): 으로 after 동, 로 after 울."""
    if pair == ("으로", "로"):
        return pair[1] if final in (0, RIEUL) else pair[0]
    return pair[0] if final else pair[1]
