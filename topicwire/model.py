"""The record schema: the one place that says what an article record holds.

Field names are the record format's camelCase names (see
shared/examples/record-news.md); Python code reads them in snake_case. The
order in which fields are declared is the order in which record files and
JSON documents list them, so that the example record round-trips unchanged.
"""

from __future__ import annotations

import hashlib
import re
from datetime import datetime, timezone
from functools import lru_cache
from typing import Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    AwareDatetime,
    BaseModel,
    ConfigDict,
    Field,
    PrivateAttr,
    StrictBool,
    StrictInt,
    ValidationError,
    model_validator,
)
from pydantic.alias_generators import to_camel

from topicwire.errors import RecordError

_URL_RE = re.compile(r"^https?://[^\s/?#]+[^\s]*$", re.IGNORECASE)
_LOCALE_RE = re.compile(r"^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$")
# base64(ciphertext);base64(nonce), as the record format writes it; which
# key sealed it travels beside it, in securedKey
_SECURED_RE = re.compile(r"^[A-Za-z0-9+/]+={0,2};[A-Za-z0-9+/]+={0,2}$")
_KEY_ID_RE = re.compile(r"^[A-Za-z0-9_.-]{1,64}$")


def _check_url(value: str) -> str:
    if not _URL_RE.match(value):
        raise ValueError("must be an absolute http(s) URL")
    return value


def _check_locale(value: str) -> str:
    if not _LOCALE_RE.match(value):
        raise ValueError("must be a language tag such as 'en' or 'en-US'")
    return value


def _check_secured(value: str) -> str:
    if not _SECURED_RE.match(value):
        raise ValueError("must be 'base64(ciphertext);base64(nonce)'")
    return value


def _check_key_id(value: str) -> str:
    if not _KEY_ID_RE.match(value):
        raise ValueError("must be a key id: 1 to 64 letters, digits, '_', '.' or '-'")
    return value


def _check_text(value: str) -> str:
    if not value.strip():
        raise ValueError("must not be empty")
    return value


Url = Annotated[str, Field(max_length=4096), AfterValidator(_check_url)]
Text = Annotated[str, AfterValidator(_check_text)]
Locale = Annotated[str, AfterValidator(_check_locale)]
Secured = Annotated[str, Field(max_length=16_000_000), AfterValidator(_check_secured)]
KeyId = Annotated[str, AfterValidator(_check_key_id)]
Score = Annotated[StrictInt, Field(ge=0, le=100)]


def _check_moment(value: datetime) -> datetime:
    # the store keeps times in UTC: 9999-12-31T23:00-05:00 has no UTC year
    try:
        value.astimezone(timezone.utc)
    except OverflowError:
        raise ValueError("must fall within the years 1 to 9999 in UTC") from None
    return value


Moment = Annotated[AwareDatetime, AfterValidator(_check_moment)]
# heat is -1 while there is not enough signal to say anything
# bounded so that every store's integer column holds it (PostgreSQL's are 32-bit)
Heat = Annotated[StrictInt, Field(ge=-1, le=2**31 - 1)]
Dimension = Annotated[StrictInt, Field(ge=1, le=100_000)]
Kind = Literal["article", "video", "paper"]


class Schema(BaseModel):
    """Base of every record part: camelCase names, unknown fields refused,
    and the key order of the input remembered for writing back."""

    model_config = ConfigDict(
        alias_generator=to_camel,
        populate_by_name=True,
        extra="forbid",
        validate_assignment=True,
        str_max_length=1_000_000,
    )

    _order: tuple[str, ...] = PrivateAttr(default=())

    @model_validator(mode="wrap")
    @classmethod
    def _remember_order(cls, data: Any, handler: Any) -> Any:
        model = handler(data)
        if isinstance(data, dict) and isinstance(model, Schema):
            model._order = tuple(k for k in data if isinstance(k, str))
        return model

    def to_data(self, *, json: bool = False) -> dict[str, Any]:
        """The record as plain data under its camelCase names, leaving out
        empty values, in the input's key order where there was one and in
        declaration order otherwise. With ``json`` dates become ISO strings."""
        out: dict[str, Any] = {}
        for key, attribute in _key_order(type(self), self._order):
            value = _plain(getattr(self, attribute), json)
            if value is None or value == [] or value == {}:
                continue
            out[key] = value
        return out


def arrange(cls: type[Schema], given: tuple[str, ...], values: dict[str, Any]) -> dict[str, Any]:
    """Record data as ``cls(...).to_data(json=True)`` would write it, from
    values that are already plain JSON data (by camelCase key) and the
    input's key order ``given``: for data the store validated when it was
    saved, without validating it again."""
    out: dict[str, Any] = {}
    for key, _attribute in _key_order(cls, given):
        value = values.get(key)
        if value is None or value == [] or value == {}:
            continue
        out[key] = value
    return out


@lru_cache(maxsize=4096)
def _key_order(cls: type[Schema], given: tuple[str, ...]) -> tuple[tuple[str, str], ...]:
    """(camelCase key, attribute) pairs in writing order for a record part
    whose input had the keys ``given``. Records of one source share their
    key order, so this is worked out once per shape, not once per record."""
    by_alias = {f.alias or name: name for name, f in cls.model_fields.items()}
    order = [k for k in given if k in by_alias]
    # a field the input did not have goes right after the field declared
    # before it, so that filled-in fields land where the format puts them
    declared = list(by_alias)
    for i, key in enumerate(declared):
        if key not in order:
            before = [k for k in declared[:i] if k in order]
            order.insert(order.index(before[-1]) + 1 if before else 0, key)
    return tuple((key, by_alias[key]) for key in order)


def _plain(value: Any, json: bool) -> Any:
    if isinstance(value, Schema):
        return value.to_data(json=json)
    if isinstance(value, list):
        return [_plain(v, json) for v in value]
    if isinstance(value, datetime) and json:
        return format_datetime(value)
    return value


def format_datetime(value: datetime) -> str:
    """ISO 8601 with the offset, ``Z`` for UTC, as the record format writes it."""
    text = value.isoformat()
    return text[:-6] + "Z" if text.endswith("+00:00") else text


class Image(Schema):
    url: Url
    width: Dimension | None = None
    height: Dimension | None = None
    title: str | None = None
    attribution: str | None = None
    is_cached: StrictBool = False


class Provider(Schema):
    name: Text = Field(max_length=300)
    domain: str | None = Field(default=None, max_length=253)
    images: list[Image] = Field(default_factory=list)
    publishers: list[str] = Field(default_factory=list)
    authors: list[str] = Field(default_factory=list)


class Related(Schema):
    """A small record of other coverage, as listed under ``related``."""

    id: str | None = None
    title: Text = Field(max_length=1000)
    excerpt: str | None = Field(default=None, max_length=5000)
    published_date_time: Moment | None = None
    web_url: Url
    amp_web_url: Url | None = None
    cdn_amp_web_url: Url | None = None
    type: Kind = "article"
    provider: Provider | None = None
    quality: Score | None = None
    images: list[Image] = Field(default_factory=list)


class Article(Schema):
    """One article record: the record file's front matter plus its body
    (``content``), and the fields the JSON API serves besides."""

    id: str | None = None
    path: str | None = Field(default=None, max_length=2048)
    category: str = Field(default="news", min_length=1, max_length=100)
    title: Text = Field(max_length=1000)
    excerpt: str | None = Field(default=None, max_length=5000)
    published_date_time: Moment | None = None
    updated_date_time: Moment | None = None
    original_url: Url | None = None
    web_url: Url | None = None
    source_url: Url | None = None
    amp_web_url: Url | None = None
    cdn_amp_web_url: Url | None = None
    type: Kind = "article"
    quality: Score | None = None
    heat: Heat | None = None
    published: StrictBool | None = None
    featured_content: StrictBool | None = None
    highlight: str | None = Field(default=None, max_length=5000)
    locale: Locale | None = None
    provider: Provider | None = None
    categories: list[str] = Field(default_factory=list)
    topics: list[Text] = Field(default_factory=list)
    tags: list[str] = Field(default_factory=list)
    images: list[Image] = Field(default_factory=list)
    related: list[Related] = Field(default_factory=list)
    # the full text encrypted (see topicwire/secure.py) and the id of the key
    # that sealed it; a value without a key id was sealed by another system
    secured: Secured | None = None
    secured_key: KeyId | None = None
    content: str | None = None

    @model_validator(mode="after")
    def _key_needs_value(self) -> "Article":
        if self.secured_key is not None and self.secured is None:
            raise ValueError("securedKey names the key of a secured value, and there is none")
        return self

    @property
    def canonical_url(self) -> str | None:
        return self.web_url or self.original_url

    def to_related(self) -> Related:
        """This article as an entry of another article's ``related`` list."""
        return Related(
            id=self.id,
            title=self.title,
            excerpt=self.excerpt,
            published_date_time=self.published_date_time,
            web_url=self.canonical_url,
            amp_web_url=self.amp_web_url,
            cdn_amp_web_url=self.cdn_amp_web_url,
            type=self.type,
            provider=self.provider,
            quality=self.quality,
            images=self.images,
        )


class Topic(Schema):
    """One topic of a taxonomy, as written in a ``_data/topics/*.yaml`` file."""

    model_config = ConfigDict(alias_generator=None, populate_by_name=True)

    taxonomy: Text = Field(max_length=100)
    id: Annotated[str, Field(alias="_id", pattern=r"^[a-z0-9][a-z0-9-]{0,99}$")]
    name: Text = Field(max_length=200)
    shortname: str | None = Field(default=None, max_length=100)
    parent: str | None = None
    description: str | None = Field(default=None, max_length=2000)
    keywords: list[Text] = Field(default_factory=list)
    hashtags: list[str] = Field(default_factory=list)
    images: list[Image] = Field(default_factory=list)
    # where else the topic is followed (search queries, social accounts...):
    # kept and served as given
    services: list[Any] = Field(default_factory=list)


def article_id(canonical_url: str) -> str:
    """A stable id for an article: a hash of its (already normalised)
    canonical URL, short enough for URLs and long enough never to collide
    in practice (80 bits)."""
    return hashlib.sha256(canonical_url.encode("utf-8")).hexdigest()[:20]


def now_utc() -> datetime:
    return datetime.now(timezone.utc)


def validate(model: type[BaseModel], data: Any, *, source: str | None = None, what: str = "the record format") -> Any:
    """Validate ``data`` as ``model``; a failure becomes one RecordError that
    names the source, the first offending field and the reason. ``what``
    names the format in the message for an unknown field."""
    if not isinstance(data, dict):
        raise RecordError(f"expected a mapping of fields, found {type(data).__name__}", source=source)
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        raise _record_error(exc, source, what) from None


def _record_error(exc: ValidationError, source: str | None, what: str) -> RecordError:
    errors = exc.errors(include_url=False)
    first = errors[0]
    field = _field_path(first["loc"])
    reason = _reason(first, what)
    if len(errors) > 1:
        reason += f" (and {len(errors) - 1} more problem{'s' if len(errors) > 2 else ''})"
    return RecordError(reason, source=source, field=field or None)


def _field_path(loc: tuple[Any, ...]) -> str:
    path = ""
    for part in loc:
        if isinstance(part, int):
            path += f"[{part}]"
        elif part in ("function-after", "function-wrap", "function-before") or str(part).startswith("function-"):
            continue
        else:
            path += ("." if path else "") + str(part)
    return path


def _reason(error: dict[str, Any], what: str) -> str:
    kind = error["type"]
    if kind == "missing":
        return "is required"
    if kind == "extra_forbidden":
        return f"is not a field of {what}"
    message = error["msg"]
    for prefix in ("Value error, ", "Assertion failed, "):
        if message.startswith(prefix):
            message = message[len(prefix):]
    text = message[0].lower() + message[1:] if message else kind
    given = error.get("input")
    if kind not in ("missing",) and isinstance(given, (str, int, float, bool)) and len(repr(given)) <= 60:
        text += f" (got {given!r})"
    return text
