"""Excerpts are cut where a reader would cut them: after a sentence when
one ends within the limit, else after a word, with an ellipsis."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from topicwire.ingest.excerpt import MAX_EXCERPT, cut, lead


def test_short_text_is_kept_whole_with_its_spaces_collapsed():
    assert cut("  One sentence.\n Two  sentences.  ") == "One sentence. Two sentences."


def test_long_text_ends_at_the_last_sentence_that_fits():
    first = "The port authority said the trial would continue until the end of the year. "
    second = "Union officials said they wanted a formal role in how the software assigned overtime shifts. "
    text = first + second * 5
    result = cut(text)
    assert len(result) <= MAX_EXCERPT
    assert result.endswith("overtime shifts.")
    assert result.count("Union officials") == 2


def test_abbreviations_and_initials_do_not_end_a_sentence():
    text = ("Mr. Smith of the U.S. Department of Commerce spoke to J. Doe at 3 p.m. about the long list of "
            "export rules that firms have asked to see relaxed before the holiday season begins in earnest "
            "across every state and territory and beyond, and then he spoke again and again and again and "
            "again for quite a while longer than anyone had expected him to speak on such matters.")
    result = cut(text)
    assert result.endswith("…")
    assert not result.endswith("Mr.…") and len(result) <= MAX_EXCERPT


def test_sentences_ending_in_quotes_and_question_marks():
    text = "“Is this the future?” she asked. " + "word " * 80
    assert cut(text) == "“Is this the future?” she asked."


def test_without_a_sentence_end_it_cuts_at_a_word_with_an_ellipsis():
    text = "word " * 100
    result = cut(text)
    assert result.endswith("word…") and len(result) <= MAX_EXCERPT


def test_one_enormous_word_is_cut_anyway():
    result = cut("x" * 1000)
    assert len(result) == MAX_EXCERPT and result.endswith("…")


def test_lead_joins_the_first_paragraphs():
    assert lead(["First short paragraph.", "Second one.", "Third."]) == "First short paragraph. Second one. Third."
    long = ["A" * 50 + " sentence one.", "B" * 200 + " sentence two.", "C" * 200 + " three."]
    assert lead(long) == "A" * 50 + " sentence one. " + "B" * 200 + " sentence two."


@given(st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=2000))
def test_never_longer_than_the_limit(text):
    result = cut(text)
    assert len(result) <= MAX_EXCERPT
    if len(" ".join(text.split())) <= MAX_EXCERPT:
        assert result == " ".join(text.split())
