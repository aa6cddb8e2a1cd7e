"""A news article drafted from a year-end summary: headline, lead paragraph, body and a
photo caption, in Vietnamese (the portal publishes in Vietnamese; see `wording`), in our
own words, every figure taken from the computed `Summary` by the sentences the report
uses. An editor reviews and corrects it before it is published.
"""

import datetime
from dataclasses import dataclass

from thidua.reports import markdown as md
from thidua.reports import wording as w
from thidua.reports.summary import Summary

LEAD_INDICATORS = 4  # indicators told in the body, in the catalog's order


@dataclass
class NewsDraft:
    title: str
    lead: str
    paragraphs: list[str]
    photo_caption: str

    @property
    def body(self) -> str:
        return "\n\n".join(self.paragraphs)


def _morning(day: datetime.date) -> str:
    return f"ngày {w.day(day)}"


def draft_news(summary: Summary, *, held_on: datetime.date) -> NewsDraft:
    """The article about the summary conference of `summary.unit`, held on `held_on`."""
    unit, year = summary.unit, summary.year
    committee = w.committee(unit)
    place = w.lower_place(unit.name)
    title = f"{unit.name} tổng kết công tác năm {year}, triển khai nhiệm vụ năm {year + 1}"
    lead = (
        f"{w.sentence_case(_morning(held_on))}, {committee} tổ chức hội nghị tổng kết công "
        f"tác năm {year}, phong trào thi đua yêu nước và triển khai nhiệm vụ năm {year + 1}."
    )
    paragraphs = []
    tasks = md.task_sentences(summary)
    if tasks:
        paragraphs.append(
            f"Năm {year}, trong bối cảnh còn nhiều khó khăn, {place} đã tập trung lãnh đạo, "
            "chỉ đạo thực hiện các nhiệm vụ được giao. " + " ".join(tasks)
        )
    figures = [md.indicator_sentence(line, summary) for line in summary.indicators]
    if figures:
        paragraphs.append(" ".join(figures[:LEAD_INDICATORS]))
    ratings = summary.unit_ratings
    # Only once every unit is rated: a share over units not yet rated is not news.
    if ratings.total and not ratings.not_rated and ratings.share is not None:
        paragraphs.append(
            f"Kết quả đánh giá, xếp loại cho thấy {w.percent(ratings.share)} cơ quan, đơn vị "
            f"trực thuộc {place} hoàn thành tốt nhiệm vụ trở lên."
        )
    blocks = [b for b in summary.block.blocks if b.leads]
    if blocks:
        paragraphs.append(
            f"Trong phong trào thi đua, {place} tiếp tục giữ vị trí dẫn đầu "
            + ", ".join(b.name[:1].lower() + b.name[1:] for b in blocks)
            + "."
        )
    honours = [g for g in summary.awards_received if any(r.code == unit.code for r in g.recipients)]
    if honours:
        told = "; ".join(f"{g.award_name} ({w.decision_phrase(g)})" for g in honours)
        paragraphs.append(f"Năm {year}, {place} vinh dự được tặng: {told}.")
    others = [g for g in summary.awards_received if g not in honours]
    if others:
        paragraphs.append(
            "Tại hội nghị, các tập thể và cá nhân có thành tích xuất sắc được nhận "
            + "; ".join(f"{g.award_name} ({w.recipients_phrase(g)})" for g in others)
            + "."
        )
    collectives = sum(g.collectives for g in summary.awards_given)
    individuals = sum(g.individuals for g in summary.awards_given)
    if collectives or individuals:
        paragraphs.append(
            f"{committee} cũng khen thưởng {collectives} tập thể và "
            f"{w.number(individuals)} cá nhân có thành tích trong năm."
        )
    if summary.goals:
        goals = "; ".join(
            w.target_phrase(g)[:1].lower() + w.target_phrase(g)[1:] for g in summary.goals
        )
        paragraphs.append(f"Năm {year + 1}, {place} phấn đấu {goals}.")
    if not paragraphs:  # nothing on record yet: the lead's own facts, for the editor
        paragraphs.append(
            f"Hội nghị đã đánh giá kết quả thực hiện nhiệm vụ năm {year} và triển khai "
            f"nhiệm vụ năm {year + 1} của {place}."
        )
    caption = f"Quang cảnh hội nghị tổng kết công tác năm {year} của {place}."
    return NewsDraft(title, lead, paragraphs, caption)
