"""What search keeps of a text and how a query matches it."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from ticketing.search import MAX_QUERY_WORDS, matches, prefix_range, query_words, terms_of


def test_terms_are_case_folded_words():
    assert terms_of("Router DOWN, since 8:30 — Straße! e-mail") == {
        "router",
        "down",
        "since",
        "8",
        "30",
        "strasse",
        "e",
        "mail",
    }


def test_query_words_keep_order_without_repeats_and_are_bounded():
    assert query_words("Rout rout FAIL") == ["rout", "fail"]
    assert len(query_words(" ".join(f"w{i}" for i in range(20)))) == MAX_QUERY_WORDS


def test_every_query_word_must_start_some_term():
    terms = terms_of("Router failing every night")
    assert matches(query_words("rout fail"), terms)
    assert matches(query_words("NIGHT"), terms)
    assert not matches(query_words("outer"), terms)  # inside a word is no match
    assert not matches(query_words("router day"), terms)


@given(st.from_regex(r"\w{1,12}", fullmatch=True), st.text(max_size=12))
def test_the_prefix_range_holds_exactly_the_strings_starting_with_the_word(word, other):
    low, high = prefix_range(word)
    for candidate in (word + other, other, other + word):
        inside = low <= candidate < high
        assert inside == candidate.startswith(word)
