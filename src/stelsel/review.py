"""Owners' decisions on alignments: record, list and replay reviews (no Flask; docs/review.md).

An owner (or someone they delegate) decides on a proposed alignment or deviation: *vastgesteld*
(adopted) or *afgewezen* (rejected), with a comment. Each decision is one
``stelsel:Beoordeling`` in the graph :data:`REVIEW_GRAPH`; it is never changed or deleted, so the
history of an alignment is the list of its reviews. The alignment itself shows the latest
decision, in its own graph, in the SSSOM slots an export carries:

=========================  ===================================================  ==================
on the alignment           value                                                SSSOM slot
=========================  ===================================================  ==================
``stelsel:status``         ``stelsel:Vastgesteld`` / ``stelsel:Afgewezen``      extension status
``stelsel:beoordelaar``    the reviewer's IRI                                   reviewer_id
``stelsel:beoordelaarNaam`` the reviewer's name                                 reviewer_label
``dct:date``               the date of the decision                             mapping_date
=========================  ===================================================  ==================

A rejected alignment keeps its record but loses its plain triple ``<van> <relatie> <naar>`` (like
a withdrawn one: it should not be found as if it held); adopting it again restores the triple.

The API, for the CLI, the HTTP blueprint and other tools (a suggester recording accepted
suggestions uses :func:`record_review` after loading its alignment):

- :func:`find_alignment` (``store, ref``) -> :class:`Target`: what a reference points at;
- :func:`record_review` (``store, ref, status, comment, reviewer_id, reviewer_label=None,
  on=None``) -> :class:`Review`: one decision, written in one SPARQL update;
- :func:`history` (``store, ref``) -> the reviews of one alignment, oldest first;
- :func:`replay` (``store``) -> how many alignments were set again to their latest decision
  (after ``stelsel reload`` put the bundled proposals back).

``ref`` is an alignment or deviation IRI, or its short form ``aansluiting/<hash>`` /
``afwijking/<hash>`` (as in the pages' URLs).
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from datetime import date

from .errors import InputError
from .vocab import DCTERMS, GRAPH, ID, RDFS, STELSEL, XSD

__all__ = ["REVIEW_GRAPH", "DECISIONS", "ReviewError", "UnknownAlignment", "Target", "Review", "find_alignment", "record_review",
           "history", "replay", "review_iri"]

REVIEW_GRAPH = str(GRAPH["beoordelingen"])
#: the decisions a review can take, by the word used on the command line and in HTTP
DECISIONS = {"vastgesteld": str(STELSEL.Vastgesteld), "afgewezen": str(STELSEL.Afgewezen)}
_S = str(STELSEL)
_MAX_COMMENT = 2000
_IRI = re.compile(r"^(https?://|urn:|mailto:)[^\s<>\"{}|\\^`]+$")


class ReviewError(InputError):
    """A review that cannot be recorded (unknown alignment, bad status, empty comment …)."""


class UnknownAlignment(ReviewError):
    """The reference names no alignment or deviation in the store (HTTP 404)."""
    http_status = 404


@dataclass(frozen=True)
class Target:
    """The alignment or deviation a review is about."""
    iri: str
    graph: str           # the named graph it lives in (graph:alignments/<set>)
    kind: str            # "Aansluiting" or "Afwijking"
    architecture: str    # the architecture of its source element (whose owner decides)
    status: str | None   # the current stelsel:status IRI
    triple: tuple[str, str, str] | None  # the plain triple of an Aansluiting
    owner_graphs: frozenset = frozenset()  # graphs of the architectures on both ends

    def may_review(self, granted) -> bool:
        """Whether a writer granted ``granted(graph) -> bool`` may decide: the alignment's own
        graph, or the graph of the architecture on either end (its owner's)."""
        return any(granted(g) for g in {self.graph, *self.owner_graphs})


@dataclass(frozen=True)
class Review:
    iri: str
    alignment: str
    decision: str        # stelsel:Vastgesteld or stelsel:Afgewezen (IRI)
    comment: str
    reviewer_id: str
    reviewer_label: str | None
    on: date

    def as_dict(self) -> dict:
        return {"review": self.iri, "alignment": self.alignment,
                "decision": self.decision.rsplit("#", 1)[-1], "comment": self.comment,
                "reviewer_id": self.reviewer_id, "reviewer_label": self.reviewer_label,
                "date": self.on.isoformat()}


# -- helpers ---------------------------------------------------------------------------------------

def _lit(text: str) -> str:
    """A SPARQL string literal (escaped; the text never becomes syntax)."""
    out = (text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")
           .replace("\r", "\\r").replace("\t", "\\t"))
    return f'"{out}"'


def _iri(value: str, what: str) -> str:
    if not _IRI.match(value):
        raise ReviewError(f"{what} {value!r} is not an IRI",
                          hint="give a full IRI, e.g. https://orcid.org/0000-0002-1825-0097 or "
                               "https://w3id.org/stelsel/id/org/ictu")
    return f"<{value}>"


def _rows(store, sparql: str) -> list[dict]:
    result = store.query(sparql)
    names = [v.value for v in result.variables]
    return [{n: (row[n].value if row[n] is not None else None) for n in names} for row in result]


def _expand(ref: str) -> str:
    ref = ref.strip()
    if re.fullmatch(r"(aansluiting|afwijking)/[0-9a-f]{8,64}", ref):
        return str(ID) + ref
    if re.fullmatch(r"(aansluiting|afwijking):[0-9a-f]{8,64}", ref):
        return str(ID) + ref.replace(":", "/", 1)
    if not _IRI.match(ref):
        raise ReviewError(f"{ref!r} is neither an alignment IRI nor aansluiting/<id>",
                          hint="copy the IRI from the alignment's page or from "
                               "'stelsel export sssom' (e.g. aansluiting/035ddd638042d79a)")
    return ref


def review_iri(alignment: str, decision: str, reviewer_id: str, on: date, comment: str,
               seq: int) -> str:
    digest = hashlib.sha256("\x1f".join([alignment, decision, reviewer_id, on.isoformat(), comment,
                                         str(seq)]).encode("utf-8")).hexdigest()[:16]
    return f"{ID}beoordeling/{digest}"


# -- reading ---------------------------------------------------------------------------------------

def find_alignment(store, ref: str) -> Target:
    """The alignment or deviation ``ref`` names, with its graph and architecture."""
    iri = _expand(ref)
    rows = _rows(store, f"""
        SELECT ?g ?type ?arch ?status ?van ?rel ?naar ?ag ?tg ?dg WHERE {{
          GRAPH ?g {{ <{iri}> a ?type ; <{_S}vanElement> ?van .
                      OPTIONAL {{ <{iri}> <{_S}status> ?status }}
                      OPTIONAL {{ <{iri}> <{_S}relatie> ?rel ; <{_S}naarElement> ?naar }} }}
          FILTER (?type IN (<{_S}Aansluiting>, <{_S}Afwijking>))
          OPTIONAL {{ <{iri}> <{_S}vanElement>/<{_S}inArchitectuur> ?arch .
                      GRAPH ?ag {{ ?arch a <{_S}Architectuur> }} }}
          OPTIONAL {{ <{iri}> <{_S}naarElement>/<{_S}inArchitectuur> ?tarch .
                      GRAPH ?tg {{ ?tarch a <{_S}Architectuur> }} }}
          OPTIONAL {{ <{iri}> <{_S}tenOpzichteVan> ?tov . GRAPH ?dg {{ ?tov a <{_S}Architectuur> }} }}
        }}""")
    if not rows:
        raise UnknownAlignment(f"there is no alignment or deviation <{iri}> in the store",
                          hint="check the IRI on the alignment's page; after editing the bundled "
                               "files run 'stelsel reload'")
    graphs = {r["g"] for r in rows}
    if len(graphs) > 1:
        raise ReviewError(f"<{iri}> is described in several graphs ({', '.join(sorted(graphs))})",
                          hint="keep each alignment in one alignment graph")
    r = rows[0]
    kind = r["type"].rsplit("#", 1)[-1]
    triple = (r["van"], r["rel"], r["naar"]) if kind == "Aansluiting" and r["rel"] else None
    owners = frozenset(x for row in rows for x in (row["ag"], row["tg"], row["dg"]) if x)
    return Target(iri, r["g"], kind, r["arch"] or "", r["status"], triple, owners)


def history(store, ref: str) -> list[Review]:
    """Every review of one alignment, oldest first (by date, then by the order recorded)."""
    iri = _expand(ref)
    rows = _rows(store, f"""
        SELECT ?r ?besluit ?comment ?who ?name ?date ?seq WHERE {{
          GRAPH <{REVIEW_GRAPH}> {{
            ?r a <{_S}Beoordeling> ; <{_S}betreft> <{iri}> ; <{_S}besluit> ?besluit ;
               <{_S}beoordelaar> ?who ; <{DCTERMS}date> ?date ; <{RDFS}comment> ?comment .
            OPTIONAL {{ ?r <{_S}beoordelaarNaam> ?name }}
            OPTIONAL {{ ?r <{_S}volgnummer> ?seq }}
          }} }}""")
    reviews = [(r["date"], int(r["seq"] or 0), Review(r["r"], iri, r["besluit"], r["comment"], r["who"],
                                                      r["name"], date.fromisoformat(r["date"])))
               for r in rows]
    return [rv for _, _, rv in sorted(reviews, key=lambda t: (t[0], t[1]))]


# -- writing ---------------------------------------------------------------------------------------

def _apply(target: Target, decision: str, reviewer_id: str, reviewer_label: str | None,
           on: date) -> str:
    """The part of an update that sets the alignment's current state to a decision."""
    g, a = target.graph, target.iri
    props = [f"<{_S}status>", f"<{_S}beoordelaar>", f"<{_S}beoordelaarNaam>", f"<{DCTERMS}date>"]
    parts = [f"DELETE {{ GRAPH <{g}> {{ <{a}> ?p ?o }} }} WHERE {{ GRAPH <{g}> {{ <{a}> ?p ?o }} "
             f"FILTER (?p IN ({', '.join(props)})) }}"]
    new = [f"<{a}> <{_S}status> <{decision}>", f"<{a}> <{_S}beoordelaar> <{reviewer_id}>",
           f'<{a}> <{DCTERMS}date> "{on.isoformat()}"^^<{XSD}date>']
    if reviewer_label:
        new.append(f"<{a}> <{_S}beoordelaarNaam> {_lit(reviewer_label)}")
    if target.triple:
        s, p, o = target.triple
        if decision == DECISIONS["afgewezen"]:
            parts.append(f"DELETE DATA {{ GRAPH <{g}> {{ <{s}> <{p}> <{o}> }} }}")
        else:
            new.append(f"<{s}> <{p}> <{o}>")
    parts.append(f"INSERT DATA {{ GRAPH <{g}> {{ {' . '.join(new)} }} }}")
    return " ;\n".join(parts)


def record_review(store, ref: str, status: str, comment: str, reviewer_id: str,
                  reviewer_label: str | None = None, on: date | None = None) -> Review:
    """Record one decision on an alignment or deviation; one update, all of it or nothing."""
    decision = DECISIONS.get((status or "").strip().lower())
    if decision is None:
        raise ReviewError(f"status {status!r} is not one of {', '.join(DECISIONS)}",
                          hint="use --status vastgesteld or --status afgewezen")
    comment = " ".join((comment or "").split())
    if not comment:
        raise ReviewError("a review needs a comment that says why",
                          hint="add --comment 'TEXT' (one or two sentences)")
    if len(comment) > _MAX_COMMENT:
        raise ReviewError(f"the comment has {len(comment)} characters; at most {_MAX_COMMENT}",
                          hint="shorten it and link to a longer text if needed")
    if not (reviewer_id or "").strip():
        raise ReviewError("a review needs the reviewer's IRI", hint="add --reviewer IRI")
    reviewer = _iri(reviewer_id.strip(), "reviewer")[1:-1]
    label = " ".join(reviewer_label.split()) if reviewer_label else None
    on = on or date.today()
    target = find_alignment(store, ref)
    seq = len(history(store, target.iri)) + 1
    iri = review_iri(target.iri, decision, reviewer, on, comment, seq)
    review = [f"<{iri}> a <{_S}Beoordeling>", f"<{iri}> <{_S}betreft> <{target.iri}>",
              f"<{iri}> <{_S}besluit> <{decision}>", f"<{iri}> <{_S}beoordelaar> <{reviewer}>",
              f'<{iri}> <{DCTERMS}date> "{on.isoformat()}"^^<{XSD}date>',
              f"<{iri}> <{RDFS}comment> {_lit(comment)}",
              f'<{iri}> <{_S}volgnummer> "{seq}"^^<{XSD}integer>']
    if target.status:
        review.append(f"<{iri}> <{_S}vorigeStatus> <{target.status}>")
    if label:
        review.append(f"<{iri}> <{_S}beoordelaarNaam> {_lit(label)}")
    update = (f"INSERT DATA {{ GRAPH <{REVIEW_GRAPH}> {{ {' . '.join(review)} }} }} ;\n"
              + _apply(target, decision, reviewer, label, on))
    store.update(update)
    return Review(iri, target.iri, decision, comment, reviewer, label, on)


def replay(store) -> int:
    """Set every reviewed alignment to its latest decision again; returns how many were set.

    ``stelsel reload`` puts the bundled proposals back into the alignment graphs; the reviews in
    :data:`REVIEW_GRAPH` survive it, and this brings the alignments up to date with them."""
    rows = _rows(store, f"""SELECT DISTINCT ?a WHERE {{ GRAPH <{REVIEW_GRAPH}> {{
                               ?r a <{_S}Beoordeling> ; <{_S}betreft> ?a }} }}""")
    done = 0
    for row in rows:
        try:
            target = find_alignment(store, row["a"])
        except ReviewError:
            continue  # the alignment is no longer in the store; its reviews stay as history
        last = history(store, target.iri)[-1]
        store.update(_apply(target, last.decision, last.reviewer_id, last.reviewer_label, last.on))
        done += 1
    return done
