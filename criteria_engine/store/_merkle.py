"""The audit log as a Merkle tree, hashed as RFC 6962 (Certificate Transparency) and RFC 9162.

Pure functions over 32-byte hashes: no I/O, nothing but :mod:`hashlib`. The tree over
leaves ``d0 … d(n-1)`` is the one of RFC 6962 section 2.1::

    leaf_hash(d)   = SHA-256(0x00 || d)
    node_hash(l, r) = SHA-256(0x01 || l || r)
    MTH({})        = SHA-256("")
    MTH({d0})      = leaf_hash(d0)
    MTH(D[n])      = node_hash(MTH(D[0:k]), MTH(D[k:n]))   k: the largest power of 2 < n

The functions take the leaf *hashes* (``leaf_hash`` of each leaf), so a caller hashes
each leaf once and can ask for many roots and proofs. Roots are computed level by level
(pair neighbours; an odd last node moves up unchanged), which gives the same root as the
recursive definition without recursing over a million leaves; proofs recurse only on the
tree's depth (at most 64 for any size a 64-bit id can reach)::

    >>> leaves = [leaf_hash(bytes([i])) for i in range(5)]
    >>> proof = inclusion_proof(leaves, 3)
    >>> verify_inclusion(leaves[3], 3, 5, proof, tree_root(leaves))
    True
    >>> verify_consistency(2, tree_root(leaves[:2]), 5, tree_root(leaves),
    ...                    consistency_proof(leaves, 2))
    True

Verification follows RFC 9162 sections 2.1.3.2 (inclusion) and 2.1.4.2 (consistency)
step by step, so anyone can check a proof with the RFC in one hand.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence

__all__ = [
    "EMPTY_ROOT",
    "HASH_SIZE",
    "MerkleTree",
    "consistency_proof",
    "inclusion_proof",
    "leaf_hash",
    "node_hash",
    "tree_root",
    "verify_consistency",
    "verify_inclusion",
]

#: Bytes in every hash (SHA-256).
HASH_SIZE = 32
#: The root of the tree with no leaves: SHA-256 of nothing.
EMPTY_ROOT = hashlib.sha256(b"").digest()

_sha256 = hashlib.sha256


def leaf_hash(data: bytes) -> bytes:
    """RFC 6962: the hash of one leaf, ``SHA-256(0x00 || data)``."""
    return _sha256(b"\x00" + data).digest()


def node_hash(left: bytes, right: bytes) -> bytes:
    """RFC 6962: the hash of an interior node, ``SHA-256(0x01 || left || right)``."""
    return _sha256(b"\x01" + left + right).digest()


def tree_root(leaf_hashes: Sequence[bytes]) -> bytes:
    """MTH over ``leaf_hashes`` (already leaf-hashed); ``EMPTY_ROOT`` for none."""
    return _range_root(leaf_hashes, 0, len(leaf_hashes))


def _range_root(leaf_hashes: Sequence[bytes], start: int, end: int) -> bytes:
    """MTH of ``leaf_hashes[start:end]``, level by level (no recursion, no copy of the
    input beyond the first level)."""
    if end <= start:
        return EMPTY_ROOT
    if end - start == 1:
        return leaf_hashes[start]
    sha = _sha256
    level = [sha(b"\x01" + leaf_hashes[i] + leaf_hashes[i + 1]).digest()
             for i in range(start, end - 1, 2)]
    if (end - start) % 2:
        level.append(leaf_hashes[end - 1])
    while len(level) > 1:
        odd = level[-1] if len(level) % 2 else None
        level = [sha(b"\x01" + level[i] + level[i + 1]).digest()
                 for i in range(0, len(level) - 1, 2)]
        if odd is not None:
            level.append(odd)
    return level[0]


def _split(n: int) -> int:
    """The largest power of 2 smaller than ``n`` (``n`` > 1)."""
    return 1 << ((n - 1).bit_length() - 1)


def inclusion_proof(leaf_hashes: Sequence[bytes], index: int) -> list[bytes]:
    """RFC 6962 PATH(m, D[n]): the audit path of leaf ``index``, nearest the leaf first."""
    size = len(leaf_hashes)
    if not 0 <= index < size:
        raise ValueError(f"leaf {index} is not in a tree of {size} leaves")
    path: list[bytes] = []
    start, end, m = 0, size, index
    while end - start > 1:
        k = _split(end - start)
        if m < k:
            path.append(_range_root(leaf_hashes, start + k, end))
            end = start + k
        else:
            path.append(_range_root(leaf_hashes, start, start + k))
            start, m = start + k, m - k
    path.reverse()
    return path


def consistency_proof(leaf_hashes: Sequence[bytes], old_size: int) -> list[bytes]:
    """RFC 6962 PROOF(m, D[n]) (section 2.1.2, SUBPROOF): what shows the tree of the
    first ``old_size`` leaves is a prefix of the tree of all of them."""
    size = len(leaf_hashes)
    if not 0 <= old_size <= size:
        raise ValueError(f"a tree of {size} leaves has no prefix of {old_size}")
    if old_size in (0, size):
        return []
    proof: list[bytes] = []
    start, end, m, complete = 0, size, old_size, True
    while m != end - start:
        k = _split(end - start)
        if m <= k:
            proof.append(_range_root(leaf_hashes, start + k, end))
            end = start + k
        else:
            proof.append(_range_root(leaf_hashes, start, start + k))
            start, m, complete = start + k, m - k, False
    if not complete:
        proof.append(_range_root(leaf_hashes, start, end))
    proof.reverse()
    return proof


class MerkleTree:
    """The tree over ``leaf_hashes`` with every complete subtree's hash kept, so that after
    one pass the root of any prefix, and any inclusion or consistency proof, costs only
    O(log n) hashes: ``verify --checkpoint`` asks for several of them over one log.

    Level ``h`` holds the hashes of the complete subtrees of ``2**h`` leaves, left to right;
    every range the RFC's recursion splits a tree into starts at a multiple of its own
    largest power of two, so it is one kept node or a node hash of two such ranges.
    """

    def __init__(self, leaf_hashes: Sequence[bytes]) -> None:
        self.size = len(leaf_hashes)
        level: Sequence[bytes] = leaf_hashes
        self.levels: list[Sequence[bytes]] = [level]
        sha = _sha256
        while len(level) > 1:
            level = [sha(b"\x01" + level[i] + level[i + 1]).digest()
                     for i in range(0, len(level) - 1, 2)]
            self.levels.append(level)

    def _range(self, start: int, end: int) -> bytes:
        width = end - start
        if width <= 0:
            return EMPTY_ROOT
        if width & (width - 1) == 0 and start % width == 0:
            height = width.bit_length() - 1
            return self.levels[height][start >> height]
        k = _split(width)
        return node_hash(self._range(start, start + k), self._range(start + k, end))

    def _size(self, size: int | None) -> int:
        if size is None:
            return self.size
        if not 0 <= size <= self.size:
            raise ValueError(f"a tree of {self.size} leaves has no prefix of {size}")
        return size

    def root(self, size: int | None = None) -> bytes:
        """MTH of the first ``size`` leaves (all of them by default)."""
        return self._range(0, self._size(size))

    def inclusion_proof(self, index: int, size: int | None = None) -> list[bytes]:
        """PATH(index, D[size]), as :func:`inclusion_proof`."""
        end = self._size(size)
        if not 0 <= index < end:
            raise ValueError(f"leaf {index} is not in a tree of {end} leaves")
        path: list[bytes] = []
        start, m = 0, index
        while end - start > 1:
            k = _split(end - start)
            if m < k:
                path.append(self._range(start + k, end))
                end = start + k
            else:
                path.append(self._range(start, start + k))
                start, m = start + k, m - k
        path.reverse()
        return path

    def consistency_proof(self, old_size: int, size: int | None = None) -> list[bytes]:
        """PROOF(old_size, D[size]), as :func:`consistency_proof`."""
        end = self._size(size)
        if not 0 <= old_size <= end:
            raise ValueError(f"a tree of {end} leaves has no prefix of {old_size}")
        if old_size in (0, end):
            return []
        proof: list[bytes] = []
        start, m, complete = 0, old_size, True
        while m != end - start:
            k = _split(end - start)
            if m <= k:
                proof.append(self._range(start + k, end))
                end = start + k
            else:
                proof.append(self._range(start, start + k))
                start, m, complete = start + k, m - k, False
        if not complete:
            proof.append(self._range(start, end))
        proof.reverse()
        return proof


def verify_inclusion(leaf: bytes, index: int, size: int, proof: Sequence[bytes],
                     root: bytes) -> bool:
    """RFC 9162 2.1.3.2: does ``proof`` show leaf hash ``leaf`` at ``index`` in the tree
    of ``size`` leaves whose root is ``root``?"""
    if not 0 <= index < size or any(len(p) != HASH_SIZE for p in proof):
        return False
    fn, sn, r = index, size - 1, leaf
    for p in proof:
        if sn == 0:
            return False
        if fn & 1 or fn == sn:
            r = node_hash(p, r)
            if not fn & 1:
                while fn and not fn & 1:
                    fn, sn = fn >> 1, sn >> 1
        else:
            r = node_hash(r, p)
        fn, sn = fn >> 1, sn >> 1
    return sn == 0 and r == root


def verify_consistency(old_size: int, old_root: bytes, new_size: int, new_root: bytes,
                       proof: Sequence[bytes]) -> bool:
    """RFC 9162 2.1.4.2: does ``proof`` show the tree ``(old_size, old_root)`` is a
    prefix of ``(new_size, new_root)``? Equal sizes need an empty proof and equal roots;
    the empty tree is a prefix of every tree (its root must be ``EMPTY_ROOT``)."""
    if not 0 <= old_size <= new_size or any(len(p) != HASH_SIZE for p in proof):
        return False
    if old_size == new_size:
        return not proof and old_root == new_root
    if old_size == 0:
        return not proof and old_root == EMPTY_ROOT
    if not proof:
        return False
    path = list(proof)
    if old_size & (old_size - 1) == 0:
        path.insert(0, old_root)
    fn, sn = old_size - 1, new_size - 1
    while fn & 1:
        fn, sn = fn >> 1, sn >> 1
    fr = sr = path[0]
    for c in path[1:]:
        if sn == 0:
            return False
        if fn & 1 or fn == sn:
            fr, sr = node_hash(c, fr), node_hash(c, sr)
            if not fn & 1:
                while fn and not fn & 1:
                    fn, sn = fn >> 1, sn >> 1
        else:
            sr = node_hash(sr, c)
        fn, sn = fn >> 1, sn >> 1
    return fr == old_root and sr == new_root and sn == 0
