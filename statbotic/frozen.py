"""@frozen: immutable value classes without the dataclasses module.

`import dataclasses` brings in `inspect` and friends, about as long as the interpreter takes to start;
for a command that answers in a blink that is the biggest single cost (benchmarks/cli_view.py).  This
covers what the app uses of frozen dataclasses: fields from the class annotations (defaults allowed,
in order), keyword or positional construction, equality by value, a readable repr, no assignment, and
`replace`.  Defaults must be immutable (there is no default_factory).
"""

from __future__ import annotations


def frozen(cls):
    names = tuple(cls.__dict__.get("__annotations__", {}))
    defaults = {name: cls.__dict__[name] for name in names if name in cls.__dict__}

    def __init__(self, *args, **kwargs):
        if len(args) > len(names):
            raise TypeError(f"{cls.__name__} takes {len(names)} values, not {len(args)}")
        values = dict(zip(names, args, strict=False))
        for name, value in kwargs.items():
            if name not in names or name in values:
                raise TypeError(f"{cls.__name__} got an unexpected or repeated value for {name!r}")
            values[name] = value
        for name in names:
            if name not in values:
                if name not in defaults:
                    raise TypeError(f"{cls.__name__} needs a value for {name!r}")
                values[name] = defaults[name]
            object.__setattr__(self, name, values[name])

    def __setattr__(self, name, value):
        raise AttributeError(f"{cls.__name__} is immutable; use frozen.replace()")

    def __eq__(self, other):
        if type(other) is not type(self):
            return NotImplemented
        return all(getattr(self, name) == getattr(other, name) for name in names)

    def __hash__(self):
        return hash(tuple(getattr(self, name) for name in names))

    def __repr__(self):
        return f"{cls.__name__}({', '.join(f'{name}={getattr(self, name)!r}' for name in names)})"

    cls.__init__, cls.__setattr__, cls.__eq__, cls.__hash__, cls.__repr__ = (
        __init__,
        __setattr__,
        __eq__,
        __hash__,
        __repr__,
    )
    cls.__delattr__ = __setattr__
    cls.__frozen_fields__ = names
    return cls


def replace(original, /, **changes):
    """A copy of a @frozen value with some fields changed (any field name may be changed, even 'original')."""
    fields = original.__frozen_fields__
    unknown = set(changes) - set(fields)
    if unknown:
        raise TypeError(f"{type(original).__name__} has no field {sorted(unknown)[0]!r}")
    return type(original)(**{name: changes.get(name, getattr(original, name)) for name in fields})
