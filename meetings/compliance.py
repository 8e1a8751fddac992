"""Compliance in numbers: averages that say how many scores they rest on, the matrix of
commitments × countries, an assessment table per period, and the revisions of a
commitment's assessments and evidence for its history page.

Averages follow the G20 Research Group: the mean of the scores present (−1, 0, +1), also
shown as a percentage, (average + 1) / 2 × 100. A missing assessment is never counted as a
score: every average comes with "n of N assessed".
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from itertools import groupby

from django.utils import formats
from django.utils.translation import gettext as _

from sco_tracker.tracking.changes import previous_revisions
from sco_tracker.tracking.diffs import RelatedNames, Revision, describe_changes
from sco_tracker.tracking.timetravel import as_instance, children_lists

from .models import Assessment, Commitment, Country, Evidence, Meeting, ScoStatus
from .models.compliance import period_text

MINUS = "−"


@dataclass
class Summary:
    """The scores present out of ``possible`` cells (members, or commitments)."""

    scores: list[int] = field(default_factory=list)
    possible: int = 0

    @property
    def count(self) -> int:
        return len(self.scores)

    @property
    def average(self) -> Decimal | None:
        if not self.scores:
            return None
        return (Decimal(sum(self.scores)) / len(self.scores)).quantize(
            Decimal("0.01"), ROUND_HALF_UP
        )

    @property
    def percentage(self) -> int | None:
        """(average + 1) / 2 × 100, from the exact mean, to the nearest whole number."""
        if not self.scores:
            return None
        exact = Decimal(sum(self.scores) + len(self.scores)) * 50 / len(self.scores)
        return int(exact.quantize(Decimal("1"), ROUND_HALF_UP))

    @property
    def average_text(self) -> str:
        """“+0.33”, “0.00”, “−0.50” (localised decimals); “—” with nothing to average."""
        average = self.average
        if average is None:
            return "—"
        sign = "+" if average > 0 else MINUS if average < 0 else ""
        return sign + formats.number_format(abs(average), 2)

    @property
    def percentage_text(self) -> str:
        if self.percentage is None:
            return ""
        return _("%(value)s%%") % {"value": self.percentage}

    @property
    def export(self) -> dict:
        return {
            "average": str(self.average) if self.average is not None else None,
            "percentage": self.percentage,
            "assessed": self.count,
            "of": self.possible,
        }


def summary(scores, possible: int) -> Summary:
    return Summary(scores=list(scores), possible=possible)


@dataclass
class Period:
    """One assessment period and the assessments made for it."""

    start: object = None
    end: object = None
    label: str = ""
    assessments: list = field(default_factory=list)

    @property
    def key(self) -> str:
        return f"{self.start.isoformat()}/{self.end.isoformat()}" if self.start else ""

    @property
    def dates(self) -> str:
        return period_text(self.start, self.end) if self.start else ""


def by_period(assessments) -> list[Period]:
    """The assessments grouped by period, the latest period first."""

    def dates(assessment):
        return (assessment.period_end, assessment.period_start)

    periods = []
    for (end, start), group in groupby(sorted(assessments, key=dates, reverse=True), key=dates):
        rows = list(group)
        periods.append(Period(start=start, end=end, label=rows[0].period_label, assessments=rows))
    return periods


def member_states(as_of) -> list:
    """SCO member states as they stood at ``as_of``, by name in the current language."""
    members = Country.objects.published(as_of=as_of).filter(sco_status=ScoStatus.MEMBER_STATE)
    return sorted(members.instances(), key=lambda country: country.name)


def assessed_countries(members, assessments) -> list:
    """The members and any other country assessed (a commitment may name an observer or a
    partner), by name."""
    countries = {country.pk: country for country in members}
    for assessment in assessments:
        countries.setdefault(assessment.country_id, assessment.country)
    return sorted(countries.values(), key=lambda country: country.name)


def attach_evidence(assessments, as_of) -> None:
    evidence = children_lists(
        assessments, Evidence, "assessment", as_of, related=("source",), order_by=("id",)
    )
    for assessment in assessments:
        assessment.evidence_list = evidence[assessment.pk]


def default_meeting(as_of):
    """The latest meeting with public assessments; else the latest with public commitments."""
    meetings = Meeting.objects.published(as_of=as_of)
    assessed = Assessment.objects.published(as_of=as_of).values("commitment_id")
    commitments = Commitment.objects.published(as_of=as_of)
    for chosen in (commitments.filter(id__in=assessed), commitments):
        found = meetings.filter(id__in=chosen.values("meeting_id"))[:1].instances()
        if found:
            return found[0]
    return None


def evidence_text(evidence) -> str:
    """One piece of evidence as a line of an export."""
    if evidence.source_id and evidence.source is not None:
        return f"{evidence.source.title}: «{evidence.quote}»"
    date = evidence.date.isoformat() if evidence.date else ""
    return " ".join(part for part in (evidence.title, evidence.url, f"({date})" if date else ""))


# --- a commitment's page: a table of countries and scores per period ---------------------


@dataclass
class PeriodTable:
    period: Period
    rows: list  # (country, assessment or None)
    summary: Summary


def commitment_tables(assessments, members) -> list[PeriodTable]:
    """For each period, every member (and any other country assessed) with its score or
    nothing, and the commitment's average over the scores present."""
    tables = []
    for period in by_period(assessments):
        found = {assessment.country_id: assessment for assessment in period.assessments}
        countries = assessed_countries(members, period.assessments)
        rows = [(country, found.get(country.pk)) for country in countries]
        scores = [assessment.score for assessment in period.assessments]
        tables.append(PeriodTable(period, rows, summary(scores, len(countries))))
    return tables


# --- /compliance/: commitments × countries ----------------------------------------------------


@dataclass
class MatrixRow:
    commitment: object
    cells: list  # assessment or None, one per column
    summary: Summary


@dataclass
class Matrix:
    period: Period | None
    countries: list
    rows: list[MatrixRow]
    columns: list[tuple]  # (country, its summary), one per column
    overall: Summary


def matrix(period: Period | None, commitments, countries) -> Matrix:
    """Commitments × countries for one period (None: nothing assessed yet), with each
    commitment's and each country's average over the scores present."""
    found = {}
    for assessment in period.assessments if period else ():
        found[(assessment.commitment_id, assessment.country_id)] = assessment
    rows = []
    for commitment in commitments:
        cells = [found.get((commitment.pk, country.pk)) for country in countries]
        scores = [cell.score for cell in cells if cell is not None]
        rows.append(MatrixRow(commitment, cells, summary(scores, len(countries))))
    columns = []
    for index, country in enumerate(countries):
        scores = [row.cells[index].score for row in rows if row.cells[index] is not None]
        columns.append((country, summary(scores, len(rows))))
    every = [cell.score for row in rows for cell in row.cells if cell is not None]
    return Matrix(period, countries, rows, columns, summary(every, len(rows) * len(countries)))


# --- a commitment's history: the revisions of its assessments and their evidence -----------


@dataclass
class PartRevision(Revision):
    part: str = ""  # what kind of part
    title: str = ""  # which one


def part_revisions(commitment_pk, as_of, *, show_editor_names: bool) -> list[PartRevision]:
    """Every public revision of the commitment's assessments and of their evidence (up to
    ``as_of``), newest first, each with what changed: a fixed number of queries."""
    assessment_ids = Assessment.history.filter(commitment_id=commitment_pk).values("id")
    parts = [
        (Assessment, {"commitment_id": commitment_pk}, _("Compliance assessment")),
        (Evidence, {"assessment_id__in": assessment_ids}, _("Evidence")),
    ]
    revisions, assessed = [], {}
    for model, lookup, label in parts:
        history = model.history.public().filter(**lookup)
        if as_of is not None:
            history = history.filter(history_date__lte=as_of)
        rows = list(
            history.select_related("history_user")
            ._select_related_history_tracked_objs()
            .order_by("history_date", "history_id")
        )
        earlier = previous_revisions(model, rows)
        names = RelatedNames(model, [*rows, *earlier.values()], public=True)
        for row in rows:
            previous = earlier.get(row.history_id)
            changes = []
            if previous is not None and row.public_kind not in ("deleted", "withdrawn"):
                changes = describe_changes(model, previous, row, names)
            if model is Assessment:
                title = str(as_instance(row))
                assessed[row.id] = f"{row.country}, {row.period_label}"
            else:
                title = f"{assessed.get(row.assessment_id, '')} — {as_instance(row)}"
            revisions.append(
                PartRevision(
                    record=row,
                    kind=row.public_kind,
                    changes=changes,
                    show_editor_names=show_editor_names,
                    part=str(label),
                    title=title,
                )
            )
    revisions.sort(key=lambda r: (r.record.history_date, r.record.history_id), reverse=True)
    return revisions
