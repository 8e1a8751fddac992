"""factory-boy factories for the editorial models (EveryElection style)."""

import datetime
from decimal import Decimal

import factory
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from indicators.models import Comparator, Figure, Indicator, MeasureKind, Scope, Unit
from meetings.models import (
    Assessment,
    Commitment,
    CommitmentKind,
    CommitmentQuote,
    Country,
    Delegation,
    Evidence,
    Meeting,
    MeetingBody,
    Person,
    ScoStatus,
    Source,
    Topic,
)
from sco_tracker.tracking.recording import revision


class TrackedFactory(factory.django.DjangoModelFactory):
    """Creates the record inside a revision, as every write must be (reason “Created”)."""

    class Meta:
        abstract = True

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        with revision():
            return super()._create(model_class, *args, **kwargs)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda user: f"{user.username}@example.org")
    password = factory.django.Password("correct horse battery staple")


class EditorFactory(UserFactory):
    is_staff = True

    @factory.post_generation
    def editors_group(self, create, extracted, **kwargs):
        if create:
            self.groups.add(Group.objects.get(name="Editors"))


class ReviewerFactory(UserFactory):
    """A member of Reviewers: everything editors do, plus publish and withdraw."""

    is_staff = True

    @factory.post_generation
    def reviewers_group(self, create, extracted, **kwargs):
        if create:
            self.groups.add(Group.objects.get(name="Reviewers"))


class TopicFactory(TrackedFactory):
    class Meta:
        model = Topic

    slug = factory.Sequence(lambda n: f"topic-{n}")
    name_en = factory.Sequence(lambda n: f"Topic {n}")
    name_ru = factory.Sequence(lambda n: f"Тема {n}")


class CountryFactory(TrackedFactory):
    class Meta:
        model = Country
        django_get_or_create = ("code",)

    code = factory.Iterator(["AA", "AB", "AC", "AD", "AE", "AF", "AG", "AH", "AI", "AJ"])
    name_en = factory.LazyAttribute(lambda country: f"Country {country.code}")
    name_ru = factory.LazyAttribute(lambda country: f"Страна {country.code}")
    sco_status = ScoStatus.MEMBER_STATE
    sco_status_since = datetime.date(2001, 6, 15)


class PersonFactory(TrackedFactory):
    class Meta:
        model = Person

    slug = factory.Sequence(lambda n: f"person-{n}")
    name_en = factory.Sequence(lambda n: f"Person {n}")
    name_ru = factory.Sequence(lambda n: f"Персона {n}")
    country = factory.SubFactory(CountryFactory)


class SourceFactory(TrackedFactory):
    class Meta:
        model = Source

    title = factory.Sequence(lambda n: f"Press release {n}")
    publisher = "Government press service"
    language = "ru"
    text = "Товарооборот превысил $10 млрд. Около 5 миллионов человек."


class MeetingFactory(TrackedFactory):
    class Meta:
        model = Meeting

    body = MeetingBody.HEADS_OF_GOVERNMENT
    number = factory.Sequence(lambda n: 100 + n)
    title_en = factory.Sequence(lambda n: f"Meeting {n}")
    title_ru = factory.Sequence(lambda n: f"Заседание {n}")
    slug = factory.Sequence(lambda n: f"meeting-{n}")
    start_date = datetime.date(2025, 11, 17)
    end_date = datetime.date(2025, 11, 18)
    city_en = "Moscow"
    city_ru = "Москва"
    host_country = factory.SubFactory(CountryFactory)


class DelegationFactory(TrackedFactory):
    class Meta:
        model = Delegation

    meeting = factory.SubFactory(MeetingFactory)
    country = factory.SubFactory(CountryFactory)
    head = factory.SubFactory(PersonFactory)
    head_office_en = "Prime Minister"
    head_office_ru = "Премьер-министр"


class CommitmentFactory(TrackedFactory):
    class Meta:
        model = Commitment

    meeting = factory.SubFactory(MeetingFactory)
    title_en = factory.Sequence(lambda n: f"Commitment {n}")
    title_ru = factory.Sequence(lambda n: f"Обязательство {n}")
    kind = CommitmentKind.PROPOSAL


class CommitmentQuoteFactory(TrackedFactory):
    class Meta:
        model = CommitmentQuote

    commitment = factory.SubFactory(CommitmentFactory)
    source = factory.SubFactory(SourceFactory)
    quote = "Товарооборот превысил $10 млрд."


class AssessmentFactory(TrackedFactory):
    """A draft assessment (``state="published"`` for a public one: give it evidence with
    ``EvidenceFactory`` in the same ``revision()``, or ``with_evidence=True``)."""

    class Meta:
        model = Assessment
        skip_postgeneration_save = True

    commitment = factory.SubFactory(CommitmentFactory)
    country = factory.SubFactory(CountryFactory)
    period_start = datetime.date(2025, 11, 18)
    period_end = datetime.date(2026, 6, 30)
    period_label = "Nov 2025 – Jun 2026"
    score = 1
    justification_en = "Done, as the ministry reported."
    justification_ru = "Выполнено, по сообщению министерства."

    @factory.post_generation
    def with_evidence(self, create, extracted, **kwargs):
        if create and extracted:
            EvidenceFactory(assessment=self)


class EvidenceFactory(TrackedFactory):
    class Meta:
        model = Evidence

    assessment = factory.SubFactory(AssessmentFactory)
    url = factory.Sequence(lambda n: f"https://example.org/report-{n}")
    date = datetime.date(2026, 3, 3)
    title = "Ministry report"


class IndicatorFactory(TrackedFactory):
    class Meta:
        model = Indicator

    slug = factory.Sequence(lambda n: f"indicator-{n}")
    name_en = factory.Sequence(lambda n: f"Indicator {n}")
    name_ru = factory.Sequence(lambda n: f"Показатель {n}")
    measure_kind = MeasureKind.LEVEL
    default_unit = Unit.USD
    default_unit_multiplier = 9


class FigureFactory(TrackedFactory):
    class Meta:
        model = Figure

    indicator = factory.SubFactory(IndicatorFactory)
    scope = Scope.COUNTRY
    country = factory.SubFactory(CountryFactory)
    as_stated = "более $10 млрд"
    comparator = Comparator.MORE_THAN
    value = Decimal("10")
    unit_multiplier = 9
    unit = Unit.USD
    period_start = factory.Sequence(lambda n: datetime.date(1900 + n % 120, 1, 1))
    period_end = factory.LazyAttribute(
        lambda f: f.period_start and f.period_start.replace(month=12, day=31)
    )
    period_label = factory.LazyAttribute(
        lambda f: str(f.period_start.year) if f.period_start else "annually"
    )
    source = factory.SubFactory(SourceFactory)
    quote = "Товарооборот превысил $10 млрд."
