"""atheris target: a record file's bytes through the import path (UTF-8
check, front matter, YAML, the record schema, canonical URL and topics),
and the record an export would write of it read back. Run through
fuzz/run.py."""

from __future__ import annotations

import atheris

from fuzz_common import check_refusal, check_text, fuzz, instrumented

with atheris.instrument_imports(include=instrumented("yaml")):
    from topicwire.errors import TopicwireError
    from topicwire.pipeline.imports import prepare
    from topicwire.records import dump_record, parse_record
    from topicwire.taxonomy import load_taxonomy


TAXONOMY = load_taxonomy()


def TestOneInput(data: bytes) -> None:  # noqa: N802 - atheris' name
    try:
        # as textfiles.read_text: strict UTF-8, a BOM dropped
        text = data.decode("utf-8").removeprefix("\ufeff")
    except UnicodeDecodeError:
        return
    try:
        article = prepare(parse_record(text, source="fuzz.md"), TAXONOMY, source="fuzz.md")
    except TopicwireError as exc:
        check_refusal(exc)
        return
    check_text(article.model_dump_json())
    # an export of what was imported must read back (a RecordError here is a bug too)
    again = parse_record(dump_record(article), source="export.md")
    expected, got = article.to_data(), again.to_data()
    expected.pop("id", None)
    expected.pop("content", None), got.pop("content", None)
    if expected != got:
        raise AssertionError(f"export does not read back the same: {expected!r} != {got!r}"[:2000])


if __name__ == "__main__":
    fuzz(TestOneInput)
