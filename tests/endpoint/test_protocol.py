"""/sparql by the SPARQL 1.1 Protocol, through the Flask test client, on both store backends:
the three ways to send a query, every result format parsed back, the dataset parameters, the
service description, CORS, ETags, the row limit, errors and the access log."""

from __future__ import annotations

import csv
import hashlib
import io
import json
import logging
import xml.etree.ElementTree as ET

import pytest
import rdflib

from stelsel.server import create_app

SKOS = "http://www.w3.org/2004/02/skos/core#"
NORA = "https://w3id.org/stelsel/graph/nora"
DERA = "https://w3id.org/stelsel/graph/dera"
LABELS = (f"SELECT ?s ?l WHERE {{ ?s <{SKOS}prefLabel> ?l FILTER(CONTAINS(LCASE(?l), 'open') && lang(?l) = 'nl') }} "
          "ORDER BY ?s ?l")
COUNT = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
CONSTRUCT = f"CONSTRUCT {{ ?s <{SKOS}prefLabel> ?l }} WHERE {{ ?s <{SKOS}prefLabel> ?l FILTER(lang(?l) = 'en') }}"
RES = "{http://www.w3.org/2005/sparql-results#}"


def rows(response) -> list[tuple[str, ...]]:
    body = response.get_json()
    names = body["head"]["vars"]
    return [tuple(b.get(n, {}).get("value", "") for n in names) for b in body["results"]["bindings"]]


def count(response) -> int:
    return int(rows(response)[0][0])


def triples(store) -> int:
    return sum(g.triples for g in store.graphs())


# -- the three ways in ------------------------------------------------------------------------------
def test_get_post_form_and_post_body_give_the_same_rows(client):
    answers = [
        client.get("/sparql", query_string={"query": LABELS}),
        client.post("/sparql", data={"query": LABELS}),
        client.post("/sparql", data=LABELS.encode("utf-8"), content_type="application/sparql-query"),
        client.post("/sparql", data=LABELS.encode("utf-8"), content_type="application/sparql-query; charset=utf-8"),
    ]
    first = rows(answers[0])
    assert first and all(r[1] for r in first)
    for r in answers:
        assert r.status_code == 200
        assert r.mimetype == "application/sparql-results+json"
        assert rows(r) == first
        assert r.headers["Access-Control-Allow-Origin"] == "*"


def test_the_default_graph_is_the_union_of_the_named_graphs(client, store):
    assert count(client.get("/sparql", query_string={"query": COUNT})) == triples(store)


# -- every format, parsed back ------------------------------------------------------------------------
def _parse_json(body: bytes):
    data = json.loads(body)
    names = data["head"]["vars"]
    return [tuple(b[n]["value"] for n in names) for b in data["results"]["bindings"]]


def _parse_xml(body: bytes):
    root = ET.fromstring(body)
    names = [v.get("name") for v in root.iter(f"{RES}variable")]
    out = []
    for result in root.iter(f"{RES}result"):
        values = {b.get("name"): "".join(b.itertext()) for b in result.iter(f"{RES}binding")}
        out.append(tuple(values[n] for n in names))
    return out


def _parse_csv(body: bytes):
    table = list(csv.reader(io.StringIO(body.decode("utf-8"))))
    assert table[0] == ["s", "l"]
    return [tuple(r) for r in table[1:]]


def _parse_tsv(body: bytes):
    lines = body.decode("utf-8").splitlines()
    assert lines[0] == "?s\t?l"
    out = []
    for line in lines[1:]:
        s, lit = line.split("\t")
        # TSV writes terms in Turtle syntax: <iri> and "literal"@lang
        assert s.startswith("<") and s.endswith(">")
        value = lit[1:lit.rindex('"')]
        out.append((s[1:-1], value.encode("utf-8").decode("unicode_escape").encode("latin-1").decode("utf-8")))
    return out


@pytest.mark.parametrize("accept, parse", [
    ("application/sparql-results+json", _parse_json),
    ("application/sparql-results+xml", _parse_xml),
    ("text/csv", _parse_csv),
    ("text/tab-separated-values", _parse_tsv),
], ids=["json", "xml", "csv", "tsv"])
def test_select_results_in_every_format_parse_back_to_the_same_rows(client, accept, parse):
    want = _parse_json(client.get("/sparql", query_string={"query": LABELS}).data)
    r = client.get("/sparql", query_string={"query": LABELS}, headers={"Accept": accept})
    assert r.status_code == 200 and r.mimetype == accept
    assert parse(r.data) == want and len(want) > 2


@pytest.mark.parametrize("accept, suffix", [("text/html,application/xhtml+xml,*/*;q=0.8", "srj"),
                                            ("text/csv", "csv"), ("text/turtle", "ttl")])
def test_a_browser_saves_the_raw_answer_under_a_name_that_says_what_it_is(client, accept, suffix):
    """'Ruw antwoord' on /query posts the form to /sparql: a browser that cannot show the answer's
    type saves it, and then under a file name with its kind, not as 'sparql'."""
    query = LABELS if suffix != "ttl" else "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o } LIMIT 3"
    r = client.post("/sparql", data={"query": query}, headers={"Accept": accept})
    assert r.status_code == 200
    assert r.headers["Content-Disposition"] == f'inline; filename="stelsel-answer.{suffix}"'


@pytest.mark.parametrize("query, expected", [("ASK { ?s a ?c }", True),
                                             ("ASK { ?s a <https://example.org/Nothing> }", False)])
def test_ask_answers_json_and_xml(client, query, expected):
    r = client.get("/sparql", query_string={"query": query})
    assert r.mimetype == "application/sparql-results+json" and r.get_json()["boolean"] is expected
    r = client.get("/sparql", query_string={"query": query}, headers={"Accept": "application/sparql-results+xml"})
    assert ET.fromstring(r.data).find(f"{RES}boolean").text == str(expected).lower()


@pytest.mark.parametrize("accept, rdflib_format", [
    ("text/turtle", "turtle"),
    ("application/n-triples", "nt"),
    ("application/ld+json", "json-ld"),
    ("application/rdf+xml", "xml"),
])
def test_construct_in_every_rdf_format_parses_to_the_same_graph(client, accept, rdflib_format):
    reference = rdflib.Graph().parse(
        data=client.get("/sparql", query_string={"query": CONSTRUCT}, headers={"Accept": "application/n-triples"}).data,
        format="nt")
    r = client.get("/sparql", query_string={"query": CONSTRUCT}, headers={"Accept": accept})
    assert r.status_code == 200 and r.mimetype == accept
    got = rdflib.Graph().parse(data=r.data, format=rdflib_format)
    assert len(got) == len(reference) > 10
    assert set(got) == set(reference)


@pytest.mark.parametrize("accept, rdflib_format", [("application/trig", "trig"), ("application/n-quads", "nquads")])
def test_construct_as_a_dataset_puts_the_triples_in_the_default_graph(client, accept, rdflib_format):
    r = client.get("/sparql", query_string={"query": CONSTRUCT}, headers={"Accept": accept})
    assert r.status_code == 200 and r.mimetype == accept
    ds = rdflib.Dataset()
    ds.parse(data=r.data, format=rdflib_format)
    named = [c for c in ds.graphs() if c.identifier != rdflib.graph.DATASET_DEFAULT_GRAPH_ID and len(c)]
    assert not named
    assert len(ds.default_graph) > 10


def test_describe_and_the_default_types(client):
    r = client.get("/sparql", query_string={"query": "DESCRIBE <https://w3id.org/stelsel/def#Principe>"})
    assert r.status_code == 200 and r.mimetype == "text/turtle"
    assert len(rdflib.Graph().parse(data=r.data, format="turtle")) > 0
    r = client.get("/sparql", query_string={"query": CONSTRUCT}, headers={"Accept": "*/*"})
    assert r.mimetype == "text/turtle"
    r = client.get("/sparql", query_string={"query": COUNT}, headers={"Accept": "application/json"})
    assert r.mimetype == "application/sparql-results+json"


# -- the dataset --------------------------------------------------------------------------------------
def _graph_size(store, iri: str) -> int:
    return next(g.triples for g in store.graphs() if g.iri == iri)


def test_default_graph_uri_makes_the_default_graph(client, store):
    r = client.get("/sparql", query_string=[("query", COUNT), ("default-graph-uri", NORA)])
    assert count(r) == _graph_size(store, NORA)
    r = client.get("/sparql", query_string=[("query", COUNT), ("default-graph-uri", NORA), ("default-graph-uri", DERA)])
    assert count(r) == _graph_size(store, NORA) + _graph_size(store, DERA)
    r = client.post("/sparql", data={"query": COUNT, "default-graph-uri": DERA})
    assert count(r) == _graph_size(store, DERA)
    r = client.post(f"/sparql?default-graph-uri={DERA}", data=COUNT, content_type="application/sparql-query")
    assert count(r) == _graph_size(store, DERA)


def test_named_graph_uri_limits_graph_and_empties_the_default(client, store):
    q = "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }"
    r = client.get("/sparql", query_string=[("query", q), ("named-graph-uri", NORA)])
    assert rows(r) == [(NORA,)]
    r = client.get("/sparql", query_string=[("query", COUNT), ("named-graph-uri", NORA)])
    assert count(r) == 0   # the protocol's dataset replaces the union: no default graph was named


def test_from_a_local_graph_is_the_default_graph(client, store):
    r = client.get("/sparql", query_string={"query": f"SELECT (COUNT(*) AS ?n) FROM <{NORA}> WHERE {{ ?s ?p ?o }}"})
    assert r.status_code == 200, r.get_json()
    assert count(r) == _graph_size(store, NORA)


@pytest.mark.parametrize("query, params, words", [
    ("SELECT * WHERE { SERVICE <https://dbpedia.org/sparql> { ?s ?p ?o } }", [], "SERVICE is not allowed"),
    ("select * where { service silent ?x { ?s ?p ?o } }", [], "SERVICE is not allowed"),
    ("SELECT * FROM <https://example.org/data.ttl> WHERE { ?s ?p ?o }", [], "FROM <https://example.org/data.ttl>"),
    ("SELECT * FROM NAMED <https://example.org/g> WHERE { GRAPH ?g { ?s ?p ?o } }", [], "FROM NAMED"),
    (COUNT, [("default-graph-uri", "https://example.org/remote.ttl")], "default-graph-uri"),
    (COUNT, [("named-graph-uri", "https://example.org/remote.ttl")], "named-graph-uri"),
], ids=["service", "service-var", "from", "from-named", "default-graph-uri", "named-graph-uri"])
def test_remote_data_is_refused_with_a_reason(client, query, params, words):
    r = client.get("/sparql", query_string=[("query", query), *params])
    assert r.status_code == 400
    assert words in r.get_json()["message"]
    assert "does not" in r.get_json()["message"]


def test_service_inside_a_string_or_comment_is_not_refused(client):
    q = 'SELECT ?x WHERE { BIND("SERVICE <https://example.org/sparql> { }" AS ?x) } # SERVICE <http://x> {}'
    r = client.get("/sparql", query_string={"query": q})
    assert r.status_code == 200 and rows(r)[0][0].startswith("SERVICE")


def test_the_union_default_graph_can_be_switched_off(endpoint_config, store, backend):
    if backend == "remote":
        pytest.skip("a remote server decides its default graph itself (docs/remote-store.md)")
    client = create_app(endpoint_config.replace(union_default_graph=False), store=store).test_client()
    assert count(client.get("/sparql", query_string={"query": COUNT})) == 0
    g = rdflib.Graph().parse(data=client.get("/sparql", headers={"Accept": "text/turtle"}).data, format="turtle")
    sd = rdflib.Namespace("http://www.w3.org/ns/sparql-service-description#")
    assert (None, sd.feature, sd.UnionDefaultGraph) not in g


# -- without a query ------------------------------------------------------------------------------------
def test_the_service_description_names_the_dataset(client, store):
    sd = rdflib.Namespace("http://www.w3.org/ns/sparql-service-description#")
    for accept, fmt in (("", "turtle"), ("text/turtle", "turtle"), ("application/ld+json", "json-ld")):
        r = client.get("/sparql", headers={"Accept": accept} if accept else {})
        assert r.status_code == 200
        g = rdflib.Graph().parse(data=r.data, format=fmt)
        service = g.value(predicate=rdflib.RDF.type, object=sd.Service)
        assert service is not None and (service, sd.feature, sd.UnionDefaultGraph) in g
        dataset = g.value(service, sd.defaultDataset)
        names = {str(g.value(n, sd.name)) for n in g.objects(dataset, sd.namedGraph)}
        assert names == {info.iri for info in store.graphs()}


def test_a_browser_gets_a_page_with_a_form(client):
    r = client.get("/sparql", headers={"Accept": "text/html,application/xhtml+xml,*/*;q=0.8"})
    assert r.status_code == 200 and r.mimetype == "text/html"
    assert b"<form" in r.data and b'name="query"' in r.data


# -- errors ---------------------------------------------------------------------------------------------
def test_a_malformed_query_gets_400_with_the_parsers_words_and_position(client):
    r = client.get("/sparql", query_string={"query": "SELECT ?x\nWHERE {\n  ?x ?y"})
    assert r.status_code == 400
    body = r.get_json()
    assert body["error"] == "QuerySyntaxError" and body["status"] == 400
    assert body["line"] == 3 and isinstance(body["column"], int)
    assert f"3:{body['column']}" in body["message"] and "does not parse" in body["message"]
    assert set(body) == {"error", "message", "hint", "status", "line", "column"}


@pytest.mark.parametrize("request_kwargs, status", [
    ({"query_string": {"query": COUNT}, "headers": {"Accept": "image/png"}}, 406),
    ({"query_string": {"query": CONSTRUCT}, "headers": {"Accept": "text/csv"}}, 406),
    ({"method": "POST", "data": COUNT, "content_type": "text/plain"}, 415),
    ({"method": "POST", "data": COUNT, "content_type": "application/json"}, 415),
    ({"method": "POST", "data": {"query": COUNT, "update": "DROP ALL"}}, 400),
    ({"query_string": [("query", COUNT), ("query", COUNT)]}, 400),
    ({"query_string": {"update": "DROP ALL"}}, 400),
    ({"method": "POST", "data": {}}, 400),
    ({"query_string": {"query": COUNT, "timeout": "soon"}}, 400),
    ({"query_string": {"query": COUNT, "timeout": "0"}}, 400),
    ({"method": "PUT", "data": COUNT}, 405),
], ids=["406-select", "406-construct", "415-text", "415-json", "400-query-and-update", "400-two-queries",
        "400-update-by-get", "400-no-query", "400-timeout-word", "400-timeout-zero", "405-put"])
def test_every_error_has_its_status_and_one_json_shape(client, request_kwargs, status):
    request_kwargs = dict(request_kwargs)
    method = request_kwargs.pop("method", "GET")
    r = client.open("/sparql", method=method, **request_kwargs)
    assert r.status_code == status
    body = r.get_json()
    assert body["status"] == status and body["message"] and "error" in body
    assert r.headers["Access-Control-Allow-Origin"] == "*"


def test_too_large_requests_get_413(endpoint_config, store):
    client = create_app(endpoint_config.replace(max_request_bytes=2000), store=store).test_client()
    big = COUNT + " #" + "x" * 3000
    assert client.post("/sparql", data=big, content_type="application/sparql-query").status_code == 413
    assert client.post("/sparql", data={"query": big}).status_code == 413
    r = client.get("/sparql", query_string={"query": big})
    assert r.status_code == 413 and "larger than 2,000 bytes" in r.get_json()["message"]
    assert client.get("/sparql", query_string={"query": COUNT}).status_code == 200


def test_a_real_fault_is_500_with_only_an_id_which_the_log_has(app, caplog):
    def broken(*args, **kwargs):
        raise RuntimeError("secret detail of the fault")

    app.extensions["stelsel.executor"].run = broken
    with caplog.at_level(logging.ERROR, logger="stelsel.server"):
        r = app.test_client().get("/sparql", query_string={"query": "SELECT * WHERE { ?s ?p ?o } LIMIT 1"})
    assert r.status_code == 500
    body = r.get_json()
    assert body["message"] == "internal error" and len(body["id"]) == 12
    assert "secret" not in r.get_data(as_text=True)
    record = next(rec for rec in caplog.records if body["id"] in rec.getMessage())
    assert record.exc_info and "secret detail" in str(record.exc_info[1])
    del app.extensions["stelsel.executor"].run


# -- CORS ----------------------------------------------------------------------------------------------
def test_cors_is_open_and_preflight_allows_authorization(client):
    r = client.options("/sparql", headers={"Origin": "https://yasgui.example", "Access-Control-Request-Method": "POST",
                                           "Access-Control-Request-Headers": "authorization, content-type"})
    assert r.status_code in (200, 204)
    assert r.headers["Access-Control-Allow-Origin"] == "*"
    methods = {m.strip() for m in r.headers["Access-Control-Allow-Methods"].split(",")}
    assert {"GET", "POST"} <= methods
    allowed = {h.strip().lower() for h in r.headers["Access-Control-Allow-Headers"].split(",")}
    assert {"authorization", "content-type", "accept"} <= allowed
    r = client.get("/sparql", query_string={"query": COUNT}, headers={"Origin": "https://yasgui.example"})
    assert r.headers["Access-Control-Allow-Origin"] == "*"
    assert "Stelsel-Truncated" in r.headers["Access-Control-Expose-Headers"]


# -- caching ------------------------------------------------------------------------------------------------
def test_answers_have_an_etag_and_if_none_match_gets_304(client):
    r = client.get("/sparql", query_string={"query": LABELS})
    etag = r.headers["ETag"]
    assert etag.startswith('"') and r.headers["Cache-Control"] == "no-cache" and "Accept" in r.headers["Vary"]
    again = client.get("/sparql", query_string={"query": LABELS}, headers={"If-None-Match": etag})
    assert again.status_code == 304 and again.data == b"" and again.headers["ETag"] == etag
    other_type = client.get("/sparql", query_string={"query": LABELS},
                            headers={"If-None-Match": etag, "Accept": "text/csv"})
    assert other_type.status_code == 200 and other_type.headers["ETag"] != etag
    other_query = client.get("/sparql", query_string={"query": COUNT}, headers={"If-None-Match": etag})
    assert other_query.status_code == 200


# -- the row limit -----------------------------------------------------------------------------------------
def test_the_row_limit_cuts_and_says_so_in_a_header(endpoint_config, store):
    client = create_app(endpoint_config.replace(max_result_rows=7), store=store).test_client()
    r = client.get("/sparql", query_string={"query": "SELECT * WHERE { ?s ?p ?o }"})
    assert r.status_code == 200 and len(rows(r)) == 7
    assert r.headers["Stelsel-Truncated"] == "true" and r.headers["Stelsel-Row-Limit"] == "7"
    assert set(r.get_json()) == {"head", "results"}       # nothing outside the spec in the body
    r = client.get("/sparql", query_string={"query": "SELECT * WHERE { ?s ?p ?o } LIMIT 7"})
    assert len(rows(r)) == 7 and "Stelsel-Truncated" not in r.headers
    r = client.get("/sparql", query_string={"query": "CONSTRUCT WHERE { ?s ?p ?o }"},
                   headers={"Accept": "application/n-triples"})
    assert r.headers["Stelsel-Truncated"] == "true"
    assert len(rdflib.Graph().parse(data=r.data, format="nt")) <= 7


# -- the access log -------------------------------------------------------------------------------------------
def test_one_json_access_line_per_request(client, caplog):
    with caplog.at_level(logging.INFO, logger="stelsel.access"):
        client.get("/sparql", query_string={"query": LABELS})
        client.get("/sparql", query_string={"query": "SELECT * WHERE {"})
        client.get("/-/health")
    lines = [json.loads(r.getMessage()) for r in caplog.records if r.name == "stelsel.access"]
    assert len(lines) == 3
    ok, bad, health = lines
    assert set(ok) == {"method", "path", "status", "ms", "query", "bytes"}
    assert ok["method"] == "GET" and ok["path"] == "/sparql" and ok["status"] == 200
    assert ok["query"] == hashlib.sha256(LABELS.encode("utf-8")).hexdigest()[:12]
    assert ok["bytes"] > 0 and ok["ms"] >= 0
    assert bad["status"] == 400 and bad["query"] == hashlib.sha256(b"SELECT * WHERE {").hexdigest()[:12]
    assert health["path"] == "/-/health" and health["query"] is None


def test_tool_pages(client):
    assert client.get("/-/health").get_json()["status"] == "ok"
    assert client.get("/-/version").get_json()["store_version"]
