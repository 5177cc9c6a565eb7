"""The crawl cycle as tasks on a Celery broker, for more than one machine
(see the README's "Scaling out"). Nothing outside this package and the
commands that start it imports Celery: the embedded default needs no
broker."""
