"""The registry of who coverage is about: organizations (companies, labs,
publishers...) and people, in ``_data/organizations/*.yaml`` and
``_data/people/*.yaml`` style files.

A starter registry of AI companies, labs, publishers and public figures
ships in the package (topicwire/data/registry); a project adds its own
folders. An entry of the project's replaces a starter entry with the same
id or one of the same domains, so a user can correct or drop (by
replacing) anything the starter says.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from pydantic import Field

from topicwire.model import Image
from topicwire.organizations import (
    Alias,
    EntityId,
    EntryFile,
    Organization,
    OrganizationError,
    Organizations,
    read_entries,
    read_organization_file,
)

STARTER = Path(__file__).parent / "data" / "registry"


@dataclass(frozen=True)
class Person:
    id: str
    name: str
    aliases: tuple[Alias, ...] = ()
    role: str | None = None
    affiliations: tuple[str, ...] = ()
    website: str | None = None
    overview: str | None = None
    topics: tuple[str, ...] = ()
    images: tuple[Image, ...] = ()
    social: tuple[tuple[str, str], ...] = ()
    context: tuple[str, ...] = ()
    exclude: tuple[str, ...] = ()
    kind: str = "person"
    parent: str | None = None


Entity = Organization | Person


def group_of(entity: Entity) -> Literal["organization", "person"]:
    return "person" if isinstance(entity, Person) else "organization"


class _PersonFile(EntryFile):
    kind: Literal["person"] = "person"
    role: str | None = Field(default=None, max_length=300)
    affiliations: list[EntityId] = Field(default_factory=list, max_length=50)

    def to_person(self) -> Person:
        return Person(role=self.role, affiliations=tuple(self.affiliations), **self.shared())


def read_person_file(path: Path) -> list[Person]:
    return [entry.to_person() for entry, _where in read_entries(path, _PersonFile, "a person file")]


def _files(folder: Path) -> list[Path]:
    if not folder.is_dir():
        raise OrganizationError("registry folder not found", source=str(folder))
    return sorted([*folder.glob("*.yaml"), *folder.glob("*.yml")])


class Registry:
    """Organizations (also found by web domain, for providers) and people."""

    def __init__(self, organizations: Organizations, people: dict[str, Person]):
        self.organizations = organizations
        self.people = people
        for person in people.values():
            if organizations.get(person.id) is not None:
                raise OrganizationError(f"id {person.id!r} names both an organization and a person", field="id")

    @classmethod
    def load(
        cls, *, organizations: list[Path] = (), people: list[Path] = (), starter: bool = True  # type: ignore[assignment]
    ) -> Registry:
        """The starter registry (unless ``starter`` is False) with the
        entries of the given folders over it; later folders win."""
        org_folders = ([STARTER / "organizations"] if starter else []) + list(organizations)
        people_folders = ([STARTER / "people"] if starter else []) + list(people)
        chosen: dict[str, tuple[Organization, str]] = {}
        for folder in org_folders:
            for path in _files(folder):
                for org in read_organization_file(path):
                    # a later entry replaces an earlier one with its id or any of its domains
                    for key, (old, _) in list(chosen.items()):
                        if key == org.id or set(old.domains) & set(org.domains):
                            del chosen[key]
                    chosen[org.id] = (org, str(path))
        found: dict[str, Person] = {}
        for folder in people_folders:
            for path in _files(folder):
                for person in read_person_file(path):
                    found[person.id] = person
        return cls(Organizations(list(chosen.values())), found)

    def __iter__(self) -> Iterator[Entity]:
        yield from self.organizations
        yield from self.people.values()

    def __len__(self) -> int:
        return len(self.organizations) + len(self.people)

    def get(self, entity_id: str) -> Entity | None:
        return self.organizations.get(entity_id) or self.people.get(entity_id)
