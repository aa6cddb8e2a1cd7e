"""Factories shared by every app's tests. A unit made here always has a version (its
name and parent from `established_on`), like units made through the services."""

import datetime

import factory
from django.contrib.auth import get_user_model

from thidua.accounts.models import UserRole
from thidua.org.choices import Gender, UnitKind
from thidua.org.models import Employment, Person, Unit, UnitVersion
from thidua.records.choices import CommendationType, RatingLevel
from thidua.records.models import Award, PersonRating, UnitRating

EPOCH = datetime.date(2000, 1, 1)


class UnitFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Unit
        skip_postgeneration_save = True

    code = factory.Sequence(lambda n: f"U{n:04d}")
    kind = UnitKind.COMMUNE
    name = factory.Sequence(lambda n: f"Xã Thử Nghiệm {n}")
    established_on = EPOCH

    @factory.post_generation
    def parent(self, create, extracted, **kwargs):
        if create:
            UnitVersion.objects.create(
                unit=self,
                name=self.name,
                parent=extracted,
                valid_from=self.established_on or EPOCH,
                valid_to=self.dissolved_on,
            )


class PersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Person

    code = factory.Sequence(lambda n: f"P{n:06d}")
    family_name = "Nguyễn"
    middle_name = "Văn"
    given_name = factory.Sequence(lambda n: f"An{n}")
    gender = Gender.MALE
    birth_date = datetime.date(1985, 5, 1)


class EmploymentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Employment

    person = factory.SubFactory(PersonFactory)
    unit = factory.SubFactory(UnitFactory)
    position = "Chuyên viên"
    start = datetime.date(2010, 1, 1)


class PersonRatingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PersonRating

    person = factory.SubFactory(PersonFactory)
    year = 2020
    level = RatingLevel.HTT


class UnitRatingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = UnitRating

    unit = factory.SubFactory(UnitFactory)
    year = 2020
    level = RatingLevel.HTT


class AwardFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Award

    person = factory.SubFactory(PersonFactory)
    award_code = "LDTT"
    commendation_type = CommendationType.CONG_TRANG
    period_start = datetime.date(2020, 1, 1)
    period_end = datetime.date(2020, 12, 31)
    decision_number = factory.Sequence(lambda n: f"{n}/QĐ-UBND")
    decision_date = datetime.date(2021, 1, 10)
    authority = factory.SubFactory(UnitFactory, kind=UnitKind.DISTRICT)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    password = factory.PostGenerationMethodCall("set_password", "secret-pass-123")

    @factory.post_generation
    def save_password(self, create, extracted, **kwargs):
        if create:
            self.save()


def user_with_role(role: str, unit: Unit, **kwargs):
    user = UserFactory(**kwargs)
    UserRole.objects.create(user=user, unit=unit, role=role)
    return user


def person_who_moved(second_move, *, ratings=(), level=None, codes=(None, None, None), **person):
    """A person in commune C from 2010 until 2015, in commune A from 2015 until
    `second_move`, then in commune B; rated in each of `ratings` (at `level`, else the
    factory's). Returns (person, C, A, B): the case of the privacy of history
    (docs/adr/0008-privacy-of-history.md)."""
    c, a, b = (UnitFactory(code=code) if code else UnitFactory() for code in codes)
    someone = PersonFactory(**person)
    EmploymentFactory(
        person=someone, unit=c, start=datetime.date(2010, 1, 1), end=datetime.date(2015, 1, 1)
    )
    EmploymentFactory(person=someone, unit=a, start=datetime.date(2015, 1, 1), end=second_move)
    EmploymentFactory(person=someone, unit=b, start=second_move)
    for year in ratings:
        PersonRatingFactory(person=someone, year=year, **({"level": level} if level else {}))
    return someone, c, a, b
