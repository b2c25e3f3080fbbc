"""Link people across person-level datasets by their pseudonymous tokens.

Two records are the same person when they share a token of a link type (in priority order: the
agency's own person reference, PNC identifier, NHS number, name and date of birth, surname and
initial and date of birth; see :mod:`safer.privacy.identifiers`). People are the connected
groups of records so linked, within and across datasets, so a victim recorded by the police and
by the MARAC with the same name and date of birth is one person, as is a young person whose YOS
offences carry the YOS reference and whose caseload record also has their name.

Each record's **match rule** is the highest-priority token it shares with another record of the
same person (``unlinked`` when it is alone). For each pair of datasets the report gives how many
people are in both, the share of each dataset's people found in the other (the match rate), and
the best rule linking them (``indirect`` when they are linked only through a third dataset).

Token groups are fetched through Ibis and the connected components computed with scipy: the
records of a partnership's person-level datasets number thousands, not millions.

Example:
    >>> linkage = link_people({"marac-cases": marac, "hate-crime-victims": hate})  # doctest: +SKIP
    >>> linkage.report.pair("hate-crime-victims", "marac-cases").both  # doctest: +SKIP
    41
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import ibis
import numpy as np
import pandas as pd
from scipy.sparse import coo_matrix
from scipy.sparse.csgraph import connected_components

#: Link token types in priority order, and the column holding each.
LINK_RULES: tuple[str, ...] = ("case", "pnc", "nhs", "name_dob", "initial_dob")
UNLINKED = "unlinked"
INDIRECT = "indirect"


def token_column(rule: str) -> str:
    return f"{rule}_token"


@dataclass(frozen=True)
class DatasetLinkage:
    """One dataset's records and people."""

    dataset: str
    records: int
    records_with_token: int  # records carrying at least one link token
    people: int
    people_in_other_datasets: int  # of those people, how many also appear in another dataset
    people_with_several_records: int  # people with more than one record in this dataset

    def as_dict(self) -> dict[str, object]:
        return {"dataset": self.dataset, "records": self.records, "records_with_token": self.records_with_token,
                "people": self.people, "people_in_other_datasets": self.people_in_other_datasets,
                "people_with_several_records": self.people_with_several_records}


@dataclass(frozen=True)
class PairLinkage:
    """People found in both of two datasets, and the best rule that linked them."""

    first: str
    second: str
    first_people: int
    second_people: int
    both: int
    by_rule: dict[str, int]  # best rule -> people (rules of LINK_RULES, then INDIRECT)

    @property
    def first_rate(self) -> float | None:
        """% of the first dataset's people found in the second."""
        return round(100.0 * self.both / self.first_people, 1) if self.first_people else None

    @property
    def second_rate(self) -> float | None:
        return round(100.0 * self.both / self.second_people, 1) if self.second_people else None


@dataclass(frozen=True)
class LinkageReport:
    datasets: tuple[DatasetLinkage, ...]
    pairs: tuple[PairLinkage, ...]
    rules: tuple[str, ...]
    people: int  # distinct people across every dataset
    records_by_rule: dict[str, int]  # records by their own match rule (UNLINKED for a person's only record)

    def pair(self, first: str, second: str) -> PairLinkage:
        for p in self.pairs:
            if {p.first, p.second} == {first, second}:
                return p
        raise KeyError((first, second))

    def dataset(self, name: str) -> DatasetLinkage:
        for d in self.datasets:
            if d.dataset == name:
                return d
        raise KeyError(name)


@dataclass(frozen=True)
class Linkage:
    """Who is who: ``people`` maps every linked record to a person, ``report`` summarises the linkage."""

    people: ibis.Table  # dataset, record_key, person_id, match_rule (records with at least one link token)
    report: LinkageReport

    def person_ids(self, dataset: str, records: ibis.Table) -> ibis.Table:
        """``records`` (with ``record_key``) of ``dataset`` with a ``person_id`` and ``match_rule`` column.

        A record with no link token is a person of its own (``dataset:record_key``).
        """
        mine = self.people.filter(self.people.dataset == dataset).select("record_key", "person_id", "match_rule")
        joined = records.left_join(mine, records.record_key == mine.record_key)
        fallback = ibis.literal(f"{dataset}:") + joined.record_key
        return joined.mutate(person_id=joined.person_id.fill_null(fallback),
                             match_rule=joined.match_rule.fill_null(UNLINKED)).drop("record_key_right")


def link_people(records: Mapping[str, ibis.Table], rules: Sequence[str] = LINK_RULES) -> Linkage:
    """Link the records of every dataset (each with ``record_key`` and any of the ``<rule>_token`` columns)."""
    rules = tuple(rules)
    unknown = [r for r in rules if r not in LINK_RULES]
    if unknown:
        raise ValueError(f"unknown link rules {unknown}; choose from {', '.join(LINK_RULES)}")
    totals = {name: _record_counts(table, rules) for name, table in records.items()}
    edges = _edges(records, rules)
    nodes, person_of, best_rule = _components(edges, rules)
    people = pd.DataFrame({"dataset": [n[0] for n in nodes], "record_key": [n[1] for n in nodes],
                           "person_id": [person_of[n] for n in nodes],
                           "match_rule": [best_rule.get(n, UNLINKED) for n in nodes]})
    report = _report(records.keys(), totals, edges, people, rules)
    return Linkage(people=ibis.memtable(people) if len(people) else _empty_people(), report=report)


def _record_counts(table: ibis.Table, rules: tuple[str, ...]) -> tuple[int, int]:
    present = [token_column(r) for r in rules if token_column(r) in table.columns]
    if not present:
        return int(table.count().execute()), 0
    has_token = table[present[0]].notnull()
    for column in present[1:]:
        has_token = has_token | table[column].notnull()
    counted = table.aggregate(records=table.count(), with_token=has_token.cast("int64").sum()).execute().iloc[0]
    return int(counted["records"]), int(counted["with_token"] or 0)


def _edges(records: Mapping[str, ibis.Table], rules: tuple[str, ...]) -> pd.DataFrame:
    """Every (dataset, record_key, rule, token) with a token present."""
    parts = []
    for name, table in records.items():
        for rule in rules:
            column = token_column(rule)
            if column not in table.columns:
                continue
            part = table.filter(table[column].notnull())
            parts.append(part.select(dataset=ibis.literal(name), record_key=part.record_key.cast("string"),
                                     rule=ibis.literal(rule), token=part[column].cast("string")))
    if not parts:
        return pd.DataFrame(columns=["dataset", "record_key", "rule", "token"])
    return ibis.union(*parts).distinct().execute()


def _components(edges: pd.DataFrame, rules: tuple[str, ...]):
    """Connected groups of records through shared tokens; each record's best shared rule."""
    if edges.empty:
        return [], {}, {}
    nodes_of_edges = list(zip(edges["dataset"].tolist(), edges["record_key"].tolist()))
    tokens_of_edges = list(zip(edges["rule"].tolist(), edges["token"].tolist()))
    node_keys = sorted(set(nodes_of_edges))
    node_index = {n: i for i, n in enumerate(node_keys)}
    token_index: dict[tuple[str, str], int] = {}
    for t in tokens_of_edges:
        token_index.setdefault(t, len(node_keys) + len(token_index))
    rows = np.fromiter((node_index[n] for n in nodes_of_edges), dtype=np.int64, count=len(nodes_of_edges))
    cols = np.fromiter((token_index[t] for t in tokens_of_edges), dtype=np.int64, count=len(tokens_of_edges))
    size = len(node_keys) + len(token_index)
    graph = coo_matrix((np.ones(len(rows)), (rows, cols)), shape=(size, size))
    _, labels = connected_components(graph, directed=False)
    # a person's id is the position of their first record in sorted order: stable across runs
    first_node: dict[int, int] = {}
    for i in range(len(node_keys)):
        first_node.setdefault(int(labels[i]), i)
    person_of = {n: f"P{first_node[int(labels[i])] + 1:07d}" for i, n in enumerate(node_keys)}
    priority = {r: i for i, r in enumerate(rules)}
    best: dict[tuple[str, str], str] = {}
    for (rule, _), members in _token_groups(nodes_of_edges, tokens_of_edges).items():
        if len(members) < 2:
            continue
        for node in members:
            if node not in best or priority[rule] < priority[best[node]]:
                best[node] = rule
    return node_keys, person_of, best


def _token_groups(nodes: list, tokens: list) -> dict[tuple[str, str], set[tuple[str, str]]]:
    groups: dict[tuple[str, str], set[tuple[str, str]]] = defaultdict(set)
    for node, token in zip(nodes, tokens):
        groups[token].add(node)
    return groups


def _report(names, totals, edges: pd.DataFrame, people: pd.DataFrame, rules: tuple[str, ...]) -> LinkageReport:
    names = sorted(names)
    tokenless = {name: totals[name][0] - totals[name][1] for name in names}
    by_dataset: dict[str, set[str]] = defaultdict(set)
    records_per: dict[tuple[str, str], int] = defaultdict(int)
    for dataset, person in zip(people["dataset"].tolist(), people["person_id"].tolist()):
        by_dataset[dataset].add(person)
        records_per[(dataset, person)] += 1
    datasets_of: dict[str, set[str]] = defaultdict(set)
    for dataset, persons in by_dataset.items():
        for person in persons:
            datasets_of[person].add(dataset)
    summaries = []
    for name in names:
        persons = by_dataset.get(name, set())
        summaries.append(DatasetLinkage(
            dataset=name, records=totals[name][0], records_with_token=totals[name][1],
            people=len(persons) + tokenless[name],
            people_in_other_datasets=sum(1 for p in persons if len(datasets_of[p]) > 1),
            people_with_several_records=sum(1 for p in persons if records_per[(name, p)] > 1)))
    best_pair_rule = _best_pair_rules(edges, people, rules)
    pairs = []
    for i, first in enumerate(names):
        for second in names[i + 1:]:
            both = by_dataset.get(first, set()) & by_dataset.get(second, set())
            counts = {rule: 0 for rule in (*rules, INDIRECT)}
            for person in both:
                counts[best_pair_rule.get((person, first, second), INDIRECT)] += 1
            pairs.append(PairLinkage(first=first, second=second, first_people=summaries[i].people,
                                     second_people=summaries[names.index(second)].people, both=len(both),
                                     by_rule=counts))
    records_by_rule = {rule: int((people["match_rule"] == rule).sum()) for rule in (*rules, UNLINKED)}
    records_by_rule[UNLINKED] += sum(tokenless.values())
    total_people = len(set(people["person_id"])) + sum(tokenless.values())
    return LinkageReport(datasets=tuple(summaries), pairs=tuple(pairs), rules=rules, people=total_people,
                         records_by_rule=records_by_rule)


def _best_pair_rules(edges: pd.DataFrame, people: pd.DataFrame, rules: tuple[str, ...]) -> dict:
    """(person, first dataset, second dataset) -> the best rule directly shared by a record of each."""
    if edges.empty:
        return {}
    person = dict(zip(zip(people["dataset"].tolist(), people["record_key"].tolist()), people["person_id"].tolist()))
    priority = {r: i for i, r in enumerate(rules)}
    best: dict[tuple[str, str, str], str] = {}
    nodes = list(zip(edges["dataset"].tolist(), edges["record_key"].tolist()))
    tokens = list(zip(edges["rule"].tolist(), edges["token"].tolist()))
    for (rule, _), members in _token_groups(nodes, tokens).items():
        datasets = sorted({dataset for dataset, _ in members})
        if len(datasets) < 2:
            continue
        who = person[next(iter(members))]
        for i, first in enumerate(datasets):
            for second in datasets[i + 1:]:
                key = (who, first, second)
                if key not in best or priority[rule] < priority[best[key]]:
                    best[key] = rule
    return best


def _empty_people() -> ibis.Table:
    return ibis.memtable(pd.DataFrame({"dataset": pd.Series(dtype="str"), "record_key": pd.Series(dtype="str"),
                                       "person_id": pd.Series(dtype="str"), "match_rule": pd.Series(dtype="str")}))
