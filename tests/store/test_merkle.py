"""The Merkle tree under the checkpoints: RFC 6962 hashing, proofs any CT verifier accepts.

A checkpoint proves something to an outsider only if the outsider's own code computes the
same root and accepts the same proofs. So the tree is held to the published vectors (the
eight leaves of Certificate Transparency's ``merkle_tree_test.cc``, also used by Trillian
and transparency-dev/merkle), to a recursive implementation written line by line from the
RFC text below, and to properties: every honest proof verifies, and a changed leaf, a
wrong index, a truncated tree or a forged prefix does not.
"""

from __future__ import annotations

import hashlib
import time

from hypothesis import given, settings
from hypothesis import strategies as st

from criteria_engine.store._merkle import (
    EMPTY_ROOT,
    MerkleTree,
    consistency_proof,
    inclusion_proof,
    leaf_hash,
    node_hash,
    tree_root,
    verify_consistency,
    verify_inclusion,
)

# --- the published vectors (RFC 6962 test data of certificate-transparency) ---

CT_LEAVES = [bytes.fromhex(h) for h in (
    "", "00", "10", "2021", "3031", "40414243", "5051525354555657",
    "606162636465666768696a6b6c6d6e6f")]
CT_ROOTS = [
    "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
    "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
    "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
    "aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77",
    "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
    "4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4",
    "76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef",
    "ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c",
    "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328",
]
#: (leaf index, tree size, audit path)
CT_INCLUSION = [
    (0, 8, ["96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
            "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
            "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4"]),
    (5, 8, ["bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b",
            "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
            "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7"]),
    (2, 3, ["fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125"]),
    (1, 5, ["6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
            "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
            "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b"]),
]
#: (old size, new size, consistency proof)
CT_CONSISTENCY = [
    (1, 1, []),
    (1, 8, ["96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
            "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
            "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4"]),
    (6, 8, ["0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a",
            "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
            "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7"]),
    (2, 5, ["5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
            "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b"]),
]
CT_HASHES = [leaf_hash(leaf) for leaf in CT_LEAVES]


def test_roots_match_the_published_vectors() -> None:
    """Sizes 0 to 8, the empty tree being SHA-256 of nothing."""
    assert EMPTY_ROOT.hex() == CT_ROOTS[0]
    for size in range(len(CT_LEAVES) + 1):
        assert tree_root(CT_HASHES[:size]).hex() == CT_ROOTS[size], size


def test_inclusion_proofs_match_the_published_vectors() -> None:
    for index, size, path in CT_INCLUSION:
        proof = inclusion_proof(CT_HASHES[:size], index)
        assert [p.hex() for p in proof] == path
        assert verify_inclusion(CT_HASHES[index], index, size, proof,
                                bytes.fromhex(CT_ROOTS[size]))


def test_consistency_proofs_match_the_published_vectors() -> None:
    for old, new, path in CT_CONSISTENCY:
        proof = consistency_proof(CT_HASHES[:new], old)
        assert [p.hex() for p in proof] == path
        assert verify_consistency(old, bytes.fromhex(CT_ROOTS[old]), new,
                                  bytes.fromhex(CT_ROOTS[new]), proof)


# --- a reference written straight from RFC 6962 section 2.1 (recursive, small inputs) ---


def _k(n: int) -> int:
    k = 1
    while k * 2 < n:
        k *= 2
    return k


def rfc_mth(d: list[bytes]) -> bytes:
    """MTH(D[n]) exactly as RFC 6962 2.1 writes it."""
    if not d:
        return hashlib.sha256(b"").digest()
    if len(d) == 1:
        return hashlib.sha256(b"\x00" + d[0]).digest()
    k = _k(len(d))
    return hashlib.sha256(b"\x01" + rfc_mth(d[:k]) + rfc_mth(d[k:])).digest()


def rfc_path(m: int, d: list[bytes]) -> list[bytes]:
    """PATH(m, D[n]), RFC 6962 2.1.1."""
    if len(d) == 1:
        return []
    k = _k(len(d))
    if m < k:
        return [*rfc_path(m, d[:k]), rfc_mth(d[k:])]
    return [*rfc_path(m - k, d[k:]), rfc_mth(d[:k])]


def rfc_subproof(m: int, d: list[bytes], b: bool) -> list[bytes]:
    """SUBPROOF(m, D[n], b), RFC 6962 2.1.2."""
    if m == len(d):
        return [] if b else [rfc_mth(d)]
    k = _k(len(d))
    if m <= k:
        return [*rfc_subproof(m, d[:k], b), rfc_mth(d[k:])]
    return [*rfc_subproof(m - k, d[k:], False), rfc_mth(d[:k])]


leaves_data = st.lists(st.binary(max_size=8), min_size=1, max_size=70)


@given(leaves_data)
def test_the_level_by_level_root_is_the_rfcs_recursive_one(data: list[bytes]) -> None:
    assert tree_root([leaf_hash(x) for x in data]) == rfc_mth(data)


@given(leaves_data, st.data())
def test_proofs_are_the_rfcs_path_and_subproof(data: list[bytes], draw: st.DataObject) -> None:
    hashes = [leaf_hash(x) for x in data]
    index = draw.draw(st.integers(0, len(data) - 1))
    old = draw.draw(st.integers(1, len(data)))
    assert inclusion_proof(hashes, index) == rfc_path(index, data)
    assert consistency_proof(hashes, old) == rfc_subproof(old, data, True)


@given(leaves_data, st.data())
def test_the_kept_tree_gives_the_same_roots_and_proofs(data: list[bytes],
                                                       draw: st.DataObject) -> None:
    """MerkleTree (one pass, then every prefix cheaply) agrees with the plain functions."""
    hashes = [leaf_hash(x) for x in data]
    tree = MerkleTree(hashes)
    size = draw.draw(st.integers(1, len(data)))
    index = draw.draw(st.integers(0, size - 1))
    old = draw.draw(st.integers(0, size))
    assert tree.root(size) == tree_root(hashes[:size]) == rfc_mth(data[:size])
    assert tree.inclusion_proof(index, size) == inclusion_proof(hashes[:size], index)
    assert tree.consistency_proof(old, size) == consistency_proof(hashes[:size], old)


# --- properties: honest proofs verify, dishonest ones do not ---


@settings(max_examples=60)
@given(leaves_data)
def test_every_inclusion_proof_verifies(data: list[bytes]) -> None:
    hashes = [leaf_hash(x) for x in data]
    root = tree_root(hashes)
    for index in range(len(hashes)):
        assert verify_inclusion(hashes[index], index, len(hashes),
                                inclusion_proof(hashes, index), root)


@settings(max_examples=40)
@given(st.lists(st.binary(max_size=4), min_size=1, max_size=40))
def test_every_consistency_proof_between_any_two_sizes_verifies(data: list[bytes]) -> None:
    hashes = [leaf_hash(x) for x in data]
    roots = [tree_root(hashes[:n]) for n in range(len(hashes) + 1)]
    for new in range(len(hashes) + 1):
        for old in range(new + 1):
            proof = consistency_proof(hashes[:new], old)
            assert verify_consistency(old, roots[old], new, roots[new], proof), (old, new)


@given(leaves_data, st.data())
def test_a_changed_leaf_or_a_wrong_index_fails_inclusion(data: list[bytes],
                                                         draw: st.DataObject) -> None:
    hashes = [leaf_hash(x) for x in data]
    root, size = tree_root(hashes), len(hashes)
    index = draw.draw(st.integers(0, size - 1))
    proof = inclusion_proof(hashes, index)
    assert not verify_inclusion(leaf_hash(data[index] + b"!"), index, size, proof, root)
    assert not verify_inclusion(hashes[index], size, size, proof, root)
    if size > 1:
        other = draw.draw(st.integers(0, size - 1).filter(lambda i: i != index))
        assert not verify_inclusion(hashes[index], other, size, proof, root) or \
            hashes[other] == hashes[index]
        flipped = [bytes([proof[0][0] ^ 1]) + proof[0][1:], *proof[1:]]
        assert not verify_inclusion(hashes[index], index, size, flipped, root)
        assert not verify_inclusion(hashes[index], index, size, proof[:-1], root)


@given(st.lists(st.binary(max_size=4), min_size=2, max_size=40), st.data())
def test_a_rewritten_prefix_or_a_truncated_tree_fails_consistency(
        data: list[bytes], draw: st.DataObject) -> None:
    """The attacks a checkpoint must catch: an old leaf rewritten (a forged prefix with the
    same size), and a checkpoint claimed against a shorter tree."""
    hashes = [leaf_hash(x) for x in data]
    new = len(hashes)
    old = draw.draw(st.integers(1, new - 1))
    old_root = tree_root(hashes[:old])
    victim = draw.draw(st.integers(0, old - 1))
    forged = [*hashes[:victim], leaf_hash(data[victim] + b"forged"), *hashes[victim + 1:]]
    forged_proof = consistency_proof(forged, old)
    assert not verify_consistency(old, old_root, new, tree_root(forged), forged_proof)
    honest = consistency_proof(hashes, old)
    assert not verify_consistency(old, old_root, new, tree_root(forged), honest)
    shorter = draw.draw(st.integers(0, old - 1))
    assert not verify_consistency(old, old_root, shorter, tree_root(hashes[:shorter]),
                                  consistency_proof(hashes[:old], shorter))
    assert not verify_consistency(old, old_root, new, tree_root(hashes), honest[:-1])


def test_edge_sizes() -> None:
    """Equal sizes need equal roots and no proof; the empty tree is everyone's prefix."""
    hashes = [leaf_hash(bytes([i])) for i in range(5)]
    root = tree_root(hashes)
    assert verify_consistency(5, root, 5, root, [])
    assert not verify_consistency(5, root, 5, root, [root])
    assert verify_consistency(0, EMPTY_ROOT, 5, root, [])
    assert not verify_consistency(0, root, 5, root, [])
    assert not verify_consistency(3, tree_root(hashes[:3]), 2, tree_root(hashes[:2]), [])
    assert not verify_inclusion(hashes[0], 0, 0, [], EMPTY_ROOT)
    assert not verify_inclusion(hashes[0], 0, 1, [b"short"], hashes[0])
    assert node_hash(hashes[0], hashes[1]) == tree_root(hashes[:2])


def test_a_million_leaves_in_well_under_ten_seconds() -> None:
    """A checkpoint over 1M events builds this tree: level by level, no recursion limit.
    (Generous bound for a shared machine; the benchmark reports the real figure.)"""
    hashes = [hashlib.sha256(i.to_bytes(4, "big")).digest() for i in range(1_000_000)]
    started = time.perf_counter()
    root = tree_root(hashes)
    proof = inclusion_proof(hashes, 765_432)
    assert verify_inclusion(hashes[765_432], 765_432, len(hashes), proof, root)
    assert time.perf_counter() - started < 10
