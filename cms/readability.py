"""Flesch-Kincaid reading grade of English patient-education text.

textstat counts English syllables with NLTK's CMU dictionary, which it downloads on
first use; servers here have no such network access, so syllables come from pyphen
(textstat's own fallback) and words and sentences from textstat.
"""

import re

import pyphen
import textstat

_WORD = re.compile(r"[a-z]+(?:'[a-z]+)?")
_HYPHENATOR = pyphen.Pyphen(lang="en_US")
# Below this many words a grade means little.
MIN_WORDS = 30
# Health-literacy guidance asks for patient material at grade 6 to 8.
TARGET_READING_GRADE = 8


def _syllables(word: str) -> int:
    return len(_HYPHENATOR.positions(word)) + 1


def flesch_kincaid_grade(text: str) -> float | None:
    words = _WORD.findall(text.lower())
    if len(words) < MIN_WORDS:
        return None
    sentences = max(textstat.sentence_count(text), 1)
    syllables = sum(_syllables(word) for word in words)
    grade = 0.39 * len(words) / sentences + 11.8 * syllables / len(words) - 15.59
    return round(max(grade, 0.0), 1)
