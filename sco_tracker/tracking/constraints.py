"""Database constraints whose violation a form reports on the field concerned.

Django validates a model's constraints in ``full_clean()`` and in model forms, so models
state each rule once, as a constraint, rather than again in ``clean()``. A plain
``CheckConstraint`` reports its message above the form; ``FieldCheckConstraint`` puts it
next to the field the editor has to change."""

import operator

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import DEFAULT_DB_ALIAS, connections, models
from django.db.models import BooleanField, ExpressionWrapper, F, Q, Value
from django.db.models.expressions import CombinedExpression
from django.db.models.functions import Coalesce
from django.db.models.lookups import Lookup
from django.db.models.sql import Query
from django.db.models.sql.constants import SINGLE


class FieldCheckConstraint(models.CheckConstraint):
    def __init__(self, *args, field: str, **kwargs):
        self.field = field
        super().__init__(*args, **kwargs)

    def validate(self, model, instance, exclude=None, using=DEFAULT_DB_ALIAS):
        try:
            super().validate(model, instance, exclude=exclude, using=using)
        except ValidationError as error:
            raise ValidationError({self.field: [error]}) from error

    def deconstruct(self):
        path, args, kwargs = super().deconstruct()
        kwargs["field"] = self.field
        return path, args, kwargs

    def __eq__(self, other):
        return super().__eq__(other) and getattr(other, "field", None) == self.field

    __hash__ = models.CheckConstraint.__hash__


def violated_checks(instance, exclude=(), using=DEFAULT_DB_ALIAS) -> dict:
    """The check constraints ``instance`` breaks, as ``{field: [ValidationError]}`` the way
    ``full_clean()`` reports them (a ``FieldCheckConstraint`` on its field). Django's own
    validation runs a query, in a savepoint, per constraint: too slow for an import of
    thousands of rows. Here each condition is evaluated in Python (``evaluate``) where it
    can be, with SQL's logic, and the rest together in one query. Constraints on a field in
    ``exclude`` are left out; a condition that is unknown (NULL) passes, as in the
    database."""
    model = type(instance)
    exclude = set(exclude)
    values = {f.name: getattr(instance, f.attname) for f in model._meta.local_concrete_fields}
    values["pk"] = instance.pk
    broken, in_database = [], []
    for constraint in model._meta.constraints:
        if not isinstance(constraint, models.CheckConstraint):
            continue
        if Q(constraint.condition).referenced_base_fields & exclude:
            continue
        try:
            if evaluate(Q(constraint.condition), values) is False:
                broken.append(constraint)
        except Unsupported:
            in_database.append(constraint)
    if in_database:
        broken += checked_in_database(instance, in_database, exclude, using)
    errors: dict = {}
    for constraint in broken:
        error = ValidationError(
            constraint.get_violation_error_message(), code=constraint.violation_error_code
        )
        errors.setdefault(getattr(constraint, "field", NON_FIELD_ERRORS), []).append(error)
    return errors


def checked_in_database(instance, checks, exclude, using) -> list:
    """Those of ``checks`` the database finds broken, all in one query."""
    query = Query(None)
    for model_field in type(instance)._meta.local_concrete_fields:
        if model_field.name not in exclude:
            value = Value(getattr(instance, model_field.attname), model_field)
            query.add_annotation(value, model_field.name, select=False)
    for index, constraint in enumerate(checks):
        condition = ExpressionWrapper(Q(constraint.condition), output_field=BooleanField())
        query.add_annotation(
            Coalesce(condition, Value(True), output_field=BooleanField()), f"check_{index}"
        )
    row = query.get_compiler(connection=connections[using]).execute_sql(SINGLE)
    return [constraint for constraint, passed in zip(checks, row, strict=True) if not passed]


class Unsupported(Exception):
    """A condition ``evaluate`` does not read (a database function, say)."""


COMPARISONS = {
    "exact": operator.eq,
    "gt": operator.gt,
    "gte": operator.ge,
    "lt": operator.lt,
    "lte": operator.le,
    "in": lambda value, choices: value in choices,
}
ARITHMETIC = {"+": operator.add, "-": operator.sub, "*": operator.mul, "/": operator.truediv}


def evaluate(condition, values: dict):
    """A ``Q`` (or a lookup inside one) over ``values`` ({field name: value}), with SQL's
    three-valued logic: True, False, or None for unknown. ``Unsupported`` for anything it
    does not read: lookups other than comparisons, ``in`` and ``isnull``; expressions
    other than fields, values, ``length`` and arithmetic."""
    if isinstance(condition, Q):
        results, unsupported = [], False
        for child in condition.children:
            try:
                result = evaluate(child, values)
            except Unsupported:
                unsupported = True
                continue
            if result is (condition.connector == Q.OR):  # decides it: True in OR, False in AND
                results = [result]
                unsupported = False
                break
            results.append(result)
        if unsupported:
            raise Unsupported(condition)
        if condition.connector == Q.AND:
            outcome = False if False in results else (None if None in results else True)
        else:
            outcome = True if True in results else (None if None in results else False)
        return (None if outcome is None else not outcome) if condition.negated else outcome
    if isinstance(condition, tuple):
        path, right = condition
        *parts, lookup = path.split("__") if "__" in path else (path, "exact")
        if lookup not in COMPARISONS and lookup != "isnull":
            parts, lookup = [*parts, lookup], "exact"
        name, *transforms = parts
        return compare(value_of(F(name), values, transforms), lookup, right, values)
    if isinstance(condition, Lookup) and condition.lookup_name in COMPARISONS:
        left = value_of(condition.lhs, values)
        return compare(left, condition.lookup_name, condition.rhs, values)
    raise Unsupported(condition)


def compare(left, lookup: str, right, values: dict):
    if lookup == "isnull":
        return (left is None) == bool(right)
    right = value_of(right, values)
    if lookup == "exact" and right is None:
        return left is None  # ``field=None`` is ``IS NULL``
    if left is None or right is None:
        return None
    try:
        return COMPARISONS[lookup](left, right)
    except TypeError as error:
        raise Unsupported(lookup) from error


def value_of(expression, values: dict, transforms=()):
    if isinstance(expression, F):
        if expression.name not in values:
            raise Unsupported(expression)
        value = values[expression.name]
    elif isinstance(expression, Value):
        value = expression.value
    elif isinstance(expression, CombinedExpression) and expression.connector in ARITHMETIC:
        left, right = value_of(expression.lhs, values), value_of(expression.rhs, values)
        if left is None or right is None:
            return None
        try:
            value = ARITHMETIC[expression.connector](left, right)
        except (TypeError, ArithmeticError) as error:
            raise Unsupported(expression) from error
    elif hasattr(expression, "resolve_expression"):
        raise Unsupported(expression)
    else:
        value = list(expression) if isinstance(expression, list | tuple | set) else expression
    for transform in transforms:
        if transform != "length":
            raise Unsupported(transform)
        value = None if value is None else len(value)
    return value
