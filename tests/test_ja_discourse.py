"""Japanese arguments beyond the sentence: the company an article is about (its first subject, and no other
company a subject more often) as the zero subject of a sentence that marks no topic of its own, 同社 after a
company written only as an object, 当社 in an interview answer, and honorifics after a name.

Every sentence is written for these tests, with invented companies (北浜電機, 東邦電材, Nortova).
"""

from __future__ import annotations

from kb.entities import resolve_references
from kb.entities.spans import _katakana_company, _tidy
from test_claims import run
import test_claims_ja_constructions  # noqa: F401  (its invented names join test_claims' table)


def test_a_topicless_sentence_far_from_its_company_is_about_the_article_topic():
    """「研究開発では、Xと提携した」three sentences after the article's topic: the topic company is the partner."""
    text = ("北浜電機は新しい電池工場を建てると発表した。市況は回復している。需要の伸びは鈍い。価格の下落が続く。\n\n"
            "研究開発では、東邦電材と共同開発で提携した。")
    got = [(c.type, c.subject.id if c.subject else None, c.object.id if c.object else None)
           for c in run(text, "ja") if c.type == "partnership"]
    assert got == [("partnership", "kitahama", "toho")]


def test_a_sentence_with_its_own_subject_does_not_take_the_article_topic():
    """「…では拠点整備が進んでおり」: the sentence names what it is about (a が-subject), so no zero subject."""
    text = ("北浜電機は新しい電池工場を建てると発表した。市況は回復している。需要の伸びは鈍い。価格の下落が続く。\n\n"
            "九州では部材の工場整備が進んでいる。")
    assert [c for c in run(text, "ja") if c.subject is not None and c.subject.id == "kitahama"
            and c.type in ("manufacturing", "investment")] == []


def test_no_article_topic_when_the_lead_has_two_subjects():
    """「AとBは…」: an article about a pair has no one topic company."""
    text = ("北浜電機と東邦電材は新型電池の共同開発で合意した。市況は回復している。需要の伸びは鈍い。価格の下落が続く。\n\n"
            "研究開発では、Nortovaと提携した。")
    assert [c for c in run(text, "ja") if c.type == "partnership" and "nortova" in
            (c.subject.id if c.subject else "", c.object.id if c.object else "")] == []


def test_dosha_after_an_object_is_the_article_topic():
    """「…Bと提携した。…。同社によると」: B is only an object; with no company subject in the sentences before,
    同社 is the company the article is about."""
    text = "北浜電機は新工場を建てた。北浜電機は人員も増やす。東邦電材と素材で提携した。同社によると、受注は増えている。"
    mentions = [(0, 4, "company:kitahama"), (13, 17, "company:kitahama"), (25, 29, "company:toho")]
    start = text.index("同社")
    assert resolve_references(text, mentions) == [(start, start + 2, ["company:kitahama"])]


def test_dosha_after_a_possessor_stays_the_last_company():
    """「Bの社長は、同社が…」: B owns the topic of the clause; 同社 is B, not the article's topic."""
    text = "北浜電機は新工場を建てた。北浜電機は人員も増やす。東邦電材の社長は、同社が増産すると述べた。"
    mentions = [(0, 4, "company:kitahama"), (13, 17, "company:kitahama"), (25, 29, "company:toho")]
    start = text.index("同社")
    assert resolve_references(text, mentions) == [(start, start + 2, ["company:toho"])]


def test_tosha_in_an_interview_answer_is_the_interviewee_company():
    """An interview that opens naming its company (…を手がける北浜電機。): 当社 in the answers is that company."""
    text = "車載電池を手がける北浜電機。佐藤社長に聞いた。\n\n――需要は。\n\n「当社の売上高は伸びています」"
    mentions = [(9, 13, "company:kitahama")]
    start = text.index("当社")
    assert resolve_references(text, mentions) == [(start, start + 2, ["company:kitahama"])]


def test_interview_answer_without_a_subject_is_the_interviewee_company():
    text = "車載電池を手がける北浜電機。佐藤社長に話を聞いた。\n\n――主な顧客は。\n\n「東邦電材に電池を供給しています」"
    got = [(c.type, c.subject.id if c.subject else None, c.object.id if c.object else None)
           for c in run(text, "ja") if c.type == "contract"]
    assert got == [("contract", "toho", "kitahama")]


def test_an_honorific_is_not_part_of_the_name():
    text = "当社は北浜電機さんから部材を買っている。"
    start = text.index("北浜")
    assert _tidy(text, start, start + 6) == (start, start + 4)
    # お客さま is a common noun with its honorific, not a name with one
    text = "お客さまの声を聞く。"
    assert _tidy(text, 0, 4) == (0, 4)


def _roles(text):
    return [(c.subject.id, c.object.id if c.object else None) for c in run(text, "ja") if c.type == "role"]


def test_an_officer_title_with_no_company_is_the_article_topics():
    """「佐藤一郎社長は記者会見で…」 in an article about 北浜電機: he is its president."""
    text = "北浜電機は新工場の建設を発表した。投資額は非公表だ。\n\n佐藤一郎社長は記者会見で「需要は強い」と述べた。"
    assert _roles(text) == [("sato", "kitahama")]


def test_a_public_title_or_another_organization_is_not_the_article_topics():
    """大統領 is not a company's officer; a sentence naming an organization gives the title its own."""
    assert _roles("北浜電機は新工場の建設を発表した。\n\n佐藤一郎大統領は歓迎した。") == []
    # …のY社長: an officer of what the の-phrase names (here a name no entity was found for)
    assert _roles("北浜電機は新工場の建設を発表した。\n\nミナトデンの佐藤一郎社長は歓迎した。") == []
    assert _roles("北浜電機は新工場の建設を発表した。\n\n東邦電材の佐藤一郎社長は歓迎した。") == [("sato", "toho")]


def test_a_title_before_the_name_or_an_executive_officers_title_is_the_article_topics():
    """「営業統括部門長の佐藤一郎氏は」「佐藤一郎専務執行役員は」 in an article about 北浜電機: its officer."""
    text = "北浜電機は新工場の建設を発表した。\n\n取締役執行役員で営業統括部門長の佐藤一郎氏は「需要は強い」と話す。"
    assert _roles(text) == [("sato", "kitahama")]
    text = "北浜電機は新工場の建設を発表した。\n\n営業を統括する佐藤一郎専務執行役員は取材に「需要は強い」と語った。"
    assert _roles(text) == [("sato", "kitahama")]
    # ある部品メーカーの事業部長の…: the title is of what the first の-phrase names
    assert _roles("北浜電機は新工場の建設を発表した。\n\nある部品メーカーの事業部長の佐藤一郎氏は歓迎した。") == []


def test_a_post_filled_names_the_company_the_article_is_about():
    """「社長には東邦電材出身の佐藤一郎氏が就いた」: 出身 says where he comes from; the post is the topic's."""
    text = "北浜電機は新工場の建設を発表した。\n\n社長には東邦電材出身の佐藤一郎氏が就いた。"
    assert _roles(text) == [("sato", "kitahama")]
    # the post of a company written before it is that company's (no topic role)
    assert ("sato", "kitahama") not in _roles("北浜電機は新工場の建設を発表した。\n\n東邦電材の社長には佐藤一郎氏が就いた。")


def test_titles_written_one_after_another_after_a_company_are_its():
    """「東邦電材取締役CTOの佐藤一郎氏」: director and CTO of 東邦電材."""
    assert _roles("新会社の社長には東邦電材取締役CTOの佐藤一郎氏が就任した。") == [("sato", "toho")]
    assert _roles("東邦電材の取引先の佐藤一郎氏が就任した。") == []


def test_a_ministers_title_names_the_ministry():
    """「佐藤一郎経済産業相は」: the minister of 経済産業省; a foreign country before the name is another state's."""
    assert _roles("佐藤一郎経済産業相は記者会見で「支援する」と述べた。") == [("sato", "gov:meti")]
    assert _roles("英国の佐藤一郎財務相は記者会見で「支援する」と述べた。") == []


def _stats(text):
    return [(c.subject.id if c.subject else None, c.amount.min) for c in run(text, "ja") if c.type == "statistic"]


def test_a_segments_sales_in_a_sentence_after_the_company_are_its_figure():
    """「Xは決算を発表した。電池事業の売上高は前年同期比40%増だった」: a segment's metric is the company's."""
    assert _stats("北浜電機は決算を発表した。電池事業の売上高は前年同期比40%増だった。") == [("kitahama", 40.0)]
    assert _stats("北浜電機は決算を発表した。電池関連の売上高は前年同期比40%増だった。") == [("kitahama", 40.0)]
    # 業界全体の売上高: the metric of what the の-phrase names, not the company's
    assert _stats("北浜電機は決算を発表した。業界全体の売上高は前年同期比40%増だった。") == []


def test_a_fiscal_period_between_a_segment_and_its_metric_keeps_it_the_companys():
    """「電池事業の26年3月期の売上高は…」「今期の営業利益は…」 in an article about 北浜電機: its figures."""
    far = "北浜電機は決算を発表した。市況は回復している。需要の伸びは鈍い。価格の下落が続く。\n\n"
    assert sorted(_stats(far + "電池事業の26年3月期の売上高は約2800億円で、前期比18%増えた。")) == \
        [("kitahama", 18.0), ("kitahama", 2.8e11)]
    assert _stats(far + "今期の営業利益は約90億円だった。") == [("kitahama", 9e9)]
    # 業界全体の26年度の売上高: still the metric of what the の-phrase names
    assert _stats(far + "業界全体の26年度の売上高は約2800億円だった。") == []


def test_a_level_in_apposition_and_the_level_it_grew_from_are_the_metrics():
    """「売上高は約1500億円と、前期の約600億円から2倍に増えた」: both figures are the company's sales."""
    far = "北浜電機は決算を発表した。市況は回復している。需要の伸びは鈍い。価格の下落が続く。\n\n"
    got = _stats(far + "電池関連の売上高は26年3月期に約1500億円と、25年3月期の約600億円から2倍以上に増えた。")
    assert sorted(got) == [("kitahama", 6e10), ("kitahama", 1.5e11)]
    # another company's figure after と、 is no earlier level of this metric; a market's size is nobody's
    got = _stats(far + "電池関連の売上高は約1500億円と、前回予想の約600億円から増えた。")
    assert got == [("kitahama", 1.5e11)]
    assert _stats(far + "電池の市場規模は約2兆円と、前年の1兆円から2倍に増えた。") == []


def test_a_share_in_a_sentence_naming_nothing_is_the_topic_companys():
    """「全社の営業利益に占める電池事業の比率も約70%に達した」after the company's sentence: its share; far from any
    company sentence, 世界シェアが約30%に達する is the share of the company the article is about."""
    got = _stats("北浜電機は決算を発表した。電池事業の売上高は前年同期比40%増となり、"
                 "全社の営業利益に占める電池事業の比率も約70%に達した。")
    assert sorted(got) == [("kitahama", 40.0), ("kitahama", 70.0)]
    got = _stats("北浜電機は決算を発表した。市況は回復している。需要の伸びは鈍い。価格の下落が続く。\n\n"
                 "電池材料の一部製品では世界シェアが約30%に達する。")
    assert got == [("kitahama", 30.0)]
    # the market's size is nobody's (an unowned metric)
    assert _stats("北浜電機は決算を発表した。市況は回復している。需要の伸びは鈍い。価格の下落が続く。\n\n"
                  "電池の市場規模は約2兆円に達する。") == []


def _parties(text, type_):
    return [(c.subject.id if c.subject else None, c.object.id if c.object else None)
            for c in run(text, "ja") if c.type == type_]


def test_a_new_paragraph_goes_back_to_the_article_topic():
    """The paragraph before ends on a competitor (Nortovaは…); a new paragraph with no subject is about the
    company the article is about again."""
    text = ("北浜電機は新しい電池工場を建てると発表した。\n\nNortovaも米国で工場を建設中だ。\n\n"
            "研究開発では、東邦電材と共同開発で提携した。")
    assert _parties(text, "partnership") == [("kitahama", "toho")]


def test_a_heading_naming_a_company_sets_its_sections_topic():
    """## X：… opens a section about X: a paragraph in it with no subject is X's, not the article's first
    company's nor the last company named."""
    text = ("国内の電池大手2社の戦略を比べる。\n\n## 東邦電材：規模で勝負\n\n東邦電材は新工場を建てる。東邦電材は人員も増やす。"
            "\n\n## 北浜電機：素材で勝負\n\n北浜電機は研究拠点を開いた。子会社のZENAは米国で拠点を開いた。\n\n"
            "調達では、Nortovaとの契約を通じて部材を確保している。")
    pairs = {frozenset(p) for p in _parties(text, "contract")}
    assert pairs == {frozenset({"kitahama", "nortova"})}


def test_an_interviewers_line_asserts_nothing_of_the_interviewee():
    """――Xと契約を結んだとの観測も出ています: the interviewer's premise, which the answer may deny."""
    text = "車載電池を手がける北浜電機。佐藤社長に話を聞いた。\n\n――東邦電材と供給契約を結んだとの観測も出ています。"
    assert _parties(text, "contract") == []


def test_variant_kanji_name_one_person():
    """髙橋 and 高橋 (a variant kanji NFKC keeps apart) are one name; 高橋 and 高田 are not."""
    from kb.entities import entity_id_for

    assert entity_id_for("髙橋一郎", "person") == entity_id_for("高橋一郎", "person")
    assert entity_id_for("山﨑次郎", "person") == entity_id_for("山崎次郎", "person")
    assert entity_id_for("高橋一郎", "person") != entity_id_for("高田一郎", "person")


def test_a_press_release_introduces_a_company_with_its_officer():
    """株式会社X（本社：…、代表取締役社長：Y、以下「X」）: Y is X's president; a title outside the parenthesis
    (X（本社：…）の説明会では、社長：Y) is not tied to the company before it."""
    text = "株式会社北浜電機（本社：東京都港区、代表取締役社長：佐藤一郎、以下「北浜」）は新工場の建設を発表した。"
    assert ("sato", "kitahama") in _roles(text)
    assert _roles("北浜電機（本社：東京都港区）の説明会では、社長：佐藤一郎という札が掲げられた。") == []


def test_a_metric_in_an_interview_answer_is_the_interviewee_companys():
    """「電池事業の売上高は前年度比20%増を見込んでいます」: the metric's own は aside the answer names no topic."""
    text = "車載電池を手がける北浜電機。佐藤社長に話を聞いた。\n\n――今期の見通しは。\n\n「電池事業の売上高は前年度比20%増を見込んでいます」"
    assert _stats(text) == [("kitahama", 20.0)]
    # a topic of its own before the metric (顧客企業は): not the interviewee's figure
    text = "車載電池を手がける北浜電機。佐藤社長に話を聞いた。\n\n――今期の見通しは。\n\n「顧客企業は、売上高が前年度比20%増える見込みです」"
    assert _stats(text) == []


def test_customers_share_of_sales_is_the_sellers_figure():
    """「AさんとBさんが二大顧客で、両社合わせて売上高の3割強を占めます」 in an interview with X: X's sales."""
    text = "車載電池を手がける北浜電機。佐藤社長に話を聞いた。\n\n――顧客は。\n\n「東邦電材さんとNortovaさんが二大顧客で、両社合わせて売上高の3割強を占めます」"
    assert [(c.subject.id if c.subject else None, c.amount.min) for c in run(text, "ja", {"両社": ("toho", "nortova")})
            if c.type == "statistic"] == [("kitahama", 30.0)]
    # a figure of the customer's own sales (Xの売上高) stays the customer's
    text = "車載電池を手がける北浜電機。佐藤社長に話を聞いた。\n\n――顧客は。\n\n「電池が東邦電材の売上高の3割を占めます」"
    assert [c.subject.id if c.subject else None for c in run(text, "ja") if c.type == "statistic"] == ["toho"]


def test_an_answer_denying_the_interviewers_premise_negates_it():
    """――台湾のXへの出資を検討しているとの報道がありました。「そうした事実はありません」: a denied investment of
    the interviewee in X (台湾 only says where X is from); a premise the answer does not deny asserts nothing."""
    head = "車載電池を手がける北浜電機。佐藤社長に話を聞いた。\n\n――台湾の東邦電材への出資を検討しているとの報道がありました。\n\n"
    got = [(c.type, c.subject.id, c.object.id if c.object else None, c.polarity)
           for c in run(head + "「そうした事実はありません。自前の技術で勝負します」", "ja") if c.type == "investment"]
    assert got == [("investment", "kitahama", "toho", "negated")]
    assert [c for c in run(head + "「まだ何も決まっていません」", "ja") if c.type == "investment"] == []


def test_a_katakana_name_of_a_kind_of_company_or_after_a_country_prefix_is_a_company():
    """ミナトラ・キャピタル and 米ミナトラ・ゼファー name companies; 米トランプ政権 and マリア・デルガド氏 name people."""
    def judged(text, name):
        start = text.index(name)
        return _katakana_company(text, start, start + len(name))
    assert judged("ミナトラ・キャピタルが出資した。", "ミナトラ・キャピタル")
    assert judged("米ミナトラ・ゼファーを買収する。", "ミナトラ・ゼファー")
    assert not judged("米マリア・デルガド氏が語った。", "マリア・デルガド")
    assert not judged("米ジョン・スミス政権が発足した。", "ジョン・スミス")
    assert not judged("マリア・デルガドが語った。", "マリア・デルガド")


def test_a_subsidiary_with_a_country_prefix_and_no_parent_is_the_topics():
    """「米子会社のNortova（所在地）が…投じる」 after a sentence about 北浜電機: its subsidiary, which invests itself;
    the money is the subsidiary's investment, never the size of the parent's holding."""
    claims = run("北浜電機は新工場を建てる。米子会社のNortova（ハーロウ郡）が工場に約3億ドルを投じる。", "ja")
    owned = [(c.subject.id, c.object.id, c.amount) for c in claims if c.type == "ownership"]
    assert owned == [("kitahama", "nortova", None)]
    claims = run("北浜電機は新工場を建てる。子会社のNortovaが工場に約3億ドルを投じる。", "ja")
    assert [(c.subject.id, c.amount.min) for c in claims if c.type == "investment"] == [("nortova", 3e8)]
    # the parent written before it holds it, not the topic
    claims = run("北浜電機は新工場を建てる。東邦電材の米子会社のNortovaが工場を建てる。", "ja")
    assert [(c.subject.id, c.object.id) for c in claims if c.type == "ownership"] == [("toho", "nortova")]
