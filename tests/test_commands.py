import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command

pytestmark = pytest.mark.django_db


def test_create_editor_makes_a_staff_member_of_editors():
    call_command("create_editor", "olga", password="a long enough passphrase", verbosity=0)
    user = get_user_model().objects.get(username="olga")
    assert user.is_staff and not user.is_superuser
    assert list(user.groups.values_list("name", flat=True)) == ["Editors"]
    assert user.check_password("a long enough passphrase")
    assert user.has_perm("indicators.change_figure")
    assert user.has_perm("meetings.add_commitment")
    assert not user.has_perm("indicators.delete_figure")
    assert not user.has_perm("auth.change_user")


def test_create_editor_is_idempotent_and_resets_the_password():
    call_command("create_editor", "olga", password="a long enough passphrase")
    call_command("create_editor", "olga", password="another long passphrase")
    users = get_user_model().objects.filter(username="olga")
    assert users.count() == 1
    assert users.get().check_password("another long passphrase")
    assert users.get().groups.count() == 1


def test_create_editor_refuses_weak_passwords():
    with pytest.raises(CommandError, match="too short"):
        call_command("create_editor", "olga", password="abc")
    assert not get_user_model().objects.filter(username="olga").exists()


def test_create_editor_prompts_when_no_password(monkeypatch):
    answers = iter(["a long enough passphrase", "a long enough passphrase"])
    monkeypatch.setattr("getpass.getpass", lambda prompt: next(answers))
    call_command("create_editor", "olga")
    assert get_user_model().objects.get(username="olga").check_password("a long enough passphrase")


def test_create_editor_prompt_mismatch(monkeypatch):
    answers = iter(["a long enough passphrase", "something else entirely"])
    monkeypatch.setattr("getpass.getpass", lambda prompt: next(answers))
    with pytest.raises(CommandError, match="do not match"):
        call_command("create_editor", "olga")


def test_create_reviewer():
    call_command("create_editor", "rita", "--reviewer", password="a long enough passphrase")
    user = get_user_model().objects.get(username="rita")
    assert list(user.groups.values_list("name", flat=True)) == ["Reviewers"]
    assert user.has_perm("indicators.publish_figure")
    assert user.has_perm("meetings.change_meeting")
    assert not user.has_perm("indicators.delete_figure")
