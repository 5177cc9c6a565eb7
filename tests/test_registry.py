"""The registry of companies and people: the starter one, a project's own
folders over it, and the files' checks."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from topicwire.enrich.entities import EntityMatcher
from topicwire.organizations import OrganizationError
from topicwire.registry import Person, Registry


@pytest.fixture(scope="module")
def starter() -> Registry:
    return Registry.load()


def test_the_starter_registry_loads_whole(starter):
    people = [e for e in starter if isinstance(e, Person)]
    assert len(starter) >= 150 and len(people) >= 40
    assert len({e.id for e in starter}) == len(starter)
    nvidia = starter.get("nvidia")
    assert nvidia is not None and "nvidia.com" in nvidia.domains and "AI Hardware" in nvidia.topics
    # publishers carry their standing, which the quality score uses
    assert starter.organizations.by_domain("www.reuters.com").tier == 1
    meta = starter.get("meta")
    assert any(a.name == "Facebook" and a.until == date(2021, 10, 28) for a in meta.aliases)
    # every person's affiliations are entries of the registry
    assert all(starter.get(a) is not None for p in people for a in p.affiliations)


def test_the_starter_registry_finds_real_coverage(starter):
    matcher = EntityMatcher(starter)
    found = lambda *texts: [m.entity_id for m in matcher.find(*texts)]  # noqa: E731
    assert set(found("OpenAI's Sam Altman and Nvidia's Jensen Huang meet")) == {
        "openai", "nvidia", "sam-altman", "jensen-huang"}
    assert found("Apple orchards report a record harvest", "Growers in Kent picked early.") == []
    assert "apple" in found("Apple unveils a chip for the iPhone")
    assert found("Mistral winds close the coast road") == []


def write(folder: Path, name: str, text: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / name).write_text(text, encoding="utf-8")
    return folder


def test_a_project_folder_adds_and_overrides(tmp_path, starter):
    orgs = write(tmp_path / "orgs", "mine.yaml", """
- id: nvidia
  name: NVIDIA Corp (ours)
  domain: nvidia.com
- id: vireo-labs
  name: Vireo Labs
  domain: vireo.example
- id: my-reuters
  name: Reuters (our tier)
  domain: reuters.com
  tier: 2
""")
    people = write(tmp_path / "people", "p.yaml", """
- id: ada-vireo
  name: Ada Vireo
  aliases: [Vireo]
  affiliations: [vireo-labs]
""")
    registry = Registry.load(organizations=[orgs], people=[people])
    assert registry.get("nvidia").name == "NVIDIA Corp (ours)"
    assert registry.get("vireo-labs") is not None and registry.get("ada-vireo").affiliations == ("vireo-labs",)
    # an entry with another's domain replaces it: one owner per domain
    assert registry.get("reuters") is None and registry.organizations.by_domain("reuters.com").tier == 2
    assert len(registry) == len(starter) + 2
    only_mine = Registry.load(organizations=[orgs], people=[people], starter=False)
    assert len(only_mine) == 4


@pytest.mark.parametrize("text, message", [
    ("- id: x\n  name: X\n  role: [not, text]\n", "role"),
    ("- id: Bad Id\n  name: X\n", "id"),
    ("- id: x\n  name: X\n  aliases: [{name: Old, until: soon}]\n", "aliases"),
    ("- id: x\n  name: X\n  shoe_size: 44\n", "shoe_size"),
])
def test_a_bad_person_file_is_one_line_naming_file_and_field(tmp_path, text, message):
    folder = write(tmp_path / "people", "bad.yaml", text)
    with pytest.raises(OrganizationError) as caught:
        Registry.load(people=[folder], starter=False)
    line = str(caught.value)
    assert "\n" not in line and "bad.yaml" in line and message in line


def test_an_id_for_both_an_organization_and_a_person_is_refused(tmp_path):
    orgs = write(tmp_path / "orgs", "o.yaml", "- id: same\n  name: Same Inc\n  domain: same.example\n")
    people = write(tmp_path / "people", "p.yaml", "- id: same\n  name: Same Person\n")
    with pytest.raises(OrganizationError, match="both an organization and a person"):
        Registry.load(organizations=[orgs], people=[people], starter=False)
