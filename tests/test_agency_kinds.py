"""Party bodies are not State bodies, and a Party body's kind is read from its name.

State bodies (people's committees and councils, departments, ministries...) are
m8g:PublicOrganisation; Party committees and their boards, Party affairs committees and
delegations, the Fatherland Front and the mass organisations are not (data/AUTHORING.md,
Agencies). "Đảng ủy ..." is a Party committee (ak:party-committee); "Ban cán sự đảng ..." and
"Đảng đoàn ..." are Party delegations (ak:party-delegation).
"""

from __future__ import annotations

from sparql_helpers import select

NOT_STATE = [
    "politburo",
    "party-secretariat",
    "central-party-board",
    "provincial-party-committee",
    "party-board",
    "party-delegation",
    "party-committee",
    "fatherland-front",
    "mass-organisation",
]


def test_party_and_front_bodies_are_not_typed_as_state_bodies(store):
    kinds = " ".join(f"ak:{k}" for k in NOT_STATE)
    checked = select(store, f"SELECT ?a WHERE {{ VALUES ?k {{ {kinds} }} ?a bp:agencyKind ?k }}")
    assert len(checked) >= 10
    wrong = select(
        store, f"SELECT ?a WHERE {{ VALUES ?k {{ {kinds} }} ?a bp:agencyKind ?k ; a m8g:PublicOrganisation }}"
    )
    assert wrong == []


def test_a_party_bodys_kind_follows_its_name(store):
    found = select(
        store,
        """SELECT ?a ?label ?kind WHERE { ?a bp:agencyKind ?kind ; rdfs:label ?label
             FILTER(lang(?label) = "vi") FILTER NOT EXISTS { ?a a bp:AgencyCollective } }""",
    )
    expect = {"Đảng ủy": "party-committee", "Ban cán sự đảng": "party-delegation", "Đảng đoàn": "party-delegation"}
    checked = wrong = 0
    for row in found:
        for start, kind in expect.items():
            if row["label"].startswith(start):
                checked += 1
                wrong += not row["kind"].endswith("/" + kind)
    assert checked >= 6 and wrong == 0
