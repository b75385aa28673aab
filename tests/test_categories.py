"""The move-category table: one row per category, every move of the vocabulary in one of them."""

import re

from sequencer.categories import CATEGORIES, FINISHERS, NAMES, PATTERNS, POWER, STANDING
from sequencer.library import builtin

def test_every_move_of_the_vocabulary_names_a_category_of_the_table():
    library = builtin()
    assert {m.category for m in library.moves.values()} <= set(NAMES)


def test_codes_are_two_letters_and_unique_and_colours_are_light_hex():
    codes = [c.code for c in CATEGORIES.values()]
    assert len(set(codes)) == len(codes) and all(re.fullmatch(r"[A-Z]{2}", code) for code in codes)
    for category in CATEGORIES.values():
        assert re.fullmatch(r"#[0-9a-f]{6}", category.colour) and category.pattern in PATTERNS
        red, green, blue = (int(category.colour[i:i + 2], 16) for i in (1, 3, 5))
        assert 0.299 * red + 0.587 * green + 0.114 * blue > 150  # dark text stays readable on it
    inks = [c.ink for c in CATEGORIES.values()]
    assert len(set(inks)) == len(inks) and all(re.fullmatch(r"#[0-9a-f]{6}", ink) for ink in inks)


def test_the_derived_lists_follow_the_rows():
    assert "freeze" in FINISHERS and "power" in POWER and "toprock" in STANDING
    assert not set(POWER) & set(STANDING)
    assert all(CATEGORIES[name].name == name for name in NAMES)
