"""A project's crawl cycle, built the same way wherever it runs: by
`topicwire run` in one process, or by a worker for its share of a cycle."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from topicwire.config import Project
from topicwire.errors import ConfigError
from topicwire.ingest.fetch import HostGate
from topicwire.registry import Registry
from topicwire.pipeline.cycle import Cycle, Progress, fetch_policy
from topicwire.pipeline.enrichment import enrich_settings
from topicwire.sources import SourceSpec, load_sources
from topicwire.store import Store
from topicwire.taxonomy import Taxonomy, load_taxonomy


def project_registry(project: Project) -> Registry:
    """The starter registry (unless the settings turn it off) with the
    project's organization and people folders over it."""
    return Registry.load(
        organizations=[project.organizations_dir] if project.organizations_dir else [],
        people=[project.people_dir] if project.people_dir else [],
        starter=project.settings.starter_registry,
    )


@dataclass(frozen=True)
class CycleInputs:
    """What a cycle reads from the project's files: parsing them (the
    registry's YAML above all) costs more than a batch of pages."""

    taxonomy: Taxonomy
    sources: list[SourceSpec]
    registry: Registry


def cycle_inputs(project: Project) -> CycleInputs:
    """The project's taxonomy, sources and registry. A project with no
    sources is an error: there is nothing to do."""
    specs = load_sources(project.sources_file)
    if not specs:
        raise ConfigError("no sources to follow: add some to the sources file", source=str(project.sources_file))
    return CycleInputs(load_taxonomy(project.taxonomy_dir), specs, project_registry(project))


def inputs_stamp(project: Project) -> tuple[tuple[str, int], ...]:
    """The files cycle_inputs reads, with their modification times: while it
    is the same, the inputs read before still hold."""
    files: list[Path] = [project.sources_file]
    for folder in (project.taxonomy_dir, project.organizations_dir, project.people_dir):
        if folder is not None and folder.is_dir():
            files += sorted(folder.iterdir())
    return tuple((str(f), f.stat().st_mtime_ns if f.exists() else -1) for f in files)


def cycle_for(
    project: Project, store: Store, *, inputs: CycleInputs | None = None, politeness: HostGate | None = None,
    progress: Progress | None = None,
) -> Cycle:
    """A cycle over the project's sources, taxonomy, registry and scoring
    settings (``inputs``, when read already)."""
    inputs = inputs or cycle_inputs(project)
    return Cycle(
        store, inputs.taxonomy, inputs.sources, fetch_policy(project.settings.fetch),
        organizations=inputs.registry.organizations, registry=inputs.registry, image_root=project.images_dir,
        enrich_settings=enrich_settings(project.settings.enrichment, source=str(project.config_path)),
        progress=progress, politeness=politeness,
    )
