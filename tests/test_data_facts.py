"""Facts about the shipped data (data/measures.yaml, data/units.yaml), read through the loader.

These pin what the source documents under data/sources/ say, so that an edit that changes an
owner, drops a measure or paraphrases a text fails here even if the files stay valid:

- 31 tasks in 11 actions (治本攻坚三年行动实施方案), 81 measures in 15 sections (81条具体措施),
  numbered without gaps;
- every measure's text occurs verbatim in its plan's source;
- each m81 measure's owners are exactly the document's closing parentheses split on 、
  (deliberate exceptions are listed in M81_OWNER_EXCEPTIONS, with the reason);
- named facts: m81-62's owners and lead, the 18 towns of 各乡镇, the working group's office,
  every domain lead is a unit.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from conftest import TOWNS
from safety_plan.loading import load_dataset

DATA = Path(__file__).resolve().parents[1] / "data"


M81_OWNER_EXCEPTIONS: dict[str, str] = {
    # measure ID: why its owners differ from the parentheses split on 、
    # (none: every m81 measure keeps the document's owners as written, quirks included,
    #  e.g. m81-14 "区建设管理委等安委会成员单位", m81-18 "区消防救援支队等", m81-5 "团区委";
    #  units.yaml defines each such string as a unit, group or alias)
}

M81_LINE = re.compile(r"^(?:\[bookmark: _GoBack\])?(\d+)[.．](.*)（([^（）]*)）\s*$")
"""A measure line of m81.txt: number (59 follows a stray bookmark tag, 63 uses a full-width
point), text, and the closing parentheses with the owners."""


@pytest.fixture(scope="module")
def result():
    return load_dataset(DATA)


@pytest.fixture(scope="module")
def dataset(result):
    assert result.dataset is not None, "\n".join(map(str, result.problems))
    return result.dataset


def _source(dataset, plan_id: str) -> str:
    plan = dataset.plans[plan_id]
    return (DATA / "sources" / plan.source).read_text(encoding="utf-8")


def _measures(dataset, plan_id: str):
    return [m for m in dataset.measures.values() if m.plan == plan_id]


def _m81_parentheses(dataset) -> dict[int, list[str]]:
    owners: dict[int, list[str]] = {}
    for line in _source(dataset, "m81").splitlines():
        match = M81_LINE.match(line)
        if match:
            owners[int(match.group(1))] = match.group(3).split("、")
    return owners


def test_data_loads_without_problems(result, dataset):
    assert not result.problems, "\n".join(map(str, result.problems))


def test_plans(dataset):
    assert set(dataset.plans) == {"zbgj", "m81"}
    assert len(dataset.plans["zbgj"].sections) == 11
    assert len(dataset.plans["m81"].sections) == 15
    assert dataset.plans["zbgj"].sections[0].title == "开展安全生产责任体系提升行动"
    assert dataset.plans["m81"].status == "送审稿"


@pytest.mark.parametrize(("plan_id", "count"), [("zbgj", 31), ("m81", 81)])
def test_measure_counts_and_numbering(dataset, plan_id, count):
    measures = _measures(dataset, plan_id)
    assert len(measures) == count
    assert [m.number for m in measures] == list(range(1, count + 1))
    assert all(m.id == f"{plan_id}-{m.number}" for m in measures)
    sections = {s.number for s in dataset.plans[plan_id].sections}
    assert all(m.section in sections for m in measures)


def test_sections_in_document_order(dataset):
    for plan_id in ("zbgj", "m81"):
        sections = [m.section for m in _measures(dataset, plan_id)]
        assert sections == sorted(sections), plan_id
        assert set(sections) == {s.number for s in dataset.plans[plan_id].sections}, plan_id


def test_texts_are_verbatim(dataset):
    for plan_id in ("zbgj", "m81"):
        source = _source(dataset, plan_id)
        bad = [m.id for m in _measures(dataset, plan_id) if m.text not in source]
        assert not bad, f"not verbatim in {plan_id}: {bad}"
        bad_goals = [g.id for g in dataset.plans[plan_id].goals if g.text not in source]
        assert not bad_goals


def test_m81_texts_exclude_the_owners(dataset):
    parentheses = _m81_parentheses(dataset)
    for measure in _measures(dataset, "m81"):
        assert not measure.text.endswith("（" + "、".join(parentheses[measure.number]) + "）"), measure.id
        assert not measure.text.endswith("）"), measure.id
        assert "[bookmark" not in measure.text, measure.id
        assert not re.match(r"^\d+[.．]", measure.text), measure.id


def test_texts_are_whole_items(dataset):
    # zbgj: the whole line after "N."; m81: the line after "N." up to the owners' parentheses
    zbgj = _source(dataset, "zbgj")
    for measure in _measures(dataset, "zbgj"):
        assert f"\n{measure.number}.{measure.text}\n" in zbgj, measure.id
    lines = {}
    for line in _source(dataset, "m81").splitlines():
        match = M81_LINE.match(line)
        if match:
            lines[int(match.group(1))] = match.group(2)
    for measure in _measures(dataset, "m81"):
        assert measure.text == lines[measure.number], measure.id


def test_m81_owners_are_the_parentheses(dataset):
    parentheses = _m81_parentheses(dataset)
    assert sorted(parentheses) == list(range(1, 82))
    for measure in _measures(dataset, "m81"):
        if measure.id in M81_OWNER_EXCEPTIONS:
            assert measure.owners != parentheses[measure.number], (
                f"{measure.id} is listed as an exception but matches the document; drop it from the list"
            )
            continue
        assert measure.owners == parentheses[measure.number], measure.id


def test_m81_62_owners_and_lead(dataset):
    measure = dataset.measures["m81-62"]
    assert measure.owners == ["区委政法委", "区检察院", "区应急局", "区公安分局", "区司法局", "各乡镇"]
    assert measure.lead == "区委政法委"


def test_stated_zbgj_owners(dataset):
    # zbgj-9 names its units: 区应急局 会同 区委党校; 各乡镇及区安委会有关成员单位
    nine = dataset.measures["zbgj-9"]
    assert nine.owners[:2] == ["区应急局", "区委党校"]
    assert not nine.owners_inferred
    assert "区级融媒体中心" in dataset.measures["zbgj-30"].owners
    assert "区委党校" in dataset.measures["zbgj-28"].owners


def test_inferred_owners_say_why(dataset):
    for measure in dataset.measures.values():
        if measure.owners_inferred:
            assert measure.owners_note, measure.id
    assert not any(m.owners_inferred for m in _measures(dataset, "m81"))


def test_towns(dataset):
    towns = dataset.groups["各乡镇"]
    assert "城桥镇" in towns.members
    assert sorted(towns.members) == sorted(TOWNS)
    assert len(towns.members) == 18
    for town in TOWNS:
        assert dataset.units[town].kind.value == "town"


def test_every_owner_and_member_resolves(dataset):
    directory = dataset.directory
    for measure in dataset.measures.values():
        for owner in measure.owners:
            assert directory.resolve(owner) is not None, (measure.id, owner)
    for group in dataset.groups.values():
        for member in group.members:
            assert directory.resolve(member) is not None, (group.id, member)
            assert directory.resolve(member) != group.id, group.id


def test_names_are_unique(dataset):
    names = []
    for unit in dataset.units_file.units:
        names += [unit.id, *unit.aliases]
    for group in dataset.units_file.groups:
        names += [group.id, *group.aliases]
    assert len(names) == len(set(names)), sorted({n for n in names if names.count(n) > 1})


def test_aliases(dataset):
    directory = dataset.directory
    assert directory.resolve("区团委") == "团区委"
    assert directory.resolve("区安委会有关成员单位") == "区安委会相关成员单位"
    assert directory.resolve("区直属企业") == "区属企业"


def test_working_group_office(dataset):
    wg = dataset.working_group
    assert wg is not None
    assert wg.plan == "zbgj"
    assert wg.office.unit == "区应急局"
    assert wg.office.director == "王勇"
    assert len(wg.office.deputy_units) == 19
    assert [m.person for m in wg.members if m.role == "组长"] == ["李峻"]


def test_domain_leads_are_units(dataset):
    assert dataset.domains
    for domain in dataset.domains:
        for lead in domain.leads:
            assert lead in dataset.units, (domain.domain, lead)
    by_domain = {d.domain: d.leads for d in dataset.domains}
    assert by_domain["电力建设安全"] == ["区发展改革委"]
    assert by_domain["自建房安全"] == ["区建设管理委", "区住房保障房屋管理局"]
    assert by_domain["水上交通运输安全"] == ["区交通委", "崇明海事局"]
    assert by_domain["消防安全"] == ["区消防救援支队"]


# --- issue 10: the owners read again from the three-year plan -------------------------------


def test_zbgj_18_owners_include_the_regulators_of_its_named_sectors(dataset):
    """民爆 (危爆物品: 区公安分局 in the annex) and the "大吨小标" lorries' production and sale
    (区市场监管局) were missing; the lead stays 区应急局 (危险化学品、工贸)."""
    measure = dataset.measures["zbgj-18"]
    assert measure.owners == [
        "区应急局",
        "区经委",
        "区建设管理委",
        "区交通委",
        "区农业农村委",
        "区市场监管局",
        "区公安分局",
        "区消防救援支队",
        "区住房保障房屋管理局",
    ]
    assert measure.lead == "区应急局"
    assert {d.domain: d.leads for d in dataset.domains}["危爆物品安全"] == ["区公安分局"]
    assert "民爆" in measure.text and "“大吨小标”货车违规生产销售治理" in measure.text
    assert "民爆——区公安分局" in measure.owners_note


def test_zbgj_1_owners_are_the_party_committees_and_governments_its_text_names(dataset):
    """党委、政府主要负责人 meet quarterly; 各乡镇、各部门、各单位党委（党组） study yearly: the
    district's party office leads (as m81-2, the same sentences), 区属企业 are among the owners."""
    measure = dataset.measures["zbgj-1"]
    assert measure.owners == [
        "区委办公室",
        "区政府办公室",
        "区委组织部",
        "区安委会办公室",
        "区安委会各成员单位",
        "各乡镇",
        "区属企业",
    ]
    assert measure.lead == "区委办公室"
    assert dataset.measures["m81-2"].owners[:2] == ["区委办公室", "区委组织部"]
    directory = dataset.directory
    inside = set(directory.expand_all(measure.owners))
    for duty_id in ("zbgj-1.meeting", "zbgj-1.study"):
        duty = dataset.recurring[duty_id]
        assert set(directory.expand_all(duty.owners)) <= inside, duty_id
    assert dataset.recurring["zbgj-1.meeting"].owners == ["区委办公室", "区政府办公室", "各乡镇"]
    assert dataset.recurring["zbgj-1.study"].owners == ["各乡镇", "区安委会各成员单位", "区属企业"]


def test_no_deadline_or_duty_reaches_beyond_its_measure_silently(dataset):
    from safety_plan.rules.owners import outside_owners, says_why

    items = [*dataset.schedule_file.deadlines, *dataset.schedule_file.recurring]
    silent = [
        (item.id, owner)
        for item in items
        for _, owner, _ in outside_owners(dataset, item)
        if not says_why(dataset, item.note, owner)
    ]
    assert silent == []


def test_the_working_groups_mechanisms_are_its_offices(dataset):
    """五、（六）: monthly dispatch, quarterly supervision, half-yearly evaluation, yearly targets
    belong to the 区级工作专班, whose office the annex puts in 区应急局."""
    for duty_id in ("zbgj.dispatch", "zbgj.supervision", "zbgj.evaluation", "zbgj.targets"):
        assert dataset.recurring[duty_id].owners == ["区应急局"], duty_id
    assert dataset.working_group.office.unit == "区应急局"
    assert dataset.recurring["zbgj.inspection-tour"].owners == ["区安委会办公室"]
    assert dataset.recurring["zbgj.targets"].implied and dataset.recurring["zbgj.inspection-tour"].implied
