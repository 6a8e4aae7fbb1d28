"""Company profiles at the end of a press release (kb.claims.profile), read through a real ingest.

Articles of our own: invented companies and figures."""

from __future__ import annotations

from kb.pipeline.ingest import ingest_paths

JA = """---
title: "北斗精機と南斗電機、合弁会社を設立"
date: "2026-10-01"
lang: ja
---

北斗精機株式会社（本社：札幌市、以下「北斗」）と南斗電機株式会社（本社：福岡市、以下「南斗」）は、
合弁会社「北南冷却株式会社」を設立することで合意しました。北斗精機の代表取締役社長である山岸 学は「新工場で量産する」と述べました。

## 会社概要

**北斗精機株式会社**
- 所在地：北海道札幌市
- 代表者：代表取締役社長 山岸 学
- 資本金：30億円
- 売上高：850億円（2025年3月期）
- 従業員数：約2,400名

**北南冷却株式会社**
- 所在地：北海道苫小牧市
- 資本金：50億円
- 出資比率：北斗60％、南斗40％

以上
"""


def _claims(db, tmp_path, text):
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "release.md").write_text(text, encoding="utf-8")
    ingest_paths(db, [str(tmp_path / "in")])
    rows = db.execute("SELECT c.type, s.name, o.name, c.amount_min FROM claims c "
                      "LEFT JOIN entities s ON s.id = c.subject_id LEFT JOIN entities o ON o.id = c.object_id").fetchall()
    return {tuple(r) for r in rows}


def test_a_japanese_profile_gives_figures_role_and_stakes(db, tmp_path):
    got = _claims(db, tmp_path, JA)
    assert ("statistic", "北斗精機", None, 3.0e9) in got
    assert ("statistic", "北斗精機", None, 8.5e10) in got
    assert ("statistic", "北斗精機", None, 2400.0) in got
    assert ("statistic", "北南冷却", None, 5.0e9) in got
    assert ("ownership", "北斗精機", "北南冷却", 60.0) in got
    assert ("ownership", "南斗電機", "北南冷却", 40.0) in got
    assert any(t == "role" and s == "山岸 学" and o == "北斗精機" for t, s, o, _ in got), got
    # the JV's figures are not the first company's, and 所在地 states no claim
    assert ("statistic", "北斗精機", None, 5.0e9) not in got
    assert not any(t == "investment" and a == 3.0e9 for t, _, _, a in got), got


def test_key_lines_without_a_company_line_above_state_nothing(db, tmp_path):
    text = JA.replace("**北斗精機株式会社**\n", "").replace("**北南冷却株式会社**\n", "このリリースについて\n\n")
    got = _claims(db, tmp_path, text)
    assert not any(a in (3.0e9, 8.5e10, 2400.0, 5.0e9) for _, _, _, a in got), got


def test_a_news_outlet_is_never_the_actor_of_a_business_claim():
    from kb.claims import _outlet_acting
    from kb.records import Claim, EntityRef

    outlet, company = EntityRef("company:bloomberg", "Bloomberg", "company"), EntityRef("company:x", "X", "company")
    assert _outlet_acting(Claim("investment", outlet, None, 0, 1, 0))
    assert not _outlet_acting(Claim("investment", company, outlet, 0, 1, 0))  # a stake in an outlet is a claim
    assert not _outlet_acting(Claim("role", EntityRef("person:a", "A", "person"), outlet, 0, 1, 0))
