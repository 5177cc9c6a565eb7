"""A project's crawl cycle, built the same way wherever it runs: by
`topicwire run` in one process, or by a worker for its share of a cycle."""

from __future__ import annotations

from topicwire.config import Project
from topicwire.errors import ConfigError
from topicwire.ingest.fetch import HostGate
from topicwire.registry import Registry
from topicwire.pipeline.cycle import Cycle, Progress, fetch_policy
from topicwire.pipeline.enrichment import enrich_settings
from topicwire.sources import load_sources
from topicwire.store import Store
from topicwire.taxonomy import load_taxonomy


def project_registry(project: Project) -> Registry:
    """The starter registry (unless the settings turn it off) with the
    project's organization and people folders over it."""
    return Registry.load(
        organizations=[project.organizations_dir] if project.organizations_dir else [],
        people=[project.people_dir] if project.people_dir else [],
        starter=project.settings.starter_registry,
    )


def cycle_for(
    project: Project, store: Store, *, politeness: HostGate | None = None, progress: Progress | None = None
) -> Cycle:
    """A cycle over the project's sources, taxonomy, registry and scoring
    settings. A project with no sources is an error: there is nothing to do."""
    specs = load_sources(project.sources_file)
    if not specs:
        raise ConfigError("no sources to follow: add some to the sources file", source=str(project.sources_file))
    registry = project_registry(project)
    return Cycle(
        store, load_taxonomy(project.taxonomy_dir), specs, fetch_policy(project.settings.fetch),
        organizations=registry.organizations, registry=registry, image_root=project.images_dir,
        enrich_settings=enrich_settings(project.settings.enrichment, source=str(project.config_path)),
        progress=progress, politeness=politeness,
    )
