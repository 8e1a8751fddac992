"""``manage.py generate_demo_data --figures N --revisions K --seed S``: a large, realistic,
deterministic data set, written row for row as the tracking engine would have written it.

What it makes (proportions at ``--figures 100000``; smaller runs scale the meetings,
commitments, indicators and sources down):

* every SCO member, observer and dialogue partner as a ``Country`` (ISO codes; the seed's
  rows are reused), status changes over time (India and Pakistan observers, then members…);
  topics, five office holders per country, statistical sources (yearbooks, international
  databases) and the official releases of each meeting;
* 120 indicators with topics, of every measure kind; a few never published, a few withdrawn;
* meetings of six SCO bodies, several a year over 20 years, each with sessions, one
  delegation per member (observers and partners at summits), commitments with their
  verbatim quotes and a status that moves over the years;
* N figures over indicators × subjects × years × sources, about K revisions each on average
  (creation included; N × K are planned, plus the withdrawals that come with a withdrawn
  indicator or meeting): drafts edited, submitted, published, corrected, reverted, some
  withdrawn, some left in draft or in review, a few deleted.

Every revision is dated in the 20 years up to ``--end`` (default: today, 00:00 UTC),
strictly increasing per record; history rows are numbered in date order, as an
append-only table is. ``public_kind`` follows ``recording.public_kind`` exactly: each
revision is compared with the one before it, with the record's public parents as they
stood at that moment. Workflow rules hold too: nothing is published while a parent is not
public, withdrawing a parent withdraws its public children first (``workflow.py``),
published figures have their quote, and every change has a reason. Live rows carry
``version`` = their number of saves. Same ``--seed`` and ``--end`` → the same rows.

On PostgreSQL rows go in with ``COPY``; elsewhere with ``bulk_create`` (fine for the small
runs tests make). Then sequences are reset and PostgreSQL gets ``VACUUM (ANALYZE)`` (only
``ANALYZE`` inside a transaction, as in tests), so a benchmark starts from the state
autovacuum would leave.

Which databases it accepts: an empty one, or one holding only the seed data
(``load_seed_data``), which is kept and extended (its countries and topics are reused).
Anything else — a record created or changed by someone else, the seed edited — is refused
unless ``--force``. Generated records are recognisable by their authors (the ``demo-*``
users); the parameters are kept on the ``demo-data`` user, so a second run with the same
parameters does nothing and one with other parameters is refused (use a fresh database).
Records it creates avoid the seed's primary keys and unique values, so ``load_seed_data``
can still run afterwards.

This module is long because it is one self-contained generator: the catalogues, the
timeline of every record type with the public-kind rule applied as it is planned, and the
two writers stay together, so this one file explains the whole data set.
"""

from __future__ import annotations

import datetime
import json
import random
import sys
import time
from bisect import bisect_right
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand, CommandError
from django.core.management.color import no_style
from django.db import connection, transaction
from django.db.models import Max
from django.utils.text import slugify

from indicators.management.commands.load_seed_data import SEED_DIR
from indicators.models import Figure, Indicator
from meetings.models import (
    Commitment,
    CommitmentQuote,
    Country,
    Delegation,
    Meeting,
    Person,
    Session,
    Source,
    Topic,
)
from sco_tracker.tracking.recording import historical_m2m_model, tracked_m2m_fields

MARKER_USERNAME = "demo-data"
USER_PREFIX = "demo-"
SEED_REASON_PREFIX = "Seed data: fixtures/"
US = 1_000_000
HOUR = 3600 * US
DAY = 24 * HOUR
EPOCH = datetime.datetime(1970, 1, 1, tzinfo=datetime.UTC)
YEARS = 20
GENERATED_MODELS = [
    Country,
    Topic,
    Person,
    Source,
    Indicator,
    Meeting,
    Session,
    Delegation,
    Commitment,
    CommitmentQuote,
    Figure,
]

# --- catalogues ---------------------------------------------------------------------------


def table(text: str) -> list[tuple[str, ...]]:
    """A catalogue written one row per line, cells separated by "|"."""
    return [tuple(cell.strip() for cell in line.split("|")) for line in text.strip().splitlines()]


MEMBER = "member_state"
STATUS_WEIGHT = {MEMBER: 6, "observer": 2, "dialogue_partner": 1, "partner": 1, "none": 1}
# code | English | Russian | Russian genitive | name pool | SCO statuses: "since status, …"
COUNTRIES = [
    (code, en, ru, genitive, pool, [tuple(s.split()) for s in statuses.split(",")])
    for code, en, ru, genitive, pool, statuses in table("""
CN | China | Китай | Китая | cn | 2001-06-15 member_state
RU | Russia | Россия | России | cis | 2001-06-15 member_state
KZ | Kazakhstan | Казахстан | Казахстана | cis | 2001-06-15 member_state
KG | Kyrgyzstan | Кыргызстан | Кыргызстана | cis | 2001-06-15 member_state
TJ | Tajikistan | Таджикистан | Таджикистана | cis | 2001-06-15 member_state
UZ | Uzbekistan | Узбекистан | Узбекистана | cis | 2001-06-15 member_state
IN | India | Индия | Индии | south | 2005-07-05 observer, 2017-06-09 member_state
PK | Pakistan | Пакистан | Пакистана | south | 2005-07-05 observer, 2017-06-09 member_state
IR | Iran | Иран | Ирана | mideast | 2005-07-05 observer, 2023-07-04 member_state
BY | Belarus | Беларусь | Беларуси | cis | 2009-06-16 dialogue_partner, 2015-07-10 observer, 2024-07-04 member_state
MN | Mongolia | Монголия | Монголии | east | 2004-06-17 observer
AF | Afghanistan | Афганистан | Афганистана | mideast | 2012-06-07 observer
LK | Sri Lanka | Шри-Ланка | Шри-Ланки | south | 2009-06-16 dialogue_partner
TR | Turkey | Турция | Турции | mideast | 2012-06-07 dialogue_partner
AM | Armenia | Армения | Армении | cis | 2015-07-10 dialogue_partner
AZ | Azerbaijan | Азербайджан | Азербайджана | mideast | 2015-07-10 dialogue_partner
KH | Cambodia | Камбоджа | Камбоджи | east | 2015-07-10 dialogue_partner
NP | Nepal | Непал | Непала | south | 2015-07-10 dialogue_partner
EG | Egypt | Египет | Египта | mideast | 2022-09-16 dialogue_partner
QA | Qatar | Катар | Катара | mideast | 2022-09-16 dialogue_partner
SA | Saudi Arabia | Саудовская Аравия | Саудовской Аравии | mideast | 2022-09-16 dialogue_partner
AE | United Arab Emirates | Объединённые Арабские Эмираты | ОАЭ | mideast | 2023-07-04 dialogue_partner
KW | Kuwait | Кувейт | Кувейта | mideast | 2023-07-04 dialogue_partner
MV | Maldives | Мальдивы | Мальдив | south | 2023-07-04 dialogue_partner
MM | Myanmar | Мьянма | Мьянмы | east | 2023-07-04 dialogue_partner
BH | Bahrain | Бахрейн | Бахрейна | mideast | 2023-07-04 dialogue_partner
LA | Laos | Лаос | Лаоса | east | 2025-09-01 partner
""")  # noqa: E501
]
# pool | given names (English/Russian, …) | family names
NAMES = {
    pool: tuple([tuple(name.split("/")) for name in names.split(",")] for names in (given, family))
    for pool, given, family in table("""
cn | Wei/Вэй, Qiang/Цян, Ming/Мин, Hua/Хуа, Jun/Цзюнь | Li/Ли, Wang/Ван, Zhang/Чжан, Liu/Лю, Chen/Чэнь
cis | Aleksandr/Александр, Nurlan/Нурлан, Rustam/Рустам, Sergei/Сергей, Askar/Аскар, Timur/Тимур | Ivanov/Иванов, Sadykov/Садыков, Karimov/Каримов, Nazarov/Назаров, Omarov/Омаров, Yusupov/Юсупов
south | Rajesh/Раджеш, Amit/Амит, Imran/Имран, Sunil/Сунил | Sharma/Шарма, Khan/Хан, Singh/Сингх, Perera/Перера
mideast | Ali/Али, Hassan/Хасан, Mehmet/Мехмет, Ahmed/Ахмед | Rahimi/Рахими, Hosseini/Хоссейни, Yilmaz/Йылмаз, Nasser/Насер
east | Sok/Сок, Aung/Аунг, Bounmy/Бунми, Batbayar/Батбаяр | Chan/Чан, Win/Вин, Phomma/Фомма, Enkhbold/Энхболд
""")  # noqa: E501
}
# role | English office | Russian office ("{}": the country; in Russian, its genitive)
OFFICES = {
    role: (en, ru)
    for role, en, ru in table("""
head_of_state | President of {} | Президент {}
head_of_government | Prime Minister of {} | Премьер-министр {}
foreign_minister | Minister of Foreign Affairs of {} | Министр иностранных дел {}
economy_minister | Minister of Economy of {} | Министр экономики {}
defence_minister | Minister of Defence of {} | Министр обороны {}
""")
}
CITIES = {
    code: [tuple(city.split("/")) for city in cities.split(",")]
    for code, cities in table("""
CN | Beijing/Пекин, Shanghai/Шанхай, Qingdao/Циндао, Xi'an/Сиань
RU | Moscow/Москва, Ufa/Уфа, Yekaterinburg/Екатеринбург, Saint Petersburg/Санкт-Петербург
KZ | Astana/Астана, Almaty/Алматы
KG | Bishkek/Бишкек, Cholpon-Ata/Чолпон-Ата
TJ | Dushanbe/Душанбе
UZ | Tashkent/Ташкент, Samarkand/Самарканд
IN | New Delhi/Нью-Дели, Goa/Гоа
PK | Islamabad/Исламабад
IR | Tehran/Тегеран
BY | Minsk/Минск
""")
}
# slug | English | Russian: the seed's twelve first, then more
TOPICS = table("""
trade | Trade and economic cooperation | Торгово-экономическое сотрудничество
finance | Finance and investment | Финансы и инвестиции
transport | Transport and logistics | Транспорт и логистика
digital | Digital economy and artificial intelligence | Цифровая сфера и искусственный интеллект
water | Water resources | Водные ресурсы
ecology | Ecology | Экология
culture | Cultural and humanitarian cooperation | Культурно-гуманитарное сотрудничество
industry | Industrial cooperation | Промышленная кооперация
customs | Trade facilitation and customs | Упрощение процедур торговли и таможня
sco-development | Development of the SCO | Совершенствование деятельности ШОС
social | Social development and protection | Социальное развитие и защита
tourism | Tourism and people-to-people exchanges | Туризм и обмены между людьми
energy | Energy | Энергетика
agriculture | Agriculture and food security | Сельское хозяйство и продовольственная безопасность
health | Health care | Здравоохранение
security | Regional security | Региональная безопасность
education | Education and science | Образование и наука
emergencies | Emergency response | Предупреждение чрезвычайных ситуаций
media | Media and information | СМИ и информация
youth | Youth exchanges | Молодёжные обмены
""")
# English | Russian | topic | measure kind | unit | multiplier
CONCEPTS = [
    (en, ru, topic, kind, unit, int(multiplier))
    for en, ru, topic, kind, unit, multiplier in table("""
Trade turnover with SCO member states | Товарооборот с государствами — членами ШОС | trade | level | USD | 9
Exports to SCO member states | Экспорт в государства — члены ШОС | trade | level | USD | 9
Imports from SCO member states | Импорт из государств — членов ШОС | trade | level | USD | 9
Foreign direct investment inflows | Приток прямых иностранных инвестиций | finance | level | USD | 9
Investment from SCO member states | Инвестиции из государств — членов ШОС | finance | level | USD | 6
Transit freight volume | Объём транзитных перевозок | transport | level | t | 6
Railway container traffic | Контейнерные перевозки по железной дороге | transport | count | count | 3
Freight carried by rail | Перевозки грузов железнодорожным транспортом | transport | level | t | 6
Roads built or rebuilt | Построенные и реконструированные дороги | transport | level | km | 0
Electricity exports | Экспорт электроэнергии | energy | level | USD | 6
Natural gas exports | Экспорт природного газа | energy | level | USD | 9
Grain exports | Экспорт зерна | agriculture | level | t | 6
Agricultural exports | Экспорт сельскохозяйственной продукции | agriculture | level | USD | 6
Tourist arrivals from SCO member states | Туристы из государств — членов ШОС | tourism | count | persons | 3
Students from SCO member states | Студенты из государств — членов ШОС | education | count | persons | 0
Digital services exports | Экспорт цифровых услуг | digital | level | USD | 6
Internet users | Пользователи интернета | digital | count | persons | 6
Gross domestic product | Валовой внутренний продукт | trade | level | USD | 9
Industrial output | Объём промышленного производства | industry | level | USD | 9
Joint ventures with SCO partners | Совместные предприятия с партнёрами по ШОС | industry | count | count | 0
Industrial parks | Индустриальные парки | industry | count | count | 0
Remittances received | Денежные переводы мигрантов | finance | level | USD | 6
Labour migrants | Трудовые мигранты | social | count | persons | 3
Medical specialists trained | Подготовленные медицинские специалисты | health | count | persons | 0
Passenger flights per week | Пассажирские авиарейсы в неделю | transport | count | count | 0
Cultural events held | Проведённые культурные мероприятия | culture | count | count | 0
Water used for irrigation | Водозабор на орошение | water | level | t | 9
Carbon dioxide emissions | Выбросы углекислого газа | ecology | level | t | 6
Customs clearance time | Время таможенного оформления | customs | duration | h | 0
Waiting time at border crossings | Время ожидания на пунктах пропуска | customs | duration | h | 0
Rail delivery time from China to Europe | Срок доставки грузов по железной дороге из Китая в Европу | transport | duration | d | 0
Settlements in national currencies | Расчёты в национальных валютах | finance | share | % | 0
Unemployment rate | Уровень безработицы | social | share | % | 0
Renewables in electricity generation | Доля ВИЭ в производстве электроэнергии | energy | share | % | 0
SCO countries' share of world GDP | Доля стран ШОС в мировом ВВП | sco-development | share | % | 0
SCO countries' share of world trade | Доля стран ШОС в мировой торговле | trade | share | % | 0
Inflation | Инфляция | finance | growth_rate | % | 0
Economic growth | Экономический рост | trade | growth_rate | % | 0
Joint exercises held | Проведённые совместные учения | security | count | count | 0
Growth of trade turnover since SCO accession | Рост товарооборота со времени вступления в ШОС | trade | multiple | times | 0
""")  # noqa: E501
]
# English suffix | Russian suffix | measure kind | unit: indicators derived from a level or count
VARIANTS = table("""
 — annual growth | — темп роста | growth_rate | %
 — growth since the base period | — рост к базовому периоду | multiple | times
 — share of the SCO total | — доля в общем объёме по ШОС | share | %
""")
# body | slug prefix | months | numbered from (number = year − this) | English | Russian title
BODIES = [
    (body, prefix, [int(m) for m in months.split()], int(base) if base else None, en, ru)
    for body, prefix, months, base, en, ru in table("""
heads_of_state | chs | 6 | 2000 | Meeting of the SCO Council of Heads of State | Заседание Совета глав государств — членов ШОС
heads_of_government | chg | 11 | 2001 | Meeting of the SCO Council of Heads of Government | Заседание Совета глав правительств государств — членов ШОС
foreign_ministers | cfm | 4 10 | | Meeting of the SCO Council of Foreign Ministers | Заседание Совета министров иностранных дел ШОС
economy_ministers | mem | 9 | | Meeting of SCO Ministers of Economy and Trade | Совещание министров экономики и торговли ШОС
national_coordinators | cnc | 2 5 8 | | Meeting of the SCO Council of National Coordinators | Заседание Совета национальных координаторов ШОС
defence_ministers | mdm | 4 | | Meeting of SCO Defence Ministers | Совещание министров обороны ШОС
""")  # noqa: E501
]
BODY_ROLE = {
    "heads_of_state": "head_of_state",
    "heads_of_government": "head_of_government",
    "foreign_ministers": "foreign_minister",
    "economy_ministers": "economy_minister",
    "defence_ministers": "defence_minister",
}
COMMITMENTS_PER_MEETING = {
    "heads_of_state": 8,
    "heads_of_government": 6,
    "foreign_ministers": 2,
    "economy_ministers": 3,
    "national_coordinators": 1,
    "defence_ministers": 1,
}
SESSION_TITLES = {
    session_format: (en, ru)
    for session_format, en, ru in table("""
narrow | Meeting in narrow format | Заседание в узком составе
expanded | Meeting in expanded format | Заседание в расширенном составе
with_head_of_state | Meeting with the host head of state | Встреча с главой государства
plenary | Plenary session | Пленарное заседание
""")
}
DOCUMENTS = table("""
Joint communiqué | Совместное коммюнике
Declaration | Декларация
Programme of multilateral trade and economic cooperation | Программа многостороннего торгово-экономического сотрудничества
Plan of action on transport connectivity | План действий по транспортной взаимосвязанности
Statement on food security | Заявление о продовольственной безопасности
Decision on the budget of the SCO | Решение о бюджете ШОС
""")  # noqa: E501
# topic | English | Russian (an infinitive, so that a quote can say "Предлагаем …")
COMMITMENT_TITLES = table("""
transport | Develop the China–Kyrgyzstan–Uzbekistan railway corridor | Развивать железнодорожный коридор Китай — Кыргызстан — Узбекистан
transport | Expand the North–South international transport corridor | Расширять международный транспортный коридор «Север — Юг»
finance | Increase the share of national currencies in mutual settlements | Увеличивать долю национальных валют во взаимных расчётах
finance | Work towards an SCO Development Bank | Проработать создание Банка развития ШОС
digital | Launch a joint programme on artificial intelligence | Запустить совместную программу по искусственному интеллекту
customs | Simplify customs procedures at border crossings | Упрощать таможенные процедуры на пунктах пропуска
ecology | Adopt a programme of green development | Принять программу зелёного развития
energy | Expand cooperation in renewable energy | Расширять сотрудничество в сфере возобновляемой энергетики
water | Coordinate the use of transboundary water resources | Согласовывать использование трансграничных водных ресурсов
tourism | Hold a Year of Tourism of the SCO | Провести Год туризма ШОС
culture | Hold an SCO festival of culture | Провести фестиваль культуры ШОС
industry | Create joint industrial parks | Создавать совместные индустриальные парки
agriculture | Strengthen food security through joint projects | Укреплять продовольственную безопасность совместными проектами
health | Cooperate on sanitary and epidemiological safety | Сотрудничать в сфере санитарно-эпидемиологического благополучия
education | Expand the SCO University network | Расширять сеть Университета ШОС
trade | Double mutual trade within five years | Удвоить взаимный товарооборот в течение пяти лет
sco-development | Improve the SCO's working methods | Совершенствовать методы работы ШОС
""")  # noqa: E501
QUOTE_OPENINGS = ["Предлагаем {}.", "Считаем необходимым {}.", "Стороны договорились {}.",
                  "Призываем партнёров {}."]  # fmt: skip
# publisher | title | language | address ({}: the year) — example.org addresses: not real
INTERNATIONAL_SOURCES = table("""
World Bank | World Development Indicators {} | en | https://wdi.example.org/{}
International Monetary Fund | Direction of Trade Statistics {} | en | https://dots.example.org/{}
UNCTAD | World Investment Report {} | en | https://wir.example.org/{}
SCO Secretariat | Report of the SCO Secretary-General {} | ru | https://sco-reports.example.org/{}
Eurasian Development Bank | Eurasian integration in figures {} | ru | https://edb.example.org/{}
""")
MONTHS_EN = list(table("Jan | Feb | Mar | Apr | May | Jun | Jul | Aug | Sep | Oct | Nov | Dec")[0])
MONTHS_RU = list(
    table("январь | февраль | март | апрель | май | июнь | июль | август | сентябрь | октябрь")[0]
) + ["ноябрь", "декабрь"]
COMPARATORS = [("exact", 50), ("approximately", 15), ("more_than", 15), ("nearly", 7),
               ("less_than", 5), ("up_to", 4), ("at_least", 4)]  # fmt: skip
# comparator | Russian | English (each word with its trailing space)
COMPARATOR_WORDS = {"ru": {}, "en": {}}
for _name, _ru, _en in table("""
exact | |
approximately | около | about
more_than | более | more than
less_than | менее | less than
nearly | почти | nearly
up_to | до | up to
at_least | не менее | at least
"""):
    COMPARATOR_WORDS["ru"][_name] = f"{_ru} " if _ru else ""
    COMPARATOR_WORDS["en"][_name] = f"{_en} " if _en else ""
MULTIPLIER_WORDS = {
    "ru": {0: "", 3: " тыс.", 6: " млн", 9: " млрд", 12: " трлн"},
    "en": {0: "", 3: " thousand", 6: " million", 9: " billion", 12: " trillion"},
}
UNIT_WORDS = {
    "ru": {"t": " тонн", "km": " км", "persons": " человек", "count": "", "h": " ч",
           "d": " дней", "CNY": " юаней", "RUB": " рублей", "KZT": " тенге", "INR": " рупий"},
    "en": {"t": " tonnes", "km": " km", "persons": " people", "count": "", "h": " hours",
           "d": " days", "CNY": " yuan", "RUB": " roubles", "KZT": " tenge", "INR": " rupees"},
}  # fmt: skip
NATIONAL_CURRENCY = {"CN": "CNY", "RU": "RUB", "KZ": "KZT", "IN": "INR"}
VALUE_RANGES = {  # (unit, multiplier) → (low, high) in tenths
    ("USD", 9): (5, 7000), ("USD", 6): (50, 50000), ("USD", 12): (5, 60), ("t", 6): (5, 4000),
    ("t", 9): (5, 900), ("km", 0): (500, 50000), ("persons", 3): (100, 50000),
    ("persons", 6): (5, 9000), ("persons", 0): (100, 200000), ("count", 0): (10, 3000),
    ("count", 3): (10, 20000), ("h", 0): (5, 720), ("d", 0): (50, 300), ("%", 0): (1, 600),
    ("times", 0): (11, 120),
}  # fmt: skip
EDIT_REASONS = {
    kind: reasons.split(" / ")
    for kind, reasons in table("""
value | Corrected per the statistics office's revised release / Value revised: final data published / Исправлено по уточнённым данным / The ministry corrected the figure in a later release
quote | Quote copied again from the source / Fixed a typo in the quote / Цитата сверена с источником
note | Added how the statement was read / Editorial note clarified / Пояснение к прочтению цифры
comparator | The source says «около», not an exact value / Comparator read again from the source's words
label | Period label made explicit / Период уточнён по тексту источника
estimate | The speaker quoted another body's estimate / Estimate attributed
""")  # noqa: E501
}
NOTES = [
    "«Более» recorded as more than.",
    "The source gives a rounded value.",
    "Period read as the calendar year.",
    "The speaker quoted the national statistics office.",
    "Preliminary data; the final figure may differ.",
    "Прочтено как оценка за год.",
]
WITHDRAWALS = [
    "Withdrawn: the source retracted the figure",
    "Withdrawn pending a check against the source",
    "Снято с публикации: источник уточняет данные",
]
ESTIMATORS = ["World Bank", "IMF", "UNCTAD", "Eurasian Development Bank", "national statistics"]


def day(text: str) -> datetime.date:
    return datetime.date.fromisoformat(text)


def micros(moment: datetime.date | datetime.datetime) -> int:
    if not isinstance(moment, datetime.datetime):
        moment = datetime.datetime.combine(moment, datetime.time(), tzinfo=datetime.UTC)
    return (moment - EPOCH) // datetime.timedelta(microseconds=1)


def moment(t: int) -> datetime.datetime:
    return EPOCH + datetime.timedelta(microseconds=t)


def weighted(rng, pairs):
    values, weights = zip(*pairs, strict=True)
    return rng.choices(values, weights)[0]


def status_at(statuses, when: datetime.date):
    """(SCO status, since) of a country on ``when``."""
    current = ("none", None)
    for since, status in statuses:
        if day(since) <= when:
            current = (status, day(since))
    return current


def cap(text: str) -> str:
    return text[:1].upper() + text[1:]


def number_text(value: Decimal, language: str) -> str:
    text = format(value.normalize(), "f")
    return text.replace(".", ",") if language == "ru" else text


def stated(language, comparator, value, multiplier, unit) -> str:
    """The number in a source's words: «более $67 млрд», "about 33.3%"."""
    number = number_text(value, language)
    scale = MULTIPLIER_WORDS[language][multiplier]
    if unit == "USD":
        body = f"${number}{scale}"
    elif unit == "%":
        body = f"{number}%"
    elif unit == "times":
        body = f"в {number} раза" if language == "ru" else f"{number} times"
    else:
        body = f"{number}{scale}{UNIT_WORDS[language][unit]}"
    return COMPARATOR_WORDS[language][comparator] + body


class Visibility:
    """When a parent record was public: its (moment, public) transitions."""

    def __init__(self, changes):
        self.times = [t for t, _ in changes]
        self.states = [state for _, state in changes]

    def at(self, t) -> bool:
        index = bisect_right(self.times, t) - 1
        return index >= 0 and self.states[index]

    def next_public(self, t):
        """The first moment ≥ t at which it is public (None if never again)."""
        if self.at(t):
            return t
        for index in range(bisect_right(self.times, t), len(self.times)):
            if self.states[index]:
                return self.times[index]
        return None

    @classmethod
    def both(cls, first, second):
        times = sorted(set(first.times) | set(second.times))
        return cls([(t, first.at(t) and second.at(t)) for t in times])


ALWAYS = Visibility([(0, True)])


def first_public(parents, t, limit):
    """The first moment ≥ t before ``limit`` at which every parent is public, or None."""
    for _ in range(50):
        later = t
        for parent in parents:
            found = parent.next_public(t)
            if found is None:
                return None
            later = max(later, found)
        if later == t:
            return t if t < limit else None
        t = later
    return None


class Record:
    """A record being planned: its current content, its revisions and its sets."""

    __slots__ = ("id", "content", "revs", "shown", "deleted", "m2m", "own", "forced")

    def __init__(self, record_id, content, m2m=None):
        self.id = record_id
        self.content = content
        self.revs = []  # (t, type, user, reason, delta, public_kind, m2m, revert index)
        self.shown = False  # its own state is public after the latest revision
        self.deleted = False
        self.m2m = m2m  # {field: ((through row id, target id), …)}, replaced on change
        self.own = []  # (t, own state public), for the records whose parent it is
        self.forced = None  # its parents' withdrawals still to come: (t, user, reason, name)


PUBLISHABLE = {Meeting, Commitment, Indicator, Figure}
PARENT_MODELS = {Meeting, Commitment, Indicator}
CHILD_MODELS = {Commitment, Figure}  # publishable, with a publishable parent


class Planner:
    """Plans every record's revisions in time order, deciding each revision's public kind
    as the engine would have when writing it."""

    def __init__(self, *, figures, revisions, seed, end, users, db):
        self.figure_count, self.revisions, self.seed = figures, revisions, seed
        self.end = micros(end)
        self.start = self.end - YEARS * 365 * DAY - 5 * DAY
        self.start_date = moment(self.start).date()
        self.end_date = end
        self.editors, self.reviewers, self.chief = users
        self.db = db  # what the database already holds: ids, unique values, seed keys
        self.rng = random.Random(f"{seed}:reference")
        self.records = {model: [] for model in GENERATED_MODELS}
        self.visibility = {}  # (model, id) → Visibility
        self.next_ids = dict(db["next_ids"])
        self.through_ids = dict(db["next_through_ids"])
        self.full = figures >= 20_000  # the full set of bodies, publishers and commitments
        self.countries = {}  # code → (id, English, Russian, genitive, statuses)
        self.topics = {}  # slug → id
        self.people = {}  # (code, role) → (id, English, Russian)
        self.stat_sources = {}  # (code or None, year) → [(id, created, language, publisher)]
        self.indicators = []  # (record, weight)
        self.meetings = []  # (record, end date, releases, {code: head id}, summarised at)
        self.withdrawals = {}  # (parent model, id) → [(t, user, reason, name)]

    # --- bookkeeping ------------------------------------------------------------------

    def new_id(self, model, preferred=None):
        if preferred is not None and preferred not in self.db["taken"].get(model, ()):
            return preferred
        value = self.next_ids[model]
        self.next_ids[model] = value + 1
        return value

    def through_id(self, model, field):
        key = (model, field)
        value = self.through_ids[key]
        self.through_ids[key] = value + 1
        return value

    def unique(self, kind, value):
        """``value`` made unique among the database's, the seed's and ours (slug-2…)."""
        taken = self.db["unique"].setdefault(kind, set())
        candidate, n = value, 1
        while candidate in taken:
            n += 1
            candidate = f"{value}-{n}"
        taken.add(candidate)
        return candidate

    def editor(self, rng=None):
        return (rng or self.rng).choice(self.editors)

    def reviewer(self, rng=None):
        return (rng or self.rng).choice(self.reviewers)

    def parents_public(self, model, content, t) -> bool:
        for foreign_key, optional in model.tracking.parents:
            parent_id = content[foreign_key.attname]
            if parent_id is None:
                if optional:
                    continue
                return False
            if not self.visibility[(foreign_key.related_model, parent_id)].at(t):
                return False
        return True

    def revise(
        self, model, rec, t, user, reason="", changes=None, *, delete=False, revert=None, m2m=None
    ):
        """One revision of ``rec`` at ``t`` (moved just after its previous one if needed);
        False, and nothing written, when that falls after the end."""
        if rec.revs:
            if model in CHILD_MODELS:
                self.catch_up(model, rec, t)
            t = max(t, rec.revs[-1][0] + 1)
        if t >= self.end:
            return False
        if m2m is not None:
            if rec.revs and all(set(m2m[k]) == set(rec.m2m[k]) for k in m2m):
                m2m = None
            else:
                rec.m2m = m2m
        if not rec.revs:
            if changes:
                rec.content.update(changes)
            delta, history_type, reason = dict(rec.content), "+", reason or "Created"
        else:
            content = rec.content
            delta = {k: v for k, v in (changes or {}).items() if content[k] != v}
            if not (delta or m2m is not None or delete):
                raise AssertionError(f"{model.__name__} #{rec.id}: a revision changes something")
            rec.content.update(delta)
            history_type = "-" if delete else "~"
            reason = reason or ("Deleted" if delete else "")
            if not reason:
                raise AssertionError("a change has a reason")
        own_now = not delete and (model not in PUBLISHABLE or rec.content["state"] == "published")
        parents = self.parents_public(model, rec.content, t)
        now, before = own_now and parents, rec.shown and parents
        if now and before:
            kind = "reverted" if revert is not None else "changed"
        elif now:
            kind = "created" if history_type == "+" else "published"
        elif before:
            kind = "deleted" if delete else "withdrawn"
        else:
            kind = ""
        rec.shown = own_now
        rec.deleted = delete
        rec.revs.append((t, history_type, user, reason, delta, kind, rec.m2m, revert))
        if model in PARENT_MODELS:
            rec.own.append((t, own_now))
            if delta.get("state") == "withdrawn":
                name = rec.content.get("name_en") or rec.content["title_en"]
                self.withdrawals.setdefault((model, rec.id), []).append((t, user, reason, name))
        return True

    def catch_up(self, model, rec, t):
        """Withdrawing a parent withdraws its public children first, in the same block
        (``workflow.withdraw_children``): each gets its own withdrawal revision, just
        before the parent's."""
        if rec.forced is None:
            created = rec.revs[0][0]
            rec.forced = sorted(
                entry
                for foreign_key, _optional in model.tracking.parents
                if foreign_key.related_model in PARENT_MODELS
                and rec.content[foreign_key.attname] is not None
                for entry in self.withdrawals.get(
                    (foreign_key.related_model, rec.content[foreign_key.attname]), ()
                )
                if entry[0] > created + 1
            )
        while rec.forced and rec.forced[0][0] <= t + 1:
            moment_, user, reason, name = rec.forced.pop(0)
            if rec.content["state"] == "published" and self.parents_public(
                model, rec.content, moment_ - 1
            ):
                self.revise(model, rec, moment_ - 1, user, f"Withdrawn with “{name}”: {reason}",
                            {"state": "withdrawn"})  # fmt: skip

    def settle(self, model):
        """Once a parent model is planned: when each of its records was public."""
        for rec in self.records[model]:
            own = Visibility(rec.own)
            for foreign_key, _optional in model.tracking.parents:
                parent = self.visibility[
                    (foreign_key.related_model, rec.content[foreign_key.attname])
                ]
                own = Visibility.both(own, parent)
            self.visibility[(model, rec.id)] = own

    def spread(self, rng, low, high, count):
        """``count`` sorted distinct moments in [low, high)."""
        if high - low <= count:  # crowded at the end: the revisions follow each other
            return [min(low, high - count) + i for i in range(count)]
        return sorted(rng.sample(range(low, high), count))

    # --- reference records ------------------------------------------------------------

    def plan_reference(self):
        rng = self.rng
        for code, en, ru, genitive, _pool, statuses in COUNTRIES:
            existing = self.db["countries"].get(code)
            if existing is not None:
                self.countries[code] = (existing, en, ru, genitive, statuses)
                continue
            status, since = status_at(statuses, self.start_date)
            record_id = self.new_id(Country, self.db["seed_country_pks"].get(code))
            rec = Record(
                record_id,
                {
                    "id": record_id,
                    "code": code,
                    "name_en": en,
                    "name_ru": ru,
                    "sco_status": status,
                    "sco_status_since": since,
                },
            )
            self.revise(Country, rec, self.start + rng.randrange(HOUR, 3 * DAY), self.editor())
            for since_text, new_status in statuses:
                t = micros(day(since_text))
                if self.start < t and new_status != rec.content["sco_status"]:
                    self.revise(
                        Country,
                        rec,
                        t + rng.randrange(HOUR, 5 * DAY),
                        self.editor(),
                        f"SCO status since {since_text}",
                        {"sco_status": new_status, "sco_status_since": day(since_text)},
                    )
            self.records[Country].append(rec)
            self.countries[code] = (record_id, en, ru, genitive, statuses)
        for slug, en, ru in TOPICS:
            existing = self.db["topics"].get(slug)
            if existing is not None:
                self.topics[slug] = existing
                continue
            record_id = self.new_id(Topic, self.db["seed_topic_pks"].get(slug))
            rec = Record(
                record_id,
                {"id": record_id, "slug": self.unique("topic", slug), "name_en": en, "name_ru": ru},
            )
            self.revise(Topic, rec, self.start + rng.randrange(HOUR, 5 * DAY), self.editor())
            self.records[Topic].append(rec)
            self.topics[slug] = record_id
        for code, en, _ru, genitive, pool, _statuses in COUNTRIES:
            given, family = NAMES[pool]
            used = set()
            for role, (office_en, office_ru) in OFFICES.items():
                while True:
                    first, last = rng.choice(given), rng.choice(family)
                    if (first, last) not in used:
                        break
                used.add((first, last))
                name_en, name_ru = f"{first[0]} {last[0]}", f"{first[1]} {last[1]}"
                record_id = self.new_id(Person)
                rec = Record(
                    record_id,
                    {
                        "id": record_id,
                        "slug": self.unique("person", slugify(f"{name_en} {code}")),
                        "name_en": name_en,
                        "name_ru": name_ru,
                        "country_id": self.countries[code][0],
                    },
                )
                self.revise(Person, rec, self.start + rng.randrange(DAY, 20 * DAY), self.editor())
                self.records[Person].append(rec)
                self.people[(code, role)] = (
                    record_id,
                    name_en,
                    name_ru,
                    office_en.format(en),
                    office_ru.format(genitive),
                )
        self.plan_statistics()

    def plan_statistics(self):
        """Yearbooks of national statistics offices and international databases."""
        rng = self.rng
        step = 1 if self.full else 5
        publishers = [
            (
                code,
                f"National statistics office of {en}",
                f"Statistical yearbook of {en} {{}}",
                "ru" if pool == "cis" else "en",
                f"https://statistics.{code.lower()}.example/{{}}",
            )
            for code, en, _ru, _gen, pool, statuses in COUNTRIES
            if self.full or status_at(statuses, self.end_date)[0] == MEMBER
        ] + [(None, *entry) for entry in INTERNATIONAL_SOURCES]
        for year in range(self.start_date.year, self.end_date.year + 1, step):
            for code, publisher, title, language, url in publishers:
                published = datetime.date(year, 3, 1) + datetime.timedelta(rng.randrange(120))
                t = micros(published) + rng.randrange(HOUR, 30 * DAY)
                if not self.start < t < self.end - DAY:
                    continue
                record_id = self.new_id(Source)
                rec = Record(
                    record_id,
                    {
                        "id": record_id,
                        "title": title.format(year),
                        "publisher": publisher,
                        "url": self.unique("url", url.format(year)),
                        "published_on": published,
                        "language": language,
                        "text": "",
                        "notes": "",
                    },
                )
                self.revise(Source, rec, t, self.editor())
                self.records[Source].append(rec)
                self.stat_sources.setdefault((code, year), []).append(
                    (record_id, t, language, publisher)
                )

    # --- indicators -------------------------------------------------------------------

    def plan_indicators(self):
        rng = random.Random(f"{self.seed}:indicators")
        catalogue = [concept for concept in CONCEPTS]
        for en, ru, topic, kind, _unit, _multiplier in CONCEPTS:
            if kind in ("level", "count"):
                for suffix_en, suffix_ru, variant_kind, unit in VARIANTS:
                    catalogue.append(
                        (f"{en} {suffix_en}", f"{ru} {suffix_ru}", topic, variant_kind, unit, 0)
                    )
        count = min(120, max(15, self.figure_count // 800))
        for rank, (en, ru, topic, kind, unit, multiplier) in enumerate(catalogue[:count]):
            record_id = self.new_id(Indicator)
            rec = Record(
                record_id,
                {
                    "id": record_id,
                    "state": "draft",
                    "slug": self.unique("indicator", slugify(en)),
                    "name_en": en,
                    "name_ru": ru,
                    "definition_en": f"{en}, as stated by officials and statistical sources.",
                    "definition_ru": f"{ru}: по заявлениям официальных лиц и данным статистики.",
                    "measure_kind": kind,
                    "default_unit": unit,
                    "default_unit_multiplier": multiplier,
                    "topic_id": self.topics[topic],
                },
            )
            if rng.random() < 0.85:
                created = self.start + rng.randrange(2 * DAY, 90 * DAY)
            else:
                created = rng.randrange(self.start + 365 * DAY, self.end - 365 * DAY)
            self.revise(Indicator, rec, created, self.editor(rng))
            t = created + rng.randrange(HOUR, 20 * DAY)
            fate = rng.random()
            if fate < 0.03:
                self.revise(
                    Indicator,
                    rec,
                    t,
                    self.editor(rng),
                    "Submitted for review",
                    {"state": "in_review"},
                )
            elif fate >= 0.05:  # else left in draft
                self.revise(
                    Indicator,
                    rec,
                    t,
                    self.reviewer(rng),
                    "Definition checked",
                    {"state": "published"},
                )
                later = self.spread(rng, t + DAY, self.end, rng.randrange(4))
                withdraw_at = rng.randrange(len(later) + 1) if rng.random() < 0.04 else None
                for index, moment_ in enumerate(later):
                    if index == withdraw_at:
                        self.revise(
                            Indicator,
                            rec,
                            moment_,
                            self.reviewer(rng),
                            "Withdrawn: the definition is being reworked",
                            {"state": "withdrawn"},
                        )
                    elif withdraw_at is not None and index == withdraw_at + 1:
                        self.revise(
                            Indicator,
                            rec,
                            moment_,
                            self.reviewer(rng),
                            "Republished with the reworked definition",
                            {"state": "published"},
                        )
                    else:
                        version = f" (revised {moment(moment_).year})"
                        self.revise(
                            Indicator,
                            rec,
                            moment_,
                            self.editor(rng),
                            rng.choice(["Definition clarified", "Уточнено определение"]),
                            {"definition_en": rec.content["definition_en"] + version},
                        )
            self.records[Indicator].append(rec)
            self.indicators.append((rec, 1 / (rank + 1) ** 0.5))
        self.settle(Indicator)

    # --- meetings, their sessions, delegations and commitments --------------------------

    def plan_meetings(self):
        rng = random.Random(f"{self.seed}:meetings")
        bodies = BODIES if self.full else BODIES[: 2 if self.figure_count < 2000 else 3]
        topic_ids = list(self.topics.values())
        for year in range(self.start_date.year, self.end_date.year + 1):
            for index, (body, prefix, months, numbered, title_en, title_ru) in enumerate(bodies):
                for month in months:
                    start = datetime.date(year, month, rng.randrange(1, 26))
                    if not self.start + 30 * DAY < micros(start) < self.end - 3 * DAY:
                        continue
                    members = [c for c, *_r, st in COUNTRIES if status_at(st, start)[0] == MEMBER]
                    host = members[(year + index + month) % len(members)]
                    self.plan_meeting(
                        rng,
                        body,
                        prefix,
                        numbered,
                        title_en,
                        title_ru,
                        start,
                        host,
                        rng.choice(CITIES[host]),
                        topic_ids,
                    )
        self.settle(Meeting)

    def plan_meeting(
        self, rng, body, prefix, numbered, title_en, title_ru, start, host, city, topic_ids
    ):
        end = start + datetime.timedelta(days=rng.randrange(2))
        number = start.year - numbered if numbered else None
        if number is not None and (body, number) in self.db["unique"]["meeting_number"]:
            number = None
        if number is not None:
            suffix = {1: "st", 2: "nd", 3: "rd"}.get(number % 10 if number // 10 != 1 else 0, "th")
            title = (
                f"{number}{suffix} {title_en[0].lower()}{title_en[1:]}",
                f"{number}-е {title_ru[0].lower()}{title_ru[1:]}",
            )
        else:
            title = (
                f"{title_en} ({city[0]}, {start.year})",
                f"{title_ru} ({city[1]}, {start.year})",
            )
        role = BODY_ROLE.get(body)
        chair = self.people.get((host, role)) if role else None
        record_id = self.new_id(Meeting)
        topics = tuple(
            (self.through_id(Meeting, "topics"), topic)
            for topic in rng.sample(topic_ids, rng.randrange(2, 5))
        )
        rec = Record(
            record_id,
            {
                "id": record_id,
                "state": "draft",
                "body": body,
                "number": number,
                "title_en": title[0],
                "title_ru": title[1],
                "slug": self.unique("meeting", f"{prefix}-{start.year}-{slugify(city[0])}"),
                "start_date": start,
                "end_date": end,
                "city_en": city[0],
                "city_ru": city[1],
                "host_country_id": self.countries[host][0],
                "chair_id": chair[0] if chair else None,
                "chair_office_en": chair[3] if chair else "",
                "chair_office_ru": chair[4] if chair else "",
                "summary_en": "",
                "summary_ru": "",
                "documents_signed_en": "",
                "documents_signed_ru": "",
            },
            {"topics": topics, "sources": ()},
        )
        created = micros(start) - rng.randrange(3 * DAY, 20 * DAY)
        user = self.editor(rng)
        self.revise(Meeting, rec, created, user)
        self.records[Meeting].append(rec)
        self.visibility[(Meeting, record_id)] = Visibility([])  # a draft, for its children
        # The sessions and delegations entered with it (inlines: one revision block).
        children = []
        formats = (
            ["narrow", "expanded"] + (["with_head_of_state"] if rng.random() < 0.4 else [])
            if body in ("heads_of_state", "heads_of_government")
            else ["plenary"]
        )
        for offset, session_format in enumerate(formats, 1):
            session_id = self.new_id(Session)
            with_person = (
                self.people[(host, "head_of_state")][0]
                if (session_format == "with_head_of_state")
                else None
            )
            session = Record(
                session_id,
                {
                    "id": session_id,
                    "format": session_format,
                    "title_en": SESSION_TITLES[session_format][0],
                    "title_ru": SESSION_TITLES[session_format][1],
                    "date": end if session_format == "expanded" else start,
                    "summary_en": "",
                    "summary_ru": "",
                    "meeting_id": record_id,
                    "with_person_id": with_person,
                },
            )
            self.revise(Session, session, created + offset, user)
            self.records[Session].append(session)
            children.append((Session, session))
        delegations = {}
        for code, *_rest, statuses in COUNTRIES:
            status = status_at(statuses, start)[0]
            if status != MEMBER and not (
                body == "heads_of_state" and status != "none" and rng.random() < 0.5
            ):
                continue
            head = self.people.get((code, role)) if role else None
            delegation_id = self.new_id(Delegation)
            delegation = Record(
                delegation_id,
                {
                    "id": delegation_id,
                    "meeting_id": record_id,
                    "country_id": self.countries[code][0],
                    "head_id": head[0] if head else None,
                    "head_office_en": head[3] if head else "",
                    "head_office_ru": head[4] if head else "",
                },
            )
            self.revise(Delegation, delegation, created + 10 + len(delegations), user)
            self.records[Delegation].append(delegation)
            children.append((Delegation, delegation))
            delegations[code] = head[0] if head else None
        t = created + rng.randrange(HOUR, max(2 * HOUR, micros(start) - created))
        self.revise(
            Meeting,
            rec,
            t,
            self.editor(rng),
            "Programme confirmed",
            {"summary_en": "Agenda published.", "summary_ru": "Повестка опубликована."},
        )
        # The official releases after it, then its summary from them.
        releases = []
        for code in [
            host,
            *rng.sample(sorted(set(delegations) - {host}), min(2, len(delegations) - 1)),
        ][: rng.randrange(2, 4)]:
            _cid, en, ru, genitive, statuses = self.countries[code]
            russian = code in ("RU", "KZ", "KG", "TJ", "UZ", "BY")
            source_id = self.new_id(Source)
            source = Record(
                source_id,
                {
                    "id": source_id,
                    "title": (
                        f"Правительство {genitive}: об итогах заседания ({city[1]}, {end:%d.%m.%Y})"
                        if russian
                        else f"Government of {en}: outcome of the meeting in {city[0]} "
                        f"({end:%d %B %Y})"
                    ),
                    "publisher": f"Правительство {genitive}" if russian else f"Government of {en}",
                    "url": self.unique(
                        "url", f"https://gov.{code.lower()}.example/press/{rec.content['slug']}"
                    ),
                    "published_on": end,
                    "language": "ru" if russian else "en",
                    "text": "",
                    "notes": "",
                },
            )
            if self.revise(
                Source, source, micros(end) + rng.randrange(6 * HOUR, 3 * DAY), self.editor(rng)
            ):
                self.records[Source].append(source)
                releases.append(source)
        if not releases:
            self.visibility[(Meeting, record_id)] = Visibility(rec.own)
            return
        sources = tuple((self.through_id(Meeting, "sources"), s.id) for s in releases)
        documents = rng.sample(DOCUMENTS, rng.randrange(1, 4))
        t = max(s.revs[0][0] for s in releases) + rng.randrange(HOUR, 2 * DAY)
        summarised = self.revise(
            Meeting,
            rec,
            t,
            self.editor(rng),
            "Summary and documents from the official releases",
            {
                "summary_en": f"The meeting in {city[0]} discussed "
                f"{len(rec.m2m['topics'])} topics; "
                f"{len(delegations)} delegations took part.",
                "summary_ru": f"На заседании в городе {city[1]} обсуждались вопросы "
                f"сотрудничества; участвовали {len(delegations)} делегаций.",
                "documents_signed_en": "\n".join(d[0] for d in documents),
                "documents_signed_ru": "\n".join(d[1] for d in documents),
            },
            m2m={"topics": rec.m2m["topics"], "sources": sources},
        )
        t += rng.randrange(HOUR, 3 * DAY)
        published = None
        if self.revise(
            Meeting, rec, t, self.editor(rng), "Submitted for review", {"state": "in_review"}
        ):
            t += rng.randrange(HOUR, 7 * DAY)
            if self.revise(
                Meeting,
                rec,
                t,
                self.reviewer(rng),
                "Checked against the releases",
                {"state": "published"},
            ):
                published = t
        if published is not None:
            self.meeting_later_edits(rng, rec, published, topic_ids, children)
        self.visibility[(Meeting, record_id)] = Visibility(rec.own)
        if summarised:
            self.meetings.append((rec, end, releases, delegations, rec.revs[2][0]))

    def meeting_later_edits(self, rng, rec, published, topic_ids, children):
        later = self.spread(rng, published + DAY, self.end, rng.randrange(4))
        withdraw_at = rng.randrange(len(later) + 1) if rng.random() < 0.03 else None
        for index, t in enumerate(later):
            if index == withdraw_at:
                self.revise(
                    Meeting,
                    rec,
                    t,
                    self.reviewer(rng),
                    "Withdrawn: the releases disagree on the dates",
                    {"state": "withdrawn"},
                )
            elif withdraw_at is not None and index == withdraw_at + 1:
                self.revise(
                    Meeting,
                    rec,
                    t,
                    self.reviewer(rng),
                    "Republished: dates confirmed",
                    {"state": "published"},
                )
            elif rng.random() < 0.3:
                extra = [
                    topic
                    for topic in topic_ids
                    if topic not in {target for _, target in rec.m2m["topics"]}
                ]
                topics = rec.m2m["topics"] + ((self.through_id(Meeting, "topics"), extra[0]),)
                self.revise(
                    Meeting,
                    rec,
                    t,
                    self.editor(rng),
                    "Topic added from the communiqué",
                    m2m={"topics": topics, "sources": rec.m2m["sources"]},
                )
            else:
                self.revise(
                    Meeting,
                    rec,
                    t,
                    self.editor(rng),
                    rng.choice(["Summary corrected", "Уточнено краткое содержание"]),
                    {"summary_en": rec.content["summary_en"] + " Corrected."},
                )
        self.visibility[(Meeting, rec.id)] = Visibility(rec.own)
        for model, child in children:
            if rng.random() < 0.15:
                t = rng.randrange(published, self.end)
                if model is Delegation:
                    changes = {
                        "head_office_en": (child.content["head_office_en"] or "Head") + " (acting)"
                    }
                else:
                    changes = {"summary_en": "Held as planned."}
                self.revise(
                    model, child, t, self.editor(rng), "Checked against the releases", changes
                )

    def plan_commitments(self):
        rng = random.Random(f"{self.seed}:commitments")
        scale = 1 if self.full else max(0.25, self.figure_count / 20_000)
        for meeting, end, releases, delegations, summary_t in self.meetings:
            count = COMMITMENTS_PER_MEETING[meeting.content["body"]] * scale
            count = int(count) + (rng.random() < count - int(count))
            meeting_vis = self.visibility[(Meeting, meeting.id)]
            for _ in range(count):
                topic, title_en, title_ru = rng.choice(COMMITMENT_TITLES)
                record_id = self.new_id(Commitment)
                countries = rng.sample(
                    sorted(delegations), min(len(delegations), rng.randrange(1, 5))
                )
                heads = [delegations[c] for c in countries if delegations[c] is not None]
                m2m = {
                    "countries": tuple(
                        (self.through_id(Commitment, "countries"), self.countries[c][0])
                        for c in countries
                    ),
                    "people": tuple(
                        (self.through_id(Commitment, "people"), p)
                        for p in heads[: rng.randrange(3)]
                    ),
                }
                target = (
                    datetime.date(end.year + rng.randrange(1, 6), 12, 31)
                    if rng.random() < 0.3
                    else None
                )
                rec = Record(
                    record_id,
                    {
                        "id": record_id,
                        "state": "draft",
                        "meeting_id": meeting.id,
                        "title_en": title_en,
                        "title_ru": title_ru,
                        "kind": rng.choice(
                            ["proposal", "pledge", "joint_decision", "support", "national_project"]
                        ),
                        "status": "proposed",
                        "topic_id": self.topics[topic],
                        "target_date": target,
                        "notes": "",
                    },
                    m2m,
                )
                t = summary_t + rng.randrange(DAY, 20 * DAY)
                user = self.editor(rng)
                if not self.revise(Commitment, rec, t, user):
                    continue
                self.records[Commitment].append(rec)
                self.commitment_lifecycle(rng, rec, t, meeting_vis)
                self.catch_up(Commitment, rec, self.end)
                self.visibility[(Commitment, record_id)] = Visibility.both(
                    Visibility(rec.own), meeting_vis
                )
                for offset, source in enumerate(
                    rng.sample(releases, min(len(releases), rng.randrange(1, 3)))
                ):
                    quote_id = self.new_id(CommitmentQuote)
                    opening = rng.choice(QUOTE_OPENINGS)
                    quote = Record(
                        quote_id,
                        {
                            "id": quote_id,
                            "commitment_id": record_id,
                            "source_id": source.id,
                            "quote": opening.format(title_ru[0].lower() + title_ru[1:]),
                        },
                    )
                    self.revise(CommitmentQuote, quote, t + 1 + offset, user)
                    self.records[CommitmentQuote].append(quote)
        for quote in self.records[CommitmentQuote]:
            if rng.random() < 0.1:
                self.revise(
                    CommitmentQuote,
                    quote,
                    rng.randrange(quote.revs[0][0], self.end),
                    self.editor(rng),
                    "Quote completed from the source",
                    {"quote": quote.content["quote"][:-1] + " в ближайшие годы."},
                )

    def commitment_lifecycle(self, rng, rec, t, meeting_vis):
        t += rng.randrange(HOUR, 5 * DAY)
        if not self.revise(
            Commitment, rec, t, self.editor(rng), "Submitted for review", {"state": "in_review"}
        ):
            return
        publish = first_public([meeting_vis], t + rng.randrange(HOUR, 10 * DAY), self.end)
        if publish is None or not self.revise(
            Commitment,
            rec,
            publish,
            self.reviewer(rng),
            "Checked against the quotes",
            {"state": "published"},
        ):
            return
        t = publish
        for status in (
            "in_progress",
            rng.choice(["achieved", "achieved", "stalled", "in_progress"]),
            "dropped",
        ):
            if status == rec.content["status"] or (
                status == "dropped" and rec.content["status"] != "stalled"
            ):
                continue
            t += rng.randrange(120 * DAY, 3 * 365 * DAY)
            if not self.revise(
                Commitment,
                rec,
                t,
                self.editor(rng),
                f"Status per the {moment(t).year} progress report",
                {"status": status},
            ):
                return
        withdrawal = rng.randrange(publish, self.end)
        self.catch_up(Commitment, rec, withdrawal)
        if rng.random() < 0.03 and rec.content["state"] == "published":
            self.revise(
                Commitment,
                rec,
                withdrawal,
                self.reviewer(rng),
                "Withdrawn: the quote does not support it",
                {"state": "withdrawn"},
            )
        elif rng.random() < 0.2 and len(self.countries) > len(rec.m2m["countries"]):
            present = {target for _, target in rec.m2m["countries"]}
            joining = next(c[0] for c in self.countries.values() if c[0] not in present)
            countries = rec.m2m["countries"] + (
                (self.through_id(Commitment, "countries"), joining),
            )
            self.revise(
                Commitment,
                rec,
                rng.randrange(publish, self.end),
                self.editor(rng),
                "Another country joined the initiative",
                m2m={"countries": countries, "people": rec.m2m["people"]},
            )

    # --- figures ------------------------------------------------------------------------

    def figure_choices(self):
        subjects = []
        for code, (country_id, en, ru, _gen, statuses) in self.countries.items():
            weight = STATUS_WEIGHT[status_at(statuses, self.end_date)[0]]
            weight *= 2.4 if code in ("CN", "RU", "KZ") else 1
            subjects.append((("country", country_id, code, en, ru), weight))
        total = sum(weight for _, weight in subjects)
        subjects.append((("sco", None, None, "SCO countries", "страны ШОС"), total * 0.1))
        subjects.append((("world", None, None, "the world", "мир"), total * 0.05))
        first = self.start_date.year - 2
        years = [(year, 1 + year - first) for year in range(first, self.end_date.year)]
        by_year = {}
        for meeting in self.meetings:
            by_year.setdefault(meeting[1].year, []).append(meeting)

        def cumulative(pairs):
            values, weights, running = [], [], 0
            for value, weight in pairs:
                running += weight
                values.append(value)
                weights.append(running)
            return values, weights

        return cumulative(self.indicators), cumulative(subjects), cumulative(years), by_year

    def plan_figures(self, progress):
        rng = random.Random(f"{self.seed}:figures")
        (indicators, ind_w), (subjects, subj_w), (years, year_w), by_year = self.figure_choices()
        counts = [self.revisions] * self.figure_count
        for i in range(0, self.figure_count - 1, 2):  # N × K in all, 1 … 2K − 1 each
            deviation = rng.randrange(-(self.revisions - 1), self.revisions)
            counts[i] += deviation
            counts[i + 1] -= deviation
        used = set()
        for index, revisions in enumerate(counts):
            for _attempt in range(200):
                placed = self.place_figure(
                    rng, indicators, ind_w, subjects, subj_w, years, year_w, by_year, used
                )
                if placed is not None:
                    break
            else:
                raise CommandError("Could not place a figure: too many for the reference data.")
            self.figure_lifecycle(rng, revisions, *placed)
            if index % 1000 == 999:
                progress.update(1000)
        progress.update(self.figure_count % 1000)

    def place_figure(self, rng, indicators, ind_w, subjects, subj_w, years, year_w, by_year, used):
        indicator = rng.choices(indicators, cum_weights=ind_w)[0]
        scope, country_id, code, subject_en, subject_ru = rng.choices(subjects, cum_weights=subj_w)[
            0
        ]
        year = rng.choices(years, cum_weights=year_w)[0]
        shape = rng.random()
        if shape < 0.85:
            period = (
                datetime.date(year, 1, 1),
                datetime.date(year, 12, 31),
                str(year),
                f"{year} год",
                str(year),
            )
        elif shape < 0.93:
            last = rng.randrange(2, 11)
            period = (
                datetime.date(year, 1, 1),
                datetime.date(year, last + 2, 1) - datetime.timedelta(days=1),
                f"Jan–{MONTHS_EN[last]} {year}",
                f"январь–{MONTHS_RU[last]} {year} года",
                f"January–{MONTHS_EN[last]} {year}",
            )
        elif shape < 0.97:
            first = year - rng.randrange(2, 6)
            period = (
                datetime.date(first, 1, 1),
                datetime.date(year, 12, 31),
                f"{first}–{year}",
                f"{first}–{year} годы",
                f"{first}–{year}",
            )
        else:
            period = (None, None, "annually", "в год", "a year")
        meeting, stated_by = None, None
        meetings = [
            m
            for y in (year + 1, year + 2)
            for m in by_year.get(y, ())
            if period[1] is None or m[1] > period[1]
        ]
        if meetings and rng.random() < 0.45:
            meeting, _end, releases, delegations, _summary = rng.choice(meetings)
            source = rng.choice(releases)
            source_id, source_t = source.id, source.revs[0][0]
            language = source.content["language"]
            publisher = source.content["publisher"]
            if rng.random() < 0.7:
                stated_by = delegations.get(code) or meeting.content["chair_id"]
        else:
            candidates = [
                s
                for y in (year + 1, year + 2, year + 3)
                for key in ((code, y), (None, y))
                for s in self.stat_sources.get(key, ())
            ]
            if not candidates:
                return None
            source_id, source_t, language, publisher = rng.choice(candidates)
        key = (indicator.id, scope, country_id or 0, period[0], period[1], source_id)
        if key in used:
            return None
        earliest = max(
            indicator.revs[0][0], source_t, micros(meeting.content["end_date"]) if meeting else 0
        )
        created = earliest + rng.randrange(DAY, 60 * DAY)
        if created >= self.end - DAY:
            return None
        used.add(key)
        subject = (subject_en, subject_ru)
        return (
            indicator,
            scope,
            country_id,
            code,
            subject,
            period,
            meeting,
            stated_by,
            source_id,
            language,
            publisher,
            created,
        )

    def figure_lifecycle(
        self,
        rng,
        revisions,
        indicator,
        scope,
        country_id,
        code,
        subject,
        period,
        meeting,
        stated_by,
        source_id,
        language,
        publisher,
        created,
    ):
        kind = indicator.content["measure_kind"]
        unit = indicator.content["default_unit"]
        multiplier = indicator.content["default_unit_multiplier"]
        if unit == "USD" and code in NATIONAL_CURRENCY and rng.random() < 0.1:
            unit, multiplier = NATIONAL_CURRENCY[code], rng.choice([9, 12])
        low, high = VALUE_RANGES.get((unit, multiplier), (5, 9000))
        if kind == "share":
            high = min(high, 1000)
        value = Decimal(rng.randrange(low, high)).scaleb(-1)
        comparator = weighted(rng, COMPARATORS)
        year = period[1].year if period[1] else created // (365 * DAY) + 1970
        base = {
            "base_value": None,
            "base_period_start": None,
            "base_period_end": None,
            "base_period_label": "",
        }
        if kind == "multiple" or (kind == "growth_rate" and rng.random() < 0.5):
            base_year = year - rng.randrange(1, 11)
            base.update(
                base_period_start=datetime.date(base_year, 1, 1),
                base_period_end=datetime.date(base_year, 12, 31),
                base_period_label=str(base_year),
            )
        elif kind == "level" and rng.random() < 0.08:
            base_year = year - rng.randrange(1, 6)
            base.update(
                base_value=(value * Decimal(rng.randrange(50, 96)) / 100).quantize(Decimal("0.1"))
                or Decimal("0.1"),
                base_period_start=datetime.date(base_year, 1, 1),
                base_period_end=datetime.date(base_year, 12, 31),
                base_period_label=str(base_year),
            )
        template = rng.randrange(3)

        def words(content):
            said = stated(language, content["comparator"], content["value"], multiplier, unit)
            if language == "ru":
                name = indicator.content["name_ru"]
                name = name[0].lower() + name[1:]
                options = [
                    f"{cap(subject[1])}: {name} за {period[3]} — {said}.",
                    f"По итогам периода ({period[3]}) {name} ({subject[1]}) — {said}.",
                    f"{cap(name)} ({subject[1]}) за {period[3]} составил {said}.",
                ]
            else:
                name = indicator.content["name_en"]
                options = [
                    f"{name} ({subject[0]}) in {period[4]}: {said}.",
                    f"According to {publisher}, {name.lower()} for {subject[0]} reached "
                    f"{said} in {period[4]}.",
                    f"In {period[4]}, {name.lower()} ({subject[0]}) stood at {said}.",
                ]
            return said, options[content["_template"] % 3]

        record_id = self.new_id(Figure)
        content = {
            "id": record_id,
            "state": "draft",
            "scope": scope,
            "measure_kind": kind,
            "comparator": comparator,
            "value": value,
            "unit_multiplier": multiplier,
            "unit": unit,
            "period_start": period[0],
            "period_end": period[1],
            "period_label": period[2],
            **base,
            "estimate_by": rng.choice(ESTIMATORS) if meeting is None and rng.random() < 0.1 else "",
            "note": rng.choice(NOTES) if rng.random() < 0.1 else "",
            "indicator_id": indicator.id,
            "country_id": country_id,
            "stated_by_id": stated_by,
            "meeting_id": meeting.id if meeting else None,
            "source_id": source_id,
            "_template": template,
        }
        content["as_stated"], content["quote"] = words(content)
        del content["_template"]
        rec = Record(record_id, content)
        parents = [self.visibility[(Indicator, indicator.id)]]
        if meeting is not None:
            parents.append(self.visibility[(Meeting, meeting.id)])
        plan = FigurePlan(self, rng, rec, parents, words, template)
        plan.run(revisions, created)
        self.catch_up(Figure, rec, self.end)
        self.records[Figure].append(rec)


class FigurePlan:
    """One figure's revisions: drafted, maybe submitted and published once its parents are
    public, then corrected, reverted, withdrawn or deleted over the years."""

    def __init__(self, planner, rng, rec, parents, words, template):
        self.planner, self.rng, self.rec, self.parents = planner, rng, rec, parents
        self.words, self.template = words, template
        self.snapshots = []
        self.editor = planner.editor(rng)

    def sync(self, t):
        """Its parents' withdrawals up to ``t`` first (``snapshots`` keeps the content after
        each revision, so a revert knows what it restores)."""
        before = len(self.rec.revs)
        if before:
            self.planner.catch_up(Figure, self.rec, t)
        for _forced in range(len(self.rec.revs) - before):
            self.snapshots.append(dict(self.rec.content))

    def revise(self, t, user, reason="", changes=None, revert=None, delete=False):
        self.sync(t)
        done = self.planner.revise(
            Figure, self.rec, t, user, reason, changes, revert=revert, delete=delete
        )
        if done:
            self.snapshots.append(dict(self.rec.content))
        return done

    def run(self, revisions, created):
        rng, planner = self.rng, self.planner
        end = planner.end
        fate = rng.random()
        deleted = fate < 0.005 and revisions >= 3
        withdrawn = 0.005 <= fate < 0.045
        unpublished = (
            "draft" if 0.045 <= fate < 0.085 else "review" if 0.085 <= fate < 0.105 else None
        )
        if revisions == 1:
            publishable = (
                unpublished is None and first_public(self.parents, created, created + 1) == created
            )
            self.revise(
                created, self.editor, "Created", {"state": "published"} if publishable else None
            )
            return
        self.revise(created, self.editor)
        remaining = revisions - 1
        if unpublished is not None:
            times = planner.spread(rng, created + HOUR, min(end, created + 400 * DAY), remaining)
            for index, t in enumerate(times):
                if unpublished == "review" and index == remaining - 1:
                    self.revise(t, self.editor, "Submitted for review", {"state": "in_review"})
                else:
                    self.edit(t)
            return
        after = remaining - 1 - deleted  # the publication and the deletion aside
        submit = after >= 2
        drafts = min(rng.randrange(3), after - submit)
        workflow = planner.spread(
            rng, created + HOUR, min(end, created + 40 * DAY), drafts + submit + 1
        )
        for t in workflow[:drafts]:
            self.edit(t)
        if submit:
            self.revise(
                workflow[drafts], self.editor, "Submitted for review", {"state": "in_review"}
            )
        published = first_public(self.parents, workflow[-1], end)
        post = after - drafts - submit
        if published is None:  # a parent never public again: it stays unpublished
            for t in planner.spread(rng, workflow[-1], end, post + 1):
                self.edit(t)
        else:
            self.revise(
                published,
                planner.reviewer(rng),
                "Checked against the source",
                {"state": "published"},
            )
            withdraw_at = rng.randrange(post) if withdrawn and post else None
            for index, t in enumerate(planner.spread(rng, published + HOUR, end, post)):
                self.sync(t)
                if index == withdraw_at and self.rec.content["state"] == "published":
                    self.revise(
                        t, planner.reviewer(rng), rng.choice(WITHDRAWALS), {"state": "withdrawn"}
                    )
                else:
                    self.edit(t)
        if deleted:
            last = self.rec.revs[-1][0]
            self.revise(
                rng.randrange(last + 1, end) if last + 1 < end else last + 1,
                planner.chief,
                "Deleted: a duplicate of another figure",
                delete=True,
            )

    def edit(self, t):
        """One correction: value, quote, note, comparator, label, attribution or a revert."""
        rng, content = self.rng, self.rec.content
        choice = rng.random()
        if choice < 0.1 and len(self.snapshots) >= 2:
            for back in range(len(self.snapshots) - 2, -1, -1):
                earlier = self.snapshots[back]
                changes = {k: v for k, v in earlier.items() if k != "state" and content[k] != v}
                if changes:
                    self.revise(
                        t,
                        self.editor,
                        f"Reverted to the revision of {moment(self.rec.revs[back][0]):%d %B %Y}",
                        changes,
                        revert=back,
                    )
                    return
        if choice < 0.45:
            step = Decimal(rng.randrange(1, 11)) / 100
            value = (content["value"] * (1 + step if rng.random() < 0.5 else 1 - step)).quantize(
                Decimal("0.1")
            )
            if content["measure_kind"] == "share":
                value = min(value, Decimal(100))
            if value <= 0 or value == content["value"]:
                value = content["value"] + Decimal("0.1")
                if content["measure_kind"] == "share" and value > 100:
                    value = content["value"] - Decimal("0.1")
            changes, reason = {"value": value}, rng.choice(EDIT_REASONS["value"])
        elif choice < 0.6:
            self.template += 1
            changes, reason = {}, rng.choice(EDIT_REASONS["quote"])
        elif choice < 0.8:
            note = rng.choice([n for n in NOTES if n != content["note"]])
            changes, reason = {"note": note}, rng.choice(EDIT_REASONS["note"])
        elif choice < 0.9:
            comparator = rng.choice([c for c, _ in COMPARATORS if c != content["comparator"]])
            changes, reason = {"comparator": comparator}, rng.choice(EDIT_REASONS["comparator"])
        elif choice < 0.95:
            label = content["period_label"]
            label = (
                label[: -len(" (preliminary)")]
                if label.endswith(")")
                else label + (" (preliminary)")
            )
            changes, reason = {"period_label": label}, rng.choice(EDIT_REASONS["label"])
        else:
            estimate = rng.choice([e for e in ESTIMATORS if e != content["estimate_by"]])
            changes, reason = {"estimate_by": estimate}, rng.choice(EDIT_REASONS["estimate"])
        future = {**content, **changes, "_template": self.template}
        changes["as_stated"], changes["quote"] = self.words(future)
        if all(content[key] == value for key, value in changes.items()):
            note = rng.choice([n for n in NOTES if n != content["note"]])
            changes, reason = {"note": note}, rng.choice(EDIT_REASONS["note"])
        self.revise(t, self.editor, reason, changes)


# --- writing ------------------------------------------------------------------------------


class Progress:
    """A progress bar on stderr (a line per tenth when stderr is not a terminal)."""

    def __init__(self, stream, enabled):
        self.stream, self.enabled = stream, enabled
        self.tty = enabled and getattr(stream, "isatty", lambda: False)()
        self.label, self.total, self.done, self.started, self.shown = "", 1, 0, 0.0, -1.0

    def phase(self, label, total):
        self.finish()
        self.label, self.total, self.done = label, max(total, 1), 0
        self.started, self.shown = time.perf_counter(), -1.0
        self.draw()

    def update(self, count):
        self.done += count
        now = time.perf_counter()
        if (
            self.tty
            and now - self.shown >= 0.2
            or (
                not self.tty
                and self.done * 10 // self.total != (self.done - count) * 10 // self.total
            )
        ):
            self.draw()

    def draw(self):
        if not self.enabled:
            return
        self.shown = time.perf_counter()
        share = min(1.0, self.done / self.total)
        rate = self.done / max(self.shown - self.started, 1e-6)
        bar = "#" * int(share * 30)
        line = (
            f"{self.label:<22} [{bar:<30}] {share:4.0%} {self.done:>10,}/{self.total:,}"
            f"  {rate:,.0f}/s"
        )
        self.stream.write(("\r" + line) if self.tty else line + "\n")
        self.stream.flush()

    def finish(self):
        if self.enabled and self.label:
            if self.tty or self.done * 10 // self.total != 10:  # not drawn at 100% yet
                self.draw()
            if self.tty:
                self.stream.write("\n")
            self.label = ""


class Writer:
    """Rows into tables: ``COPY`` on PostgreSQL, ``bulk_create`` elsewhere."""

    def __init__(self, planner, progress):
        self.planner, self.progress = planner, progress
        self.postgres = connection.vendor == "postgresql"
        self.written = {}

    def store(self, model, rows):
        fields = model._meta.concrete_fields
        names = [field.attname for field in fields]
        count, defaults = 0, {}
        if self.postgres:
            quote = connection.ops.quote_name
            columns = ", ".join(quote(field.column) for field in fields)
            sql = f"COPY {quote(model._meta.db_table)} ({columns}) FROM STDIN"
            with connection.cursor() as cursor, cursor.cursor.copy(sql) as copy:
                for row in rows:
                    if not count:
                        defaults = self.check(model, row, fields)
                    if defaults:
                        row = {**defaults, **row}
                    copy.write_row([row[name] for name in names])
                    count += 1
        else:
            batch = []
            for row in rows:
                if not count:
                    defaults = self.check(model, row, fields)
                batch.append(model(**defaults, **row))
                count += 1
                if len(batch) == 2000:
                    model._default_manager.bulk_create(batch)
                    batch = []
            if batch:
                model._default_manager.bulk_create(batch)
        self.written[model] = self.written.get(model, 0) + count
        return count

    @staticmethod
    def check(model, row, fields) -> dict:
        """The defaults of the columns the rows leave out (fields this generator does not
        fill: they get what a form would have saved); a column it does not know is an
        error."""
        names = {field.attname for field in fields}
        if set(row) - names:
            raise AssertionError(f"{model._meta.db_table}: unknown {sorted(set(row) - names)}")
        return {field.attname: field.get_default() for field in fields if field.attname not in row}

    def write(self, model):
        from simple_history.utils import get_m2m_field_name, get_m2m_reverse_field_name

        records = self.planner.records[model]
        db = self.planner.db
        m2m_fields = [field for field in tracked_m2m_fields(model)]
        names = {
            field.name: (
                get_m2m_field_name(field) + "_id",
                get_m2m_reverse_field_name(field) + "_id",
            )
            for field in m2m_fields
        }
        m2m_rows = {field.name: [] for field in m2m_fields}
        m2m_next = {
            field.name: db["next_m2m_history_ids"][(model, field.name)] for field in m2m_fields
        }
        events = sorted(
            (rev[0], index, k)
            for index, rec in enumerate(records)
            for k, rev in enumerate(rec.revs)
        )

        def history_rows():
            history_id = db["next_history_ids"][model]
            replay, ids = [None] * len(records), [[] for _ in records]
            progress, pending = self.progress, 0
            for t, index, k in events:
                rec = records[index]
                _t, history_type, user, reason, delta, kind, m2m, revert = rec.revs[k]
                if k == 0:
                    content = replay[index] = dict(delta)
                else:
                    content = replay[index]
                    content.update(delta)
                row = dict(content)
                row["history_id"] = history_id
                row["history_date"] = moment(t)
                row["history_change_reason"] = reason
                row["history_type"] = history_type
                row["history_user_id"] = user
                row["public_kind"] = kind
                if revert is None:
                    row["reverted_to_history_id"] = row["reverted_to_date"] = None
                else:
                    row["reverted_to_history_id"] = ids[index][revert]
                    row["reverted_to_date"] = moment(rec.revs[revert][0])
                ids[index].append(history_id)
                if m2m and history_type != "-":
                    for name, pairs in m2m.items():
                        own, target = names[name]
                        for through_id, target_id in pairs:
                            m2m_rows[name].append(
                                {
                                    "m2m_history_id": m2m_next[name],
                                    "id": through_id,
                                    own: rec.id,
                                    target: target_id,
                                    "history_id": history_id,
                                }
                            )
                            m2m_next[name] += 1
                history_id += 1
                pending += 1
                if pending == 5000:
                    progress.update(pending)
                    pending = 0
                yield row
            progress.update(pending)

        def live_rows():
            for rec in records:
                if not rec.deleted:
                    yield {**rec.content, "version": len(rec.revs)}

        self.store(model, live_rows())
        self.store(model.history.model, history_rows())
        for field in m2m_fields:
            own, target = names[field.name]
            self.store(historical_m2m_model(model, field), m2m_rows[field.name])
            self.store(
                field.remote_field.through,
                (
                    {"id": through_id, own: rec.id, target: target_id}
                    for rec in records
                    if not rec.deleted
                    for through_id, target_id in rec.m2m[field.name]
                ),
            )


def written_models():
    """Every table the generator writes: records, histories, sets and their histories."""
    tables = []
    for model in GENERATED_MODELS:
        tables += [model, model.history.model]
        for field in tracked_m2m_fields(model):
            tables += [historical_m2m_model(model, field), field.remote_field.through]
    return tables


# --- the command ----------------------------------------------------------------------------


class Command(BaseCommand):
    help = (
        "Generate a large, realistic, deterministic data set with full history (COPY on "
        "PostgreSQL). Refuses a database holding records other than the seed data's unless "
        "--force; a second run with the same parameters does nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("--figures", type=int, default=10_000, help="figures to create")
        parser.add_argument(
            "--revisions",
            type=int,
            default=10,
            help="revisions per figure on average, creation included",
        )
        parser.add_argument("--seed", type=int, default=1, help="random seed")
        parser.add_argument(
            "--end",
            type=datetime.date.fromisoformat,
            default=None,
            help="history ends at 00:00 UTC of this day (default: today)",
        )
        parser.add_argument(
            "--force",
            action="store_true",
            help="run even though the database holds records other than the seed data's",
        )

    def handle(self, *args, figures, revisions, seed, end, force, verbosity=1, **options):
        if figures < 1 or revisions < 1:
            raise CommandError("--figures and --revisions must be at least 1.")
        explicit_end = end is not None
        end = end or datetime.datetime.now(datetime.UTC).date()
        params = {"figures": figures, "revisions": revisions, "seed": seed, "end": end.isoformat()}
        if self.already_generated(params, explicit_end, verbosity):
            return
        foreign = foreign_records()
        if foreign and not force:
            raise CommandError(
                "This database holds records that neither the seed data nor this command "
                f"created ({'; '.join(foreign)}). Use an empty database (or one with only "
                "`load_seed_data`), or pass --force to add the demo data alongside them."
            )
        started = time.perf_counter()
        progress = Progress(self.stderr, verbosity > 0)
        with transaction.atomic():
            users = demo_users(params)
            planner = Planner(
                figures=figures,
                revisions=revisions,
                seed=seed,
                end=end,
                users=users,
                db=inspect_database(),
            )
            progress.phase("Planning figures", figures)
            planner.plan_reference()
            planner.plan_indicators()
            planner.plan_meetings()
            planner.plan_commitments()
            planner.plan_figures(progress)
            total = sum(len(rec.revs) for records in planner.records.values() for rec in records)
            progress.phase("Writing revisions", total)
            writer = Writer(planner, progress)
            for model in GENERATED_MODELS:
                writer.write(model)
            progress.finish()
            statements = connection.ops.sequence_reset_sql(no_style(), written_models())
            with connection.cursor() as cursor:
                for sql in statements:
                    cursor.execute(sql)
        analyse(verbosity, self.stderr)
        elapsed = time.perf_counter() - started
        figure_revisions = writer.written[Figure.history.model]
        if verbosity:
            counts = ", ".join(
                f"{len(planner.records[m]):,} {m._meta.verbose_name_plural}"
                + (f" ({gone:,} since deleted)" if (gone := removed(planner.records[m])) else "")
                for m in GENERATED_MODELS
            )
            self.stdout.write(
                f"Generated {counts}; {total:,} revisions ({figure_revisions:,} of figures) in "
                f"{elapsed:.1f} s ({figure_revisions / elapsed:,.0f} figure revisions/s, "
                f"{total / elapsed:,.0f} revisions/s)."
            )

    def already_generated(self, params, explicit_end, verbosity) -> bool:
        marker = get_user_model().objects.filter(username=MARKER_USERNAME).first()
        if marker is None:
            return False
        try:
            stored = json.loads(marker.last_name)
        except ValueError:
            stored = {}
        keys = ["figures", "revisions", "seed"] + (["end"] if explicit_end else [])
        if all(stored.get(key) == params[key] for key in keys):
            if verbosity:
                self.stdout.write(
                    f"Demo data already generated ({marker.last_name}): nothing to do."
                )
            return True
        raise CommandError(
            f"This database already holds demo data generated with {marker.last_name}; "
            "generating again would duplicate it. Use a fresh database."
        )


def removed(records) -> int:
    return sum(rec.deleted for rec in records)


def foreign_records() -> list[str]:
    """What the database holds that neither the seed loader nor this command wrote."""
    from sco_tracker.tracking.options import tracked_models

    found = []
    for model in tracked_models():
        others = model.history.exclude(history_user__username__startswith=USER_PREFIX).exclude(
            history_user__isnull=True, history_change_reason__startswith=SEED_REASON_PREFIX
        )
        untracked = model._default_manager.exclude(pk__in=model.history.values("id"))
        count = others.count() + untracked.count()
        if count:
            found.append(f"{count} {model._meta.verbose_name} revisions or records")
    return found


def demo_users(params):
    """The demo editors, reviewers and superuser who sign the revisions; the marker user
    keeps the parameters."""
    user_model = get_user_model()
    groups = {
        group.name: group for group in Group.objects.filter(name__in=["Editors", "Reviewers"])
    }

    def user(username, *, group=None, superuser=False, active=True, **fields):
        account, created = user_model.objects.get_or_create(
            username=username,
            defaults={"is_staff": active, "is_superuser": superuser, "is_active": active, **fields},
        )
        if created:
            account.set_unusable_password()
            account.save()
            if group in groups:
                account.groups.add(groups[group])
        return account.pk

    marker = json.dumps(params)
    user(MARKER_USERNAME, active=False, first_name="Generated demo data", last_name=marker)
    editors = [user(f"{USER_PREFIX}editor-{n:02}", group="Editors") for n in range(1, 11)]
    reviewers = [user(f"{USER_PREFIX}reviewer-{n:02}", group="Reviewers") for n in range(1, 4)]
    return editors, reviewers, user(f"{USER_PREFIX}chief", superuser=True)


def inspect_database() -> dict:
    """Ids to continue from, unique values to avoid, records to reuse — in the database
    and in the seed fixtures (so ``load_seed_data`` can still run later)."""
    from simple_history.utils import get_m2m_field_name

    seed_max, seed_countries, seed_topics = {}, {}, {}
    unique = {
        "meeting": set(),
        "meeting_number": set(),
        "indicator": set(),
        "person": set(),
        "topic": set(),
        "url": set(),
    }
    for path in sorted(SEED_DIR.glob("*.json")):
        for item in json.loads(path.read_text(encoding="utf-8")):
            label, pk, fields = item["model"], item["pk"], item["fields"]
            seed_max[label] = max(seed_max.get(label, 0), pk)
            if label == "meetings.country":
                seed_countries[fields["code"]] = pk
            elif label == "meetings.topic":
                seed_topics[fields["slug"]] = pk
                unique["topic"].add(fields["slug"])
            elif label == "meetings.meeting":
                unique["meeting"].add(fields["slug"])
                unique["meeting_number"].add((fields["body"], fields["number"]))
            elif label in ("indicators.indicator", "meetings.person"):
                unique[label.split(".")[1]].add(fields["slug"])
            elif label == "meetings.source" and fields.get("url"):
                unique["url"].add(fields["url"])
    unique["meeting"] |= set(Meeting.objects.values_list("slug", flat=True))
    unique["meeting_number"] |= set(Meeting.objects.values_list("body", "number"))
    unique["indicator"] |= set(Indicator.objects.values_list("slug", flat=True))
    unique["person"] |= set(Person.objects.values_list("slug", flat=True))
    unique["topic"] |= set(Topic.objects.values_list("slug", flat=True))
    unique["url"] |= set(Source.objects.exclude(url="").values_list("url", flat=True))

    def next_value(model, field="id", floor=0):
        found = model._default_manager.aggregate(top=Max(field))["top"] or 0
        return max(found, floor) + 1

    next_ids, next_history_ids, next_m2m, next_through = {}, {}, {}, {}
    for model in GENERATED_MODELS:
        next_ids[model] = next_value(model, floor=seed_max.get(model._meta.label_lower, 0))
        next_history_ids[model] = next_value(model.history.model, "history_id")
        for field in tracked_m2m_fields(model):
            next_m2m[(model, field.name)] = next_value(
                historical_m2m_model(model, field), "m2m_history_id"
            )
            through = field.remote_field.through
            next_through[(model, field.name)] = next_value(through)
            assert get_m2m_field_name(field)  # the set's own side, for the rows written
    return {
        "next_ids": next_ids,
        "next_history_ids": next_history_ids,
        "next_m2m_history_ids": next_m2m,
        "next_through_ids": next_through,
        "unique": unique,
        "countries": dict(Country.objects.values_list("code", "id")),
        "topics": dict(Topic.objects.values_list("slug", "id")),
        "seed_country_pks": seed_countries,
        "seed_topic_pks": seed_topics,
        "taken": {
            Country: set(Country.objects.values_list("id", flat=True)),
            Topic: set(Topic.objects.values_list("id", flat=True)),
        },
    }


def analyse(verbosity, stream):
    """Fresh statistics (and, outside a transaction, a vacuum: the visibility map an
    autovacuum would have set, and no autovacuum starting during a benchmark)."""
    if connection.vendor != "postgresql":
        return
    started = time.perf_counter()
    with connection.cursor() as cursor:
        if connection.in_atomic_block:
            cursor.execute("ANALYZE")
        else:
            for model in written_models():
                cursor.execute(
                    f"VACUUM (ANALYZE) {connection.ops.quote_name(model._meta.db_table)}"
                )
            cursor.execute("ANALYZE")
    if verbosity:
        stream.write(f"VACUUM/ANALYZE: {time.perf_counter() - started:.1f} s")
    sys.stderr.flush()
