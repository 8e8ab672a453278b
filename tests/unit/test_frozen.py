import pytest

from statbotic.frozen import frozen, replace


@frozen
class Point:
    x: int
    y: int = 0
    value: str = "v"


def test_fields_in_order_with_defaults_positional_or_keyword():
    assert Point(1) == Point(x=1, y=0, value="v")
    assert Point(1, 2, "w").y == 2
    assert repr(Point(1, value="z")) == "Point(x=1, y=0, value='z')"


def test_values_compare_and_hash_by_value_and_never_change():
    assert Point(1, 2) != Point(1, 3)
    assert Point(1, 2) != (1, 2, "v")
    assert len({Point(1), Point(1)}) == 1
    with pytest.raises(AttributeError, match="immutable"):
        Point(1).x = 2


@pytest.mark.parametrize(
    "args,kwargs,message",
    [
        ((), {}, "needs a value for 'x'"),
        ((1, 2, "v", 4), {}, "takes 3 values"),
        ((1,), {"x": 2}, "repeated"),
        ((1,), {"z": 2}, "unexpected"),
    ],
)
def test_bad_construction_is_refused(args, kwargs, message):
    with pytest.raises(TypeError, match=message):
        Point(*args, **kwargs)


def test_replace_copies_with_changes_even_of_a_field_called_value():
    original = Point(1, 2)
    assert replace(original, value="new", y=5) == Point(1, 5, "new")
    assert original == Point(1, 2)
    with pytest.raises(TypeError, match="no field 'nope'"):
        replace(original, nope=1)
