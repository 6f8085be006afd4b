"""A stored query's parameters as people see them: the form of its page and the parameters of
the list of stored queries, each with its label and help in the reader's language, its default
and value shown by name (never a raw IRI), and its choices (those that follow another
parameter follow the value that one has now: a GET form re-rendered with ?plan=X offers the
agencies of plan X).
"""

from __future__ import annotations

from dataclasses import dataclass

from bioplan.labels import pick
from bioplan.queries.arguments import Arguments
from bioplan.queries.choices import choices_for, names_of
from bioplan.queries.stored import Parameter, StoredQuery
from bioplan.store.interface import Store


def parameter_label(parameter: Parameter, lang: str) -> str:
    """The parameter's name for people in ``lang`` (or the other language), else its variable name."""
    return pick(parameter.labels.items(), lang) or parameter.name


def parameter_help(parameter: Parameter, lang: str) -> str:
    """The help under the parameter's field in ``lang`` (or the other language); "" when none."""
    return pick(parameter.descriptions.items(), lang) or ""


@dataclass(frozen=True)
class FormField:
    name: str  # the variable: the field's name in the URL
    kind: str  # iri, integer, string, literal
    label: str
    help: str
    value: str  # the value the query ran with ("" for none)
    value_name: str | None  # that value's name for people (an IRI's label)
    default: str | None
    default_name: str | None  # the default's name for people
    options: list[tuple[str, str]]  # (IRI, label) to choose from; [] for a free field
    only: bool  # a value not among the options is refused
    follows: str | None  # the label of the parameter whose value narrows the options

    @property
    def listed(self) -> bool:
        """Whether the value is one of the options (a free parameter may hold another IRI)."""
        return any(iri == self.value for iri, _ in self.options)


def _normal(parameter: Parameter, value: str | None) -> str:
    """An IRI value without its angle brackets (as the query reads it); other kinds as given."""
    if not value:
        return ""
    return parameter.term(value).value if parameter.kind == "iri" else value


def form_fields(store: Store, arguments: Arguments, lang: str) -> list[FormField]:
    """The form of ``arguments.stored``, holding the values the query ran with. Reads the store."""
    stored, effective = arguments.stored, arguments.effective
    values = {p.name: _normal(p, effective[p.name]) for p in stored.parameters}
    defaults = {p.name: _normal(p, p.default) for p in stored.parameters}
    iris = [v for p in stored.parameters if p.kind == "iri" for v in (values[p.name], defaults[p.name]) if v]
    names = names_of(store, iris, lang)
    fields = []
    # A parameter whose choices follow another comes after it: the form reads top to bottom.
    for p in sorted(stored.parameters, key=lambda p: bool(p.choices and p.choices.follows)):
        options = choices_for(store, stored, p, values, lang)
        named = dict(options)
        follows = stored.parameter(p.choices.follows) if p.choices and p.choices.follows else None
        fields.append(
            FormField(
                name=p.name,
                kind=p.kind,
                label=parameter_label(p, lang),
                help=parameter_help(p, lang),
                value=values[p.name],
                value_name=named.get(values[p.name]) or names.get(values[p.name]),
                default=p.default,
                default_name=named.get(defaults[p.name]) or names.get(defaults[p.name]) or p.default,
                options=options,
                only=bool(p.choices and p.choices.only),
                follows=parameter_label(follows, lang) if follows else None,
            )
        )
    return fields


@dataclass(frozen=True)
class ListedParameter:
    """A parameter as the list of stored queries shows it."""

    name: str
    label: str
    help: str
    default: str | None
    default_name: str | None  # the default's name for people
    chosen: bool  # offered as a list to choose from
    only: bool


def listed_parameters(store: Store, queries: list[StoredQuery], lang: str) -> dict[str, list[ListedParameter]]:
    """Each query's parameters by query name, their defaults named. Reads the store."""
    defaults = [_normal(p, p.default) for q in queries for p in q.parameters if p.kind == "iri" and p.default]
    names = names_of(store, defaults, lang)
    return {
        q.name: [
            ListedParameter(
                name=p.name,
                label=parameter_label(p, lang),
                help=parameter_help(p, lang),
                default=p.default,
                default_name=names.get(_normal(p, p.default), p.default) if p.kind == "iri" else p.default,
                chosen=p.choices is not None,
                only=bool(p.choices and p.choices.only),
            )
            for p in q.parameters
        ]
        for q in queries
    }
