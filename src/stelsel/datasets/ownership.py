"""Whose datasets a partner may register: only those its own organisation publishes.

A description names its publisher (``schema:publisher`` / ``dct:publisher``). A partner
registering for ``<publisher>`` (its slug, e.g. ``kb``) may name as publisher only

- ``id:org/<publisher>`` itself;
- an organisation IRI its token lists (``publishers = ["https://www.kb.nl/"]`` in
  ``[tokens.<name>]``, set by whoever hands out the tokens);
- an IRI the curated stelsel links to ``id:org/<publisher>`` (``owl:sameAs``, ``rdfs:seeAlso``,
  ``foaf:homepage``, ``schema:sameAs``, ``schema:url``) in a graph that is *not* a dataset
  registration: a partner can never vouch for itself.

An admin token registers for anyone. Without this, any partner could register a dataset in the
name of another organisation (issue 9).
"""

from __future__ import annotations

from ..errors import StelselError
from ..vocab import ID
from .link import DATASETS_GRAPH, DCT, SCHEMA

LINKS = ("http://www.w3.org/2002/07/owl#sameAs", "http://www.w3.org/2000/01/rdf-schema#seeAlso",
         "http://xmlns.com/foaf/0.1/homepage", SCHEMA + "sameAs", SCHEMA + "url")


class NotYourPublisher(StelselError):
    http_status = 403


def named_publishers(outcome) -> dict[str, set[str]]:
    """Dataset IRI -> the IRIs its description names as publisher (blank nodes left out)."""
    import pyoxigraph as ox
    triples = outcome.description.triples if outcome.description is not None else []
    out: dict[str, set[str]] = {ds: set() for ds in outcome.datasets if not ds.startswith("_:")}
    for t in triples:
        if t.subject.value in out and t.predicate.value in (SCHEMA + "publisher", DCT + "publisher") \
                and isinstance(t.object, ox.NamedNode):
            out[t.subject.value].add(t.object.value)
    return out


def own_publishers(store, publisher: str, configured=()) -> set[str]:
    """The organisation IRIs ``publisher`` may name (see the module text)."""
    org = f"{ID}org/{publisher}"
    values = " ".join(f"<{p}>" for p in LINKS)
    rows = store.query(f"""SELECT DISTINCT ?same WHERE {{ GRAPH ?g {{ <{org}> ?p ?same }}
        VALUES ?p {{ {values} }} FILTER(isIRI(?same) && !STRSTARTS(STR(?g), "{DATASETS_GRAPH}")) }}""")
    return {org, *configured} | {row["same"].value for row in rows}


def check_own_publisher(store, outcome, publisher: str, configured=()) -> None:
    """:class:`NotYourPublisher` (403) when a dataset names a publisher that is not ``publisher``'s."""
    allowed = own_publishers(store, publisher, configured)
    for dataset, named in sorted(named_publishers(outcome).items()):
        foreign = sorted(named - allowed)
        if foreign:
            raise NotYourPublisher(
                f"the dataset <{dataset}> names <{foreign[0]}> as its publisher, which is not the organisation "
                f"of '{publisher}'; a partner registers only its own datasets",
                hint=f"name your own organisation as publisher (one of: {', '.join(sorted(allowed))}); if this IRI "
                     "is yours, ask the administrator to add it to your token's 'publishers'")
