"""Per-student variants: each student's lab variables, drawn from the lab's pools with the course secret.

The construction (documented for instructors in docs/classwork.md). ``K`` is the course secret (UTF-8), ``H`` is
HMAC-SHA256, ``|`` joins text fields, ``L`` is the lab id and ``G`` a pool group (the variables sharing one pool):

1. Order. Students are processed in the order of ``H(K, "labgrader/v1|order|L|" + student)``.
2. Permutation. Each group's pool of ``S`` values is shuffled by a keyed permutation ``P`` of ``0..S-1``: a
   four-round Feistel network on the smallest even number of bits covering ``S``, round function
   ``H(KG, round | right half)`` with ``KG = H(K, "labgrader/v1|perm|L|G")``, cycle-walking back into range.
3. Blocks. A group of ``k`` variables cuts the permuted pool into ``B = S // k`` blocks; block ``b`` gives its
   variables (in the order the lab declares them) the values ``P(b*k) .. P(b*k + k - 1)``, so one student's
   values within a group always differ.
4. Walk. In the order of step 1, each student starts at block ``H(K, "labgrader/v1|start|L|G|" + student)
   mod B`` and takes the first block no earlier student took (linear probing). Once all ``B`` blocks are taken,
   a new round starts: values repeat only when the roster is larger than the pool.

So two students of a roster get different values wherever the pool allows; the values are stable across runs
and machines, depend on the whole roster (a student added later can move another only when their walks
meet), and without ``K`` cannot be predicted from the student ids. Everything (``show``, ``up``, ``submit``,
``check``, ``grade``, ``batch``) goes through ``Assignment`` so all agree.
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from grader.errors import LabFileError
from grader.model.lab import Lab

PREFIX = "labgrader/v1"


def _mac(key: bytes, *parts: str) -> bytes:
    return hmac.new(key, "|".join((PREFIX, *parts)).encode("utf-8"), hashlib.sha256).digest()


def _number(digest: bytes) -> int:
    return int.from_bytes(digest[:8], "big")


class KeyedPermutation:
    """A permutation of ``0..size-1`` keyed by ``key``: a Feistel network with cycle-walking."""

    ROUNDS = 4

    def __init__(self, key: bytes, size: int) -> None:
        if size < 1:
            raise ValueError("a permutation needs at least one element")
        self.key = key
        self.size = size
        bits = max(2, (size - 1).bit_length())
        self.half = (bits + 1) // 2
        self.mask = (1 << self.half) - 1

    def _round(self, index: int, value: int) -> int:
        digest = hmac.new(self.key, f"{index}|{value}".encode(), hashlib.sha256).digest()
        return _number(digest) & self.mask

    def _encrypt(self, value: int) -> int:
        left, right = value >> self.half, value & self.mask
        for index in range(self.ROUNDS):
            left, right = right, left ^ self._round(index, right)
        return (left << self.half) | right

    def __call__(self, value: int) -> int:
        if not 0 <= value < self.size:
            raise IndexError(value)
        value = self._encrypt(value)
        while value >= self.size:  # the domain is 2**(2*half) >= size: walk until back in range
            value = self._encrypt(value)
        return value


@dataclass
class Assignment:
    """Every roster student's variables for one lab (computed once, then looked up)."""

    lab_id: str
    values: dict[str, dict[str, Any]] = field(default_factory=dict)  # student → {variable: value}

    def __contains__(self, student: str) -> bool:
        return student in self.values

    def of(self, student: str) -> dict[str, Any]:
        """The variables of ``student`` (only the pooled ones; the lab's defaults apply to the rest)."""
        return dict(self.values[student])

    def owner_of(self, variables: Mapping[str, Any]) -> list[str]:
        """The students whose pooled values all equal those in ``variables`` (to spot a borrowed variant)."""
        return sorted(s for s, mine in self.values.items() if mine and all(
            name in variables and variables[name] == value for name, value in mine.items()))


def assign(lab: Lab, secret: bytes, roster: Iterable[str]) -> Assignment:
    """Each student of ``roster`` gets values for every pooled variable of ``lab`` (see the module docs)."""
    students = sorted(set(roster), key=lambda s: (_mac(secret, "order", lab.id, s), s))
    assignment = Assignment(lab.id, {student: {} for student in students})
    for group, names in lab.pool_groups().items():
        pool = lab.variables[names[0]].pool
        assert pool is not None
        k = len(names)
        blocks = pool.size // k
        if blocks < 1:
            raise LabFileError([f"lab {lab.id}: pool group {group!r} has {k} variables but {pool.size} values"])
        permute = KeyedPermutation(_mac(secret, "perm", lab.id, group), pool.size)
        taken: set[int] = set()
        for student in students:
            if len(taken) == blocks:
                taken.clear()  # every block is in use: a new round (values repeat only from here)
            block = _number(_mac(secret, "start", lab.id, group, student)) % blocks
            while block in taken:
                block = (block + 1) % blocks
            taken.add(block)
            for offset, name in enumerate(names):
                assignment.values[student][name] = pool.value(permute(block * k + offset))
    return assignment
