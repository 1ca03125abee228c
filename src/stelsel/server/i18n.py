"""The UI's two languages: a small dict-based catalogue (Dutch first, English), numbers and dates.

``t(key, lang, **values)`` looks a string up and fills ``{name}`` places; a key missing in
``lang`` falls back to Dutch, a key missing altogether is returned as it is (so a typo shows on
the page instead of failing it; the tests check that every key has both languages).

The language of a request is ``?lang=`` (which the browse pages also remember in the cookie
``stelsel_lang``), else that cookie, else Dutch.
"""

from __future__ import annotations

import datetime as dt
import re

LANGS = ("nl", "en")
DEFAULT_LANG = "nl"
COOKIE = "stelsel_lang"

MONTHS = {
    "nl": ["januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus", "september",
           "oktober", "november", "december"],
    "en": ["January", "February", "March", "April", "May", "June", "July", "August", "September",
           "October", "November", "December"],
}

# key -> (Dutch, English)
_CATALOGUE: dict[str, tuple[str, str]] = {
    # -- the frame ---------------------------------------------------------------------------------
    "site.name": ("stelsel", "stelsel"),
    "site.tagline": ("Het stelsel van referentiearchitecturen als kennisgraaf",
                     "The Dutch system of reference architectures as a knowledge graph"),
    "skip": ("Naar de inhoud", "Skip to content"),
    "nav.label": ("Hoofdmenu", "Main menu"),
    "nav.home": ("Overzicht", "Overview"),
    "nav.matrix": ("Dekkingsmatrix", "Coverage matrix"),
    "nav.alignments": ("Aansluitingen", "Alignments"),
    "nav.validation": ("Validatie", "Validation"),
    "nav.datasets": ("Datasets", "Datasets"),
    "nav.search": ("Zoeken", "Search"),
    "nav.query": ("SPARQL", "SPARQL"),
    "nav.graphs": ("Grafen", "Graphs"),
    "lang.switch": ("Taal", "Language"),
    "lang.other": ("English", "Nederlands"),
    "lang.other.code": ("en", "nl"),
    "footer.twins": ("Deze pagina voor machines:", "This page for machines:"),
    "footer.about": ("stelsel {version} · gegevens: versie {store}", "stelsel {version} · data: version {store}"),
    "footer.colophon": ("Colofon, licenties en toegankelijkheid", "Colophon, licences and accessibility"),
    "prov.notice": ("Let op: {proposed} van de {total} aansluitingen zijn voorstellen (status ‘voorgesteld’) van "
                    "{who}. Ze zijn niet vastgesteld door de eigenaren van de architecturen; de getallen hier "
                    "tellen die voorstellen mee.",
                    "Note: {proposed} of the {total} alignments are proposals (status ‘proposed’) by {who}. "
                    "The owners of the architectures have not adopted them; the figures here count those "
                    "proposals."),
    "prov.adopted": ("{adopted} aansluitingen zijn vastgesteld (door {who}).",
                     "{adopted} alignments are adopted (by {who})."),
    "prov.more": ("Over de bronnen", "About the sources"),
    "col.title": ("Colofon", "Colophon"),
    "col.owner.title": ("Wie maakt dit", "Who makes this"),
    "col.owner.text": ("Deze kennisgraaf is een project (‘stelsel project’) dat de openbare referentiearchitecturen "
                       "in eigen woorden vastlegt. Het is geen uitgave van de eigenaren van die architecturen "
                       "(zoals ICTU/NORA-beheer, NDE, Edustandaard of OCW); de officiële teksten staan op hun "
                       "eigen sites, die elke pagina hier noemt.",
                       "This knowledge graph is a project (‘stelsel project’) that records the public reference "
                       "architectures in its own words. It is not published by the owners of those architectures "
                       "(such as ICTU/NORA maintenance, NDE, Edustandaard or OCW); the official texts are on "
                       "their own sites, which every page here links."),
    "col.licences.title": ("Licenties", "Licences"),
    "col.licences.code": ("Programmacode: European Union Public Licence 1.2 (EUPL-1.2).",
                          "Code: European Union Public Licence 1.2 (EUPL-1.2)."),
    "col.licences.data": ("Gegevens (de kennisgraaf): Creative Commons Naamsvermelding 4.0 (CC BY 4.0); noem "
                          "‘stelsel’ en de bronnen hieronder.",
                          "Data (the knowledge graph): Creative Commons Attribution 4.0 (CC BY 4.0); credit "
                          "‘stelsel’ and the sources below."),
    "col.alignments.title": ("Status van de aansluitingen", "Status of the alignments"),
    "col.sources.title": ("Bronnen per architectuur", "Sources by architecture"),
    "col.sources.caption": ("Bronnen van de gegevens, met versie en datum", "Sources of the data, with version and date"),
    "col.sources.links": ("Bronnen", "Sources"),
    "col.sources.issued": ("Uitgegeven", "Issued"),
    "col.sources.withdrawn": ("Vervallen op", "Withdrawn on"),
    "col.contact.title": ("Contact", "Contact"),
    "col.contact.text": ("Vragen, fouten in de gegevens of een aansluiting die niet klopt: meld ze bij het "
                         "stelsel-project via het issuebord van de repository. Noem de pagina (het adres) en wat "
                         "er volgens u moet staan.",
                         "Questions, errors in the data or an alignment that is wrong: report them to the stelsel "
                         "project on the repository's issue board. Name the page (its address) and what you "
                         "think it should say."),
    "col.a11y.title": ("Toegankelijkheid", "Accessibility"),
    "col.a11y.text": ("Deze pagina’s streven naar WCAG 2.1 niveau AA. Elke wijziging wordt in Chromium getest met "
                      "axe-core, ook op een telefoonbreedte van 390 pixels; de pagina’s werken zonder JavaScript, "
                      "en elk diagram heeft een tabel met dezelfde gegevens. Bekende beperking: de SPARQL-editor "
                      "krijgt pas kleuren met JavaScript. Loopt u ergens tegenaan, meld het dan (zie Contact).",
                      "These pages aim at WCAG 2.1 level AA. Every change is tested in Chromium with axe-core, also "
                      "at a phone width of 390 pixels; the pages work without JavaScript, and every diagram has a "
                      "table with the same data. Known limitation: the SPARQL editor gets its colours only with "
                      "JavaScript. If something stands in your way, please report it (see Contact)."),
    "search.box": ("Zoek een element", "Search an element"),
    "search.landmark": ("Zoeken in het stelsel", "Search the stelsel"),
    "search.button": ("Zoeken", "Search"),
    "breadcrumb": ("Kruimelpad", "Breadcrumb"),
    "not_available": ("niet beschikbaar", "not available"),
    "none": ("geen", "none"),
    "yes": ("ja", "yes"),
    "no": ("nee", "no"),
    "more": ("en nog {n}", "and {n} more"),
    "show_all": ("alles tonen", "show all"),
    "filter": ("Filteren", "Filter"),
    "filters": ("Filters", "Filters"),
    "all": ("alle", "all"),
    "count": ("aantal", "count"),
    "page.prev": ("Vorige", "Previous"),
    "page.next": ("Volgende", "Next"),
    "page.of": ("{first}–{last} van {total}", "{first}–{last} of {total}"),
    "pagination": ("Paginering", "Pagination"),
    "error.title": ("Niet gevonden", "Not found"),
    "error.bad_request": ("Onjuiste vraag", "Bad request"),
    "error.not_an_iri": ("‘{iri}’ is geen IRI (niet een adres als https://w3id.org/stelsel/id/nora/NAP01: "
                         "geen spaties of tekens als < > \" {{ }} | \\ ^ `).",
                         "‘{iri}’ is not an IRI (not an address like https://w3id.org/stelsel/id/nora/NAP01: "
                         "no spaces or characters such as < > \" {{ }} | \\ ^ `)."),
    "error.back": ("Terug naar het overzicht", "Back to the overview"),
    "error.unknown_arch": ("Er is geen architectuur '{slug}'.", "There is no architecture '{slug}'."),
    "error.unknown_resource": ("Over {iri} staat niets in het stelsel.", "The stelsel says nothing about {iri}."),
    "error.unknown_query": ("Er is geen vraag '{name}'.", "There is no query '{name}'."),
    # -- words ---------------------------------------------------------------------------------------
    "architecture": ("Architectuur", "Architecture"),
    "architectures": ("Architecturen", "Architectures"),
    "owner": ("Eigenaar", "Owner"),
    "version": ("Versie", "Version"),
    "status": ("Status", "Status"),
    "elements": ("Elementen", "Elements"),
    "element": ("Element", "Element"),
    "alignments": ("Aansluitingen", "Alignments"),
    "deviations": ("Afwijkingen", "Deviations"),
    "kind": ("Soort", "Kind"),
    "kinds": ("Soorten", "Kinds"),
    "layer": ("Laag", "Layer"),
    "notation": ("Code", "Code"),
    "label": ("Naam", "Name"),
    "relation": ("Relatie", "Relation"),
    "author": ("Auteur", "Author"),
    "date": ("Datum", "Date"),
    "rationale": ("Onderbouwing", "Rationale"),
    "explanation": ("Toelichting", "Explanation"),
    "justification": ("Werkwijze", "Justification"),
    "source": ("Bron", "Source"),
    "from": ("Van", "From"),
    "to": ("Naar", "To"),
    "must_align_to": ("Moet aansluiten op", "Must align to"),
    "homepage": ("Website", "Website"),
    "official_page": ("Officiële pagina", "Official page"),
    "severity": ("Ernst", "Severity"),
    "shape": ("Regel", "Rule"),
    "message": ("Bevinding", "Finding"),
    "graph": ("Graaf", "Graph"),
    "triples": ("Triples", "Triples"),
    "iri": ("IRI", "IRI"),
    "value": ("Waarde", "Value"),
    "property": ("Eigenschap", "Property"),
    "sev.Violation": ("Overtreding", "Violation"),
    "sev.Warning": ("Waarschuwing", "Warning"),
    "sev.Info": ("Info", "Info"),
    "sev.Violation.plural": ("overtredingen", "violations"),
    "sev.Warning.plural": ("waarschuwingen", "warnings"),
    "sev.Info.plural": ("info", "info"),
    "status.voorgesteld": ("voorgesteld", "proposed"),
    "status.vastgesteld": ("vastgesteld", "adopted"),
    "status.vervallen": ("vervallen", "withdrawn"),
    "status.none": ("zonder status", "no status"),
    "status.actueel": ("actueel", "current"),
    "status.inontwikkeling": ("in ontwikkeling", "in development"),
    "al.via.label": ("via", "through"),
    # -- home ------------------------------------------------------------------------------------------
    "home.title": ("Het stelsel in één oogopslag", "The stelsel at a glance"),
    "home.intro": ("Nederlandse referentiearchitecturen, hun elementen en hoe ze op elkaar aansluiten. "
                   "Elke architectuur die op een andere moet aansluiten, legt per element vast welk "
                   "element het raakt (een aansluiting, met auteur, datum en status) of waarom niet "
                   "(een afwijking: pas toe of leg uit).",
                   "Dutch reference architectures, their elements and how they align to each other. "
                   "Every architecture that must align to another records per element which element it "
                   "meets (an alignment, with author, date and status) or why not (a deviation: comply or "
                   "explain)."),
    "home.how.title": ("Hoe sluit een architectuur aan op NORA?", "How does an architecture align to NORA?"),
    "home.how.text": ("Kies een architectuur om al haar aansluitingen te zien, met auteur, status en onderbouwing, "
                      "of bekijk de dekkingsmatrix van de NORA-architectuurprincipes.",
                      "Pick an architecture to see all its alignments, with author, status and rationale, "
                      "or look at the coverage matrix of the NORA architecture principles."),
    "home.align_to": ("Aansluiting van {source} op {target}", "Alignment of {source} to {target}"),
    "home.align_to.short": ("Aansluiting op {target}", "Alignment to {target}"),
    "home.table.caption": ("De architecturen van het stelsel", "The architectures of the stelsel"),
    "home.diagram.title": ("Wie sluit aan op wie", "Who aligns to whom"),
    "home.diagram.desc": ("Pijlen van een architectuur naar de architectuur waarop zij moet aansluiten; het getal is "
                          "het aantal aansluitingen (niet vervallen). Dezelfde gegevens staan in de tabel eronder.",
                          "Arrows from an architecture to the one it must align to; the number is the count of "
                          "alignments (not withdrawn). The table below holds the same data."),
    "home.edges.caption": ("Aansluitrelaties tussen architecturen", "Alignment relations between architectures"),
    "home.edge.required": ("verplicht (moetAansluitenOp)", "required (moetAansluitenOp)"),
    "home.edge.actual": ("aansluitingen zonder verplichting", "alignments without obligation"),
    "home.legend": ("Legenda", "Legend"),
    "home.no_elements": ("(nog) geen elementen in het stelsel", "no elements in the stelsel (yet)"),
    "home.col.out": ("Aansluitingen op andere", "Alignments to others"),
    "home.col.in": ("Aansluitingen vanuit andere", "Alignments from others"),
    "home.replaced_by": ("opgevolgd door {name}", "succeeded by {name}"),
    # -- architecture ------------------------------------------------------------------------------
    "arch.elements_by_kind": ("Elementen per soort", "Elements by kind"),
    "arch.elements_by_layer": ("Elementen per laag van het vijflaagsmodel", "Elements by layer of the five-layer model"),
    "arch.coverage": ("Dekking van de NORA-architectuurprincipes", "Coverage of the NORA architecture principles"),
    "arch.coverage.summary": ("{covered} van {total} architectuurprincipes geraakt (aansluitingen die niet vervallen zijn, "
                              "rechtstreeks of via een implicatie)",
                              "{covered} of {total} architecture principles reached (alignments not withdrawn, "
                              "directly or through an implication)"),
    "arch.coverage.covered": ("geraakt", "reached"),
    "arch.coverage.missing": ("niet geraakt", "not reached"),
    "arch.coverage.caption": ("NORA-architectuurprincipes en de aansluitingen van {name} erop",
                              "NORA architecture principles and {name}'s alignments to them"),
    "arch.validation": ("Validatie", "Validation"),
    "arch.validation.link": ("Alle bevindingen over {name}", "All findings about {name}"),
    "arch.validation.running": ("De validatie loopt nog; deze pagina ververst zich vanzelf als ze klaar is "
                                "(zonder JavaScript: herlaad de pagina straks).",
                                "Validation is still running; this page refreshes itself when it is done "
                                "(without JavaScript: reload the page in a moment)."),
    "arch.validation.none": ("Geen bevindingen.", "No findings."),
    "arch.alignments": ("Aansluitingen op andere architecturen", "Alignments to other architectures"),
    "arch.alignments.caption": ("Aansluitingen van {name} per architectuur", "Alignments of {name} by architecture"),
    "arch.context": ("bij {name}", "with {name}"),
    "arch.no_layers": ("Geen elementen met een laag.", "No elements with a layer."),
    "arch.elements.caption": ("{kind} in {name}", "{kind} in {name}"),
    "arch.description": ("Beschrijving", "Description"),
    "arch.resource": ("Alle eigenschappen van deze architectuur", "All properties of this architecture"),
    "arch.stats": ("Kerngetallen", "Key figures"),
    "arch.is_base": ("Dit is de basisarchitectuur: andere architecturen sluiten op haar aan.",
                     "This is the base architecture: other architectures align to it."),
    "arch.aligned_from": ("Aansluitingen op {name} vanuit", "Alignments to {name} from"),
    # -- element -------------------------------------------------------------------------------------
    "el.properties": ("Eigenschappen", "Properties"),
    "el.properties.caption": ("Alle eigenschappen van {name}", "All properties of {name}"),
    "el.outgoing": ("Relaties naar andere elementen", "Relations to other elements"),
    "el.incoming": ("Relaties vanuit andere elementen", "Relations from other elements"),
    "el.alignments_out": ("Aansluitingen van dit element", "Alignments of this element"),
    "el.alignments_in": ("Aangesloten vanuit", "Aligned from"),
    "el.deviations": ("Afwijkingen (pas toe of leg uit)", "Deviations (comply or explain)"),
    "el.deviations_in": ("Afwijkingen ten opzichte van deze architectuur", "Deviations from this architecture"),
    "el.findings": ("Validatiebevindingen", "Validation findings"),
    "el.findings.none": ("Geen bevindingen over dit element.", "No findings about this element."),
    "el.trace": ("Spoor naar de NORA-kernwaarden", "Trace to the NORA core values"),
    "el.in_arch": ("in {name}", "in {name}"),
    "el.twins": ("Als gegevens", "As data"),
    "el.none_out": ("Geen.", "None."),
    "el.term": ("Term van het stelsel-vocabulaire", "Term of the stelsel vocabulary"),
    "el.aligned_with": ("sluit aan op", "aligns to"),
    "el.deviates_from": ("wijkt af van", "deviates from"),
    "el.more_incoming": ("{shown} van {total} getoond", "{shown} of {total} shown"),
    # -- matrix --------------------------------------------------------------------------------------
    "matrix.title": ("Dekkingsmatrix: NORA-architectuurprincipes per architectuur",
                     "Coverage matrix: NORA architecture principles by architecture"),
    "matrix.intro": ("Elke cel telt de aansluitingen van een architectuur die een NORA-architectuurprincipe "
                     "raken: rechtstreeks, of via een NORA-implicatie die het principe realiseert. Klik op een "
                     "getal voor de aansluitingen zelf.",
                     "Every cell counts the alignments of an architecture that reach a NORA architecture "
                     "principle: directly, or through a NORA implication that realises the principle. Follow a "
                     "number to the alignments themselves."),
    "matrix.caption": ("Aantal aansluitingen per NORA-architectuurprincipe (rijen) en architectuur (kolommen); "
                       "status: {statuses}",
                       "Number of alignments per NORA architecture principle (rows) and architecture (columns); "
                       "status: {statuses}"),
    "matrix.status": ("Status van de aansluitingen", "Status of the alignments"),
    "matrix.principle": ("Architectuurprincipe", "Architecture principle"),
    "matrix.total": ("Geraakt", "Reached"),
    "matrix.legend": ("Kleur naar aantal: 0, 1–2, 3–5, 6 of meer. Het getal staat altijd in de cel.",
                      "Colour by count: 0, 1–2, 3–5, 6 or more. The number is always in the cell."),
    "matrix.cell": ("{n} aansluitingen van {arch} op {nap}", "{n} alignments of {arch} to {nap}"),
    "matrix.cell.one": ("{n} aansluiting van {arch} op {nap}", "{n} alignment of {arch} to {nap}"),
    # -- alignment list ------------------------------------------------------------------------------
    "al.title": ("Aansluitingen", "Alignments"),
    "al.title.filtered": ("Aansluitingen van {source} op {target}", "Alignments of {source} to {target}"),
    "al.title.from": ("Aansluitingen van {source}", "Alignments of {source}"),
    "al.title.to": ("Aansluitingen op {target}", "Alignments to {target}"),
    "al.intro": ("Elke aansluiting legt vast welk element van een architectuur welk element van een andere "
                 "raakt, met auteur, datum, status en onderbouwing.",
                 "Every alignment records which element of one architecture meets which element of another, "
                 "with author, date, status and rationale."),
    "al.principle": ("Raakt principe", "Reaches principle"),
    "al.principle.any": ("elk principe", "any principle"),
    "al.caption": ("{n} aansluitingen", "{n} alignments"),
    "al.caption.one": ("{n} aansluiting", "{n} alignment"),
    "al.via": ("via {name}", "through {name}"),
    "al.matrix_link": ("Naar de dekkingsmatrix", "To the coverage matrix"),
    "al.deviations.caption.one": ("{n} afwijking (een element dat niet aansluit, met toelichting)",
                                  "{n} deviation (an element that does not align, with its explanation)"),
    "al.deviations.caption": ("{n} afwijkingen (elementen die niet aansluiten, met toelichting)",
                              "{n} deviations (elements that do not align, with their explanation)"),
    "al.none": ("Geen aansluitingen met deze filters.", "No alignments with these filters."),
    "al.from_arch": ("Van architectuur", "From architecture"),
    "al.to_arch": ("Naar architectuur", "To architecture"),
    # -- trace ---------------------------------------------------------------------------------------
    "trace.title": ("Spoor van {name} naar de NORA-kernwaarden", "Trace of {name} to the NORA core values"),
    "trace.title.empty": ("Spoor naar de NORA-kernwaarden", "Trace to the NORA core values"),
    "trace.intro": ("Van het element omhoog langs aansluitingen en realisatie-relaties tot de kwaliteitsdoelen "
                    "en kernwaarden van NORA.",
                    "From the element up along alignments and realisation relations to NORA's quality goals "
                    "and core values."),
    "trace.form.label": ("IRI van het element", "IRI of the element"),
    "trace.form.button": ("Spoor volgen", "Follow the trace"),
    "trace.diagram.title": ("Spoor van {name}", "Trace of {name}"),
    "trace.diagram.desc": ("Gelaagd diagram: onderaan het element, bovenaan de NORA-kernwaarden; {nodes} elementen "
                           "en {edges} relaties. De paden staan als lijst naast het diagram.",
                           "Layered diagram: the element at the bottom, NORA's core values at the top; {nodes} "
                           "elements and {edges} relations. The paths are listed next to the diagram."),
    "trace.paths": ("Paden", "Paths"),
    "trace.paths.count": ("{n} paden", "{n} paths"),
    "trace.paths.count.one": ("{n} pad", "{n} path"),
    "trace.paths.capped": ("de eerste {n} getoond", "the first {n} shown"),
    "trace.values": ("Bereikte kernwaarden", "Core values reached"),
    "trace.none": ("Vanuit dit element leidt geen spoor naar een NORA-kernwaarde.",
                   "No trace leads from this element to a NORA core value."),
    "trace.layer.Kernwaarde": ("Kernwaarden", "Core values"),
    "trace.layer.Kwaliteitsdoel": ("Kwaliteitsdoelen", "Quality goals"),
    "trace.layer.Architectuurprincipe": ("Architectuurprincipes", "Architecture principles"),
    "trace.layer.Implicatie": ("Implicaties", "Implications"),
    "trace.layer.nora": ("Overig NORA", "Other NORA"),
    "trace.layer.step": ("Stap {n}", "Step {n}"),
    "trace.layer.start": ("Vertrekpunt", "Starting point"),
    # -- validation ----------------------------------------------------------------------------------
    "val.title": ("Validatierapport", "Validation report"),
    "val.intro": ("Bevindingen van de SHACL-validatie van de gegevens in de store, per ernst, architectuur en regel. "
                  "Elke bevinding wijst naar het element en naar de regel.",
                  "Findings of the SHACL validation of the data in the store, by severity, architecture and rule. "
                  "Every finding links to its element and to its rule."),
    "val.summary": ("{findings}: {violations}, {warnings}, {infos}", "{findings}: {violations}, {warnings}, {infos}"),
    "count.findings": ("{n} bevindingen", "{n} findings"),
    "count.findings.one": ("{n} bevinding", "{n} finding"),
    "count.violations": ("{n} overtredingen", "{n} violations"),
    "count.violations.one": ("{n} overtreding", "{n} violation"),
    "count.warnings": ("{n} waarschuwingen", "{n} warnings"),
    "count.warnings.one": ("{n} waarschuwing", "{n} warning"),
    "count.infos": ("{n} info", "{n} info"),
    "val.caption": ("Bevindingen ({first}–{last} van {total})", "Findings ({first}–{last} of {total})"),
    "val.running": ("De validatie van deze versie van de gegevens loopt nog. Deze pagina ververst zich vanzelf als ze "
                    "klaar is (zonder JavaScript: herlaad de pagina over een paar seconden).",
                    "Validation of this version of the data is still running. This page refreshes itself when it is "
                    "done (without JavaScript: reload the page in a few seconds)."),
    "val.unavailable": ("De validatie is niet beschikbaar: {reason}", "Validation is not available: {reason}"),
    "val.none": ("Geen bevindingen met deze filters.", "No findings with these filters."),
    "val.engine": ("Gevalideerd met {engine} in {seconds} s.", "Validated with {engine} in {seconds} s."),
    "val.fix": ("Aan te passen", "To change"),
    "val.fix.alignment": ("aansluiting", "alignment"),
    "val.fix.element": ("element", "element"),
    "val.fix.architecture": ("architectuur", "architecture"),
    "val.fix.other": ("onderwerp", "subject"),
    "val.rules": ("Alle regels", "All rules"),
    "shapes.title": ("Regels (SHACL-vormen)", "Rules (SHACL shapes)"),
    "shapes.intro": ("De regels waarmee de gegevens worden gecontroleerd, met hun uitleg.",
                     "The rules the data is checked with, and what they mean."),
    "shapes.findings": ("{n} bevindingen", "{n} findings"),
    "shapes.findings.one": ("{n} bevinding", "{n} finding"),
    "shapes.group": ("Bestand {name}", "File {name}"),
    # -- search --------------------------------------------------------------------------------------
    "search.title": ("Zoeken", "Search"),
    "search.title.q": ("Zoekresultaten voor ‘{q}’", "Search results for ‘{q}’"),
    "search.intro": ("Zoek op code (zoals NAP01) of naam, in het Nederlands of Engels; hoofdletters en accenten "
                     "doen er niet toe.",
                     "Search by code (such as NAP01) or name, in Dutch or English; case and accents do not "
                     "matter."),
    "search.label": ("Zoekterm", "Search term"),
    "search.results": ("{n} resultaten", "{n} results"),
    "search.results.one": ("{n} resultaat", "{n} result"),
    "search.none": ("Niets gevonden.", "Nothing found."),
    "search.facet.kind": ("Soort", "Kind"),
    "search.facet.arch": ("Architectuur", "Architecture"),
    "search.facet.clear": ("filter wissen", "clear filter"),
    "search.caption": ("Gevonden elementen", "Elements found"),
    # -- query ---------------------------------------------------------------------------------------
    "query.title": ("SPARQL-vraag stellen", "Ask a SPARQL query"),
    "query.intro": ("Schrijf een SPARQL-vraag over het hele stelsel (de standaardgraaf is de vereniging van alle "
                    "grafen). Het antwoord komt als tabel op deze pagina; ‘Ruw antwoord’ stuurt de vraag naar het "
                    "SPARQL-endpoint /sparql.",
                    "Write a SPARQL query over the whole stelsel (the default graph is the union of all graphs). "
                    "The answer comes as a table on this page; ‘Raw answer’ sends the query to the SPARQL endpoint "
                    "/sparql."),
    "query.label": ("SPARQL-vraag", "SPARQL query"),
    "query.help": ("Met JavaScript krijgt het tekstvak kleuren voor SPARQL; druk op Escape en dan Tab om het "
                   "tekstvak te verlaten.",
                   "With JavaScript the text box gets SPARQL colours; press Escape and then Tab to leave it."),
    "query.run": ("Uitvoeren", "Run"),
    "query.raw": ("Ruw antwoord van /sparql", "Raw answer from /sparql"),
    "query.examples": ("Voorbeeldvragen", "Example queries"),
    "query.examples.intro": ("Elke vraag uit de catalogus als formulier, met haar parameters:",
                             "Every query of the catalogue as a form, with its parameters:"),
    "query.api": ("API", "API"),
    "query.result": ("Antwoord", "Answer"),
    "query.result.caption": ("{n} rijen", "{n} rows"),
    "query.result.caption.one": ("{n} rij", "{n} row"),
    "query.result.truncated": ("Afgekapt op {n} rijen.", "Cut off at {n} rows."),
    "query.result.ask": ("Antwoord: {answer}", "Answer: {answer}"),
    "query.result.graph": ("Een CONSTRUCT- of DESCRIBE-vraag geeft een graaf; bekijk die als Turtle via ‘Ruw antwoord’.",
                           "A CONSTRUCT or DESCRIBE query gives a graph; see it as Turtle through ‘Raw answer’."),
    "query.error": ("De vraag kon niet worden uitgevoerd", "The query could not be run"),
    "query.canned.params": ("Parameters", "Parameters"),
    "query.canned.show": ("Toon de uiteindelijke vraag", "Show the final query"),
    "query.canned.final": ("De uiteindelijke vraag", "The final query"),
    "query.canned.csv": ("Download als CSV", "Download as CSV"),
    "query.canned.open": ("Openen in de editor", "Open in the editor"),
    "query.canned.default": ("standaard: {value}", "default: {value}"),
    "query.canned.description": ("Wat deze vraag doet", "What this query does"),
    "query.columns": ("Kolommen kiezen", "Choose columns"),
    "query.columns.legend": ("Kolommen in de tabel (de CSV heeft ze altijd alle)", "Columns in the table (the CSV always has them all)"),
    "query.columns.shown": ("{shown} van de {total} kolommen getoond; kies er meer onder ‘Kolommen kiezen’ of download de CSV.",
                            "{shown} of the {total} columns shown; pick more under ‘Choose columns’ or download the CSV."),
    "query.canned.source": ("Vraag (SPARQL)", "Query (SPARQL)"),
    # -- graphs --------------------------------------------------------------------------------------
    "graphs.title": ("Grafen in de store", "Graphs in the store"),
    "graphs.caption": ("{n} benoemde grafen, {triples} triples", "{n} named graphs, {triples} triples"),
    "graphs.caption.one": ("{n} benoemde graaf, {triples} triples", "{n} named graph, {triples} triples"),
    "graphs.version": ("Versie van de gegevens: {version}", "Data version: {version}"),
}

# Incoming relations, read from the object's side ("NAP01 is gerealiseerd door IMP001").
INVERSE: dict[str, tuple[str, str]] = {
    "https://w3id.org/stelsel/def#realiseert": ("gerealiseerd door", "realised by"),
    "https://w3id.org/stelsel/def#beinvloedt": ("beïnvloed door", "influenced by"),
    "https://w3id.org/stelsel/def#draagtBijAan": ("bijgedragen door", "contributed to by"),
    "https://w3id.org/stelsel/def#isAfgeleidVan": ("basis van", "basis of"),
    "https://w3id.org/stelsel/def#hoortBijLaag": ("bevat", "contains"),
    "https://w3id.org/stelsel/def#aggregeert": ("geaggregeerd door", "aggregated by"),
    "https://w3id.org/stelsel/def#bestaatUit": ("onderdeel van", "part of"),
    "https://w3id.org/stelsel/def#bedient": ("bediend door", "served by"),
    "https://w3id.org/stelsel/def#wijstToe": ("toegewezen door", "assigned by"),
    "https://w3id.org/stelsel/def#heeftToegangTot": ("benaderd door", "accessed by"),
    "https://w3id.org/stelsel/def#triggert": ("getriggerd door", "triggered by"),
    "https://w3id.org/stelsel/def#stroomtNaar": ("ontvangt stroom van", "receives flow from"),
    "https://w3id.org/stelsel/def#specialiseert": ("gespecialiseerd door", "specialised by"),
    "https://w3id.org/stelsel/def#isGerelateerdAan": ("gerelateerd vanuit", "related from"),
    "https://w3id.org/stelsel/def#pastStandaardToe": ("toegepast door", "applied by"),
    "https://w3id.org/stelsel/def#moetVoldoenAan": ("geldt voor", "applies to"),
    "https://w3id.org/stelsel/def#eigenaar": ("eigenaar van", "owner of"),
    "https://w3id.org/stelsel/def#moetAansluitenOp": ("moet aangesloten worden vanuit", "must be aligned to by"),
    "https://w3id.org/stelsel/def#inArchitectuur": ("bevat het element", "contains the element"),
    "https://w3id.org/stelsel/def#vanElement": ("aansluiting of afwijking", "alignment or deviation"),
    "https://w3id.org/stelsel/def#naarElement": ("aangesloten vanuit", "aligned from"),
    "https://w3id.org/stelsel/def#tenOpzichteVan": ("afwijking vanuit", "deviation from"),
    "https://w3id.org/stelsel/def#inSet": ("bevat", "contains"),
    "https://w3id.org/stelsel/def#status": ("status van", "status of"),
    "http://www.w3.org/1999/02/22-rdf-syntax-ns#type": ("instanties", "instances"),
    "http://www.w3.org/2000/01/rdf-schema#subClassOf": ("subklassen", "subclasses"),
    "http://www.w3.org/2000/01/rdf-schema#domain": ("eigenschappen met dit domein", "properties with this domain"),
    "http://www.w3.org/2000/01/rdf-schema#range": ("eigenschappen met dit bereik", "properties with this range"),
    "http://purl.org/dc/terms/isReplacedBy": ("vervangt", "replaces"),
    "http://purl.org/dc/terms/hasVersion": ("versie van", "version of"),
    "http://purl.org/dc/terms/isVersionOf": ("heeft versie", "has version"),
    "http://www.w3.org/ns/prov#wasRevisionOf": ("herzien in", "revised in"),
    "http://www.w3.org/ns/org#subOrganizationOf": ("heeft onderdeel", "has unit"),
    "http://www.w3.org/2004/02/skos/core#exactMatch": ("gelijk aan (vanuit)", "exact match from"),
    "http://www.w3.org/2004/02/skos/core#closeMatch": ("vrijwel gelijk aan (vanuit)", "close match from"),
    "http://www.w3.org/2004/02/skos/core#broadMatch": ("is bredere match van", "is broader match of"),
    "http://www.w3.org/2004/02/skos/core#narrowMatch": ("is smallere match van", "is narrower match of"),
    "http://www.w3.org/2004/02/skos/core#relatedMatch": ("verwant aan (vanuit)", "related match from"),
}

# Labels for reused terms the ontology declares without a label of its own.
TERMS: dict[str, tuple[str, str]] = {
    "http://www.w3.org/1999/02/22-rdf-syntax-ns#type": ("soort", "type"),
    "http://www.w3.org/2004/02/skos/core#prefLabel": ("naam", "name"),
    "http://www.w3.org/2004/02/skos/core#altLabel": ("andere naam", "alternative name"),
    "http://www.w3.org/2004/02/skos/core#notation": ("code", "code"),
    "http://www.w3.org/2004/02/skos/core#definition": ("definitie", "definition"),
    "http://www.w3.org/2004/02/skos/core#exactMatch": ("gelijk aan", "exact match"),
    "http://www.w3.org/2004/02/skos/core#closeMatch": ("vrijwel gelijk aan", "close match"),
    "http://www.w3.org/2004/02/skos/core#broadMatch": ("heeft bredere match", "has broader match"),
    "http://www.w3.org/2004/02/skos/core#narrowMatch": ("heeft smallere match", "has narrower match"),
    "http://www.w3.org/2004/02/skos/core#relatedMatch": ("verwant aan", "related match"),
    "http://www.w3.org/2000/01/rdf-schema#label": ("label", "label"),
    "http://www.w3.org/2000/01/rdf-schema#comment": ("toelichting", "comment"),
    "http://www.w3.org/2000/01/rdf-schema#seeAlso": ("zie ook", "see also"),
    "http://www.w3.org/2000/01/rdf-schema#subClassOf": ("subklasse van", "subclass of"),
    "http://www.w3.org/2000/01/rdf-schema#domain": ("domein", "domain"),
    "http://www.w3.org/2000/01/rdf-schema#range": ("bereik", "range"),
    "http://www.w3.org/2000/01/rdf-schema#isDefinedBy": ("gedefinieerd in", "defined by"),
    "http://www.w3.org/2002/07/owl#versionInfo": ("versie", "version"),
    "http://purl.org/dc/terms/creator": ("auteur", "author"),
    "http://purl.org/dc/terms/date": ("datum", "date"),
    "http://purl.org/dc/terms/issued": ("uitgegeven", "issued"),
    "http://purl.org/dc/terms/source": ("bron", "source"),
    "http://purl.org/dc/terms/title": ("titel", "title"),
    "http://purl.org/dc/terms/description": ("beschrijving", "description"),
    "http://purl.org/dc/terms/license": ("licentie", "licence"),
    "http://purl.org/dc/terms/isReplacedBy": ("vervangen door", "replaced by"),
    "http://purl.org/dc/terms/isVersionOf": ("versie van", "version of"),
    "http://purl.org/dc/terms/hasVersion": ("heeft versie", "has version"),
    "http://www.w3.org/ns/prov#wasDerivedFrom": ("afgeleid van", "derived from"),
    "http://www.w3.org/ns/prov#wasRevisionOf": ("herziening van", "revision of"),
    "http://www.w3.org/ns/prov#invalidatedAtTime": ("vervallen op", "withdrawn on"),
    "http://xmlns.com/foaf/0.1/homepage": ("website", "homepage"),
    "http://www.w3.org/ns/org#subOrganizationOf": ("onderdeel van", "sub-organisation of"),
    "http://www.w3.org/ns/org#linkedTo": ("verbonden met", "linked to"),
}


def t(key: str, lang: str = DEFAULT_LANG, **values) -> str:
    """The text of ``key`` in ``lang`` with ``{name}`` places filled (numbers localised)."""
    if values.get("n") == 1 and not isinstance(values["n"], bool) and key + ".one" in _CATALOGUE:
        key += ".one"  # the singular: "1 rij", "1 row"
    entry = _CATALOGUE.get(key)
    if entry is None:
        text = key
    else:
        text = entry[1] if lang == "en" else entry[0]
    if values:
        shown = {k: (format_number(v, lang) if isinstance(v, (int, float)) and not isinstance(v, bool) else v)
                 for k, v in values.items()}
        try:
            text = text.format(**shown)
        except (KeyError, IndexError):
            pass
    return text


def keys() -> list[str]:
    return list(_CATALOGUE)


def entry(key: str) -> tuple[str, str] | None:
    return _CATALOGUE.get(key)


def format_number(value: int | float, lang: str = DEFAULT_LANG, decimals: int | None = None) -> str:
    """1.234 (nl) or 1,234 (en); with ``decimals`` (or for a float) 1.234,5 / 1,234.5."""
    if isinstance(value, float) or decimals is not None:
        text = f"{value:,.{1 if decimals is None else decimals}f}"
    else:
        text = f"{int(value):,}"
    if lang == "en":
        return text
    return text.translate(str.maketrans({",": ".", ".": ","}))


_DATE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})")


def format_date(value, lang: str = DEFAULT_LANG) -> str:
    """'28 november 2026' (nl) or '28 November 2026' (en); text that is no date stays as it is."""
    if isinstance(value, (dt.date, dt.datetime)):
        d = value
    else:
        m = _DATE.match(str(value or ""))
        if not m:
            return str(value or "")
        try:
            d = dt.date(int(m[1]), int(m[2]), int(m[3]))
        except ValueError:
            return str(value)
    return f"{d.day} {MONTHS['en' if lang == 'en' else 'nl'][d.month - 1]} {d.year}"


def pick(texts: dict[str, str] | None, lang: str = DEFAULT_LANG, fallback: str = "") -> str:
    """From {"nl": …, "en": …, "": …}: ``lang``, else the other language, else untagged, else any."""
    if not texts:
        return fallback
    for key in (lang, "nl" if lang == "en" else "en", ""):
        if texts.get(key):
            return texts[key]
    return next((v for v in texts.values() if v), fallback)


def choose(args, cookies) -> tuple[str, bool]:
    """(language, asked explicitly) from ``?lang=`` or the cookie; Dutch by default."""
    asked = (args.get("lang") or "").lower()[:2]
    if asked in LANGS:
        return asked, True
    remembered = (cookies.get(COOKIE) or "").lower()[:2]
    if remembered in LANGS:
        return remembered, False
    return DEFAULT_LANG, False
