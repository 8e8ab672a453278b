import pytest

from statbotic import auth
from statbotic.errors import InvalidInput


@pytest.fixture(scope="module")
def stored():
    return auth.hash_password("correct horse")


def test_hash_round_trip(stored):
    assert auth.verify_password("correct horse", stored)


def test_wrong_password_fails(stored):
    assert not auth.verify_password("correct horsE", stored)
    assert not auth.verify_password("", stored)


def test_password_is_not_in_the_stored_string(stored):
    assert "correct horse" not in stored


def test_salt_differs_per_hash():
    first, second = auth.hash_password("same password", 1000), auth.hash_password("same password", 1000)
    assert first != second
    assert auth.parse_hash(first).salt != auth.parse_hash(second).salt


def test_parameters_are_parsed_back(stored):
    params = auth.parse_hash(stored)
    assert params.algorithm == "pbkdf2_sha256"
    assert params.iterations == auth.ITERATIONS >= 600_000
    assert len(params.salt) == 16 and len(params.digest) == 32


def test_weaker_hashes_need_a_rehash_and_still_verify():
    weak = auth.hash_password("old password", iterations=1000)
    assert auth.needs_rehash(weak)
    assert auth.verify_password("old password", weak)
    assert not auth.needs_rehash(auth.hash_password("new password"))


@pytest.mark.parametrize("garbage", ["", "plain-text", "md5$1$aa$bb", "pbkdf2_sha256$x$aa$bb"])
def test_unknown_hash_formats_never_verify(garbage):
    assert not auth.verify_password("anything", garbage)
    assert auth.needs_rehash(garbage)


@pytest.mark.parametrize("name", ["bob", "Alice.Smith", "team_lead-2", "a" * 32])
def test_good_usernames(name):
    assert auth.check_username(f"  {name} ") == name


@pytest.mark.parametrize("name", ["", "ab", "a" * 33, "with space", "émile", "semi;colon", "slash/"])
def test_bad_usernames(name):
    with pytest.raises(InvalidInput, match="3 to 32 characters"):
        auth.check_username(name)


def test_username_key_ignores_case():
    assert auth.username_key("Alice") == auth.username_key("aLICE ")


@pytest.mark.parametrize(
    "password,problem", [("short", "at least 8"), (" " * 9, "only spaces"), ("x" * 1025, "at most")]
)
def test_bad_passwords(password, problem):
    with pytest.raises(InvalidInput, match=problem):
        auth.check_password(password)
