"""``stelsel suggest``: ranked NORA targets for an element or for an architecture's unaligned
principles and goals; ``stelsel suggest evaluate``: the methods measured on GEMMA's and GDI's links.

    stelsel suggest gemma/GAP18                       # one element (IRI, architecture/notation or notation)
    stelsel suggest --architecture dera --format sssom -o dera.sssom.tsv
    stelsel suggest evaluate --format json
"""

from __future__ import annotations

import json
from pathlib import Path

import click

from ..errors import InputError
from .corpus import Corpus
from .ranker import METHODS, NEEDS_EMBEDDING, Suggester


class _DefaultToElement(click.Group):
    """`stelsel suggest X` runs `stelsel suggest element X` unless X is a subcommand."""

    def parse_args(self, ctx, args):
        if args and args[0] not in self.commands and args[0] not in ("-h", "--help"):
            args = ["element", *args]
        return super().parse_args(ctx, args)


def _state(ctx: click.Context):
    return ctx.find_root().obj


def _write(text: str, output: Path | None) -> None:
    if output is None:
        click.echo(text, nl=False)
        return
    tmp = output.with_name(f".{output.name}.tmp")
    tmp.write_text(text, encoding="utf-8")
    tmp.replace(output)


def _cache_path(state) -> Path | None:
    """Beside an on-disk store: `<store>.suggest-embeddings.npz`; none for a remote store."""
    store = state.config.store
    if isinstance(store, Path) or (isinstance(store, str) and "://" not in store):
        store = Path(store)
        return store.with_name(store.name + ".suggest-embeddings.npz")
    return None


def _default_method() -> str:
    from .embedding import available
    return "hybrid" if available() else "combined"


def _suggester(ctx: click.Context, corpus: Corpus, method: str | None, **kwargs) -> Suggester:
    """One way to build the ranking for `suggest` and `suggest accept`, so that accepting records the
    method, rank and confidence the user saw: the same default, the same embedding cache."""
    method = method or _default_method()
    embedder = None
    if method in NEEDS_EMBEDDING:
        from .embedding import Embedder
        embedder = Embedder(cache=_cache_path(_state(ctx)))
    return Suggester(corpus, method=method, embedder=embedder, **kwargs)


@click.group("suggest", cls=_DefaultToElement, context_settings={"help_option_names": ["-h", "--help"]})
def suggest_group():
    """Suggest alignments to NORA (stelsel suggest ELEMENT | --architecture A | evaluate)."""


@suggest_group.command("element")
@click.argument("element", required=False)
@click.option("-a", "--architecture", default=None, metavar="NAME|IRI",
              help="All principles and goals of this architecture without an alignment to the target "
                   "(dera, ocw, rosa/2024 …); with ELEMENT: where to look up a bare notation.")
@click.option("--target", default="nora", show_default=True, metavar="NAME|IRI", help="Architecture to align to.")
@click.option("-m", "--method", type=click.Choice(list(METHODS)), default=None,
              help="lexical | embedding | structure | combined (lexical + structure) | hybrid (all three; "
                   "needs stelsel[suggest]). Default: hybrid when the model is installed, else combined.")
@click.option("-k", "--top", "k", type=click.IntRange(1, 200), default=10, show_default=True)
@click.option("-f", "--format", "fmt", type=click.Choice(["text", "json", "sssom"]), default="text", show_default=True)
@click.option("--lang", type=click.Choice(["nl", "en"]), default="nl", show_default=True)
@click.option("-o", "--output", type=click.Path(path_type=Path, dir_okay=False), default=None)
@click.pass_context
def element(ctx, element, architecture, target, method, k, fmt, lang, output):
    """Ranked NORA targets for ELEMENT, or for every unaligned principle and goal of --architecture."""
    from .formats import RENDERERS
    if not element and not architecture:
        raise InputError("name an element or an architecture",
                         hint="stelsel suggest gemma/GAP18, or stelsel suggest --architecture dera")
    corpus = Corpus.from_store(_state(ctx).reader)
    target_iri = corpus.resolve_architecture(target)
    arch_iri = corpus.resolve_architecture(architecture) if architecture else None
    suggester = _suggester(ctx, corpus, method, target=target_iri)
    if element:
        sources = [corpus.resolve_element(element, arch_iri)]
    else:
        sources = corpus.sources(arch_iri, unaligned_to=target_iri)
    groups = [(src, suggester.suggest(src, k)) for src in sources]
    _write(RENDERERS[fmt](groups, suggester.method, lang), output)


@suggest_group.command("evaluate")
@click.option("-f", "--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
@click.option("--limit", type=click.IntRange(1), default=None,
              help="Only the first N queries of each half (a quick check).")
@click.option("--no-embedding", is_flag=True, help="Leave out the embedding methods even when the model is installed.")
@click.option("-o", "--output", type=click.Path(path_type=Path, dir_okay=False), default=None)
@click.pass_context
def evaluate_cmd(ctx, fmt, limit, no_embedding, output):
    """Measure the methods on GEMMA's and GDI's own links to NORA (seeded split; see docs/suggest.md)."""
    from .embedding import Embedder, available
    from .evaluate import evaluate
    from .report import text_report
    corpus = Corpus.from_store(_state(ctx).reader)
    embedder = Embedder(cache=_cache_path(_state(ctx))) if available() and not no_embedding else None
    result = evaluate(corpus, embedder=embedder, limit=limit)
    if not result["held_out"]["queries"]:
        raise InputError("the store holds no GEMMA alignments to evaluate on",
                         hint="load the bundled data (stelsel reload) with data/gemma.ttl and data/alignments/gemma.ttl")
    text = json.dumps(result, indent=2) + "\n" if fmt == "json" else text_report(result)
    _write(text, output)


@suggest_group.command("accept")
@click.argument("element")
@click.argument("target")
@click.option("--reviewer", "reviewer_id", required=True, metavar="IRI", help="Who adopts it (an IRI).")
@click.option("--reviewer-name", default=None, help="The reviewer's name.")
@click.option("--comment", required=True, help="Why it holds (one or two sentences).")
@click.option("-m", "--method", type=click.Choice(list(METHODS)), default=None,
              help="The method whose suggestion you adopt (default: as for stelsel suggest).")
@click.pass_context
def accept_cmd(ctx, element, target, reviewer_id, reviewer_name, comment, method):
    """Adopt a suggestion: record it as an alignment and its adoption as a review (stelsel review)."""
    from .accept import accept, find_suggestion
    store = _state(ctx).store
    corpus = Corpus.from_store(store)
    suggester = _suggester(ctx, corpus, method)
    source = corpus.resolve_element(element)
    suggestion = find_suggestion(suggester, source, target)
    done = accept(store, suggestion, method=suggester.method, comment=comment, reviewer_id=reviewer_id,
                  reviewer_label=reviewer_name)
    click.echo(f"{source.short()} -> {suggestion.target.short()}: {done.alignment} adopted "
               f"(review {done.review.iri})")
